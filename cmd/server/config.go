package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Config is everything the server reads from its environment.
type Config struct {
	Addr          string     // ADDR: listen address, host:port
	DatabaseURL   string     // DATABASE_URL: empty = the embedded PostgreSQL
	DataDir       string     // DATA_DIR: embedded PostgreSQL and generated secrets
	BaseURL       *url.URL   // BASE_URL: public address, no trailing slash
	SessionSecret string     // SESSION_SECRET: empty = generated under DATA_DIR
	LogFormat     string     // LOG_FORMAT: text or json
	LogLevel      slog.Level // LOG_LEVEL: debug, info, warn, error
	Dev           bool       // DEV: development mode

	SessionIdle    time.Duration  // SESSION_IDLE_TIMEOUT
	TrustedProxies []netip.Prefix // TRUSTED_PROXIES
	SMTP           SMTPConfig     // SMTP_*
	JobWorkers     bool           // JOB_WORKERS: this instance sends the queued e-mails
	MetricsToken   string         // METRICS_TOKEN: Bearer token /metrics requires; empty = open
	PDF            PDFConfig      // CHROME_PATH, CHROME_URL, PDF_*
}

// PDFConfig is the Chromium that prints reports to PDF: ChromeURL (a
// running browser's DevTools address) or ChromePath; neither means "look
// for chromium on PATH" (serve does).
type PDFConfig struct {
	ChromePath string
	ChromeURL  string
	Workers    int
	Timeout    time.Duration
}

// SMTPConfig is the outgoing mail server; Host "" means "write e-mails to
// the log".
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
}

// EnvVar documents one environment variable; the README's configuration
// table lists exactly these (a test checks).
type EnvVar struct {
	Name, Default, Meaning string
}

// defaultDataDir is DATA_DIR when it is unset.
const defaultDataDir = "./data"

// EnvVars are the variables the server reads: LoadConfig all but GOGC,
// which serve applies (see defaultGOGC).
var EnvVars = []EnvVar{
	{"ADDR", ":8080", "Address to listen on, host:port."},
	{"DATABASE_URL", "(none)", "PostgreSQL connection URL. Unset: Groundwork runs its own private PostgreSQL under DATA_DIR."},
	{"DATA_DIR", "./data", "Directory for the embedded PostgreSQL and the generated session secret."},
	{"BASE_URL", "http://localhost:PORT", "Public address users reach, e.g. https://groundwork.example.org. https turns on secure cookies and HSTS."},
	{"SESSION_SECRET", "(generated)", "At least 32 characters, the same on every instance. Required with DATABASE_URL unless DEV=true; generated and kept in DATA_DIR otherwise."},
	{"LOG_FORMAT", "text", "text or json."},
	{"LOG_LEVEL", "info", "debug, info, warn or error."},
	{"DEV", "false", "true for development: SESSION_SECRET may be omitted even with DATABASE_URL."},
	{"SESSION_IDLE_TIMEOUT", "8h", "Sign a user out after this long without activity (Go duration: 30m, 8h); a warning comes first."},
	{"TRUSTED_PROXIES", "(none)", "Comma-separated addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed, for sign-in throttling per client address."},
	{"SMTP_HOST", "(none)", "Mail server for invitations, password resets and notifications. Unset: e-mails are written to the log."},
	{"SMTP_PORT", "587", "Mail server port: 587 or 25 (STARTTLS when offered), 465 (TLS)."},
	{"SMTP_USERNAME", "(none)", "Mail server user name, if it requires authentication."},
	{"SMTP_PASSWORD", "(none)", "Mail server password."},
	{"SMTP_FROM", "(none)", "Sender address of Groundwork's e-mails, e.g. groundwork@example.org. Required with SMTP_HOST."},
	{"JOB_WORKERS", "true", "false: this instance only queues e-mails, and other instances (with true) send them."},
	{"CHROME_PATH", "(searched)", "Chromium executable that prints reports to PDF. Unset: chromium, chromium-browser or google-chrome on PATH; none found: no PDFs (the report offers the browser's own print)."},
	{"CHROME_URL", "(none)", "DevTools address of a running Chromium to print with instead, e.g. http://chrome:9222 (the chrome service of docker compose)."},
	{"PDF_WORKERS", "2", "PDFs made at once; more requests get 503 with Retry-After."},
	{"PDF_TIMEOUT", "20s", "Longest time one PDF may take (1s to 25s, under the 30 s request limit)."},
	{"METRICS_TOKEN", "(none)", "When set, /metrics answers only requests with the header Authorization: Bearer TOKEN (Prometheus: authorization.credentials). Unset: /metrics is open; keep it off the public internet at the proxy."},
	{"GOGC", "200", "Go's garbage-collection target (read by the Go runtime). Groundwork sets 200 when unset; lower it to use less memory under load, at some speed."},
}

// LoadConfig reads the configuration through getenv. Every malformed value
// is reported, each error naming its variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:          or(getenv("ADDR"), ":8080"),
		DatabaseURL:   strings.TrimSpace(getenv("DATABASE_URL")),
		DataDir:       or(getenv("DATA_DIR"), defaultDataDir),
		SessionSecret: getenv("SESSION_SECRET"),
		LogFormat:     or(getenv("LOG_FORMAT"), "text"),
		MetricsToken:  strings.TrimSpace(getenv("METRICS_TOKEN")),
	}
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{name}, args...)...))
	}

	host, port, err := net.SplitHostPort(c.Addr)
	if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
		bad("ADDR", "%q is not a host:port listen address (e.g. :8080 or 127.0.0.1:8080)", c.Addr)
	}

	c.JobWorkers = true
	if v := getenv("JOB_WORKERS"); v != "" {
		if c.JobWorkers, err = strconv.ParseBool(v); err != nil {
			bad("JOB_WORKERS", "%q is not true or false", v)
		}
	}

	if v := getenv("DEV"); v != "" {
		if c.Dev, err = strconv.ParseBool(v); err != nil {
			bad("DEV", "%q is not true or false", v)
		}
	}

	switch c.LogFormat {
	case "text", "json":
	default:
		bad("LOG_FORMAT", "unknown value %q (want text or json)", c.LogFormat)
	}
	switch v := strings.ToLower(or(getenv("LOG_LEVEL"), "info")); v {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn", "warning":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		bad("LOG_LEVEL", "unknown value %q (want debug, info, warn or error)", v)
	}

	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err == nil && strings.Contains(c.DatabaseURL, "://") && u.Scheme != "postgres" && u.Scheme != "postgresql" {
			bad("DATABASE_URL", "scheme %q is not postgres:// or postgresql://", u.Scheme)
		}
	}

	base := getenv("BASE_URL")
	if base == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	if u, err := url.Parse(strings.TrimSuffix(base, "/")); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("BASE_URL", "%q is not an absolute http:// or https:// URL", base)
	} else if u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		bad("BASE_URL", "%q has a path, query or fragment; Groundwork must be served at the root of its host", base)
	} else {
		c.BaseURL = u
	}

	c.SessionIdle = 8 * time.Hour
	if v := getenv("SESSION_IDLE_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute || d > 30*24*time.Hour {
			bad("SESSION_IDLE_TIMEOUT", "%q is not a duration between 1m and 720h (e.g. 30m, 8h)", v)
		} else {
			c.SessionIdle = d
		}
	}

	for _, p := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if a, err := netip.ParseAddr(p); err == nil {
				p = netip.PrefixFrom(a, a.BitLen()).String()
			}
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			bad("TRUSTED_PROXIES", "%q is not an address or CIDR range", p)
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix.Masked())
	}

	c.SMTP = SMTPConfig{
		Host:     strings.TrimSpace(getenv("SMTP_HOST")),
		Port:     587,
		Username: getenv("SMTP_USERNAME"),
		Password: getenv("SMTP_PASSWORD"),
		From:     strings.TrimSpace(getenv("SMTP_FROM")),
	}
	if v := getenv("SMTP_PORT"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n <= 0 || n > 65535 {
			bad("SMTP_PORT", "%q is not a port number", v)
		} else {
			c.SMTP.Port = n
		}
	}
	if c.SMTP.Host != "" {
		if a, err := mail.ParseAddress(c.SMTP.From); err != nil || a.Address != c.SMTP.From {
			bad("SMTP_FROM", "%q is not an e-mail address; it is required with SMTP_HOST", c.SMTP.From)
		}
	}

	c.PDF = PDFConfig{ChromePath: strings.TrimSpace(getenv("CHROME_PATH")), ChromeURL: strings.TrimSpace(getenv("CHROME_URL")), Workers: 2, Timeout: 20 * time.Second}
	if c.PDF.ChromePath != "" {
		if p, err := exec.LookPath(c.PDF.ChromePath); err != nil {
			bad("CHROME_PATH", "%q is not an executable: %v", c.PDF.ChromePath, err)
		} else {
			c.PDF.ChromePath = p
		}
	}
	if v := c.PDF.ChromeURL; v != "" {
		if u, err := url.Parse(v); err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ws" && u.Scheme != "wss") {
			bad("CHROME_URL", "%q is not a DevTools address like http://chrome:9222 or ws://chrome:9222", v)
		}
	}
	if v := getenv("PDF_WORKERS"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 64 {
			bad("PDF_WORKERS", "%q is not a number from 1 to 64", v)
		} else {
			c.PDF.Workers = n
		}
	}
	if v := getenv("PDF_TIMEOUT"); v != "" {
		if d, err := time.ParseDuration(v); err != nil || d < time.Second || d > 25*time.Second {
			bad("PDF_TIMEOUT", "%q is not a duration from 1s to 25s (PDFs are made within the 30 s a request may take)", v)
		} else {
			c.PDF.Timeout = d
		}
	}

	switch {
	case c.SessionSecret != "" && len(c.SessionSecret) < 32:
		bad("SESSION_SECRET", "must be at least 32 characters (generate one with: openssl rand -hex 32)")
	case c.SessionSecret == "" && c.DatabaseURL != "" && !c.Dev:
		bad("SESSION_SECRET", "required when DATABASE_URL is set, so that every instance signs sessions alike (generate one with: openssl rand -hex 32), or set DEV=true for development")
	}
	return c, errors.Join(errs...)
}

func or(v, def string) string {
	if v = strings.TrimSpace(v); v != "" {
		return v
	}
	return def
}

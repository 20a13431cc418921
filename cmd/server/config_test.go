package main

import (
	"log/slog"
	"strings"
	"testing"
	"time"
)

func envOf(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig(envOf())
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DataDir != "./data" || c.DatabaseURL != "" || c.LogFormat != "text" || c.LogLevel != slog.LevelInfo || c.Dev ||
		c.SessionIdle != 8*time.Hour || c.SMTP.Host != "" || c.SMTP.Port != 587 || c.TrustedProxies != nil || !c.JobWorkers {
		t.Errorf("defaults = %+v", c)
	}
	if got := c.BaseURL.String(); got != "http://localhost:8080" {
		t.Errorf("default BASE_URL = %q, want http://localhost:8080", got)
	}
}

func TestLoadConfigValues(t *testing.T) {
	secret := strings.Repeat("s", 32)
	c, err := LoadConfig(envOf(
		"ADDR", "127.0.0.1:9000", "DATABASE_URL", "postgres://u:p@db/gw", "SESSION_SECRET", secret,
		"BASE_URL", "https://groundwork.example.org/", "LOG_FORMAT", "json", "LOG_LEVEL", "DEBUG", "DATA_DIR", "/var/lib/gw",
	))
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL.String() != "https://groundwork.example.org" || c.LogLevel != slog.LevelDebug || c.LogFormat != "json" || c.SessionSecret != secret || c.DataDir != "/var/lib/gw" {
		t.Errorf("config = %+v", c)
	}
	if c, _ := LoadConfig(envOf("ADDR", "127.0.0.1:9000")); c.BaseURL.String() != "http://127.0.0.1:9000" {
		t.Errorf("BASE_URL derived from ADDR = %q", c.BaseURL)
	}
	c, err = LoadConfig(envOf("SESSION_IDLE_TIMEOUT", "30m", "TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.7", "SMTP_HOST", "mail.example.org", "SMTP_PORT", "465", "SMTP_FROM", "gw@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if c.SessionIdle != 30*time.Minute || len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "192.168.1.7/32" || c.SMTP.Port != 465 || c.SMTP.From != "gw@example.org" {
		t.Errorf("config = %+v", c)
	}
	if c, _ := LoadConfig(envOf()); c.PDF != (PDFConfig{Workers: 2, Timeout: 20 * time.Second}) {
		t.Errorf("PDF defaults = %+v", c.PDF)
	}
	c, err = LoadConfig(envOf("CHROME_URL", "http://chrome:9222", "PDF_WORKERS", "4", "PDF_TIMEOUT", "10s", "CHROME_PATH", "sh"))
	if err != nil {
		t.Fatal(err)
	}
	if c.PDF.ChromeURL != "http://chrome:9222" || c.PDF.Workers != 4 || c.PDF.Timeout != 10*time.Second || !strings.HasSuffix(c.PDF.ChromePath, "/sh") {
		t.Errorf("PDF config = %+v", c.PDF)
	}
	if c, _ := LoadConfig(envOf("METRICS_TOKEN", " t0ken ")); c.MetricsToken != "t0ken" {
		t.Errorf("METRICS_TOKEN = %q, want t0ken", c.MetricsToken)
	}
	if c, _ := LoadConfig(envOf("JOB_WORKERS", "false")); c.JobWorkers {
		t.Error("JOB_WORKERS=false still runs the workers")
	}
	if _, err := LoadConfig(envOf("DATABASE_URL", "host=/tmp dbname=gw", "DEV", "true")); err != nil {
		t.Errorf("key=value DATABASE_URL in dev mode without a secret: %v", err)
	}
}

func TestLoadConfigErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		env  []string
		want string
	}{
		{[]string{"ADDR", "8080"}, "ADDR"},
		{[]string{"ADDR", "localhost:http"}, "ADDR"},
		{[]string{"ADDR", ":70000"}, "ADDR"},
		{[]string{"LOG_FORMAT", "xml"}, "LOG_FORMAT"},
		{[]string{"LOG_LEVEL", "loud"}, "LOG_LEVEL"},
		{[]string{"DEV", "maybe"}, "DEV"},
		{[]string{"JOB_WORKERS", "some"}, "JOB_WORKERS"},
		{[]string{"BASE_URL", "groundwork.example.org"}, "BASE_URL"},
		{[]string{"BASE_URL", "ftp://example.org"}, "BASE_URL"},
		{[]string{"BASE_URL", "https://example.org/groundwork"}, "BASE_URL"},
		{[]string{"DATABASE_URL", "mysql://db/gw", "SESSION_SECRET", strings.Repeat("s", 32)}, "DATABASE_URL"},
		{[]string{"DATABASE_URL", "postgres://db/gw"}, "SESSION_SECRET"},
		{[]string{"SESSION_SECRET", "short"}, "SESSION_SECRET"},
		{[]string{"SESSION_IDLE_TIMEOUT", "forever"}, "SESSION_IDLE_TIMEOUT"},
		{[]string{"SESSION_IDLE_TIMEOUT", "5s"}, "SESSION_IDLE_TIMEOUT"},
		{[]string{"TRUSTED_PROXIES", "10.0.0.0/8, nginx"}, "TRUSTED_PROXIES"},
		{[]string{"SMTP_PORT", "smtp"}, "SMTP_PORT"},
		{[]string{"CHROME_PATH", "/nonexistent/chromium"}, "CHROME_PATH"},
		{[]string{"CHROME_URL", "chrome:9222"}, "CHROME_URL"},
		{[]string{"PDF_WORKERS", "0"}, "PDF_WORKERS"},
		{[]string{"PDF_TIMEOUT", "2m"}, "PDF_TIMEOUT"},
		{[]string{"SMTP_HOST", "mail.example.org"}, "SMTP_FROM"},
		{[]string{"SMTP_HOST", "mail.example.org", "SMTP_FROM", "Groundwork <gw@example.org>"}, "SMTP_FROM"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.env, "="), func(t *testing.T) {
			_, err := LoadConfig(envOf(tt.env...))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want+":") {
				t.Errorf("LoadConfig(%v) error = %v, want one starting %q", tt.env, err, tt.want+":")
			}
		})
	}

	_, err := LoadConfig(envOf("LOG_FORMAT", "xml", "LOG_LEVEL", "loud"))
	if err == nil || !strings.Contains(err.Error(), "LOG_FORMAT") || !strings.Contains(err.Error(), "LOG_LEVEL") {
		t.Errorf("two bad values: error = %v, want both named", err)
	}
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"time"

	"groundwork/assessment"
	"groundwork/handlers"
	"groundwork/mail"
	"groundwork/pdf"
	"groundwork/store"
)

// defaultGOGC is the garbage-collection target when GOGC is not set.
const defaultGOGC = 200

// shutdownGrace bounds how long in-flight requests may finish at shutdown.
const shutdownGrace = 15 * time.Second

// serve runs the portal until ctx ends, then shuts down in order: stop
// accepting, finish in-flight requests, close the pool, stop the embedded
// PostgreSQL.
func serve(ctx context.Context, e *env) error {
	cfg, err := LoadConfig(e.getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg, e.stderr)
	if e.getenv("GOGC") == "" {
		// Pages allocate a lot of short-lived memory over a small live heap:
		// collecting half as often as Go's default buys throughput for some
		// memory (the load test: at most 112 MB resident with 200, 222 MB
		// with 400, for the same pages per second). GOGC set by the
		// operator wins.
		debug.SetGCPercent(defaultGOGC)
	}
	catalog, err := assessment.Embedded()
	if err != nil {
		return fmt.Errorf("the embedded assessment templates are broken:\n%w", err)
	}

	dsn, stopDB, err := database(ctx, e, cfg, log, false)
	if err != nil {
		return err
	}
	defer stopDB()

	if err := migrateUp(dsn, log); err != nil {
		return err
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.RecordStart(ctx, version()); err != nil {
		return err
	}
	secret, err := sessionSecret(cfg)
	if err != nil {
		return fmt.Errorf("SESSION_SECRET: %w", err)
	}
	if n, err := st.CountUsers(ctx); err != nil {
		return err
	} else if n == 0 {
		log.Warn(firstAdminHint(cfg))
	}
	times := store.SessionTimes{Idle: cfg.SessionIdle, Lifetime: 7 * 24 * time.Hour, Remember: 30 * 24 * time.Hour}
	go janitor(ctx, st, times.Idle, log)
	go func() {
		// Once, after the migration that began keeping it: the portfolio
		// sorts by readiness, which older assessments do not have yet.
		if n, err := st.FillReadiness(ctx, catalog); err != nil {
			log.Error("computing the readiness of older assessments", "err", err)
		} else if n > 0 {
			log.Info("computed the readiness of older assessments", "assessments", n)
		}
	}()

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("ADDR: %w", err)
	}
	renderer := pdfRenderer(cfg, log)
	defer renderer.Close() // also by portal.Stop; on every path, no browser is left behind
	portal := handlers.New(st, handlers.Options{
		BaseURL:        cfg.BaseURL,
		Version:        version(),
		Logger:         log,
		SessionSecret:  []byte(secret),
		Sessions:       times,
		Mailer:         mailer(cfg, log),
		TrustedProxies: cfg.TrustedProxies,
		Catalog:        catalog,
		PDF:            renderer,
		MetricsToken:   cfg.MetricsToken,
	})
	if cfg.JobWorkers {
		if err := portal.Start(ctx); err != nil {
			return err
		}
		defer func() { // on the error paths; after a shutdown there is nothing left to stop
			stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = portal.Stop(stopCtx)
		}()
	} else {
		log.Info("JOB_WORKERS=false: this instance queues e-mails but sends none; other instances must run with JOB_WORKERS=true")
	}
	srv := &http.Server{
		Handler:           portal,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads on slow links
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	addr := cfg.BaseURL.String()
	if _, port, _ := net.SplitHostPort(cfg.Addr); port == "0" {
		addr = "http://" + ln.Addr().String()
	}
	log.Info("listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL.String(), "version", version(), "pid", os.Getpid())
	fmt.Fprintf(e.stdout, "Groundwork is running at %s\n", addr)

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "grace", shutdownGrace)
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("http shutdown: %w", err)
	} else if err != nil {
		log.Warn("requests still running at the end of the grace period were cut off")
		_ = srv.Close()
	}
	if err := portal.Stop(shutCtx); err != nil {
		log.Warn("e-mails still being sent at the end of the grace period were cut off; they will be sent again later", "err", err)
	}
	return nil
}

// mailer sends through SMTP_HOST, or writes e-mails to the log.
func mailer(cfg Config, log *slog.Logger) handlers.Mailer {
	if cfg.SMTP.Host == "" {
		log.Info("SMTP_HOST is not set: e-mails (invitations, password resets, notifications) will be written to this log")
		return mail.Log{Logger: log}
	}
	return mail.SMTP{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username, Password: cfg.SMTP.Password, From: cfg.SMTP.From}
}

// pdfRenderer prints reports with CHROME_URL's browser, CHROME_PATH, or a
// Chromium found on PATH; with none the portal offers the browser's print.
func pdfRenderer(cfg Config, log *slog.Logger) *pdf.Renderer {
	c := pdf.Config{ChromePath: cfg.PDF.ChromePath, ChromeURL: cfg.PDF.ChromeURL, Workers: cfg.PDF.Workers, Timeout: cfg.PDF.Timeout, Logger: log}
	switch {
	case c.ChromeURL != "":
		c.ChromePath = ""
		log.Info("PDFs are printed by the browser at CHROME_URL", "chrome_url", c.ChromeURL)
	case c.ChromePath == "":
		if c.ChromePath = pdf.FindChrome(); c.ChromePath == "" {
			log.Info("no Chromium found (set CHROME_PATH or CHROME_URL): reports cannot be downloaded as PDF; the report page offers the browser's own print instead")
		}
	}
	return pdf.New(c)
}

// janitor deletes ended sessions, old tokens and old sign-in failures every
// hour while the server runs.
func janitor(ctx context.Context, st *store.Store, idle time.Duration, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := st.DeleteExpired(ctx, idle); err != nil && ctx.Err() == nil {
			log.Warn("deleting expired sessions", "err", err)
		} else if n > 0 {
			log.Debug("deleted expired rows", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// newLogger builds the process logger from LOG_FORMAT and LOG_LEVEL.
func newLogger(cfg Config, w interface{ Write([]byte) (int, error) }) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

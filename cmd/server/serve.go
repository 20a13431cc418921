package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"groundwork/handlers"
	"groundwork/store"
)

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

	dsn, stopDB, err := database(ctx, e, cfg, log)
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
	if _, err := sessionSecret(cfg); err != nil {
		return fmt.Errorf("SESSION_SECRET: %w", err)
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("ADDR: %w", err)
	}
	srv := &http.Server{
		Handler: handlers.New(st, handlers.Options{
			BaseURL: cfg.BaseURL,
			Version: version(),
			Logger:  log,
		}),
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
	return nil
}

// newLogger builds the process logger from LOG_FORMAT and LOG_LEVEL.
func newLogger(cfg Config, w interface{ Write([]byte) (int, error) }) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

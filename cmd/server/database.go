package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"groundwork/store/pgembed"
)

// noPostgres is the one paragraph a new user sees when nothing can run.
const noPostgres = `Groundwork needs PostgreSQL and found none. No DATABASE_URL is set, so it tried to run its own private PostgreSQL under DATA_DIR (%s), but no PostgreSQL server binaries were found (it looked for initdb, pg_ctl and postgres on PATH, in ` + "`pg_config --bindir`" + ` and in /usr/lib/postgresql/*/bin). Install the PostgreSQL server (Debian or Ubuntu: sudo apt-get install postgresql; Fedora: sudo dnf install postgresql-server; macOS: brew install postgresql@16) and run this again, or set DATABASE_URL to an existing database (postgres://user:password@host:5432/groundwork), or run Groundwork with its database using docker compose up.`

// database returns the connection string to use: DATABASE_URL when set,
// otherwise that of the embedded PostgreSQL, which it starts. stop stops the
// embedded server (a no-op with DATABASE_URL). With attach, a command-line
// tool uses the embedded server of a Groundwork server running on the same
// DATA_DIR instead of failing because the directory is in use.
func database(ctx context.Context, e *env, cfg Config, log *slog.Logger, attach bool) (dsn string, stop func(), err error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, func() {}, nil
	}
	if attach {
		if srv, ok := pgembed.Running(filepath.Join(cfg.DataDir, "postgres"), ""); ok {
			return srv.DSN(), func() {}, nil
		}
	}
	bin, err := e.locator.Find()
	if errors.Is(err, pgembed.ErrNoBinaries) {
		//lint:ignore ST1005 this is the paragraph a person reads, not an error to wrap
		return "", nil, fmt.Errorf(noPostgres, cfg.DataDir)
	}
	if err != nil {
		return "", nil, err
	}
	began := time.Now()
	srv, err := pgembed.Start(ctx, pgembed.Options{
		Dir:    filepath.Join(cfg.DataDir, "postgres"),
		BinDir: bin,
		Logger: log,
	})
	if err != nil {
		return "", nil, err
	}
	log.Info("embedded PostgreSQL ready", "dir", srv.Dir(), "pid", srv.PID(), "took", time.Since(began).Round(time.Millisecond))
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := srv.Stop(ctx); err != nil {
			log.Error("stopping embedded PostgreSQL", "err", err)
			return
		}
		log.Info("embedded PostgreSQL stopped")
	}
	return srv.DSN(), stop, nil
}

// sessionSecret returns SESSION_SECRET, or the secret kept in
// DATA_DIR/session.key, generating it on first use.
func sessionSecret(cfg Config) (string, error) {
	if cfg.SessionSecret != "" {
		return cfg.SessionSecret, nil
	}
	path := filepath.Join(cfg.DataDir, "session.key")
	if b, err := os.ReadFile(path); err == nil {
		if s := strings.TrimSpace(string(b)); len(s) >= 32 {
			return s, nil
		}
		return "", fmt.Errorf("%s holds no usable secret (under 32 characters); delete it to have a new one generated", path)
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	secret := hex.EncodeToString(raw[:])
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return "", err
	}
	// O_EXCL: two first starts racing keep one secret, not two.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return sessionSecret(cfg)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(secret + "\n"); err != nil {
		f.Close()
		return "", err
	}
	return secret, f.Close()
}

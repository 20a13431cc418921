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

	"github.com/jackc/pgx/v5/pgconn"

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

// embeddedRunning reports whether a Groundwork server's embedded PostgreSQL
// runs on cfg's DATA_DIR.
func embeddedRunning(cfg Config) bool {
	_, ok := pgembed.Running(filepath.Join(cfg.DataDir, "postgres"), "")
	return ok
}

// describeDatabase names the database cfg leads to, for a command to say
// which one it changed: a second DATA_DIR silently makes a second database.
func describeDatabase(cfg Config, running bool) string {
	if cfg.DatabaseURL != "" {
		pc, err := pgconn.ParseConfig(cfg.DatabaseURL)
		if err != nil {
			return "the database of DATABASE_URL"
		}
		return fmt.Sprintf("the database %q on %s port %d (DATABASE_URL)", pc.Database, pc.Host, pc.Port)
	}
	dir := filepath.Join(cfg.DataDir, "postgres")
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	if running {
		return fmt.Sprintf("the embedded PostgreSQL in %s (DATA_DIR=%s), which the running server uses", dir, cfg.DataDir)
	}
	return fmt.Sprintf("the embedded PostgreSQL in %s (DATA_DIR=%s); no server is running on it now: "+
		"a server started with another DATA_DIR or a DATABASE_URL will not see this", dir, cfg.DataDir)
}

// firstAdminHint tells a new installation how to create its first
// administrator, with the command that reaches this server's database.
func firstAdminHint(cfg Config) string {
	prefix, same := "", ""
	switch {
	case cfg.DatabaseURL != "":
		prefix, same = `DATABASE_URL='...' `, " (DATABASE_URL the same as this server's)"
	case cfg.DataDir != defaultDataDir:
		prefix = "DATA_DIR=" + shellQuote(cfg.DataDir) + " "
	}
	return "no users yet: create the first administrator, in another terminal, with" + same + "\n" +
		"    " + prefix + "go run ./cmd/server user add -email you@example.org -name 'Your Name' -role admin\n" +
		"(with docker compose: docker compose exec app /server user add ...; with a built binary: " + prefix + "server user add ...).\n" +
		"It asks for the password, or reads it from standard input, and says which database it wrote to."
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:@,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

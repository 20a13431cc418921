package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/golang-migrate/migrate/v4"
	pgxmigrate "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib" // the database/sql driver golang-migrate runs on
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"groundwork/migrations"
)

// Migrator applies the embedded migrations, then River's (the job queue's
// tables). Several server instances may start at once: golang-migrate takes
// an advisory lock, and River's migrations run under one of ours, so one
// migrates and the others wait and then find nothing to do.
type Migrator struct {
	m   *migrate.Migrate
	db  *sql.DB
	dsn string
	log *slog.Logger
}

// NewMigrator opens a dedicated connection to dsn for migrating.
// Pool settings in dsn (pool_max_conns and the others pgxpool reads, which
// the README lets DATABASE_URL carry) are left out: PostgreSQL would refuse
// them as unknown session parameters.
func NewMigrator(dsn string, log *slog.Logger) (*Migrator, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	db := stdlib.OpenDB(*cfg.ConnConfig)
	driver, err := pgxmigrate.WithInstance(db, &pgxmigrate.Config{})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, "pgx5", driver)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	if log != nil {
		m.Log = migrateLogger{log}
	} else {
		log = slog.New(slog.DiscardHandler)
	}
	return &Migrator{m: m, db: db, dsn: dsn, log: log}, nil
}

// Up applies every migration not yet applied: ours, then River's.
func (m *Migrator) Up() error {
	if err := m.m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("store: migrate up: %w", err)
	}
	return m.riverUp()
}

// riverMigrateLock is the advisory lock River's migrations run under
// (rivermigrate takes none of its own).
const riverMigrateLock = 0x67770001 // "gw", 1

// riverUp applies River's migrations, holding riverMigrateLock on a
// connection of its own while River migrates through a small pool.
// golang-migrate's API takes no context, nor does Up: this bounds the wait.
func (m *Migrator) riverUp() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate river: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, riverMigrateLock); err != nil {
		return fmt.Errorf("store: migrate river: lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, riverMigrateLock)
	cfg, err := pgxpool.ParseConfig(m.dsn)
	if err != nil {
		return fmt.Errorf("store: migrate river: %w", err)
	}
	cfg.MaxConns = 1
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("store: migrate river: %w", err)
	}
	defer pool.Close()
	rm, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: m.log})
	if err != nil {
		return fmt.Errorf("store: migrate river: %w", err)
	}
	res, err := rm.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("store: migrate river: %w", err)
	}
	for _, v := range res.Versions {
		m.log.Info("migrate: river", "version", v.Version, "name", v.Name)
	}
	return nil
}

// Down reverts the last n applied migrations.
func (m *Migrator) Down(n int) error {
	if n <= 0 {
		return fmt.Errorf("store: migrate down: step count must be positive, got %d", n)
	}
	if err := m.m.Steps(-n); err != nil {
		return fmt.Errorf("store: migrate down %d: %w", n, err)
	}
	return nil
}

// Version returns the current schema version; 0 when nothing is applied.
// dirty means a migration failed half-way and needs a hand.
func (m *Migrator) Version() (version uint, dirty bool, err error) {
	version, dirty, err = m.m.Version()
	if errors.Is(err, migrate.ErrNilVersion) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: migrate version: %w", err)
	}
	return version, dirty, nil
}

// Close releases the migration connection.
func (m *Migrator) Close() error {
	srcErr, dbErr := m.m.Close()
	return errors.Join(srcErr, dbErr)
}

type migrateLogger struct{ log *slog.Logger }

func (l migrateLogger) Printf(format string, v ...any) {
	l.log.Info("migrate: " + strings.TrimSpace(fmt.Sprintf(format, v...)))
}
func (l migrateLogger) Verbose() bool { return false }

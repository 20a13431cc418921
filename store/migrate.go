package store

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	pgxmigrate "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver golang-migrate runs on

	"groundwork/migrations"
)

// Migrator applies the embedded migrations. Several server instances may
// start at once: golang-migrate takes an advisory lock, so one migrates and
// the others wait and then find nothing to do.
type Migrator struct {
	m  *migrate.Migrate
	db *sql.DB
}

// NewMigrator opens a dedicated connection to dsn for migrating.
func NewMigrator(dsn string, log *slog.Logger) (*Migrator, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
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
	}
	return &Migrator{m: m, db: db}, nil
}

// Up applies every migration not yet applied.
func (m *Migrator) Up() error {
	if err := m.m.Up(); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("store: migrate up: %w", err)
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

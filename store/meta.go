package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Installation describes this Groundwork installation.
type Installation struct {
	InstalledAt   time.Time
	LastVersion   string
	LastStartedAt time.Time
}

// RecordStart notes that a server of version started: the first call ever
// also records the installation time.
func (s *Store) RecordStart(ctx context.Context, version string) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO app_meta (key, value) VALUES ('installed_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
			ON CONFLICT (key) DO NOTHING`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO app_meta (key, value) VALUES ('last_version', $1)
			ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, version)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: record start: %w", err)
	}
	return nil
}

// Installation returns what RecordStart wrote, or ErrNotFound before the
// first start.
func (s *Store) Installation(ctx context.Context) (Installation, error) {
	var in Installation
	var installed string
	err := s.pool.QueryRow(ctx, `
		SELECT i.value, v.value, v.updated_at
		FROM app_meta i, app_meta v
		WHERE i.key = 'installed_at' AND v.key = 'last_version'`).Scan(&installed, &in.LastVersion, &in.LastStartedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return in, ErrNotFound
	}
	if err != nil {
		return in, fmt.Errorf("store: installation: %w", err)
	}
	if in.InstalledAt, err = time.Parse(time.RFC3339, installed); err != nil {
		return in, fmt.Errorf("store: installation: %w", err)
	}
	return in, nil
}

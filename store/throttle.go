package store

import (
	"context"
	"fmt"
	"time"
)

// SignInFailures counts failed sign-ins for key since a moment, and returns
// the time of the latest one.
func (s *Store) SignInFailures(ctx context.Context, key string, since time.Time) (count int, last time.Time, err error) {
	var lastAt *time.Time
	err = s.pool.QueryRow(ctx, `SELECT count(*), max(at) FROM sign_in_failures WHERE key = $1 AND at > $2`, key, since).Scan(&count, &lastAt)
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: sign-in failures: %w", err)
	}
	if lastAt != nil {
		last = *lastAt
	}
	return count, last, nil
}

// RecordSignInFailure notes a failed sign-in under each key.
func (s *Store) RecordSignInFailure(ctx context.Context, keys ...string) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO sign_in_failures (key) SELECT unnest($1::text[])`, keys); err != nil {
		return fmt.Errorf("store: record sign-in failure: %w", err)
	}
	return nil
}

// ClearSignInFailures forgets the failures under key, after a success.
func (s *Store) ClearSignInFailures(ctx context.Context, key string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sign_in_failures WHERE key = $1`, key); err != nil {
		return fmt.Errorf("store: clear sign-in failures: %w", err)
	}
	return nil
}

// DeleteExpired removes ended sessions, long-expired tokens and old
// sign-in failures; the server runs it periodically.
func (s *Store) DeleteExpired(ctx context.Context, idle time.Duration) (int64, error) {
	var total int64
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM sessions WHERE expires_at < now() OR (NOT remember AND last_seen_at < now() - $1::interval)`, []any{idle}},
		{`DELETE FROM user_tokens WHERE expires_at < now() - interval '30 days'`, nil},
		{`DELETE FROM sign_in_failures WHERE at < now() - interval '1 day'`, nil},
	} {
		tag, err := s.pool.Exec(ctx, q.sql, q.args...)
		if err != nil {
			return total, fmt.Errorf("store: delete expired: %w", err)
		}
		total += tag.RowsAffected()
	}
	return total, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Attempts is what the failures recorded under one throttle key come to
// within a window.
type Attempts struct {
	Count int
	Last  time.Time // zero when Count is 0
}

// ClaimAttempt decides whether an attempt counted under keys may go ahead,
// atomically across every server instance: holding a transaction lock on
// each key, it counts the failures recorded under it since since and asks
// wait how long the attempt must wait. When wait returns zero it records
// the attempt under every key, as a failure, before anyone evaluates it, so
// that concurrent attempts count it; a success is taken back with
// ForgiveAttempt. It returns the wait and the time the attempt was
// recorded at.
func (s *Store) ClaimAttempt(ctx context.Context, since time.Time, keys []string, wait func([]Attempts) time.Duration) (time.Duration, time.Time, error) {
	var d time.Duration
	var at time.Time
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Locks in key order, so two claims never wait for each other in
		// a cycle; released at commit.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(h) FROM (
			SELECT hashtextextended('sign_in_failures:' || k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY 1) AS keys`, keys); err != nil {
			return err
		}
		counts := make([]Attempts, len(keys))
		for i, k := range keys {
			var last *time.Time
			if err := tx.QueryRow(ctx, `SELECT count(*), max(at) FROM sign_in_failures WHERE key = $1 AND at > $2`, k, since).Scan(&counts[i].Count, &last); err != nil {
				return err
			}
			if last != nil {
				counts[i].Last = *last
			}
		}
		if d = wait(counts); d > 0 {
			return nil
		}
		return tx.QueryRow(ctx, `INSERT INTO sign_in_failures (key) SELECT unnest($1::text[]) RETURNING at`, keys).Scan(&at)
	})
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("store: claim attempt: %w", err)
	}
	return d, at, nil
}

// ForgiveAttempt takes back one attempt ClaimAttempt recorded under key at
// at, once it has succeeded.
func (s *Store) ForgiveAttempt(ctx context.Context, key string, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sign_in_failures WHERE ctid = (
		SELECT ctid FROM sign_in_failures WHERE key = $1 AND at = $2 LIMIT 1)`, key, at); err != nil {
		return fmt.Errorf("store: forgive attempt: %w", err)
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

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// PoolStat returns the connection pool's statistics, for /metrics.
func (s *Store) PoolStat() *pgxpool.Stat { return s.pool.Stat() }

// JobCounts is River's job table at one moment, for /metrics.
type JobCounts struct {
	// ByState counts the jobs in each of River's states (available,
	// scheduled, running, retryable, completed, discarded, cancelled, ...);
	// completed and discarded jobs are kept a while, then pruned by River.
	ByState map[string]int64
	// OldestAvailable is how long the oldest job that is due has waited
	// for a worker; zero when none waits.
	OldestAvailable time.Duration
}

// JobCounts counts River's jobs by state, and measures how long the oldest
// due job has waited: the queue's depth and backlog at scrape time.
func (s *Store) JobCounts(ctx context.Context) (JobCounts, error) {
	c := JobCounts{ByState: map[string]int64{}}
	rows, err := s.pool.Query(ctx, `SELECT state::text, count(*),
		COALESCE(extract(epoch FROM now() - min(scheduled_at) FILTER (WHERE state = 'available' AND scheduled_at <= now())), 0)
		FROM river_job GROUP BY state`)
	if err != nil {
		return c, fmt.Errorf("store: job counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int64
		var oldest float64
		if err := rows.Scan(&state, &n, &oldest); err != nil {
			return c, fmt.Errorf("store: job counts: %w", err)
		}
		c.ByState[state] = n
		if d := time.Duration(oldest * float64(time.Second)); d > c.OldestAvailable {
			c.OldestAvailable = d
		}
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("store: job counts: %w", err)
	}
	return c, nil
}

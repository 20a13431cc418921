package store

import (
	"context"
	"fmt"
	"time"
)

// Clock returns the database's time: the one trivial query of the
// calibration page that load tests measure every page against.
func (s *Store) Clock(ctx context.Context) (time.Time, error) {
	var t time.Time
	if err := s.pool.QueryRow(ctx, `SELECT now()`).Scan(&t); err != nil {
		return time.Time{}, fmt.Errorf("store: clock: %w", err)
	}
	return t, nil
}

package handlers

import (
	"context"
	"fmt"
	"time"
)

// Sign-in throttling: failures are counted per account and per address
// over a window. Up to a limit they cost nothing; past it each further
// attempt must wait, longer every time (1, 2, 4... minutes, capped at the
// window). Unknown accounts are throttled exactly like known ones, so the
// answer reveals nothing.
const (
	throttleWindow    = 15 * time.Minute
	accountFailures   = 10 // per account, per window
	addressFailures   = 30 // per address (an office behind NAT shares one)
	throttleFirstWait = time.Minute
)

// throttleWait returns how long to wait after count failures, the latest
// at last, given the free limit.
func throttleWait(count, limit int, last, now time.Time) time.Duration {
	if count < limit {
		return 0
	}
	wait := throttleFirstWait << min(count-limit, 10)
	if wait > throttleWindow {
		wait = throttleWindow
	}
	return max(0, last.Add(wait).Sub(now))
}

// signInWait returns how long the account and address must wait before
// another sign-in attempt.
func (h *handler) signInWait(ctx context.Context, email, addr string) (time.Duration, error) {
	now := time.Now()
	since := now.Add(-throttleWindow)
	var wait time.Duration
	for _, k := range []struct {
		key   string
		limit int
	}{{"email:" + email, accountFailures}, {"ip:" + addr, addressFailures}} {
		n, last, err := h.store.SignInFailures(ctx, k.key, since)
		if err != nil {
			return 0, err
		}
		wait = max(wait, throttleWait(n, k.limit, last, now))
	}
	return wait, nil
}

// waitText says how long to wait, in words.
func waitText(d time.Duration) string {
	if d < time.Minute {
		return "a minute"
	}
	m := int((d + time.Minute - 1) / time.Minute)
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

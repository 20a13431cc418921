package handlers

import (
	"context"
	"fmt"
	"time"

	"groundwork/store"
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

// claimSignIn decides whether a sign-in attempt for email from addr may be
// evaluated, and how long it must wait otherwise. The decision is one
// locked transaction in PostgreSQL that also records the attempt, so
// concurrent attempts, on this instance or another, cannot all pass the
// check before any is recorded. at identifies the recorded attempt.
func (h *handler) claimSignIn(ctx context.Context, email, addr string) (wait time.Duration, at time.Time, err error) {
	now := time.Now()
	limits := []int{accountFailures, addressFailures}
	return h.store.ClaimAttempt(ctx, now.Add(-throttleWindow), []string{"email:" + email, "ip:" + addr}, func(as []store.Attempts) time.Duration {
		var wait time.Duration
		for i, a := range as {
			wait = max(wait, throttleWait(a.Count, limits[i], a.Last, now))
		}
		return wait
	})
}

// rightPassword settles the attempt claimSignIn recorded at when the
// password was right: the account's failures are cleared, and the attempt
// does not count against the address (an office behind one address signs
// in all morning).
func (h *handler) rightPassword(ctx context.Context, email, addr string, at time.Time) error {
	if err := h.store.ClearSignInFailures(ctx, "email:"+email); err != nil {
		return err
	}
	return h.store.ForgiveAttempt(ctx, "ip:"+addr, at)
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

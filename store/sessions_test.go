package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"groundwork/store"
)

var times = store.SessionTimes{Idle: 8 * time.Hour, Lifetime: 7 * 24 * time.Hour, Remember: 30 * 24 * time.Hour}

// live reports whether the session with id loads, and fails the test on
// an error other than ErrNotFound.
func live(t *testing.T, st *store.Store, id string) bool {
	t.Helper()
	_, err := st.Session(context.Background(), id, times)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func TestSessions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pool := f.pool

	id, err := f.st.CreateSession(ctx, f.manager.ID, false, times)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.st.Session(ctx, id, times)
	if err != nil || sess.User.ID != f.manager.ID || sess.User.OrganisationSlug != "moh-a" || sess.Remember {
		t.Fatalf("Session = %+v, %v; want the manager's, not remembered", sess, err)
	}
	if n, _ := f.st.SessionCount(ctx, f.manager.ID); n != 1 {
		t.Errorf("SessionCount = %d, want 1", n)
	}
	if live(t, f.st, id[:len(id)-1]) || live(t, f.st, "") {
		t.Error("an unknown id loaded a session")
	}

	// Idle for longer than the timeout: gone. The store keeps only a hash.
	var stored int
	pool.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE id_hash = convert_to($1, 'UTF8')`, id).Scan(&stored)
	if stored != 0 {
		t.Error("the session id is stored in the clear")
	}
	if _, err := pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '9 hours'`); err != nil {
		t.Fatal(err)
	}
	if live(t, f.st, id) {
		t.Error("a session idle for 9 hours is still valid (idle timeout 8 hours)")
	}

	// Touch resets the idle timer; loading marks the session used.
	id, _ = f.st.CreateSession(ctx, f.manager.ID, false, times)
	pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '7 hours'`)
	if err := f.st.TouchSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	pool.Exec(ctx, `UPDATE sessions SET last_seen_at = last_seen_at - interval '2 hours'`)
	if !live(t, f.st, id) {
		t.Error("7 h idle, touch, 2 h more: session ended, want alive")
	}
	pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '7 hours'`)
	live(t, f.st, id)
	pool.Exec(ctx, `UPDATE sessions SET last_seen_at = last_seen_at - interval '2 hours'`)
	if !live(t, f.st, id) {
		t.Error("a session loaded after 7 idle hours ended 2 hours later, want alive")
	}

	// In use, the last-seen time is written at most once a minute, or an
	// eighth of the idle timeout when that is shorter: with 2 minutes, a
	// request 20 s after the last write writes it again.
	short := store.SessionTimes{Idle: 2 * time.Minute, Lifetime: time.Hour, Remember: time.Hour}
	id, _ = f.st.CreateSession(ctx, f.viewer.ID, false, short)
	if _, err := pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '20 seconds' WHERE user_id = $1`, f.viewer.ID); err != nil {
		t.Fatal(err)
	}
	sess, err = f.st.Session(ctx, id, short)
	if err != nil {
		t.Fatal(err)
	}
	var lag time.Duration
	if err := pool.QueryRow(ctx, `SELECT now() - last_seen_at FROM sessions WHERE user_id = $1`, f.viewer.ID).Scan(&lag); err != nil {
		t.Fatal(err)
	}
	if lag > 5*time.Second || sess.IdleLeft != short.Idle {
		t.Errorf("with a 2-minute idle timeout, a request 20 s after the last write left it %v old and %v left, want it written and 2 minutes left", lag, sess.IdleLeft)
	}
	// 10 s after the last write, less than an eighth of the timeout: not
	// written again, and the session has 10 s less to live.
	if _, err := pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '10 seconds' WHERE user_id = $1`, f.viewer.ID); err != nil {
		t.Fatal(err)
	}
	if sess, err = f.st.Session(ctx, id, short); err != nil {
		t.Fatal(err)
	}
	if left := short.Idle - 10*time.Second; sess.IdleLeft > left || sess.IdleLeft < left-5*time.Second {
		t.Errorf("10 s after the last write the session has %v left, want about %v", sess.IdleLeft, left)
	}
	if got := short.TouchEvery(false); got != 15*time.Second {
		t.Errorf("TouchEvery with a 2-minute idle timeout = %v, want 15 s", got)
	}
	if got := times.TouchEvery(true); got != time.Minute {
		t.Errorf("TouchEvery of a remembered session = %v, want 1 minute", got)
	}

	// Past its lifetime: gone, however recently used.
	pool.Exec(ctx, `UPDATE sessions SET expires_at = now() - interval '1 second'`)
	if live(t, f.st, id) {
		t.Error("a session past its lifetime still loads")
	}

	// Remember me: survives 9 idle hours.
	id, _ = f.st.CreateSession(ctx, f.viewer.ID, true, times)
	pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '9 hours' WHERE remember`)
	if sess, err := f.st.Session(ctx, id, times); err != nil || !sess.Remember {
		t.Errorf("a remember-me session after 9 idle hours = %+v, %v; want it, remembered", sess, err)
	}

	// Deactivation ends every session of the user.
	if err := f.st.SetUserActive(ctx, f.admin.ID, f.viewer.ID, false); err != nil {
		t.Fatal(err)
	}
	if live(t, f.st, id) {
		t.Error("a deactivated user's session still loads")
	}

	// Sign-out deletes the row.
	id, _ = f.st.CreateSession(ctx, f.admin.ID, false, times)
	if err := f.st.DeleteSession(ctx, id); err != nil {
		t.Fatal(err)
	}
	if live(t, f.st, id) {
		t.Error("session still valid after DeleteSession")
	}
}

func TestDeleteExpired(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	live1, _ := f.st.CreateSession(ctx, f.admin.ID, false, times)
	f.st.CreateSession(ctx, f.manager.ID, false, times)
	f.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '1 day' WHERE user_id = $1`, f.manager.ID)
	n, err := f.st.DeleteExpired(ctx, times.Idle)
	if err != nil || n != 1 {
		t.Errorf("DeleteExpired = %d, %v; want 1 (the idle session)", n, err)
	}
	if !live(t, f.st, live1) {
		t.Error("DeleteExpired removed a live session")
	}
}

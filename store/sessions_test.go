package store_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"groundwork/store"
)

var times = store.SessionTimes{Idle: 8 * time.Hour, Lifetime: 7 * 24 * time.Hour, Remember: 30 * 24 * time.Hour}

// roundTrip saves values in a new session and returns the cookie set.
func roundTrip(t *testing.T, ss *store.SessionStore, values map[any]any) *http.Cookie {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	w := httptest.NewRecorder()
	sess, err := ss.Get(r, "gw")
	if err != nil || !sess.IsNew {
		t.Fatalf("Get without cookie = %v, new=%v", err, sess.IsNew)
	}
	for k, v := range values {
		sess.Values[k] = v
	}
	if err := sess.Save(r, w); err != nil {
		t.Fatal(err)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("Save set %d cookies", len(cookies))
	}
	return cookies[0]
}

func load(t *testing.T, ss *store.SessionStore, c *http.Cookie) map[any]any {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(c)
	sess, err := ss.Get(r, "gw")
	if err != nil {
		t.Fatal(err)
	}
	if sess.IsNew {
		return nil
	}
	return sess.Values
}

func TestSessionStore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ss := store.NewSessionStore(f.st, []byte("0123456789abcdef0123456789abcdef"), times, true)

	c := roundTrip(t, ss, map[any]any{store.SessionUserID: f.manager.ID, "flash": "Saved."})
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.MaxAge != 0 {
		t.Errorf("cookie flags: HttpOnly=%v Secure=%v SameSite=%v MaxAge=%d; want HttpOnly, Secure, Lax, a browser-session cookie", c.HttpOnly, c.Secure, c.SameSite, c.MaxAge)
	}
	got := load(t, ss, c)
	if got[store.SessionUserID] != f.manager.ID || got["flash"] != "Saved." {
		t.Fatalf("loaded %v", got)
	}
	if n, _ := f.st.SessionCount(ctx, f.manager.ID); n != 1 {
		t.Errorf("SessionCount = %d, want 1", n)
	}

	tampered := *c
	tampered.Value = c.Value[:len(c.Value)-3] + "abc"
	if load(t, ss, &tampered) != nil {
		t.Error("a tampered cookie loaded a session")
	}
	other := store.NewSessionStore(f.st, []byte("another secret, 32 bytes long!!!"), times, true)
	if load(t, other, c) != nil {
		t.Error("a cookie signed with another secret loaded a session")
	}

	// Idle for longer than the timeout: gone.
	pool := f.pool
	if _, err := pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '9 hours'`); err != nil {
		t.Fatal(err)
	}
	if load(t, ss, c) != nil {
		t.Error("a session idle for 9 hours is still valid (idle timeout 8 hours)")
	}

	// Remember me: a persistent cookie that survives 9 idle hours.
	c = roundTrip(t, ss, map[any]any{store.SessionUserID: f.viewer.ID, store.SessionRemember: true})
	if c.MaxAge != int(times.Remember.Seconds()) {
		t.Errorf("remember-me cookie MaxAge = %d, want %v", c.MaxAge, times.Remember)
	}
	pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '9 hours' WHERE remember`)
	if load(t, ss, c) == nil {
		t.Error("a remember-me session ended after 9 idle hours")
	}

	// Deactivation ends every session of the user.
	if err := f.st.SetUserActive(ctx, f.admin.ID, f.viewer.ID, false); err != nil {
		t.Fatal(err)
	}
	if load(t, ss, c) != nil {
		t.Error("a deactivated user's session still loads")
	}

	// Sign-out: MaxAge < 0 deletes the row and clears the cookie.
	c = roundTrip(t, ss, map[any]any{store.SessionUserID: f.admin.ID})
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(c)
	sess, _ := ss.Get(r, "gw")
	sess.Options.MaxAge = -1
	w := httptest.NewRecorder()
	if err := sess.Save(r, w); err != nil {
		t.Fatal(err)
	}
	if cleared := w.Result().Cookies(); len(cleared) != 1 || cleared[0].MaxAge >= 0 {
		t.Errorf("sign-out cookie = %+v, want an expiring cookie", cleared)
	}
	if load(t, ss, c) != nil {
		t.Error("session still valid after sign-out")
	}
}

func TestDeleteExpired(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ss := store.NewSessionStore(f.st, []byte("0123456789abcdef0123456789abcdef"), times, false)
	live := roundTrip(t, ss, map[any]any{store.SessionUserID: f.admin.ID})
	roundTrip(t, ss, map[any]any{store.SessionUserID: f.manager.ID})
	f.pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - interval '1 day' WHERE user_id = $1`, f.manager.ID)
	n, err := f.st.DeleteExpired(ctx, times.Idle)
	if err != nil || n != 1 {
		t.Errorf("DeleteExpired = %d, %v; want 1 (the idle session)", n, err)
	}
	if load(t, ss, live) == nil {
		t.Error("DeleteExpired removed a live session")
	}
}

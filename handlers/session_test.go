package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
)

// TestSessionCookie: the cookie carries a signed id; one that does not
// verify (tampered, or signed with another secret) is no session at all,
// and signing out tells the browser to drop it.
func TestSessionCookie(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	c := b.Cookie(sessionCookie)
	if resp, _ := b.Get("/account"); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /account after sign-in = %d", resp.StatusCode)
	}

	tampered := e.Browser(t)
	tampered.Client.Jar.SetCookies(mustURL(e.Srv.URL), []*http.Cookie{{Name: sessionCookie, Value: c.Value[:len(c.Value)-3] + "abc"}})
	if resp, _ := tampered.Get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a tampered cookie signed in: GET /account = %d, want 303 to sign in", resp.StatusCode)
	}

	// The same database behind a second portal: with the same secret the
	// cookie works there too, with another it does not.
	for _, c2 := range []struct {
		secret string
		want   int
	}{
		{string(e.Opts.SessionSecret), http.StatusOK},
		{"another secret, 32 bytes long!!!", http.StatusSeeOther},
	} {
		portal := handlers.New(e.St, handlers.Options{BaseURL: e.Opts.BaseURL, Logger: e.Opts.Logger, SessionSecret: []byte(c2.secret)})
		req := httptest.NewRequest(http.MethodGet, e.Srv.URL+"/account", nil)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.Value})
		w := httptest.NewRecorder()
		portal.ServeHTTP(w, req)
		if w.Code != c2.want {
			t.Errorf("GET /account on a portal with secret %q = %d, want %d", c2.secret, w.Code, c2.want)
		}
	}

	resp, _ := b.Post("/signout", url.Values{})
	var cleared *http.Cookie
	for _, sc := range resp.Cookies() {
		if sc.Name == sessionCookie {
			cleared = sc
		}
	}
	if cleared == nil || cleared.MaxAge >= 0 || cleared.Value != "" {
		t.Errorf("sign-out cookie = %+v, want an empty, expiring cookie", cleared)
	}
	if b.Cookie(sessionCookie) != nil {
		t.Error("the browser still holds the session cookie after sign-out")
	}
}

package handlers_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
	"groundwork/store/storetest"
)

// TestTwoInstancesShareSessionsAndChanges runs two portals, each with its
// own pool and caches, on one database, as two instances behind a proxy:
// a session started on one works on the other, a change saved through one
// shows on the other's next page, and signing out on one ends the session
// on both.
func TestTwoInstancesShareSessionsAndChanges(t *testing.T) {
	dsn := storetest.DSN(t)
	pool := func() *pgxpool.Pool {
		p, err := pgxpool.New(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}
	e := handlerstest.NewEnvOn(t, pool()) // instance A
	srvB := httptest.NewUnstartedServer(nil)
	opts := e.Opts
	opts.BaseURL, _ = url.Parse("http://" + srvB.Listener.Addr().String())
	srvB.Config.Handler = handlers.New(store.New(pool()), opts)
	srvB.Start()
	t.Cleanup(srvB.Close)

	b := e.Browser(t) // one cookie jar for both: cookies ignore the port
	onB := func(method, path string, form url.Values) (*http.Response, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, srvB.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("HX-Request", "true")
		}
		resp, err := b.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp, string(data)
	}

	b.SignIn("manager@example.org") // on A
	if resp, body := onB(http.MethodGet, "/account", nil); resp.StatusCode != http.StatusOK || !strings.Contains(body, "manager@example.org") {
		t.Fatalf("the session started on A, on B = %d", resp.StatusCode)
	}
	// Both instances hold the phase page in their caches; a save through
	// B shows on A's next page, and the other way round.
	base := handlerstest.Start(t, b, false)
	b.Get(base + "/phases/1.1")
	onB(http.MethodGet, base+"/phases/1.1", nil)
	if resp, _ := onB(http.MethodPost, base+"/phases/1.1/answers/growth_projections", url.Values{"growth_projections": {"Saved through B"}, "_v.growth_projections": {"0"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("save on B = %d", resp.StatusCode)
	}
	if _, body := b.Get(base + "/phases/1.1"); !strings.Contains(body, "Saved through B") {
		t.Error("A's phase page does not show the answer saved through B")
	}
	if resp, _ := b.Do(http.MethodPost, base+"/phases/1.1/answers/growth_projections", url.Values{"growth_projections": {"Then through A"}, "_v.growth_projections": {"1"}}, "HX-Request", "true"); resp.StatusCode != http.StatusOK {
		t.Fatalf("save on A = %d", resp.StatusCode)
	}
	if _, body := onB(http.MethodGet, base+"/phases/1.1", nil); !strings.Contains(body, "Then through A") {
		t.Error("B's phase page does not show the answer saved through A")
	}

	// Signing out on B ends the session on A too, even with the old cookie.
	cookie := b.Cookie(sessionCookie)
	if resp, _ := onB(http.MethodPost, "/signout", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out on B = %d", resp.StatusCode)
	}
	replay := e.Browser(t)
	replay.Client.Jar.SetCookies(mustURL(e.Srv.URL), []*http.Cookie{{Name: sessionCookie, Value: cookie.Value}})
	for name, get := range map[string]func(string) (*http.Response, string){
		"A": replay.Get,
		"B": func(p string) (*http.Response, string) {
			req, _ := http.NewRequest(http.MethodGet, srvB.URL+p, nil)
			req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie.Value})
			resp, err := replay.Client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp, ""
		},
	} {
		if resp, _ := get("/account"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin") {
			t.Errorf("the signed-out session on %s: GET /account = %d to %q, want 303 to /signin", name, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

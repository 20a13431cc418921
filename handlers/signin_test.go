package handlers_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/mail"
)

const sessionCookie = "groundwork_session"

func TestSignInAndOut(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)

	// A session cookie planted before sign-in (session fixation) is dropped.
	_, _ = b.Get("/")
	b.Post("/signin", url.Values{"email": {"nobody@example.org"}, "password": {"x"}})
	resp, body := b.Post("/signin", url.Values{"email": {"Manager@Example.org"}, "password": {handlerstest.Password}, "next": {"/account"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
		t.Fatalf("sign in = %d to %q, want 303 to /account\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	c := b.Cookie(sessionCookie)
	if c == nil {
		t.Fatal("no session cookie after sign-in")
	}
	var set *http.Cookie
	for _, sc := range resp.Cookies() {
		if sc.Name == sessionCookie {
			set = sc
		}
	}
	if set == nil || !set.HttpOnly || set.SameSite != http.SameSiteLaxMode || set.Secure || set.MaxAge != 0 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over http, a browser-session cookie", set)
	}
	if resp, body := b.Get("/account"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "manager@example.org") {
		t.Errorf("GET /account after sign-in = %d", resp.StatusCode)
	}

	// Signing in again rotates the session id.
	b.SignIn("manager@example.org")
	if again := b.Cookie(sessionCookie); again.Value == c.Value {
		t.Error("the session id did not change at sign-in")
	}
	old := &http.Cookie{Name: sessionCookie, Value: c.Value}
	stale := e.Browser(t)
	stale.Client.Jar.SetCookies(mustURL(e.Srv.URL), []*http.Cookie{old})
	if resp, _ := stale.Get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the previous session id still works after a new sign-in: %d", resp.StatusCode)
	}

	// Sign out: the cookie's session is gone, even when replayed.
	current := b.Cookie(sessionCookie)
	if resp, _ := b.Post("/signout", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out = %d", resp.StatusCode)
	}
	replay := e.Browser(t)
	replay.Client.Jar.SetCookies(mustURL(e.Srv.URL), []*http.Cookie{{Name: sessionCookie, Value: current.Value}})
	if resp, _ := replay.Get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a signed-out session cookie still works: %d", resp.StatusCode)
	}
	if resp, body := b.Get("/signin"); !strings.Contains(body, "You have signed out.") {
		t.Errorf("no sign-out message on the sign-in page (%d)", resp.StatusCode)
	}
}

func mustURL(s string) *url.URL {
	u, _ := url.Parse(s)
	return u
}

func TestSignInErrorsKeepTheAddress(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"email": {""}, "password": {""}}, "Enter your e-mail address."},
		{url.Values{"email": {"manager@example.org"}, "password": {"wrong password"}}, "The e-mail address or password is not right."},
		{url.Values{"email": {"ghost@example.org"}, "password": {"wrong password"}}, "The e-mail address or password is not right."},
	} {
		resp, body := b.Post("/signin", c.form)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
			t.Errorf("POST %v = %d, want 422 with %q", c.form, resp.StatusCode, c.want)
		}
		if v := c.form.Get("email"); v != "" && !strings.Contains(body, `value="`+v+`"`) {
			t.Errorf("the typed address %q was not kept", v)
		}
	}
}

func TestOpenRedirectRefused(t *testing.T) {
	e := handlerstest.NewEnv(t)
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		b := e.Browser(t)
		resp, _ := b.Post("/signin", url.Values{"email": {"viewer@example.org"}, "password": {handlerstest.Password}, "next": {next}})
		if loc := resp.Header.Get("Location"); loc != "/" {
			t.Errorf("next=%q redirected to %q, want /", next, loc)
		}
	}
}

func TestIdleTimeoutEndsTheSession(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("viewer@example.org")
	if _, err := e.Pool.Exec(context.Background(), `UPDATE sessions SET last_seen_at = now() - interval '8 hours 1 minute'`); err != nil {
		t.Fatal(err)
	}
	resp, _ := b.Get("/account")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/signin?next=%2Faccount") {
		t.Errorf("after 8 idle hours GET /account = %d to %q, want a redirect to sign in and back", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestKeepAliveResetsTheIdleTimer(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("viewer@example.org")
	e.Pool.Exec(context.Background(), `UPDATE sessions SET last_seen_at = now() - interval '7 hours'`)
	if resp, _ := b.Post("/session/keepalive", url.Values{}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("keepalive = %d", resp.StatusCode)
	}
	e.Pool.Exec(context.Background(), `UPDATE sessions SET last_seen_at = last_seen_at - interval '2 hours'`)
	if resp, _ := b.Get("/account"); resp.StatusCode != http.StatusOK {
		t.Errorf("7 h idle, keepalive, 2 h more: session ended (%d), want alive", resp.StatusCode)
	}
}

func TestDeactivationEndsLiveSessions(t *testing.T) {
	e := handlerstest.NewEnv(t)
	victim := e.Browser(t)
	victim.SignIn("manager@example.org")
	if resp, _ := victim.Get("/orgs/moh-a"); resp.StatusCode != http.StatusOK {
		t.Fatalf("manager cannot see own organisation: %d", resp.StatusCode)
	}
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	resp, _ := adm.Post("/admin/users/"+handlerstest.Itoa(e.Manager.ID)+"/active", url.Values{"active": {"false"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate = %d", resp.StatusCode)
	}
	if resp, _ := victim.Get("/orgs/moh-a"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("deactivated user's open session still works: %d", resp.StatusCode)
	}
	// With the right password they learn why, and whom to ask; with a
	// wrong one, nothing more than anyone else. Both count as failures.
	deactivated := "Your account has been deactivated, so you cannot sign in. Ask your administrator if you need it again."
	if resp, body := victim.Post("/signin", url.Values{"email": {"manager@example.org"}, "password": {handlerstest.Password}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, deactivated) {
		t.Errorf("deactivated user with the right password = %d, want 422 saying the account is deactivated", resp.StatusCode)
	}
	if resp, body := victim.Post("/signin", url.Values{"email": {"manager@example.org"}, "password": {"not the password"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "The e-mail address or password is not right.") || strings.Contains(body, "deactivated") {
		t.Errorf("deactivated user with a wrong password = %d, want 422 saying only that it is not right", resp.StatusCode)
	}
	var failures int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sign_in_failures WHERE key = 'email:manager@example.org'`).Scan(&failures); err != nil || failures != 2 {
		t.Errorf("%d failures recorded for the deactivated account (%v), want 2", failures, err)
	}
	// Admins cannot lock themselves out.
	if resp, _ := adm.Post("/admin/users/"+handlerstest.Itoa(e.Admin.ID)+"/active", url.Values{"active": {"false"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("admin deactivating themselves = %d, want 400", resp.StatusCode)
	}
}

func TestSignInThrottling(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	wrong := url.Values{"email": {"manager@example.org"}, "password": {"not the password"}}
	for i := range 10 {
		if resp, _ := b.Post("/signin", wrong); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d = %d, want 422", i+1, resp.StatusCode)
		}
	}
	// The 11th attempt is refused before the password is even checked:
	// the right password does not get in either.
	right := url.Values{"email": {"manager@example.org"}, "password": {handlerstest.Password}}
	resp, body := b.Post("/signin", right)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("after 10 failures = %d (Retry-After %q), want 429 with a wait", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "or reset your password") {
		t.Error("a server that sends e-mail does not offer a reset")
	}
	// The same answer for an address that has no account.
	ghost := url.Values{"email": {"ghost@example.org"}, "password": {"x"}}
	for range 10 {
		b.Post("/signin", ghost)
	}
	if resp, _ := b.Post("/signin", ghost); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("unknown account after 10 failures = %d, want 429 like a real one", resp.StatusCode)
	}
	// Another account from the same address still works (30 per address).
	other := e.Browser(t)
	if resp, _ := other.Post("/signin", url.Values{"email": {"viewer@example.org"}, "password": {handlerstest.Password}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another account from the same address = %d, want 303", resp.StatusCode)
	}
	// When the wait is over the right password works, and a success clears
	// the account's failures.
	e.Pool.Exec(context.Background(), `UPDATE sign_in_failures SET at = at - interval '16 minutes'`)
	if resp, _ := b.Post("/signin", right); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("after the window = %d, want 303", resp.StatusCode)
	}
}

func TestCookieIsSecureOverHTTPS(t *testing.T) {
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.BaseURL = mustURL("https://groundwork.example.org") })
	b := e.Browser(t)
	resp, _ := b.Do(http.MethodPost, "/signin", url.Values{"email": {"admin@example.org"}, "password": {handlerstest.Password}},
		"Origin", "https://groundwork.example.org")
	var c *http.Cookie
	for _, sc := range resp.Cookies() {
		if strings.Contains(sc.Name, "groundwork_session") {
			c = sc
		}
	}
	if c == nil || !c.Secure || c.Name != "__Host-groundwork_session" || c.Path != "/" || c.Domain != "" {
		t.Errorf("https session cookie = %+v, want a Secure __Host- cookie", c)
	}
	if hsts := resp.Header.Get("Strict-Transport-Security"); hsts == "" {
		t.Error("no HSTS over https")
	}
}

func TestRememberMe(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	resp, _ := b.Post("/signin", url.Values{"email": {"viewer@example.org"}, "password": {handlerstest.Password}, "remember": {"on"}})
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie && c.MaxAge < 29*24*3600 {
			t.Errorf("remember-me cookie MaxAge = %d, want about 30 days", c.MaxAge)
		}
	}
	e.Pool.Exec(context.Background(), `UPDATE sessions SET last_seen_at = now() - interval '3 days'`)
	if resp, _ := b.Get("/account"); resp.StatusCode != http.StatusOK {
		t.Errorf("remembered session after 3 idle days = %d, want 200", resp.StatusCode)
	}
}

func TestThrottleWaitGrows(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	wrong := url.Values{"email": {"viewer@example.org"}, "password": {"nope nope nope"}}
	for range 10 {
		b.Post("/signin", wrong)
	}
	var waits []int
	for _, age := range []string{"61 seconds", "3 minutes"} {
		// Let the current wait pass, fail once more, and read the new wait.
		e.Pool.Exec(context.Background(), `UPDATE sign_in_failures SET at = at - $1::interval`, age)
		if resp, _ := b.Post("/signin", wrong); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt after waiting %s = %d, want 422 (checked, wrong)", age, resp.StatusCode)
		}
		resp, _ := b.Post("/signin", wrong)
		n, err := strconv.Atoi(resp.Header.Get("Retry-After"))
		if resp.StatusCode != http.StatusTooManyRequests || err != nil {
			t.Fatalf("after another failure = %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		waits = append(waits, n)
	}
	if waits[0] < 110 || waits[0] > 121 || waits[1] < 230 || waits[1] > 241 {
		t.Errorf("waits after 11 and 12 failures = %v s, want about 120 and 240", waits)
	}
}

// TestSignInThrottlingWithoutMail: where the server sends no e-mail, the
// throttled sign-in says to ask the administrator for a link, as the
// reset page does, rather than to reset one's password.
func TestSignInThrottlingWithoutMail(t *testing.T) {
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Mailer = mail.Log{Logger: slog.New(slog.DiscardHandler)} })
	b := e.Browser(t)
	for range 10 {
		b.Post("/signin", url.Values{"email": {"manager@example.org"}, "password": {"not the password"}})
	}
	resp, body := b.Post("/signin", url.Values{"email": {"manager@example.org"}, "password": {"not the password"}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "ask your administrator for a link to choose a new password") || strings.Contains(body, "or reset your password") {
		t.Errorf("throttled without e-mail = %d, want 429 saying to ask the administrator", resp.StatusCode)
	}
}

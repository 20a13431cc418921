package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWeakPasswordsRefusedOnEveryForm posts guessable passwords to the
// account, invitation and reset forms: each is refused with the reason in
// words, beside the field.
func TestWeakPasswordsRefusedOnEveryForm(t *testing.T) {
	e := newEnv(t)
	adm := e.browser(t)
	adm.signIn("admin@example.org")
	adm.post("/admin/users", url.Values{"name": {"Amina Wanjiru"}, "email": {"amina@moh.example.org"}, "role": {"viewer"}, "organisation": {itoa(e.orgA.ID)}})
	invitation := path(t, e.mail.link(t, "amina@moh.example.org"))
	e.browser(t).post("/password/forgot", url.Values{"email": {"viewer@example.org"}})
	e.mail.settle()
	reset := path(t, e.mail.link(t, "viewer@example.org"))
	account := e.browser(t)
	account.signIn("manager@example.org")

	forms := []struct {
		name string
		b    *browser
		path string
		form func(pw string) url.Values
	}{
		{"account", account, "/account/password", func(pw string) url.Values {
			return url.Values{"current": {password}, "password": {pw}, "confirm": {pw}}
		}},
		{"invitation", e.browser(t), invitation, func(pw string) url.Values {
			return url.Values{"name": {"Amina Wanjiru"}, "password": {pw}, "confirm": {pw}}
		}},
		{"reset", e.browser(t), reset, func(pw string) url.Values { return url.Values{"password": {pw}, "confirm": {pw}} }},
	}
	weak := map[string]string{
		"aaaaaaaaaaaa": "repeats characters",
		"password1234": "most commonly used passwords",
		"123456789012": "most commonly used passwords",
		"            ": "repeats characters",
	}
	for _, f := range forms {
		for pw, why := range weak {
			resp, body := f.b.post(f.path, f.form(pw))
			body = html.UnescapeString(body)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "too easy to guess") || !strings.Contains(body, why) {
				t.Errorf("%s form with %q = %d, want 422 saying it is too easy to guess: %s", f.name, pw, resp.StatusCode, why)
			}
		}
	}
	// The invitation also refuses the invitee's own name.
	if resp, body := forms[1].b.post(invitation, forms[1].form("wanjiru amina 1")); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(html.UnescapeString(body), "your name, your e-mail address") {
		t.Errorf("invitation with the invitee's name as password = %d, want 422 naming why", resp.StatusCode)
	}
	// A good one still goes through on each.
	for _, f := range forms {
		if resp, _ := f.b.post(f.path, f.form("ledger of quiet harbours")); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s form with a strong password = %d, want 303", f.name, resp.StatusCode)
		}
	}
}

package handlers_test

import (
	"groundwork/handlers/handlerstest"
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
	e := handlerstest.NewEnv(t)
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	adm.Post("/admin/users", url.Values{"name": {"Amina Wanjiru"}, "email": {"amina@moh.example.org"}, "role": {"viewer"}, "organisation": {handlerstest.Itoa(e.OrgA.ID)}})
	invitation := path(t, e.Mail.Link(t, "amina@moh.example.org"))
	e.Browser(t).Post("/password/forgot", url.Values{"email": {"viewer@example.org"}})
	e.Mail.Settle()
	reset := path(t, e.Mail.Link(t, "viewer@example.org"))
	account := e.Browser(t)
	account.SignIn("manager@example.org")

	forms := []struct {
		name string
		b    *handlerstest.Browser
		path string
		form func(pw string) url.Values
	}{
		{"account", account, "/account/password", func(pw string) url.Values {
			return url.Values{"current": {handlerstest.Password}, "password": {pw}, "confirm": {pw}}
		}},
		{"invitation", e.Browser(t), invitation, func(pw string) url.Values {
			return url.Values{"name": {"Amina Wanjiru"}, "password": {pw}, "confirm": {pw}}
		}},
		{"reset", e.Browser(t), reset, func(pw string) url.Values { return url.Values{"password": {pw}, "confirm": {pw}} }},
	}
	weak := map[string]string{
		"aaaaaaaaaaaa": "repeats characters",
		"password1234": "most commonly used passwords",
		"123456789012": "most commonly used passwords",
		"            ": "repeats characters",
	}
	for _, f := range forms {
		for pw, why := range weak {
			resp, body := f.b.Post(f.path, f.form(pw))
			body = html.UnescapeString(body)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "too easy to guess") || !strings.Contains(body, why) {
				t.Errorf("%s form with %q = %d, want 422 saying it is too easy to guess: %s", f.name, pw, resp.StatusCode, why)
			}
		}
	}
	// The invitation also refuses the invitee's own name.
	if resp, body := forms[1].b.Post(invitation, forms[1].form("wanjiru amina 1")); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(html.UnescapeString(body), "your name, your e-mail address") {
		t.Errorf("invitation with the invitee's name as password = %d, want 422 naming why", resp.StatusCode)
	}
	// A good one still goes through on each.
	for _, f := range forms {
		if resp, _ := f.b.Post(f.path, f.form("ledger of quiet harbours")); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("%s form with a strong password = %d, want 303", f.name, resp.StatusCode)
		}
	}
}

package handlers_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/mail"
	"groundwork/store"
	"groundwork/web"
)

// path returns the path of a link in an e-mail.
func path(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

func TestInvitationFlow(t *testing.T) {
	e := handlerstest.NewEnv(t)
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")

	// A refused invitation keeps what was typed.
	resp, body := adm.Post("/admin/users", url.Values{"name": {"Amina Otieno"}, "email": {"amina@moh"}, "role": {"manager"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Amina Otieno"`) ||
		!strings.Contains(body, "Enter an e-mail address like") || !strings.Contains(body, "Choose the organisation") {
		t.Fatalf("bad invitation = %d; want 422 with the name kept and messages for e-mail and organisation\n%s", resp.StatusCode, body)
	}
	resp, body = adm.Post("/admin/users", url.Values{"name": {"Amina Otieno"}, "email": {"Amina@MoH.example.org"}, "role": {"manager"}, "organisation": {handlerstest.Itoa(e.OrgA.ID)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite = %d\n%s", resp.StatusCode, body)
	}
	link := e.Mail.Link(t, "amina@moh.example.org")
	if !strings.HasPrefix(link, e.Srv.URL+"/invitations/") {
		t.Fatalf("invitation link %q does not start with BASE_URL", link)
	}
	if _, body := adm.Get(resp.Header.Get("Location")); !strings.Contains(body, "Invitation sent to amina@moh.example.org") || !strings.Contains(body, "Invited") {
		t.Errorf("user page after inviting lacks the confirmation or the Invited status")
	}
	// Inviting the same address again is refused.
	if resp, body := adm.Post("/admin/users", url.Values{"name": {"A"}, "email": {"amina@moh.example.org"}, "role": {"viewer"}, "organisation": {handlerstest.Itoa(e.OrgA.ID)}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "already has an account") {
		t.Errorf("duplicate invitation = %d", resp.StatusCode)
	}

	invitee := e.Browser(t)
	p := path(t, link)
	if resp, body := invitee.Get(p); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Program manager for Ministry A") {
		t.Fatalf("GET invitation = %d\n%s", resp.StatusCode, body)
	}
	// Tampered link.
	if resp, _ := invitee.Get(p[:len(p)-2] + "zz"); resp.StatusCode != http.StatusGone {
		t.Errorf("tampered invitation = %d, want 410", resp.StatusCode)
	}
	// Mismatched and short passwords are refused, the name kept.
	resp, body = invitee.Post(p, url.Values{"name": {"Amina O."}, "password": {"twelve chars!"}, "confirm": {"other"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "not the same") || !strings.Contains(body, `value="Amina O."`) {
		t.Errorf("mismatched passwords = %d", resp.StatusCode)
	}
	if resp, body := invitee.Post(p, url.Values{"name": {"Amina O."}, "password": {"short"}, "confirm": {"short"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at least 12") {
		t.Errorf("short password = %d", resp.StatusCode)
	}
	// A short password that is also mistyped: both said at once.
	if resp, body := invitee.Post(p, url.Values{"name": {"Amina O."}, "password": {"short"}, "confirm": {"shorts"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "at least 12") || !strings.Contains(body, "not the same") {
		t.Errorf("short and mismatched password = %d, want both problems said", resp.StatusCode)
	}
	resp, _ = invitee.Post(p, url.Values{"name": {"Amina O."}, "password": {"a good long passphrase"}, "confirm": {"a good long passphrase"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept = %d", resp.StatusCode)
	}
	if resp, body := invitee.Get("/account"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Amina O.") {
		t.Errorf("not signed in after accepting (%d)", resp.StatusCode)
	}
	// Single use.
	if resp, _ := e.Browser(t).Post(p, url.Values{"name": {"X"}, "password": {"another long passphrase"}, "confirm": {"another long passphrase"}}); resp.StatusCode != http.StatusGone {
		t.Errorf("reused invitation = %d, want 410", resp.StatusCode)
	}
	// And the new password works.
	fresh := e.Browser(t)
	if resp, _ := fresh.Post("/signin", url.Values{"email": {"amina@moh.example.org"}, "password": {"a good long passphrase"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign in with the chosen password = %d", resp.StatusCode)
	}
}

func TestExpiredInvitation(t *testing.T) {
	e := handlerstest.NewEnv(t)
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	adm.Post("/admin/users", url.Values{"name": {"Late"}, "email": {"late@example.org"}, "role": {"advisor"}})
	link := e.Mail.Link(t, "late@example.org")
	e.Pool.Exec(context.Background(), `UPDATE user_tokens SET expires_at = now() - interval '1 second'`)
	resp, body := e.Browser(t).Get(path(t, link))
	if resp.StatusCode != http.StatusGone || !strings.Contains(body, "Ask your administrator to send a new one") {
		t.Errorf("expired invitation = %d", resp.StatusCode)
	}
	// The admin sends a new one, which works.
	u, _ := e.St.UserByEmail(context.Background(), "late@example.org")
	if resp, _ := adm.Post("/admin/users/"+handlerstest.Itoa(u.ID)+"/invite", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resend = %d", resp.StatusCode)
	}
	if e.Mail.Count("late@example.org") != 2 {
		t.Errorf("sent %d invitations, want 2", e.Mail.Count("late@example.org"))
	}
	if resp, _ := e.Browser(t).Get(path(t, e.Mail.Link(t, "late@example.org"))); resp.StatusCode != http.StatusOK {
		t.Errorf("new invitation = %d", resp.StatusCode)
	}
	// The audit trail says who sent it again.
	if _, audit := adm.Get("/admin/audit?kind=link"); !strings.Contains(audit, "invitation sent again by e-mail") || !strings.Contains(audit, "late@example.org") {
		t.Error("the audit trail does not record the invitation sent again")
	}
	// Deactivated and reactivated before accepting: the page says a new
	// invitation is needed (deactivating ended the link), not that they
	// can sign in.
	page := "/admin/users/" + handlerstest.Itoa(u.ID)
	adm.Post(page+"/active", url.Values{"active": {"false"}})
	adm.Post(page+"/active", url.Values{"active": {"true"}})
	if _, body := adm.Get(page); !strings.Contains(body, "has not accepted an invitation yet: send a new one") || strings.Contains(body, "can sign in again") {
		t.Error("reactivating someone who never accepted says they can sign in")
	}
}

func TestPasswordReset(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	signedIn := e.Browser(t)
	signedIn.SignIn("viewer@example.org")

	// Same answer for known and unknown addresses; only the known gets mail.
	for _, addr := range []string{"viewer@example.org", "ghost@example.org"} {
		resp, body := b.Post("/password/forgot", url.Values{"email": {addr}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "If an account exists for") {
			t.Errorf("forgot %s = %d", addr, resp.StatusCode)
		}
	}
	if e.Mail.Count("ghost@example.org") != 0 || e.Mail.Count("viewer@example.org") != 1 {
		t.Fatalf("mail: ghost %d, viewer %d; want 0 and 1", e.Mail.Count("ghost@example.org"), e.Mail.Count("viewer@example.org"))
	}
	p := path(t, e.Mail.Link(t, "viewer@example.org"))
	resp, _ := b.Post(p, url.Values{"password": {"my new passphrase"}, "confirm": {"my new passphrase"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset = %d", resp.StatusCode)
	}
	if resp, _ := signedIn.Get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a session opened before the reset survived it: %d", resp.StatusCode)
	}
	if resp, _ := e.Browser(t).Post(p, url.Values{"password": {"yet another phrase"}, "confirm": {"yet another phrase"}}); resp.StatusCode != http.StatusGone {
		t.Errorf("reused reset link = %d, want 410", resp.StatusCode)
	}
	if resp, _ := e.Browser(t).Post("/signin", url.Values{"email": {"viewer@example.org"}, "password": {"my new passphrase"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("new password does not sign in: %d", resp.StatusCode)
	}
	// Reset requests are capped per address.
	for range 5 {
		b.Post("/password/forgot", url.Values{"email": {"manager@example.org"}})
	}
	if n := e.Mail.Count("manager@example.org"); n != 3 {
		t.Errorf("5 reset requests sent %d e-mails, want 3 (the cap per 15 minutes)", n)
	}
	// And per client address, across many addresses: after 30 more
	// requests nothing goes out, even for an account's address.
	for i := range 30 {
		b.Post("/password/forgot", url.Values{"email": {fmt.Sprintf("nobody%d@example.org", i)}})
	}
	if resp, body := b.Post("/password/forgot", url.Values{"email": {"admin@example.org"}}); resp.StatusCode != http.StatusOK || !strings.Contains(body, "If an account exists for") {
		t.Errorf("throttled request = %d: want the usual answer", resp.StatusCode)
	}
	if n := e.Mail.Count("admin@example.org"); n != 0 {
		t.Errorf("a client past its limit still had %d reset e-mails sent", n)
	}
}

func TestCrossOriginFormPostsAreRefused(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("admin@example.org")
	for _, p := range []string{"/signin", "/admin/organisations", "/signout", "/account/password"} {
		resp, _ := b.Do(http.MethodPost, p, url.Values{"name": {"Evil"}, "slug": {"evil"}, "platform": {"both"}}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin POST %s = %d, want 403", p, resp.StatusCode)
		}
	}
	if _, err := e.St.OrganisationBySlugForOperator(context.Background(), "evil"); err == nil {
		t.Error("a cross-origin POST created an organisation")
	}
	if resp, _ := b.Get("/account"); resp.StatusCode != http.StatusOK {
		t.Errorf("a cross-origin sign-out ended the session (%d)", resp.StatusCode)
	}
}

func TestAdminManagesOrganisationsAndAdvisors(t *testing.T) {
	e := handlerstest.NewEnv(t)
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	resp, body := adm.Post("/admin/organisations", url.Values{"name": {"Ministry C"}, "slug": {"Bad Slug"}, "platform": {"commcare"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Ministry C"`) || !strings.Contains(body, "lower-case letters") {
		t.Fatalf("bad slug = %d", resp.StatusCode)
	}
	if resp, body := adm.Post("/admin/organisations", url.Values{"name": {"Again"}, "slug": {"moh-a"}, "platform": {"commcare"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "already uses") {
		t.Errorf("taken slug = %d", resp.StatusCode)
	}
	resp, _ = adm.Post("/admin/organisations", url.Values{"name": {"Ministry C"}, "slug": {"moh-c"}, "platform": {"both"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create = %d", resp.StatusCode)
	}
	orgPage := resp.Header.Get("Location")
	// The list names the short name as the form does, and the day in words.
	if _, list := adm.Get("/admin/organisations"); !strings.Contains(list, `<th scope="col">Short name</th>`) || !strings.Contains(list, `<td class="nowrap">`+web.FormatDate(time.Now())+`</td>`) {
		t.Errorf("the organisations list has no \"Short name\" column or no creation day %q", web.FormatDate(time.Now()))
	}
	resp, body = adm.Post(orgPage+"/advisors", url.Values{"advisor": {handlerstest.Itoa(e.Advisor.ID)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign = %d\n%s", resp.StatusCode, body)
	}
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	if resp, _ := adv.Get("/orgs/moh-c"); resp.StatusCode != http.StatusOK {
		t.Errorf("assigned advisor cannot see the organisation: %d", resp.StatusCode)
	}
	if resp, _ := adm.Post(orgPage+"/advisors", url.Values{"advisor": {handlerstest.Itoa(e.Viewer.ID)}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("assigning a viewer as advisor = %d, want 400", resp.StatusCode)
	}
	adm.Post(orgPage+"/advisors/"+handlerstest.Itoa(e.Advisor.ID)+"/remove", url.Values{})
	if resp, _ := adv.Get("/orgs/moh-c"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unassigned advisor still sees the organisation: %d", resp.StatusCode)
	}

	// Moving the viewer of A to C takes A away from them.
	viewer := e.Browser(t)
	viewer.SignIn("viewer@example.org")
	orgC, _ := e.St.OrganisationBySlugForOperator(context.Background(), "moh-c")
	if resp, _ := adm.Post("/admin/users/"+handlerstest.Itoa(e.Viewer.ID)+"/role", url.Values{"role": {"viewer"}, "organisation": {handlerstest.Itoa(orgC.ID)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change role = %d", resp.StatusCode)
	}
	if resp, _ := viewer.Get("/orgs/moh-a"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("moved viewer still sees the old organisation: %d", resp.StatusCode)
	}
	if resp, _ := viewer.Get("/orgs/moh-c"); resp.StatusCode != http.StatusOK {
		t.Errorf("moved viewer cannot see the new organisation: %d", resp.StatusCode)
	}
	if resp, body := adm.Post("/admin/users/"+handlerstest.Itoa(e.Admin.ID)+"/role", url.Values{"role": {"viewer"}, "organisation": {handlerstest.Itoa(orgC.ID)}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "your own administrator role") {
		t.Errorf("admin demoting themselves = %d", resp.StatusCode)
	}
}

func TestAccountChanges(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	other := e.Browser(t)
	other.SignIn("manager@example.org")
	if resp, body := b.Post("/account", url.Values{"name": {"  "}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter your name") {
		t.Errorf("empty name = %d", resp.StatusCode)
	}
	if resp, _ := b.Post("/account", url.Values{"name": {"Grace Manager"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("rename = %d", resp.StatusCode)
	}
	if _, body := b.Get("/account"); !strings.Contains(body, "Grace Manager") || !strings.Contains(body, "Your name has been saved.") {
		t.Error("new name or confirmation missing")
	}
	if resp, body := b.Post("/account/password", url.Values{"current": {"wrong"}, "password": {"a new long passphrase"}, "confirm": {"a new long passphrase"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "not your current password") {
		t.Errorf("wrong current password = %d", resp.StatusCode)
	}
	if resp, _ := b.Post("/account/password", url.Values{"current": {handlerstest.Password}, "password": {"a new long passphrase"}, "confirm": {"a new long passphrase"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password = %d", resp.StatusCode)
	}
	if resp, _ := b.Get("/account"); resp.StatusCode != http.StatusOK {
		t.Errorf("the session that changed the password was ended: %d", resp.StatusCode)
	}
	if resp, _ := other.Get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("another session survived the password change: %d", resp.StatusCode)
	}
}

// hangingMailer is a mail server that does not answer until released.
type hangingMailer struct {
	release chan struct{}
	sent    chan mail.Message
}

func (m hangingMailer) Send(ctx context.Context, msg mail.Message) error {
	select {
	case <-m.release:
		m.sent <- msg
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// The reset page answers without waiting for the mail server, so how long
// it takes cannot tell whether the address has an account.
func TestForgotPasswordDoesNotWaitForTheMailServer(t *testing.T) {
	m := hangingMailer{release: make(chan struct{}), sent: make(chan mail.Message, 1)}
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Mailer = m })
	e.Mail.Pool = nil // this test reads its own mailer
	e.StartJobs(t)
	b := e.Browser(t)
	b.Client.Timeout = 10 * time.Second // a request stuck behind the mail server fails here
	resp, body := b.Post("/password/forgot", url.Values{"email": {"viewer@example.org"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "If an account exists for") {
		t.Fatalf("forgot while the mail server hangs = %d", resp.StatusCode)
	}
	close(m.release)
	if msg := <-m.sent; msg.To != "viewer@example.org" {
		t.Errorf("reset e-mail went to %q", msg.To)
	}
}

// TestAdminLinks: without a mail server, an admin makes the invitation (or
// the password reset) link and passes it on; it works once, and the audit
// trail says who made it.
func TestAdminLinks(t *testing.T) {
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Mailer = mail.Log{Logger: slog.New(slog.DiscardHandler)} })
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	resp, _ := adm.Post("/admin/users", url.Values{"name": {"Kofi Mensah"}, "email": {"kofi@example.org"}, "role": {"advisor"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite = %d", resp.StatusCode)
	}
	page := resp.Header.Get("Location")
	_, body := adm.Get(page)
	if !strings.Contains(body, "no e-mail reaches them") || !strings.Contains(body, "SMTP_HOST") || !strings.Contains(body, "Make an invitation link") {
		t.Errorf("the user's page does not say that no e-mail was sent, or offers no link:\n%s", body)
	}
	if strings.Contains(body, "Send a new invitation") {
		t.Error("without a mail server the page still offers to e-mail a new invitation")
	}
	if _, body := adm.Get("/admin/users"); !strings.Contains(body, "no e-mail reaches them") || !strings.Contains(body, ">Add them</button>") {
		t.Errorf("the invitation form promises an e-mail on a server without one:\n%s", body)
	}
	resp, body = adm.Post(page+"/link", url.Values{})
	link := regexp.MustCompile(`value="(https?://[^"]+/invitations/[^"]+)"`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || link == nil || !strings.Contains(body, "Invitation link for Kofi Mensah") {
		t.Fatalf("make a link = %d, link %v\n%s", resp.StatusCode, link, body)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") { // render's default
		t.Errorf("the page with the link may be cached: Cache-Control %q", cc)
	}
	// Reloaded or bookmarked, the page of the link leads back to the
	// person's page, saying why the link is not there.
	if resp, _ := adm.Get(page + "/link"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page {
		t.Errorf("GET the link's page = %d to %q, want 303 to %s", resp.StatusCode, resp.Header.Get("Location"), page)
	} else if _, body := adm.Get(page); !strings.Contains(body, "A link is shown only once") {
		t.Error("the person's page does not say why the link is not shown again")
	}
	// Opened in the admin's own browser, the link says whose password it
	// sets, and that it signs the admin out.
	if _, body := adm.Get(path(t, link[1])); !strings.Contains(body, "You are signed in as <bdi>admin</bdi> in this browser. Setting this password signs you in as <bdi>kofi@example.org</bdi> instead") {
		t.Error("the invitation opened while signed in as someone else does not say so")
	}
	kofi := e.Browser(t)
	if _, body := kofi.Get(path(t, link[1])); strings.Contains(body, "You are signed in as") {
		t.Error("the invitation warns a browser where no one is signed in")
	}
	if resp, _ := kofi.Post(path(t, link[1]), url.Values{"name": {"Kofi Mensah"}, "password": {"a good long passphrase"}, "confirm": {"a good long passphrase"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept the admin's link = %d", resp.StatusCode)
	}
	if resp, _ := e.Browser(t).Get(path(t, link[1])); resp.StatusCode != http.StatusGone {
		t.Errorf("the link works twice: %d", resp.StatusCode)
	}

	// Kofi has a password now: the link made next is a password reset, and
	// his password stays until he uses it.
	_, body = adm.Get(page)
	if !strings.Contains(body, "Make a password reset link") || strings.Contains(body, "Make an invitation link") {
		t.Errorf("for someone with a password the page should offer a reset link only:\n%s", body)
	}
	_, body = adm.Post(page+"/link", url.Values{})
	reset := regexp.MustCompile(`value="(https?://[^"]+/password/reset/[^"]+)"`).FindStringSubmatch(body)
	if reset == nil || !strings.Contains(body, "Password reset link for Kofi Mensah") {
		t.Fatalf("no reset link:\n%s", body)
	}
	if resp, _ := e.Browser(t).Post("/signin", url.Values{"email": {"kofi@example.org"}, "password": {"a good long passphrase"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("making a reset link changed the password: sign-in = %d", resp.StatusCode)
	}
	if resp, _ := e.Browser(t).Post(path(t, reset[1]), url.Values{"password": {"another long phrase"}, "confirm": {"another long phrase"}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("use the reset link = %d", resp.StatusCode)
	}
	if resp, _ := kofi.Get("/account"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("Kofi's session survived the reset: %d", resp.StatusCode)
	}

	// The audit trail names the admin who made each link, and the password
	// set with it says whose link it was.
	_, body = adm.Get("/admin/audit?kind=link")
	if strings.Count(body, "link made, to send by hand") != 2 || !strings.Contains(body, "Sign-in link") {
		t.Errorf("the audit trail does not show the two links:\n%s", body)
	}
	for _, row := range regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(body, -1) {
		if strings.Contains(row, "link made") && !strings.Contains(row, "admin@example.org") {
			t.Errorf("an audit row of a link does not name the admin who made it:\n%s", row)
		}
	}
	if _, body := adm.Get("/admin/audit?kind=password"); !strings.Contains(body, "password reset with a single-use link, made by admin to send by hand") {
		t.Errorf("the password reset does not say whose link it was:\n%s", body)
	}

	// No link for a deactivated user, nor for oneself.
	adm.Post(page+"/active", url.Values{"active": {"false"}})
	if resp, body := adm.Post(page+"/link", url.Values{}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "reactivate them first") {
		t.Errorf("link for a deactivated user = %d", resp.StatusCode)
	}
	if resp, _ := adm.Post("/admin/users/"+handlerstest.Itoa(e.Admin.ID)+"/link", url.Values{}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("link for oneself = %d", resp.StatusCode)
	}

	// Someone who forgot their password learns whom to ask, not that an
	// e-mail is on its way.
	if _, body := e.Browser(t).Get("/password/forgot"); !strings.Contains(body, "sends no e-mail") || !strings.Contains(body, "Ask your administrator") || strings.Contains(body, "Send the link") {
		t.Errorf("the forgotten-password page on a server without mail:\n%s", body)
	}

	// The account page's choice of notification e-mails says none is sent
	// for now, where a mail server sends them.
	if _, body := adm.Get("/account"); !strings.Contains(body, "This server sends no e-mail for now") {
		t.Error("the account page offers notification e-mails on a server without mail, and does not say none is sent")
	}

	// With a mail server the page offers both: e-mail, or a link to pass on.
	m := handlerstest.NewEnv(t)
	a := m.Browser(t)
	a.SignIn("admin@example.org")
	if _, body := a.Get("/account"); strings.Contains(body, "sends no e-mail") || !strings.Contains(body, "Save e-mail choice") {
		t.Error("with a mail server the account page says no e-mail is sent, or offers no choice")
	}
	resp, _ = a.Post("/admin/users", url.Values{"name": {"Ama"}, "email": {"ama@example.org"}, "role": {"advisor"}})
	_, body = a.Get(resp.Header.Get("Location"))
	if !strings.Contains(body, "Send a new invitation") || !strings.Contains(body, "Make an invitation link") || strings.Contains(body, "SMTP_HOST") {
		t.Errorf("with a mail server the page should offer both, without the warning:\n%s", body)
	}
	// Where e-mail works, people reset their own password: no reset link
	// for an admin to hold.
	viewer := "/admin/users/" + handlerstest.Itoa(m.Viewer.ID)
	if _, body := a.Get(viewer); strings.Contains(body, "Make a password reset link") {
		t.Error("with a mail server the page offers a password reset link")
	}
	if resp, body := a.Post(viewer+"/link", url.Values{}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Forgot your password?") {
		t.Errorf("reset link with a mail server = %d", resp.StatusCode)
	}
}

// The page warns before the session ends as the server will end it: after
// the idle timeout, or for "keep me signed in" after the longer one (it
// told such people their session had ended after eight hours).
func TestIdleWarningFollowsTheSessionKind(t *testing.T) {
	times := store.SessionTimes{Idle: 2 * time.Hour, Lifetime: 24 * time.Hour, Remember: 72 * time.Hour}
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Sessions = times })
	meta := regexp.MustCompile(`<meta name="gw-idle-timeout" content="(\d+)"`)
	leftMs := regexp.MustCompile(`<meta name="gw-idle-timeout" content="\d+" data-left-ms="(\d+)"`)
	for _, c := range []struct {
		remember string
		want     time.Duration
	}{{"", times.Idle}, {"on", times.Remember}} {
		b := e.Browser(t)
		if resp, body := b.Post("/signin", url.Values{"email": {"viewer@example.org"}, "password": {handlerstest.Password}, "remember": {c.remember}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in = %d\n%.300s", resp.StatusCode, body)
		}
		_, page := b.Get("/account")
		m := meta.FindStringSubmatch(page)
		if m == nil || m[1] != strconv.Itoa(int(c.want.Seconds())) {
			t.Errorf("remember %q: the page warns after %v s, want %v", c.remember, m, c.want.Seconds())
		}
		// The last-seen time is written at most once a minute: 30 s after
		// it, a request leaves the session 30 s less than the timeout, and
		// the page and the header of every answer say so.
		if _, err := e.Pool.Exec(t.Context(), `UPDATE sessions SET last_seen_at = now() - interval '30 seconds'`); err != nil {
			t.Fatal(err)
		}
		_, page = b.Get("/account")
		left := leftMs.FindStringSubmatch(page)
		resp, _ := b.Do(http.MethodGet, "/account", nil, "HX-Request", "true") // a page's own request
		header, _ := strconv.ParseInt(resp.Header.Get("Gw-Idle-Left"), 10, 64)
		if left == nil {
			t.Fatalf("remember %q: no data-left-ms on the page", c.remember)
		}
		want := (c.want - 30*time.Second).Milliseconds()
		if page, _ := strconv.ParseInt(left[1], 10, 64); header < want-2000 || header > want || page < want-2000 || page > want {
			t.Errorf("remember %q, 30 s after the last-seen time: header %d ms, page %v; want about %d ms in both", c.remember, header, left, want)
		}
		if resp, _ := b.Get("/account"); resp.Header.Get("Gw-Idle-Left") != "" {
			t.Errorf("remember %q: a page (not a page's own request) carries Gw-Idle-Left, which a shared cache could keep", c.remember)
		}
	}
}

// A new invitation, e-mailed or made as a link to pass on, ends the
// earlier links: they answer 410 as a used link does, and the page showing
// the new link says so. A new password reset link ends the earlier one.
func TestNewLinkEndsEarlierOnes(t *testing.T) {
	e := handlerstest.NewEnv(t)
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	resp, _ := adm.Post("/admin/users", url.Values{"name": {"Kofi Mensah"}, "email": {"kofi@example.org"}, "role": {"advisor"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite = %d", resp.StatusCode)
	}
	page := resp.Header.Get("Location")
	mailed := path(t, e.Mail.Link(t, "kofi@example.org"))
	works := func(link string) int {
		resp, _ := e.Browser(t).Get(link)
		return resp.StatusCode
	}
	if got := works(mailed); got != http.StatusOK {
		t.Fatalf("the e-mailed invitation = %d", got)
	}

	_, body := adm.Post(page+"/link", url.Values{})
	made := regexp.MustCompile(`value="(https?://[^"]+/invitations/[^"]+)"`).FindStringSubmatch(body)
	if made == nil {
		t.Fatalf("no link made:\n%s", body)
	}
	if !strings.Contains(body, "Earlier invitation links for Kofi Mensah, e-mailed or made here, no longer work.") {
		t.Errorf("the page with the new link does not say the earlier ones no longer work:\n%s", body)
	}
	if got := works(mailed); got != http.StatusGone {
		t.Errorf("the e-mailed invitation after a link was made = %d, want 410", got)
	}
	if got := works(path(t, made[1])); got != http.StatusOK {
		t.Errorf("the link made = %d, want 200", got)
	}

	// A new invitation e-mailed ends the link made by hand.
	adm.Post(page+"/invite", url.Values{})
	if _, body := adm.Get(page); !strings.Contains(body, "Once it goes out, the links of earlier invitations no longer work.") {
		t.Errorf("the re-invitation's message does not say the earlier links end:\n%s", body)
	}
	again := path(t, e.Mail.Link(t, "kofi@example.org"))
	if again == mailed || works(again) != http.StatusOK {
		t.Fatalf("the new invitation's link %s does not work", again)
	}
	if got := works(path(t, made[1])); got != http.StatusGone {
		t.Errorf("the link made by hand after a new invitation = %d, want 410", got)
	}

	// Two reset e-mails: only the second link works.
	forgot := e.Browser(t)
	forgot.Post("/password/forgot", url.Values{"email": {"viewer@example.org"}})
	first := path(t, e.Mail.Link(t, "viewer@example.org"))
	forgot.Post("/password/forgot", url.Values{"email": {"viewer@example.org"}})
	second := path(t, e.Mail.Link(t, "viewer@example.org"))
	if first == second || works(first) != http.StatusGone || works(second) != http.StatusOK {
		t.Errorf("after a second reset e-mail: first = %d, second = %d; want 410 and 200", works(first), works(second))
	}
}

// An advisor's invitation, in its e-mail and on its page, names the
// organisations they are to review (they have none of their own).
func TestAdvisorInvitationNamesTheirOrganisations(t *testing.T) {
	e := handlerstest.NewEnv(t)
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	if resp, body := adm.Post("/admin/users", url.Values{"name": {"Fatou Diallo"}, "email": {"fatou@example.org"}, "role": {"advisor"}, "organisation": {handlerstest.Itoa(e.OrgA.ID)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite = %d\n%s", resp.StatusCode, body)
	}
	link := e.Mail.Link(t, "fatou@example.org")
	e.Mail.Mu.Lock()
	var body string
	for _, m := range e.Mail.Sent {
		if m.To == "fatou@example.org" {
			body = m.Body
		}
	}
	e.Mail.Mu.Unlock()
	if !strings.Contains(body, "has invited you to Groundwork as Advisor, reviewing Ministry A.") {
		t.Errorf("the advisor's invitation e-mail does not name the organisation:\n%s", body)
	}
	if _, page := e.Browser(t).Get(path(t, link)); !strings.Contains(page, "You have been invited as Advisor, reviewing Ministry A.") {
		t.Error("the advisor's invitation page does not name the organisation")
	}
}

package site_test

import (
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"groundwork/handlers"
	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
	"groundwork/mail"
	"groundwork/store"
)

func TestInviteAcceptSignInSignOutInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	admin := browsertest.Tab(t, chromedp.WithNewBrowserContext())

	// The admin signs in through the form and invites a program manager.
	browsertest.Do(t, admin,
		chromedp.Navigate(e.Srv.URL+"/admin/users"), // not signed in: sent to sign in, and back
		chromedp.WaitVisible(chromedp.ID("f-email")),
		handlerstest.TypeInto("f-email", "admin@example.org"),
		handlerstest.TypeInto("f-password", handlerstest.Password),
	)
	browsertest.CheckAccessibility(t, admin)
	browsertest.Screenshot(t, admin, "signin")
	browsertest.Do(t, admin,
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("invite")),
	)
	if loc := browsertest.Run(t, admin, chromedp.Location()); !strings.HasSuffix(loc, "/admin/users") {
		t.Errorf("after sign-in the admin is at %s, want back at /admin/users", loc)
	}
	browsertest.Do(t, admin,
		handlerstest.TypeInto("f-name", "Amina Otieno"),
		handlerstest.TypeInto("f-email", "amina@moh.example.org"),
		chromedp.SetValue(chromedp.ID("f-role"), "manager"),
		chromedp.SetValue(chromedp.ID("f-organisation"), handlerstest.Itoa(e.OrgA.ID)),
	)
	browsertest.CheckAccessibility(t, admin)
	browsertest.Screenshot(t, admin, "admin-users")
	browsertest.Do(t, admin,
		chromedp.Click(chromedp.CSS(`form[action="/admin/users"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice.ok")),
	)
	if flash := browsertest.Run(t, admin, chromedp.Text(chromedp.CSS(".notice.ok"))); !strings.Contains(flash, "Invitation sent to amina@moh.example.org") {
		t.Errorf("flash = %q", flash)
	}
	browsertest.CheckAccessibility(t, admin)
	browsertest.Screenshot(t, admin, "admin-user")

	// The invitee, in a browser of their own, follows the e-mailed link.
	invitee := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	browsertest.ExpectConsoleError(invitee, "422 (Unprocessable Entity)") // the refused form below
	browsertest.Do(t, invitee, chromedp.Navigate(e.Mail.Link(t, "amina@moh.example.org")), chromedp.WaitVisible(chromedp.ID("f-password")))
	if name := browsertest.Run(t, invitee, chromedp.Value(chromedp.ID("f-name"))); name != "Amina Otieno" {
		t.Errorf("name field = %q, want the invited name", name)
	}
	// A mismatch first: the error shows, focus goes to the summary.
	browsertest.Do(t, invitee,
		handlerstest.TypeInto("f-password", "a good long passphrase"),
		handlerstest.TypeInto("f-confirm", "a different passphrase"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	if focus := browsertest.Run(t, invitee, chromedp.Evaluate[string](`document.activeElement.className`)); !strings.Contains(focus, "error-summary") {
		t.Errorf("focus after a refused form is on %q, want the error summary", focus)
	}
	browsertest.CheckAccessibility(t, invitee)
	browsertest.Screenshot(t, invitee, "invitation-error")
	browsertest.Do(t, invitee,
		handlerstest.TypeInto("f-password", "a good long passphrase"),
		handlerstest.TypeInto("f-confirm", "a good long passphrase"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".notice.ok")),
	)
	if h1 := browsertest.Run(t, invitee, chromedp.Text(chromedp.CSS("h1"))); h1 != "Welcome, Amina Otieno" {
		t.Errorf("after accepting: h1 = %q", h1)
	}
	browsertest.CheckAccessibility(t, invitee)
	browsertest.Screenshot(t, invitee, "dashboard-manager")

	// Sign out, then sign in again with the new password.
	browsertest.Do(t, invitee,
		chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
		chromedp.WaitVisible(chromedp.ID("f-email")),
	)
	if flash := browsertest.Run(t, invitee, chromedp.Text(chromedp.CSS(".notice.ok"))); flash != "You have signed out." {
		t.Errorf("after sign-out: %q", flash)
	}
	browsertest.Do(t, invitee,
		handlerstest.TypeInto("f-email", "amina@moh.example.org"),
		handlerstest.TypeInto("f-password", "a good long passphrase"),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".nav-account")),
	)
	if who := browsertest.Run(t, invitee, chromedp.Text(chromedp.CSS(".nav-account"))); who != "Amina Otieno" {
		t.Errorf("signed in as %q", who)
	}
	browsertest.Do(t, invitee,
		chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
		chromedp.WaitVisible(chromedp.ID("f-email")),
	)
	u, _ := e.St.UserByEmail(t.Context(), "amina@moh.example.org")
	if n, _ := e.St.SessionCount(t.Context(), u.ID); n != 0 {
		t.Errorf("%d sessions left after signing out", n)
	}
}

// TestSessionWarningKeepsTypedInput signs in with a 6-second idle timeout,
// types into a form without saving, and watches the warning come (leaving
// the focus in the field typed in), be dismissed, come back and go again as
// the person types, and end the session, with the typed text intact and a
// link to sign in again in a new tab.
func TestSessionWarningKeepsTypedInput(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t, func(o *handlers.Options) {
		o.Sessions = store.SessionTimes{Idle: 6 * time.Second, Lifetime: time.Hour, Remember: time.Hour}
	})
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	// Earlier in this browser: a "keep me signed in" session, signed out.
	// Its deadline (an hour here) is not taken for the next session's.
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/signin?next=/account"),
		handlerstest.TypeInto("f-email", "viewer@example.org"),
		handlerstest.TypeInto("f-password", handlerstest.Password),
		chromedp.Click(chromedp.ID("f-remember")),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("f-current")),
		chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
		chromedp.WaitVisible(chromedp.ID("f-email")),
	)
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/signin?next=/account"),
		handlerstest.TypeInto("f-email", "viewer@example.org"),
		handlerstest.TypeInto("f-password", handlerstest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("f-current")),
		handlerstest.TypeInto("f-name", "Half-typed name"),
		chromedp.WaitVisible(chromedp.ID("session-warning")), // about 4.5 s after the page loaded
	)
	if msg := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("session-warning-text"))); !strings.Contains(msg, "You will be signed out in 1 minute") {
		t.Errorf("warning = %q", msg)
	}
	if focus := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); focus != "f-name" {
		t.Errorf("focus on %q, want it left in the field being typed in (the next keys would go to the button)", focus)
	}
	browsertest.Do(t, tab, handlerstest.Until(`document.getElementById("session-said").textContent !== ""`))
	if said := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.getElementById("session-said").textContent`)); !strings.Contains(said, "You will be signed out in 1 minute") {
		t.Errorf("with the focus left in the field, the status region says %q, want the warning", said)
	}
	browsertest.Screenshot(t, tab, "session-warning")
	browsertest.Do(t, tab, chromedp.Click(chromedp.ID("session-stay")), chromedp.WaitNotVisible(chromedp.ID("session-warning")))
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("f-name"))); v != "Half-typed name" {
		t.Errorf("typed text after staying signed in = %q", v)
	}
	if focus := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); focus != "f-name" {
		t.Errorf("after staying signed in focus is on %q, want back in the field being typed in", focus)
	}
	// Typing while it is up is activity: the session goes on.
	browsertest.Do(t, tab,
		chromedp.WaitVisible(chromedp.ID("session-warning")),
		chromedp.SendKeys(chromedp.ID("f-name"), "!"),
		chromedp.WaitNotVisible(chromedp.ID("session-warning")),
	)
	// Ignored this time: the session ends, the text stays.
	browsertest.Do(t, tab, chromedp.WaitVisible(chromedp.CSS("#session-warning.ended")))
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("f-name"))); v != "Half-typed name!" {
		t.Errorf("typed text after the session ended = %q", v)
	}
	shown := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`["session-stay", "session-signin"].map(id => getComputedStyle(document.getElementById(id)).display)`))
	href := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.getElementById("session-signin").getAttribute("href")`))
	if shown[0] != "none" || shown[1] == "none" || href != "/signin?next=%2Faccount" {
		t.Errorf("ended: Stay signed in displayed %q, the sign-in link %q to %q; want only the link, back to /account", shown[0], shown[1], href)
	}
	browsertest.Screenshot(t, tab, "session-ended")
	// The page counts from the session's last-seen time, which the server
	// writes at most every eighth of the idle timeout here, not from its
	// last request: when it says the session ended, it has (a request now
	// would have renewed it).
	status := browsertest.Run(t, tab, chromedp.Evaluate[int](`fetch("/account", {redirect: "manual"}).then(r => r.type === "opaqueredirect" ? 303 : r.status)`, chromedp.EvalAwaitPromise))
	if status != 303 {
		t.Errorf("when the page says the session ended, the server still serves /account (%d)", status)
	}
}

// A session in use in another tab is not ended in this idle one: the tabs
// of a browser share the latest deadline they heard of. Once both are
// idle, it ends in both.
func TestAnotherTabKeepsTheSessionAlive(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t, func(o *handlers.Options) {
		o.Sessions = store.SessionTimes{Idle: 6 * time.Second, Lifetime: time.Hour, Remember: time.Hour}
	})
	tab := browsertest.Tab(t)
	handlerstest.SignInTab(t, tab, e, "viewer@example.org")
	other := browsertest.TabBeside(t, tab)
	for _, tab := range []context.Context{tab, other} {
		browsertest.Do(t, tab, chromedp.Navigate(e.Srv.URL+"/account"), chromedp.WaitVisible(chromedp.ID("f-current")))
	}
	// Longer than the timeout, the other tab in use, this one idle.
	for until := time.Now().Add(9 * time.Second); time.Now().Before(until); time.Sleep(1500 * time.Millisecond) {
		browsertest.Do(t, other, chromedp.Evaluate[chromedp.Void](`document.getElementById("session-stay").click()`))
	}
	if ended := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.getElementById("session-warning").classList.contains("ended")`)); ended {
		t.Error("the idle tab says the session ended while another tab kept it alive")
	}
	browsertest.Do(t, tab, chromedp.WaitVisible(chromedp.CSS("#session-warning.ended")))
	browsertest.Do(t, other, chromedp.WaitVisible(chromedp.CSS("#session-warning.ended")))
}

// TestAdminLinkInABrowser: on a server without a mail server the admin
// invites someone, makes their link, copies it with the button, and the
// invitee opens the copied link in a browser of their own.
func TestAdminLinkInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Mailer = mail.Log{Logger: slog.New(slog.DiscardHandler)} })
	admin := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	handlerstest.SignInTab(t, admin, e, "admin@example.org")
	browsertest.Do(t, admin,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			for _, name := range []string{"clipboard-read", "clipboard-write"} {
				if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetPermission, cdpbrowser.SetPermissionParams{
					Permission: &cdpbrowser.PermissionDescriptor{Name: name}, Setting: cdpbrowser.PermissionSettingGranted,
					Origin: e.Srv.URL, BrowserContextID: chromedp.FromContext(ctx).BrowserContextID}); err != nil {
					return err
				}
			}
			return nil
		}),
		chromedp.Navigate(e.Srv.URL+"/admin/users"),
		chromedp.WaitVisible(chromedp.ID("invite")),
		handlerstest.TypeInto("f-name", "Kofi Mensah"),
		handlerstest.TypeInto("f-email", "kofi@example.org"),
		chromedp.SetValue(chromedp.ID("f-role"), "advisor"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/users"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice.ok")),
	)
	if flash := browsertest.Run(t, admin, chromedp.Text(chromedp.CSS(".notice.ok"))); !strings.Contains(flash, "no e-mail reaches them") {
		t.Errorf("flash = %q, want it to say that no e-mail was sent", flash)
	}
	browsertest.Do(t, admin,
		chromedp.Click(chromedp.CSS(`form[action$="/link"] button`)),
		chromedp.WaitVisible(chromedp.ID("signin-link")),
	)
	if focus := browsertest.Run(t, admin, chromedp.Evaluate[string](`document.activeElement.id`)); focus != "signin-link-made" {
		t.Errorf("after making the link, focus is on %q, want the notice with the link", focus)
	}
	link := browsertest.Run(t, admin, chromedp.Value(chromedp.ID("signin-link")))
	if !strings.Contains(link, "/invitations/") {
		t.Fatalf("the link box holds %q", link)
	}
	browsertest.Do(t, admin, chromedp.Click(chromedp.CSS(`button[data-copy]`)))
	copied := browsertest.Run(t, admin, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
	if copied != link {
		t.Errorf("the clipboard holds %q, want the link", copied)
	}
	if said := browsertest.Run(t, admin, chromedp.Text(chromedp.ID("signin-link-copied"))); said != "Copied." {
		t.Errorf("the status beside the copy button says %q, want Copied.", said)
	}
	// The page shown after the post has the user's own address: a reload
	// shows the user, it does not post again (making a link that would
	// end the one just passed on).
	userPage := browsertest.Run(t, admin, chromedp.Evaluate[string](`location.pathname`))
	if !regexp.MustCompile(`^/admin/users/\d+$`).MatchString(userPage) {
		t.Errorf("after making a link the address is %s, want the user's page", userPage)
	}
	for _, width := range []int64{1280, 390} {
		browsertest.Do(t, admin, chromedp.EmulateViewport(width, 900))
		browsertest.CheckAccessibility(t, admin)
		browsertest.Screenshot(t, admin, "admin-link-"+strconv.FormatInt(width, 10))
		if w := browsertest.Run(t, admin, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > int(width) {
			t.Errorf("at %d px the page is %d px wide", width, w)
		}
	}

	// Without a mail server the invitation form and the forgotten-password
	// page say how the link reaches people instead of promising an e-mail.
	for _, pg := range []struct{ path, want, name string }{
		{"/admin/users", "no e-mail reaches them", "admin-users-nomail"},
	} {
		browsertest.Do(t, admin, chromedp.Navigate(e.Srv.URL+pg.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if body := browsertest.Run(t, admin, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, pg.want) {
			t.Errorf("%s does not say %q", pg.path, pg.want)
		}
		for _, width := range []int64{1280, 390} {
			browsertest.Do(t, admin, chromedp.EmulateViewport(width, 900))
			browsertest.CheckAccessibility(t, admin)
			browsertest.Screenshot(t, admin, pg.name+"-"+strconv.FormatInt(width, 10))
		}
	}
	// Deactivating asks first; no changes nothing.
	asked := handlerstest.AnswerDialogs(admin, false)
	browsertest.Do(t, admin, chromedp.Navigate(e.Srv.URL+userPage), chromedp.WaitVisible(chromedp.CSS("main h1")),
		chromedp.Evaluate[chromedp.Void](`setTimeout(() => document.querySelector("button.danger[data-confirm]").click())`))
	if got := asked(); got != "Deactivate \u2068Kofi Mensah\u2069? They are signed out everywhere at once; you can reactivate them later." {
		t.Errorf("Deactivate asked %q", got)
	}
	if still := browsertest.Run(t, admin, chromedp.Evaluate[string](`location.pathname + " " + !!document.querySelector("button.danger[data-confirm]")`)); still != userPage+" true" {
		t.Errorf("after no to Deactivate: %q, want the page unchanged", still)
	}
	kofi := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	browsertest.Do(t, kofi, chromedp.Navigate(e.Srv.URL+"/password/forgot"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if body := browsertest.Run(t, kofi, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, "Ask your administrator") {
		t.Errorf("/password/forgot does not send people to their administrator: %q", body)
	}
	for _, width := range []int64{1280, 390} {
		browsertest.Do(t, kofi, chromedp.EmulateViewport(width, 900))
		browsertest.CheckAccessibility(t, kofi)
		browsertest.Screenshot(t, kofi, "forgot-nomail-"+strconv.FormatInt(width, 10))
	}
	browsertest.Do(t, kofi,
		chromedp.EmulateViewport(1280, 900), // the header's links show without the menu
		chromedp.Navigate(copied),
		chromedp.WaitVisible(chromedp.ID("f-password")),
		handlerstest.TypeInto("f-password", "a good long passphrase"),
		handlerstest.TypeInto("f-confirm", "a good long passphrase"),
		chromedp.Click(chromedp.CSS("main form button[type=submit]")),
		// Signed in: the header has "Sign out" (signed out, it too has a
		// .nav-account, the "Sign in" link).
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"] button`)),
	)
	if who := browsertest.Run(t, kofi, chromedp.Text(chromedp.CSS(".nav-account"))); who != "Kofi Mensah" {
		t.Errorf("signed in as %q", who)
	}
}

// TestStayAfterTheSessionEndedSaysSo: the session ended on the server
// (signed out elsewhere) while the warning was up; "Stay signed in" then
// says so, rather than hide the warning as if it had worked (its request
// was sent on to the sign-in page, which answered 200).
func TestStayAfterTheSessionEndedSaysSo(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t, func(o *handlers.Options) {
		o.Sessions = store.SessionTimes{Idle: 6 * time.Second, Lifetime: time.Hour, Remember: time.Hour}
	})
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	browsertest.ExpectConsoleError(tab, "401 (Unauthorized)")
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/signin?next=/account"),
		handlerstest.TypeInto("f-email", "viewer@example.org"),
		handlerstest.TypeInto("f-password", handlerstest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("session-stay")),
	)
	// Nothing had the focus when the warning came: after staying, the
	// focus is on the page's main part, not lost to the document.
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.ID("session-stay")),
		chromedp.WaitNotVisible(chromedp.ID("session-warning")),
	)
	if id := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); id != "main" {
		t.Errorf("after Stay signed in the focus is on %q, want the main part of the page", id)
	}
	browsertest.Do(t, tab, chromedp.WaitVisible(chromedp.ID("session-stay")))
	if _, err := e.Pool.Exec(t.Context(), `DELETE FROM sessions`); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.ID("session-stay")),
		chromedp.WaitVisible(chromedp.CSS("#session-warning.ended")),
	)
	if msg := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("session-warning-text"))); !strings.HasPrefix(msg, "You are signed out.") {
		t.Errorf("after Stay signed in on an ended session the banner says %q", msg)
	}
}

// TestLongAddressesFitANarrowScreen: a long e-mail address in the facts of
// the account page and of a user's page (and the set-password page) breaks
// instead of pushing the page wider than a phone.
func TestLongAddressesFitANarrowScreen(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Mailer = mail.Log{Logger: slog.New(slog.DiscardHandler)} })
	long, err := e.St.CreateUser(t.Context(), store.NewUser{Email: "programme.manager.immunisation@ministry-of-health.example.org", Name: "Wanjiru Kamau",
		Role: store.RoleManager, OrganisationID: e.OrgA.ID, Password: handlerstest.Password})
	if err != nil {
		t.Fatal(err)
	}
	invited, err := e.St.CreateUser(t.Context(), store.NewUser{Email: "monitoring.evaluation.officer@ministry-of-health.example.org", Name: "Otieno Odhiambo",
		Role: store.RoleViewer, OrganisationID: e.OrgA.ID, By: e.Admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := e.St.AdminLink(t.Context(), e.Admin.ID, invited.ID, func(store.TokenPurpose) time.Duration { return time.Hour })
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct{ who, path string }{
		{long.Email, "/account"},
		{"admin@example.org", "/admin/users/" + handlerstest.Itoa(long.ID)},
		{"", "/invitations/" + token},
	} {
		tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
		if v.who != "" {
			handlerstest.SignInTab(t, tab, e, v.who)
		}
		for _, width := range []int{320, 390} {
			browsertest.Do(t, tab,
				chromedp.EmulateViewport(int64(width), 900),
				chromedp.Navigate(e.Srv.URL+v.path),
				chromedp.WaitVisible(chromedp.CSS("main h1")),
			)
			if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > width {
				t.Errorf("%s at %d px: the page is %d px wide", v.path, width, w)
			}
		}
	}
}

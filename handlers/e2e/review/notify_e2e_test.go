package review_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// TestNotificationsInABrowser: the manager sees the unread count in the
// header (and on the phone's Menu button), lists the notifications, marks
// one and then all read, and follows one to its phase; someone with none
// sees the empty state; the account page sets the digest, then no e-mails.
func TestNotificationsInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	manager, advisor := e.Browser(t), e.Browser(t)
	manager.SignIn("manager@example.org")
	advisor.SignIn("advisor@example.org")
	base := handlerstest.ReviewCycle(t, manager, advisor)

	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	handlerstest.SignInTab(t, tab, e, "manager@example.org")
	count := func() string {
		return browsertest.Run(t, tab, chromedp.Evaluate[string](`(document.querySelector(".nav-notes .nav-count") || {textContent: ""}).textContent`))
	}
	if got := count(); got != "2 unread" {
		t.Errorf("header count = %q, want %q", got, "2 unread")
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector(".nav-notes").textContent.replace(/\s+/g, " ").trim()`)); got != "Notifications 2 unread" {
		t.Errorf("header link reads %q", got)
	}
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(".nav-notes")),
		chromedp.WaitVisible(chromedp.CSS("ol.notes")),
	)
	for _, width := range []int{1280, 390} {
		browsertest.Do(t, tab, chromedp.EmulateViewport(int64(width), 900), chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("ol.notes")))
		if width == 390 {
			if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`[...document.querySelector(".nav-toggle").childNodes].filter(n => !(n.getAttribute && n.getAttribute("aria-hidden"))).map(n => n.textContent).join("").replace(/\s+/g, " ").trim()`)); got != "Menu (2 unread notifications)" {
				t.Errorf("Menu button reads %q, want the count on it", got)
			}
		}
		browsertest.CheckAccessibility(t, tab)
		browsertest.Screenshot(t, tab, fmt.Sprintf("notifications-%d", width))
	}
	browsertest.Do(t, tab, chromedp.EmulateViewport(1280, 900))
	items := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("ol.notes > li")].map(li => li.className + " | " + li.querySelector(".note-text").textContent.replace(/\s+/g, " ").trim() + " | " + ((li.querySelector(".note-detail") || {}).textContent || ""))`))
	want := []string{
		"note unread | New advisor approved “System assessment and design” of Production move 2027 (Ministry A). | ",
		"note unread | New advisor asked for changes to “System assessment and design” of Production move 2027 (Ministry A). | Add the tablet users.",
	}
	if strings.Join(items, "\n") != strings.Join(want, "\n") {
		t.Errorf("list:\n%s\nwant:\n%s", strings.Join(items, "\n"), strings.Join(want, "\n"))
	}

	// Mark the newest read: the count drops, its New badge goes.
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`ol.notes > li:first-child .note-read button`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.notes > li:first-child:not(.unread)`)),
	)
	if got := count(); got != "1 unread" {
		t.Errorf("after marking one read the header says %q", got)
	}
	// The page comes back at that notification, which says so and holds
	// the focus: a keyboard goes on from there, not from the top.
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`(a => a.closest("li.note") === document.querySelector("ol.notes > li:first-child") && a.textContent.trim())(document.activeElement)`)); got != "Marked as read." {
		t.Errorf("after Mark as read the focus is on %q, want the message in the notification", got)
	}
	browsertest.Screenshot(t, tab, "notifications-one-read-1280")
	// An unread notification leads to its phase, and following it reads
	// it: the phase page's header no longer counts it.
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`ol.notes > li:last-child .note-text a`)),
		chromedp.WaitVisible(chromedp.CSS(".phase-layout")), // the page leaves once the read is sent
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`location.pathname`)); got != base+"/phases/1.1" {
		t.Errorf("the notification led to %s, want %s", got, base+"/phases/1.1")
	}
	if got := count(); got != "" {
		t.Errorf("after following the last unread notification the header says %q", got)
	}
	// A mention on a question leads to the comment itself, opened (a
	// question's comments are folded away) and in view.
	handlerstest.Posted(t, "advisor mentions the manager", advisor, base+"/phases/1.1/comments", url.Values{"question": {"architecture_diagram_url"}, "comment": {"@manager is this the May diagram?"}})
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/notifications"),
		chromedp.Click(chromedp.CSS(`ol.notes > li.unread .note-text a`)),
		chromedp.WaitVisible(chromedp.CSS(".phase-layout")),
	)
	at := browsertest.Run(t, tab, chromedp.Evaluate[string](`(c => location.hash + "|" + (c && c.textContent.includes("is this the May diagram?")) + "|" + (c && c.checkVisibility()) + "|" +
		(c && c.getBoundingClientRect().top > -2 && c.getBoundingClientRect().bottom <= innerHeight))(document.querySelector(location.hash || "#none"))`))
	if !regexp.MustCompile(`^#cm-\d+\|true\|true\|true$`).MatchString(at) {
		t.Errorf("the mention's link: hash|the comment|shown|in view = %q, want the comment shown in view", at)
	}
	// Another, then all read at once.
	handlerstest.Posted(t, "advisor mentions the manager", advisor, base+"/phases/1.1/comments", url.Values{"comment": {"@manager thanks, all clear."}})
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/notifications"),
		chromedp.WaitVisible(chromedp.CSS(`ol.notes > li.unread`)),
		chromedp.Click(chromedp.CSS(`form[action="/notifications/read"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".notice.ok")),
	)
	if got := count(); got != "" {
		t.Errorf("after marking all read the header says %q", got)
	}
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("notes-summary"))); !strings.Contains(got, "All read.") {
		t.Errorf("summary = %q", got)
	}

	// The account page: the e-mail choice, a digest and then none, each
	// clicked, saved and still chosen after a reload.
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/account"),
		chromedp.WaitVisible(chromedp.ID("notify-h")),
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`[...document.querySelectorAll('form[action="/account/notifications"] fieldset')].map(f => f.querySelector("legend").textContent + ": " +
		[...f.querySelectorAll("input[type=radio]")].map(r => r.value + (r.checked ? "*" : "")).join(" ")).join(" | ")`)); got != "How should we e-mail you your notifications?: each* daily none" {
		t.Errorf("the choice reads %q, want one fieldset of three, one e-mail each chosen", got)
	}
	for _, c := range []struct{ id, flash string }{
		{"f-emails-daily", "one digest e-mail a day"},
		{"f-emails-none", "You will get no notification e-mails; your notifications are still listed under Notifications."},
	} {
		browsertest.Do(t, tab,
			chromedp.Click(chromedp.ID(c.id)),
			submit(`form[action="/account/notifications"] button`),
		)
		flashSays(t, tab, c.flash)
		browsertest.Do(t, tab, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("notify-h")))
		if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`[...document.querySelectorAll('input[name="emails"]:checked')].map(r => r.id).join(" ")`)); got != c.id {
			t.Errorf("after saving %s and reloading, %q is chosen", c.id, got)
		}
	}
	for _, width := range []int{1280, 390} {
		browsertest.Do(t, tab, chromedp.EmulateViewport(int64(width), 900), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("notify-h")))
		browsertest.CheckAccessibility(t, tab)
		browsertest.Screenshot(t, tab, fmt.Sprintf("account-notifications-%d", width))
	}
	browsertest.Do(t, tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.Srv.URL+"/notifications"), chromedp.WaitVisible(chromedp.CSS("p.lead")))
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS("p.lead"))); !strings.Contains(got, "You have chosen not to get them by e-mail; change that on your account page.") {
		t.Errorf("the notifications page says %q", got)
	}

	// Someone with no notifications sees what will appear.
	viewer := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	handlerstest.SignInTab(t, viewer, e, "viewer@example.org")
	for _, width := range []int{1280, 390} {
		browsertest.Do(t, viewer,
			chromedp.EmulateViewport(int64(width), 900),
			chromedp.Navigate(e.Srv.URL+"/notifications"),
			chromedp.WaitVisible(chromedp.CSS(".empty-state")),
		)
		browsertest.CheckAccessibility(t, viewer)
		browsertest.Screenshot(t, viewer, fmt.Sprintf("notifications-empty-%d", width))
	}
	if got := browsertest.Run(t, viewer, chromedp.Text(chromedp.CSS(".empty-state"))); !strings.Contains(got, "will be listed here") {
		t.Errorf("empty state = %q", got)
	}
}

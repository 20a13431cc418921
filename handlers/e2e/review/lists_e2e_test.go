package review_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// TestListsInABrowser opens the review queue and the portfolio as an
// advisor, empty and then filled, at 1280 and 390 px: axe finds nothing,
// the header's links stay readable, nothing overflows sideways, the sort
// links work from the keyboard, and screenshots are kept.
func TestListsInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	handlerstest.SignInTab(t, tab, e, "advisor@example.org")
	visit := func(path, shot string) {
		t.Helper()
		for _, width := range []int{1280, 390} {
			browsertest.Do(t, tab,
				chromedp.EmulateViewport(int64(width), 900),
				chromedp.Navigate(e.Srv.URL+path),
				chromedp.WaitVisible(chromedp.CSS("main h1")),
			)
			where := fmt.Sprintf("%s at %d px", path, width)
			if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > width {
				t.Errorf("%s: the page is %d px wide", where, w)
			}
			for _, bad := range browsertest.LinkContrast(t, tab, ".site-header a, .site-header button, .nav-count", 4.5) {
				t.Errorf("%s: header link %s, want at least 4.5:1", where, bad)
			}
			browsertest.CheckAccessibility(t, tab)
			browsertest.Screenshot(t, tab, fmt.Sprintf("lists-%s-%d", shot, width))
		}
	}
	visit("/review", "review-empty")
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS(".notice"))); !strings.Contains(got, "Nothing waits for review.") {
		t.Errorf("empty queue says %q", got)
	}
	visit("/portfolio", "portfolio-empty")
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS(".notice"))); !strings.Contains(got, "No assessment uses CommCare HQ transition to self-hosting yet.") {
		t.Errorf("empty portfolio says %q", got)
	}

	// Three assessments of A, one submitted; one of B, which the advisor
	// of A does not see.
	m := e.Browser(t)
	m.SignIn("manager@example.org")
	base := handlerstest.Start(t, m, true)
	handlerstest.Submit11(t, m, base)
	ctx := context.Background()
	for _, name := range []string{"Second site", "Training server"} {
		if _, err := e.St.CreateAssessment(ctx, e.Manager.ID, store.NewAssessment{Name: name, TemplateID: "commcare-transition", TemplateVersion: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.St.CreateAssessment(ctx, e.ManagerB.ID, store.NewAssessment{Name: "National rollout", TemplateID: "opencrvs-server-hosted", TemplateVersion: 2}); err != nil {
		t.Fatal(err)
	}

	visit("/review", "review")
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("tr.queue-row").length`)); n != 1 {
		t.Errorf("the queue shows %d rows, want 1", n)
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector(".nav a[href=\"/review\"]").textContent`)); got != "Review queue: 1 waiting" {
		t.Errorf("the header's queue link reads %q", got)
	}
	// The row leads to the phase.
	browsertest.Do(t, tab, chromedp.Click(chromedp.CSS("a.queue-phase")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if loc := browsertest.Run(t, tab, chromedp.Evaluate[string](`location.pathname`)); loc != base+"/phases/1.1" {
		t.Errorf("the queue's row leads to %s", loc)
	}

	visit("/portfolio", "portfolio")
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("tr.portfolio-row").length`)); n != 3 {
		t.Errorf("the portfolio shows %d rows, want 3", n)
	}
	// A sort link, reached and followed from the keyboard.
	browsertest.Do(t, tab,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("thead a.sort-link").focus()`),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`th[aria-sort="ascending"]`)),
	)
	if names := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("th.heat-name a")].map(a => a.textContent)`)); strings.Join(names, "|") != "Production move 2027|Second site|Training server" {
		t.Errorf("sorted by name from the keyboard: %q", names)
	}
	// The sorted page opens at the link followed: the next Tab goes on
	// from there, not from the top of the page.
	browsertest.Do(t, tab, chromedp.KeyEvent("\t"))
	if at := browsertest.Run(t, tab, chromedp.Evaluate[string](`location.hash + " " + document.activeElement.id`)); at != "#sort-name sort-organisation" {
		t.Errorf("after sorting by name, the address's fragment and the element Tab reaches: %q, want the name link's and the organisation link", at)
	}
	browsertest.Screenshot(t, tab, "lists-portfolio-by-name-1280")
}

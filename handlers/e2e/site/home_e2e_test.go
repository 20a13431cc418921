package site_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

func TestHomePageInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	srv := handlerstest.NewServer(t)
	ctx := browsertest.Tab(t)
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/"))

	if title := browsertest.Run(t, ctx, chromedp.Title()); !strings.Contains(title, "Groundwork") {
		t.Errorf("title = %q", title)
	}
	// The stylesheet applied: the header has the brand colour.
	bg := browsertest.Run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".site-header")).backgroundColor`))
	if bg != "rgb(20, 80, 63)" {
		t.Errorf("header background = %q: the stylesheet did not load", bg)
	}
	// htmx loaded despite the strict CSP.
	if ok := browsertest.Run(t, ctx, chromedp.Evaluate[bool](`typeof htmx === "object" && htmx.config.allowEval === false`)); !ok {
		t.Error("htmx not loaded, or loaded without the config from the meta tag")
	}
	// The first Tab reaches the skip link, and following it moves focus to main.
	browsertest.Do(t, ctx, chromedp.KeyEvent("\t"))
	if got := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.activeElement.textContent`)); got != "Skip to main content" {
		t.Errorf("first Tab focuses %q, want the skip link", got)
	}
	browsertest.Do(t, ctx, chromedp.KeyEvent("\r"))
	if got := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); got != "main" {
		t.Errorf("after the skip link, focus is on %q, want main", got)
	}
	browsertest.CheckAccessibility(t, ctx)
	browsertest.Screenshot(t, ctx, "home")

	// At 320 px nothing overflows sideways.
	browsertest.Do(t, ctx, chromedp.EmulateViewport(320, 700), chromedp.Reload())
	if w := browsertest.Run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 320 {
		t.Errorf("at 320 px the page is %d px wide", w)
	}
	browsertest.Screenshot(t, ctx, "home-320px")
}

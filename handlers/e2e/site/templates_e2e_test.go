package site_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// TestTemplatesInABrowser reads the catalog as a visitor: the listing, the
// CommCare template, a jump through the table of contents, and both pages
// at 320 px.
func TestTemplatesInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	srv := handlerstest.NewServer(t)
	ctx := browsertest.Tab(t)

	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/templates"), chromedp.WaitVisible(chromedp.CSS(".tpl-cards")))
	if n := browsertest.Run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".tpl-card").length`)); n != 3 {
		t.Errorf("%d template cards, want 3 (two latest, one older)", n)
	}
	browsertest.CheckAccessibility(t, ctx)
	browsertest.Screenshot(t, ctx, "templates")

	browsertest.Do(t, ctx,
		chromedp.Click(chromedp.CSS(`.tpl-card a[href="/templates/commcare-transition"]`)),
		chromedp.WaitVisible(chromedp.ID("contents")),
	)
	if loc := browsertest.Run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "/templates/commcare-transition") {
		t.Errorf("after clicking the CommCare card the browser is at %s", loc)
	}
	if n := browsertest.Run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("section.tpl-phase").length`)); n != 14 {
		t.Errorf("%d phase sections, want 14", n)
	}
	browsertest.CheckAccessibility(t, ctx)
	browsertest.Screenshot(t, ctx, "template-commcare")

	// The table of contents jumps to phase 4.3: its heading is on screen,
	// near the top, and the address names it.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`.tpl-toc a[href="#phase-4-3"]`)))
	if loc := browsertest.Run(t, ctx, chromedp.Location()); !strings.HasSuffix(loc, "#phase-4-3") {
		t.Errorf("after the contents link the address is %s, want #phase-4-3", loc)
	}
	const headingPos = `(() => { const r = document.getElementById("phase-4-3-title").getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; })()`
	if pos := browsertest.Run(t, ctx, chromedp.Evaluate[[]float64](headingPos)); pos[0] < 0 || pos[1] > pos[2] || pos[0] > pos[2]/3 {
		t.Errorf("the heading of phase 4.3 spans %.0f to %.0f px of a %.0f px window, want it near the top", pos[0], pos[1], pos[2])
	}
	if h := browsertest.Run(t, ctx, chromedp.Text(chromedp.ID("phase-4-3-title"))); !strings.Contains(h, "Test backup and restore process") {
		t.Errorf("phase 4.3 heading = %q", h)
	}
	browsertest.Keep(t, ctx, "template-commcare-4-3.png", chromedp.CaptureScreenshot()) // the viewport: a full page is too tall to look at

	// At 320 px nothing overflows sideways.
	for _, page := range []struct{ path, name string }{{"/templates", "templates-320px"}, {"/templates/commcare-transition#phase-2-1", "template-commcare-320px"}} {
		browsertest.Do(t, ctx, chromedp.EmulateViewport(320, 720), chromedp.Navigate(srv.URL+page.path), chromedp.WaitVisible(chromedp.CSS("main h1")))
		if w := browsertest.Run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 320 {
			t.Errorf("at 320 px %s is %d px wide", page.path, w)
		}
		browsertest.Keep(t, ctx, page.name+".png", chromedp.CaptureScreenshot())
	}
}

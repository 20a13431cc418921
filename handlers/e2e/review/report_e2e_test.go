package review_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// media emulates a CSS media type ("print", or "" for the screen).
func media(kind string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: kind})
		return err
	})
}

// TestReportInABrowser opens the report from the assessment's overview:
// the Print button shows once the script runs, the page passes axe and
// fits 1280 and 390 px, and printed (emulated, then as Chromium's own PDF
// on A4) nothing is wider than the paper.
func TestReportInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	_, base := handlerstest.HalfDone(t, e)
	tab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+base),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/report"]`)),
		handlerstest.Press(`a[href$="/report"]`),
		chromedp.WaitVisible(chromedp.ID("report-h")),
	)
	if hidden := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.querySelector("button[data-print]").hidden`)); hidden {
		t.Error("the Print button stays hidden with JavaScript on")
	}
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart-wide").length`)); n != 5 {
		t.Errorf("%d charts, want the summary's and four of sizing", n)
	}
	chartWords(t, tab, 1280)
	// The first Tab reaches a skip link, as on every page; a section
	// followed from the contents starts below the sticky toolbar.
	browsertest.Do(t, tab, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur(); window.scrollTo(0, 0)`), chromedp.KeyEvent("\t"))
	if first := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.textContent.trim()`)); first != "Skip to the report" {
		t.Errorf("the report's first Tab stop is %q, want its skip link", first)
	}
	browsertest.Do(t, tab, chromedp.Click(chromedp.CSS(`.report-toc li:nth-child(3) a`)), chromedp.Sleep(200*time.Millisecond))
	if gap := browsertest.Run(t, tab, chromedp.Evaluate[float64](`(() => {
		const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
		return target.getBoundingClientRect().top - document.querySelector(".report-toolbar").getBoundingClientRect().bottom;
	})()`)); gap < 0 {
		t.Errorf("a section followed from the contents starts %.0f px under the toolbar", -gap)
	}
	wholeHeadings(t, tab, 1280)
	// The contents' second column has room for its numbers ("16.", drawn
	// left of the item) between the columns: none runs into a long title
	// of the first ("…disk sizing16.").
	if gap := browsertest.Run(t, tab, chromedp.Evaluate[float64](`(() => {
		const items = [...document.querySelectorAll(".report-toc li")].map(li => li.getBoundingClientRect());
		const second = items.find(r => r.left > items[0].left + 1);
		return second ? second.left - items[0].left - items[0].width : -1;
	})()`)); gap < 30 {
		t.Errorf("contents at 1280 px: %.0f px between the columns, want room for the second's numbers (30 px)", gap)
	}
	if pos := browsertest.Run(t, tab, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".report-toolbar")).position`)); pos != "sticky" {
		t.Errorf("at 1280 px the toolbar is %s, want sticky", pos)
	}
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	// On a phone the toolbar scrolls away rather than cover the report.
	if pos := browsertest.Run(t, tab, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".report-toolbar")).position`)); pos != "static" {
		t.Errorf("at 390 px the toolbar is %s, want static", pos)
	}
	chartWords(t, tab, 390)
	wholeHeadings(t, tab, 390)
	if wide := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main *")].filter(e => e.getBoundingClientRect().right > 391 && !e.closest(".table-wrap")).slice(0, 8).map(e => e.tagName + "." + (typeof e.className === "string" ? e.className : e.className.baseVal) + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right))`)); len(wide) > 0 {
		t.Errorf("at 390 px, wider than the screen: %q", wide)
	}
	handlerstest.LookAt(t, tab, "report")
	// The action list becomes cards, each item's words whole, its heading
	// on top; at 320 px too, where its table ran off the screen.
	for _, width := range []int64{390, 320} {
		browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900))
		type card struct {
			Display, First string
			Item, Page     int
		}
		got := browsertest.Run(t, tab, chromedp.Evaluate[card](`(() => {
			const tr = document.querySelector(".report-actions-table tbody tr"), th = tr.querySelector("th");
			const first = [...tr.children].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
			return {Display: getComputedStyle(tr).display, First: first === th ? "heading first" : first.textContent,
				Item: Math.round(th.getBoundingClientRect().width), Page: document.documentElement.scrollWidth};
		})()`))
		if got.Display != "flex" || got.First != "heading first" || got.Item < int(width)/2 || got.Page > int(width) {
			t.Errorf("at %d px, the report's action list: row display %q, %q, item %d px wide, page %d px; want cards, the item on top and wide, nothing wider than the screen", width, got.Display, got.First, got.Item, got.Page)
		}
	}
	browsertest.ElementScreenshot(t, tab, ".report-actions", "report-actions-320")

	// Printed: the toolbar goes, the running header and footer come, and
	// nothing is wider than A4's printable width (about 680 px at 96 dpi
	// inside the margins).
	browsertest.Do(t, tab, chromedp.EmulateViewport(700, 1000), media("print"))
	if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 700 {
		t.Errorf("printed, the report is %d px wide, more than the paper", w)
	}
	shown := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`["report-toolbar", "run-head", "run-foot", "watermark"].map(c => getComputedStyle(document.querySelector("." + c)).display)`))
	if shown[0] != "none" || shown[1] == "none" || shown[2] == "none" || shown[3] == "none" {
		t.Errorf("printed: toolbar, header, footer, watermark display %v", shown)
	}
	if stroke := browsertest.Run(t, tab, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("svg.chart-wide .c-label")).stroke`)); stroke != "none" {
		t.Errorf("printed, the charts' labels are stroked (%s): a PDF holds them twice", stroke)
	}
	browsertest.Screenshot(t, tab, "report-print")
	savePDF(t, tab, "report-a4.pdf")
	browsertest.Do(t, tab, media(""), chromedp.EmulateViewport(1280, 900))

	// A signed-off report: decisions, digests and threads pass axe too,
	// and there is no Draft mark.
	_, _, done := handlerstest.FullyReviewed(t, e)
	browsertest.Do(t, tab, chromedp.Navigate(e.Srv.URL+done+"/report"), chromedp.WaitVisible(chromedp.ID("report-h")))
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll(".watermark").length`)); n != 0 {
		t.Error("a signed-off report is marked Draft")
	}
	browsertest.CheckAccessibility(t, tab)
	savePDF(t, tab, "report-signed-off-a4.pdf")
}

// wholeHeadings checks that no one-word heading of the report's tables is
// broken inside its word ("Environm / ent", "CPU / s"), though the
// report's cells may break anywhere; column headings hidden while the
// rows are cards aside.
func wholeHeadings(t *testing.T, tab context.Context, width int) {
	t.Helper()
	if split := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".report-main th:not(.row-no)")].filter(th => getComputedStyle(th.closest("thead") || th).position !== "absolute").filter(th => { const r = document.createRange(); r.selectNodeContents(th); return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1 && !th.textContent.trim().includes(" ") }).map(th => th.textContent.trim())`)); len(split) > 0 {
		t.Errorf("at %d px, table headings broken inside a word: %q", width, split)
	}
}

// savePDF prints the tab to A4 as Chromium's own PDF, kept with the
// screenshots for people to look at.
func savePDF(t *testing.T, tab context.Context, name string) {
	t.Helper()
	browsertest.Keep(t, tab, name, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69})
		return r.Data, err
	}))
}

// chartWords checks that each chart shown, wide or narrow, writes its words
// (12 units) at 10.5 px or more as drawn, and that only one of each pair is
// shown.
func chartWords(t *testing.T, tab context.Context, width int) {
	t.Helper()
	sizes := browsertest.Run(t, tab, chromedp.Evaluate[[]float64](`[...document.querySelectorAll("svg.chart")].filter(s => getComputedStyle(s).display != "none").map(s => s.getScreenCTM().a * 12)`))
	if len(sizes) != 5 {
		t.Errorf("at %d px, %d charts shown, want 5 (one of each pair)", width, len(sizes))
	}
	for i, px := range sizes {
		if px < 10.5 {
			t.Errorf("at %d px, chart %d writes its words at %.1f px", width, i+1, px)
		}
	}
}

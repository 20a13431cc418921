package review_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// waitFor waits until a JavaScript expression is true. (chromedp.Poll
// cannot: it builds its predicate with new Function, which our
// Content-Security-Policy forbids.)
func waitFor(t *testing.T, tab context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !browsertest.Run(t, tab, chromedp.Evaluate[bool]("!!("+expr+")")) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", expr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func evalString(t *testing.T, tab context.Context, expr string) string {
	t.Helper()
	return browsertest.Run(t, tab, chromedp.Evaluate[string](expr))
}

// retype replaces a field's text by typing, as a person would after
// selecting it. (chromedp.Clear empties only the value attribute, which a
// field that has been typed into no longer shows.)
func retype(id, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](`document.getElementById(`+handlerstest.JSString(id)+`).value = ""`),
		chromedp.SendKeys(chromedp.ID(id), text),
	)
}

// statusHas is a predicate on a calculator's live status sentence.
func statusHas(id, text string) string {
	return `document.getElementById("` + id + `").textContent.includes(` + handlerstest.JSString(text) + `)`
}

func TestSizingCalculatorInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	srv := handlerstest.NewServer(t)
	tab := browsertest.Tab(t)
	browsertest.Do(t, tab, chromedp.Navigate(srv.URL+"/sizing"), chromedp.WaitVisible(chromedp.ID("f-users")))
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "sizing")
	// A mark on the window: it survives live updates, not a page load.
	browsertest.Do(t, tab, chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))

	// The tier follows the users as they are typed.
	browsertest.Do(t, tab, retype("f-users", "1,499"))
	waitFor(t, tab, statusHas("tier-status", "Single server: 1 server."))
	browsertest.Do(t, tab, retype("f-users", "1500"))
	waitFor(t, tab, statusHas("tier-status", "Micro cluster: 2 servers."))
	if got := evalString(t, tab, `document.querySelector("#tier-results dd .badge").textContent`); got != "Micro cluster" {
		t.Errorf("tier shown = %q, want Micro cluster", got)
	}
	if got := evalString(t, tab, `document.activeElement.id + "=" + document.activeElement.value`); got != "f-users=1500" {
		t.Errorf("after the live update focus and value are %q, want f-users=1500", got)
	}

	// Keyboard only: Tab to the HA checkbox, Space toggles it, twice.
	browsertest.Do(t, tab, retype("f-users", "1000"))
	waitFor(t, tab, statusHas("tier-status", "Single server"))
	browsertest.Do(t, tab, chromedp.KeyEvent("\t"))
	if got := evalString(t, tab, `document.activeElement.id`); got != "f-ha" {
		t.Fatalf("Tab from the users field reaches %q, want the HA checkbox", got)
	}
	browsertest.Do(t, tab, chromedp.KeyEvent(" "))
	waitFor(t, tab, statusHas("tier-status", "Micro cluster"))
	browsertest.Do(t, tab, chromedp.KeyEvent(" "))
	waitFor(t, tab, statusHas("tier-status", "Single server"))

	// A bad value: the message beside the field, the value kept, the
	// status says so; correcting it clears everything.
	browsertest.Do(t, tab, retype("f-users", "-5"))
	// The answer to "-5", not to the "-" typed first (a busy machine shows
	// that one's message a moment).
	waitFor(t, tab, `(document.getElementById("f-users-error") || {textContent: ""}).textContent.includes("(got -5)")`)
	if got := evalString(t, tab, `document.getElementById("f-users-error").textContent`); !strings.Contains(got, "Expected mobile users: must not be negative (got -5).") {
		t.Errorf("field message = %q", got)
	}
	if got := evalString(t, tab, `[document.getElementById("f-users").value, document.getElementById("f-users").getAttribute("aria-invalid"),
		document.getElementById("f-users").getAttribute("aria-describedby"), document.getElementById("f-users").closest(".field").className].join("|")`); got != "-5|true|f-users-hint f-users-error|field has-error" {
		t.Errorf("the refused field: value|aria-invalid|aria-describedby|class = %q", got)
	}
	if got := evalString(t, tab, `document.getElementById("tier-status").textContent`); !strings.Contains(got, "There is a problem.") {
		t.Errorf("status = %q, want the problem announced", got)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "sizing-error")
	browsertest.Do(t, tab, retype("f-users", "20000"))
	waitFor(t, tab, statusHas("tier-status", "Large cluster"))
	if got := evalString(t, tab, `String(document.getElementById("f-users-error")) + "|" + document.getElementById("f-users").getAttribute("aria-invalid") + "|" + document.querySelectorAll(".has-error").length`); got != "null|null|0" {
		t.Errorf("after correcting: message|aria-invalid|has-error count = %q, want all gone", got)
	}

	// OpenCRVS: the breakdown follows the inputs.
	browsertest.Do(t, tab,
		retype("f-population", "60,000,000"),
		retype("f-birth_rate", "30"),
		retype("f-death_rate", "10"),
		retype("f-attachments", "2"),
		retype("f-years", "3"),
	)
	waitFor(t, tab, statusHas("crvs-status", "2,400,000 records a year: 5 production servers"))
	steps := evalString(t, tab, `document.querySelector("#crvs-results .sz-steps").textContent`)
	for _, want := range []string{"60,000,000 × (30 + 10) / 1000 = 2,400,000 records per year", "2,400,000 × 2 × 0.4 MB = 1,920,000 MB = 1,920 GB",
		"100 GB + 3 × (43.992 GB + 1,920 GB) = 5,991.976 GB"} {
		if !strings.Contains(steps, want) {
			t.Errorf("the breakdown lacks %q:\n%s", want, steps)
		}
	}
	// The download link answers the estimate shown, as a file.
	href := evalString(t, tab, `document.querySelector('#crvs-results a[href*="format=csv"]').getAttribute("href")`)
	if !strings.HasPrefix(href, "/api/v1/sizing/opencrvs?") || !strings.Contains(href, "population=60%2C000%2C000") || !strings.Contains(href, "years=3") {
		t.Errorf("CSV link = %q", href)
	}
	got := browsertest.Run(t, tab, chromedp.Evaluate[string](`fetch(`+handlerstest.JSString(href)+`).then(r => r.text().then(b =>
		r.status + "|" + r.headers.get("Content-Disposition") + "|" + b.includes("2,400,000 × 2 × 0.4 MB = 1,920,000 MB")))`, chromedp.EvalAwaitPromise))
	if got != `200|attachment; filename=opencrvs-estimate.csv|true` {
		t.Errorf("fetching the CSV link: %q", got)
	}

	// The resource model: a new target, new tables, and its downloads.
	browsertest.Do(t, tab, retype("f-target_users", "9,000"))
	waitFor(t, tab, statusHas("simple-status", "with 9,000 users"))
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("#simple-results .table-wrap table.sz-services").length`)); n < 2 {
		t.Errorf("%d per-service tables, want one per summary date", n)
	}
	xlsx := evalString(t, tab, `document.querySelector('#simple-results a[href*="format=xlsx"]').getAttribute("href")`)
	got = browsertest.Run(t, tab, chromedp.Evaluate[string](`fetch(`+handlerstest.JSString(xlsx)+`).then(r => r.status + "|" + r.headers.get("Content-Type"))`, chromedp.EvalAwaitPromise))
	if !strings.Contains(xlsx, "target_users=9%2C000") || got != "200|application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("XLSX link %q answers %q", xlsx, got)
	}

	if ok := browsertest.Run(t, tab, chromedp.Evaluate[bool](`window.notReloaded === true`)); !ok {
		t.Error("the page reloaded: the results should update in place")
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "sizing-typed")

	// At 320 px nothing but the wide tables' own boxes scrolls sideways.
	browsertest.Do(t, tab, chromedp.EmulateViewport(320, 700), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("f-users")))
	if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 320 {
		t.Errorf("at 320 px the page is %d px wide", w)
	}
	// The OpenCRVS servers are cards there, each figure beside its name,
	// not a table to scroll sideways.
	crvs := browsertest.Run(t, tab, chromedp.Evaluate[string](`(w => [w.scrollWidth <= w.clientWidth, getComputedStyle(w.querySelector("tbody tr")).display,
		getComputedStyle(w.querySelector("tbody td"), "::before").content].join("|"))(document.querySelector('#crvs-results .table-wrap'))`))
	if crvs != `true|flex|"Servers"` {
		t.Errorf("at 320 px the OpenCRVS servers table: fits|row display|first cell's label = %q, want cards", crvs)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "sizing-320px")
	browsertest.ElementScreenshot(t, tab, "#crvs-results", "sizing-crvs-320px")
}

func TestSizingModelPageInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	srv := handlerstest.NewServer(t)
	tab := browsertest.Tab(t)
	browsertest.Do(t, tab,
		chromedp.Navigate(srv.URL+"/sizing/model?example=echis"),
		chromedp.WaitVisible(chromedp.ID("f-config")),
		chromedp.Click(chromedp.CSS(`button[name="format"][value=""]`)),
		chromedp.WaitVisible(chromedp.CSS("table.sz-services")),
	)
	if got := evalString(t, tab, `document.querySelector(".sz-status").textContent`); !strings.Contains(got, "At 2022-06") {
		t.Errorf("status = %q", got)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "sizing-model")
}

package review_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
	"groundwork/web"
)

// A manager gives an item of the action list an owner (suggested from the
// organisation's people) and a due date on the overview: htmx saves it in
// place, keeps the focus on the button and marks it overdue in words; a
// refused owner comes back beside its field as typed. The advisor reads
// the plan without a form.
func TestActionListInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	_, base, _ := handlerstest.WithActionItems(t, e)
	const anchor = "a-checkpoint_intended_scale_documented"
	owner, due, save := "o-"+anchor, "d-"+anchor, "s-"+anchor

	tab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)")
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+base),
		chromedp.WaitVisible(chromedp.ID("actions-h")),
	)
	if got := evalString(t, tab, `[...document.querySelectorAll("#action-owners option")].map(o => o.value).join(",")`); got != "manager,viewer" {
		t.Errorf("owners suggested: %q", got)
	}
	if got := evalString(t, tab, `document.getElementById(`+handlerstest.JSString(owner)+`).getAttribute("list")`); got != "action-owners" {
		t.Errorf("the owner field suggests from %q", got)
	}
	// 1.2 is locked until 1.1 is signed off: its items are folded.
	summary := `document.getElementById(` + handlerstest.JSString(anchor) + `).closest("details").querySelector("summary")`
	if evalString(t, tab, `String(document.getElementById(`+handlerstest.JSString(anchor)+`).closest("details").open)`) != "false" {
		t.Error("the items of a locked phase are not folded")
	}
	// The date is set as a date picker sets it (typing into one depends on the locale).
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.JSPath(summary)),
		chromedp.WaitVisible(chromedp.ID(owner)),
		handlerstest.TypeInto(owner, "Hosting team"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById(`+handlerstest.JSString(due)+`).value = "2020-01-15"`),
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = "1"`),
		handlerstest.Press("#"+save),
		chromedp.WaitVisible(chromedp.CSS("#"+anchor+" .saved")),
	)
	if evalString(t, tab, `document.body.dataset.before || ""`) != "1" {
		t.Error("saving loaded a new page; want htmx to replace the item")
	}
	if got := evalString(t, tab, `document.activeElement.id`); got != save {
		t.Errorf("after saving the focus is on %q, want the save button", got)
	}
	text := evalString(t, tab, `document.getElementById(`+handlerstest.JSString(anchor)+`).innerText`)
	for _, want := range []string{"Overdue", "Saved.", "Overdue: it was due on 15 Jan 2020.", "Set by manager"} {
		if !strings.Contains(text, want) {
			t.Errorf("the saved item lacks %q: %q", want, text)
		}
	}
	// The counts follow the save.
	if got := evalString(t, tab, `document.getElementById("actions-counts").innerText`); !strings.Contains(got, "28 without an owner") || !strings.Contains(got, "1 overdue") {
		t.Errorf("the list's counts after saving: %q", got)
	}
	if got := evalString(t, tab, `document.getElementById("ac-1_2").innerText`); !strings.Contains(got, "1 overdue") {
		t.Errorf("1.2's counts after saving: %q", got)
	}
	if got := evalString(t, tab, `document.getElementById(`+handlerstest.JSString(owner)+`).value`); got != "Hosting team" {
		t.Errorf("owner after saving = %q", got)
	}
	handlerstest.LookAt(t, tab, "actions-saved")

	// A refused owner: the message beside the field, the text kept.
	long := strings.Repeat("Hosting team ", 10)
	browsertest.Do(t, tab,
		handlerstest.TypeInto(owner, long),
		handlerstest.Press("#"+save),
		chromedp.WaitVisible(chromedp.ID(owner+"-error")),
	)
	if got := evalString(t, tab, `document.getElementById(`+handlerstest.JSString(owner+"-error")+`).textContent`); !strings.Contains(got, "Use at most 120 characters.") {
		t.Errorf("error beside the owner = %q", got)
	}
	if got := evalString(t, tab, `document.getElementById(`+handlerstest.JSString(owner)+`).value`); got != strings.TrimSpace(long) {
		t.Errorf("the owner typed was not kept: %q", got)
	}
	handlerstest.LookAt(t, tab, "actions-refused")

	// Not saved at all (the portal unreachable): said in the item, the
	// text kept; saved again, the message goes.
	browsertest.ExpectConsoleError(tab, "503 (Service Unavailable)")
	browsertest.ExpectConsoleError(tab, "Response Status Error Code 503")
	e.Srv.Config.Handler, _ = handlerstest.FailPosts(1, "/actions", e.Handler)
	browsertest.Do(t, tab,
		handlerstest.TypeInto(owner, "Ops team"),
		handlerstest.Press("#"+save),
		chromedp.WaitVisible(chromedp.CSS("#"+anchor+" .form-failed")),
	)
	if got := evalString(t, tab, `document.querySelector("#`+anchor+` .form-failed").textContent`); !strings.Contains(got, "Not saved") {
		t.Errorf("the failed save says %q", got)
	}
	if got := evalString(t, tab, `document.getElementById(`+handlerstest.JSString(owner)+`).value`); got != "Ops team" {
		t.Errorf("after the failed save the owner reads %q", got)
	}
	if !browsertest.Run(t, tab, chromedp.Evaluate[bool](handlerstest.LeaveWarns)) {
		t.Error("leaving the page after the failed save asks nothing; the owner typed would be lost")
	}
	handlerstest.LookAt(t, tab, "actions-not-saved")
	browsertest.ElementScreenshot(t, tab, "#"+anchor, "actions-not-saved-item")
	browsertest.Do(t, tab,
		handlerstest.Press("#"+save),
		chromedp.WaitVisible(chromedp.CSS("#"+anchor+" .saved")),
		chromedp.WaitNotPresent(chromedp.CSS("#"+anchor+" .form-failed")),
	)
	if browsertest.Run(t, tab, chromedp.Evaluate[bool](handlerstest.LeaveWarns)) {
		t.Error("saved again, leaving the page still asks first")
	}

	// The advisor reads the plan.
	adv := handlerstest.SignedInTab(t, e.Srv.URL, "advisor@example.org")
	browsertest.Do(t, adv, chromedp.Navigate(e.Srv.URL+base), chromedp.WaitVisible(chromedp.ID("actions-h")))
	text = evalString(t, adv, `document.getElementById(`+handlerstest.JSString(anchor)+`).innerText`)
	if !strings.Contains(text, "Owner: Ops team") || !strings.Contains(text, "due 15 Jan 2020 (overdue)") {
		t.Errorf("the advisor reads %q", text)
	}
	if n := evalString(t, adv, `String(document.querySelectorAll("#actions form").length)`); n != "0" {
		t.Errorf("the advisor is offered %s forms", n)
	}
	handlerstest.LookAt(t, adv, "actions-advisor")
}

// The report's action list prints as a table with the portal's own print
// styles: every row, overdue said in words.
func TestReportActionsPrints(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	_, home := e.Browser(t).Get("/")
	_, css := e.Browser(t).Get(regexp.MustCompile(`/static/[^"]+\.css`).FindString(home))
	items := []web.ActionItem{
		{Key: "checkpoint:a", Phase: "1.2", Kind: web.ActionCheckpoint, Blocking: true, What: "Intended scale documented",
			Detail: "Intended scale of the system and timeline to achieve this has been documented.", Owner: "Hosting team", Due: "2020-01-15", Overdue: true},
		{Key: "rule:1.1/p", Phase: "1.1", Kind: web.ActionRule, Blocking: true, What: "The inventory of planned environments must include production"},
		{Key: "thread:3", Phase: "1.1", Kind: web.ActionChangeRequest, Blocking: true, What: "Link the diagram PDF, not the wiki page.",
			Detail: "Requested by advisor, 4 Dec 2026, 04:19 UTC", Owner: "Amina Otieno", Due: "2099-03-31"},
	}
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Readiness report</title><style>` + css + `</style></head><body><main>`)
	if err := web.ReportActions(items).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	b.WriteString(`</main></body></html>`)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, b.String())
	}))
	defer page.Close()

	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	browsertest.Do(t, tab,
		chromedp.EmulateViewport(794, 1123), // A4 at 96 dpi
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
		chromedp.Navigate(page.URL),
		chromedp.WaitVisible(chromedp.CSS("table.report-actions-table")),
	)
	rows := evalString(t, tab, `[...document.querySelectorAll("tbody tr")].map(r => r.innerText.replace(/\s+/g, " ")).join("\n")`)
	for _, want := range []string{"Overdue", "Hosting team", "No owner", "No date", "31 Mar 2099", "Change request"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the printed rows lack %q:\n%s", want, rows)
		}
	}
	if n := strings.Count(rows, "\n") + 1; n != 3 {
		t.Errorf("%d rows printed, want 3", n)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "report-actions-print")
}

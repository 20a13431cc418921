package fill_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// TestRenameInABrowser: from the overview, by keyboard, a program manager
// opens "Rename or archive", finds the name there to edit, and saves a new
// one; a name too long comes back with the form open, the message beside
// the field and the summary focused. Then archives the assessment and
// restores it. At 1280 and 390 px.
func TestRenameInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)") // the refused name below
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/signin"),
		handlerstest.TypeInto("f-email", "manager@example.org"),
		handlerstest.TypeInto("f-password", handlerstest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("assessments-h")),
		chromedp.Navigate(e.Srv.URL+base),
		chromedp.WaitVisible(chromedp.CSS("ol.stepper")),
	)
	if shown := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.querySelector("#f-name").checkVisibility()`)); shown {
		t.Error("the rename form is open before it is asked for")
	}
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.CSS("#rename > summary")),
		chromedp.KeyEvent(kb.Enter),
		handlerstest.Until(`document.querySelector("#rename").open`),
		chromedp.KeyEvent(kb.Tab),
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id + "|" + document.activeElement.value`)); got != "f-name|Production move 2027" {
		t.Errorf("Tab after opening Rename reaches %q, want the name field holding the name", got)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.ElementScreenshot(t, tab, "main", "overview-rename-1280")
	browsertest.Do(t, tab,
		handlerstest.TypeInto("f-name", "National rollout 2028"),
		chromedp.Click(chromedp.CSS(`#rename button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice[role=status]`)), // the next page's; a poll would end with the page it ran in
		handlerstest.Until(`document.querySelector("h1").textContent === "National rollout 2028"`),
		handlerstest.Until(`document.body.textContent.includes("Renamed “Production move 2027” to “National rollout 2028”.")`),
	)
	if open := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.querySelector("#rename").open`)); open {
		t.Error("after the rename the form stays open")
	}
	// The message takes the focus (read, and the next Tab goes on from it).
	if focused := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.textContent`)); !strings.HasPrefix(focused, "Renamed “Production move 2027”") {
		t.Errorf("after the rename the focus is on %q, want the message", focused)
	}

	// A name too long, on a phone.
	browsertest.Do(t, tab,
		chromedp.EmulateViewport(390, 900),
		chromedp.Click(chromedp.CSS("#rename > summary")),
		handlerstest.TypeInto("f-name", strings.Repeat("Ministry of Health ", 11)),
		// The count says so before anything is sent.
		handlerstest.Until(`(document.getElementById("f-name-count") || {}).textContent === "8 characters too many: at most 200."`),
		chromedp.Click(chromedp.CSS(`#rename button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.error-summary`)),
		handlerstest.Until(`document.querySelector(".error-summary") !== null && document.activeElement === document.querySelector(".error-summary")`),
	)
	got := browsertest.Run(t, tab, chromedp.Evaluate[string](`[document.querySelector("#rename").open, document.querySelector("#f-name-error").textContent.trim(),
		document.querySelector("#f-name").value.length, document.querySelector("h1").textContent, document.documentElement.scrollWidth <= 390].join("|")`))
	if got != "true|Error: Use at most 200 characters.|208|National rollout 2028|true" {
		t.Errorf("the refused name: open|message|typed length|title|fits = %q", got)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "overview-rename-refused-390")
	// The summary's link goes to the field.
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`.error-summary a[href="#f-name"]`)),
		handlerstest.Until(`document.activeElement.id === "f-name"`),
	)

	// Archive, from the same folded form, after saying yes to its
	// question, and restore.
	asked := handlerstest.AnswerDialogs(tab, true)
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`setTimeout(() => document.querySelector("#rename .archive-form button").click())`),
		chromedp.WaitVisible(chromedp.ID("archived")),
	)
	if got := asked(); got != "Archive \u2068National rollout 2028\u2069? It becomes read only and leaves the lists; phases waiting for review are withdrawn. You can restore it." {
		t.Errorf("Archive asked %q", got)
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`[document.querySelector("#archived").textContent.includes("read only"),
		!!document.querySelector("#rename"), document.documentElement.scrollWidth <= 390].join("|")`)); got != "true|false|true" {
		t.Errorf("archived: says read only|rename offered|fits = %q", got)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.ElementScreenshot(t, tab, "#archived", "overview-archived-390")
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`#archived button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("rename")),
		handlerstest.Until(`!document.querySelector("#archived") && document.body.textContent.includes("is restored")`),
	)
}

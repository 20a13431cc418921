package fill_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// One bad cell marks that cell, not every cell of the table: after an
// autosave and after the whole form is posted.
// TestHalfFilledRowWaitsForLeavingIt types the first cell of a table row
// and pauses longer than the autosave's delay: nothing is refused while
// the person is still in the row with cells to go. Leaving the row saves
// it, and the cells still empty are marked then; filling them saves.
func TestHalfFilledRowWaitsForLeavingIt(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, _ := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)") // once the row is left half filled
	state := `document.querySelector("#m-mobile_apps").dataset.state`
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.name"]`), "CHW app"),
		chromedp.Sleep(2*time.Second), // the autosave's delay is 0.7 s
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](state+` || ""`)); got == "error" {
		t.Errorf("still in the half-filled row, its save was refused already")
	}
	// It does not say "Saved" meanwhile: it says when it will be.
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("m-mobile_apps"))); got != "Not saved yet: the row is saved when you leave it." {
		t.Errorf("while the row is held, its save state says %q", got)
	}
	// Tab to the row's next cells: each cell left fires "change", while
	// the page has no focus yet; the row is still being filled.
	for _, key := range []string{"\t", "4", "2", "\t"} {
		browsertest.Do(t, tab, chromedp.KeyEvent(key))
	}
	browsertest.Do(t, tab, chromedp.Sleep(1500*time.Millisecond))
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.name`)); got != "mobile_apps.0.users" {
		t.Fatalf("two Tabs from the name went to %q, want the row's last cell", got)
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](state+` || ""`)); got == "error" {
		t.Errorf("tabbing through the half-filled row, its save was refused: %s", browsertest.Run(t, tab, chromedp.Text(chromedp.ID("m-mobile_apps"))))
	}
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.ID("i-architecture_diagram_url")), // leaves the row
		handlerstest.Until(state+` === "error" && document.querySelector("#m-mobile_apps").textContent.includes("Mobile users is required")`),
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.users"]`), "1200"),
		handlerstest.Until(state+` === "ok"`),
	)

	// Removed by mistake, from the keyboard: the page says which row went,
	// with the focus on its Undo, which puts it back where it was.
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.CSS(`#q-mobile_apps button[value="remove:mobile_apps:0"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS("#q-mobile_apps .row-removed")),
		handlerstest.Until(`document.querySelector(".htmx-settling") === null && document.activeElement.value === "insert:mobile_apps:0"`),
	)
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS("#q-mobile_apps .row-removed"))); !strings.Contains(got, "Row 1 removed: CHW app, 42, 1,200.") {
		t.Errorf("after removing the row the page says %q", got)
	}
	browsertest.Do(t, tab, chromedp.Evaluate[chromedp.Void](`document.querySelector("#q-mobile_apps").scrollIntoView()`))
	handlerstest.LookAt(t, tab, "table-row-removed")
	browsertest.Do(t, tab,
		chromedp.KeyEvent("\r"),
		handlerstest.Until(`document.querySelector("#q-mobile_apps .row-removed") === null && document.querySelector(".htmx-settling") === null`),
		handlerstest.Until(`document.activeElement.name === "mobile_apps.0.name"`),
	)
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.CSS(`input[name="mobile_apps.0.users"]`))); v != "1200" {
		t.Errorf("the row put back has %q mobile users, want 1200", v)
	}

	// Enter in a field saves that field where it is; it once removed the
	// first row (the form's first button was that row's Remove), then
	// posted the whole form and reloaded the page at its top.
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = "1"; (document.querySelector("#m-architecture_diagram_url .tick") || {remove() {}}).remove()`),
		chromedp.SendKeys(chromedp.ID("i-architecture_diagram_url"), "https://wiki.example.org/arch\r"),
		handlerstest.SavedIn("m-architecture_diagram_url"),
	)
	if v := browsertest.Run(t, tab, chromedp.Evaluate[string](`[(document.querySelector('input[name="mobile_apps.0.name"]') || {}).value, document.querySelectorAll(".row-removed").length,
		document.body.dataset.before, document.activeElement.id].join("|")`)); v != "CHW app|0|1|i-architecture_diagram_url" {
		t.Errorf("after Enter in another field: the table's first row|removal notes|not reloaded|focus = %q, want it kept, in place", v)
	}
}

// A refused row removed: the answer is saved without it, so nothing is
// kept in the browser for it and a reload does not bring it back. (The
// answer to a row's button arrives after the button left the page; the
// draft was kept, and the row came back on reload with "Restored unsaved
// input".)
func TestRemovedRowDoesNotComeBack(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, _ := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)")
	drafts := `Object.keys(localStorage).filter(k => k.startsWith("gw-draft:")).length`
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.name"]`), "Ghost"),
		chromedp.Focus(chromedp.ID("i-architecture_diagram_url")),
		handlerstest.Until(`document.querySelector("#m-mobile_apps").dataset.state === "error" && `+drafts+` === 1`),
		chromedp.Click(chromedp.CSS(`#q-mobile_apps button[value="remove:mobile_apps:0"]`)),
		handlerstest.Until(`document.querySelector("#m-mobile_apps").dataset.state === "ok" && document.querySelector(".htmx-settling, .htmx-request") === null`),
	)
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](drafts)); n != 0 {
		t.Errorf("the removed row's answer is saved, and %d drafts are kept for it", n)
	}
	if browsertest.Run(t, tab, chromedp.Evaluate[bool](handlerstest.LeaveWarns)) {
		t.Error("leaving the page asks first, though everything is saved")
	}
	browsertest.Do(t, tab, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("q-mobile_apps")), chromedp.Sleep(300*time.Millisecond))
	if v := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector('input[name="mobile_apps.0.name"]').value + "|" + document.querySelectorAll(".draft-note").length`)); v != "|0" {
		t.Errorf("after a reload the table's first row and draft notes read %q, want it empty and none", v)
	}
}

func TestOnlyTheBadCellIsMarked(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, _ := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)")
	cell := func(name string) string { return `document.querySelector('input[name="mobile_apps.` + name + `"]')` }
	marked := func(name string) bool {
		return browsertest.Run(t, tab, chromedp.Evaluate[bool](cell(name)+`.getAttribute("aria-invalid") === "true"`))
	}
	border := func(name string) string {
		return browsertest.Run(t, tab, chromedp.Evaluate[string](`getComputedStyle(`+cell(name)+`).borderTopColor`))
	}
	check := func(when string) {
		t.Helper()
		if !marked("0.users") {
			t.Errorf("%s: the bad cell is not marked invalid", when)
		}
		for _, ok := range []string{"0.name", "0.version"} {
			if marked(ok) {
				t.Errorf("%s: the good cell %s is marked invalid", when, ok)
			}
			if border(ok) == border("0.users") {
				t.Errorf("%s: the good cell %s has the bad cell's border colour %s", when, ok, border(ok))
			}
		}
	}
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.name"]`), "CHW app"),
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.version"]`), "42"),
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.users"]`), "lots"),
		// The answer to the last save ("lots"), once settled.
		handlerstest.Until(`document.querySelector("#m-mobile_apps").dataset.cells === "0.users" && document.querySelector("#m-mobile_apps").textContent.includes("must be a whole number")`),
		handlerstest.Until(`!document.querySelector("#m-mobile_apps").classList.contains("htmx-settling") && `+cell("0.version")+`.getAttribute("aria-invalid") === null`),
	)
	check("after the autosave")
	browsertest.Screenshot(t, tab, "issue11-bad-cell-autosave")
	// The autosave has already marked the cell on this page: wait for the
	// page the post answers with (its error summary), not for the mark on
	// the old one.
	browsertest.Do(t, tab,
		handlerstest.Press(`.save-bar button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(`main .error-summary`)),
		chromedp.WaitVisible(chromedp.CSS(`td.cell-error`)),
	)
	check("after the form is posted")
	// Beside the cell, the message starts as a sentence does.
	if beside := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS(`td.cell-error .cell-message`))); !strings.HasPrefix(beside, "Row 1, Mobile users: must be a whole number") {
		t.Errorf("the message beside the cell is %q, want it to start \"Row 1, Mobile users: must be a whole number\"", beside)
	}
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	browsertest.Screenshot(t, tab, "issue11-bad-cell-390")
	browsertest.Do(t, tab, chromedp.EmulateViewport(1280, 900))
	// Fixed, the cell is no longer marked.
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](cell("0.users")+`.value = ""`),
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.users"]`), "1,200"),
		handlerstest.SavedIn("m-mobile_apps"),
		handlerstest.Until(`!document.querySelector("#q-mobile_apps").classList.contains("has-error")`),
	)
	if marked("0.users") || browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("#q-mobile_apps td.cell-error").length`)) != 0 {
		t.Error("the fixed cell is still marked")
	}
}

// A refused evidence upload and a review sent back without a comment show
// the phase again, with the message at the field, at the phase's URL, not
// at the URL of the POST.
func TestRefusedActionShowsThePhaseURL(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, phase := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)")
	browsertest.Do(t, tab,
		handlerstest.Press("#c-architecture_diagram_created details.evidence summary"),
		handlerstest.Press(`button[form="upload-architecture_diagram_created"]`), // no file chosen
		chromedp.WaitVisible(chromedp.ID("i-f-architecture_diagram_created-error")),
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`location.pathname`)); got != phase {
		t.Errorf("after the refused upload the address is %s, want the phase's %s", got, phase)
	}
	if msg := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("i-f-architecture_diagram_created-error"))); !strings.Contains(msg, "Choose a file") {
		t.Errorf("message at the file field: %q", msg)
	}
	browsertest.Screenshot(t, tab, "issue11-upload-refused")
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	browsertest.Screenshot(t, tab, "issue11-upload-refused-390")

	// The manager completes and submits 1.1; the advisor sends it back
	// without saying why.
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	handlerstest.AddVersions(t, b, phase, url.Values{})
	if resp, body := b.Post(phase, handlerstest.Phase11()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("phase 1.1 = %d\n%.800s", resp.StatusCode, body)
	}
	if resp, _ := b.Post(phase+"/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", resp.StatusCode)
	}
	adv := handlerstest.SignedInTab(t, e.Srv.URL, "advisor@example.org")
	browsertest.ExpectConsoleError(adv, "422 (Unprocessable Entity)")
	browsertest.Do(t, adv,
		chromedp.Navigate(e.Srv.URL+phase),
		chromedp.WaitVisible(chromedp.ID("f-comment")),
		handlerstest.Press(`.review-form button[value=changes]`),
		chromedp.WaitVisible(chromedp.ID("f-comment-error")),
	)
	if got := browsertest.Run(t, adv, chromedp.Evaluate[string](`location.pathname`)); got != phase {
		t.Errorf("after the refused review the address is %s, want the phase's %s", got, phase)
	}
	browsertest.Screenshot(t, adv, "issue11-review-refused")
}

// A rule warning shows as soon as the answer that raises it is saved, and
// goes when it is fixed, with no reload.
func TestRuleWarningShowsLive(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, phase := handlerstest.OpenPhase(t, e, e.Srv.URL)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	if resp, body := b.Post(phase, handlerstest.Phase11()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("phase 1.1 = %d\n%.800s", resp.StatusCode, body)
	}
	next := strings.TrimSuffix(phase, "1.1") + "1.2"
	warning := `document.querySelector("#phase-warnings").textContent.includes("fewer than 1,500 users")`
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+next),
		chromedp.WaitVisible(chromedp.ID("i-expected_users")),
		chromedp.SendKeys(chromedp.ID("i-expected_users"), "2,500"),
		handlerstest.SavedIn("m-expected_users"),
		handlerstest.Press("#i-server_configuration-single_server"),
		handlerstest.SavedIn("m-server_configuration"),
		handlerstest.Until(warning),
	)
	browsertest.Screenshot(t, tab, "issue11-warning-live")
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	browsertest.Screenshot(t, tab, "issue11-warning-live-390")
	browsertest.Do(t, tab,
		handlerstest.TypeInto("i-expected_users", "1000"),
		handlerstest.Until(`!(`+warning+`)`),
	)
}

// failSaves answers 503, as the portal does while its database is away,
// to the first n answer saves, and passes everything else to next.
func failSaves(n int32, next http.Handler) (http.Handler, *atomic.Int32) {
	return handlerstest.FailPosts(n, "/answers/", next)
}

// An autosave that fails says so beside the field, keeps the value, asks
// before the page is left, and tries again until the answer is saved.
func TestFailedAutosaveRetries(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	h, failed := failSaves(2, e.Handler)
	e.Srv.Config.Handler = h // before the first request
	tab, phase := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "503 (Service Unavailable)")
	browsertest.ExpectConsoleError(tab, "Response Status Error Code 503") // htmx logs the failed save
	text := "Double the users in two years."
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("i-growth_projections"), text),
		handlerstest.Until(`document.querySelector("#m-growth_projections").textContent.includes("Not saved — retrying")`),
	)
	browsertest.Screenshot(t, tab, "issue11-autosave-retrying")
	if tick := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.querySelector("#m-growth_projections .tick") !== null`)); tick {
		t.Error("a failed save shows the saved tick")
	}
	if !browsertest.Run(t, tab, chromedp.Evaluate[bool](handlerstest.LeaveWarns)) {
		t.Error("leaving the page with an unsaved answer does not ask first")
	}
	browsertest.Do(t, tab, handlerstest.SavedIn("m-growth_projections"))
	if n := failed.Load(); n != 2 {
		t.Errorf("%d saves failed, want 2 (then retried until saved)", n)
	}
	if got := handlerstest.State(t, e, strings.TrimSuffix(phase, "/phases/1.1")).Answers["growth_projections"].Value; got != text {
		t.Errorf("stored %q after the retries, want %q", got, text)
	}
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("i-growth_projections"))); v != text {
		t.Errorf("the field holds %q, want %q", v, text)
	}
	// Once the save has settled, leaving asks nothing.
	browsertest.Do(t, tab, handlerstest.Until(`!`+handlerstest.LeaveWarns))
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	browsertest.Screenshot(t, tab, "issue11-autosave-saved-390")
}

// A checkpoint's note is kept like an answer: a save that fails says so
// beside the checkpoint, leaving the page asks first, and it is tried again
// until saved; a note whose save failed survives a reload. (Before, a
// failed checkpoint save said nothing, and leaving the page lost the note.)
func TestFailedCheckpointSaveRetries(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	h, failed := handlerstest.FailPosts(2, "/checkpoints/", e.Handler)
	e.Srv.Config.Handler = h // before the first request
	tab, phase := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "503 (Service Unavailable)")
	browsertest.ExpectConsoleError(tab, "Response Status Error Code 503")
	const key = "mobile_app_inventory_documented"
	note := "Exported from the app's admin page on 3 May."
	browsertest.Do(t, tab,
		handlerstest.Press("#c-"+key+" details.evidence summary"),
		chromedp.WaitVisible(chromedp.ID("i-cn-"+key)),
		chromedp.SendKeys(chromedp.ID("i-cn-"+key), note),
		handlerstest.Until(`document.querySelector("#cm-`+key+`").textContent.includes("Not saved — retrying")`),
	)
	browsertest.ElementScreenshot(t, tab, "#c-"+key, "checkpoint-retrying")
	if !browsertest.Run(t, tab, chromedp.Evaluate[bool](handlerstest.LeaveWarns)) {
		t.Error("leaving the page with an unsaved checkpoint note does not ask first")
	}
	browsertest.Do(t, tab, handlerstest.SavedIn("cm-"+key), handlerstest.Until(`!`+handlerstest.LeaveWarns))
	if n := failed.Load(); n != 2 {
		t.Errorf("%d saves failed, want 2 (then retried until saved)", n)
	}
	base := strings.TrimSuffix(phase, "/phases/1.1")
	if got := handlerstest.State(t, e, base).Confirmations[key].Note; got != note {
		t.Errorf("stored %q after the retries, want %q", got, note)
	}

	// Not saved while the server is down, then the page reloaded: the
	// note comes back from this browser, and is saved.
	e.Srv.Config.Handler, _ = handlerstest.FailPosts(1000, "/checkpoints/", e.Handler)
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("i-cn-"+key), " Checked."),
		handlerstest.Until(`document.querySelector("#cm-`+key+`").textContent.includes("Not saved — retrying")`),
	)
	e.Srv.Config.Handler = e.Handler
	if asked := acceptLeaving(t, tab); asked == nil {
		t.Fatal("no dialog watcher")
	}
	// The draft is sent again as the page loads, and once saved, the note
	// that announced it goes.
	browsertest.Do(t, tab, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("c-"+key)), handlerstest.Until(`!Object.keys(localStorage).some(k => k.startsWith("gw-draft:"))`), handlerstest.SavedIn("cm-"+key))
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("i-cn-"+key))); v != note+" Checked." {
		t.Errorf("after the reload the note reads %q", v)
	}
	if got := handlerstest.State(t, e, base).Confirmations[key].Note; got != note+" Checked." {
		t.Errorf("stored %q after the reload, want the note kept by the browser", got)
	}

	// A note on a checkpoint with none stored, reloaded while the portal
	// is still unreachable: its Evidence section opens to show it.
	const other = "architecture_diagram_created"
	e.Srv.Config.Handler, _ = handlerstest.FailPosts(1000, "/checkpoints/", e.Handler)
	browsertest.Do(t, tab,
		handlerstest.Press("#c-"+other+" details.evidence summary"),
		chromedp.WaitVisible(chromedp.ID("i-cn-"+other)),
		chromedp.SendKeys(chromedp.ID("i-cn-"+other), "Drawn in draw.io."),
		handlerstest.Until(`document.querySelector("#cm-`+other+`").textContent.includes("Not saved — retrying")`),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS("#c-"+other+" .draft-note")),
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector("#c-`+other+` details.evidence").open + "|" + document.getElementById("i-cn-`+other+`").value`)); got != "true|Drawn in draw.io." {
		t.Errorf("after a reload the restored note's section (open|note) is %q, want it open with the note", got)
	}
	e.Srv.Config.Handler = e.Handler
	browsertest.Do(t, tab, handlerstest.Until(`!Object.keys(localStorage).some(k => k.startsWith("gw-draft:"))`))
}

// acceptLeaving answers every "leave this page?" question of the tab with
// yes, as a person sure of leaving would, and counts them.
func acceptLeaving(t *testing.T, tab context.Context) *atomic.Int32 {
	var asked atomic.Int32
	dialogs := chromedp.Events(tab, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			if ev.Type == page.DialogTypeBeforeunload {
				asked.Add(1)
			}
			chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return &asked
}

// A refused value survives a reload and a visit to another page: it is
// restored with a note, and stays until fixed or discarded.
func TestRefusedInputSurvivesReload(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, phase := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)")
	cell := func(name string) string { return `input[name="mobile_apps.` + name + `"]` }
	value := func(name string) string {
		return browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector('`+cell(name)+`').value`))
	}
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.CSS(cell("0.name")), "CHW app"),
		chromedp.SendKeys(chromedp.CSS(cell("0.version")), "42"),
		chromedp.SendKeys(chromedp.CSS(cell("0.users")), "lots"),
		handlerstest.Until(`document.querySelector("#m-mobile_apps").dataset.cells === "0.users"`),
		handlerstest.Press(`#q-mobile_apps .add-row`),
		chromedp.WaitVisible(chromedp.CSS(cell("1.name"))),
		chromedp.SendKeys(chromedp.CSS(cell("1.name")), "Supervisor app"),
		chromedp.SendKeys(chromedp.CSS(cell("1.version")), "7"),
		chromedp.SendKeys(chromedp.CSS(cell("1.users")), "30"),
		handlerstest.Until(`document.querySelector("#m-mobile_apps").dataset.state === "error"`),
		chromedp.SendKeys(chromedp.ID("i-architecture_diagram_url"), "diagram on the wiki"),
		handlerstest.Until(`document.querySelector("#m-architecture_diagram_url").dataset.state === "error"`),
	)
	if !browsertest.Run(t, tab, chromedp.Evaluate[bool](handlerstest.LeaveWarns)) {
		t.Error("leaving with refused answers does not ask first")
	}

	// Reload: both rows and the link are back, marked as restored.
	asked := acceptLeaving(t, tab)
	browsertest.Do(t, tab,
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#q-mobile_apps .draft-note`)),
		handlerstest.Until(`document.querySelector("#m-mobile_apps").dataset.state === "error"`),
	)
	for name, want := range map[string]string{"0.name": "CHW app", "0.users": "lots", "1.name": "Supervisor app", "1.users": "30"} {
		if got := value(name); got != want {
			t.Errorf("after the reload cell %s holds %q, want %q", name, got, want)
		}
	}
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("i-architecture_diagram_url"))); v != "diagram on the wiki" {
		t.Errorf("after the reload the link holds %q", v)
	}
	if note := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS(`#q-architecture_diagram_url .draft-note`))); !strings.Contains(note, "Restored unsaved input") {
		t.Errorf("note: %q", note)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "issue11-draft-restored")
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	browsertest.Screenshot(t, tab, "issue11-draft-restored-390")
	browsertest.Do(t, tab, chromedp.EmulateViewport(1280, 900))

	if n := asked.Load(); n != 1 {
		t.Errorf("the reload asked %d times before leaving, want once", n)
	}

	// "All phases" and back: still there. The link's draft is sent again
	// as the page comes back; its refusal is held at the server until the
	// draft is discarded below, and the stored answer that the discard asks
	// for comes after it (a slow server, or a busy one).
	post, get := make(chan struct{}), make(chan struct{})
	e.Srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/answers/architecture_diagram_url") {
			if r.Method == http.MethodPost {
				<-post
			} else {
				<-get
			}
		}
		e.Handler.ServeHTTP(w, r)
	})
	releasePost, releaseGet := sync.OnceFunc(func() { close(post) }), sync.OnceFunc(func() { close(get) })
	defer releasePost()
	defer releaseGet()
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`nav.pager a:not([rel])`)),
		chromedp.WaitVisible(chromedp.CSS("ol.stepper")),
		chromedp.Navigate(e.Srv.URL+phase),
		chromedp.WaitVisible(chromedp.CSS(`#q-architecture_diagram_url .draft-note`)),
	)
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("i-architecture_diagram_url"))); v != "diagram on the wiki" {
		t.Errorf("after All phases the link holds %q", v)
	}
	if n := asked.Load(); n != 2 {
		t.Errorf("All phases asked %d times before leaving, want once", n-1)
	}

	// Discarded on purpose, it is gone, for good: the refusal of the draft
	// sent before the discard, arriving after it, does not keep it again.
	browsertest.Do(t, tab, handlerstest.Press(`#q-architecture_diagram_url .draft-note button`))
	releasePost()
	time.Sleep(500 * time.Millisecond) // the refusal is in
	releaseGet()
	browsertest.Do(t, tab,
		handlerstest.Until(`document.querySelector("#q-architecture_diagram_url .draft-note") === null && document.querySelector("#i-architecture_diagram_url").value === ""`),
		// The focus goes to the field shown again, not to the page.
		handlerstest.Until(`document.activeElement.id === "i-architecture_diagram_url"`),
		// Fixed, the table's draft goes too.
		chromedp.Evaluate[chromedp.Void](`document.querySelector('`+cell("0.users")+`').value = ""`),
		chromedp.SendKeys(chromedp.CSS(cell("0.users")), "1200"),
		handlerstest.Until(`document.querySelector("#m-mobile_apps .tick") !== null && document.querySelector("#q-mobile_apps .draft-note") === null`),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("i-architecture_diagram_url")),
	)
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll(".draft-note").length`)); n != 0 {
		t.Errorf("%d drafts restored after the discard and the fix, want none", n)
	}
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("i-architecture_diagram_url"))); v != "" {
		t.Errorf("the discarded link came back: %q", v)
	}
	if got := value("1.name"); got != "Supervisor app" {
		t.Errorf("the saved table's row 2 holds %q", got)
	}
}

// TestHalfFilledPersonWaitsForLeavingIt: a person's name typed, the job
// function and e-mail still to come, is not refused while the focus is in
// the three fields (a walk saw "Job function is required" appear under
// the name as it was typed). Leaving them saves, and the parts still empty
// are said then; filling them saves.
func TestHalfFilledPersonWaitsForLeavingIt(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@b.example.org")
	base := handlerstest.FillOpenCRVS(t, b, 5)
	tab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@b.example.org")
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)") // once the person is left half filled
	state := `(document.querySelector("#m-server_administrator").dataset.state || "")`
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+base+"/phases/1.6"),
		chromedp.WaitVisible(chromedp.ID("i-server_administrator-name")),
		chromedp.SendKeys(chromedp.ID("i-server_administrator-name"), "Juma Mussa"),
		chromedp.Sleep(2*time.Second), // the autosave's delay is 0.7 s
		chromedp.KeyEvent("\t"),
		chromedp.KeyEvent("Sysadmin"),
		chromedp.Sleep(1500*time.Millisecond),
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](state)); got == "error" {
		t.Errorf("still in the half-filled person, its save was refused: %s", browsertest.Run(t, tab, chromedp.Text(chromedp.ID("m-server_administrator"))))
	}
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.ID("i-admin_ssh_sudo-yes")), // leaves the person
		handlerstest.Until(state+` === "error" && document.querySelector("#m-server_administrator").textContent.includes("E-mail is required")`),
		chromedp.SendKeys(chromedp.ID("i-server_administrator-email"), "juma@moh.example.org"),
		handlerstest.Until(state+` === "ok"`),
	)
	if _, export := b.Get(base + "/export.json"); !strings.Contains(export, "Juma Mussa") || !strings.Contains(export, "Sysadmin") || !strings.Contains(export, "juma@moh.example.org") {
		t.Error("the export does not hold the person typed")
	}
}

package fill_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// touch turns a touch screen's emulation on or off (pointer: coarse).
func touch(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: on, MaxTouchPoints: 5})
		return err
	})
}

func TestWorkspaceInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)") // the invalid link typed below

	// Sign in as the program manager and start a CommCare assessment.
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/signin"),
		handlerstest.TypeInto("f-email", "manager@example.org"),
		handlerstest.TypeInto("f-password", handlerstest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("assessments-h")),
		chromedp.Click(chromedp.CSS(`a[href="/assessments#start-h"]`)),
		chromedp.WaitVisible(chromedp.ID("f-name")),
		handlerstest.TypeInto("f-name", "Production move 2027"),
		chromedp.Click(chromedp.CSS(`form[action="/assessments"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ol.stepper")),
	)
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "overview-new")

	// Phase 1.1, answered field by field; every answer saves itself.
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`main p a.button`)), // Continue with 1.1
		chromedp.WaitVisible(chromedp.ID("i-architecture_diagram_url")),
		handlerstest.TypeInto("i-architecture_diagram_url", "diagram on the wiki"),
		handlerstest.Until(`document.querySelector("#m-architecture_diagram_url").dataset.state === "error"`),
	)
	msg := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("m-architecture_diagram_url")))
	if !strings.Contains(msg, "Not saved yet") {
		t.Errorf("invalid link: message %q", msg)
	}
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("i-architecture_diagram_url"))); v != "diagram on the wiki" {
		t.Errorf("the typed value was not kept: %q", v)
	}
	// The field itself is marked invalid, for screen readers.
	browsertest.Do(t, tab, handlerstest.Until(`document.querySelector("#i-architecture_diagram_url").getAttribute("aria-invalid") === "true"`))
	browsertest.Screenshot(t, tab, "phase-validation-error")
	browsertest.Do(t, tab,
		handlerstest.TypeInto("i-architecture_diagram_url", "https://wiki.example.org/architecture"),
		handlerstest.SavedIn("m-architecture_diagram_url"),
		handlerstest.Press("#i-environments-testing"),
		// A valid answer that breaks a rule says so under the question.
		handlerstest.Until(`document.querySelector("#r-environments").textContent.includes("must include production")`),
	)
	browsertest.CheckAccessibility(t, tab)
	for _, width := range []int64{390, 1280} {
		browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900))
		browsertest.ElementScreenshot(t, tab, "#q-environments", "rule-under-question-"+handlerstest.Itoa(width))
	}
	browsertest.Do(t, tab,
		handlerstest.Press("#i-environments-production"),
		handlerstest.SavedIn("m-environments"),
		handlerstest.Until(`document.querySelector("#r-environments").textContent === ""`),
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.name"]`), "CHW app"),
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.version"]`), "42"),
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.users"]`), "1200"),
		handlerstest.SavedIn("m-mobile_apps"),
	)
	// Enter in a one-line field saves it where it is: the page does not
	// post the whole form and reload at its top, and the focus stays.
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`window.notReloaded = true; document.querySelector("#m-mobile_apps .tick").remove()`),
		chromedp.SendKeys(chromedp.CSS(`input[name="mobile_apps.0.users"]`), "5\r"),
		handlerstest.SavedIn("m-mobile_apps"),
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`[window.notReloaded, document.activeElement.name, document.activeElement.value].join("|")`)); got != "true|mobile_apps.0.users|12005" {
		t.Errorf("after Enter in a table cell: not reloaded|focus|value = %q, want true|mobile_apps.0.users|12005", got)
	}
	browsertest.Do(t, tab,
		handlerstest.Press("#i-collecting_data-no"),
		handlerstest.SavedIn("m-collecting_data"),
		chromedp.SendKeys(chromedp.ID("i-growth_projections"), "Double the users in two years."),
		handlerstest.SavedIn("m-growth_projections"),
		handlerstest.Press("#i-c-architecture_diagram_created"),
		handlerstest.SavedIn("cm-architecture_diagram_created"),
		handlerstest.Press("#i-c-mobile_app_inventory_documented"),
		handlerstest.SavedIn("cm-mobile_app_inventory_documented"),
		handlerstest.Until(`document.querySelector("#phase-progress .badge").textContent === "Complete"`),
	)

	// Evidence: a file for the architecture checkpoint.
	file := filepath.Join(t.TempDir(), "architecture.pdf")
	if err := os.WriteFile(file, []byte("%PDF-1.4\n1 0 obj <<>> endobj\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A file of a type evidence does not take is refused by the server,
	// with a line in the summary at the top and the message beside the
	// field. A file over 10 MB is refused before it is sent, beside the
	// field, and the server's stale line goes; choosing another file
	// clears the message.
	exe := filepath.Join(t.TempDir(), "tool.exe")
	if err := os.WriteFile(exe, []byte("MZ\x90\x00 not evidence"), 0o644); err != nil {
		t.Fatal(err)
	}
	browsertest.ExpectConsoleError(tab, "(Unprocessable Entity)")
	browsertest.Do(t, tab,
		handlerstest.Press("#c-architecture_diagram_created details.evidence summary"),
		chromedp.SetUploadFiles(chromedp.ID("i-f-architecture_diagram_created"), []string{exe}),
		handlerstest.Press(`button[form="upload-architecture_diagram_created"]`),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
		chromedp.WaitVisible(chromedp.ID("i-f-architecture_diagram_created-error")),
	)
	big := handlerstest.SparseFile(t, "scan.pdf", 11<<20)
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`),
		chromedp.SetUploadFiles(chromedp.ID("i-f-architecture_diagram_created"), []string{big}),
		chromedp.WaitVisible(chromedp.ID("i-f-architecture_diagram_created-error")),
		handlerstest.Press(`button[form="upload-architecture_diagram_created"]`),
	)
	refused := browsertest.Run(t, tab, chromedp.Evaluate[string](`(function () {
		var input = document.getElementById("i-f-architecture_diagram_created");
		return [window.notReloaded, document.activeElement === input, input.getAttribute("aria-invalid"),
			input.getAttribute("aria-describedby").indexOf("i-f-architecture_diagram_created-error") >= 0,
			document.getElementById("i-f-architecture_diagram_created-error").textContent].join("|");
	})()`))
	if refused != "true|true|true|true|Error: The file is larger than 10 MB." {
		t.Errorf("an 11 MB file: (not reloaded|focused|aria-invalid|described by the message|message) = %q", refused)
	}
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll(".error-summary").length`)); n != 0 {
		t.Errorf("the server's line about the refused .exe stays at the top while the page refuses another file")
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "evidence-too-large")
	browsertest.Do(t, tab,
		chromedp.SetUploadFiles(chromedp.ID("i-f-architecture_diagram_created"), []string{file}),
		handlerstest.Until(`document.getElementById("i-f-architecture_diagram_created-error") === null && !document.getElementById("i-f-architecture_diagram_created").hasAttribute("aria-invalid")`),
		handlerstest.Press(`button[form="upload-architecture_diagram_created"]`),
		chromedp.WaitVisible(chromedp.CSS(".notice.ok")),
	)
	if flash := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS(".notice.ok"))); flash != "Uploaded \u2068architecture.pdf\u2069." { // the name isolated (bidi)
		t.Errorf("after the upload: %q", flash)
	}
	// The page opens at the checkpoint, and says so there, with the focus.
	browsertest.Do(t, tab, handlerstest.Until(`document.readyState === "complete" && document.activeElement !== document.body`))
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`(n => [n.parentElement.id, document.activeElement === n, n.getBoundingClientRect().top >= 0 && n.getBoundingClientRect().bottom <= innerHeight].join("|"))(document.querySelector(".notice.ok"))`)); got != "c-architecture_diagram_created|true|true" {
		t.Errorf("after the upload, the message: in|focused|in view = %q, want in the checkpoint, focused, in view", got)
	}
	browsertest.CheckAccessibility(t, tab)
	for _, width := range []int64{390, 1280} {
		browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900))
		browsertest.ElementScreenshot(t, tab, "#c-architecture_diagram_created", "evidence-uploaded-"+handlerstest.Itoa(width))
	}
	// On a touch screen the file's Remove is a finger's height.
	removeHeight := `Math.round(document.querySelector("ul.files button[data-confirm]").getBoundingClientRect().height)`
	mouse := browsertest.Run(t, tab, chromedp.Evaluate[int](removeHeight))
	browsertest.Do(t, tab, touch(true))
	if h := browsertest.Run(t, tab, chromedp.Evaluate[int](removeHeight)); h < 36 || mouse >= 36 {
		t.Errorf("a file's Remove is %d px high with a mouse, %d px on a touch screen; want it at least 36 px to touch", mouse, h)
	}
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	browsertest.ElementScreenshot(t, tab, "#c-architecture_diagram_created ul.files", "evidence-touch-390")
	browsertest.Do(t, tab, touch(false), chromedp.EmulateViewport(1280, 900))
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("ul.files a[download]").length`)); n != 1 {
		t.Errorf("%d evidence files listed, want 1", n)
	}
	// Removing it asks first: no keeps it, yes removes it.
	files := func() int {
		return browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("ul.files a[download]").length`))
	}
	// Clicked from a timer: a click that opens a dialog returns when the
	// dialog is answered, and the page may be gone by then.
	remove := chromedp.Evaluate[chromedp.Void](`setTimeout(() => document.querySelector("ul.files button[data-confirm]").click())`)
	asked := handlerstest.AnswerDialogs(tab, false)
	browsertest.Do(t, tab, remove)
	if got := asked(); got != "Remove \u2068architecture.pdf\u2069? The file goes for good; the checkpoint's history keeps its name." || files() != 1 {
		t.Errorf("Remove asked %q, and %d files are left after no; want the question and the file kept", got, files())
	}
	asked = handlerstest.AnswerDialogs(tab, true)
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = "1"`),
		remove,
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-before]) .notice[role=status]`)),
	)
	if got := asked(); !strings.HasPrefix(got, "Remove \u2068architecture.pdf\u2069?") || files() != 0 {
		t.Errorf("Remove asked %q, and %d files are left after yes; want it removed", got, files())
	}
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#c-architecture_diagram_created details.evidence").open = true`),
		chromedp.SetUploadFiles(chromedp.ID("i-f-architecture_diagram_created"), []string{file}),
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = "1"`),
		handlerstest.Press(`button[form="upload-architecture_diagram_created"]`),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-before]) .notice[role=status]`)),
	)
	if files() != 1 {
		t.Fatalf("uploaded again, %d files are listed", files())
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "phase-1.1-complete")

	// By keyboard alone: the arrow keys move the "collecting data" answer
	// to Yes, which saves and reveals its follow-up questions, and back.
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.ID("i-collecting_data-no")),
		chromedp.KeyEvent(kb.ArrowUp),
		handlerstest.Until(`document.querySelector("#i-collecting_data-yes").checked && !document.querySelector("#q-months_live").hidden`),
		// The question shown brings its comments bar; it went only on a reload.
		handlerstest.Until(`!document.querySelector("#qc-months_live").hidden`),
	)
	if focus := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); focus != "i-collecting_data-yes" {
		t.Errorf("after the arrow key the focus is on %q: the save moved it", focus)
	}
	browsertest.Do(t, tab,
		chromedp.KeyEvent(kb.ArrowDown),
		// Both saves landed (until then the badge may show the state before
		// the arrow keys, and the reload below would ask "leave the page?").
		handlerstest.Until(`!`+handlerstest.LeaveWarns+` && document.querySelector("#q-months_live").hidden && document.querySelector("#phase-progress .badge").textContent === "Complete"`),
		handlerstest.Until(`document.querySelector("#qc-months_live").hidden`),
	)

	// At 320 px wide nothing spills sideways: wide tables scroll in their box.
	browsertest.Do(t, tab, chromedp.EmulateViewport(320, 800), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("phase-progress")))
	if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 320 {
		wide := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 321).slice(0, 8).map(e => e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right))`))
		t.Errorf("at 320 px the phase page is %d px wide; too wide: %v", w, wide)
	}
	browsertest.Screenshot(t, tab, "phase-320px")
	// A question of choices ends where its last choice does: no empty band
	// between the options and the save state below them.
	if gap := browsertest.Run(t, tab, chromedp.Evaluate[float64](`(q => q.querySelector(".save-state").getBoundingClientRect().top - q.querySelector("fieldset .choice:last-of-type").getBoundingClientRect().bottom)(document.querySelector("#q-environments"))`)); gap > 16 {
		t.Errorf("%v px between a question's last choice and its save state, want a line's gap at most", gap)
	}
	browsertest.Do(t, tab, chromedp.EmulateViewport(1280, 900), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("phase-progress")))

	// Phase 1.2: the sizing recommendation follows the users as typed.
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`a[rel="next"]`)),
		chromedp.WaitVisible(chromedp.ID("sizing-panel")),
		chromedp.SendKeys(chromedp.ID("i-expected_users"), "1000"),
		handlerstest.Until(`document.querySelector("#sizing-panel").textContent.includes("Single server")`),
		handlerstest.TypeInto("i-expected_users", "2500"),
		handlerstest.Until(`document.querySelector("#sizing-panel").textContent.includes("Micro cluster")`),
	)
	browsertest.Screenshot(t, tab, "phase-1.2-sizing")
	// On a wide screen the recommendation in brief, in the side column,
	// followed too, and stays in view beside the field typed.
	browsertest.Do(t, tab, handlerstest.Until(`document.querySelector("#sizing-brief").textContent.includes("Micro cluster: 2 servers")`))
	if shown := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.querySelector("#sizing-brief-inline").checkVisibility()`)); shown {
		t.Error("at 1280 px the sizing brief is shown among the questions too")
	}
	// On a phone each fact's answer goes under its name, and the brief
	// leaves the side column for the place after the last question the
	// sizing follows, where it is in view as they are typed (the panel
	// is above the questions).
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	if shown := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.querySelector("#sizing-brief").checkVisibility()`)); shown {
		t.Error("at 390 px the sizing brief is shown in the side column")
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`(b => [b.checkVisibility(), b.textContent.includes("Micro cluster: 2 servers"),
		b.previousElementSibling.id].join("|"))(document.querySelector("#sizing-brief-inline"))`)); got != "true|true|qc-high_availability" {
		t.Errorf("at 390 px the sizing brief among the questions: shown|follows the users|after = %q", got)
	}
	browsertest.ElementScreenshot(t, tab, "#sizing-brief-inline", "phase-1.2-sizing-brief-390")
	if cols := browsertest.Run(t, tab, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#sizing-panel dl.facts")).gridTemplateColumns`)); strings.Contains(cols, " ") {
		t.Errorf("at 390 px the sizing facts have columns %q, want one", cols)
	}
	browsertest.Screenshot(t, tab, "phase-1.2-sizing-390")
	browsertest.Do(t, tab, chromedp.EmulateViewport(1280, 900))
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.CSS(`input[name="scale_timeline.0.date"]`), "01012027"),
		chromedp.SendKeys(chromedp.CSS(`input[name="scale_timeline.0.users"]`), "800"),
		handlerstest.Press(`#q-scale_timeline .add-row`),
		chromedp.WaitVisible(chromedp.CSS(`input[name="scale_timeline.1.date"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="scale_timeline.1.date"]`), "01092027"),
		chromedp.SendKeys(chromedp.CSS(`input[name="scale_timeline.1.users"]`), "2500"),
		handlerstest.SavedIn("m-scale_timeline"),
		chromedp.SendKeys(chromedp.ID("i-existing_form_submissions"), "250000"),
		chromedp.SendKeys(chromedp.ID("i-forms_per_user_month"), "30"),
		chromedp.SendKeys(chromedp.ID("i-new_cases_per_user_month"), "8"),
		chromedp.SendKeys(chromedp.ID("i-updated_cases_per_user_month"), "20"),
		handlerstest.SavedIn("m-updated_cases_per_user_month"),
		handlerstest.Until(`document.querySelector("#sizing-panel").textContent.includes("Detailed estimate (resource model)")`),
		handlerstest.Until(`document.querySelector("#sizing-brief").textContent.includes("virtual machines") && document.querySelector("#sizing-brief-inline").textContent.includes("virtual machines")`),
		// Typed far down the page, and the brief is in view beside it.
		handlerstest.Until(`document.activeElement.id === "i-updated_cases_per_user_month" && (r => r.top >= 0 && r.bottom <= innerHeight)(document.querySelector("#sizing-brief").getBoundingClientRect())`),
		handlerstest.Press("#i-high_availability-no"),
		handlerstest.SavedIn("m-high_availability"),
		handlerstest.Press("#i-server_configuration-micro_cluster"),
		handlerstest.SavedIn("m-server_configuration"),
		chromedp.SendKeys(chromedp.ID("i-server_configuration_doc_url"), "https://wiki.example.org/servers"),
		handlerstest.SavedIn("m-server_configuration_doc_url"),
		handlerstest.Press("#i-c-intended_scale_documented"),
		handlerstest.SavedIn("cm-intended_scale_documented"),
		handlerstest.Press("#i-c-server_configuration_finalized"),
		handlerstest.SavedIn("cm-server_configuration_finalized"),
		handlerstest.Until(`document.querySelector("#phase-progress .badge").textContent === "Complete"`),
	)
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "phase-1.2-complete")

	// 2.1 has unlocked.
	browsertest.Do(t, tab, chromedp.Click(chromedp.CSS(`nav.pager a:not([rel])`)), chromedp.WaitVisible(chromedp.CSS("ol.stepper")))
	status := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS(`.step:nth-child(3) .badge`)))
	if status != "Open" {
		t.Errorf("phase 2.1 is %q on the overview, want Open", status)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "overview-progress")
}

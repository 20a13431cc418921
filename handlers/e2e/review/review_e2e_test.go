package review_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// TestReviewInABrowser: the advisor opens the review view, requests
// changes with a question marked (first without a reason: refused beside
// the field, the mark kept); the manager changes the answer and submits
// again; the advisor sees what changed, approves, and verifies the
// sign-off on the revision page. axe checks the review view and the
// revision page; screenshots at 1280 and 390 px.
func TestReviewInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	b, base := handlerstest.Submitted11(t, e)
	p := base + "/phases/1.1"
	tab := handlerstest.SignedInTab(t, e.Srv.URL, "advisor@example.org")
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)") // the request without a reason

	// The review view: answers in words, evidence that downloads.
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+p),
		chromedp.WaitVisible(chromedp.CSS(".readout")),
	)
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("main input:disabled, main fieldset:disabled").length`)); n != 0 {
		t.Errorf("the review view has %d disabled controls", n)
	}
	if href := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector("#c-architecture_diagram_created a[download]").getAttribute("href")`)); !strings.Contains(href, "/evidence/") {
		t.Errorf("the evidence is not a download link: %q", href)
	}
	handlerstest.LookAt(t, tab, "review-view")

	// Request changes without saying what: refused beside the field, the
	// question marked stays marked.
	browsertest.Do(t, tab,
		handlerstest.Press("#f-mark-growth_projections"),
		handlerstest.Press(`button[name="decision"][value="changes"]`),
		chromedp.WaitVisible(chromedp.ID("f-comment-error")),
	)
	if !browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.querySelector("#f-mark-growth_projections").checked`)) {
		t.Error("the marked question was not kept after the refusal")
	}
	// On a phone, the summary's link shows the field with its label and
	// message, and puts the focus in it.
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 700), handlerstest.Press(`.error-summary a[href="#f-comment"]`))
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`(() => {
		const top = el => Math.round(el.getBoundingClientRect().top);
		return [document.activeElement.id, top(document.querySelector("label[for=f-comment]")) >= 0, top(document.getElementById("f-comment-error")) >= 0,
			top(document.getElementById("f-comment")) < innerHeight].join("|");
	})()`)); got != "f-comment|true|true|true" {
		t.Errorf("after the summary's link at 390 px: focus|label in view|message in view|field in view = %q", got)
	}
	browsertest.Do(t, tab, chromedp.EmulateViewport(1280, 900))
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("f-comment"), "Give the projected users per year."),
		handlerstest.Press(`button[name="decision"][value="changes"]`),
		chromedp.WaitVisible(chromedp.CSS(".change-requests")),
	)

	// The manager changes the marked answer and submits again.
	form := handlerstest.Phase11()
	form.Set("growth_projections", "2027: 2,400 users; 2028: 4,800 users.")
	form.Set("mobile_apps.0.users", "1500")
	form.Set("mobile_apps.1.name", "Supervisor app")
	form.Set("mobile_apps.1.version", "7")
	form.Set("mobile_apps.1.users", "40")
	handlerstest.AddVersions(t, b, p, form)
	if resp, _ := b.Post(p, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the manager's save = %d", resp.StatusCode)
	}
	if resp, _ := b.Post(p+"/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit = %d", resp.StatusCode)
	}

	// The advisor sees what changed, old and new.
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+p),
		chromedp.WaitVisible(chromedp.ID("changes")),
	)
	changes := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("changes")))
	for _, want := range []string{"Double the users in two years.", "2027: 2,400 users; 2028: 4,800 users.", "Changed",
		"row 1, “CHW app” (Mobile users: 1,200)", "row 1, “CHW app” (Mobile users: 1,500); row 2 added (Application: Supervisor app"} {
		if !strings.Contains(changes, want) {
			t.Errorf("what changed lacks %q:\n%s", want, changes)
		}
	}
	if marked := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("q-growth_projections"))); !strings.Contains(marked, "Marked as needing changes") || !strings.Contains(marked, "Changed since the last review") {
		t.Errorf("the marked question does not say so: %q", marked)
	}
	handlerstest.LookAt(t, tab, "review-changes")

	// From the keyboard, a skip link passes the phase: Enter, then Tab, is
	// in the decision's comment.
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.CSS(`a.skip-link[href="#actions-h"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.KeyEvent("\t"),
	)
	if id := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); id != "f-comment" {
		t.Errorf("after the skip link to the decision, Tab went to %q, want the comment", id)
	}

	// Enter on a box of the questions to mark does not approve: a browser
	// presses the form's first button for it, which was "Approve and sign
	// off" (an advisor with a keyboard froze a phase so). It is "Request
	// changes", refused without a comment, the box kept.
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.ID("f-mark-growth_projections")),
		chromedp.KeyEvent(" "), // ticks it
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.ID("f-comment-error")),
	)
	if kept := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.getElementById("f-mark-growth_projections").checked`)); !kept {
		t.Error("the box ticked before Enter is not kept")
	}
	browsertest.Do(t, tab, chromedp.Navigate(e.Srv.URL+p), chromedp.WaitVisible(chromedp.CSS("h1")))
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("#sign-off").length + (document.getElementById("f-comment") ? 0 : 1)`)); n != 0 {
		t.Fatal("Enter on a box to mark decided on the phase")
	}

	// Approve; the sign-off page verifies.
	browsertest.Do(t, tab,
		handlerstest.Press(`button[name="decision"][value="approve"]`),
		chromedp.WaitVisible(chromedp.ID("sign-off")),
		handlerstest.Press(`#sign-off a`),
		chromedp.WaitVisible(chromedp.ID("sign-off-h")),
		handlerstest.Press(`form[method="get"] button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(".verify-result")),
	)
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS(".verify-result"))); !strings.Contains(got, "Intact.") {
		t.Errorf("verify says %q", got)
	}
	if focused := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.activeElement.classList.contains("verify-result")`)); !focused {
		t.Error("the verification's result does not take the focus")
	}
	handlerstest.LookAt(t, tab, "revision-verified")

	// The manager's approved phase: frozen, in words, with the form to
	// reopen it.
	mtab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	browsertest.Do(t, mtab,
		chromedp.Navigate(e.Srv.URL+p),
		chromedp.WaitVisible(chromedp.ID("f-reopen_reason")),
	)
	if n := browsertest.Run(t, mtab, chromedp.Evaluate[int](`document.querySelectorAll("#phase-form").length`)); n != 0 {
		t.Error("the approved phase still shows its form")
	}
	for _, width := range []int64{1280, 390} {
		browsertest.Do(t, mtab, chromedp.EmulateViewport(width, 900))
		browsertest.CheckAccessibility(t, mtab)
		browsertest.Screenshot(t, mtab, fmt.Sprintf("review-approved-manager-%d", width))
	}

	// Tampered with behind the application's back, it says so.
	if _, err := e.Pool.Exec(t.Context(), `ALTER TABLE phase_decisions DISABLE TRIGGER phase_decisions_no_change`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(t.Context(), `UPDATE phase_decisions SET snapshot = replace(snapshot, '4,800', '9,600') WHERE action = 'approved'`); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, tab,
		handlerstest.Press(`form[method="get"] button[type=submit]`),
		chromedp.WaitVisible(chromedp.CSS(".verify-result.error")),
	)
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS(".verify-result"))); !strings.Contains(got, "Not intact.") {
		t.Errorf("verify of a tampered snapshot says %q", got)
	}
	handlerstest.LookAt(t, tab, "revision-tampered")
}

package review_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// TestReviewJourneyInABrowser is the advisor's side end to end, as two
// people would do it in two browsers: the manager submits; the advisor
// finds the phase in the review queue, comments on one question and
// requests changes marking it; the manager sees the reason at the top and
// beside the question, fixes it and submits again; the advisor sees what
// changed and approves; the next phase opens; the earlier comment is still
// there; the e-mails arrived, one per event. axe checks the queue, the
// portfolio, the review view and the audit trail at 1280 and 390 px.
func TestReviewJourneyInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	const q = "growth_projections"
	comment := "Are these projections per district or national?"
	reason := "Give the projected users per year, not a multiple."
	fixed := "2027: 2,400 users; 2028: 4,800 users."

	// The manager fills phase 1.1 (over HTTP, to keep the test short) and
	// submits it in the browser.
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	p := base + "/phases/1.1"
	form := handlerstest.Phase11()
	handlerstest.AddVersions(t, b, p, form)
	if resp, _ := b.Post(p, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill 1.1 = %d", resp.StatusCode)
	}
	mgr := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	browsertest.Do(t, mgr, chromedp.Navigate(e.Srv.URL+p), chromedp.WaitVisible(chromedp.ID("phase-form")))
	browsertest.Do(t, mgr, submit(`form[action$="/submit"] button`))

	// The advisor finds it in the queue.
	adv := handlerstest.SignedInTab(t, e.Srv.URL, "advisor@example.org")
	browsertest.Do(t, adv, chromedp.Navigate(e.Srv.URL+"/review"), chromedp.WaitVisible(chromedp.CSS(`a[href$="`+p+`"]`)))
	if got := evalString(t, adv, `document.querySelector("main").textContent`); !strings.Contains(got, "Production move 2027") {
		t.Errorf("the queue does not name the assessment:\n%s", got)
	}
	handlerstest.LookAt(t, adv, "journey-queue")
	browsertest.Do(t, adv, handlerstest.Press(`a[href$="`+p+`"]`), chromedp.WaitVisible(chromedp.CSS(".readout")))
	handlerstest.LookAt(t, adv, "journey-review-view")

	// A comment on one question, then a request for changes marking it.
	browsertest.Do(t, adv,
		handlerstest.Press(`#qc-`+q+` > summary`),
		chromedp.WaitVisible(chromedp.ID("cm-body-new-"+q)),
		chromedp.SendKeys(chromedp.ID("cm-body-new-"+q), comment),
		submit(`button[form="f-new-`+q+`"]`),
	)
	flashSays(t, adv, "Comment posted.")
	browsertest.Do(t, adv,
		chromedp.SendKeys(chromedp.ID("f-comment"), reason),
		handlerstest.Press("#f-mark-"+q),
		submit(`button[name="decision"][value="changes"]`),
	)

	// The manager sees the reason at the top of the phase and beside the
	// question, fixes the answer and submits again.
	browsertest.Do(t, mgr, chromedp.Navigate(e.Srv.URL+p), chromedp.WaitVisible(chromedp.CSS(".change-requests")))
	if top := evalString(t, mgr, `document.querySelector(".change-requests").textContent`); !strings.Contains(top, reason) {
		t.Errorf("the top of the phase lacks the reason: %q", top)
	}
	if beside := evalString(t, mgr, `(document.querySelector("#q-`+q+`").previousElementSibling || {textContent: ""}).textContent`); !strings.Contains(beside, "Change requested") || !strings.Contains(beside, reason[:30]) {
		t.Errorf("beside the question: %q", beside)
	}
	browsertest.Do(t, mgr,
		chromedp.Evaluate[chromedp.Void](`(() => { const f = document.querySelector("#i-`+q+`"); f.value = ""; })()`),
		chromedp.SendKeys(chromedp.ID("i-"+q), fixed),
		submit(`#phase-form .save-bar button[type=submit]`),
	)
	// (A draft typed before the Save may still be on its way: wait until
	// leaving would ask nothing, as a person waits for "Saved".)
	browsertest.Do(t, mgr, handlerstest.Until(`!`+handlerstest.LeaveWarns), submit(`form[action$="/submit"] button`))

	// The advisor sees what changed, old and new, and approves.
	browsertest.Do(t, adv, chromedp.Navigate(e.Srv.URL+p), chromedp.WaitVisible(chromedp.ID("changes")))
	changes := browsertest.Run(t, adv, chromedp.Text(chromedp.ID("changes")))
	for _, want := range []string{"Double the users in two years.", fixed} {
		if !strings.Contains(changes, want) {
			t.Errorf("what changed lacks %q:\n%s", want, changes)
		}
	}
	browsertest.Do(t, adv, submit(`button[name="decision"][value="approve"]`))
	if got := evalString(t, adv, `document.querySelector("main").textContent`); !strings.Contains(got, comment) {
		t.Error("the advisor's comment is gone after the approval")
	}

	// The next phase opens for the manager, and the comment stays on 1.1.
	browsertest.Do(t, mgr, chromedp.Navigate(e.Srv.URL+base+"/phases/1.2"), chromedp.WaitVisible(chromedp.ID("phase-form")))
	if got := evalString(t, mgr, `document.querySelector("main").textContent`); strings.Contains(got, "This phase is locked") {
		t.Error("phase 1.2 is still locked after 1.1 was approved")
	}
	browsertest.Do(t, mgr, chromedp.Navigate(e.Srv.URL+p), chromedp.WaitVisible(chromedp.ID("sign-off")))
	if got := evalString(t, mgr, `document.querySelector("main").textContent`); !strings.Contains(got, comment) || !strings.Contains(got, reason) {
		t.Error("the comment or the request for changes is gone from the approved phase")
	}

	// The portfolio and the audit trail.
	browsertest.Do(t, adv, chromedp.Navigate(e.Srv.URL+"/portfolio"), chromedp.WaitVisible(chromedp.CSS("main table")))
	handlerstest.LookAt(t, adv, "journey-portfolio")
	browsertest.Do(t, adv, chromedp.Navigate(e.Srv.URL+base+"/audit"), chromedp.WaitVisible(chromedp.CSS("main table")))
	if got := evalString(t, adv, `document.querySelector("main").textContent`); !strings.Contains(got, reason) {
		t.Error("the audit trail lacks the request for changes")
	}
	handlerstest.LookAt(t, adv, "journey-audit")

	// One e-mail per event: two submissions to the advisor; the request
	// for changes and the approval to the manager who edited the phase.
	if n := e.Mail.Count("advisor@example.org"); n != 2 {
		t.Errorf("the advisor got %d e-mails, want 2 (one per submission)", n)
	}
	if n := e.Mail.Count("manager@example.org"); n != 2 {
		t.Errorf("the manager got %d e-mails, want 2 (changes requested, approved)", n)
	}
}

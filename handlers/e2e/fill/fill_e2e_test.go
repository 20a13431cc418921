package fill_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// TestCharacterCountersInABrowser pastes long texts into a comment and a
// long answer: from 80 % of the limit a line under the field says how many
// characters are left, past it how many too many, counting a line break
// once and the spaces at either end not at all, as the server does.
func TestCharacterCountersInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, _ := handlerstest.OpenPhase(t, e, e.Srv.URL)
	paste := func(sel, js string) {
		t.Helper()
		browsertest.Do(t, tab, chromedp.Evaluate[chromedp.Void](`(() => {
			const f = document.querySelector(`+"`"+sel+"`"+`);
			f.value = `+js+`;
			f.dispatchEvent(new Event("input", {bubbles: true}));
		})()`))
	}
	counter := func(sel string) (shown bool, text, said string, over bool) {
		t.Helper()
		// The status region is written a moment after the line.
		got := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`new Promise(done => setTimeout(() => {
			const f = document.querySelector(`+"`"+sel+"`"+`);
			const c = document.getElementById(f.id + "-count");
			const s = document.getElementById(f.id + "-count-said");
			if (!c || !s) return done(["", "", "", ""]);
			if (!f.getAttribute("aria-describedby").split(" ").includes(c.id)) return done(["", "not described by the counter", "", ""]);
			done([String(!c.hidden && c.getClientRects().length > 0), c.textContent, s.textContent, String(c.classList.contains("over"))]);
		}, 150))`, chromedp.EvalAwaitPromise))
		return got[0] == "true", got[1], got[2], got[3] == "true"
	}
	comment := "#cm-body-new" // the comment on the whole phase

	// Short: nothing shown.
	paste(comment, `"A short comment."`)
	if shown, _, _, _ := counter(comment); shown {
		t.Error("a short comment shows a counter")
	}
	// 41 lines of 99 characters, each ending with a line break ("\r\n"
	// counts once), and spaces around: 4,099 characters as the server counts
	// them, the last line break trimmed with the spaces.
	paste(comment, `"  " + ("a".repeat(99) + "\r\n").repeat(41) + "  "`)
	shown, text, said, over := counter(comment)
	if !shown || text != "901 characters left of 5,000." || said != text || over {
		t.Errorf("at 4,099 characters: shown %v, %q, said %q, over %v; want 901 left, said once", shown, text, said, over)
	}
	// Typing on near the limit changes the line, not what is said aloud.
	paste(comment, `"b".repeat(4500)`)
	if _, text, said, _ := counter(comment); text != "500 characters left of 5,000." || said != "901 characters left of 5,000." {
		t.Errorf("at 4,500: %q, said %q; want the line updated and nothing new said", text, said)
	}
	paste(comment, `"é".repeat(5012)`)
	shown, text, said, over = counter(comment)
	if !shown || text != "12 characters too many: at most 5,000." || said != text || !over {
		t.Errorf("at 5,012: shown %v, %q, said %q, over %v", shown, text, said, over)
	}
	browsertest.ElementScreenshot(t, tab, comment+" + .char-count", "counter-over")
	// Back under 80 %: the line goes.
	paste(comment, `"ok"`)
	if shown, _, _, _ := counter(comment); shown {
		t.Error("the counter stays after the text is shortened")
	}

	// A long answer, whose limit comes from the template (20,000).
	paste("#i-growth_projections", `"c".repeat(16000)`)
	if shown, text, _, _ := counter("#i-growth_projections"); !shown || !strings.HasPrefix(text, "4,000 characters left of 20,000") {
		t.Errorf("long answer at 16,000: shown %v, %q", shown, text)
	}
	for _, width := range []int64{1280, 390} {
		browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900), chromedp.ScrollIntoView(chromedp.ID("i-growth_projections")))
		browsertest.CheckAccessibility(t, tab)
		browsertest.Screenshot(t, tab, "counter-"+handlerstest.Itoa(width))
		browsertest.ElementScreenshot(t, tab, "#q-growth_projections", "counter-answer-"+handlerstest.Itoa(width))
	}
}

// TestUnpostedCommentSurvivesAnotherPost: text typed in one comment box
// comes back after another comment is posted (which reloads the page), with
// a note and a button to discard it; posting it forgets it.
func TestUnpostedCommentSurvivesAnotherPost(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, _ := handlerstest.OpenPhase(t, e, e.Srv.URL)
	draft := "Who signs off the architecture? Line one.\nLine two."
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("cm-body-new"), draft),
		chromedp.Click(chromedp.CSS("#qc-growth_projections summary")),
		chromedp.SendKeys(chromedp.ID("cm-body-new-growth_projections"), "Numbers per year, please."),
		chromedp.Click(chromedp.CSS(`button[form="f-new-growth_projections"]`)),
		chromedp.WaitVisible(chromedp.CSS(".draft-note")),
	)
	if got := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("cm-body-new"))); got != draft {
		t.Errorf("after posting another comment the phase comment box holds %q, want the unposted text", got)
	}
	if note := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS(".draft-note"))); !strings.Contains(note, "Restored text you had not posted") {
		t.Errorf("the note says %q", note)
	}
	if body := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("qc-growth_projections"))); !strings.Contains(body, "Numbers per year, please.") {
		t.Error("the other comment was not posted")
	}
	browsertest.ElementScreenshot(t, tab, ".new-comment:has(#cm-body-new)", "comment-restored")
	// Posting it forgets the kept copy: the next page shows the box empty.
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`button[form="f-new"]`)),
		chromedp.WaitNotPresent(chromedp.CSS(".draft-note")),
	)
	if got := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("cm-body-new"))); got != "" {
		t.Errorf("after posting it, the box holds %q", got)
	}
	// Discard: typed, the page reloaded, discarded: gone for good.
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("cm-body-new"), "A second thought."),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(".draft-note button")),
		chromedp.Click(chromedp.CSS(".draft-note button")),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("cm-body-new")),
	)
	if got := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("cm-body-new"))); got != "" {
		t.Errorf("after discarding, the box holds %q", got)
	}
	if n := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll(".draft-note").length`)); n != 0 {
		t.Errorf("%d notes after discarding", n)
	}
}

// TestSubmitAppearsWhenComplete: the review panel says what is needed
// before a phase can be submitted, and the Submit button appears the
// moment the last checkpoint is saved, without reloading the page.
func TestSubmitAppearsWhenComplete(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	p := handlerstest.Start(t, b, false) + "/phases/1.1"
	form := handlerstest.Phase11()
	form.Del("c.mobile_app_inventory_documented")
	handlerstest.AddVersions(t, b, p, form)
	if resp, _ := b.Post(p, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", resp.StatusCode)
	}
	tab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	browsertest.Do(t, tab, chromedp.Navigate(e.Srv.URL+p), chromedp.WaitVisible(chromedp.ID("phase-submit")))
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("phase-submit"))); !strings.Contains(got, "Once every required question is answered") ||
		!strings.Contains(got, "rules are met") {
		t.Errorf("before the phase is complete the panel says %q", got)
	}
	// Its link leads to what is left (a walk saw only a failing rule left,
	// and the panel naming questions and checkpoints alone).
	browsertest.Do(t, tab, handlerstest.Press(`#phase-submit a[href="#phase-todo"]`))
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`location.hash + " " + document.querySelector("#phase-todo").textContent`)); !strings.HasPrefix(got, "#phase-todo ") || !strings.Contains(got, "Still to do") {
		t.Errorf("following the panel's link: %q, want the list of what is left", got)
	}
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.ID("i-c-mobile_app_inventory_documented")),
		chromedp.WaitVisible(chromedp.CSS(`#phase-submit button[type=submit]`)),
	)
	for _, width := range []int64{1280, 390} {
		browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900))
		browsertest.CheckAccessibility(t, tab)
		browsertest.ElementScreenshot(t, tab, ".phase-actions", "phase-submit-"+handlerstest.Itoa(width))
	}
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`#phase-submit button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice.ok")),
	)
	if got := browsertest.Run(t, tab, chromedp.Text(chromedp.ID("phase-submit"))); !strings.Contains(got, "Submitted: waiting for the advisor.") {
		t.Errorf("after submitting the panel says %q", got)
	}
}

// Leaving a field whose answer autosave already stored is no edit: the
// browser's "change" on leaving it sends no second save, and following a
// link then asks nothing ("Leave site?" after "✓ Saved" was a false
// alarm). A save while the focus is on the answer's History link gives the
// focus back to the new link, instead of dropping it to the page.
func TestLeavingASavedFieldAsksNothing(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	saves := countSaves(e, "growth_projections")
	tab, phase := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("i-growth_projections"), "Double the users"),
		handlerstest.SavedIn("m-growth_projections"),
		handlerstest.Until(`document.querySelector("#hl-growth_projections") !== null`),
	)
	if n := saves.Load(); n != 1 {
		t.Fatalf("%d saves while typing, want 1", n)
	}
	// More typed, then Tab at once: the field's "change" sends the save,
	// and the focus is on the History link that the save replaces.
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("i-growth_projections"), " in two years."),
		chromedp.KeyEvent("\t"),
	)
	if id := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); id != "hl-growth_projections" {
		t.Fatalf("Tab from the answer went to %q, want its History link", id)
	}
	browsertest.Do(t, tab, handlerstest.Until(`document.querySelector("#hl-growth_projections").textContent === "History (2)"`))
	if id := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); id != "hl-growth_projections" {
		t.Errorf("after the save the focus is on %q, want the new History link", id)
	}
	if n := saves.Load(); n != 2 {
		t.Errorf("%d saves, want 2", n)
	}

	// Leaving the field while the save of what was typed is on its way
	// (a slow network, or a slow machine between the last key and Tab)
	// sends nothing more: the save on its way has the same answer.
	release := saves.hold()
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.ID("i-growth_projections")),
		chromedp.SendKeys(chromedp.ID("i-growth_projections"), " Or more."),
	)
	for deadline := time.Now().Add(10 * time.Second); saves.Load() != 3; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			release()
			t.Fatalf("%d saves, want the third on its way", saves.Load())
		}
	}
	browsertest.Do(t, tab, chromedp.KeyEvent("\t"))
	release()
	browsertest.Do(t, tab,
		handlerstest.Until(`document.querySelector("#hl-growth_projections").textContent === "History (3)"`),
		handlerstest.Until(`document.querySelector(".htmx-settling, .htmx-request") === null`),
	)

	// Typed, saved as typed, and the focus still in the field: a link
	// is followed without a question, and no save is sent again.
	asked := acceptLeaving(t, tab)
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.ID("i-growth_projections")),
		chromedp.SendKeys(chromedp.ID("i-growth_projections"), " At least."),
		handlerstest.Until(`document.querySelector("#hl-growth_projections").textContent === "History (4)"`),
	)
	overview := strings.TrimSuffix(phase, "/phases/1.1")
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`nav.breadcrumbs a[href="`+overview+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("ol.stepper")),
	)
	if n := asked.Load(); n != 0 {
		t.Errorf("following a link after the answer was saved asked %d times whether to leave", n)
	}
	if n := saves.Load(); n != 4 {
		t.Errorf("%d saves, want 4: leaving the saved field sent it again", n)
	}
	if got := handlerstest.State(t, e, overview).Answers["growth_projections"].Value; got != "Double the users in two years. Or more. At least." {
		t.Errorf("stored %q", got)
	}
}

// What the phase still lacks and the list of phases follow the autosaves:
// an answer given leaves the "Still to do" list (kept open if it was), and
// the last one empties it and opens the next phase in the list beside.
func TestStillToDoFollowsAutosave(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	form := handlerstest.Phase11()
	form.Del("architecture_diagram_url")
	form.Del("growth_projections")
	handlerstest.AddVersions(t, b, base+"/phases/1.1", form)
	if resp, _ := b.Post(base+"/phases/1.1", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill 1.1 = %d", resp.StatusCode)
	}
	handlerstest.Upload(t, b, base+"/phases/1.1/checkpoints/architecture_diagram_created/evidence", "d.pdf", []byte("%PDF-1.4 x"))

	tab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	todo := `(document.querySelector("#phase-todo summary") ? document.querySelector("#phase-todo summary").textContent : "")`
	nav12 := `document.querySelector('#phase-nav a[href$="/phases/1.2"]').parentElement.querySelector(".phase-nav-status").textContent`
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+base+"/phases/1.1"),
		chromedp.WaitVisible(chromedp.ID("i-growth_projections")),
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](todo)); !strings.HasSuffix(got, "(2)") {
		t.Fatalf("the list says %q, want 2 things to do", got)
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](nav12)); got != "Locked" {
		t.Fatalf("1.2 is %q in the list, want Locked", got)
	}
	// From the keyboard, the phase's own skip link passes the progress and
	// the list of phases: Enter, then Tab, is in the first question.
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.CSS(`a.skip-link[href="#questions"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.KeyEvent("\t"),
	)
	if in := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.activeElement.closest("#phase-form .question") !== null`)); !in {
		t.Errorf("after the skip link, Tab went to %s", browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 120)`)))
	}
	// Typed, then straight to the list's summary: the save on leaving the
	// field replaces the list under the focus.
	browsertest.Do(t, tab,
		handlerstest.Press("#phase-todo summary"),
		chromedp.SendKeys(chromedp.ID("i-growth_projections"), "Double the users in two years."),
		chromedp.Focus(chromedp.ID("phase-todo-summary")),
		handlerstest.SavedIn("m-growth_projections"),
		handlerstest.Until(todo+`.endsWith("(1)")`),
		handlerstest.Until(`document.querySelector(".htmx-settling") === null`),
		chromedp.Sleep(100*time.Millisecond), // htmx copies the old attributes until it settles
	)
	if open := browsertest.Run(t, tab, chromedp.Evaluate[bool](`document.querySelector("#phase-todo details").open`)); !open {
		t.Error("the list opened by the person closed when it changed")
	}
	if id := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); id != "phase-todo-summary" {
		t.Errorf("after the save replaced the list the focus is on %q, want its summary", id)
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector("#phase-todo ul").textContent`)); strings.Contains(got, "growth") || !strings.Contains(got, "architecture diagram") {
		t.Errorf("the list holds %q, want only the diagram's link", got)
	}
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("i-architecture_diagram_url"), "https://wiki.example.org/architecture"),
		handlerstest.SavedIn("m-architecture_diagram_url"),
		handlerstest.Until(todo+` === ""`),
		handlerstest.Until(nav12+` === "Open"`),
	)
	// Removing a table's only row is a save like any other: the list says
	// what the phase lacks again, and 1.2 locks; putting it back undoes both.
	browsertest.Do(t, tab,
		handlerstest.Press(`#q-mobile_apps button[value="remove:mobile_apps:0"]`),
		handlerstest.Until(todo+`.endsWith("(1)")`),
		handlerstest.Until(nav12+` === "Locked"`),
		handlerstest.Press(`#q-mobile_apps button[value="insert:mobile_apps:0"]`),
		handlerstest.Until(todo+` === ""`),
		handlerstest.Until(nav12+` === "Open"`),
	)
	browsertest.CheckAccessibility(t, tab)
}

// TestSignedOutWhileTypingKeepsThePage ends the session behind the page
// (signed out in another tab): an answer typed then is refused 401, and
// the page stays, without a redirect or "Leave site?", with the answer as
// typed, saying why beside it, and a link in the banner to sign in again in
// a new tab, back to this page. No retries are sent meanwhile. Signed in
// again, back on the tab, the answer is saved.
func TestSignedOutWhileTypingKeepsThePage(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	saves := countSaves(e, "growth_projections")
	tab, phase := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "401 (Unauthorized)")
	browsertest.ExpectConsoleError(tab, "Response Status Error Code 401") // htmx says so too
	asked := acceptLeaving(t, tab)
	if _, err := e.Pool.Exec(t.Context(), `DELETE FROM sessions`); err != nil {
		t.Fatal(err)
	}
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("i-growth_projections"), "Double the users"),
		chromedp.KeyEvent("\t"),
		handlerstest.Until(`document.querySelector("#q-growth_projections .save-state").dataset.state === "signedout"`),
		chromedp.WaitVisible(chromedp.ID("session-signin")),
		chromedp.Sleep(2500*time.Millisecond), // a retry would have gone by now
	)
	if n := saves.Load(); n != 1 {
		t.Errorf("%d saves sent while signed out, want 1 (no retries)", n)
	}
	if path := browsertest.Run(t, tab, chromedp.Evaluate[string](`location.pathname`)); path != phase || asked.Load() != 0 {
		t.Errorf("signed out, the page went to %q (asked to leave %d times), want it to stay on %s", path, asked.Load(), phase)
	}
	said := browsertest.Run(t, tab, chromedp.Text(chromedp.CSS("#q-growth_projections .save-state")))
	href := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.getElementById("session-signin").getAttribute("href")`))
	if !strings.Contains(said, "you are signed out") || href != "/signin?next="+url.QueryEscape(phase) {
		t.Errorf("beside the answer %q; the banner's link goes to %q", said, href)
	}
	if v := browsertest.Run(t, tab, chromedp.Value(chromedp.ID("i-growth_projections"))); v != "Double the users" {
		t.Errorf("the answer now reads %q", v)
	}
	handlerstest.LookAt(t, tab, "signed-out-while-typing")

	// Signed in again (in this browser: another tab would do the same),
	// then back on this tab.
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`fetch("/signin", {method: "POST", body: new URLSearchParams({email: "manager@example.org", password: `+strconv.Quote(handlerstest.Password)+`}), redirect: "manual"})`, chromedp.EvalAwaitPromise),
		chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event("focus"))`),
		handlerstest.SavedIn("m-growth_projections"),
		chromedp.WaitNotVisible(chromedp.ID("session-warning")),
	)
	if got := handlerstest.State(t, e, strings.TrimSuffix(phase, "/phases/1.1")).Answers["growth_projections"].Value; got != "Double the users" {
		t.Errorf("stored %q after signing in again", got)
	}
}

// TestConflictKeepsTheFocus: another manager saved the answer while this
// one typed; the panel shows both, and "Keep mine" pressed from the
// keyboard saves over theirs and leaves the focus in the answer's field
// (it went to the page when the panel it was in was replaced).
func TestConflictKeepsTheFocus(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, phase := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "409 (Conflict)")
	e.User(t, "deputy@example.org", store.RoleManager, e.OrgA.ID)
	deputy := e.Browser(t)
	deputy.SignIn("deputy@example.org")
	if resp, _ := deputy.Do(http.MethodPost, phase+"/answers/growth_projections", url.Values{"growth_projections": {"Theirs"}, "_v.growth_projections": {"0"}}, "HX-Request", "true"); resp.StatusCode != http.StatusOK {
		t.Fatalf("the deputy's save = %d", resp.StatusCode)
	}
	browsertest.Do(t, tab,
		chromedp.SendKeys(chromedp.ID("i-growth_projections"), "Mine"),
		chromedp.KeyEvent("\t"),
		chromedp.WaitVisible(chromedp.CSS("#q-growth_projections .conflict")),
		// htmx takes the panel's buttons over when it settles: before, the
		// button is a plain one of the phase form (a person is never as quick).
		handlerstest.Until(`document.querySelector(".htmx-settling, .htmx-swapping") === null`),
		chromedp.Sleep(100*time.Millisecond),
	)
	handlerstest.LookAt(t, tab, "conflict-with-another")
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.CSS("#q-growth_projections .conflict button")),
		chromedp.KeyEvent("\r"),
		handlerstest.SavedIn("m-growth_projections"),
		handlerstest.Until(`document.querySelector(".htmx-settling") === null`),
	)
	if id := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); id != "i-growth_projections" {
		t.Errorf("after Keep mine the focus is on %q, want the answer's field", id)
	}
	if got := handlerstest.State(t, e, strings.TrimSuffix(phase, "/phases/1.1")).Answers["growth_projections"].Value; got != "Mine" {
		t.Errorf("stored %q, want Mine kept", got)
	}
}

// saveCounter counts the autosaves of one question that reach the
// server; while held, they wait there before they are answered.
type saveCounter struct {
	atomic.Int32
	mu   sync.Mutex
	gate chan struct{}
}

// hold keeps the saves that arrive from now on waiting until release.
func (s *saveCounter) hold() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	gate := make(chan struct{})
	s.gate = gate
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.gate = nil
		close(gate)
	}
}

// countSaves counts the autosaves of question key that reach e's server.
func countSaves(e *handlerstest.Env, key string) *saveCounter {
	var saves saveCounter
	e.Srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/answers/"+key) {
			saves.Add(1)
			saves.mu.Lock()
			gate := saves.gate
			saves.mu.Unlock()
			if gate != nil {
				<-gate
			}
		}
		e.Handler.ServeHTTP(w, r)
	})
	return &saves
}

// TestTypingADateSavesItOnce types a date into the scale timeline's first
// row, key by key as a person does: Chrome changes the field at every key
// of the year (0002, 0020, 0202, 2027), and only the whole date is saved,
// once, with no refusal flashing meanwhile. Left with a year of fewer than
// four digits, the field is sent and refused beside it.
func TestTypingADateSavesItOnce(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	handlerstest.Fill11(t, b, base)
	saves := countSaves(e, "scale_timeline")
	tab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	date := `input[name="scale_timeline.0.date"]`
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+base+"/phases/1.2"),
		chromedp.WaitVisible(chromedp.CSS(date)),
		chromedp.SendKeys(chromedp.CSS(`input[name="scale_timeline.0.users"]`), "500"),
		chromedp.Click(chromedp.CSS(date)),
		chromedp.KeyEvent("04152027"),
		handlerstest.SavedIn("m-scale_timeline"),
	)
	time.Sleep(time.Second) // any late save would have gone by now
	if n := saves.Load(); n != 1 {
		t.Errorf("typing a date sent %d saves, want 1", n)
	}
	if v := handlerstest.State(t, e, base).Answers["scale_timeline"].Value; !strings.Contains(v, "2027-04-15") {
		t.Errorf("stored %s, want the date typed", v)
	}
	// A year left half typed is sent as the focus leaves, and refused.
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)")
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.CSS(date)),
		chromedp.KeyEvent(kb.ArrowRight+kb.ArrowRight), // from the month to the year
		chromedp.KeyEvent("202"),
		chromedp.Focus(chromedp.CSS(`input[name="scale_timeline.0.users"]`)),
		handlerstest.Until(`document.querySelector("#m-scale_timeline").textContent.includes("must be a whole day from 1900 on")`),
	)
	browsertest.ElementScreenshot(t, tab, "#q-scale_timeline", "date-half-typed")
}

// TestRefusedEvidenceLinkMarksItAlone: a checkpoint ticked with an
// evidence link that is not one is refused whole. The link alone is marked
// (not the tick, not the empty note beside it), and the message says the
// tick is not saved either (a walk saw the box stay ticked, the note
// marked, and only "Enter a full link").
func TestRefusedEvidenceLinkMarksItAlone(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	tab, _ := handlerstest.OpenPhase(t, e, e.Srv.URL)
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)")
	key := "architecture_diagram_created"
	browsertest.Do(t, tab,
		handlerstest.Press("#c-"+key+" details.evidence summary"),
		chromedp.SendKeys(chromedp.ID("i-cu-"+key), "Dimagi ticket #48213"),
		handlerstest.Press("#i-c-"+key), // leaving the link saves it, refused; the tick saves again
		handlerstest.Until(`document.querySelector("#cm-`+key+`").textContent.includes("the tick is not saved")`),
		// The fields are marked once htmx has settled the answer.
		handlerstest.Until(`document.querySelector("#i-cu-`+key+`").getAttribute("aria-invalid") === "true" && document.querySelector(".htmx-settling") === null`),
	)
	invalid := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#c-`+key+` [aria-invalid=true]")).map(el => el.name)`))
	if !slices.Equal(invalid, []string{"cu." + key}) {
		t.Errorf("fields marked invalid: %q, want the evidence link alone", invalid)
	}
	// And seen so: the note's border is not the link's red.
	border := `getComputedStyle(document.getElementById("%s")).borderTopColor`
	if link, note := browsertest.Run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(border, "i-cu-"+key))), browsertest.Run(t, tab, chromedp.Evaluate[string](fmt.Sprintf(border, "i-cn-"+key))); link == note {
		t.Errorf("the empty note is drawn like the refused link (%s)", note)
	}
	browsertest.CheckAccessibility(t, tab)
}

package review_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// submit clicks the button sel and waits for the next page's message.
func submit(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.before = "1"`),
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-before]) .notice[role=status]`)),
	)
}

// flashSays checks the message an action's redirect shows.
func flashSays(t *testing.T, tab context.Context, text string) {
	t.Helper()
	if got := evalString(t, tab, `document.querySelector('.notice[role=status]').textContent`); !strings.Contains(got, text) {
		t.Fatalf("the page says %q, want %q", got, text)
	}
}

// The advisor comments on one question and requests changes marking it;
// the manager sees the reason at the top of the phase and beside the
// question, replies and resolves it, and the request stays, collapsed.
func TestChangeRequestInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	_, phase := handlerstest.Phase11Submitted(t, e)
	const q = "architecture_diagram_url"
	text := func(tab context.Context, sel string) string {
		return browsertest.Run(t, tab, chromedp.Evaluate[string](`(document.querySelector(`+handlerstest.JSString(sel)+`) || {textContent: ""}).textContent`))
	}

	adv := handlerstest.SignedInTab(t, e.Srv.URL, "advisor@example.org")
	browsertest.Do(t, adv,
		chromedp.Navigate(e.Srv.URL+phase),
		chromedp.WaitVisible(chromedp.ID("f-comment")),
		// A comment on the question, mentioning the manager.
		chromedp.Click(chromedp.CSS(`#qc-`+q+` > summary`)),
		chromedp.WaitVisible(chromedp.ID("cm-body-new-"+q)),
		chromedp.SendKeys(chromedp.ID("cm-body-new-"+q), "@manager is this the diagram from May?"),
		submit(`button[form="f-new-`+q+`"]`),
	)
	flashSays(t, adv, "Comment posted.")
	browsertest.Do(t, adv,
		// The decision: changes, marking the question.
		chromedp.SendKeys(chromedp.ID("f-comment"), "Link the diagram PDF itself, not the wiki page."),
		chromedp.Click(chromedp.ID("f-mark-"+q)),
	)
	browsertest.CheckAccessibility(t, adv)
	browsertest.Screenshot(t, adv, "comments-advisor-1280")
	browsertest.Do(t, adv,
		submit(`button[name=decision][value=changes]`),
	)
	flashSays(t, adv, "Sent back to the program manager")

	mgr := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	browsertest.Do(t, mgr,
		chromedp.Navigate(e.Srv.URL+phase),
		chromedp.WaitVisible(chromedp.CSS(".change-requests")),
	)
	if got := text(mgr, ".change-requests"); !strings.Contains(got, "Link the diagram PDF itself, not the wiki page.") || !strings.Contains(got, "advisor") {
		t.Errorf("the top of the phase says %q", got)
	}
	// The marked question is a link to it, and a marker stands beside it.
	if !browsertest.Run(t, mgr, chromedp.Evaluate[bool](`(() => {
		const link = document.querySelector('.change-requests a[href="#q-`+q+`"]');
		const mark = document.querySelector('.change-mark');
		const question = document.getElementById('q-`+q+`');
		return !!link && !!mark && mark.nextElementSibling.contains(question) &&
			mark.getBoundingClientRect().bottom <= question.getBoundingClientRect().top + 1;
	})()`)) {
		t.Error("no link from the request to the question, or no marker just above it")
	}
	// Following it shows the marker too, not only the question under it.
	browsertest.Do(t, mgr, chromedp.Click(chromedp.CSS(`.change-requests a[href="#q-`+q+`"]`)), handlerstest.Until(`location.hash === "#q-`+q+`"`), chromedp.Sleep(300*time.Millisecond))
	if top := browsertest.Run(t, mgr, chromedp.Evaluate[float64](`document.querySelector('.change-mark').getBoundingClientRect().top`)); top < 0 {
		t.Errorf("after following the link the marker is %.0f px above the window", -top)
	}
	if got := text(mgr, "#qc-"+q+" .comment-body"); got != "@manager is this the diagram from May?" {
		t.Errorf("the question's comment reads %q", got)
	}
	browsertest.CheckAccessibility(t, mgr)
	browsertest.Screenshot(t, mgr, "comments-manager-1280")
	browsertest.Do(t, mgr, chromedp.EmulateViewport(390, 900), chromedp.Navigate(e.Srv.URL+phase), chromedp.WaitVisible(chromedp.CSS(".change-requests")))
	if w := browsertest.Run(t, mgr, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 390 {
		t.Errorf("at 390 px the page is %d px wide", w)
	}
	browsertest.CheckAccessibility(t, mgr)
	browsertest.Screenshot(t, mgr, "comments-manager-390")

	// The manager follows the request to its thread, replies, resolves.
	browsertest.Do(t, mgr,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(chromedp.CSS(`.change-requests a[href^="#t-"]`)),
		chromedp.Click(chromedp.CSS(`article.change-request details.reply > summary`)),
		chromedp.SendKeys(chromedp.CSS(`article.change-request details.reply textarea`), "Done: the PDF is linked now."),
		submit(`article.change-request details.reply button`),
	)
	flashSays(t, mgr, "Reply posted.")
	if got := text(mgr, "article.change-request"); !strings.Contains(got, "Done: the PDF is linked now.") {
		t.Errorf("the thread reads %q after the reply", got)
	}
	browsertest.Do(t, mgr,
		submit(`article.change-request .thread-actions button.secondary`),
	)
	flashSays(t, mgr, "Marked resolved.")
	if n := browsertest.Run(t, mgr, chromedp.Evaluate[int](`document.querySelectorAll('.change-requests, .change-mark').length`)); n != 0 {
		t.Errorf("%d change-request notices remain after resolving", n)
	}
	if got := text(mgr, ".phase-main > .notice[role=note]"); strings.Contains(got, "Link the diagram PDF") || !strings.Contains(got, "every request is marked resolved") {
		t.Errorf("after resolving, the top of the phase says %q", got)
	}
	resolved := `details.thread.resolved.change-request`
	if open := browsertest.Run(t, mgr, chromedp.Evaluate[bool](`document.querySelector(`+handlerstest.JSString(resolved)+`).open`)); open {
		t.Error("the resolved request is not collapsed")
	}
	browsertest.Do(t, mgr, chromedp.Click(chromedp.CSS(resolved+` > summary`)))
	if got := text(mgr, resolved); !strings.Contains(got, "Link the diagram PDF itself") || !strings.Contains(got, "Done: the PDF is linked now.") || !strings.Contains(got, "resolved by manager") {
		t.Errorf("the resolved request reads %q", got)
	}
	browsertest.CheckAccessibility(t, mgr)
	browsertest.Screenshot(t, mgr, "comments-resolved-1280")
}

// Typing @ in a comment suggests the people who can be mentioned, by
// handle or by the start of a name; the keyboard or a click takes one.
// A comment the server refused survives a reload of its page.
func TestMentionSuggestionsInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	if err := e.St.SetUserName(context.Background(), e.Advisor.ID, "Omar Diallo"); err != nil {
		t.Fatal(err)
	}
	tab, _ := handlerstest.OpenPhase(t, e, e.Srv.URL)
	const box = "cm-body-new"
	options := func() []string {
		return browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#mention-list:not([hidden]) [role=option]")].map(o => o.textContent)`))
	}
	value := func() string { return browsertest.Run(t, tab, chromedp.Value(chromedp.ID(box))) }
	people := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.querySelectorAll("#people li").length`))
	browsertest.Do(t, tab, chromedp.SendKeys(chromedp.ID(box), "Please check with @"))
	if got := options(); len(got) != people || people < 2 {
		t.Errorf("after @ the list offers %q, want the %d people of the page's list", got, people)
	}
	// Two letters of a first name narrow it to the advisor, chosen.
	browsertest.Do(t, tab, chromedp.SendKeys(chromedp.ID(box), "om"))
	if got := options(); len(got) != 1 || got[0] != "Omar Diallo (Advisor) @advisor" {
		t.Errorf("after @om the list offers %q, want the advisor alone", got)
	}
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.getElementById("`+box+`").getAttribute("aria-activedescendant") + " " + document.querySelector("[role=option][aria-selected=true]").id`)); got != "mention-0 mention-0" {
		t.Errorf("the field's active option and the one marked chosen: %q", got)
	}
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "mention-suggestions")
	browsertest.Do(t, tab, chromedp.KeyEvent(kb.Enter))
	if got := value(); got != "Please check with @advisor " {
		t.Errorf("Enter took the suggestion as %q", got)
	}
	if got := options(); len(got) != 0 {
		t.Errorf("the list stays open after taking one: %q", got)
	}
	// The arrow keys move the choice; Escape closes the list and Enter then
	// writes a new line, as in any text box.
	browsertest.Do(t, tab, chromedp.SendKeys(chromedp.ID(box), "and @"), chromedp.KeyEvent(kb.ArrowDown))
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector("[role=option][aria-selected=true]").id`)); got != "mention-1" {
		t.Errorf("ArrowDown chose %q, want the second", got)
	}
	browsertest.Do(t, tab, chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Enter))
	if got := value(); got != "Please check with @advisor and @\n" {
		t.Errorf("after Escape and Enter the text is %q", got)
	}
	// A click takes one.
	browsertest.Do(t, tab, chromedp.SendKeys(chromedp.ID(box), "@man"), chromedp.Click(chromedp.CSS("#mention-0")))
	if got := value(); got != "Please check with @advisor and @\n@manager " {
		t.Errorf("a click took the suggestion as %q", got)
	}
	if focused := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.activeElement.id`)); focused != box {
		t.Errorf("after the click the focus is on %q", focused)
	}

	// Refused (nobody is no one's handle), then the page reloaded: the text
	// comes back, kept by the browser.
	refused := "Ask @nobody about the rack."
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`document.getElementById("`+box+`").value = ""`),
		chromedp.SendKeys(chromedp.ID(box), refused),
		chromedp.Click(chromedp.CSS(`button[form="f-new"]`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)")
	browsertest.Do(t, tab, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".draft-note")))
	if got := value(); got != refused {
		t.Errorf("after a reload of the refused comment's page the box holds %q", got)
	}
}

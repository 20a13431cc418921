package review_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// TestCheckpointNoteInABrowser: the manager opens a checkpoint's evidence,
// types how it was done and the note saves itself; the advisor reads it on
// the review view; the overview lists the exports. axe and screenshots at
// 1280 and 390 px.
func TestCheckpointNoteInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	e := handlerstest.NewEnv(t)
	b, base := handlerstest.Submitted11(t, e)
	p := base + "/phases/1.1"
	const key = "mobile_app_inventory_documented"
	// Back to the manager's hands: the advisor asks for changes.
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	handlerstest.Posted(t, "request changes", adv, p+"/review", url.Values{"decision": {"changes"}, "comment": {"Say how the inventory was made."}})

	tab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	note := "Exported from the app's admin page on 3 May; checked by the district leads."
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+p),
		chromedp.WaitVisible(chromedp.ID("c-"+key)),
		handlerstest.Press("#c-"+key+" details.evidence summary"),
		chromedp.WaitVisible(chromedp.ID("i-cn-"+key)),
		chromedp.SendKeys(chromedp.ID("i-cn-"+key), note),
		handlerstest.SavedIn("cm-"+key),
	)
	if got := handlerstest.State(t, e, base).Confirmations[key].Note; got != note {
		t.Fatalf("the note saved as %q", got)
	}
	browsertest.Do(t, tab, chromedp.Evaluate[chromedp.Void](`document.querySelector("#c-`+key+`").scrollIntoView({block: "center"})`))
	handlerstest.LookAt(t, tab, "checkpoint-note")
	browsertest.ElementScreenshot(t, tab, "#c-"+key, "checkpoint-note-block")

	handlerstest.Posted(t, "submit again", b, p+"/submit", url.Values{})
	atab := handlerstest.SignedInTab(t, e.Srv.URL, "advisor@example.org")
	browsertest.Do(t, atab,
		chromedp.Navigate(e.Srv.URL+p+"#c-"+key),
		chromedp.WaitVisible(chromedp.CSS("#c-"+key+" .cp-note")),
	)
	if got := browsertest.Run(t, atab, chromedp.Text(chromedp.CSS("#c-"+key+" .cp-note"))); !strings.Contains(got, note) {
		t.Errorf("the advisor reads %q", got)
	}
	handlerstest.LookAt(t, atab, "checkpoint-note-review")
	browsertest.ElementScreenshot(t, atab, "#c-"+key, "checkpoint-note-review-block")

	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+base),
		chromedp.WaitVisible(chromedp.ID("exports-h")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#exports-h").scrollIntoView()`),
	)
	handlerstest.LookAt(t, tab, "overview-exports")
	browsertest.ElementScreenshot(t, tab, "section.exports", "overview-exports-section")
}

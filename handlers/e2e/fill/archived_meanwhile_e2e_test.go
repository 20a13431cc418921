package fill_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// TestArchivedMeanwhileInABrowser: an overview is open when another window
// archives the assessment; setting an action item's owner there shows the
// refusal in place of the page's main content, under the same header,
// with its heading focused, rather than a whole page inside the item.
func TestArchivedMeanwhileInABrowser(t *testing.T) {
	t.Parallel()
	e := handlerstest.NewEnv(t)
	mgr, base := handlerstest.Submitted11(t, e)
	tab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+base),
		chromedp.WaitVisible(chromedp.CSS(`form.action-form input[name=owner]`)),
		// The first item, its phase unfolded as a person would.
		chromedp.Evaluate[chromedp.Void](`(() => {
			const f = document.querySelector("form.action-form");
			f.id = "first-item";
			for (let d = f.closest("details"); d; d = d.parentElement.closest("details")) { d.open = true; }
		})()`),
	)
	if resp, _ := mgr.Post(base+"/archive", url.Values{}); resp.StatusCode != 303 {
		t.Fatalf("archive = %d", resp.StatusCode)
	}
	browsertest.ExpectConsoleError(tab, "409 (Conflict)")
	browsertest.Do(t, tab,
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#first-item input[name=owner]").focus()`),
		chromedp.KeyEvent("Amina"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#first-item button[type=submit]").focus()`),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.ID("error-heading")),
	)
	got := browsertest.Run(t, tab, chromedp.Evaluate[[]any](`[
		document.querySelectorAll("header.site-header").length,
		document.querySelectorAll("main").length,
		document.activeElement.id,
		!!document.querySelector("main .error-page") && !document.querySelector(".action-list .error-page"),
	]`))
	if len(got) != 4 || got[0] != 1.0 || got[1] != 1.0 || got[2] != "error-heading" || got[3] != true {
		t.Errorf("after the refused save: %v headers, %v main, focus on %q, error page in main (not in the item): %v", got[0], got[1], got[2], got[3])
	}
	browsertest.Screenshot(t, tab, "archived-meanwhile-action-1280")
}

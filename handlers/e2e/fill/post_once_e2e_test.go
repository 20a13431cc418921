package fill_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
)

// TestFormsPostOnce: a double click on a form's button posts it once (a
// slow answer otherwise starts two assessments of one name); a form whose
// answer may be a download (the resource model's) is left free.
func TestFormsPostOnce(t *testing.T) {
	t.Parallel()
	e := handlerstest.NewEnv(t)
	tab := handlerstest.SignedInTab(t, e.Srv.URL, "manager@example.org")
	// Each submit event that goes ahead is counted in the tab's session
	// storage, which outlives the page the post leaves.
	const count = `sessionStorage.setItem("posts", "0");
		window.addEventListener("submit", e => { if (!e.defaultPrevented) sessionStorage.setItem("posts", String(Number(sessionStorage.getItem("posts")) + 1)); });`
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/assessments#start-h"),
		chromedp.WaitVisible(chromedp.ID("f-name")),
		handlerstest.TypeInto("f-name", "Double-clicked move"),
		chromedp.Evaluate[chromedp.Void](count+`
			const b = document.querySelector('form[action="/assessments"] button[type=submit]');
			b.click(); b.click();`),
		chromedp.WaitVisible(chromedp.CSS("ol.stepper")),
	)
	if posts := browsertest.Run(t, tab, chromedp.Evaluate[string](`sessionStorage.getItem("posts")`)); posts != "1" {
		t.Errorf("a double click posted the form %s times, want once", posts)
	}
	var n int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM assessments WHERE name = 'Double-clicked move'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d assessments started by a double click (%v), want 1", n, err)
	}
	// The page asks before leaving (unsaved answers do) and the person
	// stays: the form lets go, and posts when asked again.
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/assessments#start-h"),
		chromedp.WaitVisible(chromedp.ID("f-name")),
		handlerstest.TypeInto("f-name", "Stayed move"),
		chromedp.Evaluate[chromedp.Void](`window.gwAsk = e => e.preventDefault(); window.addEventListener("beforeunload", gwAsk, {capture: true})`),
	)
	asked := handlerstest.AnswerDialogs(tab, false)
	t0 := time.Now()
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`form[action="/assessments"] button[type=submit]`)),
		handlerstest.Until(`!document.querySelector('form[action="/assessments"]').hasAttribute("data-posting")`),
		chromedp.Evaluate[chromedp.Void](`window.removeEventListener("beforeunload", gwAsk, {capture: true})`),
	)
	if d := time.Since(t0); d > 5*time.Second {
		t.Errorf("the form let go %v after the person stayed, want at once (15 s is the fallback for a post that never came back)", d)
	}
	asked()
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM assessments WHERE name = 'Stayed move'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d assessments after staying on the page (%v): the page did not ask, and the check proves nothing", n, err)
	}
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`form[action="/assessments"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ol.stepper")),
	)
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM assessments WHERE name = 'Stayed move'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d assessments after posting again (%v), want 1", n, err)
	}
	// The resource model's form answers a download and the page stays: it
	// may be posted again.
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/sizing/model"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/sizing/model"]`)),
	)
	if free := browsertest.Run(t, tab, chromedp.Evaluate[bool](`(() => {
		const f = document.querySelector('form[action="/sizing/model"]');
		const ev = () => new SubmitEvent("submit", {bubbles: true, cancelable: true}); // not sent: no button, no navigation
		f.dispatchEvent(ev());
		const again = ev();
		f.dispatchEvent(again);
		return !again.defaultPrevented && !f.hasAttribute("data-posting");
	})()`)); !free {
		t.Error("the resource model's form is held after a post")
	}
}

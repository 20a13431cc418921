package handlerstest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
)

// OpenPhase signs the manager in on a new tab, starts a CommCare
// assessment and opens phase 1.1; it returns the tab and the phase's path.
func OpenPhase(t *testing.T, e *Env, url string) (context.Context, string) {
	t.Helper()
	tab := SignedInTab(t, url, "manager@example.org")
	browsertest.Do(t, tab,
		chromedp.Click(chromedp.CSS(`a[href="/assessments#start-h"]`)),
		chromedp.WaitVisible(chromedp.ID("f-name")),
		TypeInto("f-name", "Production move 2027"),
		chromedp.Click(chromedp.CSS(`form[action="/assessments"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ol.stepper")),
		chromedp.Click(chromedp.CSS(`main p a.button`)), // Continue with 1.1
		chromedp.WaitVisible(chromedp.ID("i-architecture_diagram_url")),
	)
	path := browsertest.Run(t, tab, chromedp.Evaluate[string](`location.pathname`))
	return tab, path
}

// SignedInTab opens a tab of its own, signed in as email.
func SignedInTab(t *testing.T, url, email string) context.Context {
	t.Helper()
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	browsertest.Do(t, tab,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(url+"/signin"),
		TypeInto("f-email", email),
		TypeInto("f-password", Password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("assessments-h")),
	)
	return tab
}

// FailPosts answers the first n posts to a path containing part 503.
func FailPosts(n int32, part string, next http.Handler) (http.Handler, *atomic.Int32) {
	var left, failed atomic.Int32
	left.Store(n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, part) && left.Add(-1) >= 0 {
			failed.Add(1)
			w.Header().Set("Retry-After", "1")
			http.Error(w, "The portal is briefly unavailable.", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	}), &failed
}

// LeaveWarns says whether leaving the page now would ask first.
const LeaveWarns = `(() => { const e = new Event("beforeunload", {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; })()`

// Until polls a JavaScript condition until it holds (30 s at most).
func Until(cond string) chromedp.Action[chromedp.Void] {
	poll := chromedp.Poll[bool](cond, chromedp.WithPollingInterval(50*time.Millisecond))
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := poll(ctx, t)
		return chromedp.Void{}, err
	}
}

// Press scrolls an element to the middle of the window, clear of the
// sticky save bar, and clicks it.
func Press(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+strconv.Quote(sel)+`).scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(sel)),
	)
}

// SavedIn waits until an item's save state says it was saved by this page.
func SavedIn(stateID string) chromedp.Action[chromedp.Void] {
	return Until(`(document.querySelector("#` + stateID + ` .tick") || {}).isConnected === true`)
}

// SparseFile is a file of size bytes that takes no room on disk, for
// uploads the page must refuse by their size.
func SparseFile(t *testing.T, name string, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	return path
}

// AnswerDialogs answers the tab's next JavaScript dialog (confirm) with
// accept, and returns a function that says what it asked ("" if nothing).
func AnswerDialogs(tab context.Context, accept bool) func() string {
	ctx, cancel := context.WithCancel(tab)
	asked := make(chan string, 1)
	go func() {
		for ev, err := range chromedp.Events(ctx, page.JavascriptDialogOpening) {
			if err != nil {
				return
			}
			chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept})
			asked <- ev.Message
			cancel()
			return
		}
	}()
	return func() string {
		defer cancel()
		select {
		case m := <-asked:
			return m
		case <-time.After(5 * time.Second):
			return ""
		}
	}
}

// LookAt checks the page at 1280 and 390 px, as people see it: no sideways
// scrolling, no serious axe violation, and a screenshot named after it.
func LookAt(t *testing.T, tab context.Context, name string) {
	t.Helper()
	for _, width := range []int64{1280, 390} {
		browsertest.Do(t, tab, chromedp.EmulateViewport(width, 900))
		if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > int(width) {
			t.Errorf("%s at %d px: the page is %d px wide", name, width, w)
		}
		browsertest.CheckAccessibility(t, tab)
		browsertest.Screenshot(t, tab, fmt.Sprintf("%s-%d", name, width))
	}
	browsertest.Do(t, tab, chromedp.EmulateViewport(1280, 900))
}

// JSString is s as a JavaScript string literal in double quotes.
func JSString(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// TypeInto empties a field and types text into it, key by key, as a
// person would (the emptying itself fires no input event).
func TypeInto(id, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Evaluate[chromedp.Void](`document.getElementById(`+strconv.Quote(id)+`).value = ""`),
		chromedp.SendKeys(chromedp.ID(id), text),
	)
}

// SignInTab signs a browser tab in through the form.
func SignInTab(t *testing.T, tab context.Context, e *Env, email string) {
	t.Helper()
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/signin"),
		chromedp.WaitVisible(chromedp.ID("f-email")),
		TypeInto("f-email", email),
		TypeInto("f-password", Password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".nav-account")),
	)
}

package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestMain(m *testing.M) {
	code := m.Run()
	Close()
	os.Exit(code)
}

// recorder keeps the failures a check reports instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestCheckAccessibility: the check finds an axe violation and text drawn
// in its own background colour, and finds nothing on a clean page.
func TestCheckAccessibility(t *testing.T) {
	pages := map[string]string{
		"/bad":   `<!doctype html><html lang="en"><head><title>Bad</title></head><body><main><h1>Bad</h1><img src="/x.png"><p style="color:#fff;background:#fff">Hidden by colour</p></main></body></html>`,
		"/clean": `<!doctype html><html lang="en"><head><title>Clean</title></head><body><main><h1>Clean</h1><p>Readable text.</p></main></body></html>`,
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, pages[r.URL.Path])
	}))
	defer srv.Close()
	tab := Tab(t)
	ExpectConsoleError(tab, "404") // the missing image

	Do(t, tab, chromedp.Navigate(srv.URL+"/bad"), chromedp.WaitVisible(chromedp.CSS("h1")))
	rec := &recorder{TB: t}
	CheckAccessibility(rec, tab)
	got := strings.Join(rec.errs, "\n")
	if !strings.Contains(got, "image-alt") || !strings.Contains(got, "text in its own background colour") {
		t.Errorf("on a page with an image without alt text and white-on-white text, the check said:\n%s", got)
	}
	// A second check on the same page finds the same, with the axe already
	// loaded (the mark set on it survives).
	Do(t, tab, chromedp.Evaluate[chromedp.Void](`window.axe.loadedOnce = true`))
	again := &recorder{TB: t}
	CheckAccessibility(again, tab)
	if len(again.errs) != len(rec.errs) {
		t.Errorf("a second check found %d problems, the first %d", len(again.errs), len(rec.errs))
	}
	if !Run(t, tab, chromedp.Evaluate[bool](`window.axe.loadedOnce === true`)) {
		t.Error("the second check loaded axe again")
	}

	Do(t, tab, chromedp.Navigate(srv.URL+"/clean"), chromedp.WaitVisible(chromedp.CSS("h1")))
	clean := &recorder{TB: t}
	CheckAccessibility(clean, tab)
	if len(clean.errs) != 0 {
		t.Errorf("a clean page: %v", clean.errs)
	}
}

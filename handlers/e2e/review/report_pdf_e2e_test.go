package review_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
	"groundwork/pdf"
)

// TestPDFDownloadShowsProgress clicks "Download PDF" in a real browser:
// at once the link says it is preparing the PDF (a live region) and
// refuses a second click; when the file arrives the page says so, the
// link works again, and the file is the PDF. Screenshots at 1280 and
// 390 px while it is being prepared; axe finds nothing.
func TestPDFDownloadShowsProgress(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	r := handlerstest.Renderer(t, pdf.Config{})
	e := handlerstest.NewEnv(t, handlerstest.WithPDF(r))
	m := e.Browser(t)
	m.SignIn("manager@example.org")
	base := handlerstest.Start(t, m, true)

	// The tab uses a server of its own on the same portal whose PDFs take
	// 3 s more, so the screenshot shows one being prepared.
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/report.pdf") {
			time.Sleep(3 * time.Second)
		}
		e.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	browsertest.Do(t, tab,
		chromedp.Navigate(slow.URL+"/signin"),
		chromedp.WaitVisible(chromedp.ID("f-email")),
		handlerstest.TypeInto("f-email", "manager@example.org"),
		handlerstest.TypeInto("f-password", handlerstest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".nav-account")),
	)
	downloads := t.TempDir()
	browsertest.Do(t, tab, chromedp.Func(func(ctx2 context.Context, tt *chromedp.Target) error {
		_, err := chromedp.CallBrowser(ctx2, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, // files named by GUID: none overwrites another
			BrowserContextID: chromedp.FromContext(ctx2).BrowserContextID})
		return err
	}))
	// The report's toolbar: Print and Download PDF side by side, alike.
	browsertest.Do(t, tab, chromedp.Navigate(slow.URL+base+"/report"), chromedp.WaitVisible(chromedp.CSS("button[data-print]")))
	if sizes := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`["button[data-print]", "a[data-download]"].map(s => getComputedStyle(document.querySelector(s)).fontSize)`)); sizes[0] != sizes[1] {
		t.Errorf("the report's Print button's text is %s, its PDF link's %s; want them alike", sizes[0], sizes[1])
	}
	for i, width := range []int{1280, 390} {
		browsertest.Do(t, tab,
			chromedp.EmulateViewport(int64(width), 900),
			chromedp.Navigate(slow.URL+base),
			chromedp.WaitVisible(chromedp.CSS("a[data-download]")),
		)
		// Click, read what the page says, click again: in one evaluation,
		// before the browser hears back from the server.
		got := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`(() => {
			const link = document.querySelector("a[data-download]");
			link.click();
			const said = [document.querySelector(".download-status").textContent, link.getAttribute("aria-disabled") || ""];
			link.click(); // refused: no second PDF
			return said;
		})()`))
		if !strings.Contains(got[0], "Preparing the PDF") || got[1] != "true" {
			t.Errorf("%d px, just after the click: status %q, aria-disabled %q; want it preparing, the link disabled", width, got[0], got[1])
		}
		browsertest.Screenshot(t, tab, "pdf-preparing-"+handlerstest.Itoa(int64(width)))
		if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > width {
			t.Errorf("%d px: the page is %d px wide", width, w)
		}
		// Status and link together, in one evaluation: the page changes both at once.
		state := func() (string, string) {
			v := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[document.querySelector(".download-status").textContent,
				document.querySelector("a[data-download]").getAttribute("aria-disabled") || ""]`))
			return v[0], v[1]
		}
		deadline := time.Now().Add(60 * time.Second)
		status, disabled := state()
		for ; !strings.Contains(status, "ready") && time.Now().Before(deadline); status, disabled = state() {
			time.Sleep(200 * time.Millisecond)
		}
		if !strings.Contains(status, "The PDF is ready: your browser is downloading it.") || disabled != "" {
			t.Fatalf("%d px, after the download: status %q, aria-disabled %q", width, status, disabled)
		}
		if i == 0 {
			browsertest.CheckAccessibility(t, tab)
			browsertest.Screenshot(t, tab, "pdf-ready-1280")
		}
	}
	// Two clicks per width, one PDF each: the second clicks were refused.
	var files []string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		files, _ = filepath.Glob(filepath.Join(downloads, "*-*-*-*-*")) // GUIDs
		if n, _ := filepath.Glob(filepath.Join(downloads, "*.crdownload")); len(n) > 0 {
			continue
		}
		if len(files) >= 2 {
			break
		}
	}
	if len(files) < 1 {
		t.Fatalf("no PDF downloaded to %s", downloads)
	}
	for _, f := range files {
		if b, _ := os.ReadFile(f); !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s is not a PDF", f)
		}
	}
	if len(files) != 2 {
		t.Errorf("downloaded %v, want one PDF per width (a second click while preparing makes none)", files)
	}
}

// Package browsertest drives a real headless Chromium (through chromedp) for
// end-to-end tests: one browser per test binary, one tab per test. Every tab
// records the browser console, and a test fails if the page logged an error
// (a Content-Security-Policy violation, a failed request, an exception).
//
// Without Chromium tests skip with a message, except under CI=true where
// they fail.
package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"groundwork/pdf"
)

//go:embed axe.min.js
var axeSource string

var (
	once       sync.Once
	browser    context.Context
	stopAll    context.CancelFunc
	startErr   error
	notPresent bool
)

// candidates are the names Chromium goes by.
var candidates = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless-shell"}

func start() {
	var path string
	for _, name := range candidates {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		notPresent = true
		startErr = fmt.Errorf("no Chromium found (looked for %s on PATH); install it with apt-get install chromium", strings.Join(candidates, ", "))
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests may run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 900),
	)
	// At nice 10, as the PDF renderer's Chromium, so that neither starves
	// the other when go test runs packages side by side.
	opts = append(opts, pdf.Nice()...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	stopAll = func() { cancelCtx(); cancelAlloc() }
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		stopAll()
		startErr = fmt.Errorf("start %s: %w", path, err)
		return
	}
	browser = ctx
}

// Close stops the browser; pass it to storetest.Main or call it from
// TestMain after the tests ran.
func Close() {
	if stopAll != nil {
		stopAll()
	}
}

// Tab opens a new browser tab for t, closed when t ends. When t ends, the
// test fails if the page logged errors to the console. Every tab has a
// browser context, so cookies, of its own: tests that run at once (test
// servers differ by port only, and cookies do not) never share a session.
func Tab(t testing.TB, opts ...chromedp.ContextOption) context.Context {
	t.Helper()
	opts = append([]chromedp.ContextOption{chromedp.WithNewBrowserContext()}, opts...)
	return newTab(t, nil, opts...)
}

// TabBeside opens another tab in tab's browser context, closed when t
// ends: the same cookies and storage, as a person's second tab.
func TabBeside(t testing.TB, tab context.Context) context.Context {
	t.Helper()
	return newTab(t, tab)
}

// newTab opens a tab in parent's browser context, or in the browser when
// parent is nil.
func newTab(t testing.TB, parent context.Context, opts ...chromedp.ContextOption) context.Context {
	t.Helper()
	once.Do(start)
	if notPresent {
		msg := "browsertest: " + startErr.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: a missing browser is a failure)")
		}
		t.Skip(msg)
	}
	if startErr != nil {
		t.Fatalf("browsertest: %v", startErr)
	}
	if parent == nil {
		parent = browser
	}
	ctx, cancel := chromedp.NewContext(parent, opts...)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatalf("browsertest: open tab: %v", err)
	}

	c := &console{}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				c.mu.Lock()
				c.problems = append(c.problems, m.String())
				c.mu.Unlock()
			}
		}
	}()
	// A dialog left open ("leave this page?") stalls every later step
	// until its deadline; a failure says which one it was.
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			c.mu.Lock()
			c.dialogs = append(c.dialogs, fmt.Sprintf("%s dialog: %q", ev.Type, ev.Message))
			c.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		// Let messages of the last action arrive before judging.
		time.Sleep(50 * time.Millisecond)
		c.mu.Lock()
		defer c.mu.Unlock()
	next:
		for _, p := range c.problems {
			for _, ok := range c.expected {
				if strings.Contains(p, ok) {
					continue next
				}
			}
			t.Errorf("browser console: %s", p)
		}
	})
	return context.WithValue(ctx, consoleKey{}, c)
}

// console collects a tab's console errors.
type console struct {
	mu       sync.Mutex
	problems []string
	expected []string
	dialogs  []string // opened on the page, answered or not
}

type consoleKey struct{}

// ExpectConsoleError tells the tab's console check that errors containing
// text are expected, such as the "404 (Not Found)" a browser logs for a
// page that is meant to be missing.
func ExpectConsoleError(ctx context.Context, text string) {
	c := ctx.Value(consoleKey{}).(*console)
	c.mu.Lock()
	c.expected = append(c.expected, text)
	c.mu.Unlock()
}

// Do runs browser actions and fails t on error.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		failure(t, ctx)
		t.Fatalf("browser: %v", err)
	}
}

// failure keeps what the tab showed when a step failed: a screenshot named
// after the test, and the page's address and visible text in the log.
func failure(t testing.TB, ctx context.Context) {
	t.Helper()
	if c, ok := ctx.Value(consoleKey{}).(*console); ok {
		c.mu.Lock()
		if len(c.dialogs) > 0 {
			t.Logf("dialogs the page opened (one left open stalls every later step): %s", strings.Join(c.dialogs, "; "))
		}
		c.mu.Unlock()
	}
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	url, _ := chromedp.Run(fctx, chromedp.Location())
	text, _ := chromedp.Run(fctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 4000)`))
	png, err := chromedp.Run(fctx, chromedp.FullScreenshot(90))
	if err != nil {
		t.Logf("browser state at the failure: %v", err)
		return
	}
	name := strings.NewReplacer("/", "-", " ", "_").Replace(t.Name()) + "-failure.png"
	path := filepath.Join(moduleRoot(t), "artifacts", "screenshots", name)
	if os.MkdirAll(filepath.Dir(path), 0o755) == nil && os.WriteFile(path, png, 0o644) == nil {
		t.Logf("screenshot at the failure: %s", path)
	}
	t.Logf("page at the failure: %s\n%s", url, text)
}

// Run runs one browser action that returns a value and fails t on error.
func Run[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}

// Screenshot saves a full-page PNG of the tab as artifacts/screenshots/NAME.png
// at the module root, for people to look at, when the environment sets
// SCREENSHOTS (SCREENSHOTS=1 go test ./handlers). Otherwise it does
// nothing: the tests take about 150 of them, half a second of processor
// each on tall pages, which the package's run under go test's 10-minute
// limit is better without. A failing step keeps its screenshot always.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	return Keep(t, ctx, name+".png", chromedp.FullScreenshot(100))
}

// ElementScreenshot saves a PNG of the first element sel matches, as
// Screenshot saves a page.
func ElementScreenshot(t testing.TB, ctx context.Context, sel, name string) string {
	t.Helper()
	return Keep(t, ctx, name+".png", chromedp.Screenshot(chromedp.CSS(sel)))
}

// Keep runs shot (a screenshot, a PDF) and writes what it gives to
// artifacts/screenshots/FILE at the module root, when SCREENSHOTS is set;
// otherwise it runs nothing. It returns the file's path, or "".
func Keep(t testing.TB, ctx context.Context, file string, shot chromedp.Action[[]byte]) string {
	t.Helper()
	if os.Getenv("SCREENSHOTS") == "" {
		return ""
	}
	data := Run(t, ctx, shot)
	dir := filepath.Join(moduleRoot(t), "artifacts", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, file)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// CheckAccessibility runs axe-core (WCAG 2.1 A and AA rules) on the page in
// the tab and fails t for every violation.
func CheckAccessibility(t testing.TB, ctx context.Context) {
	t.Helper()
	// DevTools evaluation is not subject to the page's CSP. One run gives
	// both the violations and the contrast checks axe leaves undecided.
	Do(t, ctx, chromedp.Evaluate[chromedp.Void]("if (typeof axe === \"undefined\") {\n"+axeSource+"\n}"))
	found := Run(t, ctx, chromedp.Evaluate[[][]string](`axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
	}).then(r => [
		r.violations.map(v => v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", ")),
		r.incomplete.filter(v => v.id === "color-contrast")
			.flatMap(v => v.nodes.filter(n => n.any.some(c => c.data && c.data.messageKey === "equalRatio"))
			.map(n => n.target.join(" "))),
	])`, chromedp.EvalAwaitPromise))
	for _, v := range found[0] {
		t.Errorf("accessibility: %s", v)
	}
	// axe leaves text drawn in its own background colour (contrast 1:1)
	// undecided, as if it might be hidden on purpose; on our pages it is
	// always a mistake (an unstyled link in the header was invisible).
	for _, s := range found[1] {
		t.Errorf("accessibility: color-contrast: text in its own background colour at %s", s)
	}
}

// LinkContrast returns, for every link and button matching selector whose
// text contrasts less than minimum with the background behind it, a line
// naming it and its contrast ratio (WCAG 2 relative luminance).
func LinkContrast(t testing.TB, ctx context.Context, selector string, minimum float64) []string {
	t.Helper()
	return Run(t, ctx, chromedp.Evaluate[[]string](`(() => {
		const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
		const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
		const background = el => {
			for (; el; el = el.parentElement) {
				const c = rgb(getComputedStyle(el).backgroundColor);
				if (c.length === 3 || (c.length === 4 && c[3] > 0)) { return c; }
			}
			return [255, 255, 255];
		};
		const out = [];
		document.querySelectorAll(`+strconv.Quote(selector)+`).forEach(el => {
			if (!el.getClientRects().length || !el.textContent.trim()) { return; }
			const fg = lum(rgb(getComputedStyle(el).color)), bg = lum(background(el));
			const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
			if (ratio < `+fmt.Sprint(minimum)+`) { out.push(JSON.stringify(el.textContent.trim()) + " " + ratio.toFixed(2) + ":1"); }
		});
		return out;
	})()`))
}

func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; d != filepath.Dir(d); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
	}
	return dir
}

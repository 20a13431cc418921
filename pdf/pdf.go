// Package pdf prints standalone HTML documents to PDF with headless
// Chromium, through the DevTools protocol (chromedp): a local Chromium that
// the Renderer starts and owns, or a remote one (a `chrome` service in
// docker compose) that it only connects to.
//
// One browser process serves every render, each in a tab of its own: the
// browser starts at the first render (about half a second) and is started
// again when it has died; a tab opens in a few milliseconds. Renders are
// bounded (Workers at once; more get ErrBusy at once, never a queue that
// hides the wait) and time out cleanly (the tab is closed, the browser
// stays). Close stops the browser and its children: a Renderer never leaves
// a process behind.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"
)

// Defaults of Config.
const (
	DefaultWorkers = 2
	DefaultTimeout = 20 * time.Second
)

var (
	// ErrBusy is a render refused because Workers renders are running.
	ErrBusy = errors.New("pdf: every PDF worker is busy")
	// ErrUnavailable is a render asked of a Renderer without a browser.
	ErrUnavailable = errors.New("pdf: no Chromium is configured")
	// ErrTimeout is a render that took longer than Config.Timeout.
	ErrTimeout = errors.New("pdf: the render took too long")
	// ErrClosed is a render asked of a closed Renderer.
	ErrClosed = errors.New("pdf: the renderer is closed")
)

// Config says where Chromium is and how much of it to use.
type Config struct {
	// ChromePath is a local Chromium executable the Renderer starts.
	ChromePath string
	// ChromeURL is the DevTools address of a running Chromium
	// (http://chrome:9222 or ws://…), used instead of ChromePath.
	ChromeURL string
	// Workers bounds the renders at once; DefaultWorkers when zero.
	Workers int
	// Timeout bounds one render; DefaultTimeout when zero.
	Timeout time.Duration
	// Logger is told when the browser starts, stops or dies.
	Logger *slog.Logger
}

// names are the names Chromium goes by on PATH.
var names = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// FindChrome returns the first Chromium found on PATH, or "".
func FindChrome() string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// Renderer prints HTML to PDF; the zero value and nil have no browser
// (Available is false). Safe for concurrent use.
type Renderer struct {
	cfg   Config
	slots chan struct{}

	mu      sync.Mutex
	browser context.Context // the browser's first chromedp context; nil until started
	stop    func()          // stops the browser (local) or the connection (remote)
	closed  bool
}

// New returns a Renderer for cfg. It starts nothing: the browser starts
// at the first render.
func New(cfg Config) *Renderer {
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Renderer{cfg: cfg, slots: make(chan struct{}, cfg.Workers)}
}

// Available reports whether r has a browser to print with.
func (r *Renderer) Available() bool {
	return r != nil && (r.cfg.ChromePath != "" || r.cfg.ChromeURL != "")
}

// Timeout is how long one render may take (starting the browser, when
// it must, may take up to 30 s more).
func (r *Renderer) Timeout() time.Duration { return r.cfg.Timeout }

// Render prints the standalone HTML document html (styles inline, nothing
// fetched) to PDF on A4 paper, unless the document's CSS @page says
// otherwise. The document draws its own running header, footer and page
// numbers (CSS: position: fixed and @page margin boxes); Chromium adds none,
// which would print over them.
func (r *Renderer) Render(ctx context.Context, html []byte) ([]byte, error) {
	if !r.Available() {
		return nil, ErrUnavailable
	}
	select {
	case r.slots <- struct{}{}:
	default:
		return nil, ErrBusy
	}
	defer func() { <-r.slots }()

	for attempt := 0; ; attempt++ {
		browser, err := r.start(ctx)
		if err != nil {
			return nil, err
		}
		out, err := r.render(ctx, browser, html)
		if err == nil {
			return out, nil
		}
		if browser.Err() != nil && ctx.Err() == nil && attempt == 0 && !errors.Is(err, ErrTimeout) {
			// The browser died under this render (it was killed, or
			// crashed): once more, with a new one.
			r.cfg.Logger.Warn("pdf: the browser stopped during a render; starting it again", "err", err)
			continue
		}
		return nil, err
	}
}

// render prints html in browser, within the render timeout.
func (r *Renderer) render(ctx context.Context, browser context.Context, html []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, r.cfg.Timeout, ErrTimeout)
	defer cancel()
	out, err := r.print(ctx, browser, html)
	if err != nil {
		return nil, r.failed(ctx, err)
	}
	return out, nil
}

// failed says why a render failed: its time ran out, or err.
func (r *Renderer) failed(ctx context.Context, err error) error {
	if errors.Is(context.Cause(ctx), ErrTimeout) {
		return fmt.Errorf("%w (%s): %v", ErrTimeout, r.cfg.Timeout, err)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("pdf: render: %w", context.Cause(ctx))
	}
	return fmt.Errorf("pdf: render: %w", err)
}

// startTimeout bounds starting the browser, apart from the render's own
// timeout: a loaded machine can take several seconds to start Chromium.
const startTimeout = 30 * time.Second

// start returns the running browser, starting it (again) when there is
// none or it died. Starting takes at most startTimeout, or until ctx ends.
func (r *Renderer) start(ctx context.Context) (context.Context, error) {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrClosed
	}
	if r.browser != nil && r.browser.Err() == nil {
		return r.browser, nil
	}
	if r.stop != nil { // it died: collect what is left of it
		r.stop()
		r.browser, r.stop = nil, nil
	}
	var alloc context.Context
	var stopAlloc context.CancelFunc
	if r.cfg.ChromeURL != "" {
		alloc, stopAlloc = remote.NewAllocator(context.Background(), r.cfg.ChromeURL)
	} else {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(r.cfg.ChromePath),
			// chromedp adds --no-sandbox when it runs as root (a container),
			// where Chromium refuses to start with its sandbox.
			chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-dev-shm-usage", true), // a container's /dev/shm is 64 MB
			chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("mute-audio", true),
		)
		opts = append(opts, lowPriority()...) // nice_linux.go
		alloc, stopAlloc = chromedp.NewExecAllocator(context.Background(), opts...)
	}
	// chromedp logs protocol oddities it recovers from (a document
	// replaced by SetDocumentContent) with the standard logger.
	quiet := func(format string, args ...any) { r.cfg.Logger.Debug("pdf: chromedp: " + fmt.Sprintf(format, args...)) }
	browser, _ := chromedp.NewContext(alloc, chromedp.WithErrorf(quiet), chromedp.WithLogf(quiet))
	stop := func() {
		// Ask the browser to close; after 5 s it is killed. Cancel waits
		// until the process and its children are gone (the allocator
		// kills what is left), and for a browser that never started.
		// Not the CancelFunc as well: it would wait a second time for
		// what Cancel has waited for already, forever when the start failed.
		cctx, cancel := context.WithTimeout(browser, 5*time.Second)
		_ = chromedp.Cancel(cctx)
		cancel()
		stopAlloc()
	}
	// The browser is bound to its own context, not to ctx (it outlives
	// this render), so a start that hangs is stopped from here.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(browser) }()
	select {
	case err := <-started:
		if err != nil {
			stop()
			return nil, fmt.Errorf("start Chromium: %w", err)
		}
	case <-ctx.Done():
		stop()
		<-started
		return nil, fmt.Errorf("pdf: start Chromium: %w", context.Cause(ctx))
	}
	where := r.cfg.ChromePath
	if r.cfg.ChromeURL != "" {
		where = r.cfg.ChromeURL
	}
	r.cfg.Logger.Info("pdf: browser ready", "chrome", where)
	r.browser, r.stop = browser, stop
	return browser, nil
}

// print renders html in a new tab of browser, closed when it is done or
// when ctx ends (the timeout), whichever comes first.
func (r *Renderer) print(ctx context.Context, browser context.Context, html []byte) ([]byte, error) {
	var opts []chromedp.ContextOption
	if r.cfg.ChromeURL != "" {
		// A shared browser: cookies and storage of its own, gone with it.
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	tab, closeTab := chromedp.NewContext(browser, opts...)
	defer closeTab()
	stopWatch := context.AfterFunc(ctx, closeTab)
	defer stopWatch()

	pdf := chromedp.PrintToPDF(
		chromedp.PDFPaper(chromedp.PaperA4),
		chromedp.PDFPreferCSSPageSize(),
		chromedp.PDFPrintBackground(),
		chromedp.PDFMargins(0.6, 0.55, 0.6, 0.55),
		chromedp.PDFOutlineAndTagged(),
		chromedp.PDFStream(),
	)
	wait := chromedp.Evaluate[bool](loaded, chromedp.EvalAwaitPromise)
	return chromedp.Run(tab, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		if _, err := cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(html)}); err != nil {
			return nil, err
		}
		if _, err := wait(ctx, t); err != nil {
			return nil, err
		}
		return pdf(ctx, t)
	})
}

// loaded waits until the document, its images and its fonts are loaded.
// A document set with SetDocumentContent may report readyState "complete"
// before its images arrive, so the images are waited for one by one.
const loaded = `(async () => {
	if (document.readyState !== "complete") {
		await new Promise(done => addEventListener("load", done, {once: true}));
	}
	await Promise.all(Array.from(document.images, img => img.complete ? null :
		new Promise(done => { img.addEventListener("load", done); img.addEventListener("error", done); })));
	if (document.fonts) { await document.fonts.ready; }
	return true;
})()`

// Close stops the browser (a local one: its process and every child,
// waiting for them to exit) and refuses later renders. Renders running
// fail.
func (r *Renderer) Close() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if r.stop != nil {
		r.stop()
		r.browser, r.stop = nil, nil
	}
	return nil
}

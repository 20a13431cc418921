package pdf_test

import (
	"bytes"
	"context"
	"errors"

	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"groundwork/pdf"
)

// chrome returns the Chromium to test with; without one the test skips,
// except under CI=true where it fails.
func chrome(t testing.TB) string {
	t.Helper()
	path := pdf.FindChrome()
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium on PATH (CI=true: a missing browser is a failure); apt-get install chromium")
		}
		t.Skip("no Chromium on PATH; apt-get install chromium")
	}
	return path
}

// pdftotext returns the text of a PDF (poppler-utils).
func pdftotext(t testing.TB, doc []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no pdftotext (CI=true); apt-get install poppler-utils")
		}
		t.Skip("no pdftotext; apt-get install poppler-utils")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// descendants counts the processes below this test process (Chromium and
// its zygotes, renderers and utilities), from /proc.
func descendants(t testing.TB) int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	parent := map[int]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		rest := string(stat[bytes.LastIndexByte(stat, ')')+1:])
		f := strings.Fields(rest)
		if len(f) < 2 || f[0] == "Z" {
			continue // a zombie is gone, only not yet reaped
		}
		ppid, _ := strconv.Atoi(f[1])
		parent[pid] = ppid
	}
	self, n := os.Getpid(), 0
	for pid := range parent {
		for p, hops := parent[pid], 0; p != 0 && hops < 64; p, hops = parent[p], hops+1 {
			if p == self {
				n++
				break
			}
		}
	}
	return n
}

// steady is the count of descendant processes once it has stayed the
// same for a second (a closed tab's renderer exits a moment later).
func steady(t testing.TB) int {
	t.Helper()
	n, same := descendants(t), 0
	for deadline := time.Now().Add(10 * time.Second); same < 5 && time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		if m := descendants(t); m == n {
			same++
		} else {
			n, same = m, 0
		}
	}
	return n
}

// settles waits until the count of descendant processes is want (Chromium's
// children exit a moment after the tab or browser that used them), and
// fails t naming the count if it never is.
func settles(t testing.TB, want int, when string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	got := descendants(t)
	for got != want && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		got = descendants(t)
	}
	if got != want {
		t.Errorf("%s: %d processes below the test, want %d", when, got, want)
	}
}

const doc = `<!doctype html><html><head><meta charset="utf-8"><title>Readiness – Ministry of Health</title>
<style>@page { size: A4; } h1 { color: #123; } .page { break-before: page; }</style></head>
<body><h1>Ministry of Health Kenya</h1><p>Ready to move: 72 %</p>
<section class="page"><h2>Phase two: hosting</h2><p>Ünïcode and “quotes”</p></section></body></html>`

// A simple document comes back as a PDF holding its text, with the
// footer's page numbers; the browser started for it stops on Close, with
// all its children.
func TestRender(t *testing.T) {
	path := chrome(t)
	before := descendants(t)
	r := pdf.New(pdf.Config{ChromePath: path})
	if !r.Available() {
		t.Fatal("Available() = false with a ChromePath")
	}
	began := time.Now()
	out, err := r.Render(context.Background(), []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first render (with the browser's start): %v", time.Since(began))
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Fatalf("output starts %q, want %%PDF-", out[:min(len(out), 16)])
	}
	text := pdftotext(t, out)
	for _, want := range []string{"Ministry of Health Kenya", "Ready to move: 72 %", "Phase two: hosting", "Ünïcode and “quotes”", "Page 1 of 2", "Page 2 of 2", "Generated "} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "\f"); n != 2 {
		t.Errorf("%d pages, want 2 (the section breaks before itself)", n)
	}
	running := steady(t)
	if running <= before {
		t.Errorf("%d processes below the test with the browser running, %d before: the count sees no browser", running, before)
	}
	began = time.Now()
	if _, err := r.Render(context.Background(), []byte(doc)); err != nil {
		t.Fatal(err)
	}
	t.Logf("second render (browser running): %v", time.Since(began))
	settles(t, running, "after two renders") // one browser, no tab left over
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	settles(t, before, "after Close")
	if _, err := r.Render(context.Background(), []byte(doc)); !errors.Is(err, pdf.ErrClosed) {
		t.Errorf("render after Close: %v, want ErrClosed", err)
	}
}

// A Renderer without a browser says so, and renders nothing.
func TestUnavailable(t *testing.T) {
	for _, r := range []*pdf.Renderer{nil, pdf.New(pdf.Config{})} {
		if r.Available() {
			t.Error("Available() = true without a browser")
		}
		if _, err := r.Render(context.Background(), []byte(doc)); !errors.Is(err, pdf.ErrUnavailable) {
			t.Errorf("Render without a browser: %v, want ErrUnavailable", err)
		}
		if err := r.Close(); err != nil {
			t.Errorf("Close without a browser: %v", err)
		}
	}
}

// hanging serves a resource that never comes, so a document that asks
// for it never finishes loading.
func hanging(t *testing.T) (url string, release func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-r.Context().Done():
		}
	})}
	go srv.Serve(ln)
	var once sync.Once
	release = func() { once.Do(func() { close(done); srv.Close() }) }
	t.Cleanup(release)
	return "http://" + ln.Addr().String() + "/slow.png", release
}

// With every worker busy, another render is refused at once; a render
// that outlives its timeout fails with ErrTimeout and leaves no tab or
// process behind; the browser then still renders.
func TestBusyAndTimeout(t *testing.T) {
	path := chrome(t)
	before := descendants(t)
	r := pdf.New(pdf.Config{ChromePath: path, Workers: 1, Timeout: 5 * time.Second})
	defer r.Close()
	if _, err := r.Render(context.Background(), []byte(doc)); err != nil { // starts the browser
		t.Fatal(err)
	}
	running := steady(t)

	slow, _ := hanging(t)
	stuck := []byte(`<!doctype html><title>never loads</title><p>Waiting</p><img alt="" src="` + slow + `">`)
	errs := make(chan error, 1)
	began := time.Now()
	go func() { _, err := r.Render(context.Background(), stuck); errs <- err }()
	time.Sleep(500 * time.Millisecond) // the stuck render holds the one worker
	busyAt := time.Now()
	if _, err := r.Render(context.Background(), []byte(doc)); !errors.Is(err, pdf.ErrBusy) {
		t.Errorf("render with the pool full: %v, want ErrBusy", err)
	}
	if d := time.Since(busyAt); d > 100*time.Millisecond {
		t.Errorf("ErrBusy took %v, want at once", d)
	}
	err := <-errs
	took := time.Since(began)
	if !errors.Is(err, pdf.ErrTimeout) {
		t.Errorf("stuck render: %v, want ErrTimeout", err)
	}
	if took < 5*time.Second || took > 7*time.Second {
		t.Errorf("stuck render failed after %v, want just after its 5 s timeout", took)
	}
	settles(t, running, "after the timeout")

	// A busy loop: the page's own thread never answers.
	began = time.Now()
	_, err = r.Render(context.Background(), []byte(`<!doctype html><title>loop</title><script>for (;;) {}</script>`))
	if !errors.Is(err, pdf.ErrTimeout) {
		t.Errorf("busy page: %v, want ErrTimeout", err)
	}
	t.Logf("busy page failed after %v", time.Since(began))
	settles(t, running, "after the busy page's timeout")

	if out, err := r.Render(context.Background(), []byte(doc)); err != nil || !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Errorf("render after the timeouts: %v", err)
	}
	r.Close()
	settles(t, before, "after Close")
}

// A render whose caller gives up (the request ended) stops at once.
func TestCallerCancels(t *testing.T) {
	path := chrome(t)
	r := pdf.New(pdf.Config{ChromePath: path})
	defer r.Close()
	slow, _ := hanging(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	began := time.Now()
	_, err := r.Render(ctx, []byte(`<!doctype html><img alt="" src="`+slow+`">`))
	if err == nil || errors.Is(err, pdf.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("render cancelled by its caller: %v, want the caller's deadline", err)
	}
	if d := time.Since(began); d > 4*time.Second {
		t.Errorf("took %v after the caller gave up at 2 s", d)
	}
}

// A browser that dies between renders is started again.
func TestBrowserRestarts(t *testing.T) {
	path := chrome(t)
	before := descendants(t)
	r := pdf.New(pdf.Config{ChromePath: path})
	defer r.Close()
	if _, err := r.Render(context.Background(), []byte(doc)); err != nil {
		t.Fatal(err)
	}
	killBrowsers(t)
	if _, err := r.Render(context.Background(), []byte(doc)); err != nil {
		t.Fatalf("render after the browser died: %v", err)
	}
	r.Close()
	settles(t, before, "after Close")
}

// killBrowsers kills this test process's direct Chromium children.
func killBrowsers(t *testing.T) {
	t.Helper()
	entries, _ := os.ReadDir("/proc")
	killed := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(os.Getpid()) && f[0] != "Z" {
			if p, err := os.FindProcess(pid); err == nil && p.Kill() == nil {
				killed++
			}
		}
	}
	if killed == 0 {
		t.Fatal("no browser process to kill")
	}
	time.Sleep(300 * time.Millisecond) // let chromedp see the connection go
	t.Logf("killed %d browser process(es)", killed)
}

// With ChromeURL the Renderer uses a browser that runs already (the
// `chrome` service of docker compose): it renders there, leaves no tab
// open, and Close disconnects without stopping that browser.
func TestRemote(t *testing.T) {
	path := chrome(t)
	profile, err := os.MkdirTemp("", "pdf-remote")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-address=127.0.0.1",
		"--remote-debugging-port=0", "--user-data-dir="+profile, "about:blank")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		// Its children may write in the profile a moment longer.
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	found := make(chan string, 1)
	go func() {
		buf := make([]byte, 4096)
		var seen string
		for {
			n, err := stderr.Read(buf)
			seen += string(buf[:n])
			if i := strings.Index(seen, "ws://"); i >= 0 && strings.Contains(seen[i:], "\n") {
				found <- strings.TrimSpace(seen[i : i+strings.Index(seen[i:], "\n")])
				for err == nil { // keep draining, or Chromium blocks on its stderr
					_, err = stderr.Read(buf)
				}
				return
			}
			if err != nil {
				found <- ""
				return
			}
		}
	}()
	var ws string
	select {
	case ws = <-found:
	case <-time.After(20 * time.Second):
	}
	if ws == "" {
		t.Fatal("the browser printed no DevTools address")
	}
	host := strings.TrimPrefix(ws[:strings.Index(ws, "/devtools")], "ws://")
	r := pdf.New(pdf.Config{ChromeURL: "http://" + host})
	began := time.Now()
	out, err := r.Render(context.Background(), []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if text := pdftotext(t, out); !strings.Contains(text, "Ministry of Health Kenya") {
		t.Errorf("PDF text lacks the heading:\n%s", text)
	}
	t.Logf("first remote render: %v", time.Since(began))
	began = time.Now()
	if _, err := r.Render(context.Background(), []byte(doc)); err != nil {
		t.Fatal(err)
	}
	t.Logf("second remote render: %v", time.Since(began))
	began = time.Now()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("Close: %v", time.Since(began))
	resp, err := http.Get("http://" + host + "/json/list")
	if err != nil {
		t.Fatalf("the remote browser stopped with Close: %v", err)
	}
	defer resp.Body.Close()
	var list bytes.Buffer
	list.ReadFrom(resp.Body)
	if n := strings.Count(list.String(), `"type": "page"`); n > 1 {
		t.Errorf("%d tabs open in the remote browser after the render, want only its first:\n%s", n, list.String())
	}
}

// A browser that cannot start is an error at once, every time, and Close
// still returns.
func TestStartFails(t *testing.T) {
	r := pdf.New(pdf.Config{ChromePath: filepath.Join(t.TempDir(), "no-chromium")})
	for range 2 {
		began := time.Now()
		if _, err := r.Render(context.Background(), []byte(doc)); err == nil || errors.Is(err, pdf.ErrTimeout) {
			t.Errorf("render with a missing browser: %v, want the start's error", err)
		}
		if d := time.Since(began); d > 2*time.Second {
			t.Errorf("the failed start took %v", d)
		}
	}
	done := make(chan struct{})
	go func() { r.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs after a failed start")
	}
}

package handlers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/pdf"
)

// poppler runs a poppler-utils command (pdftotext, pdfinfo, pdftoppm) on
// the PDF doc and returns its standard output.
func poppler(t testing.TB, doc []byte, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no %s (CI=true); apt-get install poppler-utils", name)
		}
		t.Skipf("no %s; apt-get install poppler-utils", name)
	}
	f := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args, f)
	if name == "pdftotext" {
		args = append(args, "-") // to standard output
	}
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

// phaseTitles are the titles of the assessment's phases, from its export.
func phaseTitles(t *testing.T, b *handlerstest.Browser, base string) []string {
	t.Helper()
	_, body := b.Get(base + "/export.json")
	var out struct {
		Phases []struct{ Title string }
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Phases) == 0 {
		t.Fatalf("export.json: %v, %d phases", err, len(out.Phases))
	}
	var titles []string
	for _, p := range out.Phases {
		titles = append(titles, p.Title)
	}
	return titles
}

// TestReportPDF downloads an assessment's report as PDF: its text holds
// the organisation, the assessment and every phase title, it has a page
// per phase at least, pages 1, 2 and the last are kept as PNGs in
// artifacts/pdf/ to look at; another organisation's manager gets 404.
func TestReportPDF(t *testing.T) {
	r := handlerstest.Renderer(t, pdf.Config{})
	e := handlerstest.NewEnv(t, handlerstest.WithPDF(r))
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	handlerstest.Fill11(t, b, base) // answers, a link among them
	id := strings.TrimPrefix(base, "/assessments/")

	began := time.Now()
	resp, body := b.Get(base + "/report.pdf?download=abcdef123456")
	took := time.Since(began)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("report.pdf = %d %s, starts %.20q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	t.Logf("report.pdf: %d bytes in %v (with the browser's start)", len(body), took)
	if got, want := resp.Header.Get("Content-Disposition"), `attachment; filename="readiness-`+id+`.pdf"`; got != want {
		t.Errorf("Content-Disposition = %q, want %q", got, want)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control = %q, want no-store (the report is private)", cc)
	}
	var token *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "download_abcdef123456" {
			token = c
		}
	}
	if token == nil || token.Value != "1" || token.MaxAge <= 0 || token.MaxAge > 120 || token.HttpOnly {
		t.Errorf("download cookie = %+v, want download_abcdef123456=1, short-lived, readable by the page", token)
	}
	if resp, _ := b.Get(base + "/report.pdf?download=" + url.QueryEscape("x; Path=/evil")); len(resp.Cookies()) != 0 {
		t.Errorf("a malformed download token set cookies %v", resp.Cookies())
	}

	doc := []byte(body)
	text := poppler(t, doc, "pdftotext", "-layout")
	// The draft's watermark is drawn, not written: none of its letters
	// are in the text, where they would stand among the report's words.
	if !strings.Contains(text, "Draft.") {
		t.Error("the PDF is no draft: the watermark check below would prove nothing")
	}
	if lone := regexp.MustCompile(`(?m)^\s*[DRAFT](\s+[DRAFT])*\s*$`).FindString(text); strings.Contains(text, "DRAFT") || lone != "" {
		t.Errorf("the PDF's text holds the watermark's letters (%q)", lone)
	}
	titles := phaseTitles(t, b, base)
	flat := strings.Join(strings.Fields(text), " ") // titles may wrap
	// A link whose text is its address is printed once, not followed by
	// itself in brackets as other links are.
	if n := strings.Count(flat, "https://example.org/architecture.pdf"); n != 1 {
		t.Errorf("the PDF's text holds the link answer's address %d times, want once", n)
	}
	for _, want := range append([]string{e.OrgA.Name, "Production move 2027"}, titles...) {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	// The cover lists the contents, as the page does.
	if cover := strings.Join(strings.Fields(poppler(t, doc, "pdftotext", "-f", "1", "-l", "1")), " "); !strings.Contains(cover, "Contents") ||
		!strings.Contains(cover, "Executive summary") || !strings.Contains(cover, "Phase 1.1 "+titles[0]) {
		t.Errorf("the PDF's cover lacks the contents:\n%s", cover)
	}
	info := poppler(t, doc, "pdfinfo")
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(info)
	if m == nil {
		t.Fatalf("pdfinfo gives no page count:\n%s", info)
	}
	pages, _ := strconv.Atoi(m[1])
	if pages < len(titles)+1 || pages > 40*(len(titles)+1) {
		t.Errorf("%d pages for %d phases, want a cover and a page per phase at least", pages, len(titles))
	}
	if !strings.Contains(flat, "Page 1 of "+m[1]) || !strings.Contains(flat, "Page "+m[1]+" of "+m[1]) {
		t.Errorf("the footer lacks Page 1 of %s / Page %s of %s", m[1], m[1], m[1])
	}
	keepPages(t, doc, "report", 1, 2, pages)

	// The action list's table keeps the words of its short columns whole
	// (a cell that may break anywhere printed "Ph / ase", "Ow / ner").
	actions := 0
	for p := 1; p <= pages && actions == 0; p++ {
		n := strconv.Itoa(p)
		words := strings.Fields(poppler(t, doc, "pdftotext", "-layout", "-f", n, "-l", n))
		if !slices.Contains(words, "Due") || !slices.Contains(words, "Kind") {
			continue
		}
		actions = p
		for _, want := range []string{"Phase", "Item", "Owner", "Blocking", "checkpoint", "owner"} {
			if !slices.Contains(words, want) {
				t.Errorf("the action list's page %d lacks the whole word %q", p, want)
			}
		}
		for _, bad := range []string{"Ph", "ase", "Ow", "ner", "Blocki", "ng"} {
			if slices.Contains(words, bad) {
				t.Errorf("the action list's page %d breaks a word: %q", p, bad)
			}
		}
	}
	if actions == 0 {
		t.Fatal("no page holds the action list")
	}
	keepPages(t, doc, "report-actions", actions)

	other := e.Browser(t)
	other.SignIn("manager@b.example.org")
	if resp, _ := other.Get(base + "/report.pdf"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's report.pdf = %d, want 404", resp.StatusCode)
	}
}

// keepPages writes the PDF's pages as PNGs to artifacts/pdf/NAME-page-N.png
// at the module root, for people to look at.
func keepPages(t *testing.T, doc []byte, name string, pages ...int) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "artifacts", "pdf"))
	if err != nil || os.MkdirAll(dir, 0o755) != nil {
		t.Fatalf("artifacts/pdf: %v", err)
	}
	for _, p := range pages {
		n := strconv.Itoa(p)
		// Without an output root, pdftoppm writes the image to standard output.
		png := []byte(poppler(t, doc, "pdftoppm", "-png", "-r", "70", "-singlefile", "-f", n, "-l", n))
		if !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Fatalf("pdftoppm page %d gave no PNG", p)
		}
		path := filepath.Join(dir, name+"-page-"+n+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("page %d: %s", p, path)
	}
}

// stall serves a resource that never comes, until the test ends.
func stall(t *testing.T) string {
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
	t.Cleanup(func() { once.Do(func() { close(done); srv.Close() }) })
	return "http://" + ln.Addr().String() + "/slow.png"
}

// With every PDF worker busy, report.pdf answers 503 at once with
// Retry-After and words to wait.
func TestReportPDFBusy(t *testing.T) {
	r := handlerstest.Renderer(t, pdf.Config{Workers: 1, Timeout: 8 * time.Second})
	e := handlerstest.NewEnv(t, handlerstest.WithPDF(r))
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)

	held := make(chan error, 1)
	go func() {
		_, err := r.Render(context.Background(), []byte(`<!doctype html><title>held</title><img alt="" src="`+stall(t)+`">`))
		held <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		began := time.Now()
		resp, body := b.Get(base + "/report.pdf")
		if resp.StatusCode == http.StatusServiceUnavailable {
			if resp.Header.Get("Retry-After") != "5" || !strings.Contains(body, "Wait a few seconds and try again") {
				t.Errorf("busy: Retry-After %q, body:\n%.2000s", resp.Header.Get("Retry-After"), body)
			}
			if d := time.Since(began); d > time.Second {
				t.Errorf("the busy answer took %v, want at once", d)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("report.pdf with the one worker held = %d, want 503", resp.StatusCode)
		}
		time.Sleep(100 * time.Millisecond) // the held render has not begun yet
	}
	r.Close() // ends the held render
	if err := <-held; err == nil {
		t.Error("the held render succeeded after Close")
	}
}

// Without Chromium, report.pdf says so (503) and the overview offers the
// browser's own print instead of the PDF link.
func TestReportPDFWithoutChromium(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	resp, body := b.Get(base + "/report.pdf")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "has no Chromium") || !strings.Contains(body, "Print → Save as PDF") {
		t.Errorf("report.pdf without Chromium = %d:\n%.2000s", resp.StatusCode, body)
	}
	_, page := b.Get(base)
	if strings.Contains(page, "data-download") || !strings.Contains(page, "No PDF here") || !strings.Contains(page, `href="`+base+`/report"`) {
		t.Errorf("overview without Chromium: want the explanation and the printable report's link, not the PDF link:\n%s", between(page, `class="actions`, "</p>"))
	}

	withPDF := handlerstest.NewEnv(t, func(o *handlers.Options) { o.PDF = pdf.New(pdf.Config{ChromePath: "/nonexistent/chromium"}) })
	b = withPDF.Browser(t)
	b.SignIn("manager@example.org")
	base = handlerstest.Start(t, b, true)
	if _, page := b.Get(base); !strings.Contains(page, `href="`+base+`/report.pdf" class="button secondary" data-download`) {
		t.Errorf("overview with a renderer: no PDF link:\n%s", between(page, `class="actions`, "</p>"))
	}
	// A configured browser that does not start is a server error, logged.
	if resp, body := b.Get(base + "/report.pdf"); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("report.pdf with a browser that cannot start = %d, want 500:\n%s", resp.StatusCode, between(body, "<main", "</main>"))
	}
}

// between is s from the first from to the next to after it, for messages.
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return s
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(to)]
}

// BenchmarkReportPDF is the whole report.pdf request of a new assessment
// with the browser running (its start is outside the timing).
func BenchmarkReportPDF(b *testing.B) {
	r := handlerstest.Renderer(b, pdf.Config{})
	e := handlerstest.NewEnv(b, handlerstest.WithPDF(r))
	c := e.Browser(b)
	c.SignIn("manager@example.org")
	resp, _ := c.Post("/assessments", url.Values{"template": {"commcare-transition@1"}, "name": {"Production move 2027"}, "sign_off": {"on"}})
	base := resp.Header.Get("Location")
	if resp, _ := c.Get(base + "/report.pdf"); resp.StatusCode != http.StatusOK {
		b.Fatalf("report.pdf = %d", resp.StatusCode)
	}
	b.ResetTimer()
	for b.Loop() {
		resp, body := c.Get(base + "/report.pdf")
		if resp.StatusCode != http.StatusOK || !bytes.HasPrefix([]byte(body), []byte("%PDF-")) {
			b.Fatalf("report.pdf = %d", resp.StatusCode)
		}
	}
}

// With a PDF renderer the evidence pack starts with report.pdf, a PDF of
// the report, listed in its MANIFEST.txt with the digest of its bytes.
func TestEvidencePackHoldsTheReportPDF(t *testing.T) {
	r := handlerstest.Renderer(t, pdf.Config{})
	e := handlerstest.NewEnv(t, handlerstest.WithPDF(r))
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	resp, body := b.Get(base + "/evidence.zip")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("evidence.zip = %d", resp.StatusCode)
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) == 0 || zr.File[0].Name != "report.pdf" {
		t.Fatalf("the pack does not start with report.pdf: %d files", len(zr.File))
	}
	read := func(f *zip.File) []byte {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		data, _ := io.ReadAll(rc)
		return data
	}
	doc := read(zr.File[0])
	if !bytes.HasPrefix(doc, []byte("%PDF-")) {
		t.Fatalf("report.pdf starts %.10q", doc)
	}
	if text := poppler(t, doc, "pdftotext"); !strings.Contains(text, "Production move 2027") {
		t.Errorf("report.pdf lacks the assessment's name:\n%.400s", text)
	}
	sum := sha256.Sum256(doc)
	manifest := string(read(zr.File[len(zr.File)-1]))
	if !strings.Contains(manifest, hex.EncodeToString(sum[:])+"  "+strconv.Itoa(len(doc))+"  report.pdf") {
		t.Errorf("MANIFEST.txt does not list report.pdf with its digest:\n%s", manifest)
	}
}

// The hostile corpus (script, markup, formula prefixes, direction marks, a
// 10,000-character answer) comes out of the PDF as text: pdftotext finds
// it, and the PDF has no JavaScript action and no javascript: link.
func TestReportPDFKeepsHostileInputInert(t *testing.T) {
	r := handlerstest.Renderer(t, pdf.Config{})
	e := handlerstest.NewEnv(t, handlerstest.WithPDF(r))
	mgr := e.Browser(t)
	mgr.SignIn("manager@example.org")
	long := strings.Repeat("x", 10000)
	base := hostileAssessment(t, mgr, long)
	resp, body := mgr.Get(base + "/report.pdf")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("report.pdf = %d, starts %.20q", resp.StatusCode, body)
	}
	text := poppler(t, []byte(body), "pdftotext")
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{`<script>alert(1)</script>`, `"><imgsrc=xonerror=alert(1)>`, `=HYPERLINK("http://evil.example","x")`, "@SUM(A1)"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	// The long answer wraps and runs over pages (their header and footer
	// come between), but none of it is cut.
	if n := strings.Count(flat, "x"); n < len(long) {
		t.Errorf("the PDF's text has %d x, want the long answer's %d at least", n, len(long))
	}
	for _, bad := range []string{"/JavaScript", "/JS ", "/JS(", "(javascript:", "/Launch"} {
		if strings.Contains(body, bad) {
			t.Errorf("the PDF holds %q", bad)
		}
	}
}

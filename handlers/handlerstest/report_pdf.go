package handlerstest

import (
	"log/slog"
	"os"
	"testing"
	"time"

	"groundwork/handlers"
	"groundwork/pdf"
)

// Renderer is a PDF Renderer on the local Chromium, closed when t ends;
// without Chromium the test skips, except under CI=true where it fails.
// Without a Timeout of cfg's a render may take two minutes: these tests
// check what is printed, and a machine busy with other test packages'
// browsers starves the renderer's Chromium (it runs at nice 10) well past
// the server's default.
func Renderer(t testing.TB, cfg pdf.Config) *pdf.Renderer {
	t.Helper()
	if cfg.ChromePath = pdf.FindChrome(); cfg.ChromePath == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no Chromium on PATH (CI=true: a missing browser is a failure); apt-get install chromium")
		}
		t.Skip("no Chromium on PATH; apt-get install chromium")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	r := pdf.New(cfg)
	t.Cleanup(func() { r.Close() })
	return r
}

// WithPDF has the portal print its PDFs with r, and gives each request
// as long as r's render may take and half a minute more, instead of the
// server's 30 s: a request's time limit ends a render that is still
// waiting for its starved Chromium.
func WithPDF(r *pdf.Renderer) func(*handlers.Options) {
	return func(o *handlers.Options) {
		o.PDF = r
		o.RequestTimeout = r.Timeout() + 30*time.Second
	}
}

package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestPDFRendered checks the method the PDF renderer calls: each render
// counted by result, and timed.
func TestPDFRendered(t *testing.T) {
	m := newMetrics(nil, "test", newPageGate(1))
	m.pdfRendered(1500*time.Millisecond, nil)
	m.pdfRendered(2*time.Second, nil)
	m.pdfRendered(30*time.Second, fmt.Errorf("pdf: print: %w", context.DeadlineExceeded))
	m.pdfRendered(100*time.Millisecond, errors.New("chromium crashed"))
	for result, want := range map[string]float64{"ok": 2, "timeout": 1, "error": 1} {
		if got := testutil.ToFloat64(m.pdfs.WithLabelValues(result)); got != want {
			t.Errorf("renders %s = %v, want %v", result, got, want)
		}
	}
	want := `
# HELP groundwork_pdf_render_duration_seconds Time to render a PDF report, successful or not.
# TYPE groundwork_pdf_render_duration_seconds histogram
groundwork_pdf_render_duration_seconds_bucket{le="0.25"} 1
groundwork_pdf_render_duration_seconds_bucket{le="0.5"} 1
groundwork_pdf_render_duration_seconds_bucket{le="1"} 1
groundwork_pdf_render_duration_seconds_bucket{le="2"} 3
groundwork_pdf_render_duration_seconds_bucket{le="4"} 3
groundwork_pdf_render_duration_seconds_bucket{le="8"} 3
groundwork_pdf_render_duration_seconds_bucket{le="15"} 3
groundwork_pdf_render_duration_seconds_bucket{le="30"} 4
groundwork_pdf_render_duration_seconds_bucket{le="60"} 4
groundwork_pdf_render_duration_seconds_bucket{le="+Inf"} 4
groundwork_pdf_render_duration_seconds_sum 33.6
groundwork_pdf_render_duration_seconds_count 4
`
	if err := testutil.CollectAndCompare(m.pdfDuration, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

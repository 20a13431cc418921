package handlers

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPanicBecomesA500Page(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{opts: Options{Version: "test"}, log: slog.New(slog.NewTextHandler(&logs, nil))}
	boom := h.requestID(h.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("kaboom")
	})))
	rec := httptest.NewRecorder()
	boom.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))

	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "Something went wrong") || strings.Contains(body, "kaboom") {
		t.Errorf("500 page must apologise without leaking the panic:\n%s", body)
	}
	if !strings.Contains(logs.String(), "kaboom") || !strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("the panic was not logged at error level: %s", logs.String())
	}
}

func TestAccessLog(t *testing.T) {
	var logs bytes.Buffer
	h := &handler{log: withRequests(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo})))}
	teapot := h.requestID(h.accessLog(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "short and stout")
	})))
	req := httptest.NewRequest(http.MethodGet, "/pot", nil)
	req.Header.Set("X-Request-ID", "abc-123")
	teapot.ServeHTTP(httptest.NewRecorder(), req)
	line := logs.String()
	for _, want := range []string{`"path":"/pot"`, `"status":418`, `"bytes":15`, `"request_id":"abc-123"`, `"method":"GET"`} {
		if !strings.Contains(line, want) {
			t.Errorf("access log %s lacks %s", line, want)
		}
	}

	logs.Reset()
	teapot.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if logs.Len() != 0 {
		t.Errorf("probe logged at info level: %s", logs.String())
	}
}

func TestRequestIDReplacesUnsafeValues(t *testing.T) {
	h := &handler{}
	var seen string
	next := h.requestID(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = requestIDFrom(r.Context()) }))
	for _, bad := range []string{"", "<script>", strings.Repeat("a", 65), "a b"} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("X-Request-ID", bad)
		next.ServeHTTP(httptest.NewRecorder(), req)
		if seen == bad || len(seen) != 16 {
			t.Errorf("X-Request-ID %q: got id %q, want a fresh 16-hex id", bad, seen)
		}
	}
}

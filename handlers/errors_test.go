package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestErrorPages(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		method, path string
		status       int
		heading      string
	}{
		{http.MethodGet, "/no/such/page", http.StatusNotFound, "Page not found"},
		{http.MethodGet, "/static/app.0000000000.css", http.StatusNotFound, "Page not found"},
		{http.MethodDelete, "/", http.StatusMethodNotAllowed, "Method Not Allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
			resp, body := do(t, req)
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type = %q, want the HTML error page", ct)
			}
			if !strings.Contains(body, tt.heading) {
				t.Errorf("body lacks heading %q:\n%s", tt.heading, body)
			}
			id := resp.Header.Get("X-Request-ID")
			if id == "" || !strings.Contains(body, id) {
				t.Errorf("error page does not show the request id %q", id)
			}
		})
	}
}

func TestAPIErrorsAreJSON(t *testing.T) {
	srv := newServer(t)
	resp, body := get(t, srv, "/api/v1/nothing-here")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status = %d, want 404", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON for an API path", ct)
	}
	if !strings.Contains(body, `"error"`) {
		t.Errorf("body = %s, want an error field", body)
	}
}

package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

func TestErrorPages(t *testing.T) {
	srv := handlerstest.NewServer(t)
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
	srv := handlerstest.NewServer(t)
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

// TestErrorPagesKnowWhoIsSignedIn: a page not found and a method not
// allowed show the signed-in header; the address of a form refused in
// place (which stays in the address bar), opened again, leads to the page
// the form is on, but an API address stays an error.
func TestErrorPagesKnowWhoIsSignedIn(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("admin@example.org")
	resp, body := b.Get("/no/such/page")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, `action="/signout"`) {
		t.Errorf("a page not found, signed in = %d, want 404 with the signed-in header (Sign out)", resp.StatusCode)
	}
	for path, want := range map[string]string{
		"/account/password": "/account",
		"/admin/users/" + handlerstest.Itoa(e.Viewer.ID) + "/role":           "/admin/users/" + handlerstest.Itoa(e.Viewer.ID),
		"/admin/organisations/" + handlerstest.Itoa(e.OrgA.ID) + "/advisors": "/admin/organisations/" + handlerstest.Itoa(e.OrgA.ID),
	} {
		if resp, _ := b.Get(path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("GET %s = %d to %q, want 303 to %s", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	// Not to a fragment or a download: an evidence file's removal leads
	// to the phase, not to the file.
	a, err := e.St.CreateAssessment(t.Context(), e.Manager.ID, store.NewAssessment{Name: "Move", TemplateID: "commcare-transition", TemplateVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	base := "/assessments/" + handlerstest.Itoa(a.ID)
	for path, want := range map[string]string{
		base + "/evidence/1/delete": base,
		base + "/phases/1.1/checkpoints/architecture_diagram_created/evidence": base + "/phases/1.1",
		base + "/phases/1.1/comments":                                          base + "/phases/1.1",
		base + "/name":                                                         base,
	} {
		if resp, _ := b.Get(path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("GET %s = %d to %q, want 303 to %s", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	if resp, _ := b.Get("/api/v1/sizing/commcare/model"); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET of a POST-only API address = %d, want 405", resp.StatusCode)
	}
	if resp, _ := b.Do(http.MethodDelete, "/account", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /account = %d, want 405", resp.StatusCode)
	}
}

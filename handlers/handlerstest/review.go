package handlerstest

import (
	"net/http"
	"net/url"
	"testing"
)

// Submitted11 starts a CommCare assessment under sign-off as the manager,
// fills phase 1.1 with a file of evidence and submits it. It returns the
// manager's client and the assessment's path.
func Submitted11(t *testing.T, e *Env) (*Browser, string) {
	t.Helper()
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := Start(t, b, true)
	Fill11(t, b, base)
	if resp, _ := Upload(t, b, base+"/phases/1.1/checkpoints/architecture_diagram_created/evidence", "diagram-v1.pdf", []byte("%PDF-1.4 first")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	if resp, _ := b.Post(base+"/phases/1.1/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", resp.StatusCode)
	}
	return b, base
}

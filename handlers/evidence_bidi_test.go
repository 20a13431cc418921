package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"net/http"
	"strings"
	"testing"
)

// TestEvidenceNamesAreIsolated uploads files whose names carry bidi
// controls (U+202E RIGHT-TO-LEFT OVERRIDE makes "invoice\u202Efdp.exe"
// read "invoiceexe.pdf"): wherever the name is shown, it is isolated in a
// <bdi> (in plain text such as the flash message, between U+2068 FIRST
// STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE), so the override
// cannot reorder the text around it.
func TestEvidenceNamesAreIsolated(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	up := base + "/phases/1.1/checkpoints/architecture_diagram_created/evidence"
	names := []string{"invoice\u202Efdp.exe.pdf", "plan\u2067final\u2069.pdf", "\u200Fnotes.pdf"}
	for _, name := range names {
		if resp, _ := handlerstest.Upload(t, b, up, name, []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload %q = %d", name, resp.StatusCode)
		}
	}
	_, page := b.Get(base + "/phases/1.1")
	for _, name := range names {
		n := strings.Count(page, name)
		isolated := strings.Count(page, "<bdi>"+name+"</bdi>") + strings.Count(page, "\u2068"+name+"\u2069")
		if n == 0 || n != isolated {
			t.Errorf("file name %q is shown %d times, %d of them inside <bdi>", name, n, isolated)
		}
	}
}

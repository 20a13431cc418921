package handlerstest

import (
	"net/http"
	"net/url"
	"testing"
)

// Posted posts form to path, checks the answer is a 303 and returns where
// it goes.
func Posted(t *testing.T, what string, b *Browser, path string, form url.Values) string {
	t.Helper()
	resp, body := b.Post(path, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("%s = %d, want 303\n%.2000s", what, resp.StatusCode, body)
	}
	return resp.Header.Get("Location")
}

// Phase11Submitted is Submitted11, with the address of phase 1.1.
func Phase11Submitted(t *testing.T, e *Env) (*Browser, string) {
	t.Helper()
	b, base := Submitted11(t, e)
	return b, base + "/phases/1.1"
}

package handlerstest

import (
	"net/http"
	"net/url"
	"testing"
)

// Fill11 fills CommCare phase 1.1 of the assessment at base as the
// signed-in manager, complete.
func Fill11(t *testing.T, b *Browser, base string) {
	t.Helper()
	form := Phase11()
	AddVersions(t, b, base+"/phases/1.1", form)
	if resp, _ := b.Post(base+"/phases/1.1", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill 1.1 = %d", resp.StatusCode)
	}
}

// Submit11 fills CommCare phase 1.1 of the assessment at base as the
// signed-in manager and submits it.
func Submit11(t *testing.T, b *Browser, base string) {
	t.Helper()
	Fill11(t, b, base)
	if resp, _ := b.Post(base+"/phases/1.1/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", resp.StatusCode)
	}
}

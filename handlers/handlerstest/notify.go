package handlerstest

import (
	"net/http"
	"net/url"
	"testing"
)

// ReviewCycle has the manager fill and submit CommCare phase 1.1 of a new
// sign-off assessment, the advisor ask for changes, the manager submit
// again and the advisor approve: four events, two for each of them.
func ReviewCycle(t *testing.T, manager, advisor *Browser) (base string) {
	t.Helper()
	base = Start(t, manager, true)
	form := Phase11()
	AddVersions(t, manager, base+"/phases/1.1", form)
	steps := []struct {
		b    *Browser
		path string
		form url.Values
	}{
		{manager, base + "/phases/1.1", form},
		{manager, base + "/phases/1.1/submit", url.Values{}},
		{advisor, base + "/phases/1.1/review", url.Values{"decision": {"changes"}, "comment": {"Add the tablet users."}}},
		{manager, base + "/phases/1.1/submit", url.Values{}},
		{advisor, base + "/phases/1.1/review", url.Values{"decision": {"approve"}}},
	}
	for _, s := range steps {
		if resp, body := s.b.Post(s.path, s.form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s = %d\n%.400s", s.path, resp.StatusCode, body)
		}
	}
	return base
}

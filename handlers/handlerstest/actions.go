package handlerstest

import (
	"net/http"
	"net/url"
	"testing"
)

// WithActionItems makes a CommCare assessment (under sign-off) whose
// phase 1.1 was sent back with a request for changes, and whose answers
// then broke one of its rules (production left out of the environments);
// the later phases' checkpoints are unconfirmed. It returns the manager's
// client, the assessment's path and its id.
func WithActionItems(t *testing.T, e *Env) (*Browser, string, int64) {
	t.Helper()
	mgr, base := Submitted11(t, e)
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	Posted(t, "request changes", adv, base+"/phases/1.1/review", url.Values{"decision": {"changes"}, "comment": {"Link the diagram PDF, not the wiki page."}})
	form := Phase11()
	form["environments"] = []string{"testing"}
	AddVersions(t, mgr, base+"/phases/1.1", form)
	if resp, body := mgr.Post(base+"/phases/1.1", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit 1.1 = %d\n%.2000s", resp.StatusCode, body)
	}
	return mgr, base, MustID(t, base)
}

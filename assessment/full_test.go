package assessment

import "testing"

// TestFullyAnsweredTemplates checks that the fixtures used by the gating
// tests and the benchmark really complete every phase: no blockers and no
// warnings anywhere, overall score 100.
func TestFullyAnsweredTemplates(t *testing.T) {
	for _, full := range []func(testing.TB) (*Template, Input){fullCommCare, fullOpenCRVS} {
		tpl, in := full(t)
		checkFull(t, tpl, in)
	}
}

func checkFull(t *testing.T, tpl *Template, in Input) {
	t.Helper()
	res := tpl.Evaluate(in)
	for _, p := range res.Phases {
		if len(p.Blockers) > 0 || len(p.Warnings) > 0 {
			t.Errorf("%s phase %s: blockers %v, warnings %v", tpl.ID, p.Key, issueKeys(p.Blockers), issueKeys(p.Warnings))
		}
		if p.Status != StatusComplete {
			t.Errorf("phase %s: status %s, want complete", p.Key, p.Status)
		}
	}
	if res.Score != 100 {
		t.Errorf("overall score %d, want 100", res.Score)
	}
}

package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"strings"
	"testing"
)

// What the catalog shows readers, checked against the seeds: derived
// checkpoints carry a short "Source:" line, not the authors' notes; the
// guide's two staff figures both show, with a question to say which;
// Appendix 2's skills are a checklist in 2.3; provenance names the
// commcare-cloud docs where the guide does not say it.
func TestCatalogWordsForReaders(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)

	_, p21 := b.Get(base + "/phases/2.1")
	if strings.Contains(p21, "Not from the guide") {
		t.Errorf("phase 2.1 shows the authors' notes to readers")
	}
	if !strings.Contains(p21, "Source: Dimagi transition guide, 2.2 (the three hosting options)") {
		t.Errorf("phase 2.1's derived checkpoint lacks its Source line")
	}

	_, p23 := b.Get(base + "/phases/2.3")
	for _, want := range []string{"part-time", "full-time", "Appendix 1", "Will the DevOps engineers work on this deployment part-time or full-time?",
		"Deploys: updating CommCare code", "Firefighting", "Load testing. Who has this skill, or what training is planned?",
		"Appendix 2 of the guide"} {
		if !strings.Contains(p23, want) {
			t.Errorf("phase 2.3 lacks %q", want)
		}
	}

	_, p22 := b.Get(base + "/phases/2.2")
	if !strings.Contains(strings.Join(strings.Fields(p22), " "), "Not in the guide, from the commcare-cloud documentation (CCD): servers sit on an isolated network segment") {
		t.Errorf("phase 2.2 credits the isolated network segment to the guide")
	}

	_, crvs := b.Get("/templates/opencrvs-server-hosted")
	if strings.Contains(crvs, "Fork the country configuration repository") {
		t.Errorf("OpenCRVS 2.1 still says to fork the repository, which neither seed says")
	}
}

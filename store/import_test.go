package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"groundwork/store"
)

// TestImportAssessment imports an assessment as an admin, with people
// matched by e-mail address or recorded as the admin; and refuses, with
// nothing written, an actor who is not an admin, an organisation that
// does not exist, a snapshot that does not match its digest and an
// evidence file that does not match its SHA-256.
func TestImportAssessment(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 1, 9, 30, 0, 0, time.UTC)
	snap := &store.Snapshot{Format: store.SnapshotFormat, Assessment: "7", Template: "mini", TemplateVersion: "1", Phase: "1", Revision: "1",
		Decision: "approved", DecidedBy: "Ada Advisor", DecidedAt: "2026-05-02T10:00:00.000000Z",
		Answers: map[string]string{"users": "100"}, Checkpoints: map[string]store.SnapshotCheckpoint{}}
	canonical := snap.Canonical()
	digest := sha256.Sum256(canonical)
	content := []byte("%PDF-1.4 design")
	sum := sha256.Sum256(content)
	im := func() store.Import {
		return store.Import{OrganisationID: f.orgA.ID, Name: "Pilot move", SignOff: true, CreatedAt: at, Source: "assessment 7 of Pilot (pilot)",
			People: map[string]store.ImportPerson{
				"Maria Manager": {Name: "Maria Manager", Email: "MANAGER@example.org"},
				"Ada Advisor":   {Name: "Ada Advisor", Email: "ada@pilot.example.org"},
			},
			Answers:       []store.ImportAnswer{{Key: "users", Value: "100", Version: 3, By: "Maria Manager", At: at}},
			Confirmations: []store.ImportConfirmation{{Key: "design_done", Confirmed: true, Version: 1, By: "Maria Manager", At: at}},
			Evidence: []store.ImportEvidence{{Checkpoint: "design_done", Filename: "design.pdf", ContentType: "application/pdf", SHA256: hex.EncodeToString(sum[:]),
				By: "Maria Manager", At: at, Open: func() ([]byte, error) { return content, nil }}},
			Reviews: []store.ImportReview{{Phase: "1", State: "approved", Revision: 1, By: "Ada Advisor", At: at}},
			Decisions: []store.ImportDecision{
				{Phase: "1", Revision: 1, Action: store.ActionSubmitted, By: "Maria Manager", At: at},
				{Phase: "1", Revision: 1, Action: store.ActionApproved, Reason: "Fine.", By: "Ada Advisor", At: at.Add(time.Hour), Snapshot: canonical, Digest: digest[:]},
			},
			Threads: []store.ImportThread{{Phase: "1", Question: "users", Kind: store.KindComment, Comments: []store.ImportComment{
				{Author: "Ada Advisor", Body: "Why 100?", CreatedAt: at},
				{Author: "Maria Manager", Body: "The pilot's count.", CreatedAt: at.Add(time.Minute)},
			}}},
		}
	}
	count := func() int {
		var n int
		if err := f.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM assessments) + (SELECT count(*) FROM answers) + (SELECT count(*) FROM evidence)
			+ (SELECT count(*) FROM phase_decisions) + (SELECT count(*) FROM comments) + (SELECT count(*) FROM history)`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	bad := im()
	bad.Decisions[1].Snapshot = []byte(string(canonical[:len(canonical)-2]) + " }")
	badFile := im()
	badFile.Evidence[0].Open = func() ([]byte, error) { return []byte("%PDF-1.4 other"), nil }
	noOrg := im()
	noOrg.OrganisationID = f.orgB.ID + 100
	refusals := []struct {
		name  string
		actor int64
		im    store.Import
		want  error
	}{
		{"a manager", f.manager.ID, im(), store.ErrNotFound},
		{"an advisor", f.advisor.ID, im(), store.ErrNotFound},
		{"no such organisation", f.admin.ID, noOrg, store.ErrNotFound},
		{"a changed snapshot", f.admin.ID, bad, store.ErrDigestMismatch},
		{"a changed file", f.admin.ID, badFile, store.ErrEvidenceDigest},
	}
	for _, r := range refusals {
		_, err := f.st.ImportAssessment(ctx, r.actor, tpl, r.im)
		if !errors.Is(err, r.want) {
			t.Errorf("%s: err = %v, want %v", r.name, err, r.want)
		}
		if n := count(); n != before {
			t.Errorf("%s: %d rows after the refusal, want %d", r.name, n, before)
		}
	}

	id, err := f.st.ImportAssessment(ctx, f.admin.ID, tpl, im())
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.st.Assessment(ctx, f.viewer.ID, id)
	if err != nil || a.OrganisationID != f.orgA.ID || a.Name != "Pilot move" || !a.SignOff || !a.CreatedAt.Equal(at) {
		t.Fatalf("imported assessment = %+v, %v", a, err)
	}
	ds, err := f.st.PhaseDecisions(ctx, f.viewer.ID, id, "1")
	if err != nil || len(ds) != 2 {
		t.Fatalf("decisions = %+v, %v", ds, err)
	}
	if ds[0].By != "manager manager@example.org" || ds[0].Reason != "" {
		t.Errorf("the submission is by %q (%q), want the manager matched by e-mail", ds[0].By, ds[0].Reason)
	}
	if ds[1].By != "admin admin@example.org" || ds[1].Reason != "[Ada Advisor, imported] Fine." || ds[1].Verify() != nil || string(ds[1].Snapshot) != string(canonical) {
		t.Errorf("the approval = %q by %q, verifies: %v", ds[1].Reason, ds[1].By, ds[1].Verify())
	}
	threads, err := f.st.Threads(ctx, f.viewer.ID, id, "1")
	if err != nil || len(threads) != 1 || len(threads[0].Replies) != 1 {
		t.Fatalf("threads = %+v, %v", threads, err)
	}
	if threads[0].Body != "[Ada Advisor, imported] Why 100?" || threads[0].Replies[0].Body != "The pilot's count." {
		t.Errorf("comments = %q, %q", threads[0].Body, threads[0].Replies[0].Body)
	}
	// Everyone named, for the next export; nobody for someone who cannot
	// see the assessment.
	people, err := f.st.AssessmentPeople(ctx, f.viewer.ID, id)
	if err != nil || len(people) != 2 || people[0].Email != "admin@example.org" || people[1].Email != "manager@example.org" {
		t.Errorf("people = %+v, %v", people, err)
	}
	if people, err := f.st.AssessmentPeople(ctx, f.b.ID, id); err != nil || len(people) != 0 {
		t.Errorf("people for another organisation's manager = %+v, %v", people, err)
	}
	var readiness int
	if err := f.pool.QueryRow(ctx, `SELECT readiness FROM assessments WHERE id = $1`, id).Scan(&readiness); err != nil || readiness == 0 {
		t.Errorf("readiness = %d, %v; want it computed", readiness, err)
	}
	// An export that says where it came from: imported once, refused again
	// unless asked for; asked for, each copy is named apart.
	sourced := im()
	sourced.SourceOrg, sourced.SourceID = "pilot", 7
	first, err := f.st.ImportAssessment(ctx, f.admin.ID, tpl, sourced)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := f.st.Assessment(ctx, f.viewer.ID, first); err != nil || a.Name != "Pilot move (copy)" {
		t.Errorf("a second assessment of the same name is named %q, %v; want it marked a copy", a.Name, err)
	}
	var dup *store.AlreadyImported
	if _, err := f.st.ImportAssessment(ctx, f.admin.ID, tpl, sourced); !errors.As(err, &dup) || dup.ID != first {
		t.Errorf("the same import again = %v, want AlreadyImported naming %d", err, first)
	}
	for _, want := range []string{"Pilot move (copy 2)", "Pilot move (copy 3)"} {
		again := sourced
		again.Again = true
		copyID, err := f.st.ImportAssessment(ctx, f.admin.ID, tpl, again)
		if err != nil {
			t.Fatal(err)
		}
		if a, err := f.st.Assessment(ctx, f.viewer.ID, copyID); err != nil || a.Name != want {
			t.Errorf("imported again: %q, %v; want %q", a.Name, err, want)
		}
	}
}

package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"groundwork/assessment"
	"groundwork/store"
)

// TestWorkflowTransitions tries every transition of a phase's workflow as
// every role, from the state the transition starts from, and checks that
// it is allowed for the right people only, refused with the right error
// otherwise, and that a refusal changes nothing.
func TestWorkflowTransitions(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	ctx := context.Background()
	stranger, err := f.st.CreateUser(ctx, store.NewUser{Email: "other-advisor@example.org", Name: "Other Advisor", Role: store.RoleAdvisor, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.AssignAdvisor(ctx, f.admin.ID, stranger.ID, f.orgB.ID); err != nil {
		t.Fatal(err)
	}
	roles := []struct {
		name string
		id   int64
	}{
		{"admin", f.admin.ID}, {"advisor", f.advisor.ID}, {"unassigned advisor", stranger.ID},
		{"manager", f.manager.ID}, {"other manager", f.b.ID}, {"viewer", f.viewer.ID},
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// The states a transition starts from, reached by the people allowed to.
	complete := func(a store.Assessment) {
		save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
		if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "", 0); err != nil {
			t.Fatal(err)
		}
	}
	submitted := func(a store.Assessment) { complete(a); must(f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1")) }
	approved := func(a store.Assessment) {
		submitted(a)
		must(f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true}))
	}
	waived := func(a store.Assessment) {
		complete(a)
		must(f.st.WaivePhase(ctx, f.manager.ID, a.ID, tpl, "2", "No extras."))
	}
	edit := func(actor, id int64) error {
		_, _, err := saveAnswers(f.st, ctx, actor, id, tpl, []change{{Key: "users", Value: "120", Base: 1}})
		return err
	}

	type result struct {
		phase    string
		state    assessment.ReviewState
		waived   bool
		revision int
		action   store.DecisionAction // of the last decision on the phase
	}
	tests := []struct {
		name    string
		signOff bool
		from    func(store.Assessment)
		do      func(actor, id int64) error
		right   []string // roles with the right to do it
		refused error    // what they get from the phase's state; nil: it is done
		after   result   // the phase after it is done
	}{
		{"submit", true, complete, func(actor, id int64) error { return f.st.SubmitPhase(ctx, actor, id, tpl, "1") },
			[]string{"manager"}, nil, result{"1", assessment.ReviewSubmitted, false, 1, store.ActionSubmitted}},
		{"approve", true, submitted, func(actor, id int64) error {
			return f.st.ReviewPhase(ctx, actor, id, tpl, "1", store.Decision{Approve: true})
		}, []string{"advisor"}, nil, result{"1", assessment.ReviewApproved, false, 1, store.ActionApproved}},
		{"request changes", true, submitted, func(actor, id int64) error {
			return f.st.ReviewPhase(ctx, actor, id, tpl, "1", store.Decision{Reason: "Count tablets.", Questions: []string{"users"}})
		}, []string{"advisor"}, nil, result{"1", assessment.ReviewChangesRequested, false, 1, store.ActionChangesRequested}},
		{"reopen", true, approved, func(actor, id int64) error { return f.st.ReopenPhase(ctx, actor, id, tpl, "1", "Recount.") },
			[]string{"advisor", "manager"}, nil, result{"1", assessment.ReviewNone, false, 2, store.ActionReopened}},
		{"waive", false, complete, func(actor, id int64) error { return f.st.WaivePhase(ctx, actor, id, tpl, "2", "No extras.") },
			[]string{"manager"}, nil, result{phase: "2", waived: true, revision: 1}},
		{"unwaive", false, waived, func(actor, id int64) error { return f.st.UnwaivePhase(ctx, actor, id, tpl, "2") },
			[]string{"manager"}, nil, result{phase: "2", revision: 1}},
		{"edit withdraws a submission", true, submitted, edit,
			[]string{"manager"}, nil, result{"1", assessment.ReviewNone, false, 1, store.ActionSubmitted}},
		// Refused whoever asks, by the state the phase is in.
		{"edit an approved phase", true, approved, edit, []string{"manager"}, assessment.ErrApproved, result{}},
		{"approve an unsubmitted phase", true, complete, func(actor, id int64) error {
			return f.st.ReviewPhase(ctx, actor, id, tpl, "1", store.Decision{Approve: true})
		}, []string{"advisor"}, assessment.ErrNotSubmitted, result{}},
		{"reopen a submitted phase", true, submitted, func(actor, id int64) error { return f.st.ReopenPhase(ctx, actor, id, tpl, "1", "Why not.") },
			[]string{"advisor", "manager"}, assessment.ErrNotApproved, result{}},
		{"submit an incomplete phase", true, func(store.Assessment) {}, func(actor, id int64) error { return f.st.SubmitPhase(ctx, actor, id, tpl, "1") },
			[]string{"manager"}, assessment.ErrIncomplete, result{}},
		{"submit an approved phase", true, approved, func(actor, id int64) error { return f.st.SubmitPhase(ctx, actor, id, tpl, "1") },
			[]string{"manager"}, textErr("phase is already approved"), result{}},
		{"waive an approved optional phase", true, func(a store.Assessment) {
			approved(a)
			save(t, f, tpl, a.ID, change{Key: "extra", Value: "yes"})
			must(f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "2"))
			must(f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "2", store.Decision{Approve: true}))
		}, func(actor, id int64) error { return f.st.WaivePhase(ctx, actor, id, tpl, "2", "No extras.") }, []string{"manager"}, assessment.ErrApproved, result{}},
	}
	for _, tt := range tests {
		for _, role := range roles {
			t.Run(tt.name+" as "+role.name, func(t *testing.T) {
				a := newAssessment(t, f, tpl, tt.signOff)
				tt.from(a)
				before, _ := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
				decisions, _ := f.st.PhaseDecisions(ctx, f.manager.ID, a.ID, "")
				err := tt.do(role.id, a.ID)

				want := error(store.ErrForbidden)
				switch {
				case role.name == "unassigned advisor" || role.name == "other manager":
					want = store.ErrNotFound // they cannot see it at all
				case slices.Contains(tt.right, role.name):
					want = tt.refused
				}
				switch {
				case want == nil && err != nil:
					t.Fatalf("got %v, want it allowed", err)
				case want == nil:
					st, _ := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
					r := st.Reviews[tt.after.phase]
					if r.State != tt.after.state || r.Waived != tt.after.waived || r.CurrentRevision() != tt.after.revision {
						t.Errorf("phase %s after: %q waived %v revision %d, want %+v", tt.after.phase, r.State, r.Waived, r.CurrentRevision(), tt.after)
					}
					ds, _ := f.st.PhaseDecisions(ctx, f.manager.ID, a.ID, tt.after.phase)
					if tt.after.action != "" && (len(ds) == 0 || ds[len(ds)-1].Action != tt.after.action) {
						t.Errorf("last decision of %d is not %s", len(ds), tt.after.action)
					}
				case err == nil:
					t.Fatalf("allowed, want %v", want)
				case errors.As(want, new(textErr)):
					if !strings.Contains(err.Error(), want.Error()) {
						t.Errorf("got %v, want %v", err, want)
					}
				case !errors.Is(err, want):
					t.Errorf("got %v, want %v", err, want)
				}
				if want == nil {
					return
				}
				after, _ := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
				again, _ := f.st.PhaseDecisions(ctx, f.manager.ID, a.ID, "")
				if !after.UpdatedAt.Equal(before.UpdatedAt) || len(again) != len(decisions) || after.Reviews["1"] != before.Reviews["1"] || after.Reviews["2"] != before.Reviews["2"] {
					t.Errorf("a refused transition changed something")
				}
			})
		}
	}
}

// textErr is an error a test expects by its text: the domain words it
// without a sentinel.
type textErr string

func (e textErr) Error() string { return string(e) }

// sampleSnapshot is a snapshot with every kind of value, and strings that
// JSON encoders escape differently.
func sampleSnapshot() *store.Snapshot {
	return &store.Snapshot{
		Format: store.SnapshotFormat, Assessment: "7", Template: "mini", TemplateVersion: "1", Phase: "1", Revision: "2",
		Decision: "approved", DecidedBy: "Zoë <advisor> & \"co\"", DecidedAt: "2027-01-02T03:04:05.123456Z",
		Answers: map[string]string{"users": "100", "notes": "Line one\nline two\t\u2028 é 日本 \\ \x01", "apps": `[["CHW app","42"]]`},
		Checkpoints: map[string]store.SnapshotCheckpoint{
			"design_done": {Confirmed: true, By: "Mona", At: "2027-01-01T00:00:00.000000Z", EvidenceURL: "https://example.org/d?a=1&b=2",
				Evidence: []store.SnapshotFile{{Filename: "design.pdf", Size: "1234", SHA256: strings.Repeat("ab", 32), UploadedBy: "Mona", UploadedAt: "2027-01-01T00:00:00.000000Z"}}},
			"agreement": {Evidence: []store.SnapshotFile{}},
		},
	}
}

func TestSnapshotEncodingIsCanonical(t *testing.T) {
	s := sampleSnapshot()
	data := s.Canonical()
	want := `{"answers":{"apps":"[[\"CHW app\",\"42\"]]","notes":"Line one\nline two\t\u2028 é 日本 \\ \u0001","users":"100"},"assessment":"7","checkpoints":{"agreement":{"confirmed":false,"confirmed_at":"","confirmed_by":"","evidence":[],"evidence_url":""},"design_done":{"confirmed":true,"confirmed_at":"2027-01-01T00:00:00.000000Z","confirmed_by":"Mona","evidence":[{"filename":"design.pdf","sha256":"` + strings.Repeat("ab", 32) + `","size":"1234","uploaded_at":"2027-01-01T00:00:00.000000Z","uploaded_by":"Mona"}],"evidence_url":"https://example.org/d?a=1&b=2"}},"decided_at":"2027-01-02T03:04:05.123456Z","decided_by":"Zoë <advisor> & \"co\"","decision":"approved","format":"groundwork-phase-snapshot/1","phase":"1","revision":"2","template":"mini","template_version":"1"}`
	if string(data) != want {
		t.Fatalf("canonical encoding\n got %s\nwant %s", data, want)
	}
	digest := sha256.Sum256(data)
	// Decoded and encoded again, through the snapshot type or as any JSON
	// (indented, keys in another order, HTML-escaped), it is the same bytes.
	parsed, err := store.ParseSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	if again := parsed.Canonical(); !bytes.Equal(again, data) {
		t.Errorf("decode + encode changed the bytes:\n%s\n%s", again, data)
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		t.Fatal(err)
	}
	pretty, _ := json.MarshalIndent(generic, "", "  ")
	if c, err := store.Canonicalize(pretty); err != nil || !bytes.Equal(c, data) {
		t.Errorf("canonicalized re-encoding differs: %v\n%s", err, c)
	}
	if err := store.VerifySnapshot(data, digest[:]); err != nil {
		t.Errorf("VerifySnapshot of an intact snapshot: %v", err)
	}
	if err := store.VerifySnapshot(pretty, sha256Of(pretty)); !errors.Is(err, store.ErrNotCanonical) {
		t.Errorf("VerifySnapshot of an indented copy with its own digest: %v, want ErrNotCanonical", err)
	}

	// Any frozen value changed changes the digest.
	for _, c := range []struct {
		name   string
		change func(s *store.Snapshot)
	}{
		{"an answer", func(s *store.Snapshot) { s.Answers["users"] = "101" }},
		{"an answer added", func(s *store.Snapshot) { s.Answers["extra"] = "x" }},
		{"an answer removed", func(s *store.Snapshot) { delete(s.Answers, "notes") }},
		{"a confirmation", func(s *store.Snapshot) {
			cp := s.Checkpoints["agreement"]
			cp.Confirmed = true
			s.Checkpoints["agreement"] = cp
		}},
		{"who confirmed", func(s *store.Snapshot) {
			cp := s.Checkpoints["design_done"]
			cp.By = "Someone"
			s.Checkpoints["design_done"] = cp
		}},
		{"when confirmed", func(s *store.Snapshot) {
			cp := s.Checkpoints["design_done"]
			cp.At = "2027-01-01T00:00:00.000001Z"
			s.Checkpoints["design_done"] = cp
		}},
		{"an evidence link", func(s *store.Snapshot) {
			cp := s.Checkpoints["design_done"]
			cp.EvidenceURL = ""
			s.Checkpoints["design_done"] = cp
		}},
		{"an evidence hash", func(s *store.Snapshot) {
			s.Checkpoints["design_done"].Evidence[0].SHA256 = strings.Repeat("ab", 31) + "ac"
		}},
		{"a file name", func(s *store.Snapshot) { s.Checkpoints["design_done"].Evidence[0].Filename = "design2.pdf" }},
		{"a file size", func(s *store.Snapshot) { s.Checkpoints["design_done"].Evidence[0].Size = "1235" }},
		{"the advisor", func(s *store.Snapshot) { s.DecidedBy = "Another" }},
		{"the time", func(s *store.Snapshot) { s.DecidedAt = "2027-01-02T03:04:05.123457Z" }},
		{"the revision", func(s *store.Snapshot) { s.Revision = "3" }},
	} {
		s := sampleSnapshot()
		c.change(s)
		if sum := sha256.Sum256(s.Canonical()); sum == digest {
			t.Errorf("changing %s leaves the digest as it was", c.name)
		}
		if err := store.VerifySnapshot(s.Canonical(), digest[:]); !errors.Is(err, store.ErrDigestMismatch) {
			t.Errorf("changing %s: VerifySnapshot = %v, want ErrDigestMismatch", c.name, err)
		}
	}
}

func sha256Of(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// TestSignOffSnapshot: an approval freezes the phase as it was, with the
// evidence's hashes, and the decisions table refuses to be changed.
func TestSignOffSnapshot(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true)
	ctx := context.Background()
	save(t, f, tpl, a.ID, change{Key: "users", Value: "2500"}, change{Key: "notes", Value: "Tablets <too> & phones"})
	if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "https://example.org/design", 0); err != nil {
		t.Fatal(err)
	}
	pdf := []byte("%PDF-1.4 the design")
	if _, err := f.st.AddEvidence(ctx, f.manager.ID, a.ID, tpl, "design_done", "design.pdf", "application/pdf", pdf); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Reason: "x", Questions: []string{"ups"}}); !errors.As(err, new(*store.QuestionError)) {
		t.Errorf("marking a question of another phase: %v, want a QuestionError", err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	ds, err := f.st.PhaseDecisions(ctx, f.viewer.ID, a.ID, "1")
	if err != nil || len(ds) != 2 {
		t.Fatalf("decisions = %d, %v", len(ds), err)
	}
	d := ds[1]
	if d.Action != store.ActionApproved || d.By != f.advisor.Name || d.Revision != 1 {
		t.Errorf("approval = %+v", d)
	}
	if err := d.Verify(); err != nil {
		t.Errorf("Verify() = %v", err)
	}
	if got := sha256Of(d.Snapshot); !bytes.Equal(got, d.Digest) {
		t.Errorf("digest %x is not the snapshot's SHA-256 %x", d.Digest, got)
	}
	s, err := store.ParseSnapshot(d.Snapshot)
	if err != nil {
		t.Fatal(err)
	}
	cp := s.Checkpoints["design_done"]
	sum := sha256.Sum256(pdf)
	if s.Answers["users"] != "2500" || s.Answers["notes"] != "Tablets <too> & phones" || !cp.Confirmed || cp.By != f.manager.Name || cp.At == "" ||
		len(cp.Evidence) != 1 || cp.Evidence[0].SHA256 != hex.EncodeToString(sum[:]) || cp.Evidence[0].Size != "19" || cp.Evidence[0].Filename != "design.pdf" ||
		s.DecidedBy != f.advisor.Name || s.DecidedAt != d.At.UTC().Format("2006-01-02T15:04:05.000000Z") || s.Decision != "approved" {
		t.Errorf("snapshot = %s", d.Snapshot)
	}
	// Nobody changes a decision, not even the application's own role.
	for _, sql := range []string{
		`UPDATE phase_decisions SET reason = 'rewritten'`,
		`DELETE FROM phase_decisions`,
		`TRUNCATE phase_decisions`,
	} {
		if _, err := f.pool.Exec(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused as append-only", sql, err)
		}
	}
	// Tampered with (the trigger disabled, as only the table's owner can),
	// the snapshot no longer verifies.
	if _, err := f.pool.Exec(ctx, `ALTER TABLE phase_decisions DISABLE TRIGGER phase_decisions_no_change`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE phase_decisions SET snapshot = replace(snapshot, '"2500"', '"250"') WHERE id = $1`, d.ID); err != nil {
		t.Fatal(err)
	}
	ds, _ = f.st.PhaseDecisions(ctx, f.viewer.ID, a.ID, "1")
	if err := ds[1].Verify(); !errors.Is(err, store.ErrDigestMismatch) {
		t.Errorf("tampered snapshot: Verify() = %v, want ErrDigestMismatch", err)
	}
	// Another organisation reads none of it.
	if ds, err := f.st.PhaseDecisions(ctx, f.b.ID, a.ID, ""); err != nil || len(ds) != 0 {
		t.Errorf("another organisation's manager reads %d decisions (%v)", len(ds), err)
	}
}

func TestDiffSnapshots(t *testing.T) {
	tpl := miniTemplate(t)
	p, _ := tpl.Phase("1")
	file := func(name, sum string) store.SnapshotFile {
		return store.SnapshotFile{Filename: name, SHA256: sum, Size: "1"}
	}
	old := &store.Snapshot{
		Answers: map[string]string{"users": "100", "notes": "old"},
		Checkpoints: map[string]store.SnapshotCheckpoint{"design_done": {Confirmed: true,
			Evidence: []store.SnapshotFile{file("a.pdf", "01"), file("b.pdf", "02"), file("c.pdf", "03")}}},
	}
	cur := &store.Snapshot{
		Answers: map[string]string{"users": "140"},
		Checkpoints: map[string]store.SnapshotCheckpoint{"design_done": {Confirmed: true, EvidenceURL: "https://x.org",
			Evidence: []store.SnapshotFile{file("a.pdf", "01"), file("b.pdf", "09"), file("d.pdf", "04")}}},
	}
	var got []string
	for _, c := range store.DiffSnapshots(p, old, cur) {
		got = append(got, c.Item+" "+c.Key+" "+string(c.Kind)+": "+c.Old+" -> "+c.New)
	}
	want := []string{
		"answer users changed: 100 -> 140",
		"answer notes removed: old -> ",
		"checkpoint design_done changed: confirmed -> confirmed; evidence: https://x.org",
		"evidence design_done changed: b.pdf -> b.pdf",
		"evidence design_done removed: c.pdf -> ",
		"evidence design_done added:  -> d.pdf",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diff:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := store.DiffSnapshots(p, cur, cur); len(d) != 0 {
		t.Errorf("a snapshot differs from itself: %+v", d)
	}
}

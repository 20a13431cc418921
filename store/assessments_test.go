package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"groundwork/assessment"
	"groundwork/store"
)

// miniYAML is a small template: phase 1 gates phase 3; phase 2 is optional.
const miniYAML = `
id: mini
platform: commcare
version: 1
title: Mini transition
source: {title: Test source, url: "https://example.org/guide"}
phases:
  - key: "1"
    title: Design
    intro: Design the system.
    questions:
      - {key: users, label: expected users, type: number, origin: source, prompt: "How many users?", integer: true, min: 1}
      - {key: notes, label: notes, type: long_text, origin: source, prompt: "Notes", optional: true}
    checkpoints:
      - {key: design_done, label: design done, text: "The design is done.", origin: source}
  - key: "2"
    title: Optional extras
    intro: Extras.
    optional: true
    questions:
      - {key: extra, label: extra, type: short_text, origin: source, prompt: "Extra?"}
  - key: "3"
    title: Power
    intro: Power.
    questions:
      - {key: ups, label: UPS runtime, type: number, origin: source, prompt: "UPS minutes?", min: 0}
    checkpoints:
      - {key: agreement_signed, label: agreement signed, text: "The agreement is signed.", origin: source}
`

func miniTemplate(t testing.TB) *assessment.Template {
	t.Helper()
	tpl, err := assessment.ParseTemplate("mini.yaml", []byte(miniYAML))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// newAssessment starts an assessment in org A as its manager.
func newAssessment(t *testing.T, f fixture, tpl *assessment.Template, signOff bool) store.Assessment {
	t.Helper()
	a, err := f.st.CreateAssessment(context.Background(), f.manager.ID, store.NewAssessment{Name: "Move 2027", TemplateID: tpl.ID, TemplateVersion: tpl.Version, SignOff: signOff})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// change is an answer to save in its stored form, as a test writes it.
type change struct {
	Key, Value string
	Base       int
}

// saveAnswers saves answers through SavePhase, in the phase of the first.
func saveAnswers(st *store.Store, ctx context.Context, actorID, id int64, tpl *assessment.Template, changes []change) ([]store.SaveResult, *store.State, error) {
	var ch store.PhaseChanges
	phase := ""
	for _, c := range changes {
		v := assessment.Value{Text: c.Value}
		if q, ok := tpl.Question(c.Key); ok {
			phase = q.PhaseKey()
			if c.Value != "" {
				var err error
				if v, err = q.Decode(c.Value); err != nil {
					return nil, nil, err
				}
			}
		}
		ch.Answers = append(ch.Answers, store.AnswerChange{Key: c.Key, Value: v, Base: c.Base})
	}
	saved, err := st.SavePhase(ctx, actorID, id, tpl, phase, ch)
	if err != nil {
		return nil, nil, err
	}
	return saved.Answers, saved.State, nil
}

// setConfirmation confirms or withdraws one checkpoint through SavePhase,
// returning a conflict as an error.
func setConfirmation(st *store.Store, ctx context.Context, actorID, id int64, tpl *assessment.Template, key string, confirmed bool, url string, base int) (int, *store.State, error) {
	phase := ""
	if cp, ok := tpl.Checkpoint(key); ok {
		phase = cp.PhaseKey()
	}
	saved, err := st.SavePhase(ctx, actorID, id, tpl, phase, store.PhaseChanges{Confirmations: []store.ConfirmationChange{{Key: key, Confirmed: confirmed, EvidenceURL: url, Base: base}}})
	if err != nil {
		return 0, nil, err
	}
	if c := saved.Confirmations[0].Conflict; c != nil {
		return 0, nil, c
	}
	return saved.Confirmations[0].Version, saved.State, nil
}

func save(t *testing.T, f fixture, tpl *assessment.Template, id int64, changes ...change) []store.SaveResult {
	t.Helper()
	res, _, err := saveAnswers(f.st, context.Background(), f.manager.ID, id, tpl, changes)
	if err != nil {
		t.Fatalf("SavePhase(%v): %v", changes, err)
	}
	return res
}

func TestCreateAssessmentPermissions(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	ctx := context.Background()
	for _, u := range []store.User{f.admin, f.advisor, f.viewer} {
		if _, err := f.st.CreateAssessment(ctx, u.ID, store.NewAssessment{Name: "X", TemplateID: "mini", TemplateVersion: 1}); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s starts an assessment: err = %v, want ErrForbidden", u.Role, err)
		}
	}
	if _, err := f.st.CreateAssessment(ctx, f.manager.ID, store.NewAssessment{Name: " ", TemplateID: "mini", TemplateVersion: 1}); !errors.Is(err, store.ErrNoName) {
		t.Errorf("empty name: err = %v", err)
	}
	a := newAssessment(t, f, tpl, false)
	if a.OrganisationID != f.orgA.ID || !a.CanEdit || a.CanReview || a.TemplateID != "mini" || a.TemplateVersion != 1 {
		t.Errorf("created %+v", a)
	}
	// Visibility follows the organisation; editing is for its managers;
	// reviewing for its assigned advisors.
	for _, c := range []struct {
		u                  store.User
		sees, edits, revws bool
	}{
		{f.admin, true, false, false}, {f.advisor, true, false, true}, {f.manager, true, true, false},
		{f.viewer, true, false, false}, {f.b, false, false, false},
	} {
		got, err := f.st.Assessment(ctx, c.u.ID, a.ID)
		if !c.sees {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s of B reads A's assessment: %v", c.u.Email, err)
			}
			continue
		}
		if err != nil || got.CanEdit != c.edits || got.CanReview != c.revws {
			t.Errorf("%s: %+v, %v; want edit=%v review=%v", c.u.Email, got, err, c.edits, c.revws)
		}
		list, _, _ := f.st.Assessments(ctx, c.u.ID, store.ListOptions{})
		if len(list) != 1 {
			t.Errorf("%s lists %d assessments, want 1", c.u.Email, len(list))
		}
	}
	if list, _, _ := f.st.Assessments(ctx, f.b.ID, store.ListOptions{}); len(list) != 0 {
		t.Errorf("manager of B lists %d assessments of A", len(list))
	}
}

func TestSaveAnswersVersionsConflictsHistory(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()

	r := save(t, f, tpl, a.ID, change{Key: "users", Value: "1200", Base: 0})
	if r[0].Version != 1 || !r[0].Changed || r[0].Conflict != nil {
		t.Fatalf("first save = %+v", r[0])
	}
	// The same value again: nothing written, whatever the base.
	r = save(t, f, tpl, a.ID, change{Key: "users", Value: "1200", Base: 0})
	if r[0].Version != 1 || r[0].Changed || r[0].Conflict != nil {
		t.Errorf("same value = %+v, want version 1 unchanged", r[0])
	}
	r = save(t, f, tpl, a.ID, change{Key: "users", Value: "1500", Base: 1})
	if r[0].Version != 2 || !r[0].Changed {
		t.Fatalf("second save = %+v", r[0])
	}
	// A stale base with another value: a conflict, showing what is stored.
	r = save(t, f, tpl, a.ID, change{Key: "users", Value: "999", Base: 1}, change{Key: "notes", Value: "hello", Base: 0})
	if r[0].Conflict == nil || r[0].Conflict.Current.Value != "1500" || r[0].Conflict.Current.Version != 2 || r[0].Changed {
		t.Errorf("stale save = %+v, want a conflict with the stored 1500 v2", r[0])
	}
	if !r[1].Changed || r[1].Version != 1 {
		t.Errorf("the valid neighbour of a conflict = %+v, want saved", r[1])
	}
	// Clearing is a change too.
	save(t, f, tpl, a.ID, change{Key: "notes", Value: "", Base: 1})

	st, err := f.st.AssessmentState(ctx, f.viewer.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Answers["users"]; got.Value != "1500" || got.Version != 2 || got.UpdatedBy != f.manager.Name {
		t.Errorf("stored users = %+v", got)
	}
	if got := st.Answers["notes"]; got.Value != "" || got.Version != 2 {
		t.Errorf("cleared notes = %+v", got)
	}
	hist, err := f.st.History(ctx, f.viewer.ID, a.ID, "answer", "users")
	if err != nil || len(hist) != 2 {
		t.Fatalf("history = %v, %v; want 2 changes", hist, err)
	}
	if hist[0].Old == nil || *hist[0].Old != "1200" || hist[0].New != "1500" || hist[1].Old != nil || hist[1].New != "1200" || hist[0].By != f.manager.Name {
		t.Errorf("history newest first = %+v / %+v", hist[0], hist[1])
	}
	if _, err := f.st.History(ctx, f.b.ID, a.ID, "answer", "users"); err != nil {
		t.Fatal(err)
	} else if h, _ := f.st.History(ctx, f.b.ID, a.ID, "answer", "users"); len(h) != 0 {
		t.Errorf("another organisation reads the history: %d entries", len(h))
	}
}

func TestSaveAnswersRefusesBadInputAndOthers(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()
	var ve *assessment.ValidationError
	if _, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "users", Value: "0"}}); !errors.As(err, &ve) {
		t.Errorf("invalid answer: err = %v, want a validation error", err)
	}
	if _, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "nope", Value: "1"}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown question: err = %v", err)
	}
	for _, u := range []store.User{f.viewer, f.advisor, f.admin} {
		if _, _, err := saveAnswers(f.st, ctx, u.ID, a.ID, tpl, []change{{Key: "users", Value: "5"}}); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s saves: err = %v, want ErrForbidden", u.Role, err)
		}
	}
	if _, _, err := saveAnswers(f.st, ctx, f.b.ID, a.ID, tpl, []change{{Key: "users", Value: "5"}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another organisation saves: err = %v, want ErrNotFound", err)
	}
	st, _ := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
	if len(st.Answers) != 0 {
		t.Errorf("refused saves stored %v", st.Answers)
	}
}

func TestGatingOnTheServer(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()

	var gate *store.GateError
	_, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "ups", Value: "30"}})
	if !errors.As(err, &gate) || !errors.Is(err, assessment.ErrLocked) || gate.Phase != "3" || len(gate.Blockers) == 0 {
		t.Fatalf("save to locked phase 3: err = %v", err)
	}
	if !strings.Contains(gate.Blockers[0].Message, "1: 'expected users' is required") {
		t.Errorf("blockers = %v", gate.Blockers)
	}
	if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "agreement_signed", true, "", 0); !errors.As(err, &gate) {
		t.Errorf("confirming a checkpoint of a locked phase: err = %v", err)
	}
	// The optional phase 2 is locked behind phase 1 like any other.
	if _, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "extra", Value: "maybe"}}); !errors.Is(err, assessment.ErrLocked) {
		t.Errorf("save to optional phase 2 before phase 1 passed: %v", err)
	}
	if err := f.st.WaivePhase(ctx, f.manager.ID, a.ID, tpl, "2", "No extras."); !errors.Is(err, assessment.ErrLocked) {
		t.Errorf("waiving a locked phase: %v", err)
	}

	// Completing phase 1 opens phases 2 and 3.
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "https://example.org/design.pdf", 0); err != nil {
		t.Fatal(err)
	}
	save(t, f, tpl, a.ID, change{Key: "ups", Value: "30"})
	save(t, f, tpl, a.ID, change{Key: "extra", Value: "maybe"})

	// An optional phase can be waived, only with a reason; a required one never.
	if err := f.st.WaivePhase(ctx, f.manager.ID, a.ID, tpl, "2", " "); !errors.Is(err, assessment.ErrNoReason) {
		t.Errorf("waiver without a reason: %v", err)
	}
	if err := f.st.WaivePhase(ctx, f.manager.ID, a.ID, tpl, "1", "no"); !errors.Is(err, assessment.ErrNotOptional) {
		t.Errorf("waiving a required phase: %v", err)
	}
	if err := f.st.WaivePhase(ctx, f.manager.ID, a.ID, tpl, "2", "We have no extras."); err != nil {
		t.Fatal(err)
	}
	if _, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "extra", Value: "more", Base: 1}}); !errors.Is(err, assessment.ErrWaived) {
		t.Errorf("save to a waived phase: err = %v", err)
	}

	// Withdrawing the confirmation locks phase 3 again.
	if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", false, "", 1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "ups", Value: "45", Base: 1}}); !errors.Is(err, assessment.ErrLocked) {
		t.Errorf("after reopening phase 1, phase 3 still takes saves: %v", err)
	}
	st, _ := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
	if st.Answers["ups"].Value != "30" || st.Confirmations["design_done"].Version != 2 || st.Confirmations["design_done"].Confirmed {
		t.Errorf("state after refusals: ups %+v, design_done %+v", st.Answers["ups"], st.Confirmations["design_done"])
	}
	if !st.Reviews["2"].Waived || st.Reviews["2"].Reason != "We have no extras." {
		t.Errorf("waiver = %+v", st.Reviews["2"])
	}
	// A stale confirmation is a conflict.
	var conflict *store.ConflictError
	if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "", 1); !errors.As(err, &conflict) {
		t.Errorf("stale confirmation: err = %v", err)
	}
}

func TestReviewFlow(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true) // advisor sign-off required
	ctx := context.Background()
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "", 0)

	// Complete is not enough under sign-off.
	if _, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "ups", Value: "1"}}); !errors.Is(err, assessment.ErrLocked) {
		t.Fatalf("phase 3 before approval: %v", err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true}); !errors.Is(err, assessment.ErrNotSubmitted) {
		t.Errorf("approving an unsubmitted phase: %v", err)
	}
	if err := f.st.SubmitPhase(ctx, f.viewer.ID, a.ID, tpl, "1"); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("viewer submits: %v", err)
	}
	if err := f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ReviewPhase(ctx, f.manager.ID, a.ID, tpl, "1", store.Decision{Approve: true}); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("manager approves own phase: %v", err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{}); !errors.Is(err, store.ErrNoComment) {
		t.Errorf("changes requested without a comment: %v", err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true, Questions: []string{"users"}}); !errors.Is(err, store.ErrMarkedApproval) {
		t.Errorf("approved with a question marked as needing changes: %v", err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Reason: "Count tablet users too.", Questions: []string{"users"}}); err != nil {
		t.Fatal(err)
	}
	st, _ := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
	if r := st.Reviews["1"]; r.State != assessment.ReviewChangesRequested || r.Comment != "Count tablet users too." || r.UpdatedBy != f.advisor.Name {
		t.Errorf("review = %+v", r)
	}
	save(t, f, tpl, a.ID, change{Key: "users", Value: "140", Base: 1})
	if err := f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true, Reason: "Looks right."}); err != nil {
		t.Fatal(err)
	}
	save(t, f, tpl, a.ID, change{Key: "ups", Value: "1"})

	// An approved phase is frozen: edits are refused until it is reopened,
	// which starts revision 2 and locks phase 3 again.
	if _, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "users", Value: "150", Base: 2}}); !errors.Is(err, assessment.ErrApproved) {
		t.Errorf("edit of an approved phase: %v, want ErrApproved", err)
	}
	if err := f.st.ReopenPhase(ctx, f.manager.ID, a.ID, tpl, "1", "We found more users."); err != nil {
		t.Fatal(err)
	}
	save(t, f, tpl, a.ID, change{Key: "users", Value: "150", Base: 2})
	st, _ = f.st.AssessmentState(ctx, f.manager.ID, a.ID)
	if r := st.Reviews["1"]; r.State != assessment.ReviewNone || r.Revision != 2 {
		t.Errorf("after reopening, the review is %q in revision %d, want none in 2", r.State, r.Revision)
	}
	if _, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "ups", Value: "2", Base: 1}}); !errors.Is(err, assessment.ErrLocked) {
		t.Errorf("phase 3 after phase 1 was reopened: %v", err)
	}
	hist, _ := f.st.History(ctx, f.manager.ID, a.ID, "phase", "1")
	if len(hist) != 5 || !strings.HasPrefix(hist[0].New, "reopened as revision 2: We found more users.") || !strings.HasPrefix(hist[1].New, "approved (revision 1, SHA-256 ") {
		t.Errorf("phase history = %+v, want 5 entries (submitted, changes requested, submitted, approved, reopened)", hist)
	}
	// The request for changes is kept with its reason and question, after
	// the approval too.
	ds, err := f.st.PhaseDecisions(ctx, f.viewer.ID, a.ID, "1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range ds {
		got = append(got, fmt.Sprintf("%d %s %q %v", d.Revision, d.Action, d.Reason, d.Questions))
	}
	want := []string{`1 submitted "" []`, `1 changes_requested "Count tablet users too." [users]`, `1 submitted "" []`, `1 approved "Looks right." []`, `2 reopened "We found more users." []`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("decisions:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestEvidence(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()
	pdf := []byte("%PDF-1.4 fake")
	ev, err := f.st.AddEvidence(ctx, f.manager.ID, a.ID, tpl, "design_done", "../../etc/Design \"v2\".pdf", "application/pdf", pdf)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Filename != `Design v2.pdf` || ev.Size != len(pdf) {
		t.Errorf("stored %+v: want a cleaned base name", ev)
	}
	if _, err := f.st.AddEvidence(ctx, f.manager.ID, a.ID, tpl, "design_done", "big.pdf", "application/pdf", make([]byte, store.MaxEvidenceBytes+1)); !errors.Is(err, store.ErrFileTooLarge) {
		t.Errorf("11 MB file: err = %v, want refused", err)
	}
	if _, err := f.st.AddEvidence(ctx, f.manager.ID, a.ID, tpl, "design_done", "empty.txt", "text/plain", nil); !errors.Is(err, store.ErrEmptyFile) {
		t.Errorf("empty file: err = %v", err)
	}
	if _, err := f.st.AddEvidence(ctx, f.manager.ID, a.ID, tpl, "agreement_signed", "x.pdf", "application/pdf", pdf); !errors.Is(err, assessment.ErrLocked) {
		t.Errorf("evidence for a locked phase: %v", err)
	}
	if _, err := f.st.AddEvidence(ctx, f.viewer.ID, a.ID, tpl, "design_done", "x.pdf", "application/pdf", pdf); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("viewer uploads: %v", err)
	}
	got, data, err := f.st.EvidenceFile(ctx, f.viewer.ID, a.ID, ev.ID)
	if err != nil || string(data) != string(pdf) || got.ContentType != "application/pdf" {
		t.Errorf("EvidenceFile = %+v, %q, %v", got, data, err)
	}
	if _, _, err := f.st.EvidenceFile(ctx, f.b.ID, a.ID, ev.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another organisation downloads evidence: %v", err)
	}
	st, _ := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
	if len(st.Evidence["design_done"]) != 1 {
		t.Errorf("state evidence = %v", st.Evidence)
	}
	if err := f.st.DeleteEvidence(ctx, f.manager.ID, a.ID, tpl, ev.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.st.EvidenceFile(ctx, f.manager.ID, a.ID, ev.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted evidence still served: %v", err)
	}
}

// TestConcurrentSavesLoseNothing: 20 writers save the same answers for
// 5 seconds, each from the version it last saw. Every acknowledged save is
// in the history, the final value is the last acknowledged one, and refused
// saves are reported as conflicts, never silently dropped.
func TestConcurrentSavesLoseNothing(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()
	duration := 5 * time.Second
	if testing.Short() {
		duration = time.Second
	}
	type ack struct {
		key, value string
		version    int
	}
	var (
		mu        sync.Mutex
		acks      []ack
		conflicts atomic.Int64
		wg        sync.WaitGroup
	)
	deadline := time.Now().Add(duration)
	for w := range 20 {
		wg.Go(func() {
			key := []string{"users", "notes"}[w%2]
			base := 0
			for i := 0; time.Now().Before(deadline); i++ {
				value := fmt.Sprintf("%d%04d", w+1, i) // unique per writer and round; a valid number
				res, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: key, Value: value, Base: base}})
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				r := res[0]
				if r.Conflict != nil {
					conflicts.Add(1)
					base = r.Conflict.Current.Version // reload, as the page does
					continue
				}
				mu.Lock()
				acks = append(acks, ack{key, value, r.Version})
				mu.Unlock()
				base = r.Version
			}
		})
	}
	wg.Wait()
	if conflicts.Load() == 0 {
		t.Error("20 writers on 2 answers for 5 s met no conflict: the test does not exercise concurrency")
	}
	st, err := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"users", "notes"} {
		hist, err := f.st.History(ctx, f.manager.ID, a.ID, "answer", key)
		if err != nil {
			t.Fatal(err)
		}
		inHistory := map[string]int{}
		for _, h := range hist {
			inHistory[h.New] = h.Version
		}
		var last ack
		n := 0
		for _, k := range acks {
			if k.key != key {
				continue
			}
			n++
			if v, ok := inHistory[k.value]; !ok || v != k.version {
				t.Errorf("%s: acknowledged save %q (v%d) not in the history (found v%d)", key, k.value, k.version, v)
			}
			if k.version > last.version {
				last = k
			}
		}
		if n != len(hist) {
			t.Errorf("%s: %d acknowledged saves, %d history entries", key, n, len(hist))
		}
		if got := st.Answers[key]; got.Value != last.value || got.Version != last.version {
			t.Errorf("%s: final %q v%d, want the last acknowledged %q v%d", key, got.Value, got.Version, last.value, last.version)
		}
		// The history chains: every entry's old value is the previous new.
		for i := 0; i+1 < len(hist); i++ {
			if hist[i].Old == nil || *hist[i].Old != hist[i+1].New || hist[i].Version != hist[i+1].Version+1 {
				t.Errorf("%s: history broken between v%d and v%d", key, hist[i+1].Version, hist[i].Version)
				break
			}
		}
	}
	t.Logf("%d acknowledged saves, %d conflicts in %v", len(acks), conflicts.Load(), duration)
}

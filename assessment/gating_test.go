package assessment

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func minimal(tb testing.TB) *Template {
	tb.Helper()
	tpl, err := ParseTemplate("minimal.yaml", []byte(mustRead(tb, "testdata/minimal.yaml")))
	if err != nil {
		tb.Fatal(err)
	}
	return tpl
}

// Answers completing each phase of the minimal template.
var (
	phase1 = map[string]Value{"users": text("40"), "ha": text("no")}
	phase2 = map[string]Value{"extra": text("x")}
	phase3 = map[string]Value{"ups": text("90"), "shutdown": text("5")}
)

func merge(ms ...map[string]Value) map[string]Value {
	out := map[string]Value{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func confirmed(keys ...string) map[string]bool {
	m := map[string]bool{}
	for _, k := range keys {
		m[k] = true
	}
	return m
}

func TestGatingTransitions(t *testing.T) {
	tpl := minimal(t)
	const (
		L  = StatusLocked
		O  = StatusOpen
		IP = StatusInProgress
		C  = StatusComplete
		S  = StatusSubmitted
		A  = StatusApproved
		CR = StatusChangesRequested
		NA = StatusNotApplicable
	)
	tests := []struct {
		name string
		in   Input
		want []Status
	}{
		{"nothing done", Input{}, []Status{O, L, L, L}},
		{"an answer starts the phase", Input{Answers: map[string]Value{"users": text("40")}}, []Status{IP, L, L, L}},
		{"a confirmation starts the phase", Input{Confirmed: confirmed("design_done")}, []Status{IP, L, L, L}},
		{"an invalid answer starts the phase", Input{Answers: map[string]Value{"users": text("many")}}, []Status{IP, L, L, L}},
		{"answers without the checkpoint", Input{Answers: phase1}, []Status{IP, L, L, L}},
		// The optional phase 2 opens with phase 3 and never holds it back.
		{"phase 1 complete", Input{Answers: phase1, Confirmed: confirmed("design_done")}, []Status{C, O, O, L}},
		{"optional phase untouched", Input{Answers: merge(phase1, phase3), Confirmed: confirmed("design_done", "agreement_signed")}, []Status{C, O, C, O}},
		{"optional phase in progress", Input{Answers: merge(phase1, phase2, phase3), Confirmed: confirmed("design_done", "agreement_signed")}, []Status{C, IP, C, O}},
		{"optional phase complete", Input{Answers: merge(phase1, phase2, phase3), Confirmed: confirmed("design_done", "extra_done", "agreement_signed", "running")}, []Status{C, C, C, C}},
		{"optional phase waived", Input{Answers: phase1, Confirmed: confirmed("design_done"), Reviews: map[string]Review{"2": {Waived: true, Reason: "no extras"}}}, []Status{C, NA, O, L}},
		{"waiver on a required phase is ignored", Input{Answers: phase1, Confirmed: confirmed("design_done"), Reviews: map[string]Review{"3": {Waived: true, Reason: "skip"}}}, []Status{C, O, O, L}},
		{"waived even while locked", Input{Reviews: map[string]Review{"2": {Waived: true, Reason: "no extras"}}}, []Status{O, NA, L, L}},
		{"advisory checkpoint does not block", Input{Answers: merge(phase1, phase3), Confirmed: confirmed("design_done", "agreement_signed", "running")}, []Status{C, O, C, C}},
		{"failing blocking rule", Input{Answers: merge(phase1, map[string]Value{"ups": text("5"), "shutdown": text("5")}), Confirmed: confirmed("design_done", "agreement_signed")}, []Status{C, O, IP, L}},
		{"failing warning rule does not block", Input{Answers: merge(phase1, map[string]Value{"ups": text("30"), "shutdown": text("5")}), Confirmed: confirmed("design_done", "agreement_signed")}, []Status{C, O, C, O}},
		{"condition adds a requirement", Input{Answers: merge(phase1, map[string]Value{"ha": text("yes")}), Confirmed: confirmed("design_done")}, []Status{IP, L, L, L}},
		{"conditional question answered", Input{Answers: merge(phase1, map[string]Value{"ha": text("yes"), "ha_reason": text("uptime")}), Confirmed: confirmed("design_done")}, []Status{C, O, O, L}},
		{"invalid optional answer blocks", Input{Answers: merge(phase1, map[string]Value{"notes": text("a\x00b")}), Confirmed: confirmed("design_done")}, []Status{IP, L, L, L}},
		{"hidden invalid answer ignored", Input{Answers: merge(phase1, map[string]Value{"ha_reason": text("a\x00b")}), Confirmed: confirmed("design_done")}, []Status{C, O, O, L}},
		{"submitted without sign-off", Input{Answers: phase1, Confirmed: confirmed("design_done"), Reviews: map[string]Review{"1": {State: ReviewSubmitted}}}, []Status{S, O, O, L}},
		{"changes requested block without sign-off", Input{Answers: phase1, Confirmed: confirmed("design_done"), Reviews: map[string]Review{"1": {State: ReviewChangesRequested}}}, []Status{CR, L, L, L}},
		{"submitted but incomplete", Input{Answers: map[string]Value{"users": text("40")}, Reviews: map[string]Review{"1": {State: ReviewSubmitted}}}, []Status{IP, L, L, L}},
		// Sign-off: complete is not enough, the advisor must approve.
		{"sign-off, complete", Input{SignOff: true, Answers: phase1, Confirmed: confirmed("design_done")}, []Status{C, L, L, L}},
		{"sign-off, submitted", Input{SignOff: true, Answers: phase1, Confirmed: confirmed("design_done"), Reviews: map[string]Review{"1": {State: ReviewSubmitted}}}, []Status{S, L, L, L}},
		{"sign-off, approved", Input{SignOff: true, Answers: phase1, Confirmed: confirmed("design_done"), Reviews: map[string]Review{"1": {State: ReviewApproved}}}, []Status{A, O, O, L}},
		{"sign-off, changes requested", Input{SignOff: true, Answers: phase1, Confirmed: confirmed("design_done"), Reviews: map[string]Review{"1": {State: ReviewChangesRequested}}}, []Status{CR, L, L, L}},
		{"sign-off, optional phase needs no approval", Input{SignOff: true, Answers: merge(phase1, phase2, phase3), Confirmed: confirmed("design_done", "extra_done", "agreement_signed"),
			Reviews: map[string]Review{"1": {State: ReviewApproved}, "3": {State: ReviewApproved}}}, []Status{A, C, A, O}},
	}
	for _, tt := range tests {
		res := tpl.Evaluate(tt.in)
		if got := statuses(res); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestReopening: changing an answer of an approved or complete phase makes
// it incomplete again and locks every later phase, approved or not.
func TestReopening(t *testing.T) {
	tpl := minimal(t)
	in := Input{
		SignOff:   true,
		Answers:   merge(phase1, phase3),
		Confirmed: confirmed("design_done", "agreement_signed"),
		Reviews:   map[string]Review{"1": {State: ReviewApproved}, "3": {State: ReviewApproved}},
	}
	if got, want := statuses(tpl.Evaluate(in)), []Status{StatusApproved, StatusOpen, StatusApproved, StatusOpen}; !reflect.DeepEqual(got, want) {
		t.Fatalf("before: got %v, want %v", got, want)
	}
	reopened := with(in, map[string]Value{"users": text("0")}) // now invalid (min 1)
	res := tpl.Evaluate(reopened)
	if got, want := statuses(res), []Status{StatusInProgress, StatusLocked, StatusLocked, StatusLocked}; !reflect.DeepEqual(got, want) {
		t.Errorf("after: got %v, want %v", got, want)
	}
	// Phase 4 is locked by phase 1 alone: phase 3 is still complete and approved.
	want := []*Issue{{Phase: "1", Kind: IssueInvalid, Question: "users", Message: "1: 'expected users': must be at least 1"}}
	if got := res.Blockers("4"); !reflect.DeepEqual(got, want) {
		t.Errorf("Blockers(4) = %+v, want %+v", got, want)
	}
	// Fixing the answer restores everything: nothing was stored by hand.
	if got, want := statuses(tpl.Evaluate(with(reopened, map[string]Value{"users": text("41")}))), []Status{StatusApproved, StatusOpen, StatusApproved, StatusOpen}; !reflect.DeepEqual(got, want) {
		t.Errorf("fixed: got %v, want %v", got, want)
	}

	// Without sign-off, on the CommCare template: removing an answer of 1.1
	// locks every later phase.
	cc, full := fullCommCare(t)
	res = cc.Evaluate(with(full, map[string]Value{"architecture_diagram_url": {}}))
	for i, p := range res.Phases {
		want := StatusLocked
		if i == 0 {
			want = StatusInProgress
		}
		if p.Status != want {
			t.Errorf("CommCare reopened: phase %s is %s, want %s", p.Key, p.Status, want)
		}
	}
}

func TestBlockerMessages(t *testing.T) {
	tpl := minimal(t)
	res := tpl.Evaluate(Input{Answers: map[string]Value{"notes": text("ok")}})
	want := []*Issue{
		{Phase: "1", Kind: IssueRequired, Question: "users", Message: "1: 'expected users' is required"},
		{Phase: "1", Kind: IssueRequired, Question: "ha", Message: "1: 'high availability' is required"},
		{Phase: "1", Kind: IssueCheckpoint, Checkpoint: "design_done", Message: "1: checkpoint 'design done' not confirmed"},
	}
	if got := res.Blockers("1"); !reflect.DeepEqual(got, want) {
		t.Errorf("Blockers(1) =\n %+v\nwant\n %+v", got, want)
	}
	// A locked phase reports what locks it: phase 1's blockers, not its own.
	if got := res.Blockers("3"); !reflect.DeepEqual(got, want) {
		t.Errorf("Blockers(3) = %+v", got)
	}
	if got := res.Blockers("nope"); got != nil {
		t.Errorf("Blockers(nope) = %v", got)
	}

	in := Input{SignOff: true, Answers: merge(phase1, map[string]Value{"ups": text("5"), "shutdown": text("5")}), Confirmed: confirmed("design_done")}
	res = tpl.Evaluate(in)
	if got := res.Blockers("3"); len(got) != 1 || got[0].Message != "1: awaiting submission for the advisor's approval" || got[0].Kind != IssueReview {
		t.Errorf("sign-off blocker: %+v", got)
	}
	in.Reviews = map[string]Review{"1": {State: ReviewSubmitted}}
	if got := tpl.Evaluate(in).Blockers("3"); len(got) != 1 || got[0].Message != "1: submitted, awaiting the advisor's approval" {
		t.Errorf("submitted blocker: %+v", got)
	}
	in.Reviews = map[string]Review{"1": {State: ReviewChangesRequested}}
	if got := tpl.Evaluate(in).Blockers("3"); len(got) != 1 || got[0].Message != "1: the advisor requested changes; make them and submit 1 again for approval" {
		t.Errorf("changes blocker: %+v", got)
	}
	in.SignOff = false
	if got := tpl.Evaluate(in).Blockers("3"); len(got) != 1 || got[0].Message != "1: the advisor requested changes; make them and submit 1 again" {
		t.Errorf("changes blocker without sign-off: %+v", got)
	}
	in.SignOff = true
	in.Reviews = map[string]Review{"1": {State: ReviewApproved}}
	res = tpl.Evaluate(in)
	wantRule := []*Issue{
		{Phase: "3", Kind: IssueRule, Question: "ups", Rule: "ups-outlasts-shutdown", Message: "3: the UPS must outlast the safe shutdown"},
		{Phase: "3", Kind: IssueCheckpoint, Checkpoint: "agreement_signed", Message: "3: checkpoint 'agreement signed' not confirmed"},
	}
	got := res.Blockers("4")
	// Order: questions, checkpoints, then rules.
	if len(got) != 2 || *got[0] != *wantRule[1] || *got[1] != *wantRule[0] {
		t.Errorf("Blockers(4) = %+v, want %+v", got, wantRule)
	}
	pr, _ := res.Phase("3")
	if len(pr.Warnings) != 1 || pr.Warnings[0].Message != "3: an hour of UPS is advisable" {
		t.Errorf("warnings: %+v", pr.Warnings)
	}
}

// TestIssueExamples reproduces the examples of the issue on the CommCare
// template.
func TestIssueExamples(t *testing.T) {
	tpl, full := fullCommCare(t)
	in := with(full, map[string]Value{"expected_users": {}})
	in.Confirmed = confirmAll(tpl)
	delete(in.Confirmed, "agreement_signed")
	res := tpl.Evaluate(in)
	p12, _ := res.Phase("1.2")
	want12 := []*Issue{{Phase: "1.2", Kind: IssueRequired, Question: "expected_users", Message: "1.2: 'expected users' is required"}}
	if !reflect.DeepEqual(p12.Blockers, want12) {
		t.Errorf("1.2 blockers: %+v", p12.Blockers)
	}
	// 2.1 onwards are locked by 1.2; once it is answered, 2.3 is locked by 2.2's checkpoint.
	if got := res.Blockers("2.1"); !reflect.DeepEqual(got, want12) {
		t.Errorf("Blockers(2.1) = %+v", got)
	}
	res = tpl.Evaluate(with(in, map[string]Value{"expected_users": text("2000")}))
	want := []*Issue{{Phase: "2.2", Kind: IssueCheckpoint, Checkpoint: "agreement_signed", Message: "2.2: checkpoint 'agreement signed' not confirmed"}}
	if got := res.Blockers("2.3"); !reflect.DeepEqual(got, want) {
		t.Errorf("Blockers(2.3) = %+v, want %+v", got, want)
	}
	if got := res.Current(); got != "2.2" {
		t.Errorf("Current() = %q, want 2.2", got)
	}
}

func TestChecks(t *testing.T) {
	tpl := minimal(t)
	done := Input{Answers: phase1, Confirmed: confirmed("design_done"), Reviews: map[string]Review{"2": {Waived: true, Reason: "n/a"}}}
	res := tpl.Evaluate(done)
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"edit an open phase", res.CheckEdit("3"), nil},
		{"edit a locked phase", res.CheckEdit("4"), ErrLocked},
		{"edit a waived phase", res.CheckEdit("2"), ErrWaived},
		{"edit an unknown phase", res.CheckEdit("9"), ErrUnknownPhase},
		{"submit a complete phase", res.CheckSubmit("1"), nil},
		{"submit an open phase", res.CheckSubmit("3"), ErrIncomplete},
		{"submit a locked phase", res.CheckSubmit("4"), ErrLocked},
		{"review an unsubmitted phase", res.CheckReview("1"), ErrNotSubmitted},
		{"waive an optional phase", tpl.CheckWaiver("2", "no extras"), nil},
		{"waive without a reason", tpl.CheckWaiver("2", "  "), ErrNoReason},
		{"waive with 2,000 characters", tpl.CheckWaiver("2", strings.Repeat("é", 2000)), nil},
		{"waive with 2,001 characters", tpl.CheckWaiver("2", strings.Repeat("x", 2001)), ErrLongReason},
		{"waive a required phase", tpl.CheckWaiver("3", "skip"), ErrNotOptional},
		{"waive an unknown phase", tpl.CheckWaiver("9", "x"), ErrUnknownPhase},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.err, tt.want)
		}
	}
	done.Reviews = map[string]Review{"1": {State: ReviewSubmitted}}
	res = tpl.Evaluate(done)
	if err := res.CheckReview("1"); err != nil {
		t.Errorf("review a submitted phase: %v", err)
	}
	if err := res.CheckSubmit("1"); err == nil {
		t.Errorf("submitting twice was allowed")
	}
	if err := res.CheckReopen("1"); !errors.Is(err, ErrNotApproved) {
		t.Errorf("reopen a submitted phase: %v, want ErrNotApproved", err)
	}
	// Approval freezes a phase until it is reopened.
	done.Reviews = map[string]Review{"1": {State: ReviewApproved}}
	res = tpl.Evaluate(done)
	if err := res.CheckEdit("1"); !errors.Is(err, ErrApproved) {
		t.Errorf("edit an approved phase: %v, want ErrApproved", err)
	}
	if err := res.CheckReopen("1"); err != nil {
		t.Errorf("reopen an approved phase: %v", err)
	}
	if err := res.CheckReopen("4"); !errors.Is(err, ErrLocked) {
		t.Errorf("reopen a locked phase: %v, want ErrLocked", err)
	}
	if got := res.Current(); got != "2" {
		t.Errorf("Current() = %q, want 2 (phase 1 is with the advisor)", got)
	}
}

package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"groundwork/assessment"
	"groundwork/store"
)

// TestRenameAssessment: a program manager renames an assessment, its
// words one space apart, noted in the audit trail with the old name; the
// phase waiting for review stays waiting. Readers and other organisations'
// managers may not; an empty or overlong name is refused and nothing
// changes.
func TestRenameAssessment(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true)
	completeAndSubmit(t, f, tpl, a.ID)

	for _, c := range []struct {
		who  int64
		want error
	}{{f.viewer.ID, store.ErrForbidden}, {f.advisor.ID, store.ErrForbidden}, {f.b.ID, store.ErrNotFound}} {
		if _, _, err := f.st.RenameAssessment(ctx, c.who, a.ID, tpl, "Taken over"); !errors.Is(err, c.want) {
			t.Errorf("user %d renames: %v, want %v", c.who, err, c.want)
		}
	}
	for name, want := range map[string]error{" \t ": store.ErrNoName, strings.Repeat("x", store.MaxNameChars+1): store.ErrNameTooLong,
		"\u200b\u200b": store.ErrNoName, "\u202egnp.exe": store.ErrNameControls, "Move \u2066x\u2069": store.ErrNameControls} {
		if _, _, err := f.st.RenameAssessment(ctx, f.manager.ID, a.ID, tpl, name); !errors.Is(err, want) {
			t.Errorf("rename to %.20q: %v, want %v", name, err, want)
		}
	}
	if got, _ := f.st.Assessment(ctx, f.manager.ID, a.ID); got.Name != "Move 2027" {
		t.Fatalf("after refused renames the name is %q", got.Name)
	}

	old, kept, err := f.st.RenameAssessment(ctx, f.manager.ID, a.ID, tpl, "  Production   move\t2027 ")
	if err != nil || old != "Move 2027" || kept != "Production move 2027" {
		t.Fatalf("rename = %q to %q, %v", old, kept, err)
	}
	st, err := f.st.AssessmentState(ctx, f.advisor.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Name != "Production move 2027" || st.UpdatedBy == "" {
		t.Errorf("after the rename: name %q, updated by %q", st.Name, st.UpdatedBy)
	}
	if rv := st.Reviews["1"]; rv.State != assessment.ReviewSubmitted {
		t.Errorf("phase 1's review is %q after the rename, want it still waiting", rv.State)
	}
	events, err := f.st.Events(ctx, f.manager.ID, store.EventFilter{AssessmentID: a.ID, Kind: "assessment", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Item != "name" || events[0].Before == nil || *events[0].Before != "Move 2027" || events[0].After != "Production move 2027" {
		t.Errorf("assessment events = %+v, want the rename (old and new name) above the start", events)
	}
	// The same name again changes nothing and notes nothing.
	if old, _, err := f.st.RenameAssessment(ctx, f.manager.ID, a.ID, tpl, "Production move 2027"); err != nil || old != "Production move 2027" {
		t.Errorf("renaming to the same name = %q, %v", old, err)
	}
	if again, _ := f.st.Events(ctx, f.manager.ID, store.EventFilter{AssessmentID: a.ID, Kind: "assessment", Limit: 10}); len(again) != 2 {
		t.Errorf("renaming to the same name noted %d events, want none more", len(again)-2)
	}
}

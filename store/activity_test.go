package store_test

import (
	"context"
	"testing"
	"time"

	"groundwork/store"
)

// Every change to an assessment notes its last activity (when and by
// whom, as lists show it), and nothing else does; names shown with its
// items follow renames.
func TestEveryChangeNotesTheLastActivity(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true)
	ctx := context.Background()
	activity := func() time.Time {
		t.Helper()
		got, err := f.st.Assessment(ctx, f.manager.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
		if err != nil || !st.UpdatedAt.Equal(got.UpdatedAt) {
			t.Fatalf("AssessmentState activity %v, Assessment %v (%v)", st, got.UpdatedAt, err)
		}
		return got.UpdatedAt
	}
	last := activity()
	step := func(what string, moves bool, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		now := activity()
		if moved := !now.Equal(last); moved != moves {
			t.Errorf("%s: last activity %v -> %v, want moved = %v", what, last, now, moves)
		}
		last = now
	}
	_, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "users", Value: "100"}})
	step("save an answer", true, err)
	_, _, err = saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "users", Value: "100", Base: 1}})
	step("save the same answer again", false, err)
	_, _, err = setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "https://example.org/d", 0)
	step("confirm a checkpoint", true, err)
	ev, err := f.st.AddEvidence(ctx, f.manager.ID, a.ID, tpl, "design_done", "d.pdf", "application/pdf", []byte("%PDF-1.4"))
	step("upload evidence", true, err)
	step("delete evidence", true, f.st.DeleteEvidence(ctx, f.manager.ID, a.ID, tpl, ev.ID))
	step("submit a phase", true, f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1"))
	step("approve it", true, f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true, Reason: "Fine."}))
	c, err := f.st.AddComment(ctx, f.manager.ID, a.ID, tpl, store.NewComment{Phase: "1", Body: "Who signs this off?"})
	step("comment", true, err)
	_, err = f.st.AddComment(ctx, f.viewer.ID, a.ID, tpl, store.NewComment{Phase: "1", Body: "Me?"})
	if err == nil {
		t.Error("a viewer commented")
	}
	step("a refused comment", false, nil)
	_, err = f.st.EditComment(ctx, f.manager.ID, a.ID, tpl, "1", c.ID, "Who signs this off, and when?")
	step("edit a comment", true, err)
	step("resolve a thread", true, f.st.ResolveThread(ctx, f.advisor.ID, a.ID, tpl, "1", c.ID, true))
	step("waive a phase", true, f.st.WaivePhase(ctx, f.manager.ID, a.ID, tpl, "2", "No extras."))
	step("unwaive it", true, f.st.UnwaivePhase(ctx, f.manager.ID, a.ID, tpl, "2"))
	step("reopen the approved phase", true, f.st.ReopenPhase(ctx, f.advisor.ID, a.ID, tpl, "1", "Recount."))
	step("rename someone who edited nothing", false, f.st.SetUserName(ctx, f.viewer.ID, "Vera Viewer"))
	step("rename the manager, whose name the answers show", false, f.st.SetUserName(ctx, f.manager.ID, "Mona Manager"))
	step("rename the advisor, whose name the review shows", false, f.st.SetUserName(ctx, f.advisor.ID, "Ada Advisor"))
	step("rename the manager to the same name", false, f.st.SetUserName(ctx, f.manager.ID, "Mona Manager"))

	st, err := f.st.AssessmentState(ctx, f.viewer.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Answers["users"].UpdatedBy; got != "Mona Manager" {
		t.Errorf("answer by %q after the rename", got)
	}
	// The dashboards' form of the state says what the one-assessment one
	// says, and shows another organisation nothing.
	all, err := f.st.AssessmentStates(ctx, f.viewer.ID, []int64{a.ID})
	if err != nil || len(all) != 1 {
		t.Fatalf("AssessmentStates = %d states, %v", len(all), err)
	}
	again := all[0]
	if len(again.Answers) != len(st.Answers) || again.Answers["users"] != st.Answers["users"] ||
		again.Confirmations["design_done"] != st.Confirmations["design_done"] || again.Reviews["1"] != st.Reviews["1"] {
		t.Errorf("AssessmentStates = %+v, AssessmentState = %+v", again, st)
	}
	if got, err := f.st.AssessmentStates(ctx, f.b.ID, []int64{a.ID}); err != nil || len(got) != 0 {
		t.Errorf("another organisation's manager reads the states: %+v, %v", got, err)
	}
}

package store_test

import (
	"context"
	"fmt"
	"testing"

	"groundwork/store"
)

// TestPhaseTalk: the one round trip of a phase page reads what the three
// separate reads give, scoped the same way.
func TestPhaseTalk(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true)
	ctx := context.Background()
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "", 0)
	if err := f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Reason: "Count tablets.", Questions: []string{"users"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.AddComment(ctx, f.manager.ID, a.ID, tpl, store.NewComment{Phase: "1", Question: "users", Body: "Done, @advisor."}); err != nil {
		t.Fatal(err)
	}

	talk, err := f.st.PhaseTalk(ctx, f.manager.ID, a.ID, "1", true)
	if err != nil {
		t.Fatal(err)
	}
	decisions, _ := f.st.PhaseDecisions(ctx, f.manager.ID, a.ID, "1")
	threads, _ := f.st.Threads(ctx, f.manager.ID, a.ID, "1")
	people, _ := f.st.Mentionable(ctx, f.manager.ID, a.ID)
	if len(talk.Decisions) != 2 || len(talk.Threads) != 2 || len(talk.People) == 0 ||
		fmt.Sprint(talk.Decisions) != fmt.Sprint(decisions) || fmt.Sprint(talk.Threads) != fmt.Sprint(threads) || fmt.Sprint(talk.People) != fmt.Sprint(people) {
		t.Errorf("PhaseTalk = %+v\nwant %+v, %+v, %+v", talk, decisions, threads, people)
	}
	if talk, err := f.st.PhaseTalk(ctx, f.viewer.ID, a.ID, "1", false); err != nil || len(talk.Threads) != 2 || talk.People != nil {
		t.Errorf("a viewer's PhaseTalk without people = %+v, %v", talk, err)
	}
	if talk, err := f.st.PhaseTalk(ctx, f.b.ID, a.ID, "1", true); err != nil || len(talk.Decisions)+len(talk.Threads)+len(talk.People) != 0 {
		t.Errorf("another organisation's manager reads %+v, %v", talk, err)
	}
}

package handlerstest

import (
	"context"
	"testing"

	"groundwork/assessment"
	"groundwork/store"
)

// AuditFixture is an environment with an assessment of organisation A with
// answers (one changed twice), and one of organisation B.
type AuditFixture struct {
	*Env
	Tpl  *assessment.Template
	A, B store.Assessment
}

func NewAuditFixture(t *testing.T) AuditFixture {
	t.Helper()
	ctx := context.Background()
	f := AuditFixture{Env: NewEnv(t)}
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	f.Tpl, _ = cat.Template("commcare-transition", 1)
	if f.A, err = f.St.CreateAssessment(ctx, f.Manager.ID, store.NewAssessment{Name: "Production move", TemplateID: "commcare-transition", TemplateVersion: 1}); err != nil {
		t.Fatal(err)
	}
	if f.B, err = f.St.CreateAssessment(ctx, f.ManagerB.ID, store.NewAssessment{Name: "Other ministry's move", TemplateID: "commcare-transition", TemplateVersion: 1}); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"Double within two years.", "Triple within two years."} {
		if _, err := f.St.SavePhase(ctx, f.Manager.ID, f.A.ID, f.Tpl, "1.1", store.PhaseChanges{Answers: []store.AnswerChange{
			{Key: "growth_projections", Value: assessment.Value{Text: text}, Base: i},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	cp, _ := f.Tpl.Checkpoint("architecture_diagram_created")
	if _, err := f.St.SavePhase(ctx, f.Manager.ID, f.A.ID, f.Tpl, cp.PhaseKey(), store.PhaseChanges{Confirmations: []store.ConfirmationChange{{Key: cp.Key, Confirmed: true}}}); err != nil {
		t.Fatal(err)
	}
	return f
}

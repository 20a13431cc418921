package handlers

import (
	"testing"

	"groundwork/assessment"
)

// A removed row is named by its non-empty cells as pages say them:
// numbers grouped, days in words, choices by their labels; an empty row
// offers nothing.
func TestRemovedRowSummary(t *testing.T) {
	q := &assessment.Question{Key: "apps", Type: assessment.TypeTable, Columns: []*assessment.Column{
		{Key: "name", Type: assessment.TypeShortText},
		{Key: "users", Type: assessment.TypeNumber},
		{Key: "prod", Type: assessment.TypeYesNo},
		{Key: "env", Type: assessment.TypeSingleChoice, Constraints: assessment.Constraints{Choices: []assessment.Choice{{Value: "staging", Label: "Staging server"}}}},
		{Key: "note", Type: assessment.TypeShortText},
		{Key: "live", Type: assessment.TypeDate},
	}}
	got := removedRow(q, rowChange{at: 2, removed: []string{"CHW app", "12000", "yes", "staging", " ", "2027-06-30"}})
	if want := "CHW app, 12,000, Yes, Staging server, 30 Jun 2027"; got == nil || got.At != 2 || got.Summary != want {
		t.Errorf("removedRow = %+v, want row 2 said as %q", got, want)
	}
	if got := removedRow(q, rowChange{at: 0, removed: []string{"", " ", "", "", "", ""}}); got != nil {
		t.Errorf("an empty row removed offers %+v, want nothing", got)
	}
}

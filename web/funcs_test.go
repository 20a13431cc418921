package web

import (
	"encoding/json"
	"testing"
)

// opVals must always be the JSON object {"_op": op}, whichever way it is
// built.
func TestOpVals(t *testing.T) {
	for _, op := range []string{"add:hosting_sites", "remove:servers:3", `odd"key\`, "<b>", "ünïcode", "tab\there", ""} {
		var got map[string]string
		if err := json.Unmarshal([]byte(opVals(op)), &got); err != nil {
			t.Fatalf("opVals(%q) = %s: %v", op, opVals(op), err)
		}
		if len(got) != 1 || got["_op"] != op {
			t.Errorf("opVals(%q) decodes to %v", op, got)
		}
	}
}

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 people"}, {1, "1 person"}, {2, "2 people"}} {
		if got := plural(c.n, "person", "people"); got != c.want {
			t.Errorf("plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

// A removed row is named by its non-empty cells, choices by their labels.
func TestRemovedSummary(t *testing.T) {
	q := QuestionView{Columns: []Column{
		{Key: "name", Type: "short_text"},
		{Key: "prod", Type: "yes_no"},
		{Key: "env", Type: "single_choice", Choices: []Option{{Value: "staging", Label: "Staging server"}}},
		{Key: "note", Type: "short_text"},
	}, Removed: &RemovedRow{Cells: []string{"CHW app", "yes", "staging", " "}}}
	if got := removedSummary(q); got != "CHW app, Yes, Staging server" {
		t.Errorf("removedSummary = %q", got)
	}
}

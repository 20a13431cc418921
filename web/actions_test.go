package web

import (
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

func renderString(t *testing.T, c templ.Component) string {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The report's action list: one row per item with its phase, kind, owner
// and due date, overdue said in words; and what it says when there is
// nothing to do.
func TestReportActions(t *testing.T) {
	items := []ActionItem{
		{Key: "checkpoint:backups", Phase: "1.2", Kind: ActionCheckpoint, Blocking: true, What: "Backups tested", Detail: "Restore drills done.",
			Owner: "Hosting <team>", Due: "2020-01-15", Overdue: true},
		{Key: "rule:1.2/ssd", Phase: "1.2", Kind: ActionRule, What: "Investing in SSDs is critical"},
		{Key: "thread:7", Phase: "2.1", Kind: ActionChangeRequest, Blocking: true, What: "Link the PDF", Due: "2099-03-31"},
	}
	got := renderString(t, ReportActions(items))
	for _, want := range []string{
		"<h2 id=\"report-actions-h\">Action list</h2>", "3 items to finish, 2 without an owner, 1 overdue.",
		"<th scope=\"col\">Phase</th><th scope=\"col\">Item</th><th scope=\"col\">Kind</th><th scope=\"col\">Owner</th><th scope=\"col\">Due</th>",
		"Hosting &lt;team&gt;", "15 Jan 2020 <br><strong class=\"overdue-text\">Overdue</strong>", "Restore drills done.",
		"Blocking checkpoint", "Failed rule (warning)", "Change request", "<em>No owner</em>", "<em>No date</em>", "31 Mar 2099",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report action list lacks %q\n%s", want, got)
		}
	}
	if n := strings.Count(got, "<tr"); n != 4 {
		t.Errorf("%d rows, want a header and 3", n)
	}
	if strings.Count(got, "Overdue") != 1 {
		t.Error("an item that is not overdue is marked overdue")
	}
	for _, c := range []templ.Component{ReportActions(nil), ActionList(ActionsView{CanEdit: true})} {
		if got := renderString(t, c); !strings.Contains(got, "Nothing to do: every checkpoint is confirmed, every rule passes and no change request is open.") ||
			strings.Contains(got, "<table") || strings.Contains(got, "<form") {
			t.Errorf("empty action list = %s", got)
		}
	}
}

func TestActionAnchor(t *testing.T) {
	for key, want := range map[string]string{
		"checkpoint:backups_tested": "a-checkpoint_backups_tested",
		"rule:1.2/ha-needs-two":     "a-rule_1_2_ha-needs-two",
		"thread:42":                 "a-thread_42",
		`checkpoint:"><x`:           "a-checkpoint____x",
	} {
		if got := (ActionItem{Key: key}).Anchor(); got != want {
			t.Errorf("Anchor(%q) = %q, want %q", key, got, want)
		}
	}
}

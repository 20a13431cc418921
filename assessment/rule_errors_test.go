package assessment

import (
	"errors"
	"strings"
	"testing"
)

// tableBase turns the minimal template's optional phase into one with a
// table, a multiple choice and a date question, and a rule written RULE.
func tableBase(t *testing.T) string {
	base := mustRead(t, "testdata/minimal.yaml")
	old := `      - {key: extra, label: extra, type: short_text, origin: source, prompt: "Extra?"}
    checkpoints:`
	repl := `      - key: extra
        label: extra
        type: table
        origin: source
        prompt: "Servers"
        columns:
          - {key: role, type: single_choice, choices: [db, web]}
          - {key: ram, type: number}
          - {key: day, type: date, optional: true}
      - {key: picks, label: picks, type: multi_choice, origin: source, prompt: "Picks", choices: [x, y]}
      - {key: when, label: when, type: date, origin: source, prompt: "When"}
    rules:
      - RULE
    checkpoints:`
	if !strings.Contains(base, old) {
		t.Fatal("minimal template changed")
	}
	return strings.Replace(base, old, repl, 1)
}

func TestRuleErrors(t *testing.T) {
	base := tableBase(t)
	tests := []struct {
		rule    string
		wantKey string
		wantMsg string
	}{
		{`{key: r, question: extra, one_of: [db], severity: warn, message: m}`, "r", "needs column or count"},
		{`{key: r, question: extra, column: nope, one_of: [db], severity: warn, message: m}`, "r", `unknown column "nope"`},
		{`{key: r, question: extra, column: role, one_of: [dba], severity: warn, message: m}`, "r", `"dba" is not one of the choices`},
		{`{key: r, question: extra, column: ram, where: {column: role, in: [x]}, gte: 1, severity: warn, message: m}`, "r", `where: "x" is not one of the choices`},
		{`{key: r, question: extra, column: ram, where: {column: size, in: [x]}, gte: 1, severity: warn, message: m}`, "r", `where: unknown column "size"`},
		{`{key: r, question: extra, count: true, column: ram, gte: 1, severity: warn, message: m}`, "r", "exclude each other"},
		{`{key: r, question: extra, count: true, one_of: ["1"], severity: warn, message: m}`, "r", "cannot test a row count"},
		{`{key: r, question: extra, column: role, includes_all: [db], severity: warn, message: m}`, "r", "includes_all needs a multiple choice"},
		{`{key: r, question: picks, includes_all: [z], severity: warn, message: m}`, "r", `"z" is not one of the choices`},
		{`{key: r, question: picks, column: role, one_of: [x], severity: warn, message: m}`, "r", "need a table question"},
		{`{key: r, question: when, gte: 3, severity: warn, message: m}`, "r", "a date can only be compared with another date question"},
		{`{key: r, question: when, gte: {question: nope}, severity: warn, message: m}`, "r", `comparison with unknown question "nope"`},
		{`{key: r, question: when, gte: {value: 1, question: when}, severity: warn, message: m}`, "r", "either a value or a question"},
		{`{key: r, question: when, gte: {questoin: when}, severity: warn, message: m}`, "", "field questoin not allowed"},
		{`{key: r, question: picks, one_of: [], severity: warn, message: m}`, "r", "empty list of values"},
		{`{key: r, question: when, gte: {question: when}, severity: warn}`, "r", "message is missing"},
		{`{key: R, question: when, gte: {question: when}, severity: warn, message: m}`, "R", "rule key"},
		{`{key: ups-generous, question: when, gte: {question: when}, severity: warn, message: m}`, "ups-generous", "rule key is used twice"},
		{`{key: r, question: when, gte: {question: when}, when: {question: picks, gt: 1}, severity: warn, message: m}`, "r", "comparison needs a number question"},
		// Numbers are written as a person enters them, so a filter can match.
		{`{key: r, question: extra, column: ram, where: {column: ram, in: ["1e1"]}, gte: 1, severity: warn, message: m}`, "r", `where: "1e1" is not a number like 12`},
		// A multiple choice answer is a list: equals could never hold.
		{`{key: r, question: when, gte: {question: when}, when: {question: picks, equals: x}, severity: warn, message: m}`, "r", "tested with includes, not equals"},
		{`{key: r, question: when, gte: {question: when}, when: {question: picks, not_in: [x]}, severity: warn, message: m}`, "r", "tested with includes, not equals"},
	}
	for _, tt := range tests {
		src := strings.Replace(base, "RULE", tt.rule, 1)
		_, err := ParseTemplate("rules.yaml", []byte(src))
		var te *TemplateError
		if err == nil || !errors.As(err, &te) || te.Key != tt.wantKey || !strings.Contains(err.Error(), tt.wantMsg) {
			t.Errorf("%s:\n got %v (key %q)\nwant key %q and %q", tt.rule, err, keyOf(te), tt.wantKey, tt.wantMsg)
		}
	}
}

func keyOf(te *TemplateError) string {
	if te == nil {
		return ""
	}
	return te.Key
}

func TestTableErrors(t *testing.T) {
	base := mustRead(t, "testdata/minimal.yaml")
	old := `      - {key: extra, label: extra, type: short_text, origin: source, prompt: "Extra?"}`
	tests := []struct {
		question string
		wantMsg  string
	}{
		{`      - {key: extra, label: extra, type: table, origin: source, prompt: "X"}`, "a table needs columns"},
		{`      - {key: extra, label: extra, type: table, origin: source, prompt: "X", columns: [{key: a, type: multi_choice, choices: [x]}]}`, `column "a": type "multi_choice" cannot be a column`},
		{`      - {key: extra, label: extra, type: table, origin: source, prompt: "X", columns: [{key: a, type: number}, {key: a, type: number}]}`, `column "a" is used twice`},
		{`      - {key: extra, label: extra, type: table, origin: source, prompt: "X", columns: [{key: A, type: number}]}`, `column key "A"`},
		{`      - {key: extra, label: extra, type: table, origin: source, prompt: "X", columns: [{key: a, type: number, choices: [x]}]}`, `column "a": choices are only for choice types`},
		{`      - {key: extra, label: extra, type: table, origin: source, prompt: "X", min_rows: 3, max_rows: 2, columns: [{key: a, type: number}]}`, "rows: need"},
		{`      - {key: extra, label: extra, type: short_text, origin: source, prompt: "X", min_rows: 1}`, "only for tables"},
		{`      - {key: extra, label: extra, type: short_text, origin: source, prompt: "X", email_required: true}`, "only for person questions"},
		{`      - {key: extra, label: extra, type: short_text, origin: source, prompt: "X", format: phone}`, `unknown format "phone"`},
		{`      - {key: extra, label: extra, type: number, origin: source, prompt: "X", format: domain}`, "format is only for short text"},
		{`      - {key: extra, label: extra, type: number, origin: source, prompt: "X", max_length: 5}`, "max_length is only for text"},
		{`      - {key: extra, label: extra, type: single_choice, origin: source, prompt: "X", choices: [a, a]}`, `choice "a" is listed twice`},
		{`      - {key: extra, label: extra, type: single_choice, origin: source, prompt: "X", choices: [{label: A}]}`, "choice 1 has no value"},
		{`      - {key: extra, label: extra, type: short_text, origin: source, prompt: "X", help_url: "nope"}`, `help_url "nope"`},
		{`      - {key: Extra, label: extra, type: short_text, origin: source, prompt: "X"}`, `question key "Extra"`},
		{`      - {key: extra, label: extra, type: table, origin: source, prompt: "X", sizing: servers, columns: [{key: role, type: short_text}]}`, `the server table needs a "cpus" column`},
	}
	for _, tt := range tests {
		src := strings.Replace(base, old, tt.question, 1)
		_, err := ParseTemplate("tables.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "tables.yaml") {
			t.Errorf("%s:\n got %v\nwant %q", tt.question, err, tt.wantMsg)
		}
	}
}

// TestRowFilters evaluates a rule restricted by a row filter, on a choice
// column and on a number column.
func TestRowFilters(t *testing.T) {
	tests := []struct {
		rule string
		rows [][]string
		want int // failing row, 0 when the rule holds
	}{
		{`{key: r, question: extra, column: ram, where: {column: role, in: [db]}, gte: 16, severity: warn, message: m}`,
			[][]string{{"web", "8", ""}, {"db", "32", ""}, {"db", "8", ""}}, 3},
		{`{key: r, question: extra, column: ram, where: {column: role, in: [db]}, gte: 16, severity: warn, message: m}`,
			[][]string{{"web", "8", ""}, {"db", "16", ""}}, 0},
		{`{key: r, question: extra, column: role, where: {column: ram, in: ["8"]}, one_of: [web], severity: warn, message: m}`,
			[][]string{{"web", "8.0", ""}, {"db", "16", ""}, {"db", "8", ""}}, 3},
		{`{key: r, question: extra, count: true, where: {column: role, in: [db]}, gte: 2, severity: warn, message: m}`,
			[][]string{{"db", "8", ""}, {"web", "16", ""}}, -1},
		{`{key: r, question: extra, column: day, lte: {question: when, offset: -1}, severity: warn, message: m}`,
			[][]string{{"db", "8", "2030-01-01"}, {"db", "8", "2030-01-10"}, {"db", "8", ""}}, 2},
	}
	for _, tt := range tests {
		tpl, err := ParseTemplate("rules.yaml", []byte(strings.Replace(tableBase(t), "RULE", tt.rule, 1)))
		if err != nil {
			t.Fatal(err)
		}
		res := tpl.Evaluate(Input{Answers: map[string]Value{"extra": {Rows: tt.rows}, "when": text("2030-01-10")}})
		pr, _ := res.Phase("2")
		got := 0
		if len(pr.Warnings) == 1 {
			got = pr.Warnings[0].Row
			if got == 0 {
				got = -1 // a count rule fails without a row
			}
			if got > 0 && !strings.HasSuffix(pr.Warnings[0].Message, ")") {
				t.Errorf("message %q does not name the row", pr.Warnings[0].Message)
			}
		}
		if got != tt.want {
			t.Errorf("%s on %v: failing row %d, want %d", tt.rule, tt.rows, got, tt.want)
		}
	}
}

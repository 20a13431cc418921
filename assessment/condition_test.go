package assessment

import (
	"testing"
)

const condTemplate = `
id: cond
platform: commcare
version: 1
title: Conditions
source: {title: Test, url: "https://example.org/"}
phases:
  - key: "1"
    title: One
    intro: Conditions.
    questions:
      - {key: n, label: n, type: number, origin: source, prompt: N}
      - {key: c, label: c, type: single_choice, origin: source, prompt: C, choices: [a, b, c]}
      - {key: m, label: m, type: multi_choice, origin: source, prompt: M, choices: [x, y]}
      - {key: eq, label: eq, type: short_text, origin: source, prompt: Q, show_if: {question: c, equals: a}}
      - {key: ne, label: ne, type: short_text, origin: source, prompt: Q, show_if: {question: c, not_equals: a}}
      - {key: in, label: in, type: short_text, origin: source, prompt: Q, show_if: {question: c, in: [a, b]}}
      - {key: nin, label: nin, type: short_text, origin: source, prompt: Q, show_if: {question: c, not_in: [a, b]}}
      - {key: inc, label: inc, type: short_text, origin: source, prompt: Q, show_if: {question: m, includes: y}}
      - {key: gt, label: gt, type: short_text, origin: source, prompt: Q, show_if: {question: n, gt: 2}}
      - {key: gte, label: gte, type: short_text, origin: source, prompt: Q, show_if: {question: n, gte: 2}}
      - {key: lt, label: lt, type: short_text, origin: source, prompt: Q, show_if: {question: n, lt: 2}}
      - {key: lte, label: lte, type: short_text, origin: source, prompt: Q, show_if: {question: n, lte: 2}}
      - {key: neq, label: neq, type: short_text, origin: source, prompt: Q, show_if: {question: n, equals: "2"}}
      - {key: both, label: both, type: short_text, origin: source, prompt: Q, show_if: [{question: n, gt: 2}, {question: c, equals: a}]}
      - {key: chain, label: chain, type: short_text, origin: source, prompt: Q, show_if: {question: eq, equals: "go"}}
    checkpoints:
      - {key: done, label: done, text: Done., origin: source}
`

func TestConditions(t *testing.T) {
	tpl, err := ParseTemplate("cond.yaml", []byte(condTemplate))
	if err != nil {
		t.Fatal(err)
	}
	all := []string{"eq", "ne", "in", "nin", "inc", "gt", "gte", "lt", "lte", "neq", "both", "chain"}
	tests := []struct {
		name    string
		answers map[string]Value
		visible []string
	}{
		// An unanswered question satisfies no condition, not even not_equals.
		{"nothing answered", nil, nil},
		{"c=a", map[string]Value{"c": text("a")}, []string{"eq", "in"}},
		{"c=c", map[string]Value{"c": text("c")}, []string{"ne", "nin"}},
		{"invalid c counts as unanswered", map[string]Value{"c": text("z")}, nil},
		{"m includes y", map[string]Value{"m": {List: []string{"x", "y"}}}, []string{"inc"}},
		{"m without y", map[string]Value{"m": {List: []string{"x"}}}, nil},
		{"n=2", map[string]Value{"n": text("2")}, []string{"gte", "lte", "neq"}},
		{"n=2.0 equals 2 numerically", map[string]Value{"n": text("2.0")}, []string{"gte", "lte", "neq"}},
		{"n=3 and c=a", map[string]Value{"n": text("3"), "c": text("a")}, []string{"eq", "in", "gt", "gte", "both"}},
		{"n=1", map[string]Value{"n": text("1")}, []string{"lt", "lte"}},
		{"chain shown through eq", map[string]Value{"c": text("a"), "eq": text("go")}, []string{"eq", "in", "chain"}},
		// eq is hidden, so its answer cannot show chain.
		{"chain hidden with eq", map[string]Value{"c": text("b"), "eq": text("go")}, []string{"ne", "in"}},
	}
	for _, tt := range tests {
		res := tpl.Evaluate(Input{Answers: tt.answers})
		var got []string
		for _, k := range all {
			if res.Visible(k) {
				got = append(got, k)
			}
		}
		if !equalStrings(got, tt.visible) {
			t.Errorf("%s: visible %v, want %v", tt.name, got, tt.visible)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestHiddenQuestionsNotRequired uses the CommCare template: questions a
// condition hides are neither required nor validated, across phases too.
func TestHiddenQuestionsNotRequired(t *testing.T) {
	tpl, base := fullCommCare(t)
	tests := []struct {
		name     string
		changes  map[string]Value
		phase    string
		blockers []string
	}{
		{"months live asked when collecting", map[string]Value{"collecting_data": text("yes"), "months_live": {}, "data_migration_plan": {}},
			"1.1", []string{"months_live", "data_migration_plan"}},
		{"months live hidden when not collecting", map[string]Value{"collecting_data": text("no"), "months_live": {}, "data_migration_plan": {}},
			"1.1", nil},
		{"hidden invalid answer ignored", map[string]Value{"collecting_data": text("no"), "months_live": text("-3")},
			"1.1", nil},
		{"visible invalid answer blocks", map[string]Value{"collecting_data": text("yes"), "months_live": text("-3")},
			"1.1", []string{"months_live"}},
		{"UPS not asked in the cloud", map[string]Value{"hosting_option": text("enterprise_cloud"), "ups_minutes": {}, "ups_failover": {}, "safe_shutdown_minutes": {}},
			"2.2", nil},
		{"UPS asked on premise", map[string]Value{"ups_minutes": {}, "ups_failover": {}},
			"2.2", []string{"ups_minutes", "ups_failover"}},
		{"hypervisor asked for virtual machines (set in 2.1)", map[string]Value{"hypervisor_software": {}},
			"3.1", []string{"hypervisor_software"}},
		{"hypervisor hidden on bare metal", map[string]Value{"virtualization": text("bare_metal"), "hypervisor_software": {}, "hypervisor_support_response": {}},
			"3.1", nil},
		{"livepatch output only for Ubuntu advantage", map[string]Value{"livepatch_service": text("other"), "livepatch_status": {}, "livepatch_other": {}},
			"3.1", []string{"livepatch_other"}},
	}
	for _, tt := range tests {
		res := tpl.Evaluate(with(base, tt.changes))
		pr, _ := res.Phase(tt.phase)
		if got := issueKeys(pr.Blockers); !equalStrings(got, tt.blockers) {
			t.Errorf("%s: blockers %v, want %v", tt.name, got, tt.blockers)
		}
	}
	res := tpl.Evaluate(with(base, map[string]Value{"collecting_data": text("no"), "months_live": text("-3")}))
	if got := res.Question("months_live"); got != QuestionHidden {
		t.Errorf("months_live: %s, want hidden", got)
	}
	res = tpl.Evaluate(with(base, map[string]Value{"collecting_data": text("yes"), "months_live": text("-3")}))
	for key, want := range map[string]QuestionState{"months_live": QuestionInvalid, "collecting_data": QuestionValid, "nope": QuestionHidden} {
		if got := res.Question(key); got != want {
			t.Errorf("Question(%s) = %s, want %s", key, got, want)
		}
	}
}

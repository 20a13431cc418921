package handlers

import (
	"testing"

	"groundwork/assessment"
)

func TestTemplateWords(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0"}, {0.5, "0.5"}, {1500, "1500"}, {15000, "15,000"}, {1234567.25, "1,234,567.25"}, {-20000, "-20,000"},
	} {
		if got := tplNumber(tc.in); got != tc.want {
			t.Errorf("tplNumber(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"the UPS must outlast the safe shutdown", "The UPS must outlast the safe shutdown."},
		{"écrit.", "Écrit."},
		{"", ""},
	} {
		if got := tplSentence(tc.in); got != tc.want {
			t.Errorf("tplSentence(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{`"a"`, true}, {`W/"a"`, true}, {`"b", "a"`, true}, {"*", true}, {`"b"`, false}, {"", false}, {`"a`, false},
	} {
		if got := etagListed(tc.header, `"a"`); got != tc.want {
			t.Errorf("etagListed(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

func TestTemplateConditionText(t *testing.T) {
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, _ := cat.Latest("commcare-transition")
	gt := 3.0
	for _, tc := range []struct {
		c    assessment.Condition
		want string
	}{
		{assessment.Condition{Question: "collecting_data", Equals: "yes"}, "“users collecting data” is Yes"},
		{assessment.Condition{Question: "environments", Includes: "production"}, "“planned environments” includes Production"},
		{assessment.Condition{Question: "expected_users", GT: &gt}, "“expected users” is more than 3"},
		{assessment.Condition{Question: "no_such_question", NotIn: []string{"a", "b"}}, "“no_such_question” is not a or b"},
	} {
		if got := tplConditionText(tmpl, tc.c); got != tc.want {
			t.Errorf("condition %+v = %q, want %q", tc.c, got, tc.want)
		}
	}
}

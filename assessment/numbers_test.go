package assessment

import (
	"net/url"
	"strings"
	"testing"
)

func TestCanonicalNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2500", "2500"},
		{"2,500", "2500"},
		{"30,000,000", "30000000"},
		{"30 000 000", "30000000"},
		{"30\u00a0000\u00a0000", "30000000"},
		{"30\u2009000\u2009000", "30000000"},
		{"30\u202f000\u202f000", "30000000"},
		{"-1,234.56", "-1234.56"},
		{"1,000.5", "1000.5"},
		// Refused as typed, for validation to say why.
		{"2,5", "2,5"},
		{"2,50", "2,50"},
		{"2,5000", "2,5000"},
		{"1234,567", "1234,567"},
		{",500", ",500"},
		{"2,500,", "2,500,"},
		{"1,000 000", "1,000 000"}, // one separator throughout
		{"1.000,5", "1.000,5"},
		{"1,000.5,5", "1,000.5,5"},
		{"1,,000", "1,,000"},
	}
	for _, tt := range tests {
		if got := canonicalNumber(tt.in); got != tt.want {
			t.Errorf("canonicalNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGroupThousands(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", "0"},
		{"999", "999"},
		{"1000", "1,000"},
		{"2500", "2,500"},
		{"30000000", "30,000,000"},
		{"-1234567.891", "-1,234,567.891"},
		{"100000", "100,000"},
		{"2,5", "2,5"},     // not canonical: as typed
		{"three", "three"}, // ditto
		{"", ""},
	}
	for _, tt := range tests {
		if got := GroupThousands(tt.in); got != tt.want {
			t.Errorf("GroupThousands(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A number typed with separators is stored canonical and passes
// validation, in a number question and in a table's number cell; a decimal
// comma is refused with a message that says which mark to use.
func TestNumbersAsPeopleWriteThem(t *testing.T) {
	tpl := typesTemplate(t)
	count, ratio := question(t, tpl, "count"), question(t, tpl, "ratio")
	tests := []struct {
		q        *Question
		in, want string
		problem  string
	}{
		{count, "3", "3", ""},
		{ratio, "1,000.25", "1000.25", ""},
		{ratio, "-1,5", "-1,5", "ratio: must be a number such as 2.5 or 2,500: the decimal mark is a point"},
		{count, "2,5", "2,5", "count: must be a whole number such as 12 or 2,500: a comma only separates thousands"},
		{count, "1 000", "1000", "count: must be at most 5"},
	}
	for _, tt := range tests {
		v, err := tt.q.DecodeForm(url.Values{tt.q.Key: {tt.in}})
		if err != nil {
			t.Fatalf("%s %q: %v", tt.q.Key, tt.in, err)
		}
		if v.Text != tt.want {
			t.Errorf("%s %q stored as %q, want %q", tt.q.Key, tt.in, v.Text, tt.want)
		}
		got := strings.Join(problems(tt.q, v), "; ")
		if (tt.problem == "") != (got == "") || !strings.HasPrefix(got, tt.problem) {
			t.Errorf("%s %q: problems %q, want %q", tt.q.Key, tt.in, got, tt.problem)
		}
	}
}

// A table's number cells take separators too.
func TestNumberCellsAsPeopleWriteThem(t *testing.T) {
	q := question(t, typesTemplate(t), "servers")
	form := url.Values{}
	for r, row := range [][]string{{"db", "8", "1,024", "ssd", ""}, {"web", "4", "2 048.5", "ssd", ""}} {
		for c, col := range q.Columns {
			form.Set(q.CellFieldName(r, col.Key), row[c])
		}
	}
	v, err := q.DecodeForm(form)
	if err != nil {
		t.Fatal(err)
	}
	if v.Rows[0][2] != "1024" || v.Rows[1][2] != "2048.5" {
		t.Errorf("cells stored as %q and %q, want 1024 and 2048.5", v.Rows[0][2], v.Rows[1][2])
	}
	if p := problems(q, v); len(p) != 0 {
		t.Errorf("problems %q, want none", p)
	}
}

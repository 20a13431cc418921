package csvsafe_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"groundwork/assessment/csvsafe"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"pg_main", "pg_main"},
		{"SSD", "SSD"},
		{"12600", "12600"},
		{"a=b", "a=b"},
		{" =1+1", " =1+1"}, // a leading space is text already
		{"'quoted", "'quoted"},
		{"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"+1+1", "'+1+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(1+1)", "'@SUM(1+1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
	}
	for _, tt := range tests {
		if got := csvsafe.Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextRoundTrips checks that a neutralised cell survives encoding/csv
// unchanged, quotes and separators included, and still starts with the
// quote once read back.
func TestTextRoundTrips(t *testing.T) {
	cells := []string{"=1+1,\"x\"", "@a\nb", "-1", "\r=2", "plain"}
	var rec []string
	for _, c := range cells {
		rec = append(rec, csvsafe.Text(c))
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll([][]string{rec}); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range got[0] {
		if c != rec[i] {
			t.Errorf("cell %d read back as %q, want %q", i, c, rec[i])
		}
		if i < 4 && c[0] != '\'' {
			t.Errorf("cell %d = %q does not start with a quote", i, c)
		}
	}
}

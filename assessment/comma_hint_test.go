package assessment

import (
	"strings"
	"testing"
)

// CommaHint speaks only of a comma that may have been meant as a decimal
// mark: a number over its maximum that, read with a point, is within range.
func TestCommaHint(t *testing.T) {
	hundred, zero := 100.0, 0.0
	rate := &Question{Type: TypeNumber, Constraints: Constraints{Min: &zero, Max: &hundred}}
	whole := &Question{Type: TypeNumber, Constraints: Constraints{Max: &hundred, Integer: true}}
	open := &Question{Type: TypeNumber}
	for _, c := range []struct {
		q     *Question
		typed string
		hint  bool
	}{
		{rate, "17,299", true},
		{rate, " 7,700 ", true},
		{rate, "170,299", false}, // 170.299 is over 100 too
		{rate, "17.299", false},
		{rate, "1,000,000", false},
		{rate, "17,29", false}, // refused as ambiguous already
		{rate, "50", false},
		{whole, "17,299", false}, // a whole number: no fraction to suggest
		{open, "17,299", false},  // no maximum: nothing was refused for it
	} {
		got := c.q.CommaHint(c.typed)
		if (got != "") != c.hint || c.hint && !strings.Contains(got, "decimal mark is a point") {
			t.Errorf("CommaHint(%q) = %q, want a hint: %v", c.typed, got, c.hint)
		}
	}
}

package assessment

import (
	"math"
	"strings"
)

// Numbers as people write them. An answer to a number question is stored
// in canonical form ("30000000", "2.5"), but people type "30,000,000" or
// "30 000 000". The rule, one for every number field:
//
//   - the decimal mark is the point: "2.5";
//   - thousands may be grouped with a comma, a space, a no-break space
//     (U+00A0), a thin space (U+2009) or a narrow no-break space (U+202F),
//     the same separator throughout: a first group of one to three digits,
//     then groups of exactly three, before any point;
//   - anything else is refused. "2,5" in particular is refused, not read as
//     2.5 or 25: a comma is a thousands separator only before exactly three
//     digits, and reading it as a decimal mark where it is one would turn
//     "2,500" users into 2.5.
//
// The store never sees separators; GroupThousands puts commas back for
// display.

// thousandsSeparators are the characters that may group thousands.
const thousandsSeparators = ", \u00a0\u2009\u202f"

// canonicalNumber removes thousands separators from s when they group it
// as the rule above says; otherwise it returns s unchanged, for validation
// to refuse.
func canonicalNumber(s string) string {
	if !strings.ContainsAny(s, thousandsSeparators) {
		return s
	}
	sign, rest := "", s
	if r, ok := strings.CutPrefix(s, "-"); ok {
		sign, rest = "-", r
	}
	whole, frac, hasPoint := strings.Cut(rest, ".")
	if hasPoint && !digits(frac) {
		return s
	}
	sep := ""
	for _, r := range whole {
		if strings.ContainsRune(thousandsSeparators, r) {
			sep = string(r)
			break
		}
	}
	groups := strings.Split(whole, sep)
	for i, g := range groups {
		if !digits(g) || i > 0 && len(g) != 3 || i == 0 && len(g) > 3 {
			return s
		}
	}
	out := sign + strings.Join(groups, "")
	if hasPoint {
		out += "." + frac
	}
	return out
}

// ReadNumber reads a number as people write it, by the rule above. When s
// is not one, problem says why, as a field's message does ("must be a
// number such as 2.5 or 2,500: the decimal mark is a point, …"); "2,5" is
// refused, never read as 25.
func ReadNumber(s string) (f float64, problem string) { return readNumber(s, nil) }

// ReadWholeNumber is ReadNumber for a field that takes whole numbers: its
// problems say so ("must be a whole number such as 12 or 2,500"). A number
// with decimals is read; the field says whether it takes one.
func ReadWholeNumber(s string) (f float64, problem string) {
	return readNumber(s, &Constraints{Integer: true})
}

func readNumber(s string, cons *Constraints) (float64, string) {
	c := canonicalNumber(strings.TrimSpace(s))
	if f, ok := parseNumber(c); ok {
		return f, ""
	}
	if commaDecimal(c) {
		return 0, faultNumberComma.message(TypeNumber, cons)
	}
	return 0, faultNumber.message(TypeNumber, cons)
}

// decimalPoint is the rule of reading numbers, in words (after "the").
const decimalPoint = "decimal mark is a point, and a comma only separates thousands"

// CommaHint explains the refusal of a number over the question's maximum
// that was typed with one comma (a birth rate of "17,299", read as 17299)
// when, read with a point instead, it would be within the range: the
// person likely wrote a decimal comma. It is "" otherwise.
func (q *Question) CommaHint(typed string) string {
	c := q.Constraints
	if q.Type != TypeNumber || c.Integer || c.Max == nil {
		return ""
	}
	lo := math.Inf(-1)
	if c.Min != nil {
		lo = *c.Min
	}
	return DecimalCommaHint(typed, lo, *c.Max)
}

// DecimalCommaHint is CommaHint for a number field that takes values from
// lo to hi (the sizing calculator's).
func DecimalCommaHint(typed string, lo, hi float64) string {
	whole, frac, ok := strings.Cut(strings.TrimSpace(typed), ",")
	if !ok || len(frac) != 3 || !digits(frac) {
		return ""
	}
	asThousands, ok1 := parseNumber(canonicalNumber(whole + "," + frac))
	asDecimal, ok2 := parseNumber(whole + "." + frac)
	if !ok1 || !ok2 || asThousands <= hi || asDecimal > hi || asDecimal < lo {
		return ""
	}
	return "The " + decimalPoint + ": for " + whole + " and a fraction, write " + whole + "." + frac + "."
}

// commaDecimal reports whether s looks like a number written with a
// decimal comma ("2,5", "1.000,5"), which the rule refuses with its own
// message.
func commaDecimal(s string) bool {
	return strings.Contains(s, ",") && strings.Trim(s, "-0123456789,. ") == ""
}

// GroupThousands writes a canonical number with commas between groups of
// three digits ("30000000" is "30,000,000"; "1234.5" is "1,234.5"). Anything
// that is not a canonical number comes back as it is, so a refused answer
// is shown as typed.
func GroupThousands(s string) string {
	if _, ok := parseNumber(s); !ok {
		return s
	}
	sign, rest := "", s
	if r, ok := strings.CutPrefix(s, "-"); ok {
		sign, rest = "-", r
	}
	whole, frac, hasPoint := strings.Cut(rest, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if hasPoint {
		b.WriteString("." + frac)
	}
	return b.String()
}

package assessment

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with an answer, attached to the form field
// that causes it so a page can show the message beside the input.
type Problem struct {
	Field   string `json:"field"`            // form field name, see Question.FieldName
	Row     int    `json:"row,omitempty"`    // table row counting from 1; 0 when not a cell
	Column  string `json:"column,omitempty"` // table column key
	Message string `json:"message"`          // in words, e.g. "row 2, RAM (GB): must be a whole number"
}

// ValidationError lists everything wrong with one answer.
type ValidationError struct {
	Question string
	Label    string
	Problems []Problem
}

// Error lists the problems after the question's label.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("'" + e.Label + "': ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// Validate checks the content of an answer and returns a *ValidationError
// listing every problem, or nil. An empty answer is valid here: whether an
// answer is required depends on the other answers (a hidden question is
// not), so missing answers are reported by Evaluate.
func (q *Question) Validate(v Value) error {
	var probs []Problem
	if q.check(v, &probs) {
		return nil
	}
	return &ValidationError{Question: q.Key, Label: q.Label, Problems: probs}
}

// empty reports whether v leaves the question unanswered.
func (q *Question) empty(v *Value) bool {
	switch q.Type {
	case TypeMultiChoice:
		return len(v.List) == 0
	case TypePerson:
		return v.Person == Person{}
	case TypeTable:
		return len(v.Rows) == 0
	}
	return v.Text == ""
}

// check reports whether v is valid. When probs is not nil it collects every
// problem; when nil it stops at the first and builds no message, which keeps
// Evaluate free of allocations for valid answers.
func (q *Question) check(v Value, probs *[]Problem) bool {
	if q.empty(&v) {
		return true
	}
	switch q.Type {
	case TypeMultiChoice:
		return q.checkList(v.List, probs)
	case TypePerson:
		return q.checkPerson(v.Person, probs)
	case TypeTable:
		return q.checkTable(v.Rows, probs)
	}
	f := checkScalar(q.Type, &q.Constraints, v.Text)
	if f == faultNone {
		return true
	}
	if probs != nil {
		*probs = append(*probs, Problem{Field: q.Key, Message: f.message(q.Type, &q.Constraints)})
	}
	return false
}

func (q *Question) checkList(items []string, probs *[]Problem) bool {
	ok := true
	for i, it := range items {
		msg := ""
		switch {
		case !q.hasChoice(it):
			msg = "must be one of the listed choices"
		case indexOf(items[:i], it) >= 0:
			msg = "each choice may be chosen once"
		default:
			continue
		}
		ok = false
		if probs == nil {
			return false
		}
		*probs = append(*probs, Problem{Field: q.Key, Message: strconv.Quote(it) + ": " + msg})
	}
	return ok
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func (q *Question) checkPerson(p Person, probs *[]Problem) bool {
	ok := true
	report := func(part, msg string) {
		ok = false
		if probs != nil {
			*probs = append(*probs, Problem{Field: q.PersonFieldName(part), Message: msg})
		}
	}
	for _, f := range []struct{ part, label, s string }{{"name", "name", p.Name}, {"job_function", "job function", p.JobFunction}} {
		if f.s == "" {
			report(f.part, f.label+" is required")
		} else if fl := checkScalar(TypeShortText, &Constraints{MaxLength: 200}, f.s); fl != faultNone {
			report(f.part, f.label+": "+fl.message(TypeShortText, &Constraints{MaxLength: 200}))
		}
		if !ok && probs == nil {
			return false
		}
	}
	switch {
	case p.Email == "" && q.EmailRequired:
		report("email", "e-mail is required")
	case p.Email != "" && checkScalar(TypeEmail, &Constraints{}, p.Email) != faultNone:
		report("email", "e-mail: "+faultEmail.message(TypeEmail, nil))
	}
	return ok
}

func (q *Question) checkTable(rows [][]string, probs *[]Problem) bool {
	ok := true
	fail := func(p Problem) bool {
		ok = false
		if probs == nil {
			return false
		}
		*probs = append(*probs, p)
		return true
	}
	if q.MinRows > 0 && len(rows) < q.MinRows {
		if !fail(Problem{Field: q.Key, Message: fmt.Sprintf("at least %d %s required", q.MinRows, plural(q.MinRows, "row is", "rows are"))}) {
			return false
		}
	}
	if max := q.maxRows(); len(rows) > max {
		if !fail(Problem{Field: q.Key, Message: fmt.Sprintf("at most %d rows are allowed", max)}) {
			return false
		}
	}
	for r, row := range rows {
		if len(row) != len(q.Columns) {
			if !fail(Problem{Field: q.Key, Row: r + 1, Message: fmt.Sprintf("row %d does not match the table's columns", r+1)}) {
				return false
			}
			continue
		}
		for ci, cell := range row {
			col := q.Columns[ci]
			var msg string
			if cell == "" {
				if !col.Required {
					continue
				}
				if probs != nil {
					msg = fmt.Sprintf("row %d, %s is required", r+1, col.Label)
				}
			} else if f := checkScalar(col.Type, &col.Constraints, cell); f != faultNone {
				if probs != nil {
					msg = fmt.Sprintf("row %d, %s: %s", r+1, col.Label, f.message(col.Type, &col.Constraints))
				}
			} else {
				continue
			}
			if !fail(Problem{Field: q.CellFieldName(r, col.Key), Row: r + 1, Column: col.Key, Message: msg}) {
				return false
			}
		}
	}
	return ok
}

// maxRows is the effective row limit of a table question.
func (q *Question) maxRows() int {
	if q.MaxRows > 0 && q.MaxRows < maxRows {
		return q.MaxRows
	}
	return maxRows
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fault is what is wrong with a scalar answer; its message is only built
// when someone asks for it.
type fault uint8

const (
	faultNone fault = iota
	faultText
	faultTooLong
	faultNumber
	faultNumberComma
	faultNumberUnit
	faultInteger
	faultMin
	faultMax
	faultURL
	faultEmail
	faultDate
	faultChoice
	faultYesNo
	faultDomain
	faultIP
	faultPublicIP
	faultDSN
)

// checkScalar validates the text of a scalar answer or table cell.
func checkScalar(t QuestionType, c *Constraints, s string) fault {
	max := c.MaxLength
	if max <= 0 {
		max = t.defaultMaxLength()
	}
	if len(s) > max*utf8.UTFMax {
		return faultTooLong
	}
	n := 0
	for _, r := range s {
		n++
		// RuneError also stands for invalid UTF-8.
		if r < 0x20 && !(t == TypeLongText && (r == '\n' || r == '\t')) || r == 0x7f || r == utf8.RuneError {
			return faultText
		}
	}
	if n > max {
		return faultTooLong
	}
	switch t {
	case TypeNumber:
		f, ok := parseNumber(s)
		if !ok && commaDecimal(s) {
			return faultNumberComma
		}
		if !ok {
			if number, unit := splitUnit(s); unit != "" && unicode.IsLetter([]rune(unit)[0]) {
				if _, ok := parseNumber(number); ok {
					return faultNumberUnit // "2,500 Mbps", "30 min"
				}
			}
			return faultNumber
		}
		if c.Integer && f != math.Trunc(f) {
			return faultInteger
		}
		if c.Min != nil && f < *c.Min {
			return faultMin
		}
		if c.Max != nil && f > *c.Max {
			return faultMax
		}
	case TypeURL:
		if !validURL(s) {
			return faultURL
		}
	case TypeEmail:
		if !validEmail(s) {
			return faultEmail
		}
	case TypeDate:
		if _, ok := parseDate(s); !ok {
			return faultDate
		}
	case TypeSingleChoice:
		if !c.hasChoice(s) {
			return faultChoice
		}
	case TypeYesNo:
		if s != "yes" && s != "no" {
			return faultYesNo
		}
	case TypeShortText:
		switch c.Format {
		case FormatDomain:
			if !validDomain(s) {
				return faultDomain
			}
		case FormatIP:
			if !validIP(s, false) {
				return faultIP
			}
		case FormatPublicIP:
			if !validIP(s, true) {
				return faultPublicIP
			}
		case FormatSentryDSN:
			if !validSentryDSN(s) {
				return faultDSN
			}
		}
	}
	return faultNone
}

// message puts a fault in words.
func (f fault) message(t QuestionType, c *Constraints) string {
	switch f {
	case faultText:
		return "contains characters that are not allowed"
	case faultTooLong:
		max := c.MaxLength
		if max <= 0 {
			max = t.defaultMaxLength()
		}
		return "must be at most " + GroupThousands(strconv.Itoa(max)) + " characters"
	case faultNumber:
		if c != nil && c.Integer {
			return "must be a whole number such as 12 or 2,500"
		}
		return "must be a number such as 12, 2.5 or 2,500"
	case faultNumberComma:
		if c != nil && c.Integer { // "2,5": not a decimal point to suggest
			return "must be a whole number such as 12 or 2,500: a comma only separates thousands"
		}
		return "must be a number such as 2.5 or 2,500: the " + decimalPoint
	case faultNumberUnit:
		msg := "must be the number alone, such as 2,500"
		if c != nil && c.Unit != "" {
			msg += ": the unit (" + c.Unit + ") is given beside the field"
		}
		return msg
	case faultInteger:
		return "must be a whole number"
	case faultMin:
		return "must be at least " + formatAmount(*c.Min, c.Unit)
	case faultMax:
		return "must be at most " + formatAmount(*c.Max, c.Unit)
	case faultURL:
		return "must be a web address starting with http:// or https://"
	case faultEmail:
		return "must be an e-mail address such as name@example.org"
	case faultDate:
		return "must be a whole day from 1900 on, such as 15 April 2027 (2027-04-15)"
	case faultChoice:
		return "must be one of the listed choices"
	case faultYesNo:
		return "must be yes or no"
	case faultDomain:
		return "must be a domain name such as hq.example.org"
	case faultIP:
		return "must be an IP address such as 203.0.113.10"
	case faultPublicIP:
		return "must be a public IP address, reachable from the internet"
	case faultDSN:
		return "must be a Sentry DSN such as https://KEY@HOST/PROJECT_ID"
	}
	return ""
}

func formatAmount(f float64, unit string) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if unit != "" {
		s += " " + UnitFor(f, unit)
	}
	return s
}

// UnitFor is a question's unit as it reads after the number f: one
// "person", "day" or "user", not "people", "days" or "users". Symbols
// ("GB", "Mbps", "ms") and rates ("per 1000 people") stay as they are.
func UnitFor(f float64, unit string) string {
	if f != 1 || strings.HasPrefix(unit, "per ") {
		return unit
	}
	if rest, ok := strings.CutSuffix(unit, "people"); ok {
		return rest + "person"
	}
	if len(unit) > 2 && strings.HasSuffix(unit, "s") && strings.ToLower(unit) == unit {
		return strings.TrimSuffix(unit, "s")
	}
	return unit
}

// splitUnit splits "2,500 Mbps" into the text up to its last digit and
// the words after it ("" when nothing but spaces follows).
func splitUnit(s string) (number, unit string) {
	i := strings.LastIndexFunc(s, unicode.IsDigit)
	if i < 0 {
		return s, ""
	}
	return strings.TrimSpace(s[:i+1]), strings.TrimSpace(s[i+1:])
}

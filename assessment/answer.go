package assessment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// MaxAnswerBytes bounds the stored or posted form of one answer.
const MaxAnswerBytes = 256 << 10

// maxRows bounds the rows a table answer may hold, whatever the template
// says; maxChoices bounds the items of a multiple choice answer.
const (
	maxRows    = 1000
	maxChoices = 1000
)

// Value is a decoded answer. Which field is used depends on the question
// type: Text for every scalar type (the number as typed, "yes" or "no",
// a date as YYYY-MM-DD, the value of the chosen choice), List for multiple
// choice (choice values in template order), Person for a person, Rows for a
// table (one cell per column, in column order). The zero Value is "not
// answered".
//
// The stored form of a Value (Question.Encode) is the plain text for
// scalars, a JSON array of choice values for multiple choice, a JSON object
// {"name","job_function","email"} for a person, and a JSON array of objects
// keyed by column key for a table (numbers as JSON numbers, other cells as
// strings, empty cells left out).
type Value struct {
	Text   string
	List   []string
	Person Person
	Rows   [][]string
}

// Person is the answer to a person question.
type Person struct {
	Name        string `json:"name"`
	JobFunction string `json:"job_function"`
	Email       string `json:"email,omitempty"`
}

// IsZero reports whether the value holds no answer.
func (v Value) IsZero() bool {
	return v.Text == "" && len(v.List) == 0 && len(v.Rows) == 0 && v.Person == Person{}
}

// DecodeError reports an answer whose structure cannot be read, such as
// malformed JSON or an unknown table column. It is a client error: show
// Message beside the field.
type DecodeError struct {
	Question string
	Message  string
}

// Error names the question and the problem.
func (e *DecodeError) Error() string { return "answer to " + e.Question + ": " + e.Message }

// Decode reads the stored or posted form of an answer (see Value). It checks
// structure only; call Validate for the content. It never panics, whatever
// the input.
func (q *Question) Decode(raw string) (Value, error) {
	if len(raw) > MaxAnswerBytes {
		return Value{}, q.decodeErr("the answer is too long")
	}
	switch q.Type {
	case TypeMultiChoice:
		return q.decodeList(raw)
	case TypePerson:
		return q.decodePerson(raw)
	case TypeTable:
		return q.decodeTable(raw)
	}
	return Value{Text: normalizeScalar(q.Type, raw)}, nil
}

func (q *Question) decodeErr(msg string) error {
	return &DecodeError{Question: q.Key, Message: msg}
}

// CleanText trims a text written in a text area (a long answer, a comment,
// a reason, a note) and writes its line breaks as "\n", as browsers count
// them (a form sends "\r\n"), so that a limit in characters is the one the
// page's counter shows.
func CleanText(s string) string {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return s
}

// normalizeScalar trims a scalar answer and puts it in canonical form. A
// tab in a one-line text (pasted from a spreadsheet's cells) is a space,
// as browsers make a pasted line break.
func normalizeScalar(t QuestionType, s string) string {
	s = strings.TrimSpace(s)
	switch t {
	case TypeShortText:
		s = strings.ReplaceAll(s, "\t", " ")
	case TypeLongText:
		s = CleanText(s)
	case TypeNumber:
		return canonicalNumber(s)
	case TypeYesNo:
		switch strings.ToLower(s) {
		case "yes", "true", "y":
			return "yes"
		case "no", "false", "n":
			return "no"
		}
	}
	return s
}

func (q *Question) decodeList(raw string) (Value, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Value{}, nil
	}
	var items []string
	if err := strictJSON(raw, &items); err != nil {
		return Value{}, q.decodeErr("must be a JSON array of choices")
	}
	if len(items) > maxChoices {
		return Value{}, q.decodeErr("too many choices")
	}
	return Value{List: q.canonicalList(items)}, nil
}

// canonicalList trims, drops empty and repeated items, and orders the known
// choices as the template does (unknown ones follow, for Validate to report).
func (q *Question) canonicalList(items []string) []string {
	var out []string
	for _, it := range items {
		it = strings.TrimSpace(it)
		if it == "" {
			continue
		}
		dup := false
		for _, o := range out {
			if o == it {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, it)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := q.choiceIndex(out[i]), q.choiceIndex(out[j])
		if a < 0 {
			return false
		}
		return b < 0 || a < b
	})
	return out
}

func (q *Question) decodePerson(raw string) (Value, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Value{}, nil
	}
	var p Person
	if err := strictJSON(raw, &p); err != nil {
		return Value{}, q.decodeErr(`must be a JSON object with "name", "job_function" and "email"`)
	}
	return Value{Person: trimPerson(p)}, nil
}

func trimPerson(p Person) Person {
	return Person{
		Name:        strings.TrimSpace(p.Name),
		JobFunction: strings.TrimSpace(p.JobFunction),
		Email:       strings.TrimSpace(p.Email),
	}
}

func (q *Question) decodeTable(raw string) (Value, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return Value{}, nil
	}
	var objs []map[string]any
	if err := strictJSON(raw, &objs); err != nil {
		return Value{}, q.decodeErr("must be a JSON array of rows")
	}
	if len(objs) > maxRows {
		return Value{}, q.decodeErr(fmt.Sprintf("must have at most %d rows", maxRows))
	}
	var rows [][]string
	for i, obj := range objs {
		row := make([]string, len(q.Columns))
		for k, cell := range obj {
			ci := q.columnIndex(k)
			if ci < 0 {
				return Value{}, q.decodeErr(fmt.Sprintf("row %d: unknown column %q", i+1, k))
			}
			s, ok := cellText(q.Columns[ci].Type, cell)
			if !ok {
				return Value{}, q.decodeErr(fmt.Sprintf("row %d, %s: must be text or a number", i+1, q.Columns[ci].Label))
			}
			row[ci] = s
		}
		if !emptyRow(row) {
			rows = append(rows, row)
		}
	}
	return Value{Rows: rows}, nil
}

// cellText turns a decoded JSON cell into its text.
func cellText(t QuestionType, cell any) (string, bool) {
	switch c := cell.(type) {
	case nil:
		return "", true
	case string:
		return normalizeScalar(t, c), true
	case json.Number:
		return c.String(), true
	case bool:
		if c {
			return "yes", true
		}
		return "no", true
	}
	return "", false
}

func emptyRow(row []string) bool {
	for _, c := range row {
		if c != "" {
			return false
		}
	}
	return true
}

// strictJSON decodes exactly one JSON value, keeping numbers as text and
// refusing unknown object fields and trailing data.
func strictJSON(raw string, v any) error {
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data")
	}
	return nil
}

// Encode returns the stored form of an answer (see Value); Decode reads it
// back unchanged.
func (q *Question) Encode(v Value) string {
	switch q.Type {
	case TypeMultiChoice:
		if len(v.List) == 0 {
			return ""
		}
		b, _ := json.Marshal(v.List)
		return string(b)
	case TypePerson:
		if v.Person == (Person{}) {
			return ""
		}
		b, _ := json.Marshal(v.Person)
		return string(b)
	case TypeTable:
		return q.encodeTable(v.Rows)
	}
	return v.Text
}

func (q *Question) encodeTable(rows [][]string) string {
	if len(rows) == 0 {
		return ""
	}
	var b bytes.Buffer
	b.WriteByte('[')
	for i, row := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		n := 0
		for ci, cell := range row {
			if cell == "" || ci >= len(q.Columns) {
				continue
			}
			if n > 0 {
				b.WriteByte(',')
			}
			n++
			k, _ := json.Marshal(q.Columns[ci].Key)
			b.Write(k)
			b.WriteByte(':')
			if q.Columns[ci].Type == TypeNumber && isJSONNumber(cell) {
				b.WriteString(cell)
			} else {
				s, _ := json.Marshal(cell)
				b.Write(s)
			}
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.String()
}

// isJSONNumber reports whether s is a number literal JSON allows.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return false
	}
	if s[i] == '0' {
		i++
	} else if s[i] >= '1' && s[i] <= '9' {
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	} else {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// DecodeForm builds an answer from HTML form fields (url.Values has this
// type). Field names: the question key for scalars (first value) and for
// multiple choice (every value); key.name, key.job_function and key.email
// for a person; key.ROW.COLUMN for table cells, ROW counting from 0 (gaps
// are fine; rows whose cells are all empty are dropped, so a removed row
// simply stops being posted).
func (q *Question) DecodeForm(form map[string][]string) (Value, error) {
	switch q.Type {
	case TypeMultiChoice:
		if len(form[q.Key]) > maxChoices {
			return Value{}, q.decodeErr("too many choices")
		}
		return Value{List: q.canonicalList(form[q.Key])}, nil
	case TypePerson:
		p := Person{
			Name:        first(form[q.Key+".name"]),
			JobFunction: first(form[q.Key+".job_function"]),
			Email:       first(form[q.Key+".email"]),
		}
		return Value{Person: trimPerson(p)}, nil
	case TypeTable:
		return q.decodeFormTable(form)
	}
	raw := first(form[q.Key])
	if len(raw) > MaxAnswerBytes {
		return Value{}, q.decodeErr("the answer is too long")
	}
	return Value{Text: normalizeScalar(q.Type, raw)}, nil
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

func (q *Question) decodeFormTable(form map[string][]string) (Value, error) {
	prefix := q.Key + "."
	byRow := map[int][]string{}
	for name, vs := range form {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		rs, col, ok := strings.Cut(rest, ".")
		if !ok {
			return Value{}, q.decodeErr(fmt.Sprintf("field %q is not KEY.ROW.COLUMN", name))
		}
		r, err := strconv.Atoi(rs)
		if err != nil || r < 0 || r >= 10*maxRows {
			return Value{}, q.decodeErr(fmt.Sprintf("field %q has a bad row number", name))
		}
		ci := q.columnIndex(col)
		if ci < 0 {
			return Value{}, q.decodeErr(fmt.Sprintf("field %q: unknown column %q", name, col))
		}
		row := byRow[r]
		if row == nil {
			if len(byRow) >= maxRows {
				return Value{}, q.decodeErr(fmt.Sprintf("must have at most %d rows", maxRows))
			}
			row = make([]string, len(q.Columns))
			byRow[r] = row
		}
		s := first(vs)
		if len(s) > MaxAnswerBytes {
			return Value{}, q.decodeErr("the answer is too long")
		}
		row[ci] = normalizeScalar(q.Columns[ci].Type, s)
	}
	idx := make([]int, 0, len(byRow))
	for r := range byRow {
		idx = append(idx, r)
	}
	sort.Ints(idx)
	var rows [][]string
	for _, r := range idx {
		if !emptyRow(byRow[r]) {
			rows = append(rows, byRow[r])
		}
	}
	return Value{Rows: rows}, nil
}

// JSONValue returns an answer as a JSON value for exports: a string for
// scalars (a number for valid numbers), an array of choice values, a person
// object, an array of row objects, or null when unanswered.
func (q *Question) JSONValue(v Value) json.RawMessage {
	if q.empty(&v) {
		return json.RawMessage("null")
	}
	switch q.Type {
	case TypeMultiChoice, TypePerson, TypeTable:
		return json.RawMessage(q.Encode(v))
	case TypeNumber:
		if isJSONNumber(v.Text) {
			return json.RawMessage(v.Text)
		}
	}
	b, _ := json.Marshal(v.Text)
	return b
}

package assessment

import (
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Severity says whether a failing rule blocks its phase or only warns.
type Severity string

// The severities.
const (
	SeverityBlock Severity = "block"
	SeverityWarn  Severity = "warn"
)

// Rule is a check across answers, declared in a template and evaluated in
// Go. It tests Question (one of its phase's questions); for a table, each
// cell of Column in the rows selected by Where, or with Count the number of
// those rows. Exactly one check is set:
//
//   - GT, GTE, LT, LTE compare a number or date with a constant or with
//     another question's answer times Factor plus Offset (days, for dates);
//   - OneOf requires the answer (each chosen item, each cell) to be one of
//     the values; NoneOf forbids them;
//   - IncludesAll requires a multiple choice answer to hold every value.
//
// A rule is only checked when all When conditions hold and the answers it
// reads are visible, present and valid: missing and invalid answers are
// reported on their own, never as a rule failure.
type Rule struct {
	Key      string     `json:"key" yaml:"key"`
	Severity Severity   `json:"severity" yaml:"severity"`
	Message  string     `json:"message" yaml:"message"`
	When     Conditions `json:"when,omitempty" yaml:"when"`
	Question string     `json:"question" yaml:"question"`
	Column   string     `json:"column,omitempty" yaml:"column"`
	Where    *RowFilter `json:"where,omitempty" yaml:"where"`
	Count    bool       `json:"count,omitempty" yaml:"count"`

	GT          *Operand `json:"gt,omitempty" yaml:"gt"`
	GTE         *Operand `json:"gte,omitempty" yaml:"gte"`
	LT          *Operand `json:"lt,omitempty" yaml:"lt"`
	LTE         *Operand `json:"lte,omitempty" yaml:"lte"`
	OneOf       []string `json:"one_of,omitempty" yaml:"one_of"`
	NoneOf      []string `json:"none_of,omitempty" yaml:"none_of"`
	IncludesAll []string `json:"includes_all,omitempty" yaml:"includes_all"`

	kind   ruleKind
	op     condOp
	right  *Operand
	values []string
	nums   []float64
	q      int
	col    int // -1 when not a column rule
	typ    QuestionType
	cons   *Constraints
}

type ruleKind uint8

const (
	ruleCompare ruleKind = iota + 1
	ruleOneOf
	ruleNoneOf
	ruleIncludesAll
)

// RowFilter selects table rows whose Column holds one of In.
type RowFilter struct {
	Column string   `json:"column" yaml:"column"`
	In     []string `json:"in" yaml:"in"`

	col  int
	nums []float64 // In as numbers, for a number column
}

// Operand is the right-hand side of a comparison: a constant Value, or the
// answer to Question times Factor (1 when unset) plus Offset.
type Operand struct {
	Value    *float64 `json:"value,omitempty" yaml:"value"`
	Question string   `json:"question,omitempty" yaml:"question"`
	Factor   float64  `json:"factor,omitempty" yaml:"factor"`
	Offset   float64  `json:"offset,omitempty" yaml:"offset"`

	q int
}

// UnmarshalYAML accepts a bare number or a mapping.
func (o *Operand) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		f, err := strconv.ParseFloat(n.Value, 64)
		if err != nil {
			return fmt.Errorf("line %d: %q is not a number", n.Line, n.Value)
		}
		o.Value = &f
		return nil
	}
	if err := checkKeys(n, "value", "question", "factor", "offset"); err != nil {
		return err
	}
	type plain Operand
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*o = Operand(p)
	return nil
}

// UnmarshalYAML rejects unknown fields.
func (f *RowFilter) UnmarshalYAML(n *yaml.Node) error {
	if err := checkKeys(n, "column", "in"); err != nil {
		return err
	}
	type plain RowFilter
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*f = RowFilter(p)
	return nil
}

// compile resolves a rule's references and checks that its check fits the
// types it reads. p is the phase that declares the rule.
func (r *Rule) compile(t *Template, p *Phase) error {
	if r.Severity != SeverityBlock && r.Severity != SeverityWarn {
		return fmt.Errorf("severity must be block or warn, not %q", r.Severity)
	}
	if r.Message == "" {
		return fmt.Errorf("message is missing")
	}
	for i := range r.When {
		if err := r.When[i].compile(t, -1); err != nil {
			return err
		}
	}
	qi, ok := t.qindex[r.Question]
	if !ok {
		return fmt.Errorf("unknown question %q", r.Question)
	}
	q := t.questions[qi]
	if q.phaseKey != p.Key {
		return fmt.Errorf("question %q belongs to phase %q; declare the rule there", r.Question, q.phaseKey)
	}
	r.q, r.col, r.typ, r.cons = qi, -1, q.Type, &q.Constraints
	if r.Where != nil || r.Column != "" || r.Count {
		if q.Type != TypeTable {
			return fmt.Errorf("column, where and count need a table question; %q is %s", r.Question, q.Type)
		}
	}
	if r.Where != nil {
		ci := q.columnIndex(r.Where.Column)
		if ci < 0 {
			return fmt.Errorf("where: unknown column %q", r.Where.Column)
		}
		if len(r.Where.In) == 0 {
			return fmt.Errorf("where: empty list")
		}
		c := q.Columns[ci]
		nums, err := checkOperands(c.Type, &c.Constraints, r.Where.In)
		if err != nil {
			return fmt.Errorf("where: %w", err)
		}
		r.Where.col, r.Where.nums = ci, nums
	}
	if r.Column != "" {
		if r.Count {
			return fmt.Errorf("count and column exclude each other")
		}
		ci := q.columnIndex(r.Column)
		if ci < 0 {
			return fmt.Errorf("unknown column %q", r.Column)
		}
		r.col, r.typ, r.cons = ci, q.Columns[ci].Type, &q.Columns[ci].Constraints
	} else if q.Type == TypeTable && !r.Count {
		return fmt.Errorf("a rule on table %q needs column or count", r.Question)
	}
	if r.Count {
		r.typ = TypeNumber // the number of rows
	}

	set := 0
	for _, o := range []struct {
		p  *Operand
		op condOp
	}{{r.GT, condGT}, {r.GTE, condGTE}, {r.LT, condLT}, {r.LTE, condLTE}} {
		if o.p != nil {
			set++
			r.kind, r.op, r.right = ruleCompare, o.op, o.p
		}
	}
	for _, o := range []struct {
		v    []string
		kind ruleKind
	}{{r.OneOf, ruleOneOf}, {r.NoneOf, ruleNoneOf}, {r.IncludesAll, ruleIncludesAll}} {
		if o.v != nil {
			set++
			r.kind, r.values = o.kind, o.v
		}
	}
	if set != 1 {
		return fmt.Errorf("must have exactly one check (gt, gte, lt, lte, one_of, none_of, includes_all), has %d", set)
	}
	switch r.kind {
	case ruleCompare:
		return r.compileCompare(t)
	case ruleIncludesAll:
		if r.typ != TypeMultiChoice {
			return fmt.Errorf("includes_all needs a multiple choice question, not %s", r.typ)
		}
	}
	if len(r.values) == 0 {
		return fmt.Errorf("empty list of values")
	}
	if r.Count {
		return fmt.Errorf("one_of and none_of cannot test a row count")
	}
	nums, err := checkOperands(r.typ, r.cons, r.values)
	if err != nil {
		return err
	}
	r.nums = nums
	return nil
}

func (r *Rule) compileCompare(t *Template) error {
	if r.typ != TypeNumber && r.typ != TypeDate {
		return fmt.Errorf("comparison needs a number or date, not %s", r.typ)
	}
	o := r.right
	if (o.Value == nil) == (o.Question == "") {
		return fmt.Errorf("comparison needs either a value or a question")
	}
	if o.Factor == 0 {
		o.Factor = 1
	}
	if o.Value != nil {
		if r.typ == TypeDate {
			return fmt.Errorf("a date can only be compared with another date question")
		}
		return nil
	}
	qi, ok := t.qindex[o.Question]
	if !ok {
		return fmt.Errorf("comparison with unknown question %q", o.Question)
	}
	if rt := t.questions[qi].Type; rt != r.typ {
		return fmt.Errorf("cannot compare a %s with %q, a %s", r.typ, o.Question, rt)
	}
	o.q = qi
	return nil
}

// eval checks the rule. It reports whether the rule fails and, for a
// column rule, the first failing row counting from 1.
func (r *Rule) eval(t *Template, st []qstate, vals []Value) (failed bool, row int) {
	if st[r.q] != stateValid || !r.When.allHold(st, vals) {
		return false, 0
	}
	v := &vals[r.q]
	var right float64
	if r.kind == ruleCompare {
		var ok bool
		if right, ok = r.rightValue(t, st, vals); !ok {
			return false, 0
		}
	}
	switch {
	case r.Count:
		n := 0
		for _, cells := range v.Rows {
			if r.rowSelected(t, cells) {
				n++
			}
		}
		return !compareFloat(r.op, float64(n), right), 0
	case r.col >= 0:
		for i, cells := range v.Rows {
			if r.col >= len(cells) || cells[r.col] == "" || !r.rowSelected(t, cells) {
				continue
			}
			if r.fails(cells[r.col], right) {
				return true, i + 1
			}
		}
		return false, 0
	case r.typ == TypeMultiChoice:
		switch r.kind {
		case ruleIncludesAll:
			for _, want := range r.values {
				if indexOf(v.List, want) < 0 {
					return true, 0
				}
			}
		default:
			for _, item := range v.List {
				if r.fails(item, 0) {
					return true, 0
				}
			}
		}
		return false, 0
	}
	return r.fails(v.Text, right), 0
}

// fails tests one value of the rule's type.
func (r *Rule) fails(s string, right float64) bool {
	switch r.kind {
	case ruleOneOf:
		return !matchAny(r.typ, s, r.values, r.nums)
	case ruleNoneOf:
		return matchAny(r.typ, s, r.values, r.nums)
	}
	left, ok := scalarNumber(r.typ, s)
	if !ok {
		return false // invalid answers are reported elsewhere
	}
	return !compareFloat(r.op, left, right)
}

// rightValue returns the right-hand side of a comparison, or false when the
// answer it needs is missing.
func (r *Rule) rightValue(t *Template, st []qstate, vals []Value) (float64, bool) {
	o := r.right
	if o.Value != nil {
		return *o.Value, true
	}
	if st[o.q] != stateValid {
		return 0, false
	}
	f, ok := scalarNumber(t.questions[o.q].Type, vals[o.q].Text)
	if !ok {
		return 0, false
	}
	return f*o.Factor + o.Offset, true
}

// rowSelected applies the rule's row filter.
func (r *Rule) rowSelected(t *Template, cells []string) bool {
	if r.Where == nil {
		return true
	}
	if r.Where.col >= len(cells) {
		return false
	}
	c := t.questions[r.q].Columns[r.Where.col]
	return matchAny(c.Type, cells[r.Where.col], r.Where.In, r.Where.nums)
}

// scalarNumber reads a number or, for dates, the day number.
func scalarNumber(t QuestionType, s string) (float64, bool) {
	if t == TypeDate {
		d, ok := parseDate(s)
		return float64(d), ok
	}
	return parseNumber(s)
}

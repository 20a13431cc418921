package assessment

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Condition tests the answer to one question. Exactly one operator is set:
// Equals, NotEquals, In and NotIn compare a single choice, yes/no, short
// text or number answer (numbers numerically); Includes tests a multiple
// choice answer; GT, GTE, LT and LTE compare a number.
//
// A condition holds only when its question is visible and validly answered:
// an unanswered question satisfies neither Equals nor NotEquals.
type Condition struct {
	Question  string   `json:"question" yaml:"question"`
	Equals    string   `json:"equals,omitempty" yaml:"equals"`
	NotEquals string   `json:"not_equals,omitempty" yaml:"not_equals"`
	In        []string `json:"in,omitempty" yaml:"in"`
	NotIn     []string `json:"not_in,omitempty" yaml:"not_in"`
	Includes  string   `json:"includes,omitempty" yaml:"includes"`
	GT        *float64 `json:"gt,omitempty" yaml:"gt"`
	GTE       *float64 `json:"gte,omitempty" yaml:"gte"`
	LT        *float64 `json:"lt,omitempty" yaml:"lt"`
	LTE       *float64 `json:"lte,omitempty" yaml:"lte"`

	op     condOp
	q      int
	typ    QuestionType
	values []string  // the operand(s) of equals, not_equals, in, not_in, includes
	nums   []float64 // the same, parsed, when the question is a number
	num    float64   // the operand of gt, gte, lt, lte
}

type condOp uint8

const (
	condNone condOp = iota
	condEquals
	condNotEquals
	condIn
	condNotIn
	condIncludes
	condGT
	condGTE
	condLT
	condLTE
)

// UnmarshalYAML rejects unknown fields.
func (c *Condition) UnmarshalYAML(n *yaml.Node) error {
	if err := checkKeys(n, "question", "equals", "not_equals", "in", "not_in", "includes", "gt", "gte", "lt", "lte"); err != nil {
		return err
	}
	type plain Condition
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*c = Condition(p)
	return nil
}

// Conditions is a list of conditions that must all hold. In a template file
// a single condition may be written without the list.
type Conditions []Condition

// UnmarshalYAML accepts one condition or a sequence of them.
func (cs *Conditions) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		var c Condition
		if err := n.Decode(&c); err != nil {
			return err
		}
		*cs = Conditions{c}
		return nil
	}
	var list []Condition
	if err := n.Decode(&list); err != nil {
		return err
	}
	*cs = list
	return nil
}

// compile resolves the condition's question and checks its operator against
// the question's type. When before is not negative the question must come
// before that position, which keeps visibility free of cycles and computable
// in one pass.
func (c *Condition) compile(t *Template, before int) error {
	qi, ok := t.qindex[c.Question]
	if !ok {
		return fmt.Errorf("condition refers to unknown question %q", c.Question)
	}
	if before >= 0 && qi >= before {
		return fmt.Errorf("condition refers to question %q, which does not come before it", c.Question)
	}
	q := t.questions[qi]
	c.q, c.typ = qi, q.Type
	set := 0
	if c.Equals != "" {
		set++
		c.op, c.values = condEquals, []string{c.Equals}
	}
	if c.NotEquals != "" {
		set++
		c.op, c.values = condNotEquals, []string{c.NotEquals}
	}
	if c.In != nil {
		set++
		c.op, c.values = condIn, c.In
	}
	if c.NotIn != nil {
		set++
		c.op, c.values = condNotIn, c.NotIn
	}
	if c.Includes != "" {
		set++
		c.op, c.values = condIncludes, []string{c.Includes}
	}
	for _, o := range []struct {
		p  *float64
		op condOp
	}{{c.GT, condGT}, {c.GTE, condGTE}, {c.LT, condLT}, {c.LTE, condLTE}} {
		if o.p != nil {
			set++
			c.op, c.num = o.op, *o.p
		}
	}
	if set != 1 {
		return fmt.Errorf("condition on %q must have exactly one operator, has %d", c.Question, set)
	}
	switch c.op {
	case condEquals, condNotEquals, condIn, condNotIn:
		if q.Type == TypeMultiChoice {
			// Its answer is a list, never equal to one choice.
			return fmt.Errorf("condition on %q: a multiple choice question is tested with includes, not equals or in", c.Question)
		}
		if len(c.values) == 0 {
			return fmt.Errorf("condition on %q has an empty list", c.Question)
		}
		nums, err := checkOperands(q.Type, &q.Constraints, c.values)
		if err != nil {
			return fmt.Errorf("condition on %q: %w", c.Question, err)
		}
		c.nums = nums
	case condIncludes:
		if q.Type != TypeMultiChoice {
			return fmt.Errorf("condition on %q: includes needs a multiple choice question, not %s", c.Question, q.Type)
		}
		if _, err := checkOperands(q.Type, &q.Constraints, c.values); err != nil {
			return fmt.Errorf("condition on %q: %w", c.Question, err)
		}
	default:
		if q.Type != TypeNumber {
			return fmt.Errorf("condition on %q: comparison needs a number question, not %s", c.Question, q.Type)
		}
	}
	return nil
}

// checkOperands checks values written in a template against a question or
// column: choices must exist (catching typos), numbers must parse. It
// returns the parsed numbers for number types.
func checkOperands(typ QuestionType, c *Constraints, values []string) ([]float64, error) {
	switch typ {
	case TypeSingleChoice, TypeMultiChoice:
		for _, v := range values {
			if !c.hasChoice(v) {
				return nil, fmt.Errorf("%q is not one of the choices", v)
			}
		}
	case TypeYesNo:
		for _, v := range values {
			if v != "yes" && v != "no" {
				return nil, fmt.Errorf("%q is not yes or no", v)
			}
		}
	case TypeNumber:
		nums := make([]float64, len(values))
		for i, v := range values {
			// Written as answers are (digits, a point, a sign), so that
			// what a template compares with is what a person can enter.
			f, ok := parseNumber(v)
			if !ok {
				return nil, fmt.Errorf("%q is not a number like 12 or 0.5", v)
			}
			nums[i] = f
		}
		return nums, nil
	case TypeShortText:
	default:
		return nil, errors.New("values cannot be compared with a " + string(typ) + " answer")
	}
	return nil, nil
}

// holds evaluates the condition against the current answers.
func (c *Condition) holds(st []qstate, vals []Value) bool {
	if st[c.q] != stateValid {
		return false
	}
	v := &vals[c.q]
	switch c.op {
	case condEquals, condIn:
		return matchAny(c.typ, v.Text, c.values, c.nums)
	case condNotEquals, condNotIn:
		return !matchAny(c.typ, v.Text, c.values, c.nums)
	case condIncludes:
		for _, item := range v.List {
			if item == c.values[0] {
				return true
			}
		}
		return false
	}
	f, ok := parseNumber(v.Text)
	if !ok {
		return false
	}
	return compareFloat(c.op, f, c.num)
}

// matchAny reports whether text equals one of values (numerically for
// numbers, whose parsed values are in nums).
func matchAny(typ QuestionType, text string, values []string, nums []float64) bool {
	if typ == TypeNumber {
		f, ok := parseNumber(text)
		if !ok {
			return false
		}
		for _, n := range nums {
			if f == n {
				return true
			}
		}
		return false
	}
	for _, s := range values {
		if text == s {
			return true
		}
	}
	return false
}

// compareFloat applies a comparison operator.
func compareFloat(op condOp, a, b float64) bool {
	switch op {
	case condGT:
		return a > b
	case condGTE:
		return a >= b
	case condLT:
		return a < b
	case condLTE:
		return a <= b
	}
	return false
}

// allHold reports whether every condition holds; an empty list holds.
func (cs Conditions) allHold(st []qstate, vals []Value) bool {
	for i := range cs {
		if !cs[i].holds(st, vals) {
			return false
		}
	}
	return true
}

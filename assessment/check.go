package assessment

import (
	"errors"
	"fmt"
	"strings"
)

// TemplateError is a problem found while loading a template file. It names
// the file and the key at fault: a phase, question, checkpoint or rule key
// (empty for template-level fields).
type TemplateError struct {
	File  string
	Phase string
	Key   string
	Msg   string
}

// Error names the file, the phase and key when known, and the problem.
func (e *TemplateError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Phase != "" {
		fmt.Fprintf(&b, ": phase %q", e.Phase)
	}
	if e.Key != "" && e.Key != e.Phase {
		fmt.Fprintf(&b, ": %q", e.Key)
	}
	b.WriteString(": " + e.Msg)
	return b.String()
}

// compiler collects a template's problems.
type compiler struct {
	t    *Template
	errs []error
}

func (c *compiler) fail(phase, key, format string, args ...any) {
	c.errs = append(c.errs, &TemplateError{File: c.t.file, Phase: phase, Key: key, Msg: fmt.Sprintf(format, args...)})
}

// compile validates a decoded template and builds its indexes.
func (t *Template) compile() error {
	c := &compiler{t: t}
	if !validKey(t.ID, true) {
		c.fail("", t.ID, "id %q must be lowercase letters, digits and hyphens", t.ID)
	}
	if t.Platform != PlatformCommCare && t.Platform != PlatformOpenCRVS {
		c.fail("", t.ID, "unknown platform %q", t.Platform)
	}
	if t.Version < 1 {
		c.fail("", t.ID, "version must be 1 or more")
	}
	if t.Title == "" {
		c.fail("", t.ID, "title is missing")
	}
	if t.Source.Title == "" || !validURL(t.Source.URL) {
		c.fail("", t.ID, "source needs a title and an http(s) url")
	}
	if len(t.Phases) == 0 {
		c.fail("", t.ID, "no phases")
	}
	t.pindex = map[string]int{}
	t.qindex = map[string]int{}
	t.cindex = map[string]int{}
	for pi, p := range t.Phases {
		c.phase(pi, p)
	}
	// Conditions are compiled once every question is known, so that one
	// referring to a later question is reported as such.
	for _, q := range t.questions {
		for i := range q.ShowIf {
			if err := q.ShowIf[i].compile(t, q.index); err != nil {
				c.fail(q.phaseKey, q.Key, "show_if: %v", err)
			}
		}
	}
	rules := map[string]bool{}
	for _, p := range t.Phases {
		for _, r := range p.Rules {
			if !validKey(r.Key, true) {
				c.fail(p.Key, r.Key, "rule key %q must be lowercase letters, digits, hyphens and underscores", r.Key)
			}
			if rules[r.Key] {
				c.fail(p.Key, r.Key, "rule key is used twice")
			}
			rules[r.Key] = true
			if err := r.compile(t, p); err != nil {
				c.fail(p.Key, r.Key, "rule: %v", err)
			}
		}
	}
	sizing := map[SizingInput]string{}
	for _, q := range t.questions {
		if q.Sizing == "" {
			continue
		}
		if other, dup := sizing[q.Sizing]; dup {
			c.fail(q.phaseKey, q.Key, "sizing input %q is also tagged on %q", q.Sizing, other)
		}
		sizing[q.Sizing] = q.Key
	}
	return errors.Join(c.errs...)
}

func (c *compiler) phase(pi int, p *Phase) {
	t := c.t
	if !validPhaseKey(p.Key) {
		c.fail("", fmt.Sprintf("#%d", pi+1), "phase key %q must be 1 to 16 lowercase letters, digits and dots", p.Key)
	} else if _, dup := t.pindex[p.Key]; dup {
		c.fail(p.Key, p.Key, "phase key is used twice")
	}
	t.pindex[p.Key] = pi
	p.index, p.first = pi, len(t.questions)
	if p.Title == "" {
		c.fail(p.Key, p.Key, "title is missing")
	}
	if p.Intro == "" {
		c.fail(p.Key, p.Key, "intro is missing")
	}
	if len(p.Guidance.Links) == 0 && t.Source.URL != "" {
		// Guidance always links to where it comes from.
		p.Guidance.Links = []Link{t.Source}
	}
	for _, l := range p.Guidance.Links {
		if l.Title == "" || !validURL(l.URL) {
			c.fail(p.Key, p.Key, "guidance link %q needs a title and an http(s) url", l.URL)
		}
	}
	if len(p.Questions) == 0 && len(p.Checkpoints) == 0 {
		c.fail(p.Key, p.Key, "a phase needs questions or checkpoints")
	}
	for _, q := range p.Questions {
		c.question(p, q)
	}
	for _, cp := range p.Checkpoints {
		c.checkpoint(p, cp)
	}
}

func (c *compiler) question(p *Phase, q *Question) {
	t := c.t
	if !validKey(q.Key, false) {
		c.fail(p.Key, q.Key, "question key %q must start with a letter and hold only lowercase letters, digits and underscores", q.Key)
	} else if _, dup := t.qindex[q.Key]; dup {
		c.fail(p.Key, q.Key, "question key is used twice")
	} else {
		t.qindex[q.Key] = len(t.questions)
	}
	q.phaseKey, q.index = p.Key, len(t.questions)
	q.Required = !q.Optional
	q.missing = Issue{Phase: p.Key, Kind: IssueRequired, Question: q.Key, Message: p.Key + ": '" + q.Label + "' is required"}
	t.questions = append(t.questions, q)
	if q.Label == "" || q.Prompt == "" {
		c.fail(p.Key, q.Key, "label and prompt are required")
	}
	if q.Origin != OriginSource && q.Origin != OriginDerived {
		c.fail(p.Key, q.Key, "origin must be %q or %q, not %q", OriginSource, OriginDerived, q.Origin)
	}
	if q.HelpURL != "" && !validURL(q.HelpURL) {
		c.fail(p.Key, q.Key, "help_url %q is not an http(s) url", q.HelpURL)
	}
	if !q.Type.known() {
		c.fail(p.Key, q.Key, "unknown type %q", q.Type)
		return
	}
	if err := q.Constraints.compile(q.Type); err != nil {
		c.fail(p.Key, q.Key, "%v", err)
	}
	if q.Type == TypeTable {
		c.table(p, q)
	} else if len(q.Columns) > 0 || q.MinRows != 0 || q.MaxRows != 0 {
		c.fail(p.Key, q.Key, "columns, min_rows and max_rows are only for tables")
	}
	if q.EmailRequired && q.Type != TypePerson {
		c.fail(p.Key, q.Key, "email_required is only for person questions")
	}
	if q.Sizing != "" {
		want, ok := sizingTypes[q.Sizing]
		switch {
		case !ok:
			c.fail(p.Key, q.Key, "unknown sizing input %q", q.Sizing)
		case want != q.Type:
			c.fail(p.Key, q.Key, "sizing input %q needs a %s question, not %s", q.Sizing, want, q.Type)
		case q.Sizing == SizingServers:
			for _, col := range serverColumns {
				if q.columnIndex(col) < 0 {
					c.fail(p.Key, q.Key, "the server table needs a %q column", col)
				}
			}
		}
	}
}

func (c *compiler) table(p *Phase, q *Question) {
	if len(q.Columns) == 0 {
		c.fail(p.Key, q.Key, "a table needs columns")
	}
	seen := map[string]bool{}
	for _, col := range q.Columns {
		if !validKey(col.Key, false) {
			c.fail(p.Key, q.Key, "column key %q must start with a letter and hold only lowercase letters, digits and underscores", col.Key)
		}
		if seen[col.Key] {
			c.fail(p.Key, q.Key, "column %q is used twice", col.Key)
		}
		seen[col.Key] = true
		if col.Label == "" {
			col.Label = col.Key
		}
		col.Required = !col.Optional
		if !col.Type.scalar() {
			c.fail(p.Key, q.Key, "column %q: type %q cannot be a column", col.Key, col.Type)
			continue
		}
		if err := col.Constraints.compile(col.Type); err != nil {
			c.fail(p.Key, q.Key, "column %q: %v", col.Key, err)
		}
	}
	if q.MinRows < 0 || q.MaxRows < 0 || q.MaxRows > maxRows || q.MaxRows > 0 && q.MinRows > q.MaxRows {
		c.fail(p.Key, q.Key, "rows: need 0 <= min_rows <= max_rows <= %d", maxRows)
	}
}

func (c *compiler) checkpoint(p *Phase, cp *Checkpoint) {
	t := c.t
	if !validKey(cp.Key, false) {
		c.fail(p.Key, cp.Key, "checkpoint key %q must start with a letter and hold only lowercase letters, digits and underscores", cp.Key)
	} else if _, dup := t.cindex[cp.Key]; dup {
		c.fail(p.Key, cp.Key, "checkpoint key is used twice")
	} else {
		t.cindex[cp.Key] = len(t.checkpoints)
	}
	t.checkpoints = append(t.checkpoints, cp)
	cp.phaseKey = p.Key
	cp.Blocking = !cp.Advisory
	if cp.Origin == OriginDerived && cp.Source == "" && t.Source.Title != "" {
		cp.Source = "adapted from " + t.Source.Title
	}
	cp.unconfirmed = Issue{Phase: p.Key, Kind: IssueCheckpoint, Checkpoint: cp.Key, Message: p.Key + ": checkpoint '" + cp.Label + "' not confirmed"}
	if cp.Label == "" || cp.Text == "" {
		c.fail(p.Key, cp.Key, "label and text are required")
	}
	if cp.Origin != OriginSource && cp.Origin != OriginDerived {
		c.fail(p.Key, cp.Key, "origin must be %q or %q, not %q", OriginSource, OriginDerived, cp.Origin)
	}
	if cp.Origin == OriginDerived && cp.Note == "" {
		c.fail(p.Key, cp.Key, "a derived checkpoint needs a note saying what it is derived from")
	}
	if cp.Link != "" && !validURL(cp.Link) {
		c.fail(p.Key, cp.Key, "link %q is not an http(s) url", cp.Link)
	}
}

// compile checks that the constraints suit the type and fills defaults.
func (c *Constraints) compile(t QuestionType) error {
	if t != TypeNumber && (c.Unit != "" || c.Min != nil || c.Max != nil || c.Integer) {
		return fmt.Errorf("unit, min, max and integer are only for numbers")
	}
	if c.Min != nil && c.Max != nil && *c.Min > *c.Max {
		return fmt.Errorf("min %v is greater than max %v", *c.Min, *c.Max)
	}
	choice := t == TypeSingleChoice || t == TypeMultiChoice
	if choice && len(c.Choices) == 0 {
		return fmt.Errorf("a %s question needs choices", t)
	}
	if !choice && len(c.Choices) > 0 {
		return fmt.Errorf("choices are only for choice types")
	}
	for i, ch := range c.Choices {
		if ch.Value == "" {
			return fmt.Errorf("choice %d has no value", i+1)
		}
		if c.choiceIndex(ch.Value) != i {
			return fmt.Errorf("choice %q is listed twice", ch.Value)
		}
	}
	if c.Format != "" && t != TypeShortText {
		return fmt.Errorf("format is only for short text")
	}
	if !c.Format.known() {
		return fmt.Errorf("unknown format %q", c.Format)
	}
	text := t == TypeShortText || t == TypeLongText || t == TypeURL || t == TypeEmail
	if c.MaxLength != 0 && (!text || c.MaxLength < 0) {
		return fmt.Errorf("max_length is only for text, and positive")
	}
	if text && c.MaxLength == 0 {
		c.MaxLength = t.defaultMaxLength()
	}
	return nil
}

// validKey accepts the keys templates use: a lowercase letter, then
// lowercase letters, digits and underscores (and hyphens when hyphen).
// Dots are refused because form field names use them as separators.
func validKey(s string, hyphen bool) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || isDigit(c) || c == '_' || hyphen && c == '-') {
			return false
		}
	}
	return true
}

// validPhaseKey accepts phase keys such as "2.1".
func validPhaseKey(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || isDigit(c) || c == '.') {
			return false
		}
	}
	return true
}

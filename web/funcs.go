package web

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

func statusText(status int) string { return strconv.Itoa(status) }

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// inputType is the HTML input type for a question or column type.
func inputType(t string) string {
	switch t {
	case "email":
		return "email"
	case "url":
		return "url"
	case "date":
		return "date"
	}
	return "text"
}

func personType(part string) string {
	if part == "email" {
		return "email"
	}
	return "text"
}

func cellKey(row int, col string) string { return strconv.Itoa(row) + "." + col }

// cellMessageID is the id of the message under a table cell.
func cellMessageID(key string, row int, col string) string {
	return "cell-" + key + "-" + strconv.Itoa(row) + "-" + col
}

func cellName(key string, row int, col string) string {
	return key + "." + strconv.Itoa(row) + "." + col
}

func cellValue(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

func cellChoices(c Column) []Option {
	if c.Type == "yes_no" {
		return []Option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}
	}
	return c.Choices
}

// opVals is the hx-vals JSON of a table row operation.
func opVals(op string) string {
	// Row operations name question keys and row numbers (letters, digits,
	// '_' and ':'), which need no escaping in JSON: skip the encoder, which
	// showed in profiles of table-heavy pages.
	if !strings.ContainsAny(op, "\"\\<>&") && isPrintableASCII(op) {
		return `{"_op":"` + op + `"}`
	}
	b, _ := json.Marshal(map[string]string{"_op": op})
	return string(b)
}

func isPrintableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// versionVals is the hx-vals JSON that saves over someone else's version.
func versionVals(name string, version int) string {
	b, _ := json.Marshal(map[string]string{name: strconv.Itoa(version)})
	return string(b)
}

// stateOf names a save state for scripts and styles.
func stateOf(failed, conflict bool) string {
	switch {
	case conflict:
		return "conflict"
	case failed:
		return "error"
	}
	return "ok"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// JoinWords joins "a", "b" and "c" as "a, b and c".
func JoinWords(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// locksAgainText says which later phases reopening one locks.
func locksAgainText(keys []string) string {
	if len(keys) == 1 {
		return "Phase " + keys[0] + " locks again until this phase is approved again, with its answers and approval kept."
	}
	return "Phases " + JoinWords(keys) + " lock again until this phase is approved again, with their answers and approvals kept."
}

func moreText(some bool) string {
	if some {
		return "more"
	}
	return "the recommendation"
}

// questionClass is a question block's class list.
func questionClass(q QuestionView) string {
	c := "question q-" + q.Type
	if q.Error != "" || len(q.Cells) > 0 {
		c += " has-error"
	}
	return c
}

// checkpointClass is a checkpoint block's class list.
func checkpointClass(c CheckpointView) string {
	s := "checkpoint"
	if c.Confirmed {
		s += " confirmed"
	}
	if c.Error != "" {
		s += " has-error"
	}
	return s
}

// plural writes a count with its noun: "1 person", "3 people".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// listSep is what goes before item i (counted from 0) of a list of n
// joined by word: "a, b or c".
func listSep(i, n int, word string) string {
	switch {
	case i == 0:
		return ""
	case i == n-1:
		return " " + word + " "
	}
	return ", "
}

// listEnd is what follows item i of a list of n: end after the last.
func listEnd(i, n int, end string) string {
	if i == n-1 {
		return end
	}
	return ""
}

// hasExact reports whether any fact was rounded for display.
func hasExact(facts []Fact) bool {
	for _, f := range facts {
		if f.Exact != "" && f.Exact != f.Value {
			return true
		}
	}
	return false
}

// ariaInvalid marks a field refused: aria-invalid="true" when bad, nothing
// otherwise (a bare aria-invalid, with no value, means false).
func ariaInvalid(bad bool) templ.Attributes {
	if bad {
		return templ.Attributes{"aria-invalid": "true"}
	}
	return nil
}

// briefID is the id of the sizing panel in brief: in the side column, or
// inline after the phase's last sizing question.
func briefID(inline bool) string {
	if inline {
		return "sizing-brief-inline"
	}
	return "sizing-brief"
}

// lastSizingQuestion is the key of the phase's last question the sizing
// follows ("" for none): the brief comes after it on narrow screens.
func (v PhaseView) lastSizingQuestion() string {
	last := ""
	for _, q := range v.Questions {
		if q.Sizing {
			last = q.Key
		}
	}
	return last
}

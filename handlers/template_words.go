package handlers

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"groundwork/assessment"
)

// The words a template page uses for question types, limits and conditions.

// tplTypeLabel names a question type in words.
func tplTypeLabel(t assessment.QuestionType, integer bool) string {
	switch t {
	case assessment.TypeShortText:
		return "Short text"
	case assessment.TypeLongText:
		return "Long text"
	case assessment.TypeURL:
		return "Web address"
	case assessment.TypeEmail:
		return "E-mail address"
	case assessment.TypeNumber:
		if integer {
			return "Whole number"
		}
		return "Number"
	case assessment.TypeYesNo:
		return "Yes or no"
	case assessment.TypeSingleChoice:
		return "One choice"
	case assessment.TypeMultiChoice:
		return "Several choices"
	case assessment.TypeDate:
		return "Date"
	case assessment.TypePerson:
		return "Person"
	case assessment.TypeTable:
		return "Table"
	}
	return string(t)
}

// tplConstraintFacts describes a question's or column's limits in words.
func tplConstraintFacts(t assessment.QuestionType, c *assessment.Constraints) []string {
	var facts []string
	if c.Unit != "" {
		facts = append(facts, "Unit: "+c.Unit)
	}
	switch {
	case c.Min != nil && c.Max != nil:
		facts = append(facts, "From "+tplNumber(*c.Min)+" to "+tplNumber(*c.Max))
	case c.Min != nil:
		facts = append(facts, "At least "+tplNumber(*c.Min))
	case c.Max != nil:
		facts = append(facts, "At most "+tplNumber(*c.Max))
	}
	if c.MaxLength > 0 && c.MaxLength != tplDefaultMaxLength[t] {
		facts = append(facts, "Up to "+tplPlural(c.MaxLength, "character", "characters"))
	}
	switch c.Format {
	case assessment.FormatDomain:
		facts = append(facts, "A domain name, such as hq.example.org")
	case assessment.FormatIP:
		facts = append(facts, "An IP address")
	case assessment.FormatPublicIP:
		facts = append(facts, "A public IP address")
	case assessment.FormatSentryDSN:
		facts = append(facts, "A Sentry DSN: https://KEY@HOST/PROJECT_ID")
	}
	return facts
}

// tplDefaultMaxLength mirrors the length limits the catalog applies when a
// template sets none: only a limit of the template's own is worth a mention.
var tplDefaultMaxLength = map[assessment.QuestionType]int{
	assessment.TypeShortText: 500, assessment.TypeLongText: 20000, assessment.TypeURL: 2048, assessment.TypeEmail: 254,
}

// tplConditionText puts one show-if condition in words, with the choice labels
// of the question it tests.
func tplConditionText(t *assessment.Template, c assessment.Condition) string {
	name, label := c.Question, func(v string) string { return v }
	if q, ok := t.Question(c.Question); ok {
		name = q.Label
		label = func(v string) string {
			for _, ch := range q.Choices {
				if ch.Value == v {
					return ch.Label
				}
			}
			switch {
			case q.Type == assessment.TypeYesNo && v == "yes":
				return "Yes"
			case q.Type == assessment.TypeYesNo && v == "no":
				return "No"
			}
			return v
		}
	}
	labels := func(vs []string) string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = label(v)
		}
		return strings.Join(out, " or ")
	}
	subject := "“" + name + "”"
	switch {
	case c.Equals != "":
		return subject + " is " + label(c.Equals)
	case c.NotEquals != "":
		return subject + " is not " + label(c.NotEquals)
	case len(c.In) > 0:
		return subject + " is " + labels(c.In)
	case len(c.NotIn) > 0:
		return subject + " is not " + labels(c.NotIn)
	case c.Includes != "":
		return subject + " includes " + label(c.Includes)
	case c.GT != nil:
		return subject + " is more than " + tplNumber(*c.GT)
	case c.GTE != nil:
		return subject + " is at least " + tplNumber(*c.GTE)
	case c.LT != nil:
		return subject + " is less than " + tplNumber(*c.LT)
	case c.LTE != nil:
		return subject + " is at most " + tplNumber(*c.LTE)
	}
	return subject + " is answered"
}

func tplChoiceLabels(choices []assessment.Choice) []string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = c.Label
	}
	return out
}

// tplNumber formats a limit: no trailing zeros, thousands separated.
func tplNumber(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if len(whole) > 4 {
		var b strings.Builder
		for i, d := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(d)
		}
		whole = b.String()
	}
	if hasFrac {
		return sign + whole + "." + frac
	}
	return sign + whole
}

func tplPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// tplSentence capitalises a rule message and ends it with a full stop.
func tplSentence(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	s = string(unicode.ToUpper(r)) + s[size:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func tplLowerFirst(facts []string) []string {
	for i, f := range facts {
		r, size := utf8.DecodeRuneInString(f)
		facts[i] = string(unicode.ToLower(r)) + f[size:]
	}
	return facts
}

// tplNormalise folds whitespace and case, to tell whether a guiding question
// says more than the prompt.
func tplNormalise(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

package web

import "sort"

// Form carries what a user typed and what was wrong with it, so a refused
// form comes back with every value kept and a message beside each field.
type Form struct {
	Values map[string]string
	Errors map[string]string
	// Order lists field names in page order, for the error summary.
	Order []string
}

// Value returns the typed value of a field.
func (f Form) Value(name string) string { return f.Values[name] }

// Error returns the message for a field, or "".
func (f Form) Error(name string) string { return f.Errors[name] }

// HasErrors reports whether any field has a message.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 }

// errorList returns the fields with messages in page order.
func (f Form) errorList() []string {
	var names []string
	seen := map[string]bool{}
	for _, n := range f.Order {
		if f.Errors[n] != "" {
			names = append(names, n)
			seen[n] = true
		}
	}
	var rest []string
	for n := range f.Errors {
		if !seen[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	return append(names, rest...)
}

// Field describes one input.
type Field struct {
	Name         string
	Label        string
	Hint         string
	Type         string // text, email, password, url, number...
	Autocomplete string
	Required     bool
	// Sometimes: required or not by what other fields hold (its hint
	// says when), so not marked "(optional)" either.
	Sometimes bool
	Width     string // "", "short": CSS width class
	// MaxChars, when set, counts the characters typed against it as the
	// limit nears (app.js, data-max-chars), before anything is sent.
	MaxChars int
}

// Option is one choice of a select or radio group.
type Option struct {
	Value, Label string
}

func fieldID(name string) string { return "f-" + name }

func hintID(name string) string { return "f-" + name + "-hint" }

func errorID(name string) string { return "f-" + name + "-error" }

// describedBy links an input to its hint and error message.
func describedBy(f Field, form Form) string {
	hint := ""
	if f.Hint != "" {
		hint = hintID(f.Name)
	}
	return withID(hint, errorID(f.Name), form.Error(f.Name) != "")
}

// withID adds id to a space-separated id list when ok.
func withID(ids, id string, ok bool) string {
	switch {
	case !ok:
		return ids
	case ids == "":
		return id
	}
	return ids + " " + id
}

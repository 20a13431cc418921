package web

import (
	"strconv"
	"strings"
	"time"
)

// The kinds of action item (ActionItem.Kind).
const (
	ActionCheckpoint    = "checkpoint"
	ActionRule          = "rule"
	ActionChangeRequest = "change_request"
)

// ActionItem is one item of an assessment's action list: an unmet
// checkpoint, a failed rule or an open change request, with the owner and
// due date managers set on it.
type ActionItem struct {
	Key        string // stable: "checkpoint:<key>", "rule:<phase>/<key>", "thread:<id>"
	Phase      string // the phase's key, "1.2"
	PhaseTitle string
	Kind       string // ActionCheckpoint, ActionRule or ActionChangeRequest
	Blocking   bool   // it keeps its phase from being complete
	What       string // the item in words
	Detail     string // more words: a checkpoint's text, who asked for a change; may be ""
	Href       string // where it is fixed
	Owner      string // free text: a person, a team, a hosting provider; "" for none
	Due        string // the due date, 2006-01-02; "" for none
	Overdue    bool   // due before today (UTC)
	SetBy      string // who set the owner and date last
	SetAt      Stamp

	// A refused save keeps what was typed in Owner and Due, and says why.
	OwnerError, DueError string
	// Saved is set on the item just saved, for the message beside it.
	Saved bool
}

// KindLabel names the kind of item in words.
func (a ActionItem) KindLabel() string {
	switch {
	case a.Kind == ActionCheckpoint && a.Blocking:
		return "Blocking checkpoint"
	case a.Kind == ActionCheckpoint:
		return "Advisory checkpoint"
	case a.Kind == ActionRule && a.Blocking:
		return "Failed rule (blocking)"
	case a.Kind == ActionRule:
		return "Failed rule (warning)"
	case a.Kind == ActionChangeRequest:
		return "Change request"
	}
	return a.Kind
}

// kindClass is the badge class of the kind of item.
func (a ActionItem) kindClass() string {
	switch {
	case a.Kind == ActionChangeRequest:
		return "danger"
	case a.Blocking:
		return "warn"
	}
	return ""
}

// DueText is the due date in words, "31 Mar 2027", or "".
func (a ActionItem) DueText() string {
	d, err := time.Parse(time.DateOnly, a.Due)
	if err != nil {
		return a.Due // as typed, when a refused save kept it
	}
	return FormatDate(d)
}

// Anchor is the item's id on the overview: its key, with every character
// that an id in a URL fragment or a CSS selector would need escaped
// replaced.
func (a ActionItem) Anchor() string {
	var b strings.Builder
	b.WriteString("a-")
	for _, r := range a.Key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteString("_")
		}
	}
	return b.String()
}

func (a ActionItem) ownerID() string { return "o-" + a.Anchor() }

func (a ActionItem) dueID() string { return "d-" + a.Anchor() }

// refused reports whether the item's last save was refused.
func (a ActionItem) refused() bool { return a.OwnerError != "" || a.DueError != "" }

// ActionsView is the action list on the overview.
type ActionsView struct {
	Items   []ActionItem
	CanEdit bool     // a program manager of the organisation: sets owners and dates
	Members []string // the organisation's people, suggested as owners
	Action  string   // where the forms post
	// Error says why a save was refused that no field is to blame for
	// (an item that is no longer on the list).
	Error string
	// Open names the phases whose items show without a click.
	Open map[string]bool
}

// ActionGroup is the action items of one phase.
type ActionGroup struct {
	Phase, Title string
	Items        []ActionItem
}

// Group returns the group of the phase's items.
func (v ActionsView) Group(phase string) ActionGroup {
	for _, g := range v.Groups() {
		if g.Phase == phase {
			return g
		}
	}
	return ActionGroup{Phase: phase}
}

// countsID is the id of the group's counts on the page.
func (g ActionGroup) countsID() string { return "ac-" + ActionItem{Key: g.Phase}.Anchor()[2:] }

// Groups splits the items by phase, in their order.
func (v ActionsView) Groups() []ActionGroup {
	var gs []ActionGroup
	for _, it := range v.Items {
		if len(gs) == 0 || gs[len(gs)-1].Phase != it.Phase {
			gs = append(gs, ActionGroup{Phase: it.Phase, Title: it.PhaseTitle})
		}
		gs[len(gs)-1].Items = append(gs[len(gs)-1].Items, it)
	}
	return gs
}

// Overdue counts the overdue items.
func (g ActionGroup) Overdue() int {
	return countItems(g.Items, func(a ActionItem) bool { return a.Overdue })
}

// Overdue counts the overdue items.
func (v ActionsView) Overdue() int {
	return countItems(v.Items, func(a ActionItem) bool { return a.Overdue })
}

// Unowned counts the items nobody owns.
func (v ActionsView) Unowned() int {
	return countItems(v.Items, func(a ActionItem) bool { return a.Owner == "" })
}

func countItems(items []ActionItem, f func(ActionItem) bool) int {
	n := 0
	for _, a := range items {
		if f(a) {
			n++
		}
	}
	return n
}

// actionSummary counts the items in words: how many, how many nobody
// owns, how many are overdue.
func actionSummary(items []ActionItem) string {
	v := ActionsView{Items: items}
	s := strconv.Itoa(len(items)) + " item" + pluralS(len(items)) + " to finish"
	if n := v.Unowned(); n > 0 {
		s += ", " + strconv.Itoa(n) + " without an owner"
	}
	if n := v.Overdue(); n > 0 {
		s += ", " + strconv.Itoa(n) + " overdue"
	}
	return s + "."
}

package web

import "time"

// AuditView is an audit trail page: one assessment's, or every event for
// administrators.
type AuditView struct {
	// AssessmentName and AssessmentHref name the assessment; both "" on
	// the administrators' page, which shows where each event happened.
	AssessmentName string
	AssessmentHref string
	// Filter holds the chosen filters (kind, person, phase, organisation,
	// from, to) and what is wrong with them.
	Filter Form
	Kinds  []Option
	People []Option
	Phases []Option // the assessment's page only
	Orgs   []Option // the administrators' page only
	// Filtered is true when any filter is set.
	Filtered  bool
	ClearHref string
	CSVHref   string
	Events    []AuditEvent
	// OlderHref leads to the next page of older events, NewestHref back to
	// the first; "" when there is none.
	OlderHref  string
	NewestHref string
}

// AuditEvent is one row of the audit trail, in words.
type AuditEvent struct {
	At        Stamp
	Who       string
	WhoEmail  string
	Kind      string // the kind of change, in words
	Where     string // the organisation, and the assessment (administrators' page)
	WhereHref string // the assessment, when there is one
	Item      string // what changed, in words ("" for nothing more precise)
	ItemHref  string
	Before    string
	NoBefore  bool // there was nothing before
	After     string
}

// isDate reports whether s is a date as a date box holds it (YYYY-MM-DD).
func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

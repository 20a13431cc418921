package web

import (
	"strconv"
	"time"
)

// Pager links the pages either side of one page of a list; an empty
// href means there is none that way.
type Pager struct {
	Page       int
	Prev, Next string
	First      string // page 1 of the same list, from a later page
}

// OptionGroup is a labelled group of choices (an optgroup).
type OptionGroup struct {
	Label   string
	Options []Option
}

// DashboardView is what the dashboard shows: the most recently active
// assessments and the first organisations, each saying whether more
// follow.
type DashboardView struct {
	Orgs            []OrgRow
	MoreOrgs        bool
	Assessments     []AssessmentRow
	MoreAssessments bool
	CanCreate       bool
	Admins          []Contact // whom to ask for an organisation, when there is none
}

// Contact is a person to write to.
type Contact struct{ Name, Email string }

// QueueView is the review queue: phases waiting, the longest first.
type QueueView struct {
	Rows []QueueRow
	// Filters and their current values.
	Org, Platform, Phase, Status, Search string
	Orgs, Platforms, Statuses            []Option
	Phases                               []OptionGroup
	// Filtered reports whether anything narrows the list (the empty list
	// then says so, with a link to clear them).
	Filtered bool
	Pager    Pager
}

// QueueRow is one waiting phase.
type QueueRow struct {
	Href       string // the phase's page
	Assessment string
	Phase      string // "1.1 System assessment and design"
	OrgName    string
	OrgHref    string
	Template   string // "CommCare HQ transition, version 1"
	Status     Status
	Since      Stamp
	Waited     string // "3 days"
	SentBack   bool   // sent back before: this is a resubmission
}

// PortfolioView is the portfolio of one template's assessments: a row per
// assessment, a column per phase.
type PortfolioView struct {
	Tabs       []Tab
	Template   string // the title of the template shown
	Versions   bool   // the template has several versions: rows say which
	Phases     []PhaseColumn
	Rows       []PortfolioRow
	Org        string
	Orgs       []Option
	TemplateID string
	Sort, Dir  string // the current order, for the filter form
	// Sortable headers, in the table's order.
	NameSort, OrgSort, ReadinessSort, ActivitySort SortLink
	Filtered                                       bool
	Pager                                          Pager
	CSVHref                                        string
}

// Tab is a link to one of a page's views.
type Tab struct {
	Text, Href string
	Current    bool
}

// PhaseColumn heads a portfolio column.
type PhaseColumn struct {
	Key, Title string
}

// SortLink is a sortable column's header link: following it sorts by the
// column (or reverses the order when it is already sorted by it).
type SortLink struct {
	// ID is the link's id; Href ends on it (#sort-name), so that after
	// sorting the page opens at the table's head and the next Tab goes on
	// from the link followed, not from the top of the page.
	ID   string
	Href string
	// Order is "ascending" or "descending" for the column the list is
	// sorted by (the header's aria-sort), else "".
	Order string
}

// PortfolioRow is one assessment of the portfolio.
type PortfolioRow struct {
	Href         string
	Name         string
	OrgName      string
	Version      int
	Cells        []HeatCell // one per PortfolioView.Phases
	Score        int
	LastActivity Stamp
}

// HeatCell is one phase's status in the portfolio. Missing marks a phase
// the assessment's template version does not have.
type HeatCell struct {
	Status  Status
	Missing bool
	Phase   string // its key
	Href    string // the assessment's phase page
}

// heatIcon is the shape that marks a status beside its colour and words.
func heatIcon(key string) string {
	switch key {
	case "approved":
		return "✓"
	case "complete":
		return "●"
	case "submitted":
		return "◷"
	case "changes_requested":
		return "✎"
	case "in_progress":
		return "◐"
	case "open":
		return "○"
	case "not_applicable":
		return "⊘"
	}
	return "◌" // locked
}

// Waited says how long ago t was, in round words: "5 minutes", "3 hours",
// "2 days".
func Waited(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return count(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		return count(int(d/time.Hour), "hour")
	}
	return count(int(d/(24*time.Hour)), "day")
}

func count(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

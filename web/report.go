package web

import (
	"strconv"

	"github.com/a-h/templ"
)

// ReportView is an assessment's readiness report: the cover, the
// executive summary, the sizing, each phase and the action list, laid out
// for paper as much as for the screen.
type ReportView struct {
	Name      string // the assessment
	OrgName   string
	Platform  string // "CommCare HQ"
	Template  string // "CommCare HQ transition, version 1"
	Generated Stamp  // when the report was made
	Date      string // the day it was made: "4 December 2026"
	Score     int    // overall readiness, percent
	SignOff   bool   // advisor sign-off is required for each phase
	// SignOffState says where the sign-off stands, in words.
	SignOffState string
	// Draft: not every required phase is approved yet.
	Draft bool

	Summary ReportSummary
	Sizing  *ReportSizing // nil: the template has no sizing
	Phases  []ReportPhase
	// Actions is the action list, when there is one to show.
	Actions templ.Component

	// Standalone is the document for headless Chromium's PDF: its CSS
	// inline, no script, no toolbar.
	Standalone bool
	CSS        string // the inlined stylesheets, when Standalone
	BaseHref   string // the portal's address, for the standalone <base>
	Base       string // the assessment's address
	Exports    []Link // checkpoints.csv, ...
	PDF        PDFDownload
}

// ReportSummary is the executive summary.
type ReportSummary struct {
	Chart    BarChart
	Rows     []ReportPhaseRow // the chart as a table
	Approved int
	Pending  int
	Blocked  int
	NA       int // not applicable (waived)
	// Blockers are the top blockers in words, with their phase.
	Blockers []string
	// MoreBlockers counts the blockers not listed.
	MoreBlockers int
}

// ReportPhaseRow is one phase in the summary's table.
type ReportPhaseRow struct {
	Key, Title string
	Status     Status
	Score      int
	Optional   bool
}

// ReportSizing is the sizing section: the recommendation with its inputs
// and formulas, the hardware planned and how it compares, and charts.
type ReportSizing struct {
	Panel   *SizingView  // the recommendation, as the phase panel shows it
	Inputs  []AnswerView // the answers the recommendation comes from
	Planned *AnswerView  // the servers entered for procurement; nil: none yet
	Charts  []BarChart
	// ChartNote says what the charts show.
	ChartNote string
}

// ReportPhase is one phase of the report.
type ReportPhase struct {
	Key, Title  string
	Optional    bool
	Status      Status
	Progress    Progress
	WaiveReason string
	Answers     []AnswerView
	Checkpoints []CheckpointReadout
	Decisions   []DecisionView // oldest first
	Approval    *DecisionView  // the sign-off, while approved
	Threads     []ThreadView
	Blockers    []string
}

// Anchor is the phase's id in the report.
func (p ReportPhase) Anchor() string { return "phase-" + p.Key }

func percent(n int) string { return strconv.Itoa(n) + "%" }

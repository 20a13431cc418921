package web

import (
	"strconv"
	"strings"
	"unicode"
)

// AssessmentRow is an assessment as lists and the dashboard show it.
type AssessmentRow struct {
	ID           int64
	Name         string
	OrgName      string
	Template     string // "CommCare HQ transition, version 1"
	Score        int
	Current      string // "1.2 System sizing", or "" when nothing is open
	CurrentHref  string
	Waiting      string // who the work waits on, in words
	LastActivity Stamp
	LastBy       string
	// Archived says when and by whom it was archived ("" while in use):
	// nothing waits on anyone then.
	Archived string
}

// Href is the assessment's overview page.
func (a AssessmentRow) Href() string { return "/assessments/" + strconv.FormatInt(a.ID, 10) }

// TemplateChoice is a template a manager can start an assessment with.
type TemplateChoice struct {
	Value       string // "id@version"
	Title       string
	Description string
	Phases      int
}

// AssessmentsView is the list of assessments with the form to start one.
type AssessmentsView struct {
	Assessments []AssessmentRow
	CanCreate   bool
	Templates   []TemplateChoice
	// TemplatesFor names the platform the templates offered are for, when
	// the organisation moves one only.
	TemplatesFor string
	Form         Form
	Pager        Pager
	// Archived lists the archived assessments instead of those in use.
	Archived bool
}

// Link is a titled address.
type Link struct {
	Text, Href string
}

// Status is a phase status for display.
type Status struct {
	Key   string // locked, open, in_progress, ...
	Label string // "In progress"
	Class string // badge class
}

// Progress counts what a phase has and still needs.
type Progress struct {
	Required, Answered, Checkpoints, Confirmed, Score int
}

// PhaseStep is one phase in the overview's stepper.
type PhaseStep struct {
	Key      string
	Title    string
	Optional bool
	Status   Status
	Progress Progress
	Href     string
	Current  bool
	// Blockers of the next phase to open: why it is locked, each linking
	// to the field that causes it.
	Blockers []Link
	// OpensAfter is, for a later locked phase, the phase it waits for.
	OpensAfter *Link
}

// OverviewView is an assessment's overview page.
type OverviewView struct {
	ID            int64
	Name          string
	OrgName       string
	OrgSlug       string
	TemplateTitle string
	TemplateHref  string
	SignOff       bool
	Score         int
	CanEdit       bool
	LastActivity  Stamp
	LastBy        string
	Steps         []PhaseStep
	Current       *Link
	ExportHref    string
	Actions       ActionsView
	PDF           PDFDownload
	// Rename is the rename form (program managers): the name, or what was
	// typed and why it was refused.
	Rename Form
	// CanArchive offers Archive, or Restore while Archived says when and by
	// whom it was archived ("" while in use).
	CanArchive bool
	Archived   string
}

// Base returns the overview's address.
func (o OverviewView) Base() string { return "/assessments/" + strconv.FormatInt(o.ID, 10) }

// Conflict shows a save refused because somebody else saved first.
type Conflict struct {
	Theirs  string // their value, in words
	Yours   string // the refused value, in words
	By, At  string
	Mine    bool // saved by the same person, in another window or tab
	Version int  // their version: saving again over it uses this
}

// Column is one column of a table question.
type Column struct {
	Key     string
	Label   string
	Type    string
	Choices []Option
	Unit    string
}

// QuestionView is one question of a phase page with its current or typed
// value.
type QuestionView struct {
	Key      string
	Label    string
	Prompt   string
	Guide    string
	Help     string
	HelpURL  string
	Type     string
	Required bool
	Hidden   bool // its show_if conditions do not hold
	ReadOnly bool
	// Closed: the save was refused for good (the assessment was archived
	// meanwhile); what was typed stays in the field only until the page is
	// left.
	Closed   bool
	Unit     string
	Range    string // "at least 1", "0 to 100"...
	Choices  []Option
	Columns  []Column
	MinRows  int
	MaxChars int // a text's limit, in characters

	// The value as typed or stored, by input: Text for scalars, Checked
	// for multiple choice, Person (name, job function, e-mail), Rows (one
	// cell per column) for tables.
	Text    string
	Checked map[string]bool
	Person  [3]string
	Rows    [][]string

	Version  int
	Error    string            // the answer's message
	Cells    map[string]string // messages of table cells, keyed "row.column" (row from 0)
	Conflict *Conflict
	Saved    *SavedState
	History  int // number of changes kept
	Sizing   bool
	SaveURL  string
	HistURL  string
	NewRow   int // row to focus after adding one; -1 none
	Removed  *RemovedRow
	// DescribedBy lists the ids of the hint and the save state, for the
	// inputs' aria-describedby.
	DescribedBy string
	// Rules are the messages of the phase's rules that fail on this
	// answer, shown under it (also in the list of what the phase lacks).
	Rules []RuleNote
}

// RuleNote is a failing rule's message beside its question: a blocking
// rule keeps the phase from completing, a warning does not.
type RuleNote struct {
	Text     string
	Blocking bool
}

// RemovedRow is the row a "Remove" just took out of a table, which its
// "Undo" puts back.
type RemovedRow struct {
	At      int      // its index
	Cells   []string // its cells, by column
	Summary string   // its non-empty cells in words: "CHW app, 42, 1,200"
}

// UndoField names the hidden field that carries cell col of the row just
// removed from table key, for its undo ("insert:KEY:ROW").
func UndoField(key, col string) string { return "_row." + key + "." + col }

// SavedState says who saved an item last and when.
type SavedState struct {
	By   string
	At   string // RFC 3339, for <time datetime>
	Time string // "3 Dec 2026, 14:03 UTC"
	Just bool   // saved by this request
}

// EvidenceView is an evidence file.
type EvidenceView struct {
	ID         int64
	Filename   string
	Size       string
	Href       string
	DeleteURL  string
	UploadedBy string
	UploadedAt string
}

// CheckpointView is one checkpoint of a phase page.
type CheckpointView struct {
	Key         string
	Text        string
	Link        string
	Blocking    bool
	Derived     bool
	Source      string // short provenance of a derived checkpoint
	Confirmed   bool
	EvidenceURL string
	Note        string // how it was done
	NoteInvalid bool   // Error is about the note
	LinkInvalid bool   // Error is about the evidence link
	Version     int
	Evidence    []EvidenceView
	Error       string
	FileError   string
	// FileLimit is the largest evidence file, in bytes, and FileTooLarge
	// the message for a larger one: the page refuses it before sending.
	FileLimit    int64
	FileTooLarge string
	Conflict     *Conflict
	Saved        *SavedState
	ReadOnly     bool
	SaveURL      string
	UploadURL    string
	History      int
	HistURL      string
}

// EvidenceProblem starts the line of the page's problem summary about a
// refused evidence file; the page drops that line when another file is
// chosen.
const EvidenceProblem = "Evidence file: "

// SizingView is the inline sizing panel.
type SizingView struct {
	Heading string
	Intro   string
	Missing []string
	Facts   []Fact // the recommendation
	// Brief is the recommendation in a few words, beside the questions
	// on wide screens (SizingBrief), in view while its inputs are typed.
	Brief []Fact
	Steps []Fact // formulas, each part shown
	// Why says why the servers are what they are (the stage's rule),
	// before the formulas.
	Why      []string
	Warnings []string
	OK       string // "The servers entered meet the recommendation."
	Note     string
	// Explain says how the figures relate and which one procurement
	// is checked against.
	Explain string
	Link    Link
}

// Fact is a labelled value. Exact, when set, is the value unrounded,
// shown on demand (a tooltip and the calculation's details).
type Fact struct {
	Label, Value string
	Exact        string
	// Lines, when set, are shown one to a line in place of Value (which
	// joins them, for text).
	Lines []string
}

// PhaseView is a phase page.
type PhaseView struct {
	AssessmentID   int64
	AssessmentName string
	// Archived says when and by whom the assessment was archived (it is
	// then read only); "" while in use.
	Archived    string
	Key         string
	Title       string
	Intro       string
	Optional    bool
	Guidance    string
	Links       []Link
	Status      Status
	Progress    Progress
	Locked      bool
	Waived      bool
	WaiveReason string
	ReadOnly    bool
	CanEdit     bool
	CanReview   bool
	CanSubmit   bool
	Blockers    []Link
	// OpensAfter is, for a locked phase other than the next to open, the
	// phase it waits for; its blockers are then not listed.
	OpensAfter  *Link
	Warnings    []Link
	ReviewState string
	Questions   []QuestionView
	Checkpoints []CheckpointView
	// Answers and Readout are the questions and checkpoints as a reader
	// sees them, for a page that is read only.
	Answers []AnswerView
	Readout []CheckpointReadout
	// Review is the phase's decisions, sign-offs and changes since the
	// last review.
	Review     ReviewView
	Sizing     *SizingView
	Prev, Next *Link
	// Phases are every phase of the assessment, for the navigation that
	// stays in view on wide screens; Current marks this one.
	Phases   []PhaseStep
	Problems []Link // what a refused full save could not take, linking to each field
	// ActionRefused says the problems are of an action (submit, review,
	// waiver), not of a save of the answers.
	ActionRefused bool
	Form          Form           // errors of the review and waiver forms
	Reason        string         // a waiver reason as typed
	CommentDraft  string         // an advisor's comment as typed
	Discussion    DiscussionView // comment threads and change requests
}

// Base returns the phase page's address.
func (p PhaseView) Base() string {
	return "/assessments/" + strconv.FormatInt(p.AssessmentID, 10) + "/phases/" + p.Key
}

// AssessmentHref returns the overview's address.
func (p PhaseView) AssessmentHref() string {
	return "/assessments/" + strconv.FormatInt(p.AssessmentID, 10)
}

// HistoryView is the history of one item.
type HistoryView struct {
	AssessmentName string
	AssessmentHref string
	PhaseTitle     string
	PhaseHref      string
	Item           string
	// First is what the first change's Before says: "(first answer)".
	First   string
	Changes []ChangeView
}

// ChangeView is one change.
type ChangeView struct {
	Version int
	Old     string
	New     string
	By, At  string
	AtISO   string // At in RFC 3339, for <time datetime>
	First   bool
}

// SubmitState is what PhaseSubmit offers.
type SubmitState int

// The states of PhaseSubmit.
const (
	SubmitNotYet  SubmitState = iota // incomplete: what is needed first
	SubmitReady                      // complete: the button
	SubmitWaiting                    // submitted: waiting for the advisor
)

// SubmitStateOf is the state for a phase that can be submitted (ready) or
// is (submitted).
func SubmitStateOf(ready, submitted bool) SubmitState {
	switch {
	case submitted:
		return SubmitWaiting
	case ready:
		return SubmitReady
	}
	return SubmitNotYet
}

// hereSplit splits a checkpoint's text around the last whole word "here"
// when it has a link for it.
func hereSplit(text, link string) (before, after string, ok bool) {
	i := strings.LastIndex(text, " here")
	if link == "" || i < 0 {
		return "", "", false
	}
	end := i + len(" here")
	if end < len(text) && (unicode.IsLetter(rune(text[end])) || unicode.IsDigit(rune(text[end]))) {
		return "", "", false // "where", "heres" …
	}
	return text[:i+1], text[end:], true
}

// faultyField names the one field of a checkpoint its Error is about, for
// the page to mark that field alone (app.js, markStates); "" when the
// error is not about one field.
func faultyField(c CheckpointView) string {
	switch {
	case c.LinkInvalid:
		return "cu." + c.Key
	case c.NoteInvalid:
		return "cn." + c.Key
	}
	return ""
}

package web

import "strconv"

// AnswerView is an answer as a reader sees it: in words, a list, or a
// table.
type AnswerView struct {
	Key     string
	Prompt  string
	Help    string // the question's help, as the form shows it
	HelpURL string
	Text    string     // the answer in words; "" when unanswered (and no List or Table)
	Href    string     // a link answer's address
	Long    bool       // long text: its line breaks are kept
	List    []string   // the choices of a multiple choice
	Table   *TableView // a table answer
	Marked  bool       // the advisor marked it as needing change
	// Changed says the answer changed since the last review.
	Changed bool
	Saved   *SavedState
	History int
	HistURL string
}

// Answered reports whether there is an answer to show.
func (a AnswerView) Answered() bool { return a.Text != "" || len(a.List) > 0 || a.Table != nil }

// TableView is a table answer: one cell per column in each row, numbers
// grouped and choices by their labels.
type TableView struct {
	Columns []TableColumn
	Rows    [][]string
}

// TableColumn is a column of a table answer.
type TableColumn struct {
	Label   string
	Numeric bool
}

// FileView is an evidence file as a reader sees it.
type FileView struct {
	Filename   string
	Size       string
	Href       string // download; "" when the file is no longer stored
	SHA256     string
	UploadedBy string
	UploadedAt Stamp
}

// CheckpointReadout is a checkpoint as a reader sees it: whether it is
// confirmed, by whom and when, and its evidence.
type CheckpointReadout struct {
	Key         string
	Text        string
	Link        string
	Blocking    bool
	Source      string // where a derived checkpoint comes from
	Confirmed   bool
	By          string
	At          Stamp
	EvidenceURL string
	Note        string // how it was done
	Files       []FileView
	Changed     bool // since the last review
	History     int
	HistURL     string
}

// ChangeRow is one difference since the last review.
type ChangeRow struct {
	What     string // the question or checkpoint
	Href     string // to the item on the page
	Kind     string // "Added", "Changed", "Removed"
	Old, New string
}

// ChangesView is what changed since the last review.
type ChangesView struct {
	Since string // "the request for changes by Ada Advisor"
	At    Stamp
	Rows  []ChangeRow
}

// DecisionView is one decision on a phase: a submission, a review, a
// reopening.
type DecisionView struct {
	Action    string // submitted, approved, changes_requested, reopened
	Label     string // "Approved"
	Revision  int
	Reason    string
	Questions []Link // the questions marked, linking to them
	By        string
	At        Stamp
	Href      string // the revision's sign-off page, for approvals
	Digest    string // hex, for approvals
	// Outgrown: an approval that no longer covers what the phase asks,
	// since answers in earlier phases made more of it required.
	Outgrown bool
}

// RevisionLink is one revision of a phase in its list.
type RevisionLink struct {
	N        int
	Href     string
	Current  bool
	Approval *DecisionView // nil until signed off
}

// ReviewView is a phase's review: its decisions, its sign-offs and what
// changed since the last review.
type ReviewView struct {
	Revision int
	// Decisions are every decision on the phase, newest first.
	Decisions []DecisionView
	Revisions []RevisionLink // newest first
	// ChangeRequest is the request for changes the phase is under, or nil.
	ChangeRequest *DecisionView
	// Approval is the sign-off of the phase, while it is approved.
	Approval *DecisionView
	// Reopened is why the current revision was started, until it is
	// approved.
	Reopened *DecisionView
	Changes  *ChangesView
	// CanReopen: the phase is approved and the user may reopen it.
	CanReopen bool
	// LocksAgain are the later phases that reopening this one locks until
	// it is approved again (their keys).
	LocksAgain []string
	// Markable are the questions the advisor may mark as needing change.
	Markable []Option
	// Typed back after a refused decision or reopening.
	MarkedDraft map[string]bool
	ReopenDraft string
}

// RevisionView is the sign-off page of one revision of a phase.
type RevisionView struct {
	AssessmentName string
	AssessmentHref string
	PhaseKey       string
	PhaseTitle     string
	PhaseHref      string
	N              int
	Current        bool
	Approval       *DecisionView
	Decisions      []DecisionView // of this revision, oldest first
	Answers        []AnswerView
	Checkpoints    []CheckpointReadout
	Canonical      string // the stored snapshot
	Unreadable     bool   // the stored snapshot does not decode
	// Verified is set once the digest was recomputed: Intact says
	// whether it matched, Recomputed is what it came to.
	Verified   bool
	Intact     bool
	Problem    string
	Recomputed string
}

// Href is the revision page's address.
func (r RevisionView) Href() string { return r.PhaseHref + "/revisions/" + strconv.Itoa(r.N) }

// shortDigest is the start of a hex digest, enough to tell sign-offs apart.
func shortDigest(hex string) string {
	if len(hex) > 16 {
		return hex[:16] + "…"
	}
	return hex
}

// changeClass is the badge class of a kind of change.
func changeClass(kind string) string {
	switch kind {
	case "Added":
		return "ok"
	case "Removed":
		return "danger"
	}
	return "warn"
}

// decisionClass is the badge class of a decision.
func decisionClass(action string) string {
	switch action {
	case "approved":
		return "ok"
	case "changes_requested":
		return "danger"
	case "submitted":
		return "warn"
	}
	return "info"
}

// byWord is "by Name, " before a time, or nothing.
func byWord(by string) string {
	if by == "" {
		return ""
	}
	return "by " + by + ", "
}

// requestOpen reports whether the change request that decision r made is
// still an open thread, which the page shows whole at its top.
func (v PhaseView) requestOpen(r *DecisionView) bool {
	for _, t := range v.Discussion.Requests {
		if f := t.First(); f.Author == r.By && f.Text == r.Reason {
			return true
		}
	}
	return false
}

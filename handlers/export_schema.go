package handlers

import (
	"encoding/json"
	"time"

	"groundwork/assessment"
	"groundwork/store"
)

// The export's JSON schema: what /assessments/{id}/export.json promises to
// the tools that read it. Field order is output order; keep both, and the
// golden file in testdata, unchanged unless the schema is meant to change.

// exportFormat names the document's shape; an import reads only this one.
const exportFormat = "groundwork-assessment-export/1"

// exportAssessment is the whole document: one assessment.
type exportAssessment struct {
	// Format is exportFormat.
	Format       string             `json:"format"`
	ID           int64              `json:"id"`
	Name         string             `json:"name"`
	Organisation exportOrganisation `json:"organisation"`
	Template     exportTemplate     `json:"template"`
	// SignOff says whether each phase needs an advisor's approval.
	SignOff bool `json:"sign_off"`
	// Readiness is the overall score, 0 to 100.
	Readiness int       `json:"readiness"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// ArchivedAt is when the assessment was archived, by ArchivedBy (a
	// name of People); both absent unless it is archived. An import of
	// an archived assessment is archived too.
	ArchivedAt *time.Time `json:"archived_at,omitempty"`
	ArchivedBy string     `json:"archived_by,omitempty"`
	ExportedAt time.Time  `json:"exported_at"`
	// People are everyone the export names (by, updated_by, uploaded_by,
	// author, resolved_by), with their e-mail address, by name: an import
	// matches them to its own accounts by e-mail.
	People []exportPerson `json:"people"`
	Phases []exportPhase  `json:"phases"`
	// Actions are the owners and due dates set on the action list's items,
	// by item key: "checkpoint:<checkpoint key>", "rule:<phase>/<rule>" or
	// "thread:<thread id>" (a thread's id as in phases[].threads[].id).
	// Absent from exports made before they were included.
	Actions []exportAction `json:"actions"`
}

// exportAction is what was set on one item of the action list: its owner
// (free text) and due date ("2027-03-31"), either of which may be empty.
type exportAction struct {
	Item      string    `json:"item"`
	Owner     string    `json:"owner,omitempty"`
	Due       string    `json:"due,omitempty"`
	UpdatedBy string    `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// exportPerson is someone the export names.
type exportPerson struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// exportOrganisation names the organisation the assessment belongs to.
type exportOrganisation struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// exportTemplate names the template, and its version, the assessment
// follows.
type exportTemplate struct {
	ID       string              `json:"id"`
	Platform assessment.Platform `json:"platform"`
	Title    string              `json:"title"`
	Version  int                 `json:"version"`
}

// exportPhase is one phase: its status and score, what blocks it, its
// answers and checkpoints.
type exportPhase struct {
	Key      string            `json:"key"`
	Title    string            `json:"title"`
	Optional bool              `json:"optional"`
	Status   assessment.Status `json:"status"`
	Score    int               `json:"score"`
	// Required and Answered count the required questions shown.
	Required int `json:"required"`
	Answered int `json:"answered"`
	// BlockingCheckpoints counts the blocking checkpoints shown,
	// ConfirmedCheckpoints those of them confirmed.
	BlockingCheckpoints  int `json:"checkpoints_blocking"`
	ConfirmedCheckpoints int `json:"checkpoints_confirmed"`
	// Review is absent until the phase is submitted or waived.
	Review *exportReview `json:"review,omitempty"`
	// Decisions are every submission, review decision and reopening of
	// the phase, oldest first: they are kept for good.
	Decisions   []exportDecision    `json:"decisions"`
	Blockers    []*assessment.Issue `json:"blockers"`
	Warnings    []*assessment.Issue `json:"warnings"`
	Answers     []exportAnswer      `json:"answers"`
	Checkpoints []exportCheckpoint  `json:"checkpoints"`
	// Threads are the phase's comment threads and change requests, oldest
	// first, resolved ones included.
	Threads []exportThread `json:"threads"`
}

// exportReview is a phase's review or waiver, and who made it when.
// Revision counts the phase's sign-offs: reopening an approved phase
// starts the next.
type exportReview struct {
	At       time.Time              `json:"at"`
	By       string                 `json:"by"`
	Comment  string                 `json:"comment"`
	Reason   string                 `json:"reason"`
	Revision int                    `json:"revision"`
	State    assessment.ReviewState `json:"state"`
	Waived   bool                   `json:"waived"`
}

// exportDecision is one decision on a phase. Action is "submitted",
// "approved", "changes_requested" or "reopened"; Questions are the keys of
// the questions marked as needing change. An approval or a request for
// changes carries the snapshot it was made on, as a string holding its
// canonical JSON (see store.Snapshot), and SHA256, the hex digest of that
// string's UTF-8 bytes, which an approval signs off.
type exportDecision struct {
	Revision  int                  `json:"revision"`
	Action    store.DecisionAction `json:"action"`
	Reason    string               `json:"reason"`
	Questions []string             `json:"questions"`
	By        string               `json:"by"`
	At        time.Time            `json:"at"`
	Snapshot  string               `json:"snapshot,omitempty"`
	SHA256    string               `json:"sha256,omitempty"`
}

// exportAnswer is one question and its answer; Value is null when
// unanswered, else the answer in the question type's JSON form.
type exportAnswer struct {
	Question  string          `json:"question"`
	Label     string          `json:"label"`
	Type      string          `json:"type"`
	State     string          `json:"state"`
	Value     json.RawMessage `json:"value"`
	Version   int             `json:"version"`
	UpdatedBy string          `json:"updated_by,omitempty"`
	UpdatedAt *time.Time      `json:"updated_at,omitempty"`
	History   int             `json:"history_count"`
}

// exportCheckpoint is one checkpoint, whether it is confirmed, and the
// evidence uploaded for it.
type exportCheckpoint struct {
	Key         string           `json:"key"`
	Text        string           `json:"text"`
	Blocking    bool             `json:"blocking"`
	Confirmed   bool             `json:"confirmed"`
	EvidenceURL string           `json:"evidence_url,omitempty"`
	Note        string           `json:"note,omitempty"` // how it was done
	Version     int              `json:"version"`
	UpdatedBy   string           `json:"updated_by,omitempty"`
	UpdatedAt   *time.Time       `json:"updated_at,omitempty"`
	History     int              `json:"history_count"`
	Evidence    []exportEvidence `json:"evidence"`
}

// exportEvidence describes one uploaded file; URL downloads it (for a
// signed-in reader of the assessment).
type exportEvidence struct {
	ID          int64     `json:"id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
	URL         string    `json:"url"`
	// SHA256 is the content's digest, lower-case hex; File is where the
	// content lives inside the evidence pack (evidence.zip).
	SHA256 string `json:"sha256"`
	File   string `json:"file"`
}

// exportThread is a comment thread: on the phase, or on one question, or a
// request for changes (its first comment is the reason) marking questions.
type exportThread struct {
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"` // "comment" or "change_request"
	Question   string          `json:"question,omitempty"`
	Marked     []string        `json:"questions_marked,omitempty"`
	Resolved   bool            `json:"resolved"`
	ResolvedBy string          `json:"resolved_by,omitempty"`
	ResolvedAt *time.Time      `json:"resolved_at,omitempty"`
	Comments   []exportComment `json:"comments"`
}

// exportComment is one comment of a thread, with the earlier texts of an
// edited one.
type exportComment struct {
	ID        int64                  `json:"id"`
	Author    string                 `json:"author"`
	Body      string                 `json:"body"`
	CreatedAt time.Time              `json:"created_at"`
	EditedAt  *time.Time             `json:"edited_at,omitempty"`
	Previous  []exportCommentVersion `json:"previous_versions,omitempty"`
}

// exportCommentVersion is a text an edit replaced.
type exportCommentVersion struct {
	Body       string    `json:"body"`
	ReplacedAt time.Time `json:"replaced_at"`
}

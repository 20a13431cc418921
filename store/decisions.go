package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DecisionAction is what a phase decision did.
type DecisionAction string

// The decisions kept for every phase.
const (
	ActionSubmitted        DecisionAction = "submitted"
	ActionApproved         DecisionAction = "approved"
	ActionChangesRequested DecisionAction = "changes_requested"
	ActionReopened         DecisionAction = "reopened"
)

// PhaseDecision is one submission, review decision or reopening of a
// phase, kept for good. Approvals and requests for changes carry the
// snapshot the decision was made on (canonical JSON, see Snapshot) and its
// SHA-256 digest.
type PhaseDecision struct {
	ID        int64
	Phase     string
	Revision  int
	Action    DecisionAction
	Reason    string   // what to change, why it was reopened, or a note on an approval
	Questions []string // keys of the questions marked as needing change
	By        string   // who decided, by their name now (the snapshot keeps the name then)
	At        time.Time
	Snapshot  []byte
	Digest    []byte
}

// ErrNoSnapshot is returned when verifying a decision that froze nothing.
var ErrNoSnapshot = errors.New("store: this decision has no snapshot")

// Verify recomputes the decision's digest from its stored snapshot: nil
// when intact (see VerifySnapshot).
func (d PhaseDecision) Verify() error {
	if d.Snapshot == nil {
		return ErrNoSnapshot
	}
	return VerifySnapshot(d.Snapshot, d.Digest)
}

// decisionsOf selects the decisions on a phase ($3; "" for every phase)
// of the assessment $2 that the actor $1 may see, oldest first.
var decisionsOf = `
	SELECT d.id, d.phase_key, d.revision, d.action, d.reason, d.questions, ` + nameOf("d.decided_by") + `, d.decided_at, d.snapshot, d.digest
	FROM phase_decisions d JOIN assessments a ON a.id = d.assessment_id
	WHERE d.assessment_id = $2 AND ($3 = '' OR d.phase_key = $3) AND ` + canSeeOrg("$1", "a.organisation_id") + `
	ORDER BY d.id`

// PhaseDecisions lists the decisions on a phase of an assessment the
// actor may see, oldest first; phase "" lists those of every phase.
func (s *Store) PhaseDecisions(ctx context.Context, actorID, id int64, phase string) ([]PhaseDecision, error) {
	rows, err := s.pool.Query(ctx, decisionsOf, actorID, id, phase)
	if err != nil {
		return nil, fmt.Errorf("store: decisions of %d: %w", id, err)
	}
	list, err := collectDecisions(rows)
	if err != nil {
		return nil, fmt.Errorf("store: decisions of %d: %w", id, err)
	}
	return list, nil
}

// collectDecisions reads decisionsOf's rows.
func collectDecisions(rows pgx.Rows) ([]PhaseDecision, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (PhaseDecision, error) {
		var d PhaseDecision
		var snapshot *string
		err := r.Scan(&d.ID, &d.Phase, &d.Revision, &d.Action, &d.Reason, &d.Questions, &d.By, &d.At, &snapshot, &d.Digest)
		if snapshot != nil {
			d.Snapshot = []byte(*snapshot)
		}
		return d, err
	})
}

// decide queues a decision on the phase, in the revision given; a
// snapshot, when given, is stored with its digest, which it returns.
func (e *edit) decide(phase string, revision int, action DecisionAction, reason string, questions []string, at time.Time, snap *Snapshot) []byte {
	if questions == nil {
		questions = []string{}
	}
	var text *string
	var digest []byte
	if snap != nil {
		data := snap.Canonical()
		sum := sha256.Sum256(data)
		s := string(data)
		text, digest = &s, sum[:]
	}
	e.queue(`INSERT INTO phase_decisions (assessment_id, phase_key, revision, action, reason, questions, snapshot, digest, decided_by, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		e.st.ID, phase, revision, action, reason, questions, text, digest, e.actor, at)
	return digest
}

// actorName reads the name of the person making the edit.
func (e *edit) actorName(ctx context.Context) (string, error) {
	var name string
	if err := e.tx.QueryRow(ctx, `SELECT name FROM users WHERE id = $1`, e.actor).Scan(&name); err != nil {
		return "", fmt.Errorf("store: name of %d: %w", e.actor, err)
	}
	return name, nil
}

// now is the time of a decision, as PostgreSQL stores it (microseconds),
// so that the snapshot and the row say the same.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
)

// Answer is the current answer to one question, in its stored form.
// Every change makes a new version and one history entry, so Version is
// also the length of the answer's history.
type Answer struct {
	Value       string
	Version     int
	UpdatedBy   string
	UpdatedByID int64 // 0: nobody now (the account was deleted)
	UpdatedAt   time.Time
}

// Confirmation is the state of one checkpoint.
// Version is also the length of its history, as for answers.
type Confirmation struct {
	Confirmed   bool
	EvidenceURL string
	Note        string // how it was done
	Version     int
	UpdatedBy   string
	UpdatedByID int64
	UpdatedAt   time.Time
}

// PhaseReview is the hand-set state of one phase, with the advisor's
// comment and who set it. Revision counts its sign-offs: reopening an
// approved phase starts the next (0 reads as 1: nothing stored yet).
type PhaseReview struct {
	assessment.Review
	Comment   string
	Revision  int
	UpdatedBy string
	UpdatedAt time.Time
}

// CurrentRevision is the revision the phase is in.
func (r PhaseReview) CurrentRevision() int { return max(1, r.Revision) }

// Evidence describes an uploaded evidence file (without its content).
type Evidence struct {
	ID            int64
	CheckpointKey string
	Filename      string
	ContentType   string
	Size          int
	SHA256        string // of the content, lower-case hex
	UploadedBy    string
	UploadedAt    time.Time
}

// State is everything stored about an assessment: what Evaluate needs and
// what pages show.
type State struct {
	Assessment
	Answers       map[string]Answer
	Confirmations map[string]Confirmation
	Reviews       map[string]PhaseReview
	Evidence      map[string][]Evidence // by checkpoint key, oldest first
}

// Input decodes the stored state for the engine. Stored answers that no
// longer decode (which only a template change could cause) and empty
// answers count as unanswered.
func (st *State) Input(tpl *assessment.Template) assessment.Input {
	in := assessment.Input{
		Answers:   make(map[string]assessment.Value, len(st.Answers)),
		Confirmed: make(map[string]bool, len(st.Confirmations)),
		Reviews:   make(map[string]assessment.Review, len(st.Reviews)),
		SignOff:   st.SignOff,
	}
	for key, a := range st.Answers {
		q, ok := tpl.Question(key)
		if !ok || a.Value == "" {
			continue
		}
		if v, err := q.Decode(a.Value); err == nil {
			in.Answers[key] = v
		}
	}
	for key, c := range st.Confirmations {
		if c.Confirmed {
			in.Confirmed[key] = true
		}
	}
	for key, r := range st.Reviews {
		in.Reviews[key] = r.Review
	}
	return in
}

// batcher is a pool or a transaction.
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// AssessmentState loads an assessment the actor may see with everything
// stored about it, in one round trip; ErrNotFound otherwise.
func (s *Store) AssessmentState(ctx context.Context, actorID, id int64) (*State, error) {
	return readState(ctx, s.pool, actorID, id, "")
}

// readState reads the assessment id for the actor, and its items, in one
// batch: the assessment's row (with suffix, such as a row lock, appended
// to its query) and then one plain SELECT per kind of item.
func readState(ctx context.Context, q batcher, actorID, id int64, suffix string) (*State, error) {
	b := &pgx.Batch{}
	b.Queue(assessmentByID+suffix, actorID, id)
	queueItems(b, `x.assessment_id = $1 AND EXISTS (SELECT 1 FROM assessments a JOIN users act ON act.id = $2 AND act.active
		WHERE a.id = $1 AND `+actorSees("a.organisation_id")+`)`, id, actorID)
	br := q.SendBatch(ctx, b)
	defer br.Close()
	a, err := scanAssessment(br.QueryRow())
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: assessment %d: %w", id, err)
	}
	st := &State{Assessment: a}
	if err := readItems(br, st); err != nil {
		return nil, fmt.Errorf("store: state of %d: %w", id, err)
	}
	return st, nil
}

// AssessmentStates loads the assessments ids that the actor may see with
// everything stored about them, in one round trip; the others are left
// out. Lists use it for the rows whose progress is not kept yet.
func (s *Store) AssessmentStates(ctx context.Context, actorID int64, ids []int64) ([]*State, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	b := &pgx.Batch{}
	b.Queue(assessmentSelect+` AND a.id = ANY($2) ORDER BY a.id`, actorID, ids)
	queueItems(b, `x.assessment_id IN (SELECT a.id FROM assessments a JOIN users act ON act.id = $2 AND act.active
		WHERE a.id = ANY($1) AND `+actorSees("a.organisation_id")+`)`, ids, actorID)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("store: states of %d assessments: %w", len(ids), err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Assessment, error) { return scanAssessment(r) })
	if err != nil {
		return nil, fmt.Errorf("store: states of %d assessments: %w", len(ids), err)
	}
	states := make([]*State, len(list))
	for i, a := range list {
		states[i] = &State{Assessment: a}
	}
	if err := readItems(br, states...); err != nil {
		return nil, fmt.Errorf("store: states of %d assessments: %w", len(ids), err)
	}
	return states, nil
}

// queueItems queues the SELECTs of answers, confirmations, reviews and
// evidence of the assessments that picked (an SQL condition on
// x.assessment_id, taking the arguments args) names, in readItems' order.
func queueItems(b *pgx.Batch, picked string, args ...any) {
	b.Queue(`SELECT x.assessment_id, x.question_key, x.value, x.version, `+nameOf("x.updated_by")+`, coalesce(x.updated_by, 0), x.updated_at
		FROM answers x WHERE `+picked, args...)
	b.Queue(`SELECT x.assessment_id, x.checkpoint_key, x.confirmed, x.evidence_url, x.note, x.version, `+nameOf("x.updated_by")+`, coalesce(x.updated_by, 0), x.updated_at
		FROM confirmations x WHERE `+picked, args...)
	b.Queue(`SELECT x.assessment_id, x.phase_key, x.state, x.waived, x.reason, x.comment, x.revision, `+nameOf("x.updated_by")+`, x.updated_at
		FROM phase_reviews x WHERE `+picked, args...)
	b.Queue(`SELECT x.assessment_id, x.id, x.checkpoint_key, x.filename, x.content_type, x.size, encode(x.sha256, 'hex'), `+nameOf("x.uploaded_by")+`, x.uploaded_at
		FROM evidence x WHERE `+picked+` ORDER BY x.id`, args...)
}

// nameOf is the name of the user with the id the SQL expression by
// gives, "" for none.
func nameOf(by string) string {
	return `coalesce((SELECT u.name FROM users u WHERE u.id = ` + by + `), '')`
}

// readItems reads the results of queueItems into the states.
func readItems(br pgx.BatchResults, states ...*State) error {
	byID := make(map[int64]*State, len(states))
	for _, st := range states {
		st.Answers = map[string]Answer{}
		st.Confirmations = map[string]Confirmation{}
		st.Reviews = map[string]PhaseReview{}
		st.Evidence = map[string][]Evidence{}
		byID[st.ID] = st
	}
	var aid int64
	var key string
	var a Answer
	err := forEach(br, []any{&aid, &key, &a.Value, &a.Version, &a.UpdatedBy, &a.UpdatedByID, &a.UpdatedAt}, func() {
		byID[aid].Answers[key] = a
	})
	var c Confirmation
	if err == nil {
		err = forEach(br, []any{&aid, &key, &c.Confirmed, &c.EvidenceURL, &c.Note, &c.Version, &c.UpdatedBy, &c.UpdatedByID, &c.UpdatedAt}, func() {
			byID[aid].Confirmations[key] = c
		})
	}
	var r PhaseReview
	if err == nil {
		err = forEach(br, []any{&aid, &key, &r.State, &r.Waived, &r.Reason, &r.Comment, &r.Revision, &r.UpdatedBy, &r.UpdatedAt}, func() {
			byID[aid].Reviews[key] = r
		})
	}
	var e Evidence
	if err == nil {
		err = forEach(br, []any{&aid, &e.ID, &e.CheckpointKey, &e.Filename, &e.ContentType, &e.Size, &e.SHA256, &e.UploadedBy, &e.UploadedAt}, func() {
			st := byID[aid]
			st.Evidence[e.CheckpointKey] = append(st.Evidence[e.CheckpointKey], e)
		})
	}
	return err
}

// forEach scans each row of the batch's next result into dest and calls
// fn after each.
func forEach(br pgx.BatchResults, dest []any, fn func()) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	_, err = pgx.ForEachRow(rows, dest, func() error { fn(); return nil })
	return err
}

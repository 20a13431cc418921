package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"groundwork/assessment"
)

// Answer is the current answer to one question, in its stored form.
// Every change makes a new version and one history entry, so Version is
// also the length of the answer's history.
type Answer struct {
	Value     string
	Version   int
	UpdatedBy string
	UpdatedAt time.Time
}

// Confirmation is the state of one checkpoint.
// Version is also the length of its history, as for answers.
type Confirmation struct {
	Confirmed   bool
	EvidenceURL string
	Version     int
	UpdatedBy   string
	UpdatedAt   time.Time
}

// PhaseReview is the hand-set state of one phase, with the advisor's
// comment and who set it.
type PhaseReview struct {
	assessment.Review
	Comment   string
	UpdatedBy string
	UpdatedAt time.Time
}

// Evidence describes an uploaded evidence file (without its content).
type Evidence struct {
	ID            int64
	CheckpointKey string
	Filename      string
	ContentType   string
	Size          int
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
		if v, err := q.DecodeShared(a.Value); err == nil {
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

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// AssessmentState loads an assessment the actor may see with everything
// stored about it, in one round trip; ErrNotFound otherwise.
func (s *Store) AssessmentState(ctx context.Context, actorID, id int64) (*State, error) {
	b := &pgx.Batch{}
	b.Queue(assessmentByID, actorID, id)
	b.Queue(stateItemsSQL, id, actorID)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	a, err := scanAssessment(br.QueryRow())
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: assessment %d: %w", id, err)
	}
	st := &State{Assessment: a}
	rows, err := br.Query()
	if err != nil {
		return nil, fmt.Errorf("store: state of %d: %w", id, err)
	}
	if err := scanItems(rows, st); err != nil {
		return nil, err
	}
	return st, nil
}

// StateOf loads everything stored about the assessment a, as loaded by
// Assessment for the same actor, for a caller that found its copy out of
// date.
func (s *Store) StateOf(ctx context.Context, actorID int64, a Assessment) (*State, error) {
	st := &State{Assessment: a}
	rows, err := s.pool.Query(ctx, stateItemsSQL, a.ID, actorID)
	if err != nil {
		return nil, fmt.Errorf("store: state of %d: %w", a.ID, err)
	}
	if err := scanItems(rows, st); err != nil {
		return nil, err
	}
	return st, nil
}

// AssessmentStates loads every assessment the actor may see (most recently
// active first, as Assessments) with everything stored about them, in two
// queries, for dashboards.
func (s *Store) AssessmentStates(ctx context.Context, actorID int64) ([]*State, error) {
	list, err := s.Assessments(ctx, actorID)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	states := make([]*State, len(list))
	for i, a := range list {
		states[i] = &State{Assessment: a}
	}
	if err := loadItems(ctx, s.pool, actorID, states...); err != nil {
		return nil, err
	}
	return states, nil
}

// itemRows selects the answers, confirmations, reviews and evidence of the
// assessments that the SQL condition on x.assessment_id picks, as rows of
// one shape (read by scanItems).
func itemRows(picked string) string {
	return `
		SELECT x.assessment_id, 'a', x.question_key, x.value, '', false, x.version, 0, 0::bigint, ` + nameOf("x.updated_by") + `, x.updated_at
		FROM answers x WHERE ` + picked + `
		UNION ALL
		SELECT x.assessment_id, 'c', x.checkpoint_key, x.evidence_url, '', x.confirmed, x.version, 0, 0, ` + nameOf("x.updated_by") + `, x.updated_at
		FROM confirmations x WHERE ` + picked + `
		UNION ALL
		SELECT x.assessment_id, 'r', x.phase_key, x.state, x.reason || E'\x1f' || x.comment, x.waived, 0, 0, 0, ` + nameOf("x.updated_by") + `, x.updated_at
		FROM phase_reviews x WHERE ` + picked + `
		UNION ALL
		SELECT x.assessment_id, 'e', x.checkpoint_key, x.filename, x.content_type, false, 0, x.size, x.id, ` + nameOf("x.uploaded_by") + `, x.uploaded_at
		FROM evidence x WHERE ` + picked
}

// itemsSQL selects the items of the assessments $1 that the actor $2 may
// see.
var itemsSQL = `
	WITH visible AS (
		SELECT a.id FROM assessments a WHERE a.id = ANY($1) AND ` + canSeeOrg("$2", "a.organisation_id") + `
	)` + itemRows("x.assessment_id IN (SELECT id FROM visible)")

// stateItemsSQL is itemsSQL for the one assessment $1, in the form that
// PostgreSQL starts fastest: the actor's right to see it is checked once,
// before any row is read.
var stateItemsSQL = `SELECT * FROM (` + itemRows("x.assessment_id = $1") + `
	) items
	WHERE EXISTS (SELECT 1 FROM assessments a JOIN users act ON act.id = $2 AND act.active WHERE a.id = $1 AND ` + actorSees("a.organisation_id") + `)`

// nameOf is the name of the user with the id the SQL expression by
// gives, "" for none.
func nameOf(by string) string {
	return `coalesce((SELECT u.name FROM users u WHERE u.id = ` + by + `), '')`
}

// loadItems fills in the answers, confirmations, reviews and evidence of
// the states with one query.
func loadItems(ctx context.Context, q querier, actorID int64, states ...*State) error {
	ids := make([]int64, len(states))
	for i, st := range states {
		ids[i] = st.ID
	}
	rows, err := q.Query(ctx, itemsSQL, ids, actorID)
	if err != nil {
		return fmt.Errorf("store: state of %v: %w", ids, err)
	}
	return scanItems(rows, states...)
}

// scanItems reads itemsSQL rows into the states.
func scanItems(rows pgx.Rows, states ...*State) error {
	defer rows.Close()
	byID := make(map[int64]*State, len(states))
	for _, st := range states {
		st.Answers = map[string]Answer{}
		st.Confirmations = map[string]Confirmation{}
		st.Reviews = map[string]PhaseReview{}
		st.Evidence = map[string][]Evidence{}
		byID[st.ID] = st
	}
	for rows.Next() {
		var aid int64
		var kind, key, text, extra, by string
		var flag bool
		var version, size int
		var id int64
		var at time.Time
		if err := rows.Scan(&aid, &kind, &key, &text, &extra, &flag, &version, &size, &id, &by, &at); err != nil {
			return fmt.Errorf("store: state: %w", err)
		}
		st := byID[aid]
		if st == nil {
			continue
		}
		switch kind {
		case "a":
			st.Answers[key] = Answer{Value: text, Version: version, UpdatedBy: by, UpdatedAt: at}
		case "c":
			st.Confirmations[key] = Confirmation{Confirmed: flag, EvidenceURL: text, Version: version, UpdatedBy: by, UpdatedAt: at}
		case "r":
			reason, comment, _ := strings.Cut(extra, "\x1f")
			st.Reviews[key] = PhaseReview{Review: assessment.Review{State: assessment.ReviewState(text), Waived: flag, Reason: reason}, Comment: comment, UpdatedBy: by, UpdatedAt: at}
		case "e":
			st.Evidence[key] = append(st.Evidence[key], Evidence{ID: id, CheckpointKey: key, Filename: text, ContentType: extra, Size: size, UploadedBy: by, UploadedAt: at})
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: state: %w", err)
	}
	for _, st := range states {
		for _, list := range st.Evidence {
			sortEvidence(list)
		}
	}
	return nil
}

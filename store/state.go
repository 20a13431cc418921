package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"groundwork/assessment"
)

// Answer is the current answer to one question, in its stored form.
type Answer struct {
	Value     string
	Version   int
	UpdatedBy string
	UpdatedAt time.Time
	Changes   int // entries in the history
}

// Confirmation is the state of one checkpoint.
type Confirmation struct {
	Confirmed   bool
	EvidenceURL string
	Version     int
	UpdatedBy   string
	UpdatedAt   time.Time
	Changes     int // entries in the history
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

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// AssessmentState loads an assessment the actor may see with everything
// stored about it, in two queries; ErrNotFound otherwise.
func (s *Store) AssessmentState(ctx context.Context, actorID, id int64) (*State, error) {
	a, err := s.Assessment(ctx, actorID, id)
	if err != nil {
		return nil, err
	}
	st := &State{Assessment: a}
	if err := loadItems(ctx, s.pool, st); err != nil {
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
	if err := loadItems(ctx, s.pool, states...); err != nil {
		return nil, err
	}
	return states, nil
}

// loadItems fills in the answers, confirmations, reviews and evidence of
// the states with one query.
func loadItems(ctx context.Context, q querier, states ...*State) error {
	byID := make(map[int64]*State, len(states))
	ids := make([]int64, len(states))
	for i, st := range states {
		st.Answers = map[string]Answer{}
		st.Confirmations = map[string]Confirmation{}
		st.Reviews = map[string]PhaseReview{}
		st.Evidence = map[string][]Evidence{}
		byID[st.ID] = st
		ids[i] = st.ID
	}
	rows, err := q.Query(ctx, `
		SELECT x.assessment_id, 'a', x.question_key, x.value, '', false, x.version,
			(SELECT count(*)::int FROM history h WHERE h.assessment_id = x.assessment_id AND h.kind = 'answer' AND h.item_key = x.question_key),
			0::bigint, coalesce(u.name, ''), x.updated_at
		FROM answers x LEFT JOIN users u ON u.id = x.updated_by WHERE x.assessment_id = ANY($1)
		UNION ALL
		SELECT x.assessment_id, 'c', x.checkpoint_key, x.evidence_url, '', x.confirmed, x.version,
			(SELECT count(*)::int FROM history h WHERE h.assessment_id = x.assessment_id AND h.kind = 'checkpoint' AND h.item_key = x.checkpoint_key),
			0, coalesce(u.name, ''), x.updated_at
		FROM confirmations x LEFT JOIN users u ON u.id = x.updated_by WHERE x.assessment_id = ANY($1)
		UNION ALL
		SELECT x.assessment_id, 'r', x.phase_key, x.state, x.reason || E'\x1f' || x.comment, x.waived, 0, 0, 0, coalesce(u.name, ''), x.updated_at
		FROM phase_reviews x LEFT JOIN users u ON u.id = x.updated_by WHERE x.assessment_id = ANY($1)
		UNION ALL
		SELECT x.assessment_id, 'e', x.checkpoint_key, x.filename, x.content_type, false, 0, x.size, x.id, coalesce(u.name, ''), x.uploaded_at
		FROM evidence x LEFT JOIN users u ON u.id = x.uploaded_by WHERE x.assessment_id = ANY($1)`, ids)
	if err != nil {
		return fmt.Errorf("store: state of %v: %w", ids, err)
	}
	defer rows.Close()
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
		switch kind {
		case "a":
			st.Answers[key] = Answer{Value: text, Version: version, UpdatedBy: by, UpdatedAt: at, Changes: size}
		case "c":
			st.Confirmations[key] = Confirmation{Confirmed: flag, EvidenceURL: text, Version: version, UpdatedBy: by, UpdatedAt: at, Changes: size}
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

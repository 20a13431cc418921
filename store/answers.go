package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
)

// ConflictError reports that an item changed since the version the saver
// started from: somebody else saved first. Nothing was written; Current is
// what is stored now, so the page can show both values and let the person
// choose.
type ConflictError struct {
	Key     string
	Current Answer
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("store: %s changed (now version %d, by %s)", e.Key, e.Current.Version, e.Current.UpdatedBy)
}

// GateError reports a change to a phase that cannot take it now: locked
// behind earlier phases, or marked not applicable. Blockers say why.
type GateError struct {
	Phase    string
	Err      error // assessment.ErrLocked, assessment.ErrWaived...
	Blockers []*assessment.Issue
}

func (e *GateError) Error() string { return "store: phase " + e.Phase + ": " + e.Err.Error() }

func (e *GateError) Unwrap() error { return e.Err }

// AnswerChange is one answer to save, in its stored form, with the version
// the person started from (0: there was no answer).
type AnswerChange struct {
	Key   string
	Value string
	Base  int
}

// SaveResult is the outcome of one AnswerChange.
type SaveResult struct {
	Key      string
	Version  int            // the version now stored
	Changed  bool           // false when the value was already stored
	Conflict *ConflictError // set when somebody else saved first
	Previous Answer         // what was stored before
}

// editTx runs fn in a transaction holding the assessment's row lock, with
// the state as it is inside that transaction and its evaluation, after
// checking that the actor may edit (or, with review, review) it. All writes
// to an assessment go through here, so they are serialised and every
// gating check sees the state it guards. fn queues its writes in wb; they
// and the commit go in one round trip after it returns, as the begin, the
// lock and the read went in one before it. It returns the state, as
// changed in memory by fn.
func (s *Store) editTx(ctx context.Context, actorID, id int64, tpl *assessment.Template, review bool,
	fn func(q querier, wb *pgx.Batch, st *State, res *assessment.Result) error) (*State, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: edit %d: %w", id, err)
	}
	defer conn.Release()
	committed := false
	defer func() {
		if !committed {
			// Also clears a failed transaction before the connection goes
			// back to the pool.
			_, _ = conn.Exec(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()

	rb := &pgx.Batch{}
	rb.Queue("BEGIN")
	rb.Queue(assessmentByID+` FOR UPDATE OF a`, actorID, id)
	rb.Queue(stateItemsSQL, id, actorID)
	br := conn.SendBatch(ctx, rb)
	_, err = br.Exec()
	var a Assessment
	if err == nil {
		a, err = scanAssessment(br.QueryRow())
	}
	if errors.Is(err, pgx.ErrNoRows) {
		br.Close()
		return nil, ErrNotFound
	}
	st := &State{Assessment: a}
	if err == nil {
		var rows pgx.Rows
		if rows, err = br.Query(); err == nil {
			err = scanItems(rows, st)
		}
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("store: lock and read %d: %w", id, err)
	}
	if (review && !a.CanReview) || (!review && !a.CanEdit) {
		return nil, ErrForbidden
	}
	if a.TemplateID != tpl.ID || a.TemplateVersion != tpl.Version {
		return nil, fmt.Errorf("store: assessment %d uses %s v%d, not %s v%d", id, a.TemplateID, a.TemplateVersion, tpl.ID, tpl.Version)
	}
	wb := &pgx.Batch{}
	if err := fn(conn, wb, st, tpl.Evaluate(st.Input(tpl))); err != nil {
		return nil, err
	}
	wb.Queue("COMMIT")
	if err := conn.SendBatch(ctx, wb).Close(); err != nil {
		return nil, fmt.Errorf("store: save to %d: %w", id, err)
	}
	committed = true
	return st, nil
}

// checkGate refuses changes to a phase that is locked or waived.
func checkGate(res *assessment.Result, phase string) error {
	if err := res.CheckEdit(phase); err != nil {
		return &GateError{Phase: phase, Err: err, Blockers: res.Blockers(phase)}
	}
	return nil
}

// SaveAnswers saves answers of one assessment with optimistic concurrency:
// a change whose Base is not the stored version is not written and comes
// back as a conflict (unless it asks for the value already stored). Every
// written change goes into the history. Answers of a locked or waived
// phase are refused as a whole with a *GateError, and values that do not
// decode or validate with an error: the store only holds valid answers.
// Changing an answer of a submitted or approved phase withdraws it from
// review.
//
// It also returns the assessment's state after the save.
func (s *Store) SaveAnswers(ctx context.Context, actorID, id int64, tpl *assessment.Template, changes []AnswerChange) ([]SaveResult, *State, error) {
	results := make([]SaveResult, 0, len(changes))
	st, err := s.editTx(ctx, actorID, id, tpl, false, func(_ querier, wb *pgx.Batch, st *State, res *assessment.Result) error {
		results = results[:0]
		for _, c := range changes {
			q, ok := tpl.Question(c.Key)
			if !ok {
				return fmt.Errorf("store: %w: question %q", ErrNotFound, c.Key)
			}
			if err := checkGate(res, q.PhaseKey()); err != nil {
				return err
			}
			if c.Value != "" {
				v, err := q.Decode(c.Value)
				if err == nil {
					err = q.Validate(v)
				}
				if err != nil {
					return err
				}
			}
		}
		touched := map[string]bool{}
		for _, c := range changes {
			cur := st.Answers[c.Key]
			r := SaveResult{Key: c.Key, Version: cur.Version, Previous: cur}
			switch {
			case c.Value == cur.Value:
				// Already stored: nothing to write, whatever the base.
			case c.Base != cur.Version:
				r.Conflict = &ConflictError{Key: c.Key, Current: cur}
			default:
				r.Version, r.Changed = cur.Version+1, true
				wb.Queue(`
					INSERT INTO answers (assessment_id, question_key, value, version, updated_by) VALUES ($1, $2, $3, $4, $5)
					ON CONFLICT (assessment_id, question_key) DO UPDATE
					SET value = EXCLUDED.value, version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = now()`,
					id, c.Key, c.Value, r.Version, actorID)
				addHistory(wb, id, "answer", c.Key, r.Version, optional(cur.Value, cur.Version > 0), c.Value, actorID)
				st.Answers[c.Key] = Answer{Value: c.Value, Version: r.Version, UpdatedAt: time.Now()}
				q, _ := tpl.Question(c.Key)
				touched[q.PhaseKey()] = true
			}
			results = append(results, r)
		}
		afterEdit(wb, st, actorID, touched)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return results, st, nil
}

// afterEdit queues the withdrawal of edited phases from review and notes
// the activity.
func afterEdit(wb *pgx.Batch, st *State, actorID int64, touched map[string]bool) {
	if len(touched) == 0 {
		return
	}
	keys := make([]string, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, phase := range keys {
		rv := st.Reviews[phase]
		if rv.State != assessment.ReviewSubmitted && rv.State != assessment.ReviewApproved {
			continue
		}
		wb.Queue(`UPDATE phase_reviews SET state = '', updated_by = $3, updated_at = now()
			WHERE assessment_id = $1 AND phase_key = $2`, st.ID, phase, actorID)
		addHistory(wb, st.ID, "phase", phase, 0, optional(string(rv.State), true), "withdrawn from review by an edit", actorID)
		rv.State = assessment.ReviewNone
		st.Reviews[phase] = rv
	}
	touch(wb, st, actorID)
}

// touch queues the note of a change to the assessment: its last activity
// and its revision, which every write to its items must move (see
// Assessment.Revision).
func touch(wb *pgx.Batch, st *State, actorID int64) {
	wb.Queue(`UPDATE assessments SET updated_at = now(), updated_by = $2, revision = revision + 1 WHERE id = $1`, st.ID, actorID)
	st.UpdatedAt = time.Now()
	st.Revision++
}

// SetConfirmation confirms or withdraws a checkpoint, with an optional
// evidence URL, under the same concurrency and gating rules as answers.
//
// It returns the version now stored and the assessment's state after the
// change.
func (s *Store) SetConfirmation(ctx context.Context, actorID, id int64, tpl *assessment.Template, key string, confirmed bool, evidenceURL string, base int) (int, *State, error) {
	cp, ok := tpl.Checkpoint(key)
	if !ok {
		return 0, nil, fmt.Errorf("store: %w: checkpoint %q", ErrNotFound, key)
	}
	evidenceURL = strings.TrimSpace(evidenceURL)
	version := 0
	st, err := s.editTx(ctx, actorID, id, tpl, false, func(_ querier, wb *pgx.Batch, st *State, res *assessment.Result) error {
		if err := checkGate(res, cp.PhaseKey()); err != nil {
			return err
		}
		cur := st.Confirmations[key]
		version = cur.Version
		if cur.Confirmed == confirmed && cur.EvidenceURL == evidenceURL {
			return nil
		}
		if base != cur.Version {
			return &ConflictError{Key: key, Current: Answer{Value: ConfirmationText(cur.Confirmed, cur.EvidenceURL), Version: cur.Version, UpdatedBy: cur.UpdatedBy, UpdatedAt: cur.UpdatedAt}}
		}
		version = cur.Version + 1
		wb.Queue(`
			INSERT INTO confirmations (assessment_id, checkpoint_key, confirmed, evidence_url, version, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (assessment_id, checkpoint_key) DO UPDATE
			SET confirmed = EXCLUDED.confirmed, evidence_url = EXCLUDED.evidence_url, version = EXCLUDED.version,
			    updated_by = EXCLUDED.updated_by, updated_at = now()`,
			id, key, confirmed, evidenceURL, version, actorID)
		addHistory(wb, id, "checkpoint", key, version, optional(ConfirmationText(cur.Confirmed, cur.EvidenceURL), cur.Version > 0), ConfirmationText(confirmed, evidenceURL), actorID)
		st.Confirmations[key] = Confirmation{Confirmed: confirmed, EvidenceURL: evidenceURL, Version: version, UpdatedAt: time.Now()}
		afterEdit(wb, st, actorID, map[string]bool{cp.PhaseKey(): true})
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return version, st, nil
}

// ConfirmationText is how a confirmation reads in the history and in
// conflicts.
func ConfirmationText(confirmed bool, url string) string {
	s := "not confirmed"
	if confirmed {
		s = "confirmed"
	}
	if url != "" {
		s += "; evidence: " + url
	}
	return s
}

// addHistory queues a history entry.
func addHistory(wb *pgx.Batch, id int64, kind, key string, version int, old *string, new string, actorID int64) {
	wb.Queue(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, kind, key, version, old, new, actorID)
}

// optional returns &s when ok, else nil (no previous value).
func optional(s string, ok bool) *string {
	if !ok {
		return nil
	}
	return &s
}

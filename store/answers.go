package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

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
	Blockers []assessment.Issue
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
}

// editTx runs fn in a transaction holding the assessment's row lock, with
// the state as it is inside that transaction and its evaluation, after
// checking that the actor may edit (or, with review, review) it. All writes
// to an assessment go through here, so they are serialised and every
// gating check sees the state it guards.
func (s *Store) editTx(ctx context.Context, actorID, id int64, tpl *assessment.Template, review bool,
	fn func(tx pgx.Tx, st *State, res *assessment.Result) error) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		a, err := scanAssessment(tx.QueryRow(ctx, `SELECT `+assessmentColumns+assessmentFrom+`
			WHERE a.id = $2 AND `+canSeeOrg("$1", "a.organisation_id")+` FOR UPDATE OF a`, actorID, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: lock assessment %d: %w", id, err)
		}
		if (review && !a.CanReview) || (!review && !a.CanEdit) {
			return ErrForbidden
		}
		if a.TemplateID != tpl.ID || a.TemplateVersion != tpl.Version {
			return fmt.Errorf("store: assessment %d uses %s v%d, not %s v%d", id, a.TemplateID, a.TemplateVersion, tpl.ID, tpl.Version)
		}
		st := &State{Assessment: a}
		if err := loadItems(ctx, tx, actorID, st); err != nil {
			return err
		}
		return fn(tx, st, tpl.Evaluate(st.Input(tpl)))
	})
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
func (s *Store) SaveAnswers(ctx context.Context, actorID, id int64, tpl *assessment.Template, changes []AnswerChange) ([]SaveResult, error) {
	results := make([]SaveResult, 0, len(changes))
	err := s.editTx(ctx, actorID, id, tpl, false, func(tx pgx.Tx, st *State, res *assessment.Result) error {
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
			r := SaveResult{Key: c.Key, Version: cur.Version}
			switch {
			case c.Value == cur.Value:
				// Already stored: nothing to write, whatever the base.
			case c.Base != cur.Version:
				r.Conflict = &ConflictError{Key: c.Key, Current: cur}
			default:
				r.Version, r.Changed = cur.Version+1, true
				if _, err := tx.Exec(ctx, `
					INSERT INTO answers (assessment_id, question_key, value, version, updated_by) VALUES ($1, $2, $3, $4, $5)
					ON CONFLICT (assessment_id, question_key) DO UPDATE
					SET value = EXCLUDED.value, version = EXCLUDED.version, updated_by = EXCLUDED.updated_by, updated_at = now()`,
					id, c.Key, c.Value, r.Version, actorID); err != nil {
					return fmt.Errorf("store: save answer %s: %w", c.Key, err)
				}
				if err := addHistory(ctx, tx, id, "answer", c.Key, r.Version, optional(cur.Value, cur.Version > 0), c.Value, actorID); err != nil {
					return err
				}
				st.Answers[c.Key] = Answer{Value: c.Value, Version: r.Version}
				q, _ := tpl.Question(c.Key)
				touched[q.PhaseKey()] = true
			}
			results = append(results, r)
		}
		return s.afterEdit(ctx, tx, st, actorID, touched)
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// afterEdit withdraws edited phases from review and notes the activity.
func (s *Store) afterEdit(ctx context.Context, tx pgx.Tx, st *State, actorID int64, touched map[string]bool) error {
	if len(touched) == 0 {
		return nil
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
		if _, err := tx.Exec(ctx, `UPDATE phase_reviews SET state = '', updated_by = $3, updated_at = now()
			WHERE assessment_id = $1 AND phase_key = $2`, st.ID, phase, actorID); err != nil {
			return fmt.Errorf("store: withdraw %s from review: %w", phase, err)
		}
		if err := addHistory(ctx, tx, st.ID, "phase", phase, 0, optional(string(rv.State), true), "withdrawn from review by an edit", actorID); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE assessments SET updated_at = now(), updated_by = $2 WHERE id = $1`, st.ID, actorID); err != nil {
		return fmt.Errorf("store: note activity on %d: %w", st.ID, err)
	}
	return nil
}

// SetConfirmation confirms or withdraws a checkpoint, with an optional
// evidence URL, under the same concurrency and gating rules as answers.
func (s *Store) SetConfirmation(ctx context.Context, actorID, id int64, tpl *assessment.Template, key string, confirmed bool, evidenceURL string, base int) (int, error) {
	cp, ok := tpl.Checkpoint(key)
	if !ok {
		return 0, fmt.Errorf("store: %w: checkpoint %q", ErrNotFound, key)
	}
	evidenceURL = strings.TrimSpace(evidenceURL)
	version := 0
	err := s.editTx(ctx, actorID, id, tpl, false, func(tx pgx.Tx, st *State, res *assessment.Result) error {
		if err := checkGate(res, cp.PhaseKey()); err != nil {
			return err
		}
		cur := st.Confirmations[key]
		version = cur.Version
		if cur.Confirmed == confirmed && cur.EvidenceURL == evidenceURL {
			return nil
		}
		if base != cur.Version {
			return &ConflictError{Key: key, Current: Answer{Value: confirmationText(cur.Confirmed, cur.EvidenceURL), Version: cur.Version, UpdatedBy: cur.UpdatedBy, UpdatedAt: cur.UpdatedAt}}
		}
		version = cur.Version + 1
		if _, err := tx.Exec(ctx, `
			INSERT INTO confirmations (assessment_id, checkpoint_key, confirmed, evidence_url, version, updated_by) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (assessment_id, checkpoint_key) DO UPDATE
			SET confirmed = EXCLUDED.confirmed, evidence_url = EXCLUDED.evidence_url, version = EXCLUDED.version,
			    updated_by = EXCLUDED.updated_by, updated_at = now()`,
			id, key, confirmed, evidenceURL, version, actorID); err != nil {
			return fmt.Errorf("store: confirm %s: %w", key, err)
		}
		if err := addHistory(ctx, tx, id, "checkpoint", key, version, optional(confirmationText(cur.Confirmed, cur.EvidenceURL), cur.Version > 0), confirmationText(confirmed, evidenceURL), actorID); err != nil {
			return err
		}
		return s.afterEdit(ctx, tx, st, actorID, map[string]bool{cp.PhaseKey(): true})
	})
	return version, err
}

// confirmationText is how a confirmation reads in the history.
func confirmationText(confirmed bool, url string) string {
	s := "not confirmed"
	if confirmed {
		s = "confirmed"
	}
	if url != "" {
		s += "; evidence: " + url
	}
	return s
}

func addHistory(ctx context.Context, tx pgx.Tx, id int64, kind, key string, version int, old *string, new string, actorID int64) error {
	if _, err := tx.Exec(ctx, `INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, kind, key, version, old, new, actorID); err != nil {
		return fmt.Errorf("store: history of %s %s: %w", kind, key, err)
	}
	return nil
}

// optional returns &s when ok, else nil (no previous value).
func optional(s string, ok bool) *string {
	if !ok {
		return nil
	}
	return &s
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
)

// setReview writes a phase's hand-set state and its history.
func setReview(ctx context.Context, tx pgx.Tx, st *State, phase string, next PhaseReview, actorID int64, what string) error {
	cur := st.Reviews[phase]
	if _, err := tx.Exec(ctx, `
		INSERT INTO phase_reviews (assessment_id, phase_key, state, waived, reason, comment, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (assessment_id, phase_key) DO UPDATE
		SET state = EXCLUDED.state, waived = EXCLUDED.waived, reason = EXCLUDED.reason, comment = EXCLUDED.comment,
		    updated_by = EXCLUDED.updated_by, updated_at = now()`,
		st.ID, phase, next.State, next.Waived, next.Reason, next.Comment, actorID); err != nil {
		return fmt.Errorf("store: phase %s: %w", phase, err)
	}
	old := reviewText(cur)
	if err := addHistory(ctx, tx, st.ID, "phase", phase, 0, &old, what, actorID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE assessments SET updated_at = now(), updated_by = $2 WHERE id = $1`, st.ID, actorID)
	return err
}

func reviewText(r PhaseReview) string {
	switch {
	case r.Waived:
		return "not applicable: " + r.Reason
	case r.State == "":
		return "not submitted"
	}
	return strings.ReplaceAll(string(r.State), "_", " ")
}

// WaivePhase marks an optional phase not applicable, with a reason.
func (s *Store) WaivePhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase, reason string) error {
	reason = strings.TrimSpace(reason)
	return s.editTx(ctx, actorID, id, tpl, false, func(tx pgx.Tx, st *State, res *assessment.Result) error {
		if err := tpl.CheckWaiver(phase, reason); err != nil {
			if errors.Is(err, assessment.ErrNoReason) {
				return FieldErrors{"reason": "Say why this phase does not apply."}
			}
			return err
		}
		if pr, _ := res.Phase(phase); pr.Status == assessment.StatusLocked {
			return &GateError{Phase: phase, Err: assessment.ErrLocked, Blockers: res.Blockers(phase)}
		}
		return setReview(ctx, tx, st, phase, PhaseReview{Review: assessment.Review{Waived: true, Reason: reason}}, actorID, "not applicable: "+reason)
	})
}

// UnwaivePhase makes a waived phase applicable again.
func (s *Store) UnwaivePhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string) error {
	return s.editTx(ctx, actorID, id, tpl, false, func(tx pgx.Tx, st *State, res *assessment.Result) error {
		if !st.Reviews[phase].Waived {
			return nil
		}
		return setReview(ctx, tx, st, phase, PhaseReview{}, actorID, "applicable again")
	})
}

// SubmitPhase sends a complete phase to the advisor for review.
func (s *Store) SubmitPhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string) error {
	return s.editTx(ctx, actorID, id, tpl, false, func(tx pgx.Tx, st *State, res *assessment.Result) error {
		if err := res.CheckSubmit(phase); err != nil {
			return &GateError{Phase: phase, Err: err, Blockers: res.Blockers(phase)}
		}
		return setReview(ctx, tx, st, phase, PhaseReview{Review: assessment.Review{State: assessment.ReviewSubmitted}}, actorID, "submitted")
	})
}

// ReviewPhase records an advisor's decision on a submitted phase: approve,
// or send it back with a comment saying what to change.
func (s *Store) ReviewPhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string, approve bool, comment string) error {
	comment = strings.TrimSpace(comment)
	return s.editTx(ctx, actorID, id, tpl, true, func(tx pgx.Tx, st *State, res *assessment.Result) error {
		if err := res.CheckReview(phase); err != nil {
			return &GateError{Phase: phase, Err: err}
		}
		if !approve && comment == "" {
			return FieldErrors{"comment": "Say what needs to change."}
		}
		if len(comment) > 5000 {
			return FieldErrors{"comment": "Use at most 5,000 characters."}
		}
		next := PhaseReview{Review: assessment.Review{State: assessment.ReviewApproved}, Comment: comment}
		what := "approved"
		if !approve {
			next.State, what = assessment.ReviewChangesRequested, "changes requested"
		}
		if comment != "" {
			what += ": " + comment
		}
		return setReview(ctx, tx, st, phase, next, actorID, what)
	})
}

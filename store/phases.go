package store

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
)

// setReview queues a phase's hand-set state and its history.
func setReview(wb *pgx.Batch, st *State, phase string, next PhaseReview, actorID int64, what string) error {
	cur := st.Reviews[phase]
	wb.Queue(`
		INSERT INTO phase_reviews (assessment_id, phase_key, state, waived, reason, comment, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (assessment_id, phase_key) DO UPDATE
		SET state = EXCLUDED.state, waived = EXCLUDED.waived, reason = EXCLUDED.reason, comment = EXCLUDED.comment,
		    updated_by = EXCLUDED.updated_by, updated_at = now()`,
		st.ID, phase, next.State, next.Waived, next.Reason, next.Comment, actorID)
	old := reviewText(cur)
	addHistory(wb, st.ID, "phase", phase, 0, &old, what, actorID)
	touch(wb, st, actorID)
	st.Reviews[phase] = next
	return nil
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
	_, err := s.editTx(ctx, actorID, id, tpl, false, func(_ querier, wb *pgx.Batch, st *State, res *assessment.Result) error {
		if err := tpl.CheckWaiver(phase, reason); err != nil {
			if errors.Is(err, assessment.ErrNoReason) {
				return FieldErrors{"reason": "Say why this phase does not apply."}
			}
			return err
		}
		if pr, _ := res.Phase(phase); pr.Status == assessment.StatusLocked {
			return &GateError{Phase: phase, Err: assessment.ErrLocked, Blockers: res.Blockers(phase)}
		}
		return setReview(wb, st, phase, PhaseReview{Review: assessment.Review{Waived: true, Reason: reason}}, actorID, "not applicable: "+reason)
	})
	return err
}

// UnwaivePhase makes a waived phase applicable again.
func (s *Store) UnwaivePhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string) error {
	_, err := s.editTx(ctx, actorID, id, tpl, false, func(_ querier, wb *pgx.Batch, st *State, res *assessment.Result) error {
		if !st.Reviews[phase].Waived {
			return nil
		}
		return setReview(wb, st, phase, PhaseReview{}, actorID, "applicable again")
	})
	return err
}

// SubmitPhase sends a complete phase to the advisor for review.
func (s *Store) SubmitPhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string) error {
	_, err := s.editTx(ctx, actorID, id, tpl, false, func(_ querier, wb *pgx.Batch, st *State, res *assessment.Result) error {
		if err := res.CheckSubmit(phase); err != nil {
			return &GateError{Phase: phase, Err: err, Blockers: res.Blockers(phase)}
		}
		return setReview(wb, st, phase, PhaseReview{Review: assessment.Review{State: assessment.ReviewSubmitted}}, actorID, "submitted")
	})
	return err
}

// ReviewPhase records an advisor's decision on a submitted phase: approve,
// or send it back with a comment saying what to change.
func (s *Store) ReviewPhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string, approve bool, comment string) error {
	comment = strings.TrimSpace(comment)
	_, err := s.editTx(ctx, actorID, id, tpl, true, func(_ querier, wb *pgx.Batch, st *State, res *assessment.Result) error {
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
		return setReview(wb, st, phase, next, actorID, what)
	})
	return err
}

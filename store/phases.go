package store

import (
	"context"
	"errors"
	"strings"

	"groundwork/assessment"
)

// Refusals of what a person typed, for the handlers to put in words beside
// the field they name.
var (
	ErrNoComment      = errors.New("store: a request for changes needs a comment")
	ErrCommentTooLong = errors.New("store: the comment is longer than 5,000 characters")
)

// MaxCommentChars bounds an advisor's comment.
const MaxCommentChars = 5000

// setReview queues a phase's hand-set state and its history.
func (e *edit) setReview(phase string, next PhaseReview, what string) error {
	cur := e.st.Reviews[phase]
	e.queue(`
		INSERT INTO phase_reviews (assessment_id, phase_key, state, waived, reason, comment, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (assessment_id, phase_key) DO UPDATE
		SET state = EXCLUDED.state, waived = EXCLUDED.waived, reason = EXCLUDED.reason, comment = EXCLUDED.comment,
		    updated_by = EXCLUDED.updated_by, updated_at = now()`,
		e.st.ID, phase, next.State, next.Waived, next.Reason, next.Comment, e.actor)
	old := reviewText(cur)
	e.history("phase", phase, 0, &old, what)
	e.touch()
	e.st.Reviews[phase] = next
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

// WaivePhase marks an optional phase not applicable, with a reason
// (assessment.ErrNoReason without one).
func (s *Store) WaivePhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase, reason string) error {
	reason = strings.TrimSpace(reason)
	_, err := s.change(ctx, actorID, id, tpl, toEdit, func(e *edit) error {
		if err := tpl.CheckWaiver(phase, reason); err != nil {
			return err
		}
		if pr, _ := e.res.Phase(phase); pr.Status == assessment.StatusLocked {
			return &GateError{Phase: phase, Err: assessment.ErrLocked, Blockers: e.res.Blockers(phase)}
		}
		return e.setReview(phase, PhaseReview{Review: assessment.Review{Waived: true, Reason: reason}}, "not applicable: "+reason)
	})
	return err
}

// UnwaivePhase makes a waived phase applicable again.
func (s *Store) UnwaivePhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string) error {
	_, err := s.change(ctx, actorID, id, tpl, toEdit, func(e *edit) error {
		if !e.st.Reviews[phase].Waived {
			return nil
		}
		return e.setReview(phase, PhaseReview{}, "applicable again")
	})
	return err
}

// SubmitPhase sends a complete phase to the advisor for review.
func (s *Store) SubmitPhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string) error {
	_, err := s.change(ctx, actorID, id, tpl, toEdit, func(e *edit) error {
		if err := e.res.CheckSubmit(phase); err != nil {
			return &GateError{Phase: phase, Err: err, Blockers: e.res.Blockers(phase)}
		}
		if err := e.setReview(phase, PhaseReview{Review: assessment.Review{State: assessment.ReviewSubmitted}}, "submitted"); err != nil {
			return err
		}
		advisors, err := e.advisors(ctx)
		if err != nil {
			return err
		}
		return e.notify(ctx, NotifySubmitted, advisors, phase, "")
	})
	return err
}

// ReviewPhase records an advisor's decision on a submitted phase: approve,
// or send it back with a comment saying what to change.
func (s *Store) ReviewPhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string, approve bool, comment string) error {
	comment = strings.TrimSpace(comment)
	_, err := s.change(ctx, actorID, id, tpl, toReview, func(e *edit) error {
		if err := e.res.CheckReview(phase); err != nil {
			return &GateError{Phase: phase, Err: err}
		}
		if !approve && comment == "" {
			return ErrNoComment
		}
		if len([]rune(comment)) > MaxCommentChars {
			return ErrCommentTooLong
		}
		next := PhaseReview{Review: assessment.Review{State: assessment.ReviewApproved}, Comment: comment}
		what, kind := "approved", NotifyApproved
		if !approve {
			next.State, what, kind = assessment.ReviewChangesRequested, "changes requested", NotifyChangesRequested
		}
		if comment != "" {
			what += ": " + comment
		}
		if err := e.setReview(phase, next, what); err != nil {
			return err
		}
		editors, err := e.editors(ctx, phase)
		if err != nil {
			return err
		}
		return e.notify(ctx, kind, editors, phase, comment)
	})
	return err
}

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

// Refusals of what a person typed, for the handlers to put in words beside
// the field they name.
var (
	ErrNoComment           = errors.New("store: a request for changes needs a comment")
	ErrMarkedApproval      = errors.New("store: an approval marks no questions as needing changes")
	ErrCommentTooLong      = errors.New("store: the comment is longer than 5,000 characters")
	ErrNoReopenReason      = errors.New("store: reopening a phase needs a reason")
	ErrReopenReasonTooLong = errors.New("store: the reason for reopening is longer than 5,000 characters")
)

// MaxCommentChars bounds an advisor's comment.
const MaxCommentChars = 5000

// setReview queues a phase's hand-set state and its history. The revision
// stays unless next names one.
func (e *edit) setReview(phase string, next PhaseReview, what string) error {
	cur := e.st.Reviews[phase]
	if next.Revision == 0 {
		next.Revision = cur.CurrentRevision()
	}
	e.queue(`
		INSERT INTO phase_reviews (assessment_id, phase_key, state, waived, reason, comment, revision, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (assessment_id, phase_key) DO UPDATE
		SET state = EXCLUDED.state, waived = EXCLUDED.waived, reason = EXCLUDED.reason, comment = EXCLUDED.comment,
		    revision = EXCLUDED.revision, updated_by = EXCLUDED.updated_by, updated_at = now()`,
		e.st.ID, phase, next.State, next.Waived, next.Reason, next.Comment, next.Revision, e.actor)
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
	reason = assessment.CleanText(reason)
	_, err := s.change(ctx, actorID, id, tpl, toEdit, func(e *edit) error {
		if err := tpl.CheckWaiver(phase, reason); err != nil {
			return err
		}
		switch pr, _ := e.res.Phase(phase); pr.Status {
		case assessment.StatusLocked:
			return &GateError{Phase: phase, Err: assessment.ErrLocked, Blockers: e.res.Blockers(phase)}
		case assessment.StatusApproved:
			return &GateError{Phase: phase, Err: assessment.ErrApproved}
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
		e.decide(phase, e.st.Reviews[phase].CurrentRevision(), ActionSubmitted, "", nil, now(), nil)
		if err := e.setReview(phase, PhaseReview{Review: assessment.Review{State: assessment.ReviewSubmitted}}, "submitted"); err != nil {
			return err
		}
		advisors, err := e.advisors(ctx)
		if err != nil {
			return err
		}
		return e.notify(ctx, NotifySubmitted, advisors, phase, "", 0)
	})
	return err
}

// Decision is an advisor's decision on a submitted phase.
type Decision struct {
	Approve bool
	// Reason says what to change; required when !Approve. With an
	// approval it is an optional note.
	Reason string
	// Questions are the keys of the questions that need changes (only
	// when !Approve; ignored with an approval). Each must be a question
	// of the phase, else ReviewPhase returns a *QuestionError.
	Questions []string
}

// QuestionError reports question keys marked on a decision that are not
// questions of its phase. Nothing was saved.
type QuestionError struct {
	Phase string
	Keys  []string
}

func (e *QuestionError) Error() string {
	return fmt.Sprintf("store: %q are not questions of phase %s", e.Keys, e.Phase)
}

// ReviewPhase records an advisor's decision on a submitted phase: approve
// it, which freezes it in a signed-off snapshot with its digest, or send it
// back with a reason and the questions concerned (a snapshot is kept then
// too, so that the next review can see what changed). Every decision is
// kept in the phase's decisions for good.
func (s *Store) ReviewPhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase string, d Decision) error {
	reason := assessment.CleanText(d.Reason)
	_, err := s.change(ctx, actorID, id, tpl, toReview, func(e *edit) error {
		if err := e.res.CheckReview(phase); err != nil {
			return &GateError{Phase: phase, Err: err}
		}
		if d.Approve && len(d.Questions) > 0 {
			return ErrMarkedApproval // the advisor may have meant to send it back
		}
		if !d.Approve && reason == "" {
			return ErrNoComment
		}
		if len([]rune(reason)) > MaxCommentChars {
			return ErrCommentTooLong
		}
		var marked []string
		if !d.Approve {
			var err error
			if marked, err = phaseQuestions(tpl, phase, d.Questions); err != nil {
				return err
			}
		}
		name, err := e.actorName(ctx)
		if err != nil {
			return err
		}
		rev, at := e.st.Reviews[phase].CurrentRevision(), now()
		action, next := ActionApproved, PhaseReview{Review: assessment.Review{State: assessment.ReviewApproved}, Comment: reason}
		if !d.Approve {
			action, next.State = ActionChangesRequested, assessment.ReviewChangesRequested
		}
		snap := PhaseSnapshot(e.st, tpl, e.res, phase)
		snap.Decision, snap.DecidedBy, snap.DecidedAt = string(action), name, snapshotTime(at)
		digest := e.decide(phase, rev, action, reason, marked, at, snap)
		what := "changes requested"
		if d.Approve {
			what = fmt.Sprintf("approved (revision %d, SHA-256 %x)", rev, digest)
		}
		if reason != "" {
			what += ": " + reason
		}
		var mentioned []int64
		var request int64 // the change request's comment, which a mention links to
		if !d.Approve {   // the reason opens a change-request thread on the phase
			saved, err := e.addComment(ctx, newComment{kind: KindChangeRequest, phase: phase, questions: marked, body: reason})
			if err != nil {
				return err
			}
			mentioned, request = saved.Mentioned, saved.ID
		} else if err := e.settleRequests(ctx, phase); err != nil {
			return err
		}
		if err := e.setReview(phase, next, what); err != nil {
			return err
		}
		kind := NotifyApproved
		if !d.Approve {
			kind = NotifyChangesRequested
		}
		editors, err := e.editors(ctx, phase)
		if err != nil {
			return err
		}
		if err := e.notify(ctx, kind, editors, phase, reason, 0); err != nil {
			return err
		}
		// Those the reason mentions hear of it, unless told of the decision.
		mentioned = slices.DeleteFunc(mentioned, func(id int64) bool { return slices.Contains(editors, id) })
		return e.notify(ctx, NotifyMentioned, mentioned, phase, excerpt(reason), request)
	})
	return err
}

// settleRequests resolves the phase's open requests for changes, as by
// the actor, when the phase is approved: the approval accepts what was
// done about them, and an open one would otherwise stay on the action list
// and the frozen phase's page as still to do. Each goes into the history.
func (e *edit) settleRequests(ctx context.Context, phase string) error {
	rows, err := e.tx.Query(ctx, `UPDATE comments SET resolved_at = now(), resolved_by = $3
		WHERE assessment_id = $1 AND phase_key = $2 AND thread_id IS NULL AND kind = $4 AND resolved_at IS NULL
		RETURNING id`, e.st.ID, phase, e.actor, KindChangeRequest)
	if err != nil {
		return fmt.Errorf("store: settle requests of %s: %w", phase, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("store: settle requests of %s: %w", phase, err)
	}
	for _, id := range ids {
		e.history("comment", commentKey(phase, id), 0, optional("open", true), "resolved by the approval")
	}
	return nil
}

// phaseQuestions checks that keys are questions of the phase and returns
// them once each, in the phase's order.
func phaseQuestions(tpl *assessment.Template, phase string, keys []string) ([]string, error) {
	p, ok := tpl.Phase(phase)
	if !ok {
		return nil, &GateError{Phase: phase, Err: assessment.ErrUnknownPhase}
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[k] = true
	}
	var out []string
	for _, q := range p.Questions {
		if want[q.Key] {
			out = append(out, q.Key)
			delete(want, q.Key)
		}
	}
	if len(want) > 0 {
		bad := make([]string, 0, len(want))
		for k := range want {
			bad = append(bad, k)
		}
		slices.Sort(bad)
		return nil, &QuestionError{Phase: phase, Keys: bad}
	}
	return out, nil
}

// ReopenPhase reopens an approved phase, with a reason, for changes: a
// program manager of the organisation or its assigned advisor may. It
// starts the phase's next revision; the earlier revisions' decisions and
// sign-off snapshots stay as they are. Until the phase is approved again,
// later phases are gated as for any phase not approved: under sign-off they
// are locked (keeping their own answers and reviews), and refuse changes.
func (s *Store) ReopenPhase(ctx context.Context, actorID, id int64, tpl *assessment.Template, phase, reason string) error {
	reason = assessment.CleanText(reason)
	_, err := s.change(ctx, actorID, id, tpl, toResolve, func(e *edit) error {
		if err := e.res.CheckReopen(phase); err != nil {
			return &GateError{Phase: phase, Err: err, Blockers: e.res.Blockers(phase)}
		}
		if reason == "" {
			return ErrNoReopenReason
		}
		if len([]rune(reason)) > MaxCommentChars {
			return ErrReopenReasonTooLong
		}
		rev := e.st.Reviews[phase].CurrentRevision() + 1
		e.decide(phase, rev, ActionReopened, reason, nil, now(), nil)
		return e.setReview(phase, PhaseReview{Revision: rev}, fmt.Sprintf("reopened as revision %d: %s", rev, reason))
	})
	return err
}

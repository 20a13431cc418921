package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"groundwork/assessment"
)

// ErrForbidden is returned when the actor may see a record but not change
// it (a viewer or advisor saving an answer).
var ErrForbidden = errors.New("store: not allowed")

// ErrArchived refuses a change to an archived assessment: it is read only
// until its program managers restore it.
var ErrArchived = errors.New("store: the assessment is archived")

// GateError reports a change to a phase that cannot take it now: locked
// behind earlier phases, waived, incomplete, or not waiting for review.
// Blockers say why.
type GateError struct {
	Phase    string
	Err      error // assessment.ErrLocked, assessment.ErrWaived...
	Blockers []*assessment.Issue
}

func (e *GateError) Error() string { return "store: phase " + e.Phase + ": " + e.Err.Error() }

func (e *GateError) Unwrap() error { return e.Err }

// right is what a change needs the actor to be allowed.
type right int

const (
	toEdit    right = iota // a program manager of the organisation
	toReview               // an advisor assigned to it
	toComment              // a program manager, an assigned advisor or an admin
	toResolve              // a program manager or an assigned advisor
	toArchive              // a program manager, archived or not
)

// allowed reports whether the actor has the right need on the assessment
// loaded as st (with its row lock, in tx).
func allowed(ctx context.Context, tx pgx.Tx, actorID int64, st *State, need right) (bool, error) {
	switch {
	case need == toArchive:
		return st.CanArchive, nil
	case need == toEdit:
		return st.CanEdit, nil
	case need == toReview:
		return st.CanReview, nil
	case st.CanEdit || st.CanReview:
		return true, nil
	case need == toResolve:
		return false, nil
	}
	var admin bool
	err := tx.QueryRow(ctx, `SELECT `+isAdmin("$1"), actorID).Scan(&admin)
	return admin, err
}

// edit is one change to an assessment in progress: its transaction, the
// state as it is under the assessment's row lock, and its evaluation.
// Writes queued on batch go to the database in one round trip before the
// commit; a write whose result is needed runs on tx at once.
type edit struct {
	tx    pgx.Tx
	batch pgx.Batch
	st    *State
	tpl   *assessment.Template
	res   *assessment.Result
	actor int64
	jobs  *river.Client[pgx.Tx] // queues jobs in tx (e.notify)
}

// change runs fn in a transaction holding the assessment's row lock, after
// checking that the actor has the right need, with the state as it is
// inside that transaction and its evaluation. Every write to an assessment
// goes through here, so writes are serialised and every gating check sees
// the state it guards. It returns the state, as fn changed it in memory.
func (s *Store) change(ctx context.Context, actorID, id int64, tpl *assessment.Template, need right, fn func(e *edit) error) (*State, error) {
	var st *State
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if st, err = readState(ctx, tx, actorID, id, ` FOR UPDATE OF a`); err != nil {
			return err
		}
		if st.Archived() && need != toArchive {
			return ErrArchived
		}
		if ok, err := allowed(ctx, tx, actorID, st, need); err != nil || !ok {
			return cmp.Or(err, ErrForbidden)
		}
		if st.TemplateID != tpl.ID || st.TemplateVersion != tpl.Version {
			return fmt.Errorf("store: assessment %d uses %s v%d, not %s v%d", id, st.TemplateID, st.TemplateVersion, tpl.ID, tpl.Version)
		}
		e := &edit{tx: tx, st: st, tpl: tpl, res: tpl.Evaluate(st.Input(tpl)), actor: actorID, jobs: s.jobs}
		if err := fn(e); err != nil {
			return err
		}
		if e.batch.Len() == 0 {
			return nil
		}
		e.readiness()
		if err := tx.SendBatch(ctx, &e.batch).Close(); err != nil {
			return fmt.Errorf("store: save to %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// queue adds a write to the edit's batch.
func (e *edit) queue(sql string, args ...any) { e.batch.Queue(sql, args...) }

// checkGate refuses changes to a phase that is locked or waived.
func (e *edit) checkGate(phase string) error {
	if err := e.res.CheckEdit(phase); err != nil {
		return &GateError{Phase: phase, Err: err, Blockers: e.res.Blockers(phase)}
	}
	return nil
}

// history queues an event of the audit trail (store/audit.go) about the
// assessment: kind says what changed ("answer", "checkpoint", "evidence",
// "phase"...), key which item, old what it was (nil: nothing) and new what
// it is now.
func (e *edit) history(kind, key string, version int, old *string, new string) {
	e.queue(insertEvent, e.st.ID, e.st.OrganisationID, kind, key, version, old, new, e.actor)
}

// edited withdraws the edited phases from review and notes the activity.
func (e *edit) edited(phases ...string) {
	if len(phases) == 0 {
		return
	}
	slices.Sort(phases)
	for _, phase := range slices.Compact(phases) {
		if s := e.st.Reviews[phase].State; s == assessment.ReviewSubmitted || s == assessment.ReviewApproved {
			e.withdraw(phase, "withdrawn from review by an edit")
		}
	}
	e.touch()
}

// withdraw takes a phase out of review (waiting or approved), noting why
// in the audit trail.
func (e *edit) withdraw(phase, why string) {
	rv := e.st.Reviews[phase]
	e.queue(`UPDATE phase_reviews SET state = '', updated_by = $3, updated_at = now()
		WHERE assessment_id = $1 AND phase_key = $2`, e.st.ID, phase, e.actor)
	e.history("phase", phase, 0, optional(string(rv.State), true), why)
	rv.State = assessment.ReviewNone
	e.st.Reviews[phase] = rv
}

// touch notes a change to the assessment: its last activity.
func (e *edit) touch() {
	e.queue(`UPDATE assessments SET updated_at = now(), updated_by = $2 WHERE id = $1`, e.st.ID, e.actor)
	e.st.UpdatedAt = time.Now()
}

// optional returns &s when ok, else nil (no previous value).
func optional(s string, ok bool) *string {
	if !ok {
		return nil
	}
	return &s
}

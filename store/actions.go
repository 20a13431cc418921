package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"groundwork/assessment"
)

// The action list (handlers/actions.go) is computed from the assessment:
// its unmet checkpoints, failed rules and open change requests. What is
// stored is what managers set on its items: an owner and a due date, keyed
// by the item's key (see ActionKey).

// MaxOwnerChars bounds an action item's owner.
const MaxOwnerChars = 120

// Refusals of what was typed for an action item.
var (
	ErrOwnerTooLong  = errors.New("store: the owner is longer than 120 characters")
	ErrOwnerInvalid  = errors.New("store: the owner contains control characters")
	ErrBadActionKey  = errors.New("store: not an action item's key")
	ErrDueOutOfRange = errors.New("store: the due date is out of range")
)

// The kinds of action item, the first part of their keys.
const (
	ActionCheckpoint = "checkpoint" // checkpoint:<checkpoint key>
	ActionRule       = "rule"       // rule:<phase key>/<rule key>
	ActionThread     = "thread"     // thread:<comment id>
)

// ActionKey is the key of an action item: its kind and, after a colon,
// what it is about.
func ActionKey(kind, item string) string { return kind + ":" + item }

// ActionPlan is what was set on one action item: who owns it and when it
// is due (zero: no date), and who set that, when.
type ActionPlan struct {
	Owner     string
	Due       time.Time // a date, at midnight UTC; zero for none
	UpdatedBy string
	UpdatedAt time.Time
}

// ActionPlans is what the action list of an assessment needs from the
// store: the plans set, by item key, and the names of the organisation's
// members, to suggest as owners.
type ActionPlans struct {
	Plans   map[string]ActionPlan
	Members []string
}

// ActionPlans reads the owners and due dates set on the action items of
// an assessment the actor may see, with the names of its organisation's
// active members; ErrNotFound when the actor may not see it.
func (s *Store) ActionPlans(ctx context.Context, actorID, id int64) (*ActionPlans, error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT a.organisation_id FROM assessments a JOIN users act ON act.id = $2 AND act.active
		WHERE a.id = $1 AND `+actorSees("a.organisation_id"), id, actorID)
	b.Queue(`SELECT x.item_key, x.owner, x.due_date, `+nameOf("x.updated_by")+`, x.updated_at
		FROM action_items x WHERE x.assessment_id = $1 AND EXISTS (
			SELECT 1 FROM assessments a JOIN users act ON act.id = $2 AND act.active
			WHERE a.id = $1 AND `+actorSees("a.organisation_id")+`)
		ORDER BY x.item_key`, id, actorID)
	b.Queue(`SELECT m.name FROM users m JOIN assessments a ON a.organisation_id = m.organisation_id
		JOIN users act ON act.id = $2 AND act.active
		WHERE a.id = $1 AND m.active AND `+actorSees("a.organisation_id")+`
		ORDER BY lower(m.name), m.id`, id, actorID)
	br := s.pool.SendBatch(ctx, b)
	defer br.Close()
	var org int64
	if err := br.QueryRow().Scan(&org); errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, fmt.Errorf("store: action items of %d: %w", id, err)
	}
	out := &ActionPlans{Plans: map[string]ActionPlan{}}
	var key string
	var p ActionPlan
	var due pgtype.Date
	err := forEach(br, []any{&key, &p.Owner, &due, &p.UpdatedBy, &p.UpdatedAt}, func() {
		p.Due = time.Time{}
		if due.Valid {
			p.Due = due.Time
		}
		out.Plans[key] = p
	})
	var name string
	if err == nil {
		err = forEach(br, []any{&name}, func() { out.Members = append(out.Members, name) })
	}
	if err != nil {
		return nil, fmt.Errorf("store: action items of %d: %w", id, err)
	}
	return out, nil
}

// SetActionPlan sets the owner and due date (zero: none) of one action
// item of an assessment, as a change by the actor, who must be allowed to
// edit it (ErrForbidden for other readers, ErrNotFound for strangers).
// Clearing both removes what was set. The change goes into the history
// (kind "action", the item's key) unless it changes nothing.
func (s *Store) SetActionPlan(ctx context.Context, actorID, id int64, tpl *assessment.Template, key, owner string, due time.Time) (ActionPlan, error) {
	owner = strings.TrimSpace(owner)
	if err := CheckActionPlan(key, owner, due); err != nil {
		return ActionPlan{}, err
	}
	if !due.IsZero() {
		due = time.Date(due.Year(), due.Month(), due.Day(), 0, 0, 0, 0, time.UTC)
	}
	plan := ActionPlan{Owner: owner, Due: due}
	_, err := s.change(ctx, actorID, id, tpl, toEdit, func(e *edit) error {
		var was ActionPlan
		var wasDue pgtype.Date
		err := e.tx.QueryRow(ctx, `SELECT owner, due_date FROM action_items WHERE assessment_id = $1 AND item_key = $2`, id, key).Scan(&was.Owner, &wasDue)
		found := err == nil
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("store: action item %s of %d: %w", key, id, err)
		}
		if wasDue.Valid {
			was.Due = wasDue.Time
		}
		if was.Owner == owner && was.Due.Equal(due) {
			return nil // nothing changes, nothing to record
		}
		var dueArg *time.Time
		if !due.IsZero() {
			dueArg = &due
		}
		if owner == "" && due.IsZero() {
			e.queue(`DELETE FROM action_items WHERE assessment_id = $1 AND item_key = $2`, id, key)
		} else {
			e.queue(`INSERT INTO action_items (assessment_id, item_key, owner, due_date, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, now())
				ON CONFLICT (assessment_id, item_key) DO UPDATE SET owner = EXCLUDED.owner, due_date = EXCLUDED.due_date,
					updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
				id, key, owner, dueArg, e.actor)
		}
		e.history("action", key, 0, optional(ActionPlanText(was.Owner, was.Due), found), ActionPlanText(owner, due))
		e.touch()
		name, err := e.actorName(ctx)
		plan.UpdatedBy, plan.UpdatedAt = name, time.Now()
		return err
	})
	if err != nil {
		return ActionPlan{}, err
	}
	return plan, nil
}

// CheckActionPlan refuses an action item's key (ErrBadActionKey), owner
// (ErrOwnerTooLong, ErrOwnerInvalid; spaces around it do not count) or due
// date (ErrDueOutOfRange; zero for none) that the store does not keep.
func CheckActionPlan(key, owner string, due time.Time) error {
	owner = strings.TrimSpace(owner)
	switch {
	case !validActionKey(key):
		return ErrBadActionKey
	case utf8.RuneCountInString(owner) > MaxOwnerChars:
		return ErrOwnerTooLong
	case strings.ContainsFunc(owner, func(r rune) bool { return r < ' ' || r == 0x7f }):
		return ErrOwnerInvalid
	case !due.IsZero() && (due.Year() < 2000 || due.Year() > 2199):
		return ErrDueOutOfRange
	}
	return nil
}

// ActionPlanText is an owner and due date as the history keeps them.
func ActionPlanText(owner string, due time.Time) string {
	o, d := "no owner", "no due date"
	if owner != "" {
		o = "owner: " + owner
	}
	if !due.IsZero() {
		d = "due " + due.Format(time.DateOnly)
	}
	return o + "; " + d
}

// validActionKey reports whether key names an item of one of the kinds of
// action item.
func validActionKey(key string) bool {
	kind, item, ok := strings.Cut(key, ":")
	if !ok || item == "" || len(key) > 300 {
		return false
	}
	switch kind {
	case ActionCheckpoint:
		return true
	case ActionRule:
		phase, rule, ok := strings.Cut(item, "/")
		return ok && phase != "" && rule != ""
	case ActionThread:
		for _, r := range item {
			if r < '0' || r > '9' {
				return false
			}
		}
		return true
	}
	return false
}

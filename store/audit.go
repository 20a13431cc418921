package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The audit trail is the history table: one append-only log (PostgreSQL
// refuses to update or delete it, migration 7) of every change, written in
// the transaction of the change. Events about an assessment come from
// e.history (edit.go), with these kinds:
//
//	answer, checkpoint, evidence  an item of a phase; item is its key
//	phase                         a phase's status; item is the phase key
//	assessment                    the assessment was started
//
// Events about people and organisations come from logEvent, with these:
//
//	account   a user created or invited; item is their e-mail address
//	role      a user's role (and organisation) changed
//	active    a user deactivated or reactivated
//	name      a user's name changed
//	password  a user's password changed, set or reset (never the password)
//	advisor   an advisor assigned to or removed from an organisation
//	organisation  an organisation created (item ""), or one of its
//	              settings changed (item "name", "platform")
//
// Other parts of the portal add kinds of their own; readers must show an
// unknown kind sensibly.

// insertEvent writes one event: $1 the assessment and $2 the organisation
// (0: none), $3 kind, $4 item, $5 version, $6 before (NULL: nothing
// before), $7 after, $8 the actor (0: the operator at the command line),
// whose name and e-mail address are copied into the event.
const insertEvent = `INSERT INTO history (assessment_id, organisation_id, kind, item_key, version, old_value, new_value, changed_by, actor_name, actor_email)
	SELECT nullif($1::bigint, 0), nullif($2::bigint, 0), $3::text, $4::text, $5::int, $6::text, $7::text, u.id, coalesce(u.name, ''), coalesce(u.email, '')
	FROM (SELECT $8::bigint AS id) x LEFT JOIN users u ON u.id = x.id`

// logEvent writes an event about an account or an organisation (org: the
// organisation it concerns, 0 for none) in the change's transaction.
func logEvent(ctx context.Context, tx pgx.Tx, actor, org int64, kind, item string, before *string, after string) error {
	if _, err := tx.Exec(ctx, insertEvent, 0, org, kind, item, 0, before, after, actor); err != nil {
		return fmt.Errorf("store: record %s event: %w", kind, err)
	}
	return nil
}

// Event is one entry of the audit trail.
type Event struct {
	ID      int64
	At      time.Time
	Kind    string
	Item    string // the key of what changed (a question, a phase, a user's e-mail address...)
	Version int
	Before  *string // nil: there was nothing before
	After   string
	// ActorID is who made the change: 0 for the operator at the command
	// line. ActorName and ActorEmail are as they were at the time.
	ActorID          int64
	ActorName        string
	ActorEmail       string
	OrganisationID   int64  // 0: none (an administrator's or advisor's own account)
	OrganisationName string // "" for none
	AssessmentID     int64  // 0: an event about accounts or organisations
	AssessmentName   string
	TemplateID       string // the assessment's template, to put items in words
	TemplateVersion  int
}

// EventFilter picks events of the audit trail.
type EventFilter struct {
	// AssessmentID picks one assessment's events, for anyone who can see
	// it; 0 picks from every event, which only administrators may.
	AssessmentID   int64
	OrganisationID int64
	Kind           string
	ActorID        int64
	Items          []string  // item keys (say, a phase and its questions and checkpoints)
	From, Until    time.Time // From <= changed_at < Until; zero for no bound
	Before         int64     // only events listed after this one (the next page)
	Limit          int       // at most this many, newest first
}

// Events returns the events of the audit trail f picks that the actor may
// see, newest first (by time, then id): one assessment's events for whoever can see the
// assessment, everything for administrators, nothing for anyone else.
func (s *Store) Events(ctx context.Context, actorID int64, f EventFilter) ([]Event, error) {
	args := []any{actorID}
	where := []string{}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.AssessmentID != 0 {
		add(`h.assessment_id = ? AND EXISTS (SELECT 1 FROM assessments va WHERE va.id = ? AND `+actorSees("va.organisation_id")+`)`, f.AssessmentID)
	} else {
		where = append(where, `act.role = 'admin'`)
	}
	if f.OrganisationID != 0 {
		add(`h.organisation_id = ?`, f.OrganisationID)
	}
	if f.Kind != "" {
		add(`h.kind = ?`, f.Kind)
	}
	if f.ActorID != 0 {
		add(`h.changed_by = ?`, f.ActorID)
	}
	if f.Items != nil {
		add(`h.item_key = ANY(?)`, f.Items)
	}
	if !f.From.IsZero() {
		add(`h.changed_at >= ?`, f.From)
	}
	if !f.Until.IsZero() {
		add(`h.changed_at < ?`, f.Until)
	}
	if f.Before != 0 {
		// The cursor is an event of the same list: another assessment's
		// would tell whether an event exists, and when.
		cursor := `SELECT b.changed_at, b.id FROM history b WHERE b.id = ?`
		if f.AssessmentID != 0 {
			cursor += ` AND b.assessment_id = h.assessment_id`
		}
		add(`(h.changed_at, h.id) < (`+cursor+`)`, f.Before)
	}
	args = append(args, f.Limit)
	rows, err := s.pool.Query(ctx, `
		SELECT h.id, h.changed_at, h.kind, h.item_key, h.version, h.old_value, h.new_value,
			coalesce(h.changed_by, 0), h.actor_name, h.actor_email,
			coalesce(h.organisation_id, 0), coalesce(o.name, ''),
			coalesce(h.assessment_id, 0), coalesce(a.name, ''), coalesce(a.template_id, ''), coalesce(a.template_version, 0)
		FROM history h JOIN users act ON act.id = $1 AND act.active
		LEFT JOIN organisations o ON o.id = h.organisation_id
		LEFT JOIN assessments a ON a.id = h.assessment_id
		WHERE `+strings.Join(where, " AND ")+`
		ORDER BY h.changed_at DESC, h.id DESC LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		err := r.Scan(&e.ID, &e.At, &e.Kind, &e.Item, &e.Version, &e.Before, &e.After, &e.ActorID, &e.ActorName, &e.ActorEmail,
			&e.OrganisationID, &e.OrganisationName, &e.AssessmentID, &e.AssessmentName, &e.TemplateID, &e.TemplateVersion)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: events: %w", err)
	}
	return list, nil
}

// EventActors lists the people who changed an assessment the actor may
// see, by name and e-mail as the audit trail last recorded them, for
// filtering its audit trail.
func (s *Store) EventActors(ctx context.Context, actorID, assessmentID int64) ([]Person, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT p.id, p.name, p.email FROM (
			SELECT DISTINCT ON (h.changed_by) h.changed_by AS id, h.actor_name AS name, h.actor_email AS email
			FROM history h
			WHERE h.assessment_id = $2 AND h.changed_by IS NOT NULL AND EXISTS (
				SELECT 1 FROM assessments va JOIN users act ON act.id = $1 AND act.active
				WHERE va.id = $2 AND `+actorSees("va.organisation_id")+`)
			ORDER BY h.changed_by, h.id DESC) p
		ORDER BY lower(p.name), p.id`, actorID, assessmentID)
	if err != nil {
		return nil, fmt.Errorf("store: people of %d: %w", assessmentID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Person, error) {
		var p Person
		return p, r.Scan(&p.ID, &p.Name, &p.Email)
	})
	if err != nil {
		return nil, fmt.Errorf("store: people of %d: %w", assessmentID, err)
	}
	return list, nil
}

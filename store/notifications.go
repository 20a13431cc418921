package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// Notification kinds: what happened.
const (
	NotifySubmitted        = "submitted"         // a phase was submitted for review (to its advisors)
	NotifyApproved         = "approved"          // a phase was approved (to its editors)
	NotifyChangesRequested = "changes_requested" // changes were asked for (to its editors)
	NotifyMentioned        = "mentioned"         // a comment mentions the recipient
	NotifyWithdrawn        = "withdrawn"         // a phase waiting for review was withdrawn by an archive (to its advisors)
)

// Notification is something that happened to an assessment that a person
// should know about, as they see it.
type Notification struct {
	ID               int64
	Kind             string
	AssessmentID     int64
	AssessmentName   string
	OrganisationName string
	TemplateID       string
	TemplateVersion  int
	PhaseKey         string
	CommentID        int64  // the comment a mention is in; 0 for other kinds
	Detail           string // the actor's own words: a reason, a comment; may be ""
	ActorName        string // "" when the account is gone
	CreatedAt        time.Time
	Read             bool
}

// notificationFrom joins a notification (n) with its recipient (act, so
// that actorSees applies to them), assessment (a) and organisation (o).
// Queries add `WHERE ... AND actorSees("a.organisation_id")`: a recipient
// who no longer sees the assessment no longer sees its notifications.
const notificationFrom = ` FROM notifications n
	JOIN users act ON act.id = n.user_id AND act.active
	JOIN assessments a ON a.id = n.assessment_id
	JOIN organisations o ON o.id = a.organisation_id `

var notificationColumns = `n.id, n.kind, n.assessment_id, a.name, o.name, a.template_id, a.template_version, n.phase_key, coalesce(n.comment_id, 0), n.detail, ` +
	nameOf("n.actor_id") + `, n.created_at, n.read_at IS NOT NULL`

func (n *Notification) fields() []any {
	return []any{&n.ID, &n.Kind, &n.AssessmentID, &n.AssessmentName, &n.OrganisationName, &n.TemplateID, &n.TemplateVersion,
		&n.PhaseKey, &n.CommentID, &n.Detail, &n.ActorName, &n.CreatedAt, &n.Read}
}

// notify tells users that kind happened to phase (detail: the actor's own
// words, or ""; comment: the comment it is about, or 0), inside the edit's
// transaction: the in-app notifications and the jobs that e-mail them
// commit, or roll back, with the change.
// The actor, inactive users and users who cannot see the assessment are
// left out. Comments call it for the people they mention.
func (e *edit) notify(ctx context.Context, kind string, users []int64, phase, detail string, comment int64) error {
	if len(users) == 0 {
		return nil
	}
	rows, _ := e.tx.Query(ctx, `
		INSERT INTO notifications (user_id, kind, assessment_id, phase_key, detail, actor_id, comment_id)
		SELECT act.id, $2, $3, $4, $5, $6, nullif($8::bigint, 0) FROM users act
		WHERE act.id = ANY($1) AND act.id <> $6 AND act.active AND `+actorSees("$7::bigint")+`
		RETURNING id`, users, kind, e.st.ID, phase, detail, e.actor, e.st.OrganisationID, comment)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("store: notify %s on %d: %w", kind, e.st.ID, err)
	}
	if len(ids) == 0 {
		return nil
	}
	jobs := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		jobs[i] = river.InsertManyParams{Args: NotificationMail{NotificationID: id}}
	}
	if _, err := e.jobs.InsertManyTx(ctx, e.tx, jobs); err != nil {
		return fmt.Errorf("store: queue %d notification e-mails: %w", len(jobs), err)
	}
	return nil
}

// advisors returns the advisors assigned to the assessment's organisation.
func (e *edit) advisors(ctx context.Context) ([]int64, error) {
	rows, _ := e.tx.Query(ctx, `SELECT user_id FROM advisor_assignments WHERE organisation_id = $1 ORDER BY user_id`, e.st.OrganisationID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: advisors of %d: %w", e.st.OrganisationID, err)
	}
	return ids, nil
}

// editors returns the program managers who changed the phase's answers,
// checkpoints or evidence, or, when none of them did (or none still
// can), all the organisation's program managers.
func (e *edit) editors(ctx context.Context, phase string) ([]int64, error) {
	var keys []string
	if p, ok := e.tpl.Phase(phase); ok {
		for _, q := range p.Questions {
			keys = append(keys, q.Key)
		}
		for _, c := range p.Checkpoints {
			keys = append(keys, c.Key)
		}
	}
	rows, _ := e.tx.Query(ctx, `
		SELECT DISTINCT act.id FROM history h JOIN users act ON act.id = h.changed_by AND act.active
		WHERE h.assessment_id = $1 AND h.kind IN ('answer', 'checkpoint', 'evidence') AND h.item_key = ANY($2)
		  AND `+actorEdits("$3::bigint")+`
		ORDER BY act.id`, e.st.ID, keys, e.st.OrganisationID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err == nil && len(ids) == 0 {
		rows, _ = e.tx.Query(ctx, `SELECT act.id FROM users act WHERE act.active AND `+actorEdits("$1::bigint")+` ORDER BY act.id`, e.st.OrganisationID)
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	}
	if err != nil {
		return nil, fmt.Errorf("store: editors of %s in %d: %w", phase, e.st.ID, err)
	}
	return ids, nil
}

// MaxNotifications is how many notifications the list shows, newest first.
const MaxNotifications = 100

// Notifications returns the user's notifications, newest first, at most
// MaxNotifications.
func (s *Store) Notifications(ctx context.Context, userID int64) ([]Notification, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+notificationColumns+notificationFrom+`
		WHERE n.user_id = $1 AND `+actorSees("a.organisation_id")+`
		ORDER BY n.id DESC LIMIT $2`, userID, MaxNotifications)
	var n Notification
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Notification, error) {
		err := row.Scan(n.fields()...)
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: notifications of %d: %w", userID, err)
	}
	return list, nil
}

// unreadCount is the SQL for the number of unread notifications of the
// user whose id the expression user gives, up to 100 (pages show "99+").
func unreadCount(user string) string {
	return `(SELECT count(*) FROM (SELECT 1 FROM notifications n
		JOIN users act ON act.id = n.user_id AND act.active JOIN assessments a ON a.id = n.assessment_id
		WHERE n.user_id = ` + user + ` AND n.read_at IS NULL AND ` + actorSees("a.organisation_id") + ` LIMIT 100) unread)`
}

// MarkNotificationRead marks one of the user's notifications read;
// ErrNotFound when they have none with that id.
func (s *Store) MarkNotificationRead(ctx context.Context, userID, id int64) error {
	tag, err := s.pool.Exec(ctx, `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $2 AND user_id = $1`, userID, id)
	if err != nil {
		return fmt.Errorf("store: mark notification %d read: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// MarkAllNotificationsRead marks every notification of the user read.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, userID int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, userID); err != nil {
		return fmt.Errorf("store: mark notifications of %d read: %w", userID, err)
	}
	return nil
}

// NotificationEmail is how a person gets notification e-mails. The
// notifications are listed in the portal whichever they choose.
type NotificationEmail string

// The choices of NotificationEmail.
const (
	EmailEach  NotificationEmail = "each"  // one e-mail per notification, as it happens
	EmailDaily NotificationEmail = "daily" // one daily digest
	EmailNone  NotificationEmail = "none"  // no notification e-mails
)

// ErrBadNotificationEmail: not one of the NotificationEmail choices.
var ErrBadNotificationEmail = errors.New("store: not a choice of notification e-mails")

// words names the choice in the audit trail.
func (c NotificationEmail) words() string {
	switch c {
	case EmailDaily:
		return "e-mail: one daily digest"
	case EmailNone:
		return "e-mail: none"
	}
	return "e-mail: one per notification"
}

// NotificationEmail returns how the user gets notification e-mails.
func (s *Store) NotificationEmail(ctx context.Context, userID int64) (NotificationEmail, error) {
	var c NotificationEmail
	if err := s.pool.QueryRow(ctx, `SELECT notification_email FROM users WHERE id = $1`, userID).Scan(&c); err != nil {
		return "", fmt.Errorf("store: e-mail preference of %d: %w", userID, err)
	}
	return c, nil
}

// SetNotificationEmail sets how the user gets notification e-mails, and
// records the change in the audit trail (nothing when it is the same);
// ErrBadNotificationEmail for anything but the three choices.
func (s *Store) SetNotificationEmail(ctx context.Context, userID int64, c NotificationEmail) error {
	switch c {
	case EmailEach, EmailDaily, EmailNone:
	default:
		return ErrBadNotificationEmail
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var was NotificationEmail
		var email string
		var org int64
		err := tx.QueryRow(ctx, `SELECT notification_email, email, coalesce(organisation_id, 0) FROM users WHERE id = $1 FOR UPDATE`, userID).Scan(&was, &email, &org)
		if err != nil {
			return fmt.Errorf("store: set e-mail preference of %d: %w", userID, err)
		}
		if was == c {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET notification_email = $2 WHERE id = $1`, userID, c); err != nil {
			return fmt.Errorf("store: set e-mail preference of %d: %w", userID, err)
		}
		before := was.words()
		return logEvent(ctx, tx, userID, org, "setting", email, &before, c.words())
	})
}

// Mailing is a notification with what its e-mail needs.
type Mailing struct {
	Notification
	To      string            // the recipient's address
	Name    string            // and name
	Emails  NotificationEmail // how the recipient takes notification e-mails
	Emailed bool              // the e-mail went out already, or none is to go (MarkEmailed)
}

// NotificationMailing returns notification id with its recipient;
// ErrNotFound when it is gone, or its recipient is deactivated or no
// longer sees the assessment (nothing to send).
func (s *Store) NotificationMailing(ctx context.Context, id int64) (Mailing, error) {
	var m Mailing
	err := s.pool.QueryRow(ctx, `SELECT `+notificationColumns+`, act.email, act.name, act.notification_email, n.emailed_at IS NOT NULL`+notificationFrom+`
		WHERE n.id = $1 AND `+actorSees("a.organisation_id"), id).Scan(append(m.fields(), &m.To, &m.Name, &m.Emails, &m.Emailed)...)
	if errors.Is(err, pgx.ErrNoRows) {
		return Mailing{}, ErrNotFound
	}
	if err != nil {
		return Mailing{}, fmt.Errorf("store: notification %d: %w", id, err)
	}
	return m, nil
}

// Digest returns, for every active user who takes the daily digest, the
// notifications not e-mailed yet (oldest first), grouped by user in
// order of user id.
func (s *Store) Digest(ctx context.Context) ([][]Mailing, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+notificationColumns+`, act.email, act.name, act.notification_email, false`+notificationFrom+`
		WHERE n.emailed_at IS NULL AND act.notification_email = $1 AND `+actorSees("a.organisation_id")+`
		ORDER BY n.user_id, n.id`, EmailDaily)
	var m Mailing
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Mailing, error) {
		err := row.Scan(append(m.fields(), &m.To, &m.Name, &m.Emails, &m.Emailed)...)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: digest: %w", err)
	}
	var byUser [][]Mailing
	for i, m := range list {
		if i == 0 || list[i-1].To != m.To {
			byUser = append(byUser, nil)
		}
		byUser[len(byUser)-1] = append(byUser[len(byUser)-1], m)
	}
	return byUser, nil
}

// MarkEmailed notes that the notifications' e-mail went out (or, for a
// recipient who takes none, that none is to go), so that a retried or
// repeated job does not send it again, nor a digest taken later list it.
func (s *Store) MarkEmailed(ctx context.Context, ids ...int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE notifications SET emailed_at = now() WHERE id = ANY($1) AND emailed_at IS NULL`, ids); err != nil {
		return fmt.Errorf("store: mark %d notifications e-mailed: %w", len(ids), err)
	}
	return nil
}

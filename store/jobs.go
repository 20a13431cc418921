package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// The job queue is River's, in the same PostgreSQL: a job inserted in the
// transaction of a change exists exactly when the change does, and only
// one instance works each job (River locks it). The jobs that send e-mail
// are worked by the handlers' workers (handlers/jobs.go); the store only
// inserts them.

// mailAttempts is how often a job that sends e-mail is tried before it is
// given up: River waits attempt⁴ seconds between tries (1 s, 16 s, 81 s, …),
// so 12 attempts span about ten hours.
const mailAttempts = 12

var mailOpts = river.InsertOpts{MaxAttempts: mailAttempts}

// InvitationMail is the job that e-mails a new user a link to choose a
// password. The link is made when the job runs, so no usable token waits
// in the queue.
type InvitationMail struct {
	UserID    int64 `json:"user_id"`
	InviterID int64 `json:"inviter_id"`
}

// Kind names the job in River's table.
func (InvitationMail) Kind() string { return "invitation_mail" }

// InsertOpts retries for about ten hours.
func (InvitationMail) InsertOpts() river.InsertOpts { return mailOpts }

// ResetMail is the job that e-mails a password-reset link to an address,
// when it belongs to an active account.
type ResetMail struct {
	Email string `json:"email"`
}

// Kind names the job in River's table.
func (ResetMail) Kind() string { return "reset_mail" }

// InsertOpts retries for about ten hours.
func (ResetMail) InsertOpts() river.InsertOpts { return mailOpts }

// NotificationMail is the job that e-mails one notification to its
// recipient (nothing when the recipient takes the daily digest).
type NotificationMail struct {
	NotificationID int64 `json:"notification_id"`
}

// Kind names the job in River's table.
func (NotificationMail) Kind() string { return "notification_mail" }

// InsertOpts retries for about ten hours.
func (NotificationMail) InsertOpts() river.InsertOpts { return mailOpts }

// DigestMail is the job that e-mails each daily-digest user one message
// listing their notifications not e-mailed yet. It is unique per UTC day,
// so several instances (or a restart) never send two digests a day.
type DigestMail struct{}

// Kind names the job in River's table.
func (DigestMail) Kind() string { return "digest_mail" }

// InsertOpts makes the job unique per day.
func (DigestMail) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: mailAttempts, UniqueOpts: river.UniqueOpts{ByPeriod: 24 * time.Hour}}
}

// insertOnly is a River client that inserts jobs and works none.
func insertOnly(s *Store) *river.Client[pgx.Tx] {
	c, err := river.NewClient(riverpgxv5.New(s.pool), &river.Config{})
	if err != nil {
		panic(err) // an empty configuration is valid
	}
	return c
}

// JobClient returns a River client on the store's database configured by
// cfg: the handlers give it queues and workers, and start it.
func (s *Store) JobClient(cfg *river.Config) (*river.Client[pgx.Tx], error) {
	c, err := river.NewClient(riverpgxv5.New(s.pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("store: job client: %w", err)
	}
	return c, nil
}

// QueueInvitation queues the invitation e-mail to a new user.
func (s *Store) QueueInvitation(ctx context.Context, userID, inviterID int64) error {
	if _, err := s.jobs.Insert(ctx, InvitationMail{UserID: userID, InviterID: inviterID}, nil); err != nil {
		return fmt.Errorf("store: queue invitation of %d: %w", userID, err)
	}
	return nil
}

// QueueReset queues a password-reset e-mail to email. The job looks the
// account up, so queueing takes the same time whether there is one or not.
func (s *Store) QueueReset(ctx context.Context, email string) error {
	if _, err := s.jobs.Insert(ctx, ResetMail{Email: email}, nil); err != nil {
		return fmt.Errorf("store: queue password reset: %w", err)
	}
	return nil
}

// QueueDigest queues today's digest now, unless it was queued already
// today (the daily periodic job inserts the same).
func (s *Store) QueueDigest(ctx context.Context) error {
	if _, err := s.jobs.Insert(ctx, DigestMail{}, nil); err != nil {
		return fmt.Errorf("store: queue digest: %w", err)
	}
	return nil
}

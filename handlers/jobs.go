package handlers

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"groundwork/store"
)

// E-mail goes out from River's job queue in PostgreSQL, never from a
// request: a request (or the change it makes, in the same transaction)
// only inserts a job, so a slow or failing mail server neither slows nor
// breaks it. Every instance runs workers; River hands each job to one of
// them, retries a failed send with backoff (1 s, 16 s, 81 s, …, see
// store/jobs.go), and the job itself skips what was sent already.

// digestHour is when, in UTC, the daily digest goes out (the account
// page, its flash and the README say 07:00 UTC).
const digestHour = 7

// jobWorkers is how many jobs an instance works at once: sends wait on
// the mail server, not on this machine.
const jobWorkers = 4

// Start starts this instance's job workers (e-mails and the daily
// digest). Call Stop before closing the store.
func (p *Portal) Start(ctx context.Context) error {
	h := p.h
	workers := river.NewWorkers()
	river.AddWorker(workers, &invitationWorker{h: h})
	river.AddWorker(workers, &resetWorker{h: h})
	river.AddWorker(workers, &notificationWorker{h: h})
	river.AddWorker(workers, &digestWorker{h: h})
	c, err := h.store.JobClient(&river.Config{
		Queues:  map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: jobWorkers}},
		Workers: workers,
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(dailyAt(digestHour),
			func() (river.JobArgs, *river.InsertOpts) { return store.DigestMail{}, nil }, nil)},
		// A job that outlived its timeout (mail.SMTP gives up after 20 s)
		// is stuck, not slow: another instance may take it over.
		JobTimeout:           time.Minute,
		RescueStuckJobsAfter: 5 * time.Minute,
		Logger:               h.log,
	})
	if err != nil {
		return err
	}
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("handlers: start job workers: %w", err)
	}
	p.jobs = c
	return nil
}

// Stop lets the running jobs finish until ctx ends, then cancels them
// (a cancelled send is retried later, here or by another instance), and
// stops the PDF renderer's browser.
func (p *Portal) Stop(ctx context.Context) error {
	pdfErr := p.h.pdf.Close()
	if p.jobs == nil {
		return pdfErr
	}
	err := p.jobs.Stop(ctx)
	if err != nil {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err = errors.Join(err, p.jobs.StopAndCancel(hard))
	}
	p.jobs = nil
	return errors.Join(err, pdfErr)
}

// dailyAt is a River schedule: every day at hour:00 UTC.
type dailyAt int

func (d dailyAt) Next(t time.Time) time.Time {
	t = t.UTC()
	next := time.Date(t.Year(), t.Month(), t.Day(), int(d), 0, 0, 0, time.UTC)
	if !next.After(t) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// invitationWorker e-mails a new user the link to choose a password.
type invitationWorker struct {
	river.WorkerDefaults[store.InvitationMail]
	h *handler
}

func (w *invitationWorker) Work(ctx context.Context, job *river.Job[store.InvitationMail]) error {
	return w.h.sendInvitation(ctx, job.Args.UserID, job.Args.InviterID)
}

// resetWorker e-mails a password-reset link.
type resetWorker struct {
	river.WorkerDefaults[store.ResetMail]
	h *handler
}

func (w *resetWorker) Work(ctx context.Context, job *river.Job[store.ResetMail]) error {
	return w.h.sendReset(ctx, job.Args.Email)
}

// notificationWorker e-mails one notification, unless its recipient
// takes the digest or no notification e-mails, or it went out already (a
// repeated job).
type notificationWorker struct {
	river.WorkerDefaults[store.NotificationMail]
	h *handler
}

func (w *notificationWorker) Work(ctx context.Context, job *river.Job[store.NotificationMail]) error {
	m, err := w.h.store.NotificationMailing(ctx, job.Args.NotificationID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // gone, or the recipient no longer sees it
	}
	if err != nil || m.Emailed || m.Emails == store.EmailDaily {
		return err
	}
	if m.Emails == store.EmailNone {
		// Settled: no e-mail is due, now or in a digest taken later.
		return w.h.store.MarkEmailed(ctx, m.ID)
	}
	if err := w.h.mailer.Send(ctx, w.h.notificationMessage(m)); err != nil {
		return err
	}
	// Sent: note it even when the job's time is up, or it goes out twice.
	return w.h.store.MarkEmailed(context.WithoutCancel(ctx), m.ID)
}

// digestWorker sends each daily-digest user one e-mail listing what was
// not e-mailed yet. A retry sends only to those whose digest failed.
type digestWorker struct {
	river.WorkerDefaults[store.DigestMail]
	h *handler
}

func (w *digestWorker) Work(ctx context.Context, _ *river.Job[store.DigestMail]) error {
	digests, err := w.h.store.Digest(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, items := range digests {
		if err := w.h.mailer.Send(ctx, w.h.digestMessage(items)); err != nil {
			errs = append(errs, fmt.Errorf("digest to %s: %w", items[0].To, err))
			continue
		}
		ids := make([]int64, len(items))
		for i, m := range items {
			ids[i] = m.ID
		}
		if err := w.h.store.MarkEmailed(context.WithoutCancel(ctx), ids...); err != nil {
			return err
		}
	}
	return errors.Join(errs...)
}

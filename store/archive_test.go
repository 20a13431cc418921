package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"groundwork/assessment"
	"groundwork/store"
)

// TestArchiveAssessment: a program manager archives an assessment: it is
// read only for everyone (answers, comments, reviews refused with
// ErrArchived), left out of the lists and the review queue (its waiting
// phase withdrawn) and listed among the archived; restored, it is in use
// again. Readers cannot archive or restore.
func TestArchiveAssessment(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true)
	other, err := f.st.CreateAssessment(ctx, f.manager.ID, store.NewAssessment{Name: "Still in use", TemplateID: tpl.ID, TemplateVersion: tpl.Version})
	if err != nil {
		t.Fatal(err)
	}
	completeAndSubmit(t, f, tpl, a.ID)
	if n, _ := f.st.WaitingCount(ctx, f.advisor.ID, 100); n != 1 {
		t.Fatalf("the advisor sees %d phases waiting before the archive, want 1", n)
	}
	for _, who := range []int64{f.viewer.ID, f.advisor.ID} {
		if err := f.st.ArchiveAssessment(ctx, who, a.ID, tpl, true); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("user %d archives: %v, want ErrForbidden", who, err)
		}
	}
	if err := f.st.ArchiveAssessment(ctx, f.b.ID, a.ID, tpl, true); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another organisation's manager archives: %v, want ErrNotFound", err)
	}
	// The advisor has read the submission's notification in the portal
	// already: the archive settles its e-mail all the same (below).
	if err := f.st.MarkAllNotificationsRead(ctx, f.advisor.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ArchiveAssessment(ctx, f.manager.ID, a.ID, tpl, true); err != nil {
		t.Fatal(err)
	}

	st, err := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Archived() || st.ArchivedBy == "" || st.CanEdit || !st.CanArchive {
		t.Errorf("archived state: archived %v by %q, can edit %v, can archive %v", st.Archived(), st.ArchivedBy, st.CanEdit, st.CanArchive)
	}
	if st.Reviews["1"].State != assessment.ReviewNone {
		t.Errorf("phase 1's review is %q after the archive, want it withdrawn", st.Reviews["1"].State)
	}
	if n, _ := f.st.WaitingCount(ctx, f.advisor.ID, 100); n != 0 {
		t.Errorf("the advisor sees %d phases waiting after the archive, want none", n)
	}
	// The advisor is told, and the submission's notification is settled.
	notes, err := f.st.Notifications(ctx, f.advisor.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range notes {
		got = append(got, fmt.Sprintf("%s %s read=%v", n.Kind, n.PhaseKey, n.Read))
	}
	if strings.Join(got, "; ") != "withdrawn 1 read=false; submitted 1 read=true" {
		t.Errorf("the advisor's notifications = %q, want the withdrawal, unread, above the submission, read", got)
	}
	// Settled for e-mail too: a daily digest tells of the withdrawal alone.
	if err := f.st.SetNotificationEmail(ctx, f.advisor.ID, store.EmailDaily); err != nil {
		t.Fatal(err)
	}
	digests, err := f.st.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var digested []string
	for _, d := range digests {
		for _, m := range d {
			if m.To == f.advisor.Email {
				digested = append(digested, m.Kind)
			}
		}
	}
	if !slices.Equal(digested, []string{store.NotifyWithdrawn}) {
		t.Errorf("the advisor's digest tells of %q, want the withdrawal alone", digested)
	}
	if _, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "notes", Value: "late"}}); !errors.Is(err, store.ErrArchived) {
		t.Errorf("an answer to the archived assessment: %v, want ErrArchived", err)
	}
	if _, err := f.st.AddComment(ctx, f.admin.ID, a.ID, tpl, store.NewComment{Phase: "1", Body: "Still there?"}); !errors.Is(err, store.ErrArchived) {
		t.Errorf("an admin's comment on the archived assessment: %v, want ErrArchived", err)
	}
	if _, _, err := f.st.RenameAssessment(ctx, f.manager.ID, a.ID, tpl, "New name"); !errors.Is(err, store.ErrArchived) {
		t.Errorf("renaming the archived assessment: %v, want ErrArchived", err)
	}
	list := func(archived bool) []string {
		t.Helper()
		l, _, err := f.st.Assessments(ctx, f.advisor.ID, store.ListOptions{Archived: archived})
		if err != nil {
			t.Fatal(err)
		}
		return names(l)
	}
	if got := list(false); slices.Contains(got, "Move 2027") || !slices.Contains(got, other.Name) {
		t.Errorf("the list in use = %q, want the other assessment and not the archived one", got)
	}
	if got := list(true); !slices.Equal(got, []string{"Move 2027"}) {
		t.Errorf("the archived list = %q, want the archived one alone", got)
	}
	// The admin's lists (every organisation) too.
	if l, _, _ := f.st.Assessments(ctx, f.admin.ID, store.ListOptions{}); slices.Contains(names(l), "Move 2027") {
		t.Error("the admin's list shows the archived assessment")
	}

	// A phase sent back stays so when its assessment is archived (only
	// submissions are withdrawn), but the queue leaves it out too.
	sentBack, err := f.st.CreateAssessment(ctx, f.manager.ID, store.NewAssessment{Name: "Sent back", TemplateID: tpl.ID, TemplateVersion: tpl.Version})
	if err != nil {
		t.Fatal(err)
	}
	completeAndSubmit(t, f, tpl, sentBack.ID)
	requestChanges(t, f, tpl, sentBack.ID, "1")
	queued := func() (ids []int64) {
		t.Helper()
		for _, states := range [][]assessment.ReviewState{{assessment.ReviewChangesRequested}, {assessment.ReviewSubmitted, assessment.ReviewChangesRequested}} {
			for _, w := range queue(t, f, f.advisor.ID, store.QueueFilter{States: states}) {
				ids = append(ids, w.AssessmentID)
			}
		}
		return ids
	}
	if got := queued(); !slices.Equal(got, []int64{sentBack.ID, sentBack.ID}) {
		t.Fatalf("queue of phases sent back, and of both states, before the archive: %v, want %d in each", got, sentBack.ID)
	}
	if err := f.st.ArchiveAssessment(ctx, f.manager.ID, sentBack.ID, tpl, true); err != nil {
		t.Fatal(err)
	}
	if got := queued(); len(got) != 0 {
		t.Errorf("queue of phases sent back, and of both states, after the archive: %v, want none", got)
	}

	if err := f.st.ArchiveAssessment(ctx, f.manager.ID, a.ID, tpl, false); err != nil {
		t.Fatal(err)
	}
	if got := list(false); !slices.Contains(got, "Move 2027") {
		t.Errorf("after the restore the list = %q", got)
	}
	save(t, f, tpl, a.ID, change{Key: "notes", Value: "back at work"})
	events, _ := f.st.Events(ctx, f.manager.ID, store.EventFilter{AssessmentID: a.ID, Kind: "assessment", Limit: 10})
	if len(events) != 3 || events[0].After != "restored" || events[1].After != "archived" {
		t.Errorf("assessment events = %+v, want restored, archived, started", events)
	}
}

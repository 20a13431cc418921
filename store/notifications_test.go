package store_test

import (
	"context"
	"errors"
	"testing"

	"groundwork/store"
)

// kinds lists the kinds of a user's notifications, newest first.
func kinds(t *testing.T, f fixture, userID int64) []string {
	t.Helper()
	list, err := f.st.Notifications(context.Background(), userID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range list {
		out = append(out, n.Kind)
	}
	return out
}

func count(t *testing.T, f fixture, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// unread is the count the header shows, read with the session.
func unread(t *testing.T, f fixture, userID int64) int {
	t.Helper()
	ctx := context.Background()
	times := store.SessionTimes{Idle: 3600e9, Lifetime: 3600e9, Remember: 3600e9}
	id, err := f.st.CreateSession(ctx, userID, false, times)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := f.st.Session(ctx, id, times)
	if err != nil {
		t.Fatal(err)
	}
	return sess.Unread
}

func TestNotificationsGoToAdvisorsAndEditors(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true)
	manager2, err := f.st.CreateUser(ctx, store.NewUser{Email: "m2@example.org", Name: "Second Manager", Role: store.RoleManager, OrganisationID: f.orgA.ID, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	advisorB, err := f.st.CreateUser(ctx, store.NewUser{Email: "advisor-b@example.org", Name: "Advisor B", Role: store.RoleAdvisor, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.AssignAdvisor(ctx, f.admin.ID, advisorB.ID, f.orgB.ID); err != nil {
		t.Fatal(err)
	}
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "", 0); err != nil {
		t.Fatal(err)
	}

	// A change that rolls back after notifying leaves no notification and
	// no job: a trigger refuses the assessment's last write.
	if _, err := f.pool.Exec(ctx, `
		CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
		CREATE TRIGGER refuse BEFORE UPDATE ON assessments FOR EACH ROW EXECUTE FUNCTION refuse();`); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1"); err == nil {
		t.Fatal("submit succeeded despite the trigger")
	}
	if n := count(t, f, `SELECT count(*) FROM notifications`) + count(t, f, `SELECT count(*) FROM river_job`); n != 0 {
		t.Fatalf("a rolled-back submit left %d notifications and jobs", n)
	}
	if _, err := f.pool.Exec(ctx, `DROP TRIGGER refuse ON assessments`); err != nil {
		t.Fatal(err)
	}

	// Submitted: to the organisation's advisor (not org B's), with its job.
	if err := f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1"); err != nil {
		t.Fatal(err)
	}
	if got := kinds(t, f, f.advisor.ID); len(got) != 1 || got[0] != store.NotifySubmitted {
		t.Errorf("advisor's notifications = %v", got)
	}
	if got := kinds(t, f, advisorB.ID); len(got) != 0 {
		t.Errorf("another organisation's advisor was notified: %v", got)
	}
	if n := count(t, f, `SELECT count(*) FROM river_job j JOIN notifications n ON n.id = (j.args->>'notification_id')::bigint
		WHERE j.kind = 'notification_mail' AND n.user_id = $1`, f.advisor.ID); n != 1 {
		t.Errorf("%d e-mail jobs for the advisor's notification, want 1", n)
	}

	// Changes requested: to the manager who edited the phase, not to the
	// one who did not, nor to the viewer or the advisor.
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Reason: "Count tablet users too."}); err != nil {
		t.Fatal(err)
	}
	list, _ := f.st.Notifications(ctx, f.manager.ID)
	if len(list) != 1 || list[0].Kind != store.NotifyChangesRequested || list[0].Detail != "Count tablet users too." ||
		list[0].ActorName != f.advisor.Name || list[0].PhaseKey != "1" || list[0].AssessmentName != "Move 2027" || list[0].Read {
		t.Errorf("manager's notifications = %+v", list)
	}
	for _, u := range []store.User{manager2, f.viewer, f.admin} {
		if got := kinds(t, f, u.ID); len(got) != 0 {
			t.Errorf("%s was notified: %v", u.Email, got)
		}
	}

	// The editor gone, a decision goes to the organisation's managers.
	if err := f.st.SetUserActive(ctx, f.admin.ID, f.manager.ID, false); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SubmitPhase(ctx, manager2.ID, a.ID, tpl, "1"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	if got := kinds(t, f, manager2.ID); len(got) != 1 || got[0] != store.NotifyApproved {
		t.Errorf("with the editor deactivated, the other manager got %v", got)
	}

	// Read and unread, as the header counts them.
	if got := kinds(t, f, f.advisor.ID); len(got) != 2 {
		t.Fatalf("advisor's notifications = %v", got)
	}
	if n := unread(t, f, f.advisor.ID); n != 2 {
		t.Errorf("unread = %d, want 2", n)
	}
	list, _ = f.st.Notifications(ctx, f.advisor.ID)
	if err := f.st.MarkNotificationRead(ctx, manager2.ID, list[0].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("marking someone else's notification read: %v", err)
	}
	if err := f.st.MarkNotificationRead(ctx, f.advisor.ID, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if n := unread(t, f, f.advisor.ID); n != 1 {
		t.Errorf("unread after marking one = %d, want 1", n)
	}
	list, _ = f.st.Notifications(ctx, f.advisor.ID)
	if !list[0].Read || list[1].Read || list[0].ID < list[1].ID {
		t.Errorf("list after marking the newest read: %+v", list)
	}
	if err := f.st.MarkAllNotificationsRead(ctx, f.advisor.ID); err != nil {
		t.Fatal(err)
	}
	if n := unread(t, f, f.advisor.ID); n != 0 {
		t.Errorf("unread after marking all = %d", n)
	}

	// An advisor taken off the organisation no longer sees its
	// notifications, and is e-mailed nothing more about it.
	if err := f.st.UnassignAdvisor(ctx, f.admin.ID, f.advisor.ID, f.orgA.ID); err != nil {
		t.Fatal(err)
	}
	if got := kinds(t, f, f.advisor.ID); len(got) != 0 {
		t.Errorf("after unassignment the advisor sees %v", got)
	}
	if _, err := f.st.NotificationMailing(ctx, list[1].ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("mailing to an advisor taken off the organisation: %v", err)
	}
}

func TestDigestCollectsUnsentNotifications(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true)
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "", 0)
	if err := f.st.SetNotificationEmail(ctx, f.manager.ID, store.EmailDaily); err != nil {
		t.Fatal(err)
	}
	f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1")
	f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Reason: "More detail."})
	f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1")
	f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true})

	digests, err := f.st.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Only the manager takes the digest; the advisor's go one by one.
	if len(digests) != 1 || len(digests[0]) != 2 || digests[0][0].To != f.manager.Email ||
		digests[0][0].Kind != store.NotifyChangesRequested || digests[0][1].Kind != store.NotifyApproved {
		t.Fatalf("digests = %+v", digests)
	}
	if err := f.st.MarkEmailed(ctx, digests[0][0].ID, digests[0][1].ID); err != nil {
		t.Fatal(err)
	}
	if digests, _ := f.st.Digest(ctx); len(digests) != 0 {
		t.Errorf("after marking them e-mailed the digest holds %+v", digests)
	}
	m, err := f.st.NotificationMailing(ctx, digests[0][0].ID)
	if err != nil || !m.Emailed || m.Emails != store.EmailDaily || m.To != f.manager.Email {
		t.Errorf("mailing = %+v, %v", m, err)
	}
}

// TestNotificationEmailChoice: each of the three choices sticks (one e-mail
// each until someone chooses); someone who takes no e-mails is in no
// digest, though their notifications are listed.
func TestNotificationEmailChoice(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if got, err := f.st.NotificationEmail(ctx, f.manager.ID); got != store.EmailEach || err != nil {
		t.Errorf("a new user's choice = %q, %v; want %q", got, err, store.EmailEach)
	}
	for _, c := range []store.NotificationEmail{store.EmailNone, store.EmailDaily, store.EmailEach, store.EmailNone} {
		if err := f.st.SetNotificationEmail(ctx, f.manager.ID, c); err != nil {
			t.Fatalf("set %q: %v", c, err)
		}
		if got, err := f.st.NotificationEmail(ctx, f.manager.ID); got != c || err != nil {
			t.Errorf("after setting %q: %q, %v", c, got, err)
		}
	}
	if err := f.st.SetNotificationEmail(ctx, f.manager.ID, "hourly"); !errors.Is(err, store.ErrBadNotificationEmail) {
		t.Errorf("set an unknown choice: %v, want ErrBadNotificationEmail", err)
	}
	if got, _ := f.st.NotificationEmail(ctx, f.manager.ID); got != store.EmailNone {
		t.Errorf("after an unknown choice: %q, want the earlier %q", got, store.EmailNone)
	}

	// The manager takes none, the advisor the digest.
	if err := f.st.SetNotificationEmail(ctx, f.advisor.ID, store.EmailDaily); err != nil {
		t.Fatal(err)
	}
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true)
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "", 0)
	f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1")
	f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Reason: "More detail."})
	list, err := f.st.Notifications(ctx, f.manager.ID)
	if err != nil || len(list) != 1 || list[0].Kind != store.NotifyChangesRequested {
		t.Fatalf("the manager's notifications = %+v, %v; want the request for changes", list, err)
	}
	m, err := f.st.NotificationMailing(ctx, list[0].ID)
	if err != nil || m.Emails != store.EmailNone || m.Emailed {
		t.Errorf("the manager's mailing = %+v, %v; want one that takes none, not yet settled", m, err)
	}
	digests, err := f.st.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(digests) != 1 || len(digests[0]) != 1 || digests[0][0].To != f.advisor.Email || digests[0][0].Kind != store.NotifySubmitted {
		t.Errorf("digests = %+v; want the advisor's alone", digests)
	}
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"groundwork/store"
)

// logged is one event as the test expects it (before "-" for nothing).
type logged struct {
	kind, item, before, after string
	actor, org, assessment    int64
}

func (l logged) String() string {
	return fmt.Sprintf("%s %q: %q → %q by %d (org %d, assessment %d)", l.kind, l.item, l.before, l.after, l.actor, l.org, l.assessment)
}

// eventsSince reads the history rows written after id, oldest first, and
// returns them with the last id.
func eventsSince(t *testing.T, f fixture, id int64) ([]logged, int64) {
	t.Helper()
	rows, _ := f.pool.Query(context.Background(), `SELECT id, kind, item_key, coalesce(old_value, '-'), new_value,
		coalesce(changed_by, 0), coalesce(organisation_id, 0), coalesce(assessment_id, 0) FROM history WHERE id > $1 ORDER BY id`, id)
	var list []logged
	var l logged
	_, err := pgx.ForEachRow(rows, []any{&id, &l.kind, &l.item, &l.before, &l.after, &l.actor, &l.org, &l.assessment}, func() error {
		list = append(list, l)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return list, id
}

// TestAuditRecordsEveryChange makes every kind of change once and checks
// that each wrote exactly the events it should, with who, what, before and
// after, in the audit trail, and nothing else.
func TestAuditRecordsEveryChange(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	_, last := eventsSince(t, f, 0)
	var a store.Assessment
	var invited store.User
	var evidence store.Evidence
	const secret = "a long enough secret"
	orgA, orgB := f.orgA.ID, f.orgB.ID
	steps := []struct {
		name string
		do   func() error
		want func() []logged // after do: ids are known then
	}{
		{"invite", func() (err error) {
			invited, err = f.st.CreateUser(ctx, store.NewUser{Email: "new@example.org", Name: "New Person", Role: store.RoleViewer, OrganisationID: orgA, By: f.admin.ID})
			return err
		}, func() []logged {
			return []logged{{"account", "new@example.org", "-", "invited as Viewer of Ministry A", f.admin.ID, orgA, 0}}
		}},
		{"accept the invitation", func() error {
			token, err := f.st.CreateToken(ctx, invited.ID, store.TokenInvite, time.Hour)
			if err != nil {
				return err
			}
			_, err = f.st.UseToken(ctx, token, store.TokenInvite, secret, "")
			return err
		}, func() []logged {
			return []logged{{"password", "new@example.org", "-", "password set, invitation accepted", invited.ID, orgA, 0}}
		}},
		{"role change", func() error {
			return second(f.st.SetUserRole(ctx, f.admin.ID, invited.ID, store.RoleManager, orgB))
		}, func() []logged {
			return []logged{{"role", "new@example.org", "Viewer of Ministry A", "Program manager of Ministry B", f.admin.ID, orgB, 0}}
		}},
		{"deactivate", func() error { return f.st.SetUserActive(ctx, f.admin.ID, invited.ID, false) }, func() []logged {
			return []logged{{"active", "new@example.org", "active", "deactivated", f.admin.ID, orgB, 0}}
		}},
		{"reactivate", func() error { return f.st.SetUserActive(ctx, f.admin.ID, invited.ID, true) }, func() []logged {
			return []logged{{"active", "new@example.org", "deactivated", "active", f.admin.ID, orgB, 0}}
		}},
		{"organisation settings", func() error {
			return f.st.UpdateOrganisation(ctx, f.admin.ID, store.Organisation{ID: orgB, Name: "Ministry of Health B", Platform: "both"})
		}, func() []logged {
			return []logged{
				{"organisation", "name", "Ministry B", "Ministry of Health B", f.admin.ID, orgB, 0},
				{"organisation", "platform", "OpenCRVS", "CommCare HQ and OpenCRVS", f.admin.ID, orgB, 0},
			}
		}},
		{"assign an advisor", func() error { return f.st.AssignAdvisor(ctx, f.admin.ID, f.advisor.ID, orgB) }, func() []logged {
			return []logged{{"advisor", "advisor@example.org", "not assigned", "assigned", f.admin.ID, orgB, 0}}
		}},
		{"unassign the advisor", func() error { return f.st.UnassignAdvisor(ctx, f.admin.ID, f.advisor.ID, orgB) }, func() []logged {
			return []logged{{"advisor", "advisor@example.org", "assigned", "not assigned", f.admin.ID, orgB, 0}}
		}},
		{"own name", func() error { return f.st.SetUserName(ctx, f.manager.ID, "Grace Manager") }, func() []logged {
			return []logged{{"name", "manager@example.org", "manager manager@example.org", "Grace Manager", f.manager.ID, orgA, 0}}
		}},
		{"e-mail preference", func() error { return f.st.SetNotificationEmail(ctx, f.manager.ID, store.EmailDaily) }, func() []logged {
			return []logged{{"setting", "manager@example.org", "e-mail: one per notification", "e-mail: one daily digest", f.manager.ID, orgA, 0}}
		}},
		{"no e-mails", func() error { return f.st.SetNotificationEmail(ctx, f.manager.ID, store.EmailNone) }, func() []logged {
			return []logged{{"setting", "manager@example.org", "e-mail: one daily digest", "e-mail: none", f.manager.ID, orgA, 0}}
		}},
		{"own password", func() error { return f.st.ChangePassword(ctx, f.manager.ID, testPassword, secret, nil) }, func() []logged {
			return []logged{{"password", "manager@example.org", "-", "password changed", f.manager.ID, orgA, 0}}
		}},
		{"password reset", func() error {
			token, err := f.st.CreateToken(ctx, f.viewer.ID, store.TokenReset, time.Hour)
			if err != nil {
				return err
			}
			_, err = f.st.UseToken(ctx, token, store.TokenReset, secret, "")
			return err
		}, func() []logged {
			return []logged{{"password", "viewer@example.org", "-", "password reset with a single-use link", f.viewer.ID, orgA, 0}}
		}},
		{"start an assessment", func() (err error) {
			a, err = f.st.CreateAssessment(ctx, f.manager.ID, store.NewAssessment{Name: "Move", TemplateID: tpl.ID, TemplateVersion: tpl.Version, SignOff: true})
			return err
		}, func() []logged {
			return []logged{{"assessment", "", "-", "Move (mini, version 1), advisor sign-off required", f.manager.ID, orgA, a.ID}}
		}},
		{"answer", func() error {
			_, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "users", Value: "100"}})
			return err
		}, func() []logged {
			return []logged{{"answer", "users", "-", "100", f.manager.ID, orgA, a.ID}}
		}},
		{"answer again", func() error {
			_, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "users", Value: "120", Base: 1}})
			return err
		}, func() []logged {
			return []logged{{"answer", "users", "100", "120", f.manager.ID, orgA, a.ID}}
		}},
		{"confirmation", func() error {
			_, _, err := setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "https://wiki.example.org/design", 0)
			return err
		}, func() []logged {
			return []logged{{"checkpoint", "design_done", "-", "confirmed; evidence: https://wiki.example.org/design", f.manager.ID, orgA, a.ID}}
		}},
		{"evidence upload", func() (err error) {
			evidence, err = f.st.AddEvidence(ctx, f.manager.ID, a.ID, tpl, "design_done", "design.pdf", "application/pdf", []byte("%PDF-1.4"))
			return err
		}, func() []logged {
			return []logged{{"evidence", "design_done", "-", "added design.pdf (8 bytes)", f.manager.ID, orgA, a.ID}}
		}},
		{"evidence removal", func() error { return f.st.DeleteEvidence(ctx, f.manager.ID, a.ID, tpl, evidence.ID) }, func() []logged {
			return []logged{{"evidence", "design_done", "design.pdf", "removed design.pdf", f.manager.ID, orgA, a.ID}}
		}},
		{"submit", func() error { return f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1") }, func() []logged {
			return []logged{{"phase", "1", "not submitted", "submitted", f.manager.ID, orgA, a.ID}}
		}},
		{"request changes", func() error {
			return f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Reason: "Count tablets."})
		}, func() []logged {
			return []logged{
				{"comment", "1#1", "-", "changes requested: Count tablets.", f.advisor.ID, orgA, a.ID},
				{"phase", "1", "submitted", "changes requested: Count tablets.", f.advisor.ID, orgA, a.ID},
			}
		}},
		{"submit again", func() error { return f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1") }, func() []logged {
			return []logged{{"phase", "1", "changes requested", "submitted", f.manager.ID, orgA, a.ID}}
		}},
		{"approve", func() error {
			return f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true})
		}, func() []logged {
			// The approval settles the request for changes, left open.
			return []logged{
				{"comment", "1#1", "open", "resolved by the approval", f.advisor.ID, orgA, a.ID},
				{"phase", "1", "submitted", "approved (revision 1, SHA-256 …)", f.advisor.ID, orgA, a.ID},
			}
		}},
		{"waive", func() error { return f.st.WaivePhase(ctx, f.manager.ID, a.ID, tpl, "2", "No extras.") }, func() []logged {
			return []logged{{"phase", "2", "not submitted", "not applicable: No extras.", f.manager.ID, orgA, a.ID}}
		}},
		{"unwaive", func() error { return f.st.UnwaivePhase(ctx, f.manager.ID, a.ID, tpl, "2") }, func() []logged {
			return []logged{{"phase", "2", "not applicable: No extras.", "applicable again", f.manager.ID, orgA, a.ID}}
		}},
		{"reopen", func() error { return f.st.ReopenPhase(ctx, f.manager.ID, a.ID, tpl, "1", "Recount.") }, func() []logged {
			return []logged{{"phase", "1", "approved", "reopened as revision 2: Recount.", f.manager.ID, orgA, a.ID}}
		}},
		{"edit after reopening", func() error {
			_, _, err := saveAnswers(f.st, ctx, f.manager.ID, a.ID, tpl, []change{{Key: "users", Value: "130", Base: 2}})
			return err
		}, func() []logged {
			return []logged{{"answer", "users", "120", "130", f.manager.ID, orgA, a.ID}}
		}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		var got []logged
		got, last = eventsSince(t, f, last)
		want := s.want()
		if digests.ReplaceAllString(fmt.Sprint(got), "SHA-256 …") != fmt.Sprint(want) {
			t.Errorf("%s wrote\n  %v\nwant\n  %v", s.name, got, want)
		}
	}

	// Changes that change nothing write nothing.
	for name, fn := range map[string]func() error{
		"same role":        func() error { return second(f.st.SetUserRole(ctx, f.admin.ID, invited.ID, store.RoleManager, orgB)) },
		"active already":   func() error { return f.st.SetUserActive(ctx, f.admin.ID, invited.ID, true) },
		"same name":        func() error { return f.st.SetUserName(ctx, f.manager.ID, "Grace Manager") },
		"same preference":  func() error { return f.st.SetNotificationEmail(ctx, f.manager.ID, store.EmailNone) },
		"assigned already": func() error { return f.st.AssignAdvisor(ctx, f.admin.ID, f.advisor.ID, orgA) },
		"same settings": func() error {
			return f.st.UpdateOrganisation(ctx, f.admin.ID, store.Organisation{ID: orgA, Name: "Ministry A", Platform: "commcare"})
		},
		"unassigned already": func() error { return f.st.UnassignAdvisor(ctx, f.admin.ID, f.advisor.ID, orgB) },
	} {
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got []logged
		if got, last = eventsSince(t, f, last); len(got) != 0 {
			t.Errorf("%s wrote %v, want nothing", name, got)
		}
	}

	// Refused changes write nothing either.
	if _, err := f.st.SetUserRole(ctx, f.manager.ID, invited.ID, store.RoleAdmin, 0); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("a manager changes a role: %v", err)
	}
	if _, err := f.st.CreateUser(ctx, store.NewUser{Email: "x@example.org", Name: "X", Role: store.RoleAdmin, By: f.manager.ID}); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("a manager invites: %v", err)
	}
	if _, err := f.st.CreateOrganisation(ctx, f.advisor.ID, store.Organisation{Slug: "x", Name: "X", Platform: "both"}); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("an advisor creates an organisation: %v", err)
	}
	if err := f.st.SetNotificationEmail(ctx, f.manager.ID, "hourly"); !errors.Is(err, store.ErrBadNotificationEmail) {
		t.Errorf("an unknown e-mail choice: %v", err)
	}
	if got, _ := eventsSince(t, f, last); len(got) != 0 {
		t.Errorf("refused changes wrote %v", got)
	}

	// No password and no hash is ever in the trail.
	var leaks int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM history WHERE concat(old_value, new_value) LIKE '%argon2%'
		OR concat(old_value, new_value) LIKE '%' || $1 || '%' OR concat(old_value, new_value) LIKE '%' || $2 || '%'`,
		secret, testPassword).Scan(&leaks); err != nil || leaks != 0 {
		t.Errorf("%d events hold a password or a hash (%v)", leaks, err)
	}
	// Each event keeps the actor's name and address as they were: a later
	// rename leaves them.
	if err := f.st.SetUserName(ctx, f.manager.ID, "Grace M. Hopper"); err != nil {
		t.Fatal(err)
	}
	var name, email string
	if err := f.pool.QueryRow(ctx, `SELECT actor_name, actor_email FROM history WHERE kind = 'password' AND changed_by = $1`, f.manager.ID).Scan(&name, &email); err != nil ||
		name != "Grace Manager" || email != "manager@example.org" {
		t.Errorf("the password change's actor = %q <%s>, %v; want Grace Manager <manager@example.org>", name, email, err)
	}
	// The per-item history reads the same log.
	if hist, err := f.st.History(ctx, f.viewer.ID, a.ID, "answer", "users"); err != nil || len(hist) != 3 || hist[0].New != "130" || hist[0].By != "Grace M. Hopper" {
		t.Errorf("History(users) = %+v, %v", hist, err)
	}
}

// TestAuditIsAppendOnly: the application's own role (the pool's, here the
// database owner) can neither change nor remove an event, nor empty the
// table; adding events still works.
func TestAuditIsAppendOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var before int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM history`).Scan(&before); err != nil || before == 0 {
		t.Fatalf("%d events to start with (%v), want some", before, err)
	}
	for _, sql := range []string{
		`UPDATE history SET new_value = 'forged'`,
		`UPDATE history SET new_value = 'forged' WHERE id = -1`, // even touching no row
		`DELETE FROM history`,
		`DELETE FROM history WHERE id = (SELECT min(id) FROM history)`,
		`TRUNCATE history`,
		`TRUNCATE history CASCADE`,
	} {
		_, err := f.pool.Exec(ctx, sql)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || !strings.Contains(pgErr.Message, "append-only") {
			t.Errorf("%s: err = %v, want refused as append-only", sql, err)
		}
	}
	var after int
	var forged bool
	if err := f.pool.QueryRow(ctx, `SELECT count(*), bool_or(new_value = 'forged') FROM history`).Scan(&after, &forged); err != nil || after != before || forged {
		t.Errorf("after the refusals: %d events (want %d), forged %v, %v", after, before, forged, err)
	}
	if err := f.st.SetUserName(ctx, f.viewer.ID, "Still Appending"); err != nil {
		t.Errorf("a new event: %v", err)
	}
}

// TestEventsScope: one assessment's events are for those who can see it;
// the whole trail is for administrators; filters narrow it.
func TestEventsScope(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	save(t, f, tpl, a.ID, change{Key: "notes", Value: "Hello"})
	if err := f.st.SetUserName(ctx, f.viewer.ID, "Vera Viewer"); err != nil {
		t.Fatal(err)
	}
	count := func(actor int64, flt store.EventFilter) int {
		t.Helper()
		flt.Limit = 1000
		list, err := f.st.Events(ctx, actor, flt)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	one := store.EventFilter{AssessmentID: a.ID}
	for _, u := range []store.User{f.manager, f.viewer, f.advisor, f.admin} {
		if n := count(u.ID, one); n != 3 { // started, two answers
			t.Errorf("%s sees %d events of the assessment, want 3", u.Role, n)
		}
	}
	if n := count(f.b.ID, one); n != 0 {
		t.Errorf("another organisation's manager sees %d events", n)
	}
	for _, u := range []store.User{f.manager, f.advisor} {
		if n := count(u.ID, store.EventFilter{}); n != 0 {
			t.Errorf("%s reads %d events of the whole trail, want none", u.Role, n)
		}
	}
	all := count(f.admin.ID, store.EventFilter{})
	if all < 12 { // 2 organisations, 5 users, 1 assignment, the assessment's 3, a name
		t.Errorf("the admin sees %d events in all", all)
	}
	for name, tt := range map[string]struct {
		f    store.EventFilter
		want int
	}{
		"kind":         {store.EventFilter{AssessmentID: a.ID, Kind: "answer"}, 2},
		"items":        {store.EventFilter{AssessmentID: a.ID, Items: []string{"notes"}}, 1},
		"person":       {store.EventFilter{ActorID: f.viewer.ID}, 1},
		"organisation": {store.EventFilter{OrganisationID: f.orgB.ID}, 2}, // created, its manager created
		"from":         {store.EventFilter{From: time.Now().Add(time.Hour)}, 0},
		"until":        {store.EventFilter{Until: time.Now().Add(-time.Hour)}, 0},
		"in range":     {store.EventFilter{From: time.Now().Add(-time.Hour), Until: time.Now().Add(time.Hour)}, all},
	} {
		if n := count(f.admin.ID, tt.f); n != tt.want {
			t.Errorf("%s: %d events, want %d", name, n, tt.want)
		}
	}
	// Pages: newest first, each older than the last.
	first, err := f.st.Events(ctx, f.admin.ID, store.EventFilter{Limit: 5})
	if err != nil || len(first) != 5 {
		t.Fatalf("first page: %d, %v", len(first), err)
	}
	next, err := f.st.Events(ctx, f.admin.ID, store.EventFilter{Limit: 5, Before: first[4].ID})
	if err != nil || len(next) == 0 || next[0].ID >= first[4].ID || first[0].Kind != "name" {
		t.Errorf("pages: %+v then %+v, %v", first, next, err)
	}
	// The cursor of one assessment's list is one of its own events: an
	// event of another assessment (org B's) answers as an unknown one does,
	// with nothing, so it tells nothing of when that event happened.
	bAssessment, err := f.st.CreateAssessment(ctx, f.b.ID, store.NewAssessment{Name: "B's move", TemplateID: tpl.ID, TemplateVersion: tpl.Version})
	if err != nil {
		t.Fatal(err)
	}
	bEvents, err := f.st.Events(ctx, f.admin.ID, store.EventFilter{AssessmentID: bAssessment.ID, Limit: 1})
	if err != nil || len(bEvents) != 1 {
		t.Fatalf("org B's assessment events: %v, %v", bEvents, err)
	}
	if n := count(f.manager.ID, store.EventFilter{AssessmentID: a.ID, Before: bEvents[0].ID}); n != 0 {
		t.Errorf("an event of another organisation as the cursor lists %d events, want none (as for an unknown one)", n)
	}
	own, _ := f.st.Events(ctx, f.manager.ID, store.EventFilter{AssessmentID: a.ID, Limit: 1})
	if n := count(f.manager.ID, store.EventFilter{AssessmentID: a.ID, Before: own[0].ID}); n != 2 {
		t.Errorf("the list after its newest event holds %d, want the 2 older", n)
	}
	people, err := f.st.EventActors(ctx, f.viewer.ID, a.ID)
	if err != nil || len(people) != 1 || people[0].ID != f.manager.ID {
		t.Errorf("EventActors = %+v, %v", people, err)
	}
	if people, _ := f.st.EventActors(ctx, f.b.ID, a.ID); len(people) != 0 {
		t.Errorf("another organisation lists the people: %+v", people)
	}
}

// digests stands for the SHA-256 of a sign-off in an event's text.
var digests = regexp.MustCompile(`SHA-256 [0-9a-f]{64}`)

// TestAuditMigrationDown: migration 7 reverts with events of every sort in
// the table (the trigger goes first), keeping the assessments' history, and
// applies again.
func TestAuditMigrationDown(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	cfg := f.pool.Config().ConnConfig.ConnString()
	f.pool.Close()
	m, err := store.NewMigrator(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	v, _, err := m.Version()
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Down(int(v) - 6); err != nil { // to before migration 7, through any later one
		t.Fatalf("down: %v", err)
	}
	conn, err := pgx.Connect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var kinds string
	if err := conn.QueryRow(ctx, `SELECT string_agg(kind || ':' || item_key, ',' ORDER BY id) FROM history`).Scan(&kinds); err != nil || kinds != "answer:users" {
		t.Errorf("history after down = %q, %v; want the answer only", kinds, err)
	}
	conn.Close(ctx)
	if err := m.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
}

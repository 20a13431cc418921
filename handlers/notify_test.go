package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
	"groundwork/store/storetest"
)

// mailSubjects lists the subjects of messages, sorted: jobs run in any
// order.
func mailSubjects(ms []received) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Subject)
	}
	slices.Sort(out)
	return out
}

// Two instances on one database, both working the queue: every event is
// e-mailed exactly once, whichever instance took the request. The events
// are queued first and the two instances started together, so that both
// take jobs from the same backlog: the mail server takes 1.5 s a message,
// so the nine e-mails keep one instance's four workers busy for three
// rounds, and the other, starting within a poll interval (1 s), gets some.
func TestNotificationMailsOncePerEventWithTwoInstances(t *testing.T) {
	smtp := newSMTPServer(t, func(s *smtpServer) { s.delay = 1500 * time.Millisecond })
	pool := storetest.Pool(t)
	e := handlerstest.NewEnvOn(t, pool, func(o *handlers.Options) { o.Mailer = smtp.mailer() })
	second := handlers.New(store.New(pool), e.Opts)
	srv2 := httptest.NewServer(second)
	t.Cleanup(srv2.Close)
	e2 := &handlerstest.Env{Srv: srv2}

	manager := e.Browser(t)
	manager.SignIn("manager@example.org")
	advisor := e2.Browser(t) // the advisor's requests go to the second instance
	advisor.SignIn("advisor@example.org")
	bases := []string{handlerstest.ReviewCycle(t, manager, advisor), handlerstest.ReviewCycle(t, manager, advisor)}
	admin := e2.Browser(t)
	admin.SignIn("admin@example.org")
	if resp, _ := admin.Post("/admin/users", url.Values{"name": {"Nia"}, "email": {"nia@example.org"}, "role": {"advisor"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite = %d", resp.StatusCode)
	}
	if n := len(smtp.all()); n != 0 {
		t.Fatalf("%d e-mails before any instance works the queue", n)
	}
	started := make(chan error)
	go func() { started <- second.Start(context.Background()) }()
	e.StartJobs(t)
	if err := <-started; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Stop(context.Background()) })
	e.Mail.Settle()

	ready := "Ready for review: System assessment and design · Production move 2027"
	if got, want := mailSubjects(smtp.to("advisor@example.org")), []string{ready, ready, ready, ready}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("advisor's e-mails: %q, want %q", got, want)
	}
	mails := smtp.to("manager@example.org")
	approved, changes := "Approved: System assessment and design · Production move 2027", "Changes requested: System assessment and design · Production move 2027"
	if got, want := mailSubjects(mails), []string{approved, approved, changes, changes}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("manager's e-mails: %q, want %q", got, want)
	}
	links := 0
	for _, m := range mails {
		if !strings.HasPrefix(m.Subject, "Changes requested") {
			continue
		}
		if !strings.Contains(m.Body, "Add the tablet users.") {
			t.Errorf("changes-requested e-mail lacks the reason:\n%s", m.Body)
		}
		for _, base := range bases {
			if strings.Contains(m.Body, e.Srv.URL+base+"/phases/1.1\n") {
				links++
			}
		}
	}
	if links != 2 {
		t.Errorf("%d of the 2 changes-requested e-mails link to their phase", links)
	}
	if n := len(smtp.to("nia@example.org")); n != 1 {
		t.Errorf("%d invitation e-mails, want 1", n)
	}
	if all := smtp.all(); len(all) != 9 {
		t.Errorf("%d e-mails in all, want 9 (the viewer and the admin get none): %q", len(all), mailSubjects(all))
	}
	var done, workers int
	pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE state = 'completed'), count(DISTINCT attempted_by[1]) FROM river_job`).Scan(&done, &workers)
	if done != 9 {
		t.Errorf("%d jobs completed, want 9", done)
	}
	if workers != 2 {
		t.Errorf("the jobs were worked by %d instances, want both", workers)
	}
}

// A mail server that refuses the first attempt: the job tries again
// (River's backoff: about a second) and the e-mail arrives once.
func TestFailedSendIsRetriedThenDeliveredOnce(t *testing.T) {
	smtp := newSMTPServer(t, func(s *smtpServer) { s.refuse = 1 })
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Mailer = smtp.mailer() })
	manager := e.Browser(t)
	manager.SignIn("manager@example.org")
	base := handlerstest.Start(t, manager, true)
	form := handlerstest.Phase11()
	handlerstest.AddVersions(t, manager, base+"/phases/1.1", form)
	manager.Post(base+"/phases/1.1", form)
	if resp, _ := manager.Post(base+"/phases/1.1/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", resp.StatusCode)
	}
	e.Mail.Settle()
	if got := smtp.to("advisor@example.org"); len(got) != 1 || smtp.refused != 1 {
		t.Fatalf("advisor got %d e-mails after %d refusals, want 1 after 1", len(got), smtp.refused)
	}
	var attempt, errs int
	var state string
	if err := e.Pool.QueryRow(context.Background(), `SELECT attempt, state, coalesce(array_length(errors, 1), 0) FROM river_job WHERE kind = 'notification_mail'`).Scan(&attempt, &state, &errs); err != nil {
		t.Fatal(err)
	}
	if attempt != 2 || state != "completed" || errs != 1 {
		t.Errorf("job: attempt %d, state %s, %d errors; want 2, completed, 1", attempt, state, errs)
	}
}

// A daily-digest user gets no e-mail per event, then one digest listing
// them; queueing the digest again the same day sends nothing more.
func TestDailyDigestSendsOneMail(t *testing.T) {
	smtp := newSMTPServer(t)
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Mailer = smtp.mailer() })
	manager := e.Browser(t)
	manager.SignIn("manager@example.org")
	if resp, _ := manager.Post("/account/notifications", url.Values{"emails": {"daily"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("choose the digest = %d", resp.StatusCode)
	}
	if _, page := manager.Get("/account"); !strings.Contains(page, `value="daily" checked`) || !strings.Contains(page, "one digest e-mail a day") {
		t.Error("the account page does not show the digest chosen")
	}
	if resp, _ := manager.Post("/account/notifications", url.Values{"emails": {"hourly"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown choice = %d, want 400", resp.StatusCode)
	}
	advisor := e.Browser(t)
	advisor.SignIn("advisor@example.org")
	handlerstest.ReviewCycle(t, manager, advisor)
	e.Mail.Settle()
	if n := len(smtp.to("manager@example.org")); n != 0 {
		t.Fatalf("a digest user got %d e-mails per event", n)
	}
	if n := len(smtp.to("advisor@example.org")); n != 2 {
		t.Errorf("the advisor (one e-mail each) got %d, want 2", n)
	}
	for range 2 {
		if err := e.St.QueueDigest(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.Mail.Settle()
	}
	got := smtp.to("manager@example.org")
	if len(got) != 1 {
		t.Fatalf("%d digests, want 1", len(got))
	}
	if got[0].Subject != "Your Groundwork digest: 2 notifications" || !strings.Contains(got[0].Body, "advisor asked for changes to “System assessment and design”") ||
		!strings.Contains(got[0].Body, "advisor approved “System assessment and design”") || !strings.Contains(got[0].Body, "Add the tablet users.") {
		t.Errorf("digest:\n%s\n%s", got[0].Subject, got[0].Body)
	}
	if n := len(smtp.all()); n != 3 {
		t.Errorf("%d e-mails in all, want 3", n)
	}
}

// Someone who takes no notification e-mails gets none, for decisions or
// mentions, now or in a digest taken later, while their notifications are
// listed; someone who takes one each still gets theirs; a password reset
// still reaches them; and the audit trail records the choice.
func TestNoNotificationEmails(t *testing.T) {
	e := handlerstest.NewEnv(t)
	ctx := context.Background()
	manager := e.Browser(t)
	manager.SignIn("manager@example.org")
	handlerstest.Posted(t, "choose no e-mails", manager, "/account/notifications", url.Values{"emails": {"none"}})
	if _, page := manager.Get("/account"); !strings.Contains(page, `value="none" checked`) || !strings.Contains(page, "You will get no notification e-mails") {
		t.Errorf("the account page does not show no e-mails chosen:\n%s", page)
	}
	for _, form := range []url.Values{{"emails": {"hourly"}}, {"emails": {""}}, {"digest": {"daily"}}} {
		if resp, body := manager.Post("/account/notifications", form); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "no notification e-mails") {
			t.Errorf("POST %v = %d, want 400 naming the choices", form, resp.StatusCode)
		}
	}
	if got, _ := e.St.NotificationEmail(ctx, e.Manager.ID); got != store.EmailNone {
		t.Errorf("after refused choices the manager's is %q, want none", got)
	}

	advisor := e.Browser(t)
	advisor.SignIn("advisor@example.org")
	base := handlerstest.ReviewCycle(t, manager, advisor) // two decisions to the manager, two submissions to the advisor
	handlerstest.Posted(t, "advisor mentions the manager", advisor, base+"/phases/1.1/comments", url.Values{"comment": {"@manager is this the May diagram?"}})
	handlerstest.Posted(t, "manager mentions the advisor", manager, base+"/phases/1.1/comments", url.Values{"comment": {"@advisor yes, the May one."}})
	if n := e.Mail.Count("manager@example.org"); n != 0 {
		t.Errorf("the manager, who takes no e-mails, got %d", n)
	}
	if n := e.Mail.Count("advisor@example.org"); n != 3 {
		t.Errorf("the advisor (one e-mail each) got %d, want 3: two submissions and the mention", n)
	}
	var open, unsettled int
	e.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state <> 'completed'`).Scan(&open)
	e.Pool.QueryRow(ctx, `SELECT count(*) FROM notifications WHERE emailed_at IS NULL`).Scan(&unsettled)
	if open != 0 || unsettled != 0 {
		t.Errorf("%d jobs not completed, %d notifications not settled; want none", open, unsettled)
	}
	if _, page := manager.Get("/notifications"); strings.Count(page, `class="note unread"`) != 3 || !strings.Contains(page, "You have chosen not to get them by e-mail") {
		t.Errorf("the manager's notifications page does not list the three, or says they are e-mailed:\n%s", page)
	}

	// Taking the digest later does not send what came meanwhile.
	handlerstest.Posted(t, "choose the digest", manager, "/account/notifications", url.Values{"emails": {"daily"}})
	if err := e.St.QueueDigest(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.Mail.Count("manager@example.org"); n != 0 {
		t.Errorf("the digest after no e-mails sent %d", n)
	}
	handlerstest.Posted(t, "choose no e-mails again", manager, "/account/notifications", url.Values{"emails": {"none"}})
	// A reset link is not a notification.
	if resp, _ := e.Browser(t).Post("/password/forgot", url.Values{"email": {"manager@example.org"}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("forgot password = %d", resp.StatusCode)
	}
	if n := e.Mail.Count("manager@example.org"); n != 1 {
		t.Errorf("the manager got %d e-mails after asking for a reset link, want 1", n)
	}

	admin := e.Browser(t)
	admin.SignIn("admin@example.org")
	if _, page := admin.Get("/admin/audit?kind=setting"); strings.Count(page, `<div>e-mail: none</div></td></tr>`) != 2 {
		t.Errorf("the audit trail's Notification e-mails do not show both choices of none (in After):\n%s", page)
	}
}

// A mail server that accepts connections and never answers: requests that
// queue e-mail answer at once, and none fails.
func TestRequestsDoNotWaitForAHangingMailServer(t *testing.T) {
	smtp := newSMTPServer(t, func(s *smtpServer) { s.hang = true })
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Mailer = smtp.mailer() })
	e.StartJobs(t)
	defer smtp.close() // before the workers stop: the hung sends fail at once
	manager := e.Browser(t)
	manager.SignIn("manager@example.org")
	admin := e.Browser(t)
	admin.SignIn("admin@example.org")
	base := handlerstest.Start(t, manager, true)
	form := handlerstest.Phase11()
	handlerstest.AddVersions(t, manager, base+"/phases/1.1", form)
	manager.Post(base+"/phases/1.1", form)

	timed := func(what string, b *handlerstest.Browser, path string, form url.Values) time.Duration {
		t0 := time.Now()
		resp, _ := b.Post(path, form)
		d := time.Since(t0)
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusOK {
			t.Errorf("%s = %d", what, resp.StatusCode)
		}
		t.Logf("%s with a hanging mail server: %v", what, d.Round(time.Millisecond))
		if d > 2*time.Second {
			t.Errorf("%s took %v: it waited for the mail server", what, d)
		}
		return d
	}
	timed("submit", manager, base+"/phases/1.1/submit", url.Values{})
	timed("invite", admin, "/admin/users", url.Values{"name": {"Nia"}, "email": {"nia@example.org"}, "role": {"advisor"}})
	timed("forgot password", e.Browser(t), "/password/forgot", url.Values{"email": {"viewer@example.org"}})

	// The jobs are stuck on the mail server, not lost.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var running int
		e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE state = 'running'`).Scan(&running)
		if running == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs running, want 3 waiting on the mail server", running)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(smtp.all()); n != 0 {
		t.Errorf("%d e-mails through a server that never answers", n)
	}
}

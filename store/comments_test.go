package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"groundwork/store"
)

func TestFindMentions(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"@amina please check", []string{"@amina"}},
		{"Thanks, @amina.otieno.", []string{"@amina.otieno"}},
		{"(@a) and @b,@c", []string{"@a", "@b", "@c"}},
		{"cc @amina@moh.go.ke: see above", []string{"@amina@moh.go.ke"}},
		{"write to ops@moh.go.ke, not @ all", nil},
		{"@Été-2 ok", []string{"@Été-2"}},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range store.FindMentions(tt.text) {
			got = append(got, tt.text[r[0]:r[1]])
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("FindMentions(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestCommentThreads(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()
	add := func(actor int64, n store.NewComment) (store.CommentSaved, error) {
		return f.st.AddComment(ctx, actor, a.ID, tpl, n)
	}
	root, err := add(f.manager.ID, store.NewComment{Phase: "1", Body: "  Who owns the design?  "})
	if err != nil || root.ID == 0 || root.Thread != root.ID {
		t.Fatalf("manager starts a thread: %+v, %v", root, err)
	}
	reply, err := add(f.advisor.ID, store.NewComment{Phase: "1", Thread: root.ID, Question: "notes", Body: "The ministry's architect."})
	if err != nil || reply.Thread != root.ID {
		t.Fatalf("advisor replies: %+v, %v", reply, err)
	}
	onQ, err := add(f.admin.ID, store.NewComment{Phase: "1", Question: "users", Body: "Count tablets too?"})
	if err != nil {
		t.Fatalf("admin comments on a question: %v", err)
	}

	// Refusals: who, where, what.
	refused := []struct {
		name  string
		actor int64
		n     store.NewComment
		want  error
	}{
		{"viewer", f.viewer.ID, store.NewComment{Phase: "1", Body: "Hi"}, store.ErrForbidden},
		{"other organisation", f.b.ID, store.NewComment{Phase: "1", Body: "Hi"}, store.ErrNotFound},
		{"unknown phase", f.manager.ID, store.NewComment{Phase: "9", Body: "Hi"}, store.ErrNotFound},
		{"question of another phase", f.manager.ID, store.NewComment{Phase: "1", Question: "ups", Body: "Hi"}, store.ErrNotFound},
		{"reply on another phase", f.manager.ID, store.NewComment{Phase: "3", Thread: root.ID, Body: "Hi"}, store.ErrNotFound},
		{"reply to a reply", f.manager.ID, store.NewComment{Phase: "1", Thread: reply.ID, Body: "Hi"}, store.ErrNotFound},
		{"empty", f.manager.ID, store.NewComment{Phase: "1", Body: " \n "}, store.ErrEmptyComment},
		{"too long", f.manager.ID, store.NewComment{Phase: "1", Body: strings.Repeat("é", store.MaxCommentChars+1)}, store.ErrCommentTooLong},
		{"viewer, empty", f.viewer.ID, store.NewComment{Phase: "1", Body: ""}, store.ErrForbidden},
	}
	for _, r := range refused {
		if _, err := add(r.actor, r.n); !errors.Is(err, r.want) {
			t.Errorf("%s: err = %v, want %v", r.name, err, r.want)
		}
	}
	// Exactly the limit, with line breaks as a browser sends them ("\r\n",
	// counted once, as the page's counter counts them).
	long := "éé" + strings.Repeat("\r\né", (store.MaxCommentChars-2)/2)
	if _, err := add(f.manager.ID, store.NewComment{Phase: "1", Body: long}); err != nil {
		t.Errorf("a comment of exactly %d characters: %v", store.MaxCommentChars, err)
	}

	// Everyone who can see the organisation reads them; others see none.
	threads, err := f.st.Threads(ctx, f.viewer.ID, a.ID, "1")
	if err != nil || len(threads) != 3 {
		t.Fatalf("viewer reads %d threads, %v; want 3", len(threads), err)
	}
	th := threads[0]
	if th.ID != root.ID || th.Body != "Who owns the design?" || th.Author != f.manager.Name || th.Kind != store.KindComment ||
		th.Question != "" || th.Resolved() || len(th.Replies) != 1 || th.CreatedAt.IsZero() {
		t.Errorf("thread = %+v", th)
	}
	if r := th.Replies[0]; r.ID != reply.ID || r.Author != f.advisor.Name || r.Body != "The ministry's architect." || r.Edited() {
		t.Errorf("reply = %+v", r)
	}
	if threads[1].ID != onQ.ID || threads[1].Question != "users" {
		t.Errorf("question thread = %+v", threads[1])
	}
	if b := threads[2].Body; strings.Contains(b, "\r") || len([]rune(b)) != store.MaxCommentChars {
		t.Errorf("the long comment is kept with %d characters, line breaks %q; want %d, \\n", len([]rune(b)), b[2:5], store.MaxCommentChars)
	}
	if got, _ := f.st.Threads(ctx, f.viewer.ID, a.ID, "3"); len(got) != 0 {
		t.Errorf("phase 3 has %d threads, want 0", len(got))
	}
	if got, _ := f.st.Threads(ctx, f.viewer.ID, a.ID, ""); len(got) != 3 {
		t.Errorf("every phase: %d threads, want 3", len(got))
	}
	if got, err := f.st.Threads(ctx, f.b.ID, a.ID, ""); err != nil || len(got) != 0 {
		t.Errorf("another organisation's manager reads %d threads (%v)", len(got), err)
	}
	hist, _ := f.st.History(ctx, f.manager.ID, a.ID, "comment", "1#"+strconv.FormatInt(reply.ID, 10))
	if len(hist) != 1 || hist[0].New != "The ministry's architect." || hist[0].Old != nil || hist[0].By != f.advisor.Name {
		t.Errorf("history of the reply = %+v", hist)
	}
}

func TestEditCommentKeepsEarlierText(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()
	c, err := f.st.AddComment(ctx, f.advisor.ID, a.ID, tpl, store.NewComment{Phase: "1", Body: "First text"})
	if err != nil {
		t.Fatal(err)
	}
	edit := func(actor int64, phase, body string) error {
		_, err := f.st.EditComment(ctx, actor, a.ID, tpl, phase, c.ID, body)
		return err
	}
	for _, r := range []struct {
		name  string
		actor int64
		phase string
		body  string
		want  error
	}{
		{"another commenter", f.manager.ID, "1", "Mine now", store.ErrForbidden},
		{"a viewer", f.viewer.ID, "1", "Mine now", store.ErrForbidden},
		{"another organisation", f.b.ID, "1", "Mine now", store.ErrNotFound},
		{"through another phase", f.advisor.ID, "3", "Second text", store.ErrNotFound},
		{"emptied", f.advisor.ID, "1", "  ", store.ErrEmptyComment},
	} {
		if err := edit(r.actor, r.phase, r.body); !errors.Is(err, r.want) {
			t.Errorf("%s edits: %v, want %v", r.name, err, r.want)
		}
	}
	if err := edit(f.advisor.ID, "1", "Second text"); err != nil {
		t.Fatal(err)
	}
	if err := edit(f.advisor.ID, "1", "Second text"); err != nil {
		t.Fatal(err) // the same text: nothing to keep
	}
	if err := edit(f.advisor.ID, "1", "Third text"); err != nil {
		t.Fatal(err)
	}
	threads, _ := f.st.Threads(ctx, f.manager.ID, a.ID, "1")
	got := threads[0]
	if got.Body != "Third text" || !got.Edited() || len(got.Previous) != 2 ||
		got.Previous[0].Body != "First text" || got.Previous[1].Body != "Second text" || got.Previous[0].ReplacedAt.After(got.EditedAt) {
		t.Errorf("after two edits: %q, edited %v, previous %+v", got.Body, got.EditedAt, got.Previous)
	}
	hist, _ := f.st.History(ctx, f.manager.ID, a.ID, "comment", "1#"+strconv.FormatInt(c.ID, 10))
	if len(hist) != 3 || hist[0].Version != 2 || *hist[0].Old != "Second text" || hist[0].New != "Third text" {
		t.Errorf("history = %+v", hist)
	}
}

func TestResolveThread(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()
	c, _ := f.st.AddComment(ctx, f.advisor.ID, a.ID, tpl, store.NewComment{Phase: "1", Body: "Add the UPS plan."})
	r, _ := f.st.AddComment(ctx, f.manager.ID, a.ID, tpl, store.NewComment{Phase: "1", Thread: c.ID, Body: "Done."})
	resolve := func(actor int64, phase string, id int64, resolve bool) error {
		return f.st.ResolveThread(ctx, actor, a.ID, tpl, phase, id, resolve)
	}
	for _, x := range []struct {
		name  string
		actor int64
		phase string
		id    int64
		want  error
	}{
		{"viewer", f.viewer.ID, "1", c.ID, store.ErrForbidden},
		{"admin", f.admin.ID, "1", c.ID, store.ErrForbidden},
		{"another organisation", f.b.ID, "1", c.ID, store.ErrNotFound},
		{"a reply", f.manager.ID, "1", r.ID, store.ErrNotFound},
		{"another phase", f.manager.ID, "3", c.ID, store.ErrNotFound},
	} {
		if err := resolve(x.actor, x.phase, x.id, true); !errors.Is(err, x.want) {
			t.Errorf("%s resolves: %v, want %v", x.name, err, x.want)
		}
	}
	if err := resolve(f.manager.ID, "1", c.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := resolve(f.advisor.ID, "1", c.ID, true); err != nil {
		t.Fatal(err) // already resolved: nothing changes
	}
	threads, _ := f.st.Threads(ctx, f.viewer.ID, a.ID, "1")
	if th := threads[0]; !th.Resolved() || th.ResolvedBy != f.manager.Name {
		t.Errorf("resolved thread = resolved at %v by %q", th.ResolvedAt, th.ResolvedBy)
	}
	if err := resolve(f.advisor.ID, "1", c.ID, false); err != nil {
		t.Fatal(err)
	}
	threads, _ = f.st.Threads(ctx, f.viewer.ID, a.ID, "1")
	if th := threads[0]; th.Resolved() || th.ResolvedBy != "" {
		t.Errorf("reopened thread = resolved at %v by %q", th.ResolvedAt, th.ResolvedBy)
	}
	// A reply stays possible on a resolved thread, and everything stays.
	hist, _ := f.st.History(ctx, f.viewer.ID, a.ID, "comment", "1#"+strconv.FormatInt(c.ID, 10))
	if len(hist) != 3 || hist[0].New != "reopened" || hist[1].New != "resolved" {
		t.Errorf("thread history = %+v", hist)
	}
}

func TestMentions(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	ctx := context.Background()
	user := func(email string, role store.Role, org int64) store.User {
		u, err := f.st.CreateUser(ctx, store.NewUser{Email: email, Name: "Person " + email, Role: role, OrganisationID: org, Password: testPassword})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	viewer2 := user("viewer@other.example.org", store.RoleViewer, f.orgA.ID) // shares a local part with f.viewer
	user("outsider@example.org", store.RoleAdvisor, 0)                       // not assigned to org A
	gone := user("gone@example.org", store.RoleManager, f.orgA.ID)
	if err := f.st.SetUserActive(ctx, f.admin.ID, gone.ID, false); err != nil {
		t.Fatal(err)
	}

	people, err := f.st.Mentionable(ctx, f.viewer.ID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	handles := map[string]int64{}
	for _, p := range people {
		handles[p.Handle] = p.ID
	}
	want := map[string]int64{"admin": f.admin.ID, "advisor": f.advisor.ID, "manager": f.manager.ID,
		"viewer@example.org": f.viewer.ID, "viewer@other.example.org": viewer2.ID}
	if len(handles) != len(want) {
		t.Errorf("mentionable = %v, want %v", handles, want)
	}
	for h, id := range want {
		if handles[h] != id {
			t.Errorf("@%s is %d, want %d (all: %v)", h, handles[h], id, handles)
		}
	}
	if got, err := f.st.Mentionable(ctx, f.b.ID, a.ID); err != nil || len(got) != 0 {
		t.Errorf("another organisation's manager lists %d people (%v)", len(got), err)
	}

	c, err := f.st.AddComment(ctx, f.manager.ID, a.ID, tpl, store.NewComment{Phase: "1",
		Body: "@Advisor and @viewer@example.org: see this. Mail ops@example.org. Me: @manager."})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Mentioned, []int64{f.advisor.ID, f.viewer.ID}) {
		t.Errorf("mentioned = %v, want the advisor and the viewer (not the author)", c.Mentioned)
	}
	for _, body := range []string{"@viewer, look", "@outsider look", "@gone look", "@manager@b.example.org look", "@nobody and @advisor and @nobody"} {
		_, err := f.st.AddComment(ctx, f.manager.ID, a.ID, tpl, store.NewComment{Phase: "1", Body: body})
		var me *store.MentionError
		if !errors.As(err, &me) || len(me.Unknown) != 1 {
			t.Errorf("%q: err = %v, want one unknown name", body, err)
		}
	}
	// A name written for a handle: the people it starts a name of.
	_, err = f.st.AddComment(ctx, f.manager.ID, a.ID, tpl, store.NewComment{Phase: "1", Body: "@Advi, @x and @zed: look"})
	var me *store.MentionError
	if !errors.As(err, &me) || len(me.Meant["Advi"]) != 1 || me.Meant["Advi"][0].ID != f.advisor.ID || me.Meant["x"] != nil || me.Meant["zed"] != nil {
		t.Errorf("@Advi, @x and @zed: err = %v, meant %+v; want the advisor meant by @Advi alone", err, me)
	}
	// An edit mentions anew: only the people not mentioned before are told.
	c2, err := f.st.EditComment(ctx, f.manager.ID, a.ID, tpl, "1", c.ID, "@advisor, @admin: see this.")
	if err != nil || !slices.Equal(c2.Mentioned, []int64{f.admin.ID}) {
		t.Errorf("edit mentions %v (%v), want only the admin", c2.Mentioned, err)
	}
	threads, _ := f.st.Threads(ctx, f.viewer.ID, a.ID, "1")
	if len(threads) != 1 || !slices.Equal(threads[0].Mentions, []int64{f.admin.ID, f.advisor.ID}) {
		t.Errorf("stored mentions = %+v", threads)
	}
	if _, err := f.st.EditComment(ctx, f.manager.ID, a.ID, tpl, "1", c.ID, "@nobody"); err == nil {
		t.Error("an edit mentioning nobody known was taken")
	}
	// Each person mentioned is notified once, in the comment's transaction;
	// the author and the refused comments notify nobody.
	for _, who := range []struct {
		name string
		id   int64
		want int
	}{{"advisor", f.advisor.ID, 1}, {"viewer", f.viewer.ID, 1}, {"admin", f.admin.ID, 1}, {"manager", f.manager.ID, 0}} {
		list, err := f.st.Notifications(ctx, who.id)
		n := 0
		for _, x := range list {
			if x.Kind == store.NotifyMentioned && x.AssessmentID == a.ID {
				n++
			}
		}
		if err != nil || n != who.want {
			t.Errorf("%s has %d mention notifications (%v), want %d", who.name, n, err, who.want)
		}
	}
}

func TestChangeRequestIsAThread(t *testing.T) {
	f := newFixture(t)
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, true)
	ctx := context.Background()
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "", 0)
	if err := f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1"); err != nil {
		t.Fatal(err)
	}
	// A question of another phase refuses the whole decision.
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Reason: "Fix it.", Questions: []string{"ups"}}); !errors.As(err, new(*store.QuestionError)) {
		t.Errorf("marking another phase's question: %v, want a *QuestionError", err)
	}
	if st, _ := f.st.AssessmentState(ctx, f.manager.ID, a.ID); st.Reviews["1"].State != "submitted" {
		t.Errorf("after a refused decision the phase is %q", st.Reviews["1"].State)
	}
	d := store.Decision{Reason: " Count tablet users too. ", Questions: []string{"users", "notes", "users"}}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", d); err != nil {
		t.Fatal(err)
	}
	threads, err := f.st.Threads(ctx, f.manager.ID, a.ID, "1")
	if err != nil || len(threads) != 1 {
		t.Fatalf("%d threads (%v), want the change request", len(threads), err)
	}
	cr := threads[0]
	if cr.Kind != store.KindChangeRequest || cr.Body != "Count tablet users too." || cr.Author != f.advisor.Name ||
		!slices.Equal(cr.Questions, []string{"users", "notes"}) || cr.Resolved() {
		t.Errorf("change request = %+v", cr)
	}
	// The manager answers and resolves it; resubmitted and approved, it stays.
	if _, err := f.st.AddComment(ctx, f.manager.ID, a.ID, tpl, store.NewComment{Phase: "1", Thread: cr.ID, Body: "Counted."}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ResolveThread(ctx, f.manager.ID, a.ID, tpl, "1", cr.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SubmitPhase(ctx, f.manager.ID, a.ID, tpl, "1"); err != nil {
		t.Fatal(err)
	}
	if err := f.st.ReviewPhase(ctx, f.advisor.ID, a.ID, tpl, "1", store.Decision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	threads, _ = f.st.Threads(ctx, f.viewer.ID, a.ID, "1")
	if len(threads) != 1 || threads[0].Body != "Count tablet users too." || len(threads[0].Replies) != 1 || !threads[0].Resolved() {
		t.Errorf("after approval: %+v", threads)
	}
}

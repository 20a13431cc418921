package store_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"groundwork/assessment"
	"groundwork/store"
)

// requestChanges sends a submitted phase back, as the advisor.
func requestChanges(t *testing.T, f fixture, tpl *assessment.Template, id int64, phase string) {
	t.Helper()
	if err := f.st.ReviewPhase(context.Background(), f.advisor.ID, id, tpl, phase, store.Decision{Reason: "Count the tablets too."}); err != nil {
		t.Fatal(err)
	}
}

// completeAndSubmit completes phase 1 of the mini template and submits it.
func completeAndSubmit(t *testing.T, f fixture, tpl *assessment.Template, id int64) {
	t.Helper()
	ctx := context.Background()
	save(t, f, tpl, id, change{Key: "users", Value: "100"})
	if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, id, tpl, "design_done", true, "", 0); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SubmitPhase(ctx, f.manager.ID, id, tpl, "1"); err != nil {
		t.Fatal(err)
	}
}

func names(list []store.Assessment) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Name)
	}
	return out
}

// The lists read one page of what the actor may see: scoped by the same
// rule as one assessment, filtered, sorted and paged in SQL.
func TestAssessmentListsScopeSortAndPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	create := func(actor int64, name string) store.Assessment {
		t.Helper()
		a, err := f.st.CreateAssessment(ctx, actor, store.NewAssessment{Name: name, TemplateID: tpl.ID, TemplateVersion: tpl.Version})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	beta := create(f.manager.ID, "beta 50% done")
	alpha := create(f.manager.ID, "Alpha")
	create(f.manager.ID, "gamma_1")
	create(f.b.ID, "Delta of B")
	// Alpha is the most ready, then beta; gamma has nothing.
	save(t, f, tpl, alpha.ID, change{Key: "users", Value: "10"})
	if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, alpha.ID, tpl, "design_done", true, "", 0); err != nil {
		t.Fatal(err)
	}
	save(t, f, tpl, beta.ID, change{Key: "users", Value: "10"})

	list := func(actor int64, opt store.ListOptions) ([]string, bool) {
		t.Helper()
		got, more, err := f.st.Assessments(ctx, actor, opt)
		if err != nil {
			t.Fatal(err)
		}
		return names(got), more
	}
	// Most recently active first, by default; each sees what actorSees lets
	// it see, and a deactivated user nothing.
	for _, c := range []struct {
		who  store.User
		want []string
	}{
		{f.admin, []string{"beta 50% done", "Alpha", "Delta of B", "gamma_1"}},
		{f.advisor, []string{"beta 50% done", "Alpha", "gamma_1"}},
		{f.viewer, []string{"beta 50% done", "Alpha", "gamma_1"}},
		{f.b, []string{"Delta of B"}},
	} {
		got, more := list(c.who.ID, store.ListOptions{})
		if c.who.ID == f.admin.ID {
			slices.Sort(got) // Delta's place among the others is its creation time
			c.want = slices.Clone(c.want)
			slices.Sort(c.want)
		}
		if !slices.Equal(got, c.want) || more {
			t.Errorf("%s lists %q (more %v), want %q", c.who.Email, got, more, c.want)
		}
	}
	if err := f.st.SetUserActive(ctx, f.admin.ID, f.viewer.ID, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := list(f.viewer.ID, store.ListOptions{}); len(got) != 0 {
		t.Errorf("a deactivated viewer lists %q", got)
	}

	for _, c := range []struct {
		name string
		opt  store.ListOptions
		want []string
	}{
		{"by name", store.ListOptions{Sort: store.SortName}, []string{"Alpha", "beta 50% done", "gamma_1"}},
		{"by name, descending", store.ListOptions{Sort: store.SortName, Reverse: true}, []string{"gamma_1", "beta 50% done", "Alpha"}},
		{"by readiness", store.ListOptions{Sort: store.SortReadiness}, []string{"gamma_1", "beta 50% done", "Alpha"}},
		{"by readiness, descending", store.ListOptions{Sort: store.SortReadiness, Reverse: true}, []string{"Alpha", "beta 50% done", "gamma_1"}},
		{"least recently active first", store.ListOptions{Reverse: true}, []string{"gamma_1", "Alpha", "beta 50% done"}},
		{"search ignores case", store.ListOptions{Search: "ALPHA"}, []string{"Alpha"}},
		{"search takes % literally", store.ListOptions{Search: "50%"}, []string{"beta 50% done"}},
		{"search takes _ literally", store.ListOptions{Search: "a_"}, []string{"gamma_1"}},
		{"another organisation's filter finds nothing", store.ListOptions{OrganisationID: f.orgB.ID}, nil},
		{"another template", store.ListOptions{TemplateID: "commcare-transition"}, nil},
		{"this template", store.ListOptions{TemplateID: "mini", Sort: store.SortName}, []string{"Alpha", "beta 50% done", "gamma_1"}},
		{"this template, most recently active first", store.ListOptions{TemplateID: "mini"}, []string{"beta 50% done", "Alpha", "gamma_1"}},
		{"by organisation: each one's most recently active first", store.ListOptions{Sort: store.SortOrganisation}, []string{"beta 50% done", "Alpha", "gamma_1"}},
		{"a page past the first, by readiness", store.ListOptions{Sort: store.SortReadiness, Offset: 1}, []string{"beta 50% done", "Alpha"}},
	} {
		if got, _ := list(f.advisor.ID, c.opt); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}

	// The admin sorts by organisation: A's three (most recent first), then B's.
	if got, _ := list(f.admin.ID, store.ListOptions{Sort: store.SortOrganisation}); !slices.Equal(got, []string{"beta 50% done", "Alpha", "gamma_1", "Delta of B"}) {
		t.Errorf("by organisation: %q", got)
	}
	if got, _ := list(f.admin.ID, store.ListOptions{Sort: store.SortOrganisation, Reverse: true}); got[0] != "Delta of B" {
		t.Errorf("by organisation, descending: %q", got)
	}

	// Pages: two, then the rest, without overlap.
	first, more := list(f.advisor.ID, store.ListOptions{Sort: store.SortName, Limit: 2})
	second, more2 := list(f.advisor.ID, store.ListOptions{Sort: store.SortName, Limit: 2, Offset: 2})
	if !slices.Equal(first, []string{"Alpha", "beta 50% done"}) || !more || !slices.Equal(second, []string{"gamma_1"}) || more2 {
		t.Errorf("pages %q (more %v), %q (more %v)", first, more, second, more2)
	}

	// An advisor of both organisations pages through the same order as the
	// admin (each organisation's first rows merged), both ways.
	if err := f.st.AssignAdvisor(ctx, f.admin.ID, f.advisor.ID, f.orgB.ID); err != nil {
		t.Fatal(err)
	}
	for _, reverse := range []bool{false, true} {
		all, _ := list(f.admin.ID, store.ListOptions{Reverse: reverse})
		var paged []string
		for offset := 0; ; offset += 3 {
			page, more := list(f.advisor.ID, store.ListOptions{Reverse: reverse, Limit: 3, Offset: offset})
			paged = append(paged, page...)
			if !more {
				break
			}
		}
		if len(all) != 4 || !slices.Equal(paged, all) {
			t.Errorf("reverse %v: the advisor's pages %q, the admin's list %q", reverse, paged, all)
		}
	}
	if got, _ := list(f.advisor.ID, store.ListOptions{Search: "delta", Limit: 1}); !slices.Equal(got, []string{"Delta of B"}) {
		t.Errorf("search across organisations: %q", got)
	}
	if err := f.st.UnassignAdvisor(ctx, f.admin.ID, f.advisor.ID, f.orgB.ID); err != nil {
		t.Fatal(err)
	}

	// The states of a page carry their items.
	page, _, err := f.st.Assessments(ctx, f.advisor.ID, store.ListOptions{Sort: store.SortName, Limit: 1})
	if err != nil || len(page) != 1 {
		t.Fatalf("Assessments = %+v, %v", page, err)
	}
	states, err := f.st.AssessmentStates(ctx, f.advisor.ID, []int64{page[0].ID})
	if err != nil || len(states) != 1 || states[0].Answers["users"].Value != "10" || !states[0].Confirmations["design_done"].Confirmed {
		t.Errorf("AssessmentStates = %+v, %v", states, err)
	}
}

// The organisations a list query starts from are those the one rule
// (actorSees) lets the actor see, as one organisation's page tests it.
func TestListScopeIsTheVisibilityRule(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	for _, u := range []store.User{f.manager, f.b} {
		if _, err := f.st.CreateAssessment(ctx, u.ID, store.NewAssessment{Name: "Move of " + u.Email, TemplateID: tpl.ID, TemplateVersion: tpl.Version}); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []store.User{f.admin, f.advisor, f.manager, f.viewer, f.b} {
		var want []int64
		for _, o := range []store.Organisation{f.orgA, f.orgB} {
			if _, err := f.st.Organisation(ctx, u.ID, o.ID); err == nil {
				want = append(want, o.ID)
			}
		}
		orgs, err := f.st.Organisations(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var listed []int64
		for _, o := range orgs {
			listed = append(listed, o.ID)
		}
		slices.Sort(listed)
		if slices.Sort(want); !slices.Equal(listed, want) {
			t.Errorf("%s: lists organisations %v, sees %v", u.Email, listed, want)
		}
		list, _, err := f.st.Assessments(ctx, u.ID, store.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, a := range list {
			if !slices.Contains(got, a.OrganisationID) {
				got = append(got, a.OrganisationID)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: assessments of organisations %v, sees organisations %v", u.Email, got, want)
		}
	}
}

func queue(t *testing.T, f fixture, actor int64, qf store.QueueFilter) []store.Waiting {
	t.Helper()
	list, _, err := f.st.ReviewQueue(context.Background(), actor, qf)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestReviewQueue(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	first := newAssessment(t, f, tpl, true)
	second, err := f.st.CreateAssessment(ctx, f.manager.ID, store.NewAssessment{Name: "Second move", TemplateID: tpl.ID, TemplateVersion: tpl.Version})
	if err != nil {
		t.Fatal(err)
	}
	if got := queue(t, f, f.advisor.ID, store.QueueFilter{}); len(got) != 0 {
		t.Fatalf("empty queue: %+v", got)
	}
	began := time.Now()
	completeAndSubmit(t, f, tpl, first.ID)
	completeAndSubmit(t, f, tpl, second.ID)
	// The first is sent back and submitted again: it now waits since its
	// resubmission, after the second.
	requestChanges(t, f, tpl, first.ID, "1")
	sentBack := queue(t, f, f.advisor.ID, store.QueueFilter{States: []assessment.ReviewState{assessment.ReviewChangesRequested}})
	if len(sentBack) != 1 || sentBack[0].AssessmentID != first.ID || sentBack[0].State != assessment.ReviewChangesRequested {
		t.Errorf("sent back: %+v", sentBack)
	}
	if err := f.st.SubmitPhase(ctx, f.manager.ID, first.ID, tpl, "1"); err != nil {
		t.Fatal(err)
	}

	// Each review carries its assessment's organisation, for the index
	// of an advisor's queue.
	var wrong int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM phase_reviews pr JOIN assessments a ON a.id = pr.assessment_id
		WHERE pr.organisation_id IS DISTINCT FROM a.organisation_id`).Scan(&wrong); err != nil || wrong != 0 {
		t.Errorf("%d reviews name another organisation than their assessment's (%v)", wrong, err)
	}

	got := queue(t, f, f.advisor.ID, store.QueueFilter{})
	if len(got) != 2 || got[0].AssessmentID != second.ID || got[1].AssessmentID != first.ID {
		t.Fatalf("queue = %+v, want the second, then the resubmitted first", got)
	}
	w := got[1]
	if w.AssessmentName != "Move 2027" || w.Phase != "1" || w.State != assessment.ReviewSubmitted || !w.SentBack ||
		w.OrganisationName != f.orgA.Name || w.OrganisationSlug != f.orgA.Slug || w.TemplateID != "mini" || w.TemplateVersion != 1 ||
		w.Since.Before(began.Add(-time.Second)) || w.Since.Before(got[0].Since) {
		t.Errorf("resubmitted = %+v", w)
	}
	if got[0].SentBack {
		t.Errorf("never sent back, marked so: %+v", got[0])
	}
	// Who sees what: the admin all, the assigned advisor A's; no one else
	// (the route keeps managers and viewers out; the store scopes anyway).
	if n := len(queue(t, f, f.admin.ID, store.QueueFilter{})); n != 2 {
		t.Errorf("admin sees %d waiting", n)
	}
	if n := len(queue(t, f, f.b.ID, store.QueueFilter{})); n != 0 {
		t.Errorf("B's manager sees %d of A's", n)
	}
	// A page's context remembers the advisor's organisations: resolved at
	// its first list; an organisation unassigned meanwhile stays in the
	// remembered scope, and the queries still hide it.
	page := store.RememberScopes(ctx)
	if n, err := f.st.WaitingCount(page, f.advisor.ID, 100); n != 2 || err != nil {
		t.Errorf("assigned advisor's count = %d, %v; want 2", n, err)
	}
	if err := f.st.UnassignAdvisor(ctx, f.admin.ID, f.advisor.ID, f.orgA.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(queue(t, f, f.advisor.ID, store.QueueFilter{})); n != 0 {
		t.Errorf("an unassigned advisor sees %d", n)
	}
	if list, _, err := f.st.ReviewQueue(page, f.advisor.ID, store.QueueFilter{}); len(list) != 0 || err != nil {
		t.Errorf("unassigned during a page, the advisor's queue still holds %d (%v)", len(list), err)
	}
	if n, err := f.st.WaitingCount(page, f.advisor.ID, 100); n != 0 || err != nil {
		t.Errorf("unassigned during a page, the advisor's count = %d, %v", n, err)
	}
	if n, err := f.st.WaitingCount(ctx, f.advisor.ID, 100); n != 0 || err != nil {
		t.Errorf("unassigned advisor's count = %d, %v", n, err)
	}
	if err := f.st.AssignAdvisor(ctx, f.admin.ID, f.advisor.ID, f.orgA.ID); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name string
		qf   store.QueueFilter
		want int
	}{
		{"search", store.QueueFilter{Search: "second"}, 1},
		{"organisation", store.QueueFilter{OrganisationID: f.orgA.ID}, 2},
		{"another organisation", store.QueueFilter{OrganisationID: f.orgB.ID}, 0},
		{"platform's templates", store.QueueFilter{TemplateIDs: []string{"mini"}}, 2},
		{"another platform's", store.QueueFilter{TemplateIDs: []string{"opencrvs-server-hosted"}}, 0},
		{"phase", store.QueueFilter{TemplateID: "mini", Phase: "1"}, 2},
		{"another phase", store.QueueFilter{TemplateID: "mini", Phase: "3"}, 0},
		{"same key, another template", store.QueueFilter{TemplateID: "commcare-transition", Phase: "1"}, 0},
		{"either state", store.QueueFilter{States: []assessment.ReviewState{assessment.ReviewSubmitted, assessment.ReviewChangesRequested}}, 2},
		{"sent back", store.QueueFilter{States: []assessment.ReviewState{assessment.ReviewChangesRequested}}, 0},
		{"one per page", store.QueueFilter{Limit: 1}, 1},
		{"second page", store.QueueFilter{Limit: 1, Offset: 1}, 1},
	} {
		if got := queue(t, f, f.advisor.ID, c.qf); len(got) != c.want {
			t.Errorf("%s: %d waiting, want %d", c.name, len(got), c.want)
		}
	}
	if got := queue(t, f, f.advisor.ID, store.QueueFilter{Limit: 1, Offset: 1}); got[0].AssessmentID != first.ID {
		t.Errorf("second page holds %+v", got)
	}

	for _, c := range []struct {
		limit, want int
	}{{100, 2}, {1, 1}} {
		if n, err := f.st.WaitingCount(ctx, f.advisor.ID, c.limit); n != c.want || err != nil {
			t.Errorf("WaitingCount(limit %d) = %d, %v; want %d", c.limit, n, err, c.want)
		}
	}
	// An edit withdraws the phase from review: it leaves the queue.
	save(t, f, tpl, second.ID, change{Key: "users", Value: "120", Base: 1})
	if n, _ := f.st.WaitingCount(ctx, f.admin.ID, 100); n != 1 {
		t.Errorf("after an edit %d wait, want 1", n)
	}
}

// The stored readiness, which the portfolio sorts by, is the evaluation's
// score after every change, 0 for a new assessment, and computed for rows
// that have none.
func TestReadinessIsKept(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	stored := func() *int {
		t.Helper()
		var r *int
		if err := f.pool.QueryRow(ctx, `SELECT readiness FROM assessments WHERE id = $1`, a.ID).Scan(&r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	want := func(when string) {
		t.Helper()
		st, err := f.st.AssessmentState(ctx, f.manager.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		p := tpl.Evaluate(st.Input(tpl)).Progress()
		if r := stored(); r == nil || *r != p.Score {
			t.Errorf("%s: stored readiness %v, evaluation %d", when, r, p.Score)
		}
		if when == "new" {
			return // its creator gives its progress (TestNewAssessmentsHaveReadinessZero)
		}
		var kept *assessment.Progress
		if err := f.pool.QueryRow(ctx, `SELECT progress FROM assessments WHERE id = $1`, a.ID).Scan(&kept); err != nil {
			t.Fatal(err)
		}
		if kept == nil || !reflect.DeepEqual(*kept, p) {
			t.Errorf("%s: stored progress %+v, evaluation %+v", when, kept, p)
		}
		list, _, err := f.st.Assessments(ctx, f.manager.ID, store.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(list, func(l store.Assessment) bool { return l.ID == a.ID })
		if i < 0 || list[i].Progress == nil || !reflect.DeepEqual(*list[i].Progress, p) {
			t.Errorf("%s: the list's rows %+v; want %d with its progress %+v", when, list, a.ID, p)
		}
	}
	want("new")
	save(t, f, tpl, a.ID, change{Key: "users", Value: "100"})
	want("after an answer")
	if _, _, err := setConfirmation(f.st, ctx, f.manager.ID, a.ID, tpl, "design_done", true, "", 0); err != nil {
		t.Fatal(err)
	}
	want("after a confirmation")
	if err := f.st.WaivePhase(ctx, f.manager.ID, a.ID, tpl, "2", "No extras."); err != nil {
		t.Fatal(err)
	}
	want("after a waiver")
	if r := stored(); *r == 0 {
		t.Errorf("readiness %d after work", *r)
	}

	// Rows from before the columns get them from FillReadiness; those on
	// an unknown template keep none. Rows from before progress was kept
	// have a readiness and no progress.
	if _, err := f.pool.Exec(ctx, `UPDATE assessments SET progress = NULL`); err != nil {
		t.Fatal(err)
	}
	cat, err := assessment.LoadCatalog(fstest.MapFS{"mini.yaml": {Data: []byte(miniYAML)}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.st.FillReadiness(ctx, cat); n != 1 || err != nil {
		t.Errorf("FillReadiness of the progress = %d, %v", n, err)
	}
	want("progress filled")
	if _, err := f.pool.Exec(ctx, `UPDATE assessments SET readiness = NULL`); err != nil {
		t.Fatal(err)
	}
	unknown, err := f.st.CreateAssessment(ctx, f.manager.ID, store.NewAssessment{Name: "Gone", TemplateID: "retired", TemplateVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE assessments SET readiness = NULL, progress = NULL`); err != nil {
		t.Fatal(err)
	}
	if n, err := f.st.FillReadiness(ctx, cat); n != 1 || err != nil {
		t.Errorf("FillReadiness = %d, %v", n, err)
	}
	want("filled")
	if n, err := f.st.FillReadiness(ctx, cat); n != 0 || err != nil {
		t.Errorf("FillReadiness again = %d, %v", n, err)
	}
	var r *int
	var p []byte
	if err := f.pool.QueryRow(ctx, `SELECT readiness, progress FROM assessments WHERE id = $1`, unknown.ID).Scan(&r, &p); err != nil || r != nil || p != nil {
		t.Errorf("an assessment on a template the catalog lacks: readiness %v, progress %s, %v", r, p, err)
	}
}

// A new assessment is stored with readiness 0: true of every template of
// the catalog, with or without sign-off.
func TestNewAssessmentsHaveReadinessZero(t *testing.T) {
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range cat.Templates() {
		for _, signOff := range []bool{false, true} {
			if s := tpl.Evaluate(assessment.Input{SignOff: signOff}).Score; s != 0 {
				t.Errorf("%s v%d (sign-off %v) starts at readiness %d", tpl.ID, tpl.Version, signOff, s)
			}
		}
	}
}

func TestFirstOrganisations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "moh-c", Name: "a ministry C", Platform: "commcare"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who  store.User
		n    int
		want []string
		more bool
	}{
		{f.admin, 2, []string{"a ministry C", "Ministry A"}, true},
		{f.admin, 3, []string{"a ministry C", "Ministry A", "Ministry B"}, false},
		{f.admin, 0, []string{"a ministry C", "Ministry A", "Ministry B"}, false},
		{f.advisor, 1, []string{"Ministry A"}, false},
		{f.b, 0, []string{"Ministry B"}, false},
	} {
		orgs, more, err := f.st.FirstOrganisations(ctx, c.who.ID, c.n)
		var got []string
		for _, o := range orgs {
			got = append(got, o.Name)
		}
		if err != nil || !slices.Equal(got, c.want) || more != c.more {
			t.Errorf("%s, first %d: %q (more %v), %v; want %q (more %v)", c.who.Email, c.n, got, more, err, c.want, c.more)
		}
	}
	names, err := f.st.OrganisationNames(ctx, f.advisor.ID)
	if err != nil || len(names) != 1 || names[0].Name != "Ministry A" || names[0].ID != f.orgA.ID {
		t.Errorf("the advisor's organisation names: %+v, %v", names, err)
	}
}

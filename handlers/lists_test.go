package handlers_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

func init() {
	advisorsAndAdmins := same(http.StatusNotFound, map[string]int{anon: http.StatusSeeOther, admin: http.StatusOK, advisor: http.StatusOK})
	matrix["GET /review"] = advisorsAndAdmins
	matrix["GET /portfolio"] = advisorsAndAdmins
	matrix["GET /portfolio.csv"] = advisorsAndAdmins
}

// sendBack asks for changes to a submitted phase, as the signed-in advisor.
func sendBack(t *testing.T, adv *handlerstest.Browser, phasePath string) {
	t.Helper()
	if resp, _ := adv.Post(phasePath+"/review", url.Values{"decision": {"changes"}, "comment": {"Name the data centre."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("send back = %d", resp.StatusCode)
	}
}

// markSubmitted stores phase 1.1 of assessment id as submitted, for a
// queue entry in an organisation whose pages the test does not drive.
func markSubmitted(t *testing.T, e *handlerstest.Env, id int64) {
	t.Helper()
	if _, err := e.Pool.Exec(context.Background(), `INSERT INTO phase_reviews (assessment_id, phase_key, state) VALUES ($1, '1.1', 'submitted')`, id); err != nil {
		t.Fatal(err)
	}
}

var queueRow = regexp.MustCompile(`<tr class="queue-row">`)

func TestReviewQueueOverHTTP(t *testing.T) {
	e := handlerstest.NewEnv(t)
	ctx := context.Background()
	m := e.Browser(t)
	m.SignIn("manager@example.org")
	base := handlerstest.Start(t, m, true)
	if _, err := e.St.CreateAssessment(ctx, e.Manager.ID, store.NewAssessment{Name: "Not submitted", TemplateID: "commcare-transition", TemplateVersion: 1}); err != nil {
		t.Fatal(err)
	}
	crvs, err := e.St.CreateAssessment(ctx, e.ManagerB.ID, store.NewAssessment{Name: "National rollout", TemplateID: "opencrvs-server-hosted", TemplateVersion: 2})
	if err != nil {
		t.Fatal(err)
	}
	markSubmitted(t, e, crvs.ID)

	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	// Nothing of A waits yet: the empty queue says what will appear.
	if _, page := adv.Get("/review"); !strings.Contains(page, "Nothing waits for review.") || queueRow.MatchString(page) ||
		strings.Contains(page, "National rollout") || strings.Contains(page, `class="nav-count"`) {
		t.Errorf("the advisor's empty queue:\n%s", page)
	}

	handlerstest.Submit11(t, m, base)
	resp, page := adv.Get("/review")
	if resp.StatusCode != http.StatusOK || len(queueRow.FindAllString(page, -1)) != 1 ||
		!strings.Contains(page, `href="`+base+`/phases/1.1"`) || !strings.Contains(page, "1.1 System assessment and design") ||
		!strings.Contains(page, "Production move 2027") || !strings.Contains(page, "Ministry A") || strings.Contains(page, "National rollout") ||
		!strings.Contains(page, "Submitted for review") || !strings.Contains(page, "less than a minute") || strings.Contains(page, "Resubmitted") {
		t.Errorf("the advisor's queue (%d):\n%s", resp.StatusCode, page)
	}
	// The header counts what waits; the dashboard says so.
	if !strings.Contains(page, `<span class="nav-count"><span class="visually-hidden">: </span>1<span class="visually-hidden"> waiting</span></span>`) {
		t.Error("the header does not count 1 waiting phase")
	}
	if _, home := adv.Get("/"); !strings.Contains(home, "1 phase waits for review.") {
		t.Error("the dashboard does not say that a phase waits")
	}

	// Sent back, the phase leaves the default view for "changes requested";
	// resubmitted, it comes back marked.
	sendBack(t, adv, base+"/phases/1.1")
	if _, page := adv.Get("/review"); queueRow.MatchString(page) {
		t.Error("a phase sent back still waits for review")
	}
	if _, page := adv.Get("/review?status=changes_requested"); len(queueRow.FindAllString(page, -1)) != 1 || !strings.Contains(page, "Changes requested") {
		t.Errorf("changes requested:\n%s", page)
	}
	if resp, _ := m.Post(base+"/phases/1.1/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit = %d", resp.StatusCode)
	}
	if _, page := adv.Get("/review"); !strings.Contains(page, "Resubmitted") {
		t.Error("a resubmitted phase is not marked")
	}

	// The admin sees both organisations' and filters them.
	ad := e.Browser(t)
	ad.SignIn("admin@example.org")
	for _, c := range []struct {
		query string
		want  []string // assessment names listed
	}{
		{"", []string{"Production move 2027", "National rollout"}},
		{"?org=" + handlerstest.Itoa(e.OrgB.ID), []string{"National rollout"}},
		{"?org=" + handlerstest.Itoa(e.OrgA.ID), []string{"Production move 2027"}},
		{"?platform=commcare", []string{"Production move 2027"}},
		{"?platform=opencrvs", []string{"National rollout"}},
		{"?phase=opencrvs-server-hosted:1.1", []string{"National rollout"}},
		{"?phase=commcare-transition:1.1", []string{"Production move 2027"}},
		{"?phase=commcare-transition:1.2", nil},
		{"?q=NATIONAL", []string{"National rollout"}},
		{"?q=nothing+like+it", nil},
		{"?status=all", []string{"Production move 2027", "National rollout"}},
		{"?status=changes_requested", nil},
		{"?org=999999", []string{"Production move 2027", "National rollout"}}, // not one of the choices: ignored
	} {
		resp, page := ad.Get("/review" + c.query)
		rows := queueRow.FindAllString(page, -1)
		if resp.StatusCode != http.StatusOK || len(rows) != len(c.want) {
			t.Errorf("/review%s: %d, %d rows, want %q", c.query, resp.StatusCode, len(rows), c.want)
			continue
		}
		for _, name := range c.want {
			if !strings.Contains(page, name) {
				t.Errorf("/review%s lacks %q", c.query, name)
			}
		}
		if len(c.want) == 0 && !strings.Contains(page, "No phase matches these filters.") {
			t.Errorf("/review%s: the empty result does not say the filters hide everything", c.query)
		}
	}
	// The filters keep what was chosen.
	if _, page := ad.Get("/review?platform=opencrvs&q=rollout"); !strings.Contains(page, `<option value="opencrvs" selected>`) || !strings.Contains(page, `value="rollout"`) {
		t.Error("the filter form does not keep the chosen platform and search")
	}

	// Managers and viewers have no queue.
	for _, email := range []string{"manager@example.org", "viewer@example.org"} {
		b := e.Browser(t)
		b.SignIn(email)
		if resp, _ := b.Get("/review"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: /review = %d, want 404", email, resp.StatusCode)
		}
		if _, home := b.Get("/"); strings.Contains(home, `href="/review"`) {
			t.Errorf("%s: the header links to the queue", email)
		}
	}
}

// rowNames lists the assessment names of the portfolio's rows, in order.
func rowNames(page string) []string {
	var names []string
	for _, m := range regexp.MustCompile(`<th scope="row" class="heat-name"><a href="[^"]+">([^<]+)</a>`).FindAllStringSubmatch(page, -1) {
		names = append(names, m[1])
	}
	return names
}

func TestPortfolioOverHTTP(t *testing.T) {
	e := handlerstest.NewEnv(t)
	ctx := context.Background()
	m := e.Browser(t)
	m.SignIn("manager@example.org")
	base := handlerstest.Start(t, m, true) // "Production move 2027", 1.1 submitted
	handlerstest.Submit11(t, m, base)
	for _, name := range []string{"Alpha pilot", "=HYPERLINK(\"http://evil\")"} {
		if _, err := e.St.CreateAssessment(ctx, e.Manager.ID, store.NewAssessment{Name: name, TemplateID: "commcare-transition", TemplateVersion: 1}); err != nil {
			t.Fatal(err)
		}
	}
	// B: one on the latest OpenCRVS template, one on the older version,
	// which lacks phase 1.10.
	for _, v := range []int{2, 1} {
		if _, err := e.St.CreateAssessment(ctx, e.ManagerB.ID, store.NewAssessment{Name: fmt.Sprintf("Rollout v%d", v), TemplateID: "opencrvs-server-hosted", TemplateVersion: v}); err != nil {
			t.Fatal(err)
		}
	}

	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	resp, page := adv.Get("/portfolio")
	got := rowNames(page)
	// Default: the template of the most recent activity, the most recently
	// active first.
	if resp.StatusCode != http.StatusOK || strings.Join(got, "|") != `=HYPERLINK(&#34;http://evil&#34;)|Alpha pilot|Production move 2027` {
		t.Errorf("the advisor's portfolio (%d) rows %q", resp.StatusCode, got)
	}
	for _, want := range []string{
		`<a href="/portfolio?template=commcare-transition" aria-current="page">CommCare HQ transition to self-hosting</a>`,
		`<td class="heat heat-submitted"><a class="heat-link" href="/assessments/`, // each cell opens its phase
		`/phases/1.1"><span class="heat-icon" aria-hidden="true">◷</span> <span class="heat-label">Submitted</span> <span class="visually-hidden">, phase 1.1</span></a></td>`,
		`<td class="heat heat-open">`, `<td class="heat heat-locked">`,
		`<span class="visually-hidden">Phase </span>6.1<span class="visually-hidden"> Ongoing maintenance, support and SLA</span>`,
		`aria-sort="descending"`, `Download CSV`, "Ministry A",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the portfolio lacks %s", want)
		}
	}
	if strings.Contains(page, "Rollout") {
		t.Error("the advisor of A sees B's assessments")
	}
	if _, page := adv.Get("/portfolio?template=opencrvs-server-hosted"); len(rowNames(page)) != 0 || !strings.Contains(page, "No assessment uses OpenCRVS server-hosted deployment yet.") {
		t.Error("the advisor's OpenCRVS portfolio is not empty, or does not say what will appear")
	}

	// Sorting, both ways, and the header links that do it.
	for _, c := range []struct {
		query string
		want  string
	}{
		{"?sort=name", `=HYPERLINK(&#34;http://evil&#34;)|Alpha pilot|Production move 2027`},
		{"?sort=name&dir=desc", `Production move 2027|Alpha pilot|=HYPERLINK(&#34;http://evil&#34;)`},
		{"?sort=readiness&dir=desc", `Production move 2027|=HYPERLINK(&#34;http://evil&#34;)|Alpha pilot`},
		{"?dir=asc", `Production move 2027|Alpha pilot|=HYPERLINK(&#34;http://evil&#34;)`},
		{"?sort=organisation&org=" + handlerstest.Itoa(e.OrgA.ID), `=HYPERLINK(&#34;http://evil&#34;)|Alpha pilot|Production move 2027`},
	} {
		if _, page := adv.Get("/portfolio" + c.query); strings.Join(rowNames(page), "|") != c.want {
			t.Errorf("/portfolio%s: %q, want %s", c.query, rowNames(page), c.want)
		}
	}
	_, page = adv.Get("/portfolio?sort=name")
	for _, want := range []string{
		`aria-sort="ascending"><a id="sort-name" href="/portfolio?dir=desc&amp;sort=name&amp;template=commcare-transition#sort-name" class="sort-link">Assessment`,
		`<a id="sort-readiness" href="/portfolio?sort=readiness&amp;template=commcare-transition#sort-readiness" class="sort-link">Readiness`,
		`<a id="sort-activity" href="/portfolio?template=commcare-transition#sort-activity" class="sort-link">Last activity`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("sorted by name, the headers lack %s", want)
		}
	}

	// The admin sees B's, with "—" where the older version lacks a phase.
	ad := e.Browser(t)
	ad.SignIn("admin@example.org")
	_, page = ad.Get("/portfolio?template=opencrvs-server-hosted&sort=name")
	if strings.Join(rowNames(page), "|") != "Rollout v1|Rollout v2" || strings.Count(page, "heat-missing") != 1 || !strings.Contains(page, "not in this version") {
		t.Errorf("the admin's OpenCRVS portfolio: %q, %d missing cells", rowNames(page), strings.Count(page, "heat-missing"))
	}

	// The CSV is the same table, every row, safe for spreadsheets.
	resp, body := adv.Get("/portfolio.csv?template=commcare-transition&sort=name")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), `filename=portfolio-commcare-transition.csv`) {
		t.Fatalf("CSV: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || len(recs[0]) != 3+14+2 || recs[0][3] != "1.1 System assessment and design" || recs[0][17] != "Readiness (%)" {
		t.Fatalf("CSV header %q, %d records", recs[0], len(recs))
	}
	if recs[1][0] != `'=HYPERLINK("http://evil")` || recs[1][1] != "Ministry A" || recs[1][2] != "1" || recs[1][3] != "Open" || recs[1][4] != "Locked" || recs[1][17] != "0" {
		t.Errorf("CSV row %q", recs[1])
	}
	if recs[3][0] != "Production move 2027" || recs[3][3] != "Submitted" || recs[3][17] == "0" {
		t.Errorf("CSV row %q", recs[3])
	}
	if strings.Contains(body, "Rollout") {
		t.Error("the advisor's CSV holds B's assessments")
	}
	_, body = ad.Get("/portfolio.csv?template=opencrvs-server-hosted&sort=name")
	if recs, _ := csv.NewReader(strings.NewReader(body)).ReadAll(); len(recs) != 3 || recs[1][0] != "Rollout v1" || !strings.Contains(strings.Join(recs[1], ","), ",,") {
		t.Errorf("the admin's OpenCRVS CSV: %q", recs)
	}

	for _, email := range []string{"manager@example.org", "viewer@example.org", "manager@b.example.org"} {
		b := e.Browser(t)
		b.SignIn(email)
		for _, path := range []string{"/portfolio", "/portfolio.csv"} {
			if resp, _ := b.Get(path); resp.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %s = %d, want 404", email, path, resp.StatusCode)
			}
		}
	}
}

// Lists show a page at a time: the dashboard the most recent few, the
// others 24 or 50 per page with links to the next and previous.
func TestListsArePaged(t *testing.T) {
	e := handlerstest.NewEnv(t)
	ctx := context.Background()
	for i := range 55 {
		if _, err := e.St.CreateAssessment(ctx, e.Manager.ID, store.NewAssessment{Name: fmt.Sprintf("Move %02d", i), TemplateID: "commcare-transition", TemplateVersion: 1}); err != nil {
			t.Fatal(err)
		}
	}
	m := e.Browser(t)
	m.SignIn("manager@example.org")
	cards := regexp.MustCompile(`<li class="card assessment-card">`)
	if _, home := m.Get("/"); len(cards.FindAllString(home, -1)) != 6 || !strings.Contains(home, `href="/assessments">See every assessment`) || !strings.Contains(home, "Move 54") {
		t.Errorf("dashboard: %d cards", len(cards.FindAllString(home, -1)))
	}
	_, page := m.Get("/assessments")
	if len(cards.FindAllString(page, -1)) != 24 || !strings.Contains(page, `<a href="/assessments?page=2" rel="next">`) || strings.Contains(page, `rel="prev"`) {
		t.Errorf("/assessments: %d cards", len(cards.FindAllString(page, -1)))
	}
	_, page = m.Get("/assessments?page=3")
	if len(cards.FindAllString(page, -1)) != 7 || !strings.Contains(page, `<a href="/assessments?page=2" rel="prev">`) || strings.Contains(page, `rel="next"`) || !strings.Contains(page, "Move 00") {
		t.Errorf("/assessments page 3: %d cards", len(cards.FindAllString(page, -1)))
	}

	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	_, page = adv.Get("/portfolio?sort=name")
	if names := rowNames(page); len(names) != 50 || names[0] != "Move 00" || !strings.Contains(page, `href="/portfolio?page=2&amp;sort=name&amp;template=commcare-transition" rel="next"`) {
		t.Errorf("portfolio page 1: %d rows", len(names))
	}
	// A page past the last says so, and leads to the first.
	if _, past := adv.Get("/portfolio?sort=name&page=99"); !strings.Contains(past, "Page 99 is past the last one.") || !strings.Contains(past, `href="/portfolio?sort=name&amp;template=commcare-transition">Go to the first page</a>`) {
		t.Error("a portfolio page past the last does not say so")
	}
	_, page = adv.Get("/portfolio?sort=name&page=2")
	if names := rowNames(page); len(names) != 5 || names[0] != "Move 50" {
		t.Errorf("portfolio page 2: %q", names)
	}
	// The CSV holds every row, not one page.
	if _, body := adv.Get("/portfolio.csv"); strings.Count(body, "\n") != 56 {
		t.Errorf("CSV of %d lines, want 56", strings.Count(body, "\n"))
	}
}

// Lists show the progress kept with each assessment (readiness and phase
// statuses, written by every change) instead of evaluating each one from
// its answers; a row without it is evaluated, and shows the same.
func TestListsShowTheKeptProgress(t *testing.T) {
	e := handlerstest.NewEnv(t)
	ctx := context.Background()
	m := e.Browser(t)
	m.SignIn("manager@example.org")
	base := handlerstest.Start(t, m, true)
	id := strings.TrimPrefix(base, "/assessments/")
	var kept []byte
	if err := e.Pool.QueryRow(ctx, `SELECT progress FROM assessments WHERE id = $1`, id).Scan(&kept); err != nil || kept == nil {
		t.Fatalf("a new assessment's progress: %s, %v", kept, err)
	}
	handlerstest.Submit11(t, m, base)
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	submitted := `<td class="heat heat-submitted">`
	check := func(when string) {
		t.Helper()
		if _, page := m.Get("/assessments"); !strings.Contains(page, "Advisor: review phase 1.1") {
			t.Errorf("%s: /assessments does not say the advisor reviews 1.1", when)
		}
		if _, page := adv.Get("/portfolio"); strings.Count(page, submitted) != 1 {
			t.Errorf("%s: the portfolio has %d submitted cells, want 1", when, strings.Count(page, submitted))
		}
	}
	check("kept")
	if _, err := e.Pool.Exec(ctx, `UPDATE assessments SET progress = NULL WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	check("evaluated")

	// What is kept is what lists show: a progress written behind the
	// portal's back shows as it is.
	if err := e.Pool.QueryRow(ctx, `UPDATE assessments SET progress = jsonb_set(jsonb_set(p, '{phases,0,status}', '"approved"'), '{score}', '42')
		FROM (SELECT $2::jsonb AS p) k WHERE id = $1 RETURNING progress`, id, kept).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if _, page := adv.Get("/portfolio"); strings.Count(page, submitted) != 0 || !strings.Contains(page, `<td class="heat heat-approved">`) || !strings.Contains(page, ">42%<") {
		t.Errorf("the portfolio does not show the kept progress %s", kept)
	}
}

// The review queue's platform and phase filters offer only what the
// organisations the advisor reviews move: an advisor of an OpenCRVS move
// alone is offered no CommCare phase.
func TestQueueFiltersFollowTheAdvisorsPlatforms(t *testing.T) {
	e := handlerstest.NewEnv(t)
	crvs := e.User(t, "crvs-advisor@example.org", store.RoleAdvisor, 0)
	if err := e.St.AssignAdvisor(t.Context(), e.Admin.ID, crvs.ID, e.OrgB.ID); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who        string
		has, hasnt []string
	}{
		{"crvs-advisor@example.org", []string{`<optgroup label="OpenCRVS`, `value="opencrvs"`}, []string{`<optgroup label="CommCare`, `value="commcare"`}},
		{"advisor@example.org", []string{`<optgroup label="CommCare`, `value="commcare"`}, []string{`<optgroup label="OpenCRVS`, `value="opencrvs"`}},
		{"admin@example.org", []string{`<optgroup label="CommCare`, `<optgroup label="OpenCRVS`}, nil},
	} {
		b := e.Browser(t)
		b.SignIn(c.who)
		_, page := b.Get("/review")
		for _, want := range c.has {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the queue's filters lack %s", c.who, want)
			}
		}
		for _, not := range c.hasnt {
			if strings.Contains(page, not) {
				t.Errorf("%s: the queue's filters offer %s", c.who, not)
			}
		}
	}
}

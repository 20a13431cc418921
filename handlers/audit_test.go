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
	"time"

	"groundwork/assessment"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// The audit trail pages in the authorization matrix: an assessment's
// trail is read by whoever can see the assessment; the whole trail by
// administrators only.
func init() {
	read := want{
		def:   http.StatusOK,
		own:   map[string]int{anon: http.StatusSeeOther},
		other: map[string]int{anon: http.StatusSeeOther, advisor: http.StatusNotFound, manager: http.StatusNotFound, viewer: http.StatusNotFound},
	}
	matrix["GET /assessments/{id}/audit"] = read
	matrix["GET /assessments/{id}/audit.csv"] = read
	matrix["GET /admin/audit"] = adminsOnly(http.StatusOK)
	matrix["GET /admin/audit.csv"] = adminsOnly(http.StatusOK)
}

// rows counts the events listed on an audit page.
func rows(body string) int { return strings.Count(body, `data-label="When"`) }

func TestAuditPageScope(t *testing.T) {
	f := handlerstest.NewAuditFixture(t)
	a := fmt.Sprintf("/assessments/%d/audit", f.A.ID)
	other := f.Browser(t)
	other.SignIn("manager@b.example.org")
	for _, p := range []string{a, a + ".csv", "/admin/audit", "/admin/audit.csv"} {
		if resp, _ := other.Get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another organisation's manager: GET %s = %d, want 404", p, resp.StatusCode)
		}
	}
	for _, who := range []string{"viewer@example.org", "advisor@example.org", "manager@example.org"} {
		b := f.Browser(t)
		b.SignIn(who)
		resp, body := b.Get(a)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: GET %s = %d", who, a, resp.StatusCode)
		}
		// Started, two answers, a confirmation; newest first.
		if n := rows(body); n != 4 {
			t.Errorf("%s sees %d events, want 4", who, n)
		}
		q, _ := f.Tpl.Question("growth_projections")
		for _, s := range []string{"Assessment", "Started", "Answer", q.Prompt, "Double within two years.", "Triple within two years.", "Checkpoint", "(nothing)", "manager@example.org"} {
			if !strings.Contains(body, s) {
				t.Errorf("%s: the page lacks %q", who, s)
			}
		}
		if strings.Index(body, "Triple within") > strings.Index(body, "<strong>Assessment</strong>") {
			t.Errorf("%s: events are not newest first", who)
		}
		if strings.Contains(body, "Other ministry") {
			t.Errorf("%s: another assessment's events are listed", who)
		}
		if resp, _ := b.Get("/admin/audit"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: GET /admin/audit = %d, want 404", who, resp.StatusCode)
		}
	}
	// The overview links to it, and the admin navigation to the whole trail.
	b := f.Browser(t)
	b.SignIn("viewer@example.org")
	if _, body := b.Get(fmt.Sprintf("/assessments/%d", f.A.ID)); !strings.Contains(body, `href="`+a+`"`) {
		t.Errorf("the overview does not link to %s", a)
	}
	admin := f.Browser(t)
	admin.SignIn("admin@example.org")
	if _, body := admin.Get("/"); !strings.Contains(body, `<a href="/admin/organisations">Admin</a>`) {
		t.Error("the main navigation does not link an admin to the administration pages")
	}
	if _, body := admin.Get("/admin/organisations"); !strings.Contains(body, `<nav class="subnav" aria-label="Administration">`) || !strings.Contains(body, `href="/admin/audit"`) {
		t.Error("the administration pages do not link to /admin/audit")
	}
}

func TestAuditPageFilters(t *testing.T) {
	f := handlerstest.NewAuditFixture(t)
	ctx := context.Background()
	a := fmt.Sprintf("/assessments/%d/audit", f.A.ID)
	b := f.Browser(t)
	b.SignIn("viewer@example.org")
	count := func(query string, status int) (int, string) {
		t.Helper()
		resp, body := b.Get(a + query)
		if resp.StatusCode != status {
			t.Fatalf("GET %s%s = %d, want %d", a, query, resp.StatusCode, status)
		}
		return rows(body), body
	}
	tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly)
	today := time.Now().UTC().Format(time.DateOnly)
	cp, _ := f.Tpl.Checkpoint("architecture_diagram_created")
	for query, want := range map[string]int{
		"?kind=answer":                                 2,
		"?kind=checkpoint":                             1,
		"?kind=assessment":                             1,
		"?person=" + fmt.Sprint(f.Manager.ID):          4,
		"?person=" + fmt.Sprint(f.Viewer.ID):           0,
		"?phase=1.1&kind=answer":                       2,
		"?phase=1.2":                                   0,
		"?phase=" + cp.PhaseKey() + "&kind=checkpoint": 1,
		"?from=" + tomorrow:                            0,
		"?from=" + today + "&to=" + today:              4,
		"?to=" + time.Now().AddDate(0, 0, -2).Format(time.DateOnly): 0,
	} {
		if n, _ := count(query, http.StatusOK); n != want {
			t.Errorf("%s: %d events, want %d", query, n, want)
		}
	}
	// The filters stay chosen, and an empty result says what to do.
	_, body := count("?kind=answer&from="+tomorrow, http.StatusOK)
	if !strings.Contains(body, `<option value="answer" selected`) || !strings.Contains(body, `value="`+tomorrow+`"`) || !strings.Contains(body, "No event matches these filters") {
		t.Errorf("the filtered page does not keep its filters or explain the empty list:\n%.2000s", body)
	}
	// A bad date is refused beside its field, the rest still applies.
	n, body := count("?kind=answer&from=31/12/2026", http.StatusUnprocessableEntity)
	if n != 2 || !strings.Contains(body, "Enter the start date as year-month-day") || !strings.Contains(body, `type="text" inputmode="numeric" placeholder="YYYY-MM-DD" value="31/12/2026"`) {
		t.Errorf("a bad date: %d events, body:\n%.3000s", n, body)
	}
	if _, body := count("?from="+today+"&to=2020-01-01", http.StatusUnprocessableEntity); !strings.Contains(body, "The end date is before the start date.") {
		t.Error("an end before the start is not refused")
	} else if !strings.Contains(body, `type="date" value="2020-01-01" aria-invalid="true"`) {
		// A date refused for its place, not its form, keeps its date box.
		t.Errorf("the end date before the start lost its date box:\n%.3000s", body)
	}
	if _, body := count("?kind=answer&person=999999&from=31/12/2099", http.StatusUnprocessableEntity); strings.Contains(body, "No event matches these filters") || !strings.Contains(body, "the filter marked above is not applied") {
		t.Error("with a refused filter and no event, the page says no event matches the filters")
	}
	// A kind added by another part of the portal reads as words.
	for _, kind := range []string{"decision", "sign_off_snapshot"} {
		if _, err := f.Pool.Exec(ctx, `INSERT INTO history (assessment_id, organisation_id, kind, item_key, version, new_value, changed_by, actor_name, actor_email)
			VALUES ($1, $2, $3, '1.1', 0, 'something new', $4, 'Ada Advisor', 'advisor@example.org')`, f.A.ID, f.OrgA.ID, kind, f.Advisor.ID); err != nil {
			t.Fatal(err)
		}
	}
	_, body = count("", http.StatusOK)
	for _, s := range []string{">Decision<", "Sign off snapshot", "Phase 1.1 "} {
		if !strings.Contains(body, s) {
			t.Errorf("the page lacks %q for kinds it does not know", s)
		}
	}
	if n, body := count("?kind=sign_off_snapshot", http.StatusOK); n != 1 || !strings.Contains(body, `<option value="sign_off_snapshot" selected`) {
		t.Errorf("filtering by an unlisted kind: %d events", n)
	}
}

func TestAuditPagination(t *testing.T) {
	f := handlerstest.NewAuditFixture(t)
	ctx := context.Background()
	for i := 2; i < 60; i++ { // 58 more answers: 62 events in all
		if _, err := f.St.SavePhase(ctx, f.Manager.ID, f.A.ID, f.Tpl, "1.1", store.PhaseChanges{Answers: []store.AnswerChange{
			{Key: "growth_projections", Value: assessment.Value{Text: fmt.Sprintf("Version %d", i+1)}, Base: i},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	b := f.Browser(t)
	b.SignIn("manager@example.org")
	a := fmt.Sprintf("/assessments/%d/audit", f.A.ID)
	_, first := b.Get(a + "?kind=answer")
	if n := rows(first); n != 50 || !strings.Contains(first, "Version 60") || strings.Contains(first, "Newest events") {
		t.Fatalf("first page: %d events", n)
	}
	i := strings.Index(first, `href="`+a+`?before=`)
	if i < 0 {
		t.Fatalf("no link to older events:\n%.500s", first[len(first)-3000:])
	}
	next := strings.ReplaceAll(first[i+len(`href="`):i+strings.Index(first[i+6:], `"`)+6], "&amp;", "&")
	if !strings.Contains(next, "kind=answer") {
		t.Errorf("the older page %s forgets the filter", next)
	}
	_, second := b.Get(next)
	if n := rows(second); n != 10 || !strings.Contains(second, "Double within two years.") || strings.Contains(second, "Version 60") || strings.Contains(second, "Older events") || !strings.Contains(second, "Newest events") {
		t.Errorf("second page: %d events (want the 10 oldest answers)", n)
	}
}

func TestAuditAdminPageAndCSV(t *testing.T) {
	f := handlerstest.NewAuditFixture(t)
	admin := f.Browser(t)
	admin.SignIn("admin@example.org")
	// Changes made through the pages are recorded with their actor.
	if resp, body := admin.Post(fmt.Sprintf("/admin/organisations/%d", f.OrgB.ID), url.Values{"name": {"=HYPERLINK(\"http://x\")"}, "platform": {"opencrvs"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("rename organisation: %d %s", resp.StatusCode, body)
	}
	if resp, body := admin.Post("/admin/users", url.Values{"name": {"Nia New"}, "email": {"nia@example.org"}, "role": {"viewer"}, "organisation": {fmt.Sprint(f.OrgB.ID)}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", resp.StatusCode, body)
	}
	resp, body := admin.Get("/admin/audit")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/audit = %d", resp.StatusCode)
	}
	for _, s := range []string{"Account created", "invited as Viewer of ", "nia@example.org", "Organisation", "Ministry B", "Production move", "Other ministry", "Operator (command line)", "admin@example.org"} {
		if !strings.Contains(body, s) {
			t.Errorf("the admin page lacks %q", s)
		}
	}
	_, body = admin.Get(fmt.Sprintf("/admin/audit?org=%d", f.OrgB.ID))
	if strings.Contains(body, "Production move") || !strings.Contains(body, "Other ministry") {
		t.Error("the organisation filter lets organisation A's events through")
	}
	_, body = admin.Get(fmt.Sprintf("/admin/audit?person=%d", f.Admin.ID))
	if n := rows(body); n != 3 { // assigned the advisor (NewEnv), renamed B, invited Nia
		t.Errorf("the admin made %d changes, want 3", n)
	}

	// The CSV file: the filtered list, every cell safe for spreadsheets.
	resp, body = admin.Get(fmt.Sprintf("/admin/audit.csv?person=%d&kind=organisation", f.Admin.ID))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("CSV: %d %v", resp.StatusCode, resp.Header)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][1] != "Time (UTC)" {
		t.Fatalf("CSV = %q, want a header and the rename", recs)
	}
	row := recs[1]
	if row[2] != "admin" || row[3] != "admin@example.org" || row[4] != "Organisation" || row[5] != "Name" || row[6] != `'=HYPERLINK("http://x")` ||
		row[8] != "Ministry B" || row[9] != `'=HYPERLINK("http://x")` {
		t.Errorf("CSV row = %q", row)
	}
	if _, err := time.Parse(time.RFC3339, row[1]); err != nil {
		t.Errorf("CSV time %q: %v", row[1], err)
	}

	// An assessment's CSV, for a viewer; bad filters are refused.
	b := f.Browser(t)
	b.SignIn("viewer@example.org")
	resp, body = b.Get(fmt.Sprintf("/assessments/%d/audit.csv?kind=answer", f.A.ID))
	recs, _ = csv.NewReader(strings.NewReader(body)).ReadAll()
	if resp.StatusCode != http.StatusOK || len(recs) != 3 || recs[1][9] != "Triple within two years." || recs[1][8] != "Double within two years." || recs[2][8] != "" {
		t.Errorf("assessment CSV: %d %q", resp.StatusCode, recs)
	}
	// A CSV asked for with a refused filter leads to the audit trail's
	// page with the same filters, which says what is wrong beside it.
	if resp, _ := b.Get(fmt.Sprintf("/assessments/%d/audit.csv?from=yesterday", f.A.ID)); resp.StatusCode != http.StatusSeeOther ||
		resp.Header.Get("Location") != fmt.Sprintf("/assessments/%d/audit?from=yesterday", f.A.ID) {
		t.Errorf("CSV with a bad date = %d to %q, want 303 to the audit trail with the filter", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := admin.Get("/admin/audit.csv?from=2026-13-45&kind=link"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/audit?from=2026-13-45&kind=link" {
		t.Errorf("the admin's CSV with a bad date = %d to %q, want 303 to the audit trail with the filters", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Every kind the assessment's audit filter offers finds events: a review's
// decisions are phase events (a "Review decision" kind was offered and
// never matched).
func TestAuditKindFilterFindsReviewDecisions(t *testing.T) {
	e := handlerstest.NewEnv(t)
	manager, advisor := e.Browser(t), e.Browser(t)
	manager.SignIn("manager@example.org")
	advisor.SignIn("advisor@example.org")
	base := handlerstest.ReviewCycle(t, manager, advisor)
	_, page := manager.Get(base + "/audit")
	offered := regexp.MustCompile(`<option value="([a-z_]+)"`).FindAllStringSubmatch(page, -1)
	for _, kind := range []string{"answer", "phase", "assessment"} {
		if _, body := manager.Get(base + "/audit?kind=" + kind); strings.Contains(body, "No event matches these filters") {
			t.Errorf("the filter %q finds nothing after a review cycle", kind)
		}
	}
	_, body := manager.Get(base + "/audit?kind=phase")
	for _, want := range []string{"changes requested", "approved"} {
		if !strings.Contains(strings.ToLower(body), want) {
			t.Errorf("the phase events lack the decision %q", want)
		}
	}
	for _, o := range offered {
		if o[1] == "decision" {
			t.Error(`the filter offers "decision", a kind no event has`)
		}
	}
	// A comment's event names its phase and links to the comment, not
	// "1.1#1".
	handlerstest.Posted(t, "a comment", manager, base+"/phases/1.1/comments", url.Values{"comment": {"Tablet users added."}})
	_, body = manager.Get(base + "/audit?kind=comment")
	if !regexp.MustCompile(`<a href="` + base + `/phases/1.1#cm-\d+">Phase 1.1 System assessment and design · comment \d+</a>`).MatchString(body) {
		t.Errorf("the comment's event does not name its phase and link to it:\n%s", regexp.MustCompile(`1\.1#\d+|[^>]*· comment[^<]*`).FindString(body))
	}
}

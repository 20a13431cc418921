package handlers_test

import (
	"context"
	"encoding/hex"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"groundwork/assessment"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// parseHTML parses a page, and indexes its elements by id.
func parseHTML(t testing.TB, page string) (*html.Node, map[string]*html.Node) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]*html.Node{}
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode {
			if id := attr(n, "id"); id != "" {
				if ids[id] != nil {
					t.Errorf("two elements with id %q", id)
				}
				ids[id] = n
			}
		}
	}
	return doc, ids
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

// textOf is the text inside n, as a browser would show it without CSS
// (spaces collapsed).
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func within(n, ancestor *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == ancestor {
			return true
		}
	}
	return false
}

// elements are n's descendants with the tag and (if given) class.
func elements(n *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag && (class == "" || strings.Contains(" "+attr(d, "class")+" ", " "+class+" ")) {
			out = append(out, d)
		}
	}
	return out
}

// TestReportOfAFullyReviewedAssessment reads the report of an assessment
// with every phase answered, confirmed and approved: it shows every phase,
// every answer that applies, every checkpoint with who confirmed it, every
// decision with its digest and every comment, and no Draft mark.
func TestReportOfAFullyReviewedAssessment(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr, _, base := handlerstest.FullyReviewed(t, e)
	resp, page := mgr.Get(base + "/report")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("report = %d", resp.StatusCode)
	}
	doc, ids := parseHTML(t, page)
	tpl := handlerstest.CommcareV1(t)
	st := handlerstest.State(t, e, base)
	res := tpl.Evaluate(st.Input(tpl))
	ctx := context.Background()
	decisions, err := e.St.PhaseDecisions(ctx, e.Manager.ID, st.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	threads, err := e.St.Threads(ctx, e.Manager.ID, st.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(threads) != 2 {
		t.Errorf("threads = %d, want the question's and the change request", len(threads))
	}
	if len(elements(doc, "div", "watermark")) != 0 {
		t.Error("a fully approved assessment's report is marked Draft")
	}
	cover := textOf(ids["report-h"].Parent)
	for _, want := range []string{"Production move 2027", "Ministry A", "CommCare HQ", "version 1", "100%", "every required phase (11) approved"} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover %q lacks %q", cover, want)
		}
	}
	summary := textOf(ids["summary"])
	if !strings.Contains(summary, "14 approved") || !strings.Contains(summary, "0 pending") {
		t.Errorf("summary = %q, want 14 approved, 0 pending", summary)
	}
	if svg := elements(ids["summary"], "svg", "chart-wide"); len(svg) != 1 || attr(svg[0], "role") != "img" || attr(svg[0], "aria-label") == "" || len(elements(svg[0], "rect", "")) < len(tpl.Phases) {
		t.Errorf("summary chart: %d svg, want one labelled image with a bar per phase", len(svg))
	}
	if sz := ids["sizing"]; sz == nil || len(elements(sz, "svg", "chart-wide")) != 4 || !strings.Contains(textOf(sz), "Micro cluster") {
		t.Errorf("sizing section lacks its four charts or the tier")
	}
	answered := 0
	for i, p := range tpl.Phases {
		sec := ids["phase-"+p.Key]
		if sec == nil {
			t.Errorf("phase %s missing", p.Key)
			continue
		}
		text := textOf(sec)
		if !strings.Contains(text, p.Title) || !strings.Contains(text, "Approved") {
			t.Errorf("phase %s: %q lacks its title or status", p.Key, text[:min(200, len(text))])
		}
		if res.Phases[i].Status != assessment.StatusApproved {
			t.Errorf("phase %s is %s, want approved", p.Key, res.Phases[i].Status)
		}
		for _, q := range p.Questions {
			n := ids["q-"+q.Key]
			if !res.Visible(q.Key) {
				if n != nil {
					t.Errorf("hidden question %s is in the report", q.Key)
				}
				continue
			}
			if n == nil || !within(n, sec) {
				t.Errorf("question %s is not in phase %s", q.Key, p.Key)
				continue
			}
			answered++
			qt := textOf(n)
			if !strings.Contains(qt, q.Prompt) || strings.Contains(qt, "Not answered") {
				t.Errorf("question %s reads %q", q.Key, qt)
			}
			if q.Type == assessment.TypeTable {
				v := st.Input(tpl).Answers[q.Key]
				if tb := elements(n, "table", ""); len(tb) != 1 || len(elements(elements(tb[0], "tbody", "")[0], "tr", "")) != len(v.Rows) {
					t.Errorf("table %s is not a table of %d rows", q.Key, len(v.Rows))
				}
			}
		}
		for _, c := range p.Checkpoints {
			n := ids["c-"+c.Key]
			if n == nil || !within(n, sec) {
				t.Errorf("checkpoint %s is not in phase %s", c.Key, p.Key)
				continue
			}
			if ct := textOf(n); !strings.Contains(ct, "Confirmed by manager") || strings.Contains(ct, "Not confirmed") {
				t.Errorf("checkpoint %s reads %q", c.Key, ct)
			}
		}
		var want int
		for _, d := range decisions {
			if d.Phase != p.Key {
				continue
			}
			want++
			if d.Action == store.ActionApproved && !strings.Contains(text, hex.EncodeToString(d.Digest)) {
				t.Errorf("phase %s lacks its sign-off digest", p.Key)
			}
			if d.Reason != "" && !strings.Contains(text, d.Reason) {
				t.Errorf("phase %s lacks the decision %q", p.Key, d.Reason)
			}
		}
		if ol := elements(sec, "ol", "decisions"); len(ol) != 1 || len(elements(ol[0], "li", "")) < want {
			t.Errorf("phase %s: want %d decisions listed", p.Key, want)
		}
		for _, th := range threads {
			if th.Phase != p.Key {
				continue
			}
			for _, c := range append([]store.Comment{th.Comment}, th.Replies...) {
				if !strings.Contains(text, c.Body) {
					t.Errorf("phase %s lacks the comment %q", p.Key, c.Body)
				}
			}
		}
	}
	if answered < 100 {
		t.Errorf("only %d questions in the report", answered)
	}
	if ev := textOf(ids["c-architecture_diagram_created"]); !strings.Contains(ev, "diagram.png") || !strings.Contains(ev, "SHA-256") {
		t.Errorf("evidence reads %q, want its name and SHA-256", ev)
	}
	if !strings.Contains(textOf(ids["report-h"].Parent), "Signed off") {
		t.Error("cover does not say it is signed off")
	}
}

// hostile is the corpus of input that must come back inert.
var hostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`=HYPERLINK("http://evil.example","x")`,
	`+1+1`, `-2+3`, `@SUM(A1)`, "\tTAB", "\rCR",
	"\u202eexe.txt\u202c \u200fRTL\u200e",
}

// hostileAssessment starts an assessment whose name, answers, table cells,
// evidence link, evidence file name and comment are the hostile corpus
// (and a 10,000-character answer, long); it returns its address.
func hostileAssessment(t *testing.T, mgr *handlerstest.Browser, long string) string {
	t.Helper()
	// Direction marks, not controls: a name holding an override is refused
	// (TestRenameAssessment); answers and file names keep them.
	name := hostile[0] + hostile[1] + " \u200fRTL\u200e"
	resp, body := mgr.Post("/assessments", url.Values{"template": {"commcare-transition@1"}, "name": {name}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d\n%s", resp.StatusCode, handlerstest.ErrorsIn(body))
	}
	base := resp.Header.Get("Location")
	form := handlerstest.Phase11()
	form.Set("growth_projections", strings.Join(hostile, "\n")+"\n"+long)
	form.Set("mobile_apps.0.name", hostile[1])
	form.Set("mobile_apps.1.name", hostile[2])
	form.Set("mobile_apps.1.version", hostile[3])
	form.Set("mobile_apps.1.users", "3")
	form.Set("cu.architecture_diagram_created", `https://example.org/"><img src=x onerror=alert(1)>`)
	handlerstest.AddVersions(t, mgr, base+"/phases/1.1", form)
	if resp, body := mgr.Post(base+"/phases/1.1", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill = %d\n%s", resp.StatusCode, handlerstest.ErrorsIn(body))
	}
	// A javascript: link is refused where it is typed; the report must not
	// carry one either way.
	js := url.Values{"cu.mobile_app_inventory_documented": {"javascript:alert(1)"}, "c.mobile_app_inventory_documented": {"on"}}
	handlerstest.AddVersions(t, mgr, base+"/phases/1.1", js)
	mgr.Post(base+"/phases/1.1/checkpoints/mobile_app_inventory_documented", js)
	handlerstest.Upload(t, mgr, base+"/phases/1.1/checkpoints/architecture_diagram_created/evidence", hostile[1]+hostile[8]+".png", []byte("\x89PNG\r\n\x1a\n0000"))
	// (@SUM would be a mention of nobody, refused: it is in the answer.)
	handlerstest.Posted11(t, mgr, base+"/phases/1.1/comments", url.Values{"comment": {strings.Join(slices.Delete(slices.Clone(hostile), 5, 6), " ")}})

	return base
}

// TestReportKeepsHostileInputInert puts script, markup, formula prefixes,
// direction marks and a 10,000-character string into the assessment's
// name, answers, a link, an evidence file's name and a comment: the report
// shows them as text, with no script, handler or javascript: link.
func TestReportKeepsHostileInputInert(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr := e.Browser(t)
	mgr.SignIn("manager@example.org")
	long := strings.Repeat("x", 10000)
	base := hostileAssessment(t, mgr, long)
	resp, page := mgr.Get(base + "/report")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("report = %d", resp.StatusCode)
	}
	doc, ids := parseHTML(t, page)
	checkInert(t, doc)
	all := textOf(doc)
	for _, want := range []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `=HYPERLINK("http://evil.example","x")`, "\u202eexe.txt", long} {
		if !strings.Contains(all, want) {
			t.Errorf("report does not show %.60q as text", want)
		}
	}
	// Names written in either direction do not run into the text around
	// them.
	if h := ids["report-h"]; h == nil || len(elements(h, "bdi", "")) != 1 {
		t.Error("the assessment's name is not isolated in a <bdi>")
	}
	// The standalone document is as inert, and fetches nothing.
	sresp, spage := standalone(t, e, mgr, base)
	if sresp.StatusCode != http.StatusOK {
		t.Fatalf("standalone = %d", sresp.StatusCode)
	}
	sdoc, _ := parseHTML(t, spage)
	checkInert(t, sdoc)
	if !strings.Contains(textOf(sdoc), long) {
		t.Error("standalone report lacks the long answer")
	}
}

// checkInert fails on any script but our own, any event handler attribute,
// any image, and any javascript: address.
func checkInert(t *testing.T, doc *html.Node) {
	t.Helper()
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "script":
			if src := attr(n, "src"); !strings.HasPrefix(src, "/static/") || n.FirstChild != nil {
				t.Errorf("a script that is not ours: src %q", src)
			}
		case "img", "iframe", "object", "embed":
			t.Errorf("a <%s> in the report", n.Data)
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
			if v := strings.ToLower(strings.TrimSpace(a.Val)); (a.Key == "href" || a.Key == "src" || a.Key == "action") && strings.HasPrefix(v, "javascript:") {
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
	}
}

// standalone fetches the standalone report (what headless Chromium
// prints) as the browser's user.
func standalone(t *testing.T, e *handlerstest.Env, b *handlerstest.Browser, base string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, base+"/report", nil)
	u, _ := url.Parse(e.Srv.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	e.Portal.StandaloneReport().ServeHTTP(rec, req)
	return rec.Result(), rec.Body.String()
}

// TestStandaloneReportFetchesNothing: the document for headless Chromium
// carries its CSS inline, has no script and loads no stylesheet, image or
// font from anywhere; its links are absolute through <base>.
func TestStandaloneReportFetchesNothing(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr, base := handlerstest.HalfDone(t, e)
	resp, page := standalone(t, e, mgr, base)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("standalone = %d", resp.StatusCode)
	}
	doc, _ := parseHTML(t, page)
	if n := len(elements(doc, "script", "")); n != 0 {
		t.Errorf("%d scripts in the standalone report", n)
	}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "link", "img", "iframe", "object", "embed", "video", "audio", "source":
			t.Errorf("<%s> in the standalone report: it would be fetched", n.Data)
		}
		if src := attr(n, "src"); src != "" {
			t.Errorf("<%s src=%q> in the standalone report", n.Data, src)
		}
	}
	styles := elements(doc, "style", "")
	if len(styles) != 1 || !strings.Contains(textOf(styles[0]), "@page") || strings.Contains(textOf(styles[0]), "url(http") || strings.Contains(textOf(styles[0]), "@import") {
		t.Errorf("standalone report: %d <style>, want one with the print CSS and no fetch", len(styles))
	}
	if b := elements(doc, "base", ""); len(b) != 1 || attr(b[0], "href") != e.Srv.URL+"/" {
		t.Errorf("standalone report's <base> is not the portal's address")
	}
	if len(elements(doc, "nav", "report-toolbar")) != 0 {
		t.Error("the standalone report has the screen toolbar")
	}
	if len(elements(doc, "div", "watermark")) != 1 {
		t.Error("a half-done assessment's report is not marked Draft")
	}
}

// TestReportAccess: everyone who can read the assessment reads its report
// (viewers and the assigned advisor too); another organisation's manager
// gets a 404, as for the assessment itself.
func TestReportAccess(t *testing.T) {
	e := handlerstest.NewEnv(t)
	_, base := handlerstest.HalfDone(t, e)
	for _, c := range []struct {
		email string
		want  int
	}{
		{"viewer@example.org", http.StatusOK},
		{"advisor@example.org", http.StatusOK},
		{"admin@example.org", http.StatusOK},
		{"manager@b.example.org", http.StatusNotFound},
	} {
		b := e.Browser(t)
		b.SignIn(c.email)
		if resp, _ := b.Get(base + "/report"); resp.StatusCode != c.want {
			t.Errorf("%s: report = %d, want %d", c.email, resp.StatusCode, c.want)
		}
	}
	anon := e.Browser(t)
	if resp, _ := anon.Get(base + "/report"); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusNotFound {
		t.Errorf("signed out: report = %d, want a redirect to sign in", resp.StatusCode)
	}
	if resp, _ := anon.Get("/assessments/999999/report"); resp.StatusCode == http.StatusOK {
		t.Error("a report of nothing answered 200")
	}
}

// BenchmarkReport renders the report of a fully answered, reviewed
// assessment (every phase approved, with decisions, comments and
// evidence), through the whole middleware stack and a real database,
// without the network. The target is 30 ms.
func BenchmarkReport(b *testing.B) {
	e := handlerstest.NewEnv(b)
	mgr, _, base := handlerstest.FullyReviewed(b, e)
	u, _ := url.Parse(e.Srv.URL)
	cookies := mgr.Client.Jar.Cookies(u)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, base+"/report", nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s/report = %d", base, rec.Code)
		}
	}
}

// TestReportOfAnOpenCRVSAssessment: the sizing section follows OpenCRVS's
// formula, compares the servers entered and charts the disk over the
// years kept.
func TestReportOfAnOpenCRVSAssessment(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr := e.Browser(t)
	mgr.SignIn("manager@b.example.org")
	base := handlerstest.FillOpenCRVS(t, mgr, 4)
	c, _ := assessment.Embedded()
	tpl, _ := c.Template("opencrvs-server-hosted", 2)
	overrides := url.Values{}
	for k, v := range handlerstest.NationalOpenCRVS {
		overrides[k] = v
	}
	// A rate typed with a decimal comma ("17,299", read as 17,299 per 1000
	// people) is refused saying that the decimal mark is a point.
	resp, body := mgr.Do(http.MethodPost, base+"/phases/1.4/answers/crude_birth_rate", url.Values{"crude_birth_rate": {"17,299"}}, "HX-Request", "true")
	if want := "Must be at most 100 per 1000 people. The decimal mark is a point, and a comma only separates thousands: for 17 and a fraction, write 17.299."; resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
		t.Errorf("a birth rate of 17,299 = %d, want 422 saying %q\n%s", resp.StatusCode, want, body)
	}
	// The phase's panel links to the calculator with the same inputs,
	// where the formula gives the same disk (years kept included).
	_, panel := mgr.Get(base + "/phases/1.4")
	// Its brief, in the side column, says they fall short too.
	if _, ids := parseHTML(t, panel); ids["sizing-brief"] == nil || !regexp.MustCompile(`The servers entered fall short \(\d gaps?\)`).MatchString(textOf(ids["sizing-brief"])) {
		t.Error("the sizing brief beside the questions does not say the servers entered fall short")
	}
	link := regexp.MustCompile(`<a href="(/sizing\?[^"]+)">Try other numbers in the sizing calculator</a>`).FindStringSubmatch(panel)
	if link == nil {
		t.Fatal("the phase's sizing panel has no link to the calculator with its figures")
	}
	_, calc := mgr.Get(html.UnescapeString(link[1]))
	disk := regexp.MustCompile(`100 GB \+ 10 × \([^)]*\) = ([\d,.]+) GB`).FindStringSubmatch(calc)
	if disk == nil || !strings.Contains(panel, disk[1]+" GB") || !strings.Contains(link[1], "#opencrvs-h") {
		t.Errorf("the calculator from %s gives %q, not the panel's disk", link[1], disk)
	}
	resp, page := mgr.Get(base + "/report")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("report = %d", resp.StatusCode)
	}
	_, ids := parseHTML(t, page)
	// The summary says the servers fall short, beside the phases' state.
	if sum := ids["summary"]; sum == nil || !strings.Contains(textOf(sum), "The servers entered fall short of the recommendation") {
		t.Error("the executive summary does not say that the servers entered fall short")
	}
	sz := ids["sizing"]
	if sz == nil {
		t.Fatal("no sizing section")
	}
	text := textOf(sz)
	for _, want := range []string{"Disk and server recommendation", "Records per year", "20,000,000", "Application server disk, every year kept", "fall short", "Year 10"} {
		if !strings.Contains(text, want) {
			t.Errorf("sizing lacks %q:\n%s", want, text)
		}
	}
	charts := elements(sz, "svg", "chart-wide")
	if len(charts) != 2 || attr(charts[0], "aria-label") != "Application server disk (GB)" || len(elements(charts[0], "rect", "")) < 10 {
		t.Errorf("sizing charts: %d, want the application and backup disk over ten years", len(charts))
	}
	if tb := elements(sz, "table", ""); len(tb) != 1 || len(elements(tb[0], "tr", "")) != 6 {
		t.Error("the servers planned are not a table of five")
	} else if q, _ := tpl.Question("servers"); attr(tb[0], "aria-label") != q.Prompt || len(elements(tb[0], "caption", "")) != 0 {
		// Its question names it for screen readers, with no caption that the
		// PDF's text would hold a second time.
		t.Errorf("the servers table: aria-label %q and %d captions, want its question and none", attr(tb[0], "aria-label"), len(elements(tb[0], "caption", "")))
	}

	// The workbook holds the same section as a sheet, its figures numbers:
	// the servers planned, and the disk for each year kept, the tenth the
	// calculator's; number answers are numbers shown with their unit.
	_, book := mgr.Get(base + "/report.xlsx")
	x, err := excelize.OpenReader(strings.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sheets := x.GetSheetList(); len(sheets) < 3 || sheets[1] != "Sizing" {
		t.Fatalf("sheets = %q, want Sizing after Checkpoints", sheets)
	}
	rows, _ := x.GetRows("Sizing")
	rowOf := func(first string) int { // the 1-based row whose column A is first
		t.Helper()
		for i, r := range rows {
			if len(r) > 0 && r[0] == first {
				return i + 1
			}
		}
		t.Fatalf("the Sizing sheet has no row %q:\n%q", first, rows)
		return 0
	}
	raw := func(sheet, c string) float64 {
		t.Helper()
		v, _ := x.GetCellValue(sheet, c, excelize.Options{RawCellValue: true})
		typ, _ := x.GetCellType(sheet, c)
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) {
			t.Errorf("%s!%s = %q (type %v), want a number", sheet, c, v, typ)
		}
		return f
	}
	for _, want := range []string{"Disk and server recommendation", "From these answers", "Recommendation", "How it is calculated", "Hardware planned", "Falls short"} {
		rowOf(want)
	}
	// The answers it comes from: numbers are numbers there too.
	if r := rowOf("Population of the country (or covered area)"); raw("Sizing", "B"+strconv.Itoa(r)) != 20000000 {
		t.Error("the sizing sheet's population is not the number 20,000,000")
	}
	if r := rowOf("production"); raw("Sizing", "C"+strconv.Itoa(r)) != 16 {
		t.Error("the servers planned: a production server's RAM is not the number 16")
	}
	year10 := raw("Sizing", "B"+strconv.Itoa(rowOf("Year 10")))
	if want, _ := strconv.ParseFloat(strings.ReplaceAll(disk[1], ",", ""), 64); disk != nil && math.Abs(year10-want) > 0.5 {
		t.Errorf("the workbook's disk after 10 years = %v GB, the calculator's %v", year10, want)
	}
	if backup := raw("Sizing", "C"+strconv.Itoa(rowOf("Year 10"))); math.Abs(backup-2*year10) > 0.01 {
		t.Errorf("the backup disk after 10 years = %v, want twice %v", backup, year10)
	}
	sheet := x.GetSheetList()[5] // 1.4, where the population and rates are asked
	answers, _ := x.GetRows(sheet)
	for i, r := range answers {
		if len(r) == 0 || (r[0] != "population" && r[0] != "crude_birth_rate") {
			continue
		}
		c := "C" + strconv.Itoa(i+1)
		want := map[string]float64{"population": 20000000, "crude_birth_rate": 17.3}[r[0]]
		format := map[string]string{"population": `#,##0" people"`, "crude_birth_rate": `#,##0.0" per 1000 people"`}[r[0]]
		styleID, _ := x.GetCellStyle(sheet, c)
		st, _ := x.GetStyle(styleID)
		if got := raw(sheet, c); got != want || st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != format {
			t.Errorf("%s!%s (%s) = %v in %+v, want %v shown as %s", sheet, c, r[0], got, st, want, format)
		}
		delete(overrides, r[0])
	}
	if overrides.Has("population") || overrides.Has("crude_birth_rate") {
		t.Errorf("sheet %s has no row for the population or the birth rate", sheet)
	}
	// A date answer is an Excel date shown as the day (a walk found phase
	// 2.4's and 5.1's dates written as text).
	sheet = x.GetSheetList()[3] // 1.2, with the go-live date
	answers, _ = x.GetRows(sheet)
	dated := false
	for i, r := range answers {
		if len(r) < 3 || r[0] != "go_live_date" {
			continue
		}
		dated = true
		serial := time.Date(2030, 1, 15, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
		if got := raw(sheet, "C"+strconv.Itoa(i+1)); got != serial || r[2] != "2030-01-15" {
			t.Errorf("%s: the go-live date is %v shown as %q, want the date %v shown as 2030-01-15", sheet, got, r[2], serial)
		}
	}
	if !dated {
		t.Errorf("sheet %s has no row for the go-live date", sheet)
	}
}

// An approved phase that answers in an earlier phase have since made ask
// more (a proof of concept turned pilot: phase 1.4's disks) says so, on
// its page and in the report, instead of calling itself frozen; its first
// answer then withdraws the approval.
func TestApprovalOutgrownByEarlierAnswers(t *testing.T) {
	e := handlerstest.NewEnv(t)
	if err := e.St.AssignAdvisor(context.Background(), e.Admin.ID, e.Advisor.ID, e.OrgB.ID); err != nil {
		t.Fatal(err)
	}
	mgr, adv := e.Browser(t), e.Browser(t)
	mgr.SignIn("manager@b.example.org")
	adv.SignIn("advisor@example.org")
	resp, _ := mgr.Post("/assessments", url.Values{"template": {"opencrvs-server-hosted@2"}, "name": {"Pilot move"}, "sign_off": {"on"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d", resp.StatusCode)
	}
	base := resp.Header.Get("Location")
	c, _ := assessment.Embedded()
	tpl, _ := c.Template("opencrvs-server-hosted", 2)
	overrides := url.Values{"ups_minutes": {"30"}, "safe_shutdown_minutes": {"5"}, "project_stage": {"poc"}, "environments": {"qa"}, "population": {"2000000"},
		"crude_birth_rate": {"17.3"}, "crude_death_rate": {"7.7"}, "attachments_per_record": {"3"}, "ubuntu_version": {"24.04"},
		"app_disk_gb": {""}, "backup_disk_gb": {""}}
	tables := map[string][][]string{"servers": {{"qa", "4", "16", "320"}}}
	approve := func(key string, form url.Values) {
		t.Helper()
		p := base + "/phases/" + key
		if form != nil {
			handlerstest.AddVersions(t, mgr, p, form)
			if resp, body := mgr.Post(p, form); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("fill %s = %d\n%s", key, resp.StatusCode, handlerstest.ErrorsIn(body))
			}
		}
		if resp, _ := mgr.Post(p+"/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			_, page := mgr.Get(p)
			t.Fatalf("submit %s = %d\n%s", key, resp.StatusCode, regexp.MustCompile(`(?s)Still to do.*?</ul>`).FindString(page))
		}
		if resp, body := adv.Post(p+"/review", url.Values{"decision": {"approve"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve %s = %d\n%s", key, resp.StatusCode, handlerstest.ErrorsIn(body))
		}
	}
	for _, p := range tpl.Phases[:4] {
		approve(p.Key, handlerstest.SampleForm(p, overrides, tables))
	}
	_, page := mgr.Get(base + "/phases/1.4")
	wantIn(t, "1.4 approved as a proof of concept", page, "The phase is frozen as it was signed off")
	// 1.2's reopening form names what it locks again.
	_, page = mgr.Get(base + "/phases/1.2")
	wantIn(t, "1.2's reopening form", page, "with its digest. <strong>Phases 1.3, 1.4 and 1.5 lock again until this phase is approved again, with their answers and approvals kept.</strong>")
	// 1.2 reopened: a pilot now.
	if resp, body := mgr.Post(base+"/phases/1.2/reopen", url.Values{"reopen_reason": {"A pilot after all."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reopen 1.2 = %d\n%s", resp.StatusCode, handlerstest.ErrorsIn(body))
	}
	pilot := url.Values{}
	for k, v := range overrides {
		pilot[k] = v
	}
	pilot.Set("project_stage", "pilot")
	delete(pilot, "environments") // every one
	approve("1.2", handlerstest.SampleForm(tpl.Phases[1], pilot, tables))
	_, page = mgr.Get(base + "/phases/1.4")
	wantIn(t, "1.4 after 1.2 became a pilot", page, "Approved and signed off", "answers in earlier phases have made more of this phase required", "Application server disk")
	wantNotIn(t, "1.4 after 1.2 became a pilot", page, "The phase is frozen")
	_, report := mgr.Get(base + "/report")
	wantIn(t, "the report", report, "Since then, answers in earlier phases have made more of the phase required")
	// Answering withdraws the approval: the phase goes to review again.
	disk := url.Values{"app_disk_gb": {"500"}}
	handlerstest.AddVersions(t, mgr, base+"/phases/1.4", disk)
	if resp, body := mgr.Do(http.MethodPost, base+"/phases/1.4/answers/app_disk_gb", disk, "HX-Request", "true"); resp.StatusCode != http.StatusOK {
		t.Fatalf("answer the disk = %d\n%s", resp.StatusCode, body)
	}
	_, page = mgr.Get(base + "/phases/1.4")
	wantNotIn(t, "1.4 once answered", page, `id="sign-off"`, "made more of this phase required")
}

package handlers_test

import (
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"groundwork/assessment"
	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
)

func init() {
	// The matrix fills {id} with an organisation's number, which names no
	// template: everyone, signed in or not, gets the same 404 and nobody is
	// sent to sign in. The tests below cover the pages and documents that do
	// exist, for visitors.
	matrix["GET /api/v1/templates"] = everyone200
	matrix["GET /api/v1/templates/{id}"] = same(http.StatusNotFound, nil)
	matrix["GET /templates"] = everyone200
	matrix["GET /templates/{id}"] = same(http.StatusNotFound, nil)
}

// The API's documents, decoded into types of the test's own so that a
// renamed or dropped JSON field fails. Pointers tell a field that is absent
// from one that is zero.
type (
	tplAPISummary struct {
		ID         string `json:"id"`
		Platform   string `json:"platform"`
		Version    int    `json:"version"`
		Title      string `json:"title"`
		PhaseCount int    `json:"phase_count"`
		Latest     bool   `json:"latest"`
		URL        string `json:"url"`
		HTMLURL    string `json:"html_url"`
	}
	tplAPITemplate struct {
		ID       string        `json:"id"`
		Platform string        `json:"platform"`
		Version  int           `json:"version"`
		Title    string        `json:"title"`
		Phases   []tplAPIPhase `json:"phases"`
	}
	tplAPIPhase struct {
		Key         string             `json:"key"`
		Title       string             `json:"title"`
		Optional    *bool              `json:"optional"`
		Questions   []tplAPIQuestion   `json:"questions"`
		Checkpoints []tplAPICheckpoint `json:"checkpoints"`
	}
	tplAPIQuestion struct {
		Key      string         `json:"key"`
		Type     string         `json:"type"`
		Prompt   string         `json:"prompt"`
		Required *bool          `json:"required"`
		Help     string         `json:"help"`
		Unit     string         `json:"unit"`
		Min      *float64       `json:"min"`
		Max      *float64       `json:"max"`
		Integer  bool           `json:"integer"`
		Choices  []tplAPIChoice `json:"choices"`
		Columns  []struct {
			Key  string `json:"key"`
			Type string `json:"type"`
		} `json:"columns"`
	}
	tplAPIChoice struct {
		Value string `json:"value"`
		Label string `json:"label"`
	}
	tplAPICheckpoint struct {
		Key      string `json:"key"`
		Text     string `json:"text"`
		Blocking *bool  `json:"blocking"`
		Origin   string `json:"origin"`
	}
)

// getTemplateJSON fetches path, checks the status and decodes the body into v.
func getTemplateJSON(t *testing.T, srv *httptest.Server, path string, status int, v any) *http.Response {
	t.Helper()
	resp, body := get(t, srv, path)
	if resp.StatusCode != status {
		t.Fatalf("GET %s = %d, want %d\n%.300s", path, resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("GET %s: Content-Type = %q", path, ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v\n%.300s", path, err, body)
	}
	return resp
}

func TestTemplateAPIList(t *testing.T) {
	srv := handlerstest.NewServer(t)
	var got []tplAPISummary
	getTemplateJSON(t, srv, "/api/v1/templates", http.StatusOK, &got)
	want := []tplAPISummary{
		{ID: "commcare-transition", Platform: "commcare", Version: 1, PhaseCount: 14, Latest: true},
		{ID: "opencrvs-server-hosted", Platform: "opencrvs", Version: 1, PhaseCount: 14, Latest: false},
		{ID: "opencrvs-server-hosted", Platform: "opencrvs", Version: 2, PhaseCount: 15, Latest: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d templates, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID || g.Platform != w.Platform || g.Version != w.Version || g.PhaseCount != w.PhaseCount || g.Latest != w.Latest {
			t.Errorf("template %d = %s %s v%d, %d phases, latest %v; want %s %s v%d, %d phases, latest %v",
				i, g.ID, g.Platform, g.Version, g.PhaseCount, g.Latest, w.ID, w.Platform, w.Version, w.PhaseCount, w.Latest)
		}
		if g.Title == "" {
			t.Errorf("template %d has no title", i)
		}
		// Each entry links to its document and page, which exist.
		for _, link := range []string{g.URL, g.HTMLURL} {
			if !strings.HasPrefix(link, srv.URL+"/") {
				t.Errorf("template %d links to %q, want an address on %s", i, link, srv.URL)
				continue
			}
			if resp, _ := get(t, srv, strings.TrimPrefix(link, srv.URL)); resp.StatusCode != http.StatusOK {
				t.Errorf("template %d: GET %s = %d", i, link, resp.StatusCode)
			}
		}
	}
}

func TestTemplateAPICommCare(t *testing.T) {
	srv := handlerstest.NewServer(t)
	var doc tplAPITemplate
	getTemplateJSON(t, srv, "/api/v1/templates/commcare-transition", http.StatusOK, &doc)
	if doc.ID != "commcare-transition" || doc.Platform != "commcare" || doc.Version != 1 {
		t.Errorf("document is %s %s v%d", doc.ID, doc.Platform, doc.Version)
	}

	var keys, optional []string
	source, derived := 0, map[string]int{}
	questions := map[string]tplAPIQuestion{}
	for _, p := range doc.Phases {
		keys = append(keys, p.Key)
		if p.Title == "" || p.Optional == nil {
			t.Errorf("phase %s: title %q, optional present %v", p.Key, p.Title, p.Optional != nil)
		} else if *p.Optional {
			optional = append(optional, p.Key)
		}
		for _, c := range p.Checkpoints {
			if c.Key == "" || c.Text == "" || c.Blocking == nil {
				t.Errorf("phase %s: checkpoint %+v lacks key, text or blocking", p.Key, c)
				continue
			}
			if !*c.Blocking {
				t.Errorf("phase %s: checkpoint %s is not blocking", p.Key, c.Key)
			}
			switch c.Origin {
			case "source":
				source++
			case "derived":
				derived[p.Key]++
			default:
				t.Errorf("phase %s: checkpoint %s has origin %q", p.Key, c.Key, c.Origin)
			}
		}
		for _, q := range p.Questions {
			if q.Key == "" || q.Type == "" || q.Prompt == "" || q.Required == nil {
				t.Errorf("phase %s: question %q lacks key, type, prompt or required", p.Key, q.Key)
			}
			questions[q.Key] = q
		}
	}
	wantKeys := []string{"1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "5.1", "6.1"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("phases = %v, want %v", keys, wantKeys)
	}
	if want := []string{"3.2", "3.3", "5.1"}; !slices.Equal(optional, want) {
		t.Errorf("optional phases = %v, want %v", optional, want)
	}
	if source != 24 {
		t.Errorf("%d checkpoints from the guide, want 24", source)
	}
	if len(derived) != 1 || derived["2.1"] != 5 {
		t.Errorf("derived checkpoints per phase = %v, want 5 in 2.1 only", derived)
	}

	// Question fields, as the template file declares them.
	users := questions["expected_users"]
	if users.Type != "number" || !tplPtrIs(users.Required, true) || users.Unit != "users" || !users.Integer || !tplPtrIs(users.Min, 1.0) || users.Help == "" {
		t.Errorf("expected_users = %+v, want a required whole number of users, at least 1, with help", users)
	}
	if q := questions["integrations"]; q.Type != "table" || !tplPtrIs(q.Required, false) || len(q.Columns) != 2 || q.Columns[0].Key != "system" {
		t.Errorf("integrations = %+v, want an optional table with the columns system and purpose", q)
	}
	if q := questions["environments"]; q.Type != "multi_choice" || !slices.Contains(q.Choices, tplAPIChoice{Value: "production", Label: "Production"}) {
		t.Errorf("environments = %+v, want a multiple choice including production", q)
	}
	if q := questions["mobile_apps"]; len(q.Columns) != 3 || q.Columns[2].Key != "users" || q.Columns[2].Type != "number" {
		t.Errorf("mobile_apps columns = %+v", q.Columns)
	}
}

func tplPtrIs[T comparable](p *T, want T) bool { return p != nil && *p == want }

func TestTemplateAPIVersions(t *testing.T) {
	srv := handlerstest.NewServer(t)
	var latest, v1, v2 tplAPITemplate
	getTemplateJSON(t, srv, "/api/v1/templates/opencrvs-server-hosted", http.StatusOK, &latest)
	getTemplateJSON(t, srv, "/api/v1/templates/opencrvs-server-hosted?version=1", http.StatusOK, &v1)
	getTemplateJSON(t, srv, "/api/v1/templates/opencrvs-server-hosted?version=2", http.StatusOK, &v2)
	if latest.Version != 2 || len(latest.Phases) != 15 {
		t.Errorf("latest = version %d with %d phases, want version 2 with 15", latest.Version, len(latest.Phases))
	}
	if v1.Version != 1 || len(v1.Phases) != 14 {
		t.Errorf("?version=1 = version %d with %d phases, want version 1 with 14", v1.Version, len(v1.Phases))
	}
	if v2.Version != latest.Version || len(v2.Phases) != len(latest.Phases) {
		t.Errorf("?version=2 = version %d, %d phases; the latest is version %d, %d phases", v2.Version, len(v2.Phases), latest.Version, len(latest.Phases))
	}
}

func TestTemplateAPIErrors(t *testing.T) {
	srv := handlerstest.NewServer(t)
	for _, tc := range []struct {
		path   string
		status int
		says   string
	}{
		{"/api/v1/templates/no-such-template", http.StatusNotFound, `no template "no-such-template"`},
		{"/api/v1/templates/opencrvs-server-hosted?version=9", http.StatusNotFound, "has no version 9; the latest is version 2"},
		{"/api/v1/templates/commcare-transition?version=2", http.StatusNotFound, "has no version 2"},
		{"/api/v1/templates/commcare-transition?version=one", http.StatusBadRequest, "whole number"},
		{"/api/v1/templates/commcare-transition?version=0", http.StatusBadRequest, "whole number from 1"},
		{"/api/v1/nothing-here", http.StatusNotFound, "does not exist"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			var body struct {
				Error, Field, Problem string
			}
			resp := getTemplateJSON(t, srv, tc.path, tc.status, &body)
			if !strings.Contains(body.Error, tc.says) {
				t.Errorf("error = %q, want it to say %q", body.Error, tc.says)
			}
			// A bad parameter is named, as the sizing API names its fields.
			if tc.status == http.StatusBadRequest && (body.Field != "version" || !strings.Contains(body.Problem, "whole number from 1")) {
				t.Errorf("field %q, problem %q, want the version named", body.Field, body.Problem)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store: an error must not be cached", cc)
			}
		})
	}
}

func TestTemplateAPICaching(t *testing.T) {
	srv := handlerstest.NewServer(t)
	const path = "/api/v1/templates/commcare-transition"
	resp, body := get(t, srv, path)
	etag := resp.Header.Get("ETag")
	if !regexp.MustCompile(`^"commcare-transition\.1-[0-9a-f]{16}"$`).MatchString(etag) {
		t.Fatalf("ETag = %q", etag)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=300" {
		t.Errorf("Cache-Control = %q", cc)
	}

	// Revalidation: the same tag is not modified, any other is.
	for _, tc := range []struct {
		ifNoneMatch string
		status      int
	}{
		{etag, http.StatusNotModified},
		{`"other", ` + etag, http.StatusNotModified},
		{"W/" + etag, http.StatusNotModified}, // If-None-Match compares weakly
		{"*", http.StatusNotModified},
		{`"commcare-transition.1-0000000000000000"`, http.StatusOK},
	} {
		resp, got := get(t, srv, path, "If-None-Match", tc.ifNoneMatch)
		if resp.StatusCode != tc.status {
			t.Errorf("If-None-Match %s: %d, want %d", tc.ifNoneMatch, resp.StatusCode, tc.status)
		}
		if tc.status == http.StatusNotModified && got != "" {
			t.Errorf("If-None-Match %s: 304 with a %d-byte body", tc.ifNoneMatch, len(got))
		}
		if tc.status == http.StatusOK && got != body {
			t.Errorf("If-None-Match %s: the body differs from the first answer", tc.ifNoneMatch)
		}
	}

	// HEAD answers the headers alone.
	req, _ := http.NewRequest(http.MethodHead, srv.URL+path, nil)
	if resp, got := do(t, req); resp.StatusCode != http.StatusOK || got != "" || resp.ContentLength != int64(len(body)) || resp.Header.Get("ETag") != etag {
		t.Errorf("HEAD = %d, %d bytes of body, Content-Length %d (want %d), ETag %q", resp.StatusCode, len(got), resp.ContentLength, len(body), resp.Header.Get("ETag"))
	}

	// Each document has its own tag, the same on every instance of the same
	// binary (so a load balancer may send revalidations anywhere).
	tags := map[string]string{}
	for _, p := range []string{"/api/v1/templates", path, "/api/v1/templates/opencrvs-server-hosted?version=1", "/api/v1/templates/opencrvs-server-hosted"} {
		resp, _ := get(t, srv, p)
		tag := resp.Header.Get("ETag")
		if other, dup := tags[tag]; dup || tag == "" {
			t.Errorf("%s has the ETag %q of %s", p, tag, other)
		}
		tags[tag] = p
	}
	if resp, _ := get(t, handlerstest.NewServer(t), path); resp.Header.Get("ETag") != etag {
		t.Errorf("another instance tags the document %q, this one %q", resp.Header.Get("ETag"), etag)
	}
}

// commcareTemplate returns the embedded CommCare template, to compare pages with.
func commcareTemplate(t *testing.T) *assessment.Template {
	t.Helper()
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tmpl, ok := cat.Latest("commcare-transition")
	if !ok {
		t.Fatal("no commcare-transition template")
	}
	return tmpl
}

func TestTemplatePageShowsEveryPhaseAndCheckpoint(t *testing.T) {
	srv := handlerstest.NewServer(t)
	resp, body := get(t, srv, "/templates/commcare-transition")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET = %d", resp.StatusCode)
	}
	tmpl := commcareTemplate(t)
	// Text appears escaped as templ escapes it: the guide's wording holds
	// quotes and apostrophes ("Testing your new CommCare Environment").
	for _, p := range tmpl.Phases {
		if !strings.Contains(body, html.EscapeString(p.Title)) {
			t.Errorf("phase %s %q is missing", p.Key, p.Title)
		}
		for _, c := range p.Checkpoints {
			if !strings.Contains(body, html.EscapeString(c.Text)) {
				t.Errorf("phase %s: checkpoint %q is missing", p.Key, c.Text)
			}
			// The note is for template authors; readers get a short
			// "Source: ..." line.
			if c.Note != "" && strings.Contains(body, html.EscapeString(c.Note)) {
				t.Errorf("phase %s: the editorial note of checkpoint %s is shown to readers", p.Key, c.Key)
			}
			if c.Origin == assessment.OriginDerived && !strings.Contains(body, "Source: "+html.EscapeString(c.Source)) {
				t.Errorf("phase %s: derived checkpoint %s has no Source line", p.Key, c.Key)
			}
		}
		for _, q := range p.Questions {
			if !strings.Contains(body, html.EscapeString(q.Prompt)) {
				t.Errorf("phase %s: question %q is missing", p.Key, q.Prompt)
			}
		}
	}
	for _, want := range []string{
		`<span class="badge">Whole number</span>`, "<li>Unit: users</li>", "<li>At least 1</li>",
		"Asked only when “users collecting data” is Yes.",
		`<span class="badge ok">From the source document</span>`, `<span class="badge warn">Derived</span>`,
		`<a href="/templates" aria-current="page">Templates</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if n := strings.Count(body, `<span class="badge warn">Derived</span>`); n != 5 {
		t.Errorf("%d checkpoints marked derived, want 5", n)
	}

	// The table of contents lists the phases in order, and every link
	// within the page has its target.
	toc := regexp.MustCompile(`(?s)<nav class="tpl-toc".*?</nav>`).FindString(body)
	var tocTargets []string
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(toc, -1) {
		tocTargets = append(tocTargets, m[1])
	}
	var want []string
	for _, p := range tmpl.Phases {
		want = append(want, "phase-"+strings.ReplaceAll(p.Key, ".", "-"))
	}
	if !slices.Equal(tocTargets, want) {
		t.Errorf("table of contents links to %v, want %v", tocTargets, want)
	}
	ids := map[string]int{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		ids[m[1]]++
	}
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if ids[m[1]] != 1 {
			t.Errorf("link to #%s: %d elements have that id, want 1", m[1], ids[m[1]])
		}
	}
}

func TestTemplatePageVersions(t *testing.T) {
	srv := handlerstest.NewServer(t)
	const notice = "an older version kept for the assessments"
	for _, tc := range []struct {
		path, title string
		older       bool
	}{
		{"/templates/opencrvs-server-hosted", "<title>OpenCRVS server-hosted deployment · Groundwork</title>", false},
		{"/templates/opencrvs-server-hosted?version=2", "<title>OpenCRVS server-hosted deployment · Groundwork</title>", false},
		{"/templates/opencrvs-server-hosted?version=1", "<title>OpenCRVS server-hosted deployment, version 1 · Groundwork</title>", true},
	} {
		resp, body := get(t, srv, tc.path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", tc.path, resp.StatusCode)
			continue
		}
		if !strings.Contains(body, tc.title) {
			t.Errorf("GET %s: no %s", tc.path, tc.title)
		}
		if got := strings.Contains(body, notice); got != tc.older {
			t.Errorf("GET %s: older-version notice shown %v, want %v", tc.path, got, tc.older)
		}
		if tc.older && !strings.Contains(body, `<a href="/templates/opencrvs-server-hosted">See the latest version (version 2)</a>`) {
			t.Errorf("GET %s: the notice does not link to the latest version", tc.path)
		}
	}
	for _, tc := range []struct {
		path   string
		status int
		says   string
	}{
		{"/templates/no-such-template", http.StatusNotFound, "There is no template &#34;no-such-template&#34;."},
		{"/templates/opencrvs-server-hosted?version=3", http.StatusNotFound, "has no version 3; the latest is version 2."},
		{"/templates/opencrvs-server-hosted?version=latest", http.StatusBadRequest, "The version must be a whole number"},
	} {
		resp, body := get(t, srv, tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("GET %s = %d %s, want %d and the HTML error page", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status)
		}
		if !strings.Contains(body, `class="error-page"`) || !strings.Contains(body, tc.says) {
			t.Errorf("GET %s: no error page saying %s", tc.path, tc.says)
		}
	}
}

func TestTemplateListPage(t *testing.T) {
	srv := handlerstest.NewServer(t)
	resp, body := get(t, srv, "/templates")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /templates = %d", resp.StatusCode)
	}
	latest, older, _ := strings.Cut(body, `id="older-versions"`)
	for _, tc := range []struct {
		part, name, want string
	}{
		{latest, "latest", `<h2><a href="/templates/commcare-transition">CommCare HQ transition to self-hosting</a></h2>`},
		{latest, "latest", `<span class="badge ok">Version 1, latest</span>`},
		{latest, "latest", `<li><strong>14</strong> phases, 3 optional</li>`},
		{latest, "latest", `<h2><a href="/templates/opencrvs-server-hosted">OpenCRVS server-hosted deployment</a></h2>`},
		{latest, "latest", `<span class="badge ok">Version 2, latest</span>`},
		{latest, "latest", `<li><strong>15</strong> phases</li>`},
		{older, "older", `<a href="/templates/opencrvs-server-hosted?version=1">OpenCRVS server-hosted deployment, version 1</a>`},
		{older, "older", `<span class="badge warn">Version 1, older</span>`},
		{older, "older", `Replaced by <a href="/templates/opencrvs-server-hosted">version 2</a>`},
		{latest, "latest", `JSON<span class="visually-hidden"> document of CommCare HQ transition to self-hosting, version 1</span>`},
	} {
		if !strings.Contains(tc.part, tc.want) {
			t.Errorf("the %s templates lack %s", tc.name, tc.want)
		}
	}
	if strings.Contains(older, "CommCare HQ transition") {
		t.Error("CommCare has one version, yet it is listed among the older ones")
	}
}

// TestTemplatePagesFromHome follows the home page's links to the templates,
// as a visitor and as a signed-in user (who keeps their navigation).
func TestTemplatePagesFromHome(t *testing.T) {
	e := handlerstest.NewEnv(t)
	visitor, user := e.Browser(t), e.Browser(t)
	user.SignIn("viewer@example.org")
	for _, b := range []*handlerstest.Browser{visitor, user} {
		_, home := b.Get("/")
		if !strings.Contains(home, `<a href="/templates">Templates</a>`) {
			t.Error("the navigation has no Templates entry")
		}
		_, home = visitor.Get("/") // the visitors' home holds the platform cards
		for _, tc := range []struct{ link, h1 string }{
			{"See the CommCare checklist", "<h1>CommCare HQ transition to self-hosting</h1>"},
			{"See the OpenCRVS checklist", "<h1>OpenCRVS server-hosted deployment</h1>"},
		} {
			m := regexp.MustCompile(`<a href="([^"]+)">` + tc.link + `</a>`).FindStringSubmatch(home)
			if m == nil {
				t.Errorf("home has no link %q", tc.link)
				continue
			}
			resp, page := b.Get(m[1])
			if resp.StatusCode != http.StatusOK || !strings.Contains(page, tc.h1) {
				t.Errorf("%q leads to %s: %d, without %s", tc.link, m[1], resp.StatusCode, tc.h1)
			}
			if b == user && !strings.Contains(page, `class="nav-account" title="viewer">viewer</a>`) {
				t.Errorf("%s does not show the signed-in user", m[1])
			}
		}
	}
}

// TestTemplatePageEscapes renders a template whose text is full of markup:
// it must come out as text.
func TestTemplatePageEscapes(t *testing.T) {
	const yaml = `id: hostile
platform: opencrvs
version: 1
title: "Hostile <b>title</b> & co"
source: {title: "Source \"quoted\"", url: "https://example.org/?a=1&b=<2>"}
phases:
  - key: "1"
    title: "Phase with <i>markup</i>"
    intro: "It's \"quoted\"."
    questions:
      - {key: q, label: q, type: single_choice, origin: source, prompt: "Pick <one>", choices: ["<script>alert(1)</script>", "a & b"]}
    checkpoints:
      - {key: c, label: c, origin: source, text: "The \"Team\" plan's <em>owner</em> agreed.", link: "https://example.org/\"onmouseover=\"alert(1)"}
`
	cat, err := assessment.LoadCatalog(fstest.MapFS{"hostile-1.yaml": {Data: []byte(yaml)}})
	if err != nil {
		t.Fatal(err)
	}
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Catalog = cat })
	_, body := e.Browser(t).Get("/templates/hostile")
	for _, want := range []string{
		"Hostile &lt;b&gt;title&lt;/b&gt; &amp; co",
		"Phase with &lt;i&gt;markup&lt;/i&gt;",
		"It&#39;s &#34;quoted&#34;.",
		"Pick &lt;one&gt;",
		"<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>",
		"The &#34;Team&#34; plan&#39;s &lt;em&gt;owner&lt;/em&gt; agreed.",
		`href="https://example.org/?a=1&amp;b=&lt;2&gt;"`,
		`href="https://example.org/&#34;onmouseover=&#34;alert(1)"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	for _, bad := range []string{"<b>title", "<i>markup", "<script>alert", "<em>owner", `"onmouseover="`} {
		if strings.Contains(body, bad) {
			t.Errorf("page holds unescaped %s", bad)
		}
	}
	// The JSON document keeps the text as it is.
	var doc tplAPITemplate
	resp, raw := e.Browser(t).Get("/api/v1/templates/hostile")
	if err := json.Unmarshal([]byte(raw), &doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET the document: %d %v", resp.StatusCode, err)
	}
	if got, want := doc.Phases[0].Checkpoints[0].Text, `The "Team" plan's <em>owner</em> agreed.`; got != want {
		t.Errorf("checkpoint text in JSON = %q, want %q", got, want)
	}
}

// BenchmarkTemplateAPI measures GET /api/v1/templates/{id} for the largest
// template: in process through the whole middleware stack (no database: the
// API reads none), into a recorder and into a writer that discards, and over
// loopback HTTP.
func BenchmarkTemplateAPI(b *testing.B) {
	base, _ := url.Parse("http://groundwork.test")
	h := handlers.New(nil, handlers.Options{BaseURL: base, Logger: slog.New(slog.DiscardHandler), SessionSecret: []byte("test secret of at least 32 bytes!")})
	const path = "/api/v1/templates/commcare-transition"
	first := httptest.NewRecorder()
	h.ServeHTTP(first, httptest.NewRequest(http.MethodGet, path, nil))
	etag := first.Header().Get("ETag")
	for _, bc := range []struct {
		name, ifNoneMatch string
		discard           bool
	}{{"recorder", "", false}, {"discard", "", true}, {"not-modified", etag, true}} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			if bc.ifNoneMatch != "" {
				req.Header.Set("If-None-Match", bc.ifNoneMatch)
			}
			b.ReportAllocs()
			for b.Loop() {
				var w http.ResponseWriter = httptest.NewRecorder()
				if bc.discard {
					w = &discardWriter{header: http.Header{}}
				}
				h.ServeHTTP(w, req)
			}
		})
	}
	b.Run("loopback", func(b *testing.B) {
		srv := httptest.NewServer(h)
		defer srv.Close()
		b.ReportAllocs()
		for b.Loop() {
			resp, err := srv.Client().Get(srv.URL + path)
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || n < 10000 {
				b.Fatalf("status %d, %d bytes", resp.StatusCode, n)
			}
		}
	})
}

// discardWriter is a ResponseWriter that keeps nothing, so a benchmark
// measures the handler rather than the recorder's buffer.
type discardWriter struct {
	header http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

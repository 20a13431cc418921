package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/store"
	"groundwork/store/storetest"
)

func TestHomePage(t *testing.T) {
	srv := newServer(t)
	resp, body := get(t, srv, "/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d", resp.StatusCode)
	}
	for _, want := range []string{"<h1>", "CommCare HQ", "OpenCRVS", `aria-current="page"`, "Groundwork test"} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
}

func TestHomePageInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	srv := newServer(t)
	ctx := browsertest.Tab(t)
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/"))

	if title := browsertest.Run(t, ctx, chromedp.Title()); !strings.Contains(title, "Groundwork") {
		t.Errorf("title = %q", title)
	}
	// The stylesheet applied: the header has the brand colour.
	bg := browsertest.Run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".site-header")).backgroundColor`))
	if bg != "rgb(20, 80, 63)" {
		t.Errorf("header background = %q: the stylesheet did not load", bg)
	}
	// htmx loaded despite the strict CSP.
	if ok := browsertest.Run(t, ctx, chromedp.Evaluate[bool](`typeof htmx === "object" && htmx.config.allowEval === false`)); !ok {
		t.Error("htmx not loaded, or loaded without the config from the meta tag")
	}
	// The first Tab reaches the skip link, and following it moves focus to main.
	browsertest.Do(t, ctx, chromedp.KeyEvent("\t"))
	if got := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.activeElement.textContent`)); got != "Skip to main content" {
		t.Errorf("first Tab focuses %q, want the skip link", got)
	}
	browsertest.Do(t, ctx, chromedp.KeyEvent("\r"))
	if got := browsertest.Run(t, ctx, chromedp.Evaluate[string](`document.activeElement.id`)); got != "main" {
		t.Errorf("after the skip link, focus is on %q, want main", got)
	}
	browsertest.CheckAccessibility(t, ctx)
	browsertest.Screenshot(t, ctx, "home")

	// At 320 px nothing overflows sideways.
	browsertest.Do(t, ctx, chromedp.EmulateViewport(320, 700), chromedp.Reload())
	if w := browsertest.Run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 320 {
		t.Errorf("at 320 px the page is %d px wide", w)
	}
	browsertest.Screenshot(t, ctx, "home-320px")
}

func TestErrorPageInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	srv := newServer(t)
	ctx := browsertest.Tab(t)
	// The browser logs the 404 of the page itself.
	browsertest.ExpectConsoleError(ctx, "404 (Not Found)")
	browsertest.Do(t, ctx, chromedp.Navigate(srv.URL+"/missing"))
	h1 := browsertest.Run(t, ctx, chromedp.Text(chromedp.CSS("h1")))
	if h1 != "Page not found" {
		t.Errorf("h1 = %q", h1)
	}
	browsertest.CheckAccessibility(t, ctx)
	browsertest.Screenshot(t, ctx, "error-404")
}

// Someone signed in without an organisation is told whom to ask for one:
// the active administrators, by name, with their addresses; an
// administrator who has been deactivated is not offered.
func TestNoOrganisationNamesTheAdministrators(t *testing.T) {
	e := newEnv(t)
	e.user(t, "b.admin@example.org", store.RoleAdmin, 0)
	gone := e.user(t, "gone.admin@example.org", store.RoleAdmin, 0)
	if err := e.st.SetUserActive(t.Context(), e.admin.ID, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	e.user(t, "lonely@example.org", store.RoleAdvisor, 0)
	b := e.browser(t)
	b.signIn("lonely@example.org")
	_, page := b.get("/")
	wantIn(t, "the dashboard of an advisor without organisations", page,
		`Ask an administrator to assign you one: admin (<a href="mailto:admin@example.org">admin@example.org</a>) or b.admin (<a href="mailto:b.admin@example.org">b.admin@example.org</a>).`)
	wantNotIn(t, "the dashboard of an advisor without organisations", page, "gone.admin")

	// The advisor of the environment has an organisation: no one to ask.
	b = e.browser(t)
	b.signIn("advisor@example.org")
	_, page = b.get("/")
	wantNotIn(t, "the dashboard of an advisor with an organisation", page, "assign you one", "mailto:admin@")
}

// TestFirstOrganisationLink: on a new server, the admin's way to the first
// organisation leads to the form itself, not to the top of a page a
// keyboard needs many stops to cross.
func TestFirstOrganisationLink(t *testing.T) {
	e := &env{st: storetest.Store(t)}
	e.srv = serve(t, e.st)
	e.user(t, "admin@example.org", store.RoleAdmin, 0)
	b := e.browser(t)
	b.signIn("admin@example.org")
	if _, page := b.get("/"); !strings.Contains(page, `<a href="/admin/organisations#new-org">Create the first one</a>`) {
		t.Errorf("the admin's home on a new server does not link to the form:\n%.3000s", page)
	}
	if _, page := b.get("/admin/organisations"); !strings.Contains(page, `<a href="#new-org">Create the first one</a> below`) || !strings.Contains(page, `id="new-org"`) {
		t.Errorf("the organisations page on a new server does not link to its form")
	}
}

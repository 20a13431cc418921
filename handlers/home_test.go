package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
	"groundwork/store/storetest"
)

func TestHomePage(t *testing.T) {
	srv := handlerstest.NewServer(t)
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

func TestErrorPageInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	srv := handlerstest.NewServer(t)
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
	e := handlerstest.NewEnv(t)
	e.User(t, "b.admin@example.org", store.RoleAdmin, 0)
	gone := e.User(t, "gone.admin@example.org", store.RoleAdmin, 0)
	if err := e.St.SetUserActive(t.Context(), e.Admin.ID, gone.ID, false); err != nil {
		t.Fatal(err)
	}
	e.User(t, "lonely@example.org", store.RoleAdvisor, 0)
	b := e.Browser(t)
	b.SignIn("lonely@example.org")
	_, page := b.Get("/")
	wantIn(t, "the dashboard of an advisor without organisations", page,
		`Ask an administrator to assign you one: admin (<a href="mailto:admin@example.org">admin@example.org</a>) or b.admin (<a href="mailto:b.admin@example.org">b.admin@example.org</a>).`)
	wantNotIn(t, "the dashboard of an advisor without organisations", page, "gone.admin")

	// The advisor of the environment has an organisation: no one to ask.
	b = e.Browser(t)
	b.SignIn("advisor@example.org")
	_, page = b.Get("/")
	wantNotIn(t, "the dashboard of an advisor with an organisation", page, "assign you one", "mailto:admin@")
}

// TestFirstOrganisationLink: on a new server, the admin's way to the first
// organisation leads to the form itself, not to the top of a page a
// keyboard needs many stops to cross.
func TestFirstOrganisationLink(t *testing.T) {
	e := &handlerstest.Env{St: storetest.Store(t)}
	e.Srv = handlerstest.Serve(t, e.St)
	e.User(t, "admin@example.org", store.RoleAdmin, 0)
	b := e.Browser(t)
	b.SignIn("admin@example.org")
	if _, page := b.Get("/"); !strings.Contains(page, `<a href="/admin/organisations#new-org">Create the first one</a>`) {
		t.Errorf("the admin's home on a new server does not link to the form:\n%.3000s", page)
	}
	if _, page := b.Get("/admin/organisations"); !strings.Contains(page, `<a href="#new-org">Create the first one</a> below`) || !strings.Contains(page, `id="new-org"`) {
		t.Errorf("the organisations page on a new server does not link to its form")
	}
}

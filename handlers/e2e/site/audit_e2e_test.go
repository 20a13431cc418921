package site_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// TestAuditPagesInABrowser visits an assessment's audit trail as its
// viewer and the whole trail as an administrator, at 1280 and 390 px: axe
// finds nothing, nothing overflows sideways, and on a phone each event is
// a card rather than a table to scroll. The filter form works from the
// page. Screenshots: artifacts/screenshots/audit-*.png.
func TestAuditPagesInABrowser(t *testing.T) {
	t.Parallel() // a tab of its own, cookies of its own: browser tests run two at a time
	f := handlerstest.NewAuditFixture(t)
	ctx := context.Background()
	ev, err := f.St.AddEvidence(ctx, f.Manager.ID, f.A.ID, f.Tpl, "architecture_diagram_created", "architecture-v2.pdf", "application/pdf", []byte("%PDF-1.4 diagram"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.St.DeleteEvidence(ctx, f.Manager.ID, f.A.ID, f.Tpl, ev.ID); err != nil {
		t.Fatal(err)
	}
	// A kind this page does not know, as another part of the portal adds.
	if _, err := f.Pool.Exec(ctx, `INSERT INTO history (assessment_id, organisation_id, kind, item_key, version, new_value, changed_by, actor_name, actor_email)
		VALUES ($1, $2, 'change_request', 'growth_projections', 0, 'Say how many tablets, not only phones.', $3, 'advisor', 'advisor@example.org')`,
		f.A.ID, f.OrgA.ID, f.Advisor.ID); err != nil {
		t.Fatal(err)
	}
	// Long words: an address, and a link typed as an answer, that only
	// break where the page lets them.
	if _, err := f.St.CreateUser(ctx, store.NewUser{Email: "programme.manager.immunisation@ministry-of-health.example.org", Name: "Long Address",
		Role: store.RoleViewer, OrganisationID: f.OrgA.ID, By: f.Admin.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Pool.Exec(ctx, `INSERT INTO history (assessment_id, organisation_id, kind, item_key, version, new_value, changed_by, actor_name, actor_email)
		VALUES ($1, $2, 'answer', 'growth_projections', 0, 'https://sharepoint.example.org/sites/ministry-of-health/Shared%20Documents/architecture/diagram-final-v2.pdf', $3, 'manager', 'programme.manager.immunisation@ministry-of-health.example.org')`,
		f.A.ID, f.OrgA.ID, f.Manager.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.St.UpdateOrganisation(ctx, f.Admin.ID, store.Organisation{ID: f.OrgA.ID, Name: "Ministry of Health A", Platform: "both"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.St.SetUserRole(ctx, f.Admin.ID, f.Viewer.ID, store.RoleViewer, f.OrgA.ID); err != nil {
		t.Fatal(err)
	}

	pages := []struct{ who, name, path string }{
		{"viewer@example.org", "audit-assessment", fmt.Sprintf("/assessments/%d/audit", f.A.ID)},
		{"admin@example.org", "audit-admin", "/admin/audit"},
		{"admin@example.org", "audit-empty", "/admin/audit?kind=password"},
	}
	for _, p := range pages {
		tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
		// Nairobi: the times stay in UTC, as the date filters are.
		browsertest.Do(t, tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "Africa/Nairobi"})
			return err
		}))
		handlerstest.SignInTab(t, tab, f.Env, p.who)
		for _, width := range []int{1280, 390} {
			browsertest.Do(t, tab,
				chromedp.EmulateViewport(int64(width), 900),
				chromedp.Navigate(f.Srv.URL+p.path),
				chromedp.WaitVisible(chromedp.CSS("main h1")),
			)
			where := fmt.Sprintf("%s at %d px", p.path, width)
			if at := browsertest.Run(t, tab, chromedp.Evaluate[string](`(t => t ? t.textContent : " UTC")(document.querySelector(".audit-table time"))`)); !strings.HasSuffix(at, " UTC") {
				t.Errorf("%s: an event's time reads %q, want UTC as the filters", where, at)
			}
			if w := browsertest.Run(t, tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > width {
				t.Errorf("%s: the page is %d px wide", where, w)
			}
			// The table fits its box: no column cut off behind "Scroll
			// sideways" on a desktop screen.
			if w := browsertest.Run(t, tab, chromedp.Evaluate[[]int](`[...document.querySelectorAll(".audit-wrap")].map(w => [w.scrollWidth, w.clientWidth]).flat()`)); len(w) == 2 && w[0] > w[1]+1 {
				t.Errorf("%s: the table is %d px wide in a box of %d px", where, w[0], w[1])
			}
			if width == 390 {
				checkNarrow(t, tab, where)
				// Each event a card: its cells stacked, each with its label.
				cells := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".audit-table tbody tr:first-child td")]
					.map(td => getComputedStyle(td).display + " " + getComputedStyle(td, "::before").content)`))
				for _, c := range cells {
					if !strings.HasPrefix(c, "grid \"") {
						t.Errorf("%s: a cell of the first event shows as %s, want a labelled line", where, c)
					}
				}
			}
			browsertest.CheckAccessibility(t, tab)
			browsertest.Screenshot(t, tab, fmt.Sprintf("%s-%d", p.name, width))
		}
	}

	// The filters, from the page: choose a kind, apply, and the list and
	// the address follow; the CSV link carries the filter.
	tab := browsertest.Tab(t, chromedp.WithNewBrowserContext())
	handlerstest.SignInTab(t, tab, f.Env, "viewer@example.org")
	browsertest.Do(t, tab,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(fmt.Sprintf("%s/assessments/%d/audit", f.Srv.URL, f.A.ID)),
		chromedp.WaitVisible(chromedp.ID("f-kind")),
		chromedp.SetValue(chromedp.ID("f-kind"), "evidence"),
		chromedp.Click(chromedp.CSS(`.audit-filters button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href$="/audit"]`)), // "Clear filters"
	)
	loc := browsertest.Run(t, tab, chromedp.Location())
	files := browsertest.Run(t, tab, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".audit-table tbody tr")].map(tr => tr.textContent)`))
	csvHref := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector("a[download]").getAttribute("href")`))
	if !strings.Contains(loc, "kind=evidence") || len(files) != 2 || !strings.Contains(files[0], "removed architecture-v2.pdf") || !strings.Contains(csvHref, "audit.csv?kind=evidence") {
		t.Errorf("after filtering: at %s, rows %q, CSV link %s", loc, files, csvHref)
	}

	// A start date the server cannot read: said beside that box, which
	// shows what was typed.
	browsertest.ExpectConsoleError(tab, "422 (Unprocessable Entity)")
	browsertest.Do(t, tab,
		chromedp.Navigate(fmt.Sprintf("%s/assessments/%d/audit?from=31/12/2026", f.Srv.URL, f.A.ID)),
		chromedp.WaitVisible(chromedp.ID("f-from-error")),
	)
	if got := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.getElementById("f-from").value + "|" + document.getElementById("f-from-error").textContent`)); got != "31/12/2026|Error: Enter the start date as year-month-day, e.g. 2026-03-31." {
		t.Errorf("a bad start date: (box|message) = %q", got)
	}
	handlerstest.LookAt(t, tab, "audit-bad-date")
}

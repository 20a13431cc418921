package site_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"groundwork/handlers/browsertest"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// TestDeleteOrganisationInABrowser: an admin opens an organisation made
// by mistake, at 1280 and 390 px, and deletes it from the keyboard; the
// browser asks first, and the list says it is gone.
func TestDeleteOrganisationInABrowser(t *testing.T) {
	t.Parallel()
	e := handlerstest.NewEnv(t)
	org, err := e.St.CreateOrganisation(t.Context(), e.Admin.ID, store.Organisation{Slug: "rg-ug", Name: "Registrar General, Uganda", Platform: "opencrvs"})
	if err != nil {
		t.Fatal(err)
	}
	tab := handlerstest.SignedInTab(t, e.Srv.URL, "admin@example.org")
	browsertest.Do(t, tab,
		chromedp.Navigate(e.Srv.URL+"/admin/organisations/"+handlerstest.Itoa(org.ID)),
		chromedp.WaitVisible(chromedp.ID("delete-h")),
	)
	browsertest.CheckAccessibility(t, tab)
	browsertest.Screenshot(t, tab, "admin-organisation-delete-1280")
	browsertest.Do(t, tab, chromedp.EmulateViewport(390, 900))
	browsertest.Screenshot(t, tab, "admin-organisation-delete-390")
	asked := handlerstest.AnswerDialogs(tab, true)
	browsertest.Do(t, tab,
		chromedp.Focus(chromedp.CSS(`form[action$="/delete"] button`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`.notice.ok`)),
	)
	if q := asked(); !strings.Contains(q, "Delete \u2068Registrar General, Uganda\u2069?") {
		t.Errorf("the browser asked %q before deleting", q)
	}
	if body := browsertest.Run(t, tab, chromedp.Evaluate[string](`document.querySelector("main").innerText`)); !strings.Contains(body, "“Registrar General, Uganda” has been deleted.") || strings.Contains(body, "rg-ug") {
		t.Errorf("after deleting, the list reads:\n%s", body)
	}
}

package handlers_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// lastSignIn is the "Last sign-in" fact of a user's page.
var lastSignIn = regexp.MustCompile(`<dt>Last sign-in</dt><dd>(?:<time [^>]*>)?([^<]*)(?:</time>)?</dd>`)

// A user who joined through an invitation was signed in by it: their page
// must not say they never signed in.
func TestInvitedUserHasSignedIn(t *testing.T) {
	e := handlerstest.NewEnv(t)
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	resp, body := adm.Post("/admin/users", url.Values{"name": {"Amina Otieno"}, "email": {"amina@moh.example.org"}, "role": {"manager"}, "organisation": {handlerstest.Itoa(e.OrgA.ID)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite = %d\n%s", resp.StatusCode, body)
	}
	userPage := resp.Header.Get("Location")
	if _, body := adm.Get(userPage); !strings.Contains(body, "<dd>never</dd>") {
		t.Errorf("before accepting, the last sign-in should be never:\n%s", lastSignIn.FindString(body))
	}
	p := path(t, e.Mail.Link(t, "amina@moh.example.org"))
	if resp, _ := e.Browser(t).Post(p, url.Values{"name": {"Amina"}, "password": {"a good long passphrase"}, "confirm": {"a good long passphrase"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("accept = %d", resp.StatusCode)
	}
	_, body = adm.Get(userPage)
	m := lastSignIn.FindStringSubmatch(body)
	if m == nil || m[1] == "never" || !strings.Contains(m[1], "UTC") {
		t.Errorf("after accepting the invitation, last sign-in = %q, want the time they accepted", m)
	}
}

// With no advisor at all, the organisation page says so, rather than that
// every advisor is assigned.
func TestOrganisationPageWithoutAdvisors(t *testing.T) {
	e := handlerstest.NewEnv(t)
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	if _, body := adm.Get("/admin/organisations/" + handlerstest.Itoa(e.OrgA.ID)); !strings.Contains(body, "Every advisor is already assigned") {
		t.Errorf("org A, whose only advisor is assigned, should say every advisor is assigned")
	}
	if err := e.St.SetUserActive(t.Context(), e.Admin.ID, e.Advisor.ID, false); err != nil {
		t.Fatal(err)
	}
	_, body := adm.Get("/admin/organisations/" + handlerstest.Itoa(e.OrgB.ID))
	if strings.Contains(body, "Every advisor is already assigned") || !strings.Contains(body, "There are no advisors yet") {
		t.Errorf("with no active advisor, the page should say there are none:\n%s", body)
	}
}

// Counts agree with their nouns: "1 advisor", "2 people".
func TestOrganisationCountsArePlural(t *testing.T) {
	e := handlerstest.NewEnv(t)
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	_, body := adv.Get("/")
	if !strings.Contains(body, "2 people · 1 advisor<") {
		t.Errorf("the advisor's dashboard should count Ministry A as 2 people · 1 advisor:\n%s", body)
	}
	if strings.Contains(body, "1 advisors") || strings.Contains(body, "1 people") {
		t.Errorf("a count of one with a plural noun")
	}
}

// An organisation without people links to the invitation form with the
// role and the organisation chosen; the form takes them from the address.
func TestInviteTheFirstManagerFromTheOrganisation(t *testing.T) {
	e := handlerstest.NewEnv(t)
	org, err := e.St.CreateOrganisation(t.Context(), e.Admin.ID, store.Organisation{Slug: "moh-c", Name: "Ministry C", Platform: "commcare"})
	if err != nil {
		t.Fatal(err)
	}
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	link := "/admin/users?role=manager&amp;organisation=" + handlerstest.Itoa(org.ID) + "#invite"
	if _, body := adm.Get("/admin/organisations/" + handlerstest.Itoa(org.ID)); !strings.Contains(body, `href="`+link+`"`) {
		t.Fatalf("the empty organisation's page does not link to %s", link)
	}
	_, body := adm.Get("/admin/users?role=manager&organisation=" + handlerstest.Itoa(org.ID))
	if !strings.Contains(body, `<option value="manager" selected`) || !strings.Contains(body, `<option value="`+handlerstest.Itoa(org.ID)+`" selected`) {
		t.Errorf("the invitation form does not have the manager role and Ministry C chosen")
	}
}

// Changing an advisor's role ends their assignments: the role form says
// so beforehand, naming the organisations, and the message afterwards
// names the organisations they no longer review.
func TestRoleChangeSaysWhichReviewsEnd(t *testing.T) {
	e := handlerstest.NewEnv(t)
	if err := e.St.AssignAdvisor(context.Background(), e.Admin.ID, e.Advisor.ID, e.OrgB.ID); err != nil {
		t.Fatal(err)
	}
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	page := "/admin/users/" + handlerstest.Itoa(e.Advisor.ID)
	warning := "Changing the role away from Advisor ends advisor&#39;s assignments: they will no longer review Ministry A and Ministry B."
	if _, body := adm.Get(page); !strings.Contains(body, warning) {
		t.Errorf("the role form does not warn that the assignments end:\n%s", body)
	}
	if _, body := adm.Get("/admin/users/" + handlerstest.Itoa(e.Viewer.ID)); strings.Contains(body, "Changing the role away from Advisor") {
		t.Error("a viewer's role form warns about advisor assignments")
	}
	resp, _ := adm.Post(page+"/role", url.Values{"role": {"viewer"}, "organisation": {handlerstest.Itoa(e.OrgA.ID)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change role = %d", resp.StatusCode)
	}
	_, body := adm.Get(page)
	if !strings.Contains(body, "advisor&#39;s role has been changed. As they are no longer an advisor, their assignments ended: they no longer review Ministry A and Ministry B.") {
		t.Errorf("the message does not name the organisations no longer reviewed:\n%s", body)
	}
	if strings.Contains(body, "Changing the role away from Advisor") {
		t.Error("a viewer's page still warns about advisor assignments")
	}
	// Back to advisor: nothing ended, the message says only that.
	adm.Post(page+"/role", url.Values{"role": {"advisor"}})
	if _, body := adm.Get(page); !strings.Contains(body, "advisor&#39;s role has been changed.") || strings.Contains(body, "no longer review") {
		t.Errorf("back to advisor, the message is wrong:\n%s", body)
	}
}

// An advisor's page lists the organisations they review, each linking to
// its admin page, and the users list shows them in the Organisation
// column (a count when there are many).
func TestAdvisorsOrganisationsAreShown(t *testing.T) {
	e := handlerstest.NewEnv(t)
	ctx := context.Background()
	if err := e.St.AssignAdvisor(ctx, e.Admin.ID, e.Advisor.ID, e.OrgB.ID); err != nil {
		t.Fatal(err)
	}
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	page := "/admin/users/" + handlerstest.Itoa(e.Advisor.ID)
	_, body := adm.Get(page)
	for _, o := range []store.Organisation{e.OrgA, e.OrgB} {
		if !strings.Contains(body, `<li><a href="/admin/organisations/`+handlerstest.Itoa(o.ID)+`">`+o.Name+`</a></li>`) {
			t.Errorf("the advisor's page does not link to %s:\n%s", o.Name, body)
		}
	}
	if !strings.Contains(body, "Advisors and administrators have none: an advisor&#39;s organisations to review are assigned on each organisation&#39;s page.") {
		t.Errorf("the Organisation field's hint does not say what it does for advisors:\n%s", body)
	}
	row := func(body, email string) string {
		for _, r := range strings.Split(body, "<tr>") {
			if strings.Contains(r, email) {
				return r
			}
		}
		return ""
	}
	if _, body := adm.Get("/admin/users"); !strings.Contains(row(body, "advisor@example.org"), "<td>Reviews: Ministry A, Ministry B</td>") {
		t.Errorf("the users list does not show the advisor's organisations:\n%s", row(body, "advisor@example.org"))
	}
	for _, slug := range []string{"moh-c", "moh-d"} {
		o, err := e.St.CreateOrganisation(ctx, 0, store.Organisation{Slug: slug, Name: "Ministry " + slug, Platform: "commcare"})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.St.AssignAdvisor(ctx, e.Admin.ID, e.Advisor.ID, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, body := adm.Get("/admin/users"); !strings.Contains(row(body, "advisor@example.org"), "<td>Reviews 4 organisations</td>") {
		t.Errorf("the users list does not count an advisor's many organisations:\n%s", row(body, "advisor@example.org"))
	}
	// An advisor assigned nowhere is told where to assign them.
	resp, _ := adm.Post("/admin/users", url.Values{"name": {"Kofi"}, "email": {"kofi@example.org"}, "role": {"advisor"}})
	if _, body := adm.Get(resp.Header.Get("Location")); !strings.Contains(body, "<dt>Reviews</dt><dd>No organisation yet: assign them on an organisation") {
		t.Errorf("an advisor assigned nowhere: the page does not say so:\n%s", body)
	}
}

// TestDeleteAnOrganisationMadeByMistake: an organisation nobody belongs to
// and with no assessment offers Delete, which asks first, removes it (its
// advisors' assignments with it) and leaves its name in the audit trail;
// one with people says why it cannot be deleted, and a post to delete it
// anyway is refused (409) with nothing changed. Only admins (404).
func TestDeleteAnOrganisationMadeByMistake(t *testing.T) {
	e := handlerstest.NewEnv(t)
	org, err := e.St.CreateOrganisation(t.Context(), e.Admin.ID, store.Organisation{Slug: "rg-ug", Name: "Registrar General, Uganda", Platform: "opencrvs"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.St.AssignAdvisor(t.Context(), e.Admin.ID, e.Advisor.ID, org.ID); err != nil {
		t.Fatal(err)
	}
	adm := e.Browser(t)
	adm.SignIn("admin@example.org")
	page := "/admin/organisations/" + handlerstest.Itoa(org.ID)
	_, body := adm.Get(page)
	if !strings.Contains(body, `action="`+page+`/delete"`) || !strings.Contains(body, "data-confirm=") {
		t.Fatal("an organisation with nobody and no assessment offers no Delete, or does not ask first")
	}
	if _, a := adm.Get("/admin/organisations/" + handlerstest.Itoa(e.OrgA.ID)); strings.Contains(a, "/delete\"") ||
		!strings.Contains(html.UnescapeString(a), "Ministry A cannot be deleted: 2 people belong to it and it has 0 assessments.") {
		t.Error("an organisation with people offers Delete, or does not say why it cannot be deleted")
	}
	mgr := e.Browser(t)
	mgr.SignIn("manager@example.org")
	if resp, _ := mgr.Post(page+"/delete", url.Values{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a manager deletes an organisation = %d, want 404", resp.StatusCode)
	}
	if resp, body := adm.Post("/admin/organisations/"+handlerstest.Itoa(e.OrgA.ID)+"/delete", url.Values{}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "cannot be deleted") {
		t.Errorf("deleting an organisation with people = %d, want 409 saying it cannot be", resp.StatusCode)
	}
	resp, _ := adm.Post(page+"/delete", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/organisations" {
		t.Fatalf("delete = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, list := adm.Get("/admin/organisations")
	if strings.Contains(list, "rg-ug") || !strings.Contains(html.UnescapeString(list), "“Registrar General, Uganda” has been deleted.") {
		t.Error("the organisation is still listed, or the list does not say it was deleted")
	}
	if resp, _ := adm.Get(page); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the deleted organisation's page = %d, want 404", resp.StatusCode)
	}
	if _, audit := adm.Get("/admin/audit?kind=organisation"); !strings.Contains(html.UnescapeString(audit), "Registrar General, Uganda (rg-ug), OpenCRVS") || !strings.Contains(audit, ">Deleted<") {
		t.Error("the audit trail does not keep the deleted organisation's name, or does not word the deletion")
	}
	if _, err := e.St.Organisation(t.Context(), e.Admin.ID, e.OrgA.ID); err != nil {
		t.Errorf("Ministry A after the refused delete: %v", err)
	}
}

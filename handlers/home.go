package handlers

import (
	"net/http"

	"groundwork/store"
	"groundwork/web"
)

// dashboardAssessments is how many of the most recently active
// assessments the dashboard shows; /assessments lists them all.
const dashboardAssessments = 6

// dashboardOrganisations is how many organisations the dashboard shows.
const dashboardOrganisations = 12

// home renders the landing page for visitors and the dashboard for users.
func (h *handler) home(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	if u == nil {
		return h.render(w, r, http.StatusOK, web.Home(h.page(r, "Readiness for self-hosting", "home")))
	}
	orgs, moreOrgs, err := h.store.FirstOrganisations(r.Context(), u.ID, dashboardOrganisations)
	if err != nil {
		return err
	}
	rows := make([]web.OrgRow, len(orgs))
	for i, o := range orgs {
		rows[i] = orgRow(o)
	}
	assessments, more, err := h.assessmentRows(r, store.ListOptions{Limit: dashboardAssessments})
	if err != nil {
		return err
	}
	v := web.DashboardView{Orgs: rows, MoreOrgs: moreOrgs, Assessments: assessments, MoreAssessments: more, CanCreate: u.Role == store.RoleManager}
	if len(orgs) == 0 && u.Role != store.RoleAdmin { // they are told whom to ask for one
		admins, err := h.store.Administrators(r.Context(), u.ID, 3)
		if err != nil {
			return err
		}
		for _, a := range admins {
			v.Admins = append(v.Admins, web.Contact{Name: a.Name, Email: a.Email})
		}
	}
	return h.render(w, r, http.StatusOK, web.DashboardPage(h.page(r, "Home", "home"), v))
}

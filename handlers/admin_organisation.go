package handlers

import (
	"errors"
	"net/http"

	"groundwork/store"
	"groundwork/web"
)

// adminOrganisation shows one organisation to an admin.
func (h *handler) adminOrganisation(w http.ResponseWriter, r *http.Request) error {
	return h.renderAdminOrganisation(w, r, http.StatusOK, web.Form{})
}

func (h *handler) renderAdminOrganisation(w http.ResponseWriter, r *http.Request, status int, form web.Form) error {
	actor := userFrom(r.Context()).ID
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	org, err := h.store.Organisation(r.Context(), actor, id)
	if err != nil {
		return err
	}
	members, err := h.store.Members(r.Context(), actor, org.ID)
	if err != nil {
		return err
	}
	users, err := h.store.Users(r.Context(), actor)
	if err != nil {
		return err
	}
	assigned := map[int64]bool{}
	for _, m := range members {
		assigned[m.ID] = true
	}
	var candidates []web.Option
	advisors := 0
	for _, u := range users {
		if u.Role == store.RoleAdvisor && u.Active {
			advisors++
		}
		if u.Role == store.RoleAdvisor && u.Active && !assigned[u.ID] {
			candidates = append(candidates, web.Option{Value: itoa(u.ID), Label: u.Name + " (" + u.Email + ")"})
		}
	}
	if form.Values == nil {
		form.Values = map[string]string{"name": org.Name, "platform": org.Platform}
	}
	form.Order = []string{"name", "platform"}
	v := web.AdminOrgView{Org: orgRow(org), Members: userRows(members), Candidates: candidates, Advisors: advisors, Form: form, Platforms: platformOptions()}
	if v.People, v.Assessments, err = h.store.OrganisationUse(r.Context(), actor, org.ID); err != nil {
		return err
	}
	return h.render(w, r, status, web.AdminOrganisationPage(h.page(r, org.Name, "admin-orgs"), v))
}

// adminUpdateOrganisation saves an organisation's name and platform.
func (h *handler) adminUpdateOrganisation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	form := web.Form{Values: formValues(r, "name", "platform")}
	err = h.store.UpdateOrganisation(r.Context(), userFrom(r.Context()).ID, store.Organisation{ID: id, Name: form.Values["name"], Platform: form.Values["platform"]})
	if fieldErrors(err, &form) {
		return h.renderAdminOrganisation(w, r, http.StatusUnprocessableEntity, form)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "The organisation has been saved.")
	return redirect(w, r, r.URL.Path)
}

// adminDeleteOrganisation deletes an organisation made by mistake: one
// nobody belongs to, with no assessment.
func (h *handler) adminDeleteOrganisation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	org, err := h.store.Organisation(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		return err
	}
	switch err := h.store.DeleteOrganisation(r.Context(), userFrom(r.Context()).ID, id); {
	case errors.Is(err, store.ErrOrganisationInUse):
		return withCode(http.StatusConflict, org.Name+" cannot be deleted: someone belongs to it or it has an assessment now.", err)
	case err != nil:
		return err
	}
	h.setFlash(w, "“"+org.Name+"” has been deleted.")
	return redirect(w, r, "/admin/organisations")
}

// adminAssignAdvisor gives an advisor access to the organisation.
func (h *handler) adminAssignAdvisor(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	advisor, err := pathID(r.PostFormValue("advisor"))
	if err != nil {
		return badRequest("Choose an advisor.")
	}
	if err := h.store.AssignAdvisor(r.Context(), userFrom(r.Context()).ID, advisor, id); errors.Is(err, store.ErrNotFound) {
		return badRequest("That person is not an advisor, or the organisation does not exist.")
	} else if err != nil {
		return err
	}
	h.setFlash(w, "The advisor has been assigned.")
	return redirect(w, r, "/admin/organisations/"+itoa(id))
}

// adminUnassignAdvisor removes an advisor's access to the organisation.
func (h *handler) adminUnassignAdvisor(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	advisor, err := pathID(r.PathValue("user"))
	if err != nil {
		return err
	}
	if err := h.store.UnassignAdvisor(r.Context(), userFrom(r.Context()).ID, advisor, id); err != nil {
		return err
	}
	h.setFlash(w, "The advisor no longer has access to this organisation.")
	return redirect(w, r, "/admin/organisations/"+itoa(id))
}

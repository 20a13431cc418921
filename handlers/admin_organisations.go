package handlers

import (
	"errors"
	"net/http"

	"groundwork/store"
	"groundwork/web"
)

// adminOrganisations lists every organisation, with the form for a new one.
func (h *handler) adminOrganisations(w http.ResponseWriter, r *http.Request) error {
	return h.renderAdminOrganisations(w, r, http.StatusOK, web.Form{Values: map[string]string{"platform": "commcare"}})
}

func (h *handler) renderAdminOrganisations(w http.ResponseWriter, r *http.Request, status int, form web.Form) error {
	orgs, err := h.store.Organisations(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	rows := make([]web.OrgRow, len(orgs))
	for i, o := range orgs {
		rows[i] = orgRow(o)
	}
	form.Order = []string{"name", "slug", "platform"}
	return h.render(w, r, status, web.AdminOrganisationsPage(h.page(r, "Organisations", "admin-orgs"), rows, form, platformOptions()))
}

// adminCreateOrganisation creates an organisation.
func (h *handler) adminCreateOrganisation(w http.ResponseWriter, r *http.Request) error {
	form := web.Form{Values: formValues(r, "name", "slug", "platform")}
	o, err := h.store.CreateOrganisation(r.Context(), userFrom(r.Context()).ID, store.Organisation{Name: form.Values["name"], Slug: form.Values["slug"], Platform: form.Values["platform"]})
	if errors.Is(err, store.ErrSlugTaken) {
		err = &fieldError{"slug", "Another organisation already uses this short name."}
	}
	if fieldErrors(err, &form) {
		return h.renderAdminOrganisations(w, r, http.StatusUnprocessableEntity, form)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, o.Name+" has been created. Next: invite its program managers and assign an advisor.")
	return redirect(w, r, "/admin/organisations/"+itoa(o.ID))
}

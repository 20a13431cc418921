package handlers

import (
	"net/http"

	"groundwork/store"
	"groundwork/web"
)

// organisation shows an organisation's page to anyone who may see it:
// its members, its assigned advisors, admins. Everyone else gets 404.
func (h *handler) organisation(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	org, err := h.store.OrganisationBySlug(r.Context(), u.ID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	members, err := h.store.Members(r.Context(), u.ID, org.ID)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, web.OrgPage(h.page(r, org.Name, "org"), orgRow(org), userRows(members), u.Role == store.RoleAdmin))
}

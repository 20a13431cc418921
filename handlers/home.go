package handlers

import (
	"net/http"

	"groundwork/web"
)

// home renders the landing page.
func (h *handler) home(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, r, http.StatusOK, web.Home(h.page("Readiness for self-hosting", "home")))
}

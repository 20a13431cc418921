package handlers

import "github.com/go-chi/chi/v5"

// templateRoutes serves the catalog of transition templates to anyone,
// signed in or not: it holds no personal data, and people read it to decide
// whether to start.
func (h *handler) templateRoutes(r chi.Router) {
	api := h.newTemplateAPI()
	r.Get("/api/v1/templates", h.wrap(api.list))
	r.Get("/api/v1/templates/{id}", h.wrap(api.show))
	r.Get("/templates", h.wrap(h.templateList))
	r.Get("/templates/{id}", h.wrap(h.templateShow))
}

package handlers

import "github.com/go-chi/chi/v5"

// sizingRoutes are the sizing calculator and its public API, for anyone:
// nothing here reads or writes stored data.
func (h *handler) sizingRoutes(r chi.Router) {
	r.Get("/sizing", h.wrap(h.sizingPage))
	r.Get("/sizing/tier", h.wrap(h.sizingTierResults))
	r.Get("/sizing/simple", h.wrap(h.sizingSimpleResults))
	r.Get("/sizing/opencrvs", h.wrap(h.sizingCRVSResults))
	r.Get("/sizing/model", h.wrap(h.sizingModelForm))
	r.Post("/sizing/model", h.wrap(h.sizingModel))

	r.Get("/api/v1/sizing/commcare", h.wrap(h.sizingTierAPI))
	r.Post("/api/v1/sizing/commcare/model", h.wrap(h.sizingModelAPI))
	r.Get("/api/v1/sizing/commcare/simple", h.wrap(h.sizingSimpleAPI))
	r.Post("/api/v1/sizing/commcare/simple", h.wrap(h.sizingSimpleAPI))
	r.Get("/api/v1/sizing/opencrvs", h.wrap(h.sizingCRVSAPI))
}

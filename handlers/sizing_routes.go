package handlers

import "github.com/go-chi/chi/v5"

// sizingRoutes are the sizing calculator and its public API, for anyone:
// nothing here reads or writes stored data. Resource-model runs go through
// h.models, a few at a time (see bursts.go).
func (h *handler) sizingRoutes(r chi.Router) {
	r.Get("/sizing", h.wrap(h.sizingPage))
	r.Get("/sizing/tier", h.wrap(h.sizingTierResults))
	r.With(h.gated(h.models)).Get("/sizing/simple", h.wrap(h.sizingSimpleResults))
	r.Get("/sizing/opencrvs", h.wrap(h.sizingCRVSResults))
	r.Get("/sizing/model", h.wrap(h.sizingModelForm))
	r.With(h.gated(h.models)).Post("/sizing/model", h.wrap(h.sizingModel))

	r.Get("/api/v1/sizing/commcare", h.wrap(h.sizingTierAPI))
	r.With(h.gated(h.models)).Post("/api/v1/sizing/commcare/model", h.wrap(h.sizingModelAPI))
	r.With(h.gated(h.models)).Get("/api/v1/sizing/commcare/simple", h.wrap(h.sizingSimpleAPI))
	r.With(h.gated(h.models)).Post("/api/v1/sizing/commcare/simple", h.wrap(h.sizingSimpleAPI))
	r.Get("/api/v1/sizing/opencrvs", h.wrap(h.sizingCRVSAPI))
}

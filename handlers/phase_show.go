package handlers

import (
	"net/http"

	"groundwork/web"
)

// phaseShow renders a phase page: read-only when locked, waived or when
// the user may not edit.
func (h *handler) phaseShow(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	p, err := ws.phase(r)
	if err != nil {
		return err
	}
	return h.renderPhase(w, r, http.StatusOK, h.phaseView(ws, p))
}

func (h *handler) renderPhase(w http.ResponseWriter, r *http.Request, status int, v web.PhaseView) error {
	return h.render(w, r, status, web.PhasePage(h.page(r, v.Key+" "+v.Title+" · "+v.AssessmentName, "assessments"), v))
}

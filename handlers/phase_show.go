package handlers

import (
	"net/http"

	"groundwork/web"
)

// phaseShow renders a phase page: read-only when locked, waived or when
// the user may not edit.
func (h *handler) phaseShow(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := h.loadPhase(r)
	if err != nil {
		return err
	}
	v, err := h.phaseView(r.Context(), ws, p)
	if err != nil {
		return err
	}
	return h.renderPhase(w, r, http.StatusOK, v)
}

// phaseTitle is a phase page's title.
func phaseTitle(key, title, assessment string) string {
	return key + " " + title + " · " + assessment
}

func (h *handler) renderPhase(w http.ResponseWriter, r *http.Request, status int, v web.PhaseView) error {
	return h.renderPhaseWith(w, r, status, v, web.CommentDraft{})
}

// renderPhaseWith renders a phase page with its comments, one of them a
// refused draft shown again.
func (h *handler) renderPhaseWith(w http.ResponseWriter, r *http.Request, status int, v web.PhaseView, draft web.CommentDraft) error {
	v.Discussion.Draft = draft
	return h.render(w, r, status, web.PhasePage(h.page(r, phaseTitle(v.Key, v.Title, v.AssessmentName), "assessments"), v))
}

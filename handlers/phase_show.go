package handlers

import (
	"bytes"
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
	k := ws.bodyKey(p)
	body, ok := h.bodies.get(k)
	if !ok {
		b := bufPool.Get().(*bytes.Buffer)
		b.Reset()
		defer bufPool.Put(b)
		if err := web.PhaseBody(h.phaseView(ws, p)).Render(r.Context(), b); err != nil {
			return err
		}
		body = b.String()
		h.bodies.put(k, body)
	}
	return h.render(w, r, http.StatusOK, web.PhasePageHTML(h.page(r, phaseTitle(p.Key, p.Title, ws.st.Name), "assessments"), body))
}

// phaseTitle is a phase page's title.
func phaseTitle(key, title, assessment string) string {
	return key + " " + title + " · " + assessment
}

func (h *handler) renderPhase(w http.ResponseWriter, r *http.Request, status int, v web.PhaseView) error {
	return h.render(w, r, status, web.PhasePage(h.page(r, phaseTitle(v.Key, v.Title, v.AssessmentName), "assessments"), v))
}

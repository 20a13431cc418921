package handlers

import (
	"net/http"

	"groundwork/assessment"
)

// commentResolve marks the thread in the path resolved.
func (h *handler) commentResolve(w http.ResponseWriter, r *http.Request) error {
	return h.resolveThread(w, r, true, "Marked resolved. The thread stays on the phase, collapsed.")
}

// commentReopen opens a resolved thread again.
func (h *handler) commentReopen(w http.ResponseWriter, r *http.Request) error {
	return h.resolveThread(w, r, false, "Reopened.")
}

func (h *handler) resolveThread(w http.ResponseWriter, r *http.Request, resolve bool, done string) error {
	id, err := pathID(r.PathValue("comment"))
	if err != nil {
		return err
	}
	return h.commentAction(w, r, "", func(ws *workspace, p *assessment.Phase) (string, string, error) {
		return done, "t-" + itoa(id), h.store.ResolveThread(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, p.Key, id, resolve)
	})
}

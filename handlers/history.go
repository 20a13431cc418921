package handlers

import (
	"time"

	"net/http"

	"groundwork/web"
)

// history shows every change of one answer or checkpoint.
func (h *handler) history(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	kind, key := r.PathValue("kind"), r.PathValue("item")
	v := web.HistoryView{AssessmentName: ws.stored.Name, AssessmentHref: ws.base()}
	words := func(s string) string { return s }
	switch kind {
	case "answer":
		q, ok := ws.template.Question(key)
		if !ok {
			return errNotFound
		}
		v.Item, words = q.Prompt, func(s string) string { return display(q, s) }
		p, _ := ws.template.Phase(q.PhaseKey())
		v.PhaseTitle, v.PhaseHref = p.Key+" "+p.Title, ws.phaseHref(p.Key)+"#q-"+q.Key
	case "checkpoint":
		c, ok := ws.template.Checkpoint(key)
		if !ok {
			return errNotFound
		}
		v.Item = "Checkpoint: " + c.Text
		p, _ := ws.template.Phase(c.PhaseKey())
		v.PhaseTitle, v.PhaseHref = p.Key+" "+p.Title, ws.phaseHref(p.Key)+"#c-"+c.Key
	default:
		return errNotFound
	}
	changes, err := h.store.History(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, kind, key)
	if err != nil {
		return err
	}
	for _, c := range changes {
		cv := web.ChangeView{Version: c.Version, New: words(c.New), By: c.By, At: web.FormatTime(c.At), AtISO: c.At.UTC().Format(time.RFC3339), First: c.Old == nil}
		if c.Old != nil {
			cv.Old = words(*c.Old)
		}
		v.Changes = append(v.Changes, cv)
	}
	return h.render(w, r, http.StatusOK, web.HistoryPage(h.page(r, "History · "+ws.stored.Name, "assessments"), v))
}

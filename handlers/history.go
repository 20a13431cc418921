package handlers

import (
	"net/http"
	"regexp"
	"strconv"
	"time"

	"groundwork/store"
	"groundwork/web"
)

// history shows every change of one answer, or of one checkpoint with its
// evidence files.
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
		v.Item, v.First, words = q.Prompt, "(first answer)", func(s string) string { return display(q, s) }
		p, _ := ws.template.Phase(q.PhaseKey())
		v.PhaseTitle, v.PhaseHref = p.Key+" "+p.Title, ws.phaseHref(p.Key)+"#q-"+q.Key
	case "checkpoint":
		c, ok := ws.template.Checkpoint(key)
		if !ok {
			return errNotFound
		}
		v.Item, v.First = "Checkpoint: "+c.Text, "(nothing before)"
		p, _ := ws.template.Phase(c.PhaseKey())
		v.PhaseTitle, v.PhaseHref = p.Key+" "+p.Title, ws.phaseHref(p.Key)+"#c-"+c.Key
	default:
		return errNotFound
	}
	changes, err := h.store.History(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, kind, key)
	if err != nil {
		return err
	}
	var files []store.Change // a checkpoint's evidence files, added and removed
	if kind == "checkpoint" {
		if files, err = h.store.History(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, "evidence", key); err != nil {
			return err
		}
	}
	for len(changes)+len(files) > 0 { // both newest first: merge them
		file := len(changes) == 0 || (len(files) > 0 && files[0].At.After(changes[0].At))
		var c store.Change
		if file {
			c, files = files[0], files[1:]
		} else {
			c, changes = changes[0], changes[1:]
		}
		cv := web.ChangeView{Version: c.Version, New: words(c.New), By: c.By, At: web.FormatTime(c.At), AtISO: c.At.UTC().Format(time.RFC3339), First: c.Old == nil}
		switch {
		case file:
			cv.New = sizeWords(c.New)
			if c.Old != nil {
				cv.Old = *c.Old // the file's name
			}
		case c.Old != nil:
			cv.Old = words(*c.Old)
		}
		v.Changes = append(v.Changes, cv)
	}
	return h.render(w, r, http.StatusOK, web.HistoryPage(h.page(r, "History · "+ws.stored.Name, "assessments"), v))
}

// bytesNote is the size an evidence event gives (store.AddEvidence):
// "added scan.pdf (163115 bytes)".
var bytesNote = regexp.MustCompile(`\((\d+) bytes\)$`)

// sizeWords writes an evidence event's size as the phase page does:
// "added scan.pdf (159 KB)".
func sizeWords(s string) string {
	return bytesNote.ReplaceAllStringFunc(s, func(m string) string {
		n, err := strconv.ParseInt(bytesNote.FindStringSubmatch(m)[1], 10, 64)
		if err != nil {
			return m
		}
		return "(" + fileSize(n) + ")"
	})
}

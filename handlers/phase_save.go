package handlers

import (
	"errors"
	"net/http"
	"time"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// phaseSave saves the whole phase form: the path without JavaScript, and
// the Save button. Valid answers are saved even when a neighbour is
// invalid; invalid ones come back beside their field as typed, listed in a
// summary at the top. Table row buttons (_op) add or remove a row and show
// the page again.
func (h *handler) phaseSave(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	p, err := ws.phase(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return badRequest("The form could not be read.")
	}
	if !ws.st.CanEdit {
		return storeErr(store.ErrForbidden)
	}
	v := h.phaseView(ws, p)
	if v.ReadOnly {
		v.Problems = []web.Link{{Text: "Nothing was saved: this phase cannot be changed now (see above)."}}
		return h.renderPhase(w, r, http.StatusConflict, v)
	}
	op := r.PostFormValue("_op")

	// Read every question as typed; visibility follows the new answers.
	typed := map[string]assessment.Value{}
	merged := make(map[string]assessment.Value, len(ws.in.Answers))
	for k, val := range ws.in.Answers {
		merged[k] = val
	}
	failed := map[string]bool{}
	for i, q := range p.Questions {
		qv := &v.Questions[i]
		fillTyped(qv, q, r.PostForm)
		applyRowOp(qv, op)
		val, err := typedValue(q, qv, r)
		if err != nil {
			showProblems(qv, err)
			failed[q.Key] = true
			continue
		}
		typed[q.Key] = val
		merged[q.Key] = val
	}
	after := ws.tpl.Evaluate(assessment.Input{Answers: merged, Confirmed: ws.in.Confirmed, Reviews: ws.in.Reviews, SignOff: ws.in.SignOff})

	var changes []store.AnswerChange
	for i, q := range p.Questions {
		qv := &v.Questions[i]
		qv.Hidden = !after.Visible(q.Key)
		if qv.Hidden {
			qv.Error, qv.Cells = "", nil
			continue
		}
		if failed[q.Key] {
			v.Problems = append(v.Problems, web.Link{Text: q.Label + ": " + qv.Error, Href: "#q-" + q.Key})
			continue
		}
		changes = append(changes, store.AnswerChange{Key: q.Key, Value: encode(q, typed[q.Key]), Base: qv.Version})
	}
	u := userFrom(r.Context())
	results, latest, err := h.store.SaveAnswers(r.Context(), u.ID, ws.st.ID, ws.tpl, changes)
	var gate *store.GateError
	if errors.As(err, &gate) {
		v.Problems = append(v.Problems, web.Link{Text: gateMessage(gate)})
		return h.renderPhase(w, r, http.StatusConflict, v)
	}
	if err != nil {
		return storeErr(err)
	}
	conflicts := 0
	for _, res := range results {
		i := questionIndex(p, res.Key)
		qv := &v.Questions[i]
		if c := res.Conflict; c != nil {
			conflicts++
			q := p.Questions[i]
			qv.Conflict = conflictView(q, c, typed[q.Key])
			// Saving the page again keeps the typed value over theirs.
			qv.Version = c.Current.Version
			v.Problems = append(v.Problems, web.Link{Text: q.Label + ": " + c.Current.UpdatedBy + " saved another answer meanwhile", Href: "#q-" + q.Key})
			continue
		}
		qv.Version = res.Version
		if res.Changed {
			qv.Saved = saved(u.Name, time.Now(), true)
		}
	}

	for i, c := range p.Checkpoints {
		cv := &v.Checkpoints[i]
		if !fillTypedCheckpoint(cv, c, r.PostForm) {
			v.Problems = append(v.Problems, web.Link{Text: "Evidence link: " + cv.Error, Href: "#c-" + c.Key})
			continue
		}
		if cur := latest.Confirmations[c.Key]; cur.Confirmed == cv.Confirmed && cur.EvidenceURL == cv.EvidenceURL {
			cv.Version = cur.Version // unchanged: no transaction for it
			continue
		}
		version, st, err := h.store.SetConfirmation(r.Context(), u.ID, ws.st.ID, ws.tpl, c.Key, cv.Confirmed, cv.EvidenceURL, cv.Version)
		var conflict *store.ConflictError
		switch {
		case errors.As(err, &gate):
			cv.Error = gateMessage(gate)
			v.Problems = append(v.Problems, web.Link{Text: cv.Error, Href: "#c-" + c.Key})
		case errors.As(err, &conflict):
			conflicts++
			cv.Conflict = checkpointConflict(cv, conflict)
			cv.Version = conflict.Current.Version
			v.Problems = append(v.Problems, web.Link{Text: "Checkpoint: " + conflict.Current.UpdatedBy + " changed it meanwhile", Href: "#c-" + c.Key})
		case err != nil:
			return storeErr(err)
		default:
			cv.Version = version
			latest = st
		}
	}

	switch {
	case len(v.Problems) > 0:
		status := http.StatusUnprocessableEntity
		if conflicts > 0 {
			status = http.StatusConflict
		}
		h.refreshStatus(ws, latest, p, &v)
		return h.renderPhase(w, r, status, v)
	case op != "":
		h.refreshStatus(ws, latest, p, &v)
		return h.renderPhase(w, r, http.StatusOK, v)
	}
	h.setFlash(w, "Phase "+p.Key+" saved.")
	return redirect(w, r, ws.phaseHref(p.Key))
}

// refreshStatus shows the state the saves returned in the page's status,
// progress and blockers, keeping the typed inputs.
func (h *handler) refreshStatus(ws *workspace, st *store.State, p *assessment.Phase, v *web.PhaseView) {
	ws.st = st
	ws.evaluate()
	fresh := h.phaseView(ws, p)
	v.Status, v.Progress, v.Blockers, v.Warnings, v.CanSubmit, v.Sizing = fresh.Status, fresh.Progress, fresh.Blockers, fresh.Warnings, fresh.CanSubmit, fresh.Sizing
}

func questionIndex(p *assessment.Phase, key string) int {
	for i, q := range p.Questions {
		if q.Key == key {
			return i
		}
	}
	return -1
}

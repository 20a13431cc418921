package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
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
		var val assessment.Value
		var err error
		if q.Type == assessment.TypeTable {
			val = rowsValue(qv.Rows)
		} else {
			val, err = q.DecodeForm(r.PostForm)
		}
		if err == nil && !val.IsZero() {
			err = q.Validate(val)
		}
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
		raw := ""
		if val := typed[q.Key]; !val.IsZero() {
			raw = q.Encode(val)
		}
		base, _ := strconv.Atoi(r.PostFormValue("_v." + q.Key))
		changes = append(changes, store.AnswerChange{Key: q.Key, Value: raw, Base: base})
	}
	u := userFrom(r.Context())
	results, _, err := h.store.SaveAnswers(r.Context(), u.ID, ws.st.ID, ws.tpl, changes)
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
			qv.Conflict = &web.Conflict{Theirs: display(q, c.Current.Value), Yours: displayValue(q, typed[q.Key]), By: c.Current.UpdatedBy,
				At: c.Current.UpdatedAt.UTC().Format(time.RFC3339), Version: c.Current.Version}
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
		cv.Confirmed = r.PostFormValue("c."+c.Key) == "on"
		cv.EvidenceURL = strings.TrimSpace(r.PostFormValue("cu." + c.Key))
		if msg := checkEvidenceURL(cv.EvidenceURL); msg != "" {
			cv.Error = msg
			v.Problems = append(v.Problems, web.Link{Text: "Evidence link: " + msg, Href: "#c-" + c.Key})
			continue
		}
		base, _ := strconv.Atoi(r.PostFormValue("_cv." + c.Key))
		version, _, err := h.store.SetConfirmation(r.Context(), u.ID, ws.st.ID, ws.tpl, c.Key, cv.Confirmed, cv.EvidenceURL, base)
		var conflict *store.ConflictError
		switch {
		case errors.As(err, &gate):
			cv.Error = gateMessage(gate)
			v.Problems = append(v.Problems, web.Link{Text: cv.Error, Href: "#c-" + c.Key})
		case errors.As(err, &conflict):
			conflicts++
			cv.Conflict = &web.Conflict{Theirs: conflict.Current.Value, Yours: store.ConfirmationText(cv.Confirmed, cv.EvidenceURL),
				By: conflict.Current.UpdatedBy, At: conflict.Current.UpdatedAt.UTC().Format(time.RFC3339), Version: conflict.Current.Version}
			cv.Version = conflict.Current.Version
			v.Problems = append(v.Problems, web.Link{Text: "Checkpoint: " + conflict.Current.UpdatedBy + " changed it meanwhile", Href: "#c-" + c.Key})
		case err != nil:
			return storeErr(err)
		default:
			cv.Version = version
		}
	}

	switch {
	case len(v.Problems) > 0:
		status := http.StatusUnprocessableEntity
		if conflicts > 0 {
			status = http.StatusConflict
		}
		h.refreshStatus(r, ws, p, &v)
		return h.renderPhase(w, r, status, v)
	case op != "":
		h.refreshStatus(r, ws, p, &v)
		return h.renderPhase(w, r, http.StatusOK, v)
	}
	h.setFlash(w, "Phase "+p.Key+" saved.")
	return redirect(w, r, ws.phaseHref(p.Key))
}

// refreshStatus reloads the stored state so the page's status, progress and
// blockers reflect what was just saved, keeping the typed inputs.
func (h *handler) refreshStatus(r *http.Request, ws *workspace, p *assessment.Phase, v *web.PhaseView) {
	st, err := h.store.AssessmentState(r.Context(), userFrom(r.Context()).ID, ws.st.ID)
	if err != nil {
		return
	}
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

package handlers

import (
	"errors"
	"net/http"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// phaseAction runs a review or waiver action on the phase in the path and
// answers with the phase page: again with messages when refused, or after
// a redirect with a flash when done.
func (h *handler) phaseAction(w http.ResponseWriter, r *http.Request, done string,
	act func(ws *workspace, p *assessment.Phase) error) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	p, err := ws.phase(r)
	if err != nil {
		return err
	}
	err = act(ws, p)
	var fe store.FieldErrors
	var gate *store.GateError
	switch {
	case errors.As(err, &fe):
		v := h.phaseView(ws, p)
		fieldErrors(err, &v.Form)
		v.Reason, v.CommentDraft = r.PostFormValue("reason"), r.PostFormValue("comment")
		// Listed at the top too (where focus goes), linking to the field.
		v.ActionRefused = true
		for _, name := range []string{"comment", "reason"} {
			if msg := v.Form.Error(name); msg != "" {
				v.Problems = append(v.Problems, web.Link{Text: msg, Href: "#f-" + name})
			}
		}
		return h.renderPhase(w, r, http.StatusUnprocessableEntity, v)
	case errors.As(err, &gate):
		v := h.phaseView(ws, p)
		v.ActionRefused = true
		msg := gateMessage(gate)
		if errors.Is(err, assessment.ErrIncomplete) {
			msg = "Phase " + p.Key + " is not complete yet: see what is still to do above."
		} else if errors.Is(err, assessment.ErrNotSubmitted) {
			msg = "Phase " + p.Key + " is not waiting for review (it may have been edited or reviewed meanwhile)."
		}
		v.Problems = append(v.Problems, web.Link{Text: msg})
		return h.renderPhase(w, r, http.StatusConflict, v)
	case errors.Is(err, assessment.ErrNotOptional):
		return badRequest("Only optional phases can be marked not applicable.")
	case err != nil:
		return storeErr(err)
	}
	h.setFlash(w, done)
	return redirect(w, r, ws.phaseHref(p.Key))
}

// phaseSubmit sends a complete phase to the advisor.
func (h *handler) phaseSubmit(w http.ResponseWriter, r *http.Request) error {
	return h.phaseAction(w, r, "Submitted for review. Your advisor can now approve it or ask for changes.", func(ws *workspace, p *assessment.Phase) error {
		return h.store.SubmitPhase(r.Context(), userFrom(r.Context()).ID, ws.st.ID, ws.tpl, p.Key)
	})
}

// phaseReview records the advisor's decision.
func (h *handler) phaseReview(w http.ResponseWriter, r *http.Request) error {
	approve := r.PostFormValue("decision") == "approve"
	done := "Sent back to the program manager with your comment."
	if approve {
		done = "Approved."
	}
	return h.phaseAction(w, r, done, func(ws *workspace, p *assessment.Phase) error {
		return h.store.ReviewPhase(r.Context(), userFrom(r.Context()).ID, ws.st.ID, ws.tpl, p.Key, approve, r.PostFormValue("comment"))
	})
}

// phaseWaive marks an optional phase not applicable.
func (h *handler) phaseWaive(w http.ResponseWriter, r *http.Request) error {
	return h.phaseAction(w, r, "Marked not applicable.", func(ws *workspace, p *assessment.Phase) error {
		return h.store.WaivePhase(r.Context(), userFrom(r.Context()).ID, ws.st.ID, ws.tpl, p.Key, r.PostFormValue("reason"))
	})
}

// phaseUnwaive makes a waived phase applicable again.
func (h *handler) phaseUnwaive(w http.ResponseWriter, r *http.Request) error {
	return h.phaseAction(w, r, "The phase applies again.", func(ws *workspace, p *assessment.Phase) error {
		return h.store.UnwaivePhase(r.Context(), userFrom(r.Context()).ID, ws.st.ID, ws.tpl, p.Key)
	})
}

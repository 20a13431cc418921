package handlers

import (
	"errors"
	"net/http"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// phaseAction runs an action on the phase in the path (submit, review,
// waiver, an evidence file added or removed) and answers with the phase
// page: after a redirect with a flash when done, or at once with the
// refusal beside its field and at the top, where focus goes.
func (h *handler) phaseAction(w http.ResponseWriter, r *http.Request, act func(ws *workspace, p *assessment.Phase) (done string, err error)) error {
	ws, p, err := h.loadPhase(r)
	if err != nil {
		return err
	}
	return h.actOnPhase(w, r, ws, p, act)
}

// actOnPhase is phaseAction on a loaded workspace.
func (h *handler) actOnPhase(w http.ResponseWriter, r *http.Request, ws *workspace, p *assessment.Phase, act func(ws *workspace, p *assessment.Phase) (string, error)) error {
	done, err := act(ws, p)
	if err != nil {
		return h.refusePhase(w, r, ws, p, err)
	}
	h.setFlash(w, done)
	if c := r.PathValue("checkpoint"); c != "" {
		return redirect(w, r, ws.phaseHref(p.Key)+"#c-"+c)
	}
	return redirect(w, r, ws.phaseHref(p.Key))
}

// refusePhase shows the phase page again for an action that err refused:
// a typed value beside its field, or the gate that stopped it. Other
// errors go to the error page.
func (h *handler) refusePhase(w http.ResponseWriter, r *http.Request, ws *workspace, p *assessment.Phase, err error) error {
	v, verr := h.phaseView(r.Context(), ws, p)
	if verr != nil {
		return verr
	}
	v.ActionRefused = true
	status := http.StatusUnprocessableEntity
	var gate *store.GateError
	var marks *store.QuestionError
	switch {
	case fieldErrors(err, &v.Form):
		v.Reason, v.CommentDraft, v.Review.ReopenDraft = r.PostFormValue("reason"), r.PostFormValue("comment"), r.PostFormValue("reopen_reason")
		v.Review.MarkedDraft = map[string]bool{}
		for _, q := range r.PostForm["question"] {
			v.Review.MarkedDraft[q] = true
		}
		for _, name := range []string{"comment", "reason", "reopen_reason"} {
			if msg := v.Form.Error(name); msg != "" {
				v.Problems = append(v.Problems, web.Link{Text: msg, Href: "#f-" + name})
			}
		}
		if msg := v.Form.Error("question"); msg != "" {
			v.Problems = append(v.Problems, web.Link{Text: msg, Href: "#f-mark-" + r.PostForm["question"][0]})
		}
		if msg, key := v.Form.Error("file"), r.PathValue("checkpoint"); msg != "" {
			for i := range v.Checkpoints {
				if v.Checkpoints[i].Key == key {
					v.Checkpoints[i].FileError = msg
				}
			}
			v.Problems = append(v.Problems, web.Link{Text: web.EvidenceProblem + msg, Href: "#c-" + key})
		}
		if errors.Is(err, store.ErrFileTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
	case errors.As(err, &gate):
		v.Problems = append(v.Problems, web.Link{Text: gateMessage(gate)})
		status = http.StatusConflict
	case errors.Is(err, assessment.ErrNotOptional):
		return badRequest("Only optional phases can be marked not applicable.")
	case errors.As(err, &marks):
		return badRequest("Only questions of this phase can be marked as needing changes.")
	default:
		return err
	}
	return h.renderPhase(w, r, status, v)
}

// phaseSubmit sends a complete phase to the advisor.
func (h *handler) phaseSubmit(w http.ResponseWriter, r *http.Request) error {
	return h.phaseAction(w, r, func(ws *workspace, p *assessment.Phase) (string, error) {
		return "Submitted for review. Your advisor can now approve it or ask for changes.",
			h.store.SubmitPhase(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, p.Key)
	})
}

// phaseReview records the advisor's decision: approve, or request changes
// with a reason and the questions concerned.
func (h *handler) phaseReview(w http.ResponseWriter, r *http.Request) error {
	d := store.Decision{Approve: r.PostFormValue("decision") == "approve", Reason: r.PostFormValue("comment"), Questions: r.PostForm["question"]}
	done := "Approved and signed off: the phase is frozen as it is, with its digest (see its revisions below)."
	if !d.Approve {
		done = "Sent back to the program manager with your reason; it shows at the top of the phase until it is resolved."
	}
	return h.phaseAction(w, r, func(ws *workspace, p *assessment.Phase) (string, error) {
		return done, h.store.ReviewPhase(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, p.Key, d)
	})
}

// phaseReopen reopens an approved phase for changes, as its next revision.
func (h *handler) phaseReopen(w http.ResponseWriter, r *http.Request) error {
	return h.phaseAction(w, r, func(ws *workspace, p *assessment.Phase) (string, error) {
		return "Reopened: the phase can be changed and submitted again. Its earlier sign-off stays as it was.",
			h.store.ReopenPhase(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, p.Key, r.PostFormValue("reopen_reason"))
	})
}

// phaseWaive marks an optional phase not applicable.
func (h *handler) phaseWaive(w http.ResponseWriter, r *http.Request) error {
	return h.phaseAction(w, r, func(ws *workspace, p *assessment.Phase) (string, error) {
		return "Marked not applicable.", h.store.WaivePhase(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, p.Key, r.PostFormValue("reason"))
	})
}

// phaseUnwaive makes a waived phase applicable again.
func (h *handler) phaseUnwaive(w http.ResponseWriter, r *http.Request) error {
	return h.phaseAction(w, r, func(ws *workspace, p *assessment.Phase) (string, error) {
		return "The phase applies again.", h.store.UnwaivePhase(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, p.Key)
	})
}

package handlers

import (
	"net/http"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// commentAdd starts a thread on the phase, or on one of its questions
// (the form's question).
func (h *handler) commentAdd(w http.ResponseWriter, r *http.Request) error {
	question := r.PostFormValue("question")
	return h.commentAction(w, r, web.NewForm(question), func(ws *workspace, p *assessment.Phase) (string, string, error) {
		saved, err := h.store.AddComment(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template,
			store.NewComment{Phase: p.Key, Question: question, Body: r.PostFormValue("comment")})
		return "Comment posted.", "cm-" + itoa(saved.ID), err
	})
}

// commentReply replies to the thread in the path.
func (h *handler) commentReply(w http.ResponseWriter, r *http.Request) error {
	thread, err := pathID(r.PathValue("comment"))
	if err != nil {
		return err
	}
	return h.commentAction(w, r, web.ReplyForm(thread), func(ws *workspace, p *assessment.Phase) (string, string, error) {
		saved, err := h.store.AddComment(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template,
			store.NewComment{Phase: p.Key, Thread: thread, Body: r.PostFormValue("comment")})
		return "Reply posted.", "cm-" + itoa(saved.ID), err
	})
}

// commentAction runs a change to the phase's comments from the form
// named, and answers with the phase page: after a redirect to anchor with
// the flash done, or at once with a refused text kept in its field and
// its message beside it and at the top.
func (h *handler) commentAction(w http.ResponseWriter, r *http.Request, form string, act func(ws *workspace, p *assessment.Phase) (done, anchor string, err error)) error {
	ws, p, err := h.loadPhase(r)
	if err != nil {
		return err
	}
	done, anchor, err := act(ws, p)
	var refused web.Form
	switch {
	case err == nil:
		h.setFlash(w, done)
		return redirect(w, r, ws.phaseHref(p.Key)+"#"+anchor)
	case !fieldErrors(err, &refused) || refused.Error("comment") == "":
		return err
	}
	v, err := h.phaseView(r.Context(), ws, p)
	if err != nil {
		return err
	}
	v.ActionRefused = true
	draft := web.CommentDraft{Form: form, Body: r.PostFormValue("comment"), Error: refused.Error("comment")}
	v.Problems = append(v.Problems, web.Link{Text: draft.Error, Href: "#" + web.FieldID(form)})
	return h.renderPhaseWith(w, r, http.StatusUnprocessableEntity, v, draft)
}

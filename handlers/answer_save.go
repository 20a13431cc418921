package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// answerShow renders one question block as stored ("keep theirs" after a
// conflict).
func (h *handler) answerShow(w http.ResponseWriter, r *http.Request) error {
	ws, q, err := h.loadQuestion(r)
	if err != nil {
		return err
	}
	pr, _ := ws.res.Phase(q.PhaseKey())
	readOnly := !ws.st.CanEdit || ws.res.CheckEdit(pr.Key) != nil
	return h.render(w, r, http.StatusOK, web.QuestionBlock(ws.questionView(q, readOnly), false))
}

func (h *handler) loadQuestion(r *http.Request) (*workspace, *assessment.Question, error) {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return nil, nil, err
	}
	p, err := ws.phase(r)
	if err != nil {
		return nil, nil, err
	}
	q, ok := ws.tpl.Question(r.PathValue("question"))
	if !ok || q.PhaseKey() != p.Key {
		return nil, nil, errNotFound
	}
	return ws, q, nil
}

// answerSave saves one answer as the person types (htmx). It answers with
// the question's save state, and out of band the new version, the phase's
// progress, the sizing panel and any question whose visibility changed.
// A table row operation (_op) answers with the whole question block.
func (h *handler) answerSave(w http.ResponseWriter, r *http.Request) error {
	ws, q, err := h.loadQuestion(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return badRequest("The form could not be read.")
	}
	p, _ := ws.tpl.Phase(q.PhaseKey())
	qv := ws.questionView(q, false)
	fillTyped(&qv, q, r.PostForm)
	op := r.PostFormValue("_op")
	if op != "" {
		applyRowOp(&qv, op)
	}
	respond := func(status int) error {
		if op != "" {
			// The row was added or removed whether or not the table can be
			// saved yet; the block shows any message beside its cells.
			return h.render(w, r, http.StatusOK, web.QuestionBlock(qv, false))
		}
		return h.render(w, r, status, web.QuestionState(qv))
	}

	var v assessment.Value
	if q.Type == assessment.TypeTable {
		v = rowsValue(qv.Rows)
	} else if v, err = q.DecodeForm(r.PostForm); err != nil {
		showProblems(&qv, err)
		return respond(http.StatusUnprocessableEntity)
	}
	if !v.IsZero() {
		if err := q.Validate(v); err != nil {
			showProblems(&qv, err)
			return respond(http.StatusUnprocessableEntity)
		}
	}
	raw := ""
	if !v.IsZero() {
		raw = q.Encode(v)
	}
	base, _ := strconv.Atoi(r.PostFormValue("_v." + q.Key))
	u := userFrom(r.Context())
	results, err := h.store.SaveAnswers(r.Context(), u.ID, ws.st.ID, ws.tpl, []store.AnswerChange{{Key: q.Key, Value: raw, Base: base}})
	var gate *store.GateError
	switch {
	case errors.As(err, &gate):
		qv.Error = gateMessage(gate)
		return respond(http.StatusConflict)
	case err != nil:
		return storeErr(err)
	}
	res := results[0]
	if c := res.Conflict; c != nil {
		qv.Conflict = &web.Conflict{Theirs: display(q, c.Current.Value), Yours: displayValue(q, v), By: c.Current.UpdatedBy,
			At: c.Current.UpdatedAt.UTC().Format(time.RFC3339), Version: c.Current.Version}
		return respond(http.StatusConflict)
	}

	// Saved: show it, and refresh what depends on it.
	before := ws.res
	ws.st.Answers[q.Key] = store.Answer{Value: raw, Version: res.Version, UpdatedBy: u.Name, UpdatedAt: time.Now()}
	ws.evaluate()
	qv.Version, qv.History = res.Version, res.Version
	qv.Saved = saved(u.Name, time.Now(), true)
	main := web.QuestionState(qv)
	if op != "" {
		main = web.QuestionBlock(qv, false)
	}
	return h.render(w, r, http.StatusOK, templ.Join(append([]templ.Component{main},
		h.afterSave(ws, p, before, web.VersionInput("v-"+q.Key, "_v."+q.Key, res.Version))...)...))
}

// afterSave lists the out-of-band updates that follow a save: the version
// field, the phase progress, the sizing panel, and questions whose
// visibility changed.
func (h *handler) afterSave(ws *workspace, p *assessment.Phase, before *assessment.Result, version templ.Component) []templ.Component {
	pv := h.phaseView(ws, p)
	parts := []templ.Component{version, web.PhaseProgress(pv, true)}
	if pv.Sizing != nil {
		parts = append(parts, web.SizingPanel(pv.Sizing, true))
	}
	for i, q := range p.Questions {
		if before.Visible(q.Key) != ws.res.Visible(q.Key) {
			parts = append(parts, web.QuestionBlock(pv.Questions[i], true))
		}
	}
	return parts
}

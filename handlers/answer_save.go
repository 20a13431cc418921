package handlers

import (
	"errors"
	"net/http"
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
// It reads the assessment's row only: the save itself loads the state and
// returns it changed. A table row operation (_op) answers with the whole
// question block.
func (h *handler) answerSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return badRequest("The form could not be read.")
	}
	if r.PostFormValue("_op") != "" {
		return h.answerRowOp(w, r)
	}
	a, tpl, err := h.loadAssessment(r)
	if err != nil {
		return err
	}
	q, ok := tpl.Question(r.PathValue("question"))
	if !ok || q.PhaseKey() != r.PathValue("key") {
		return errNotFound
	}
	if !a.CanEdit {
		return storeErr(store.ErrForbidden)
	}
	qv := questionShell("/assessments/"+itoa(a.ID), q)
	fillTyped(&qv, q, r.PostForm)
	v, err := typedValue(q, &qv, r)
	if err != nil {
		showProblems(&qv, err)
		return h.render(w, r, http.StatusUnprocessableEntity, web.QuestionState(qv))
	}
	u := userFrom(r.Context())
	results, st, err := h.store.SaveAnswers(r.Context(), u.ID, a.ID, tpl, []store.AnswerChange{{Key: q.Key, Value: encode(q, v), Base: qv.Version}})
	var gate *store.GateError
	switch {
	case errors.As(err, &gate):
		qv.Error = gateMessage(gate)
		return h.render(w, r, http.StatusConflict, web.QuestionState(qv))
	case err != nil:
		return storeErr(err)
	}
	res := results[0]
	if c := res.Conflict; c != nil {
		qv.Conflict = conflictView(q, c, v)
		return h.render(w, r, http.StatusConflict, web.QuestionState(qv))
	}
	ws := &workspace{st: st, tpl: tpl}
	ws.evaluate()
	before := ws.res // htmx posts an unchanged value again on change
	if res.Changed {
		before = ws.evaluateWithout(q.Key, res.Previous)
	}
	qv.Version, qv.History = res.Version, res.Version
	qv.Saved = saved(u.Name, time.Now(), true) // saved, whether now or already
	p, _ := tpl.Phase(q.PhaseKey())
	return h.render(w, r, http.StatusOK, templ.Join(append([]templ.Component{web.QuestionState(qv)},
		h.afterSave(ws, p, before, web.VersionInput("v-"+q.Key, "_v."+q.Key, res.Version))...)...))
}

// answerRowOp adds or removes a table row, saves the table when it can, and
// answers with the whole question block.
func (h *handler) answerRowOp(w http.ResponseWriter, r *http.Request) error {
	ws, q, err := h.loadQuestion(r)
	if err != nil {
		return err
	}
	if !ws.st.CanEdit {
		return storeErr(store.ErrForbidden)
	}
	qv := ws.questionView(q, false)
	fillTyped(&qv, q, r.PostForm)
	applyRowOp(&qv, r.PostFormValue("_op"))
	// The row is added or removed whether or not the table can be saved
	// yet; the block shows any message beside its cells.
	v, err := typedValue(q, &qv, r)
	if err != nil {
		showProblems(&qv, err)
		return h.render(w, r, http.StatusOK, web.QuestionBlock(qv, false))
	}
	u := userFrom(r.Context())
	results, _, err := h.store.SaveAnswers(r.Context(), u.ID, ws.st.ID, ws.tpl, []store.AnswerChange{{Key: q.Key, Value: encode(q, v), Base: qv.Version}})
	var gate *store.GateError
	switch {
	case errors.As(err, &gate):
		qv.Error = gateMessage(gate)
	case err != nil:
		return storeErr(err)
	case results[0].Conflict != nil:
		qv.Conflict = conflictView(q, results[0].Conflict, v)
	default:
		qv.Version, qv.History = results[0].Version, results[0].Version
		qv.Saved = saved(u.Name, time.Now(), results[0].Changed)
	}
	return h.render(w, r, http.StatusOK, web.QuestionBlock(qv, false))
}

// typedValue decodes and validates what was posted for q (a table from the
// rows on the page, which may have been edited by a row operation).
func typedValue(q *assessment.Question, qv *web.QuestionView, r *http.Request) (assessment.Value, error) {
	var v assessment.Value
	if q.Type == assessment.TypeTable {
		v = rowsValue(qv.Rows)
	} else {
		var err error
		if v, err = q.DecodeForm(r.PostForm); err != nil {
			return v, err
		}
	}
	if !v.IsZero() {
		if err := q.Validate(v); err != nil {
			return v, err
		}
	}
	return v, nil
}

// encode is a value's stored form; "" for no answer.
func encode(q *assessment.Question, v assessment.Value) string {
	if v.IsZero() {
		return ""
	}
	return q.Encode(v)
}

// conflictView shows the stored answer beside the refused one.
func conflictView(q *assessment.Question, c *store.ConflictError, yours assessment.Value) *web.Conflict {
	return &web.Conflict{Theirs: display(q, c.Current.Value), Yours: displayValue(q, yours), By: c.Current.UpdatedBy,
		At: c.Current.UpdatedAt.UTC().Format(time.RFC3339), Version: c.Current.Version}
}

// afterSave lists the out-of-band updates that follow a save: the version
// field, the phase progress, the sizing panel, and questions whose
// visibility changed.
func (h *handler) afterSave(ws *workspace, p *assessment.Phase, before *assessment.Result, version templ.Component) []templ.Component {
	pr, _ := ws.res.Phase(p.Key)
	parts := []templ.Component{version, web.PhaseProgress(web.PhaseView{Status: statusView(pr.Status), Progress: progressView(pr)}, true)}
	if s := sizingView(ws, p); s != nil {
		parts = append(parts, web.SizingPanel(s, true))
	}
	for _, q := range p.Questions {
		if before.Visible(q.Key) != ws.res.Visible(q.Key) {
			parts = append(parts, web.QuestionBlock(ws.questionView(q, false), true))
		}
	}
	return parts
}

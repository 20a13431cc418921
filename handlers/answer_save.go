package handlers

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/a-h/templ"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// answerShow renders one question block as stored ("keep theirs" after a
// conflict).
func (h *handler) answerShow(w http.ResponseWriter, r *http.Request) error {
	ws, q, err := h.loadQuestion(r, h.loadWorkspace)
	if err != nil {
		return err
	}
	pr, _ := ws.result.Phase(q.PhaseKey())
	readOnly := !ws.stored.CanEdit || ws.result.CheckEdit(pr.Key) != nil
	return h.render(w, r, http.StatusOK, web.QuestionBlock(ws.questionView(q, readOnly), false))
}

// loadQuestion loads the assessment with load and finds the question named
// in the path.
func (h *handler) loadQuestion(r *http.Request, load func(*http.Request) (*workspace, error)) (*workspace, *assessment.Question, error) {
	ws, err := load(r)
	if err != nil {
		return nil, nil, err
	}
	p, err := ws.phase(r)
	if err != nil {
		return nil, nil, err
	}
	q, ok := ws.template.Question(r.PathValue("question"))
	if !ok || q.PhaseKey() != p.Key {
		return nil, nil, errNotFound
	}
	return ws, q, nil
}

// archivedMeanwhile refuses a save to an assessment archived since its page
// was opened.
const archivedMeanwhile = "Not saved: this assessment has been archived meanwhile (in another window, or by another program manager), so it is read only. A program manager can restore it from its overview."

// answerSave saves one answer as the person types (htmx). It answers with
// the question's save state, and out of band the new version, the phase's
// progress, the sizing panel and any question whose visibility changed. A
// table row operation (_op) answers with the whole question block.
func (h *handler) answerSave(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return badRequest("The form could not be read.")
	}
	load := h.loadForSave
	if r.PostForm.Get("_op") != "" {
		load = h.loadWorkspace // the whole block is shown again
	}
	ws, q, err := h.loadQuestion(r, load)
	if err != nil {
		return err
	}
	p, _ := ws.template.Phase(q.PhaseKey())
	out, err := h.savePosted(r, ws, p, []*assessment.Question{q}, nil)
	if errors.Is(err, store.ErrArchived) && r.PostForm.Get("_op") == "" {
		// Archived meanwhile (another window, another manager): said in the
		// question's save state, which keeps what was typed, as for any
		// refused answer.
		return h.render(w, r, http.StatusConflict, web.QuestionState(web.QuestionView{Key: q.Key, Error: archivedMeanwhile, Closed: true}))
	}
	if errors.Is(err, store.ErrArchived) {
		w.Header().Set("HX-Refresh", "true") // a table's row added or removed: the page again, read only
	}
	if err != nil {
		return err
	}
	qv := out.questions[0]
	qv.Error = cmp.Or(out.refused, qv.Error)
	if r.PostFormValue("_op") != "" {
		// The block holds the version; the phase changes as for any save
		// (a removed row may have been what a rule refused).
		return h.render(w, r, http.StatusOK, templ.Join(append([]templ.Component{web.QuestionBlock(qv, false)},
			h.afterSave(ws, p, out.before)...)...))
	}
	if status := out.status(http.StatusUnprocessableEntity); status != http.StatusOK {
		return h.render(w, r, status, web.QuestionState(qv))
	}
	return h.render(w, r, http.StatusOK, templ.Join(append([]templ.Component{web.QuestionState(qv),
		web.VersionInput("v-"+q.Key, "_v."+q.Key, qv.Version)}, h.afterSave(ws, p, out.before)...)...))
}

// conflictView shows the stored answer beside the refused one.
func conflictView(q *assessment.Question, c *store.ConflictError, yours assessment.Value) *web.Conflict {
	return &web.Conflict{Theirs: display(q, c.Current.Value), Yours: displayValue(q, yours), By: c.Current.UpdatedBy, Mine: c.Mine,
		At: c.Current.UpdatedAt.UTC().Format(time.RFC3339), Version: c.Current.Version}
}

// afterSave lists the out-of-band updates that follow a save (besides the
// item's version field): the phase progress, what it still lacks and its
// rule warnings, the list of phases, the sizing panel, questions whose
// visibility changed, and the failing rules shown under questions where
// they changed.
func (h *handler) afterSave(ws *workspace, p *assessment.Phase, before *assessment.Result) []templ.Component {
	pr, _ := ws.result.Phase(p.Key)
	parts := []templ.Component{web.PhaseProgress(web.PhaseView{Status: statusView(pr.Status), Progress: progressView(pr)}, true),
		web.PhaseTodo(ws.issueLinks(ws.result.Blockers(p.Key)), true), web.PhaseWarnings(ws.issueLinks(pr.Warnings), true),
		web.PhaseNav(ws.phaseSteps(p.Key), true)}
	if s := sizingView(ws, p, true); s != nil { // a save: the phase is open to its editor
		parts = append(parts, web.SizingPanel(s, true), web.SizingBrief(s, false, true))
		if slices.ContainsFunc(p.Questions, func(q *assessment.Question) bool { return q.Sizing != "" }) {
			parts = append(parts, web.SizingBrief(s, true, true)) // after the phase's last sizing question
		}
	}
	if ws.stored.CanEdit { // a save means the phase is open to its editors: the page shows PhaseSubmit
		submitted := ws.stored.Reviews[p.Key].State == assessment.ReviewSubmitted
		parts = append(parts, web.PhaseSubmit(ws.phaseHref(p.Key), p.Key, web.SubmitStateOf(ws.result.CheckSubmit(p.Key) == nil, submitted), true))
	}
	for _, q := range p.Questions {
		if before.Visible(q.Key) != ws.result.Visible(q.Key) {
			parts = append(parts, web.QuestionBlock(ws.questionView(q, false), true))
		} else if notes := ruleNotes(ws.result, q); !slices.Equal(ruleNotes(before, q), notes) {
			// A rule may name a question other than the one saved.
			parts = append(parts, web.RuleNotes(q.Key, notes, true))
		}
	}
	return parts
}

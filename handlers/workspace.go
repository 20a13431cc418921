package handlers

import (
	"fmt"
	"net/http"
	"time"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// workspace is an assessment loaded for a request: what is stored, the
// template version it is pinned to, and its evaluation.
type workspace struct {
	stored   *store.State         // what is stored, as the signed-in user sees it
	template *assessment.Template // the version the assessment is pinned to
	input    assessment.Input     // the stored answers decoded for the engine
	result   *assessment.Result   // the evaluation of input
}

// loadWorkspace loads the assessment named in the path, for the signed-in
// user; another organisation's assessment is a 404.
func (h *handler) loadWorkspace(r *http.Request) (*workspace, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	st, err := h.store.AssessmentState(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		return nil, err
	}
	return h.newWorkspace(st)
}

// mayEdit says why the signed-in user may not change the assessment's
// answers, checkpoints, evidence or name (store.ErrArchived,
// store.ErrForbidden), or nil when they may.
func (ws *workspace) mayEdit() error {
	switch {
	case ws.stored.Archived():
		return store.ErrArchived
	case !ws.stored.CanEdit:
		return store.ErrForbidden
	}
	return nil
}

// loadForSave loads what saving one field needs before the save: the
// assessment's row (which says whether the user may edit it) and its
// template. The save reads the items under the assessment's row lock and
// leaves them in ws, so an autosave reads them once.
func (h *handler) loadForSave(r *http.Request) (*workspace, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	a, err := h.store.Assessment(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		return nil, err
	}
	return h.newWorkspace(&store.State{Assessment: a})
}

// newWorkspace evaluates a loaded state with its template.
func (h *handler) newWorkspace(st *store.State) (*workspace, error) {
	tpl, ok := h.catalog.Template(st.TemplateID, st.TemplateVersion)
	if !ok {
		return nil, fmt.Errorf("assessment %d: template %s version %d is not in this build", st.ID, st.TemplateID, st.TemplateVersion)
	}
	ws := &workspace{stored: st, template: tpl}
	ws.evaluate()
	return ws, nil
}

// evaluate recomputes the evaluation from the stored state.
func (ws *workspace) evaluate() {
	ws.input = ws.stored.Input(ws.template)
	ws.result = ws.template.Evaluate(ws.input)
}

// loadPhase loads the assessment (loadWorkspace) and finds the phase named
// in the path.
func (h *handler) loadPhase(r *http.Request) (*workspace, *assessment.Phase, error) {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return nil, nil, err
	}
	p, err := ws.phase(r)
	if err != nil {
		return nil, nil, err
	}
	return ws, p, nil
}

// phase returns the phase named in the path.
func (ws *workspace) phase(r *http.Request) (*assessment.Phase, error) {
	p, ok := ws.template.Phase(r.PathValue("key"))
	if !ok {
		return nil, errNotFound
	}
	return p, nil
}

// base is the address of the assessment.
func (ws *workspace) base() string { return "/assessments/" + itoa(ws.stored.ID) }

func (ws *workspace) phaseHref(key string) string { return ws.base() + "/phases/" + key }

// fieldHref links to the field an issue is about.
func (ws *workspace) fieldHref(is *assessment.Issue) string {
	switch {
	case is.Question != "":
		return ws.phaseHref(is.Phase) + "#q-" + is.Question
	case is.Checkpoint != "":
		return ws.phaseHref(is.Phase) + "#c-" + is.Checkpoint
	}
	return ws.phaseHref(is.Phase)
}

func (ws *workspace) issueLinks(issues []*assessment.Issue) []web.Link {
	links := make([]web.Link, len(issues))
	for i, is := range issues {
		links[i] = web.Link{Text: ws.issueText(is), Href: ws.fieldHref(is)}
	}
	return links
}

// issueText says an issue as the page shows the item: a missing answer by
// its question's prompt and an unconfirmed checkpoint by its text, not by
// the short labels the domain's messages use ("'months live' is required").
func (ws *workspace) issueText(is *assessment.Issue) string {
	switch is.Kind {
	case assessment.IssueRequired:
		if q, ok := ws.template.Question(is.Question); ok && q.Prompt != "" {
			return is.Phase + ": answer “" + q.Prompt + "”"
		}
	case assessment.IssueCheckpoint:
		if c, ok := ws.template.Checkpoint(is.Checkpoint); ok && c.Text != "" {
			return is.Phase + ": confirm “" + c.Text + "”"
		}
	}
	return is.Message
}

// statusView names a phase status for people.
func statusView(s assessment.Status) web.Status {
	v := web.Status{Key: string(s)}
	switch s {
	case assessment.StatusLocked:
		v.Label = "Locked"
	case assessment.StatusOpen:
		v.Label, v.Class = "Open", "info"
	case assessment.StatusInProgress:
		v.Label, v.Class = "In progress", "info"
	case assessment.StatusComplete:
		v.Label, v.Class = "Complete", "ok"
	case assessment.StatusSubmitted:
		v.Label, v.Class = "Submitted for review", "warn"
	case assessment.StatusApproved:
		v.Label, v.Class = "Approved", "ok"
	case assessment.StatusChangesRequested:
		v.Label, v.Class = "Changes requested", "danger"
	case assessment.StatusNotApplicable:
		v.Label = "Not applicable"
	}
	return v
}

func progressView(pr *assessment.PhaseResult) web.Progress {
	return web.Progress{Required: pr.Required, Answered: pr.Answered, Checkpoints: pr.Checkpoints, Confirmed: pr.Confirmed, Score: pr.Score}
}

// saved describes who saved an item last.
func saved(by string, at time.Time, just bool) *web.SavedState {
	if at.IsZero() {
		return nil
	}
	at = at.UTC()
	return &web.SavedState{By: by, At: at.Format(time.RFC3339), Time: web.FormatTime(at), Just: just}
}

// currentLink is the first phase someone can work on.
func (ws *workspace) currentLink() *web.Link {
	return currentLink(ws.base(), ws.template, ws.result.Current())
}

// currentLink links to the phase cur of the assessment at base, nil for "".
func currentLink(base string, tpl *assessment.Template, cur string) *web.Link {
	p, ok := tpl.Phase(cur)
	if !ok {
		return nil
	}
	return &web.Link{Text: p.Key + " " + p.Title, Href: base + "/phases/" + cur}
}

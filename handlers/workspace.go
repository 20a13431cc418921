package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// workspace is an assessment loaded for a request: what is stored, its
// template and its evaluation. Its items and evaluation may be shared with
// other requests through the workspace cache: code changes a workspace only
// by replacing st, in or res, never what they point to.
type workspace struct {
	st  *store.State
	tpl *assessment.Template
	in  assessment.Input
	res *assessment.Result
}

// loadWorkspace loads the assessment named in the path, for the signed-in
// user; another organisation's assessment is a 404.
//
// When the workspace cache has a copy of the assessment, only its row is
// read, and the copy is used if it is at the row's revision.
func (h *handler) loadWorkspace(r *http.Request) (*workspace, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	ctx, actor := r.Context(), userFrom(r.Context()).ID
	var st *store.State
	if h.workspaces.has(id) {
		a, err := h.store.Assessment(ctx, actor, id)
		if err != nil {
			return nil, err
		}
		tpl, err := h.template(a)
		if err != nil {
			return nil, err
		}
		if ws, ok := h.workspaces.get(a, tpl); ok {
			return ws, nil
		}
		if st, err = h.store.StateOf(ctx, actor, a); err != nil {
			return nil, err
		}
	} else if st, err = h.store.AssessmentState(ctx, actor, id); err != nil {
		return nil, err
	}
	tpl, err := h.template(st.Assessment)
	if err != nil {
		return nil, err
	}
	ws := &workspace{st: st, tpl: tpl}
	ws.evaluate()
	h.workspaces.put(*ws) // a copy: the request may replace ws's fields
	return ws, nil
}

// template returns the template version the assessment is pinned to.
func (h *handler) template(a store.Assessment) (*assessment.Template, error) {
	tpl, ok := h.catalog.Template(a.TemplateID, a.TemplateVersion)
	if !ok {
		return nil, fmt.Errorf("assessment %d: template %s version %d is not in this build", a.ID, a.TemplateID, a.TemplateVersion)
	}
	return tpl, nil
}

// loadAssessment loads only the row of the assessment named in the path,
// and its template: enough to check a change, which the store then makes
// against the full state.
func (h *handler) loadAssessment(r *http.Request) (*store.Assessment, *assessment.Template, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	a, err := h.store.Assessment(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		return nil, nil, err
	}
	tpl, err := h.template(a)
	if err != nil {
		return nil, nil, err
	}
	return &a, tpl, nil
}

// evaluateWithout evaluates the state as it was before one answer changed
// from prev, for what the change made appear or disappear.
func (ws *workspace) evaluateWithout(key string, prev store.Answer) *assessment.Result {
	in := ws.in
	in.Answers = make(map[string]assessment.Value, len(ws.in.Answers))
	for k, v := range ws.in.Answers {
		in.Answers[k] = v
	}
	delete(in.Answers, key)
	if q, ok := ws.tpl.Question(key); ok && prev.Value != "" {
		if v, err := q.DecodeShared(prev.Value); err == nil {
			in.Answers[key] = v
		}
	}
	return ws.tpl.Evaluate(in)
}

// evaluate recomputes the evaluation from the stored state.
func (ws *workspace) evaluate() {
	ws.in = ws.st.Input(ws.tpl)
	ws.res = ws.tpl.Evaluate(ws.in)
}

// phase returns the phase named in the path.
func (ws *workspace) phase(r *http.Request) (*assessment.Phase, error) {
	p, ok := ws.tpl.Phase(r.PathValue("key"))
	if !ok {
		return nil, errNotFound
	}
	return p, nil
}

// base is the address of the assessment.
func (ws *workspace) base() string { return "/assessments/" + itoa(ws.st.ID) }

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
		links[i] = web.Link{Text: is.Message, Href: ws.fieldHref(is)}
	}
	return links
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

// waitingOn says whose move it is, in words.
func (ws *workspace) waitingOn() string {
	for i, p := range ws.tpl.Phases {
		pr := &ws.res.Phases[i]
		switch pr.Status {
		case assessment.StatusSubmitted:
			return "Advisor: review phase " + p.Key
		case assessment.StatusChangesRequested:
			return "Program manager: make the changes asked for in phase " + p.Key
		}
	}
	cur := ws.res.Current()
	if cur == "" {
		return "Nobody: every phase is done"
	}
	pr, _ := ws.res.Phase(cur)
	if pr.Complete && ws.st.SignOff {
		return "Program manager: submit phase " + cur + " for review"
	}
	return "Program manager: complete phase " + cur
}

// currentLink is the first phase someone can work on.
func (ws *workspace) currentLink() *web.Link {
	cur := ws.res.Current()
	if cur == "" {
		return nil
	}
	p, _ := ws.tpl.Phase(cur)
	return &web.Link{Text: p.Key + " " + p.Title, Href: ws.phaseHref(cur)}
}

// row is the assessment as lists show it.
func (ws *workspace) row() web.AssessmentRow {
	row := web.AssessmentRow{
		ID: ws.st.ID, Name: ws.st.Name, OrgName: ws.st.OrganisationName,
		Template: fmt.Sprintf("%s, version %d", ws.tpl.Title, ws.tpl.Version),
		Score:    ws.res.Score, Waiting: ws.waitingOn(),
		LastActivity: web.StampOf(ws.st.UpdatedAt), LastBy: ws.st.UpdatedBy,
	}
	if l := ws.currentLink(); l != nil {
		row.Current, row.CurrentHref = l.Text, l.Href
	}
	return row
}

// storeErr maps store errors of a change to HTTP: a visible but read-only
// assessment is 403; gating and validation are the caller's to show.
func storeErr(err error) error {
	if errors.Is(err, store.ErrForbidden) {
		return &httpError{status: http.StatusForbidden, msg: "You can read this assessment, but only its organisation's program managers can change it.", err: err}
	}
	return err
}

// gateMessage says in words why a change was refused by gating.
func gateMessage(g *store.GateError) string {
	switch {
	case errors.Is(g.Err, assessment.ErrLocked):
		var b strings.Builder
		b.WriteString("Not saved: phase " + g.Phase + " is locked until earlier phases are complete")
		if len(g.Blockers) > 0 {
			b.WriteString(" (" + g.Blockers[0].Message)
			if len(g.Blockers) > 1 {
				fmt.Fprintf(&b, ", and %d more", len(g.Blockers)-1)
			}
			b.WriteString(")")
		}
		return b.String() + "."
	case errors.Is(g.Err, assessment.ErrWaived):
		return "Not saved: phase " + g.Phase + " is marked not applicable."
	}
	return "Not saved: " + g.Err.Error() + "."
}

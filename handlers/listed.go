package handlers

import (
	"fmt"
	"net/http"
	"slices"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// listed is an assessment as lists show it: its row, its template and its
// progress (readiness and each phase's status).
type listed struct {
	store.Assessment
	tpl      *assessment.Template
	progress assessment.Progress
}

// listAssessments returns a page of the assessments the user can see, and
// whether more follow. Their progress is the one kept with each
// (store.Assessment.Progress): a list reads rows and evaluates nothing.
// Rows without one (from before it was kept, until the server's start has
// computed it) are loaded together, in one more round trip, and evaluated.
func (h *handler) listAssessments(r *http.Request, opt store.ListOptions) ([]listed, bool, error) {
	uid := userFrom(r.Context()).ID
	list, more, err := h.store.Assessments(r.Context(), uid, opt)
	if err != nil {
		return nil, false, err
	}
	out := make([]listed, 0, len(list))
	var missing []int64
	for _, a := range list {
		tpl, ok := h.catalog.Template(a.TemplateID, a.TemplateVersion)
		if !ok {
			continue // a template this build does not have
		}
		l := listed{Assessment: a, tpl: tpl}
		if a.Progress != nil && len(a.Progress.Phases) == len(tpl.Phases) {
			l.progress = *a.Progress
		} else {
			missing = append(missing, a.ID)
		}
		out = append(out, l)
	}
	if len(missing) == 0 {
		return out, more, nil
	}
	states, err := h.store.AssessmentStates(r.Context(), uid, missing)
	if err != nil {
		return nil, false, err
	}
	evaluated := make(map[int64]assessment.Progress, len(states))
	for _, st := range states {
		if tpl, ok := h.catalog.Template(st.TemplateID, st.TemplateVersion); ok {
			evaluated[st.ID] = tpl.Evaluate(st.Input(tpl)).Progress()
		}
	}
	kept := out[:0]
	for _, l := range out {
		if slices.Contains(missing, l.ID) {
			p, ok := evaluated[l.ID]
			if !ok {
				continue // gone since the list was read
			}
			l.progress = p
		}
		kept = append(kept, l)
	}
	return kept, more, nil
}

// row is the assessment as the dashboard and /assessments show it.
func (l listed) row() web.AssessmentRow {
	base := "/assessments/" + itoa(l.ID)
	row := web.AssessmentRow{
		ID: l.ID, Name: l.Name, OrgName: l.OrganisationName,
		Template: fmt.Sprintf("%s, version %d", l.tpl.Title, l.tpl.Version),
		Score:    l.progress.Score, Waiting: waitingOn(l.progress, l.SignOff),
		LastActivity: web.StampOf(l.UpdatedAt), LastBy: l.UpdatedBy,
		Archived: archivedWords(l.Assessment),
	}
	if link := currentLink(base, l.tpl, l.progress.Current()); link != nil {
		row.Current, row.CurrentHref = link.Text, link.Href
	}
	return row
}

// waitingOn says whose move it is, in words.
func waitingOn(p assessment.Progress, signOff bool) string {
	for _, ph := range p.Phases {
		switch ph.Status {
		case assessment.StatusSubmitted:
			return "Advisor: review phase " + ph.Key
		case assessment.StatusChangesRequested:
			return "Program manager: make the changes asked for in phase " + ph.Key
		}
	}
	cur := p.Current()
	if cur == "" {
		return "Nobody: every phase is done"
	}
	if ph, _ := p.Phase(cur); ph.Complete && signOff {
		return "Program manager: submit phase " + cur + " for review"
	}
	return "Program manager: complete phase " + cur
}

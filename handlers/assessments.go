package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// assessments lists the assessments the user can see, with the form to
// start one for program managers.
func (h *handler) assessments(w http.ResponseWriter, r *http.Request) error {
	return h.renderAssessments(w, r, http.StatusOK, web.Form{})
}

func (h *handler) renderAssessments(w http.ResponseWriter, r *http.Request, status int, form web.Form) error {
	u := userFrom(r.Context())
	page := pageNumber(r.URL.Query())
	archived := r.URL.Query().Get("archived") == "1"
	rows, more, err := h.assessmentRows(r, store.ListOptions{Limit: assessmentsPage, Offset: (page - 1) * assessmentsPage, Archived: archived})
	if err != nil {
		return err
	}
	v := web.AssessmentsView{Assessments: rows, CanCreate: u.Role == store.RoleManager, Form: form, Pager: pagerFor(r.URL, page, more), Archived: archived}
	if v.CanCreate {
		platform, err := h.orgPlatform(r)
		if err != nil {
			return err
		}
		for _, t := range h.catalog.Templates() {
			if latest, _ := h.catalog.Latest(t.ID); latest != t || !moves(platform, t) {
				continue // new assessments start on the latest version, of what the organisation moves
			}
			v.Templates = append(v.Templates, web.TemplateChoice{
				Value: t.ID + "@" + strconv.Itoa(t.Version), Title: t.Title, Description: t.Description, Phases: len(t.Phases),
			})
		}
		if platform != "both" {
			v.TemplatesFor = store.PlatformLabel(platform)
		}
	}
	if v.Form.Values == nil && len(v.Templates) > 0 {
		v.Form.Values = map[string]string{"template": v.Templates[0].Value}
	}
	v.Form.Order = []string{"template", "name"}
	title := "Assessments"
	if archived {
		title = "Archived assessments"
	}
	return h.render(w, r, status, web.AssessmentsPage(h.page(r, title, "assessments"), v))
}

// orgPlatform is what the signed-in manager's organisation moves:
// "commcare", "opencrvs" or "both".
func (h *handler) orgPlatform(r *http.Request) (string, error) {
	u := userFrom(r.Context())
	o, err := h.store.Organisation(r.Context(), u.ID, u.OrganisationID)
	if err != nil {
		return "", err
	}
	return o.Platform, nil
}

// moves reports whether an organisation moving platform may start an
// assessment on t.
func moves(platform string, t *assessment.Template) bool {
	return platform == "both" || platform == string(t.Platform)
}

// assessmentsPage is how many assessments one page of /assessments shows.
const assessmentsPage = 24

// assessmentRows is a page of the assessments the user can see, as lists
// show them, most recently active first; and whether more follow.
func (h *handler) assessmentRows(r *http.Request, opt store.ListOptions) ([]web.AssessmentRow, bool, error) {
	list, more, err := h.listAssessments(r, opt)
	if err != nil {
		return nil, false, err
	}
	rows := make([]web.AssessmentRow, len(list))
	for i, l := range list {
		rows[i] = l.row()
	}
	return rows, more, nil
}

// createAssessment starts an assessment pinned to the chosen template
// version, and opens it.
func (h *handler) createAssessment(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r.Context()).Role != store.RoleManager {
		return withCode(http.StatusForbidden, "Only program managers can start assessments.", nil)
	}
	form := web.Form{Values: formValues(r, "template", "name", "sign_off"), Errors: map[string]string{}}
	id, version, _ := strings.Cut(form.Values["template"], "@")
	n, _ := strconv.Atoi(version)
	var tpl *assessment.Template
	var tplErr string
	// Only what the form offers: the latest version of each template.
	// Older ones stay for the assessments pinned to them.
	t, ok := h.catalog.Template(id, n)
	latest, _ := h.catalog.Latest(id)
	platform, err := h.orgPlatform(r)
	if err != nil {
		return err
	}
	switch {
	case !ok:
		tplErr = "Choose what you are moving."
	case !moves(platform, t):
		tplErr = "Your organisation moves " + store.PlatformLabel(platform) + ": choose one of its templates (an administrator can change what it moves)."
	case t != latest:
		tplErr = fmt.Sprintf("Version %d of this template is kept only for the assessments that use it; new assessments start on version %d. Choose again.", t.Version, latest.Version)
	default:
		tpl = t
	}
	na := store.NewAssessment{Name: form.Values["name"], SignOff: form.Values["sign_off"] == "on"}
	if tpl != nil {
		na.TemplateID, na.TemplateVersion, na.TemplateTitle = tpl.ID, tpl.Version, tpl.Title
		p := tpl.Evaluate(assessment.Input{SignOff: na.SignOff}).Progress() // nothing done yet
		na.Progress = &p
	}
	a, err := h.store.CreateAssessment(r.Context(), userFrom(r.Context()).ID, na)
	if errors.Is(err, store.ErrForbidden) {
		return withCode(http.StatusForbidden, "Only program managers can start assessments.", err)
	}
	if fieldErrors(err, &form) || tplErr != "" {
		if tplErr != "" {
			form.Errors["template"] = tplErr
		}
		return h.renderAssessments(w, r, http.StatusUnprocessableEntity, form)
	}
	if err != nil {
		return err
	}
	h.setFlash(w, fmt.Sprintf("“%s” has started. Phase %s is open.", a.Name, tpl.Phases[0].Key))
	return redirect(w, r, "/assessments/"+itoa(a.ID))
}

// overview shows an assessment's phases with their status and blockers,
// and its action list.
func (h *handler) overview(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	av, err := h.actionsView(r.Context(), ws)
	if err != nil {
		return err
	}
	return h.renderOverview(w, r, http.StatusOK, ws, av, web.Form{})
}

// assessmentRename gives the assessment the form's name and goes back to
// its overview; a refused name is shown there, beside the field.
func (h *handler) assessmentRename(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	if err := ws.mayEdit(); err != nil {
		return err
	}
	form := web.Form{Values: formValues(r, "name"), Errors: map[string]string{}, Order: []string{"name"}}
	old, name, err := h.store.RenameAssessment(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, form.Values["name"])
	if fieldErrors(err, &form) {
		av, err := h.actionsView(r.Context(), ws)
		if err != nil {
			return err
		}
		return h.renderOverview(w, r, http.StatusUnprocessableEntity, ws, av, form)
	}
	if err != nil {
		return err
	}
	if name == old {
		h.setFlash(w, fmt.Sprintf("The name stays “%s”: it is what you typed.", name))
	} else {
		h.setFlash(w, fmt.Sprintf("Renamed “%s” to “%s”.", old, name))
	}
	return redirect(w, r, ws.base())
}

// assessmentArchive archives the assessment (program managers): it
// becomes read only and leaves the lists until restored.
func (h *handler) assessmentArchive(w http.ResponseWriter, r *http.Request) error {
	return h.setArchived(w, r, true)
}

// assessmentRestore brings an archived assessment back into use.
func (h *handler) assessmentRestore(w http.ResponseWriter, r *http.Request) error {
	return h.setArchived(w, r, false)
}

func (h *handler) setArchived(w http.ResponseWriter, r *http.Request, archive bool) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	if !ws.stored.CanArchive {
		return withCode(http.StatusForbidden, "Only the organisation's program managers can archive or restore its assessments.", store.ErrForbidden)
	}
	waiting := 0
	for _, rv := range ws.stored.Reviews {
		if rv.State == assessment.ReviewSubmitted {
			waiting++
		}
	}
	if err := h.store.ArchiveAssessment(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, archive); err != nil {
		return err
	}
	switch {
	case !archive && !ws.stored.Archived():
		h.setFlash(w, fmt.Sprintf("“%s” is in use: there was nothing to restore.", ws.stored.Name))
	case !archive:
		h.setFlash(w, fmt.Sprintf("“%s” is restored: it can be changed again, and it is back in the lists.", ws.stored.Name))
	case ws.stored.Archived():
		h.setFlash(w, fmt.Sprintf("“%s” was archived already.", ws.stored.Name))
	case waiting == 1:
		h.setFlash(w, fmt.Sprintf("“%s” is archived. 1 phase waiting for review was withdrawn; submit it again after restoring the assessment.", ws.stored.Name))
	case waiting > 1:
		h.setFlash(w, fmt.Sprintf("“%s” is archived. %d phases waiting for review were withdrawn; submit them again after restoring the assessment.", ws.stored.Name, waiting))
	default:
		h.setFlash(w, fmt.Sprintf("“%s” is archived.", ws.stored.Name))
	}
	return redirect(w, r, ws.base())
}

// archivedWords says when and by whom an assessment was archived, or ""
// while it is in use.
func archivedWords(a store.Assessment) string {
	if !a.Archived() {
		return ""
	}
	s := "on " + web.FormatDate(a.ArchivedAt)
	if a.ArchivedBy != "" {
		s += " by " + a.ArchivedBy
	}
	return s
}

// renderOverview renders the overview with its action list and rename
// form as given (a refused save keeps what was typed in it).
func (h *handler) renderOverview(w http.ResponseWriter, r *http.Request, status int, ws *workspace, av web.ActionsView, rename web.Form) error {
	cur := ws.result.Current()
	v := web.OverviewView{
		ID: ws.stored.ID, Name: ws.stored.Name, OrgName: ws.stored.OrganisationName, OrgSlug: ws.stored.OrganisationSlug,
		TemplateTitle: fmt.Sprintf("%s, version %d", ws.template.Title, ws.template.Version),
		TemplateHref:  fmt.Sprintf("/templates/%s?version=%d", ws.template.ID, ws.template.Version),
		SignOff:       ws.stored.SignOff, Score: ws.result.Score, CanEdit: ws.stored.CanEdit,
		LastActivity: web.StampOf(ws.stored.UpdatedAt), LastBy: ws.stored.UpdatedBy,
		Current: ws.currentLink(), ExportHref: ws.base() + "/export.json", Actions: av,
		PDF: h.pdfDownload(ws.base()), Rename: rename,
		CanArchive: ws.stored.CanArchive, Archived: archivedWords(ws.stored.Assessment),
	}
	if !rename.HasErrors() {
		rename.Values = map[string]string{"name": ws.stored.Name}
		v.Rename = rename
	}
	next := nextToOpen(ws.result)
	for i, p := range ws.template.Phases {
		pr := &ws.result.Phases[i]
		step := web.PhaseStep{
			Key: p.Key, Title: p.Title, Optional: p.Optional, Status: statusView(pr.Status),
			Progress: progressView(pr), Href: ws.phaseHref(p.Key), Current: p.Key == cur,
		}
		switch {
		case pr.Status != assessment.StatusLocked:
		case p.Key == next:
			step.Blockers = ws.issueLinks(ws.result.Blockers(p.Key))
		default:
			step.OpensAfter = opensAfter(ws, p.Key)
		}
		v.Steps = append(v.Steps, step)
	}
	return h.render(w, r, status, web.OverviewPage(h.page(r, ws.stored.Name, "assessments"), v))
}

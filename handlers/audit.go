package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"groundwork/store"
	"groundwork/web"
)

// assessmentAudit is one assessment's audit trail, for everyone who can
// see the assessment: every change, filterable by kind, person, phase and
// dates, newest first, a page at a time.
func (h *handler) assessmentAudit(w http.ResponseWriter, r *http.Request) error {
	a, f, form, err := h.assessmentAuditFilter(r)
	if err != nil {
		return err
	}
	actor := userFrom(r.Context()).ID
	f.Limit = auditPageSize + 1
	events, err := h.store.Events(r.Context(), actor, f)
	if err != nil {
		return err
	}
	people, err := h.store.EventActors(r.Context(), actor, a.ID)
	if err != nil {
		return err
	}
	tpl, _ := h.catalog.Template(a.TemplateID, a.TemplateVersion)
	path := "/assessments/" + itoa(a.ID) + "/audit"
	v := h.auditView(path, f, form, events)
	v.AssessmentName, v.AssessmentHref = a.Name, "/assessments/"+itoa(a.ID)
	v.Kinds = kindOptions(assessmentKinds, form.Values["kind"])
	v.People = []web.Option{{Value: "", Label: "Anyone"}}
	for _, p := range people {
		v.People = append(v.People, web.Option{Value: itoa(p.ID), Label: p.Name + " (" + p.Email + ")"})
	}
	v.Phases = []web.Option{{Value: "", Label: "All phases"}}
	for _, p := range tpl.Phases {
		v.Phases = append(v.Phases, web.Option{Value: p.Key, Label: p.Key + " " + p.Title})
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	return h.render(w, r, status, web.AuditPage(h.page(r, "Audit trail · "+a.Name, "assessments"), v))
}

// assessmentAuditCSV is the same list, every page of it, as a CSV file.
func (h *handler) assessmentAuditCSV(w http.ResponseWriter, r *http.Request) error {
	a, f, form, err := h.assessmentAuditFilter(r)
	if err != nil {
		return err
	}
	if form.HasErrors() {
		return auditPageAgain(w, r)
	}
	f.Limit = maxCSVEvents + 1
	events, err := h.store.Events(r.Context(), userFrom(r.Context()).ID, f)
	if err != nil {
		return err
	}
	return h.sendAuditCSV(w, fmt.Sprintf("audit-assessment-%d.csv", a.ID), events)
}

// assessmentAuditFilter loads the assessment in the path (404 for those
// who cannot see it) and reads the page's filters; a phase picks the
// events of the phase, its questions and its checkpoints.
func (h *handler) assessmentAuditFilter(r *http.Request) (store.Assessment, store.EventFilter, web.Form, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return store.Assessment{}, store.EventFilter{}, web.Form{}, err
	}
	a, err := h.store.Assessment(r.Context(), userFrom(r.Context()).ID, id)
	if err != nil {
		return store.Assessment{}, store.EventFilter{}, web.Form{}, err
	}
	tpl, ok := h.catalog.Template(a.TemplateID, a.TemplateVersion)
	if !ok {
		return store.Assessment{}, store.EventFilter{}, web.Form{}, fmt.Errorf("assessment %d: template %s version %d is not in this build", a.ID, a.TemplateID, a.TemplateVersion)
	}
	f, form := readAuditFilter(r, "kind", "person", "phase", "from", "to")
	f.AssessmentID = a.ID
	if key := form.Values["phase"]; key != "" {
		p, ok := tpl.Phase(key)
		if !ok {
			form.Errors["phase"] = "Choose a phase from the list."
		} else {
			f.Items = []string{p.Key}
			for _, q := range p.Questions {
				f.Items = append(f.Items, q.Key)
			}
			for _, c := range p.Checkpoints {
				f.Items = append(f.Items, c.Key)
			}
		}
	}
	return a, f, form, nil
}

// auditPageAgain answers a CSV asked for with filters the audit trail
// refuses: the audit trail's page, with the same filters, says beside each
// field what is wrong, and offers the download again once they are fixed.
func auditPageAgain(w http.ResponseWriter, r *http.Request) error {
	to := strings.TrimSuffix(r.URL.Path, ".csv")
	if r.URL.RawQuery != "" {
		to += "?" + r.URL.RawQuery
	}
	return redirect(w, r, to)
}

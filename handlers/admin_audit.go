package handlers

import (
	"net/http"
	"time"

	"groundwork/web"
)

// adminAudit is the whole audit trail, for administrators: assessment
// changes and account and organisation changes alike, filterable by kind,
// person, organisation and dates, newest first, a page at a time.
func (h *handler) adminAudit(w http.ResponseWriter, r *http.Request) error {
	actor := userFrom(r.Context()).ID
	f, form := readAuditFilter(r, "kind", "person", "org", "from", "to")
	f.Limit = auditPageSize + 1
	events, err := h.store.Events(r.Context(), actor, f)
	if err != nil {
		return err
	}
	users, err := h.store.Users(r.Context(), actor)
	if err != nil {
		return err
	}
	orgs, err := h.store.Organisations(r.Context(), actor)
	if err != nil {
		return err
	}
	v := h.auditView("/admin/audit", f, form, events)
	v.Kinds = kindOptions(append(append([]string{}, assessmentKinds...), accountKinds...), form.Values["kind"])
	v.People = []web.Option{{Value: "", Label: "Anyone"}}
	for _, u := range users {
		v.People = append(v.People, web.Option{Value: itoa(u.ID), Label: u.Name + " (" + u.Email + ")"})
	}
	v.Orgs = []web.Option{{Value: "", Label: "All organisations"}}
	for _, o := range orgs {
		v.Orgs = append(v.Orgs, web.Option{Value: itoa(o.ID), Label: o.Name})
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	return h.render(w, r, status, web.AuditPage(h.page(r, "Audit trail", "admin-audit"), v))
}

// adminAuditCSV is the same list, every page of it, as a CSV file.
func (h *handler) adminAuditCSV(w http.ResponseWriter, r *http.Request) error {
	f, form := readAuditFilter(r, "kind", "person", "org", "from", "to")
	if form.HasErrors() {
		return auditPageAgain(w, r)
	}
	f.Limit = maxCSVEvents + 1
	events, err := h.store.Events(r.Context(), userFrom(r.Context()).ID, f)
	if err != nil {
		return err
	}
	return h.sendAuditCSV(w, "audit-"+time.Now().UTC().Format(time.DateOnly)+".csv", events)
}

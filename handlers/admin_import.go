package handlers

import (
	"errors"
	"net/http"

	"groundwork/store"
	"groundwork/web"
)

// importLimit bounds an import upload: an evidence pack holds every
// evidence file of an assessment (each up to store.MaxEvidenceBytes).
const importLimit = 200 << 20

// importTooLarge is the message for a larger file, from the server or,
// before sending, the page.
var importTooLarge = "The file is larger than " + byteSize(importLimit) + ", the most an import takes."

// adminImport shows the form that imports an assessment exported by
// another Groundwork instance.
func (h *handler) adminImport(w http.ResponseWriter, r *http.Request) error {
	return h.renderAdminImport(w, r, http.StatusOK, web.Form{})
}

func (h *handler) renderAdminImport(w http.ResponseWriter, r *http.Request, status int, form web.Form) error {
	return h.renderAdminImportWith(w, r, status, form, nil)
}

// renderAdminImportWith renders the import form; dup, when set, is the
// organisation's earlier import of the same assessment, which the page
// links to, offering to import it again.
func (h *handler) renderAdminImportWith(w http.ResponseWriter, r *http.Request, status int, form web.Form, dup *store.AlreadyImported) error {
	orgs, err := h.store.OrganisationNames(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	options := make([]web.Option, 0, len(orgs)+1)
	options = append(options, web.Option{Value: "", Label: "Choose an organisation"})
	for _, o := range orgs {
		options = append(options, web.Option{Value: itoa(o.ID), Label: o.Name})
	}
	form.Order = []string{"file", "organisation"}
	v := web.AdminImportView{Form: form, Organisations: options, HasOrganisations: len(orgs) > 0,
		Limit: byteSize(importLimit), LimitBytes: importLimit, TooLarge: importTooLarge, EvidenceLimit: byteSize(store.MaxEvidenceBytes),
		OfferAgain: dup != nil || form.Values["again"] == "on"}
	if dup != nil {
		v.Earlier = &web.Link{Text: dup.Name, Href: "/assessments/" + itoa(dup.ID)}
	}
	return h.render(w, r, status, web.AdminImportPage(h.page(r, "Import an assessment", "admin-orgs"), v))
}

// adminImportPost imports an assessment's export.json or evidence pack
// into the organisation chosen: all of it, or, refused, nothing.
func (h *handler) adminImportPost(w http.ResponseWriter, r *http.Request) error {
	file, header, fileErr := r.FormFile("file")
	form := web.Form{Values: map[string]string{"organisation": r.PostFormValue("organisation"), "again": r.PostFormValue("again")}, Errors: map[string]string{}}
	org, orgErr := pathID(form.Values["organisation"])
	if orgErr != nil {
		form.Errors["organisation"] = "Choose the organisation the assessment moves into."
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(fileErr, &tooLarge):
		form.Errors["file"] = importTooLarge
	case errors.Is(fileErr, http.ErrMissingFile):
		form.Errors["file"] = "Choose the assessment's export.json or its evidence pack (evidence.zip)."
	case fileErr != nil:
		form.Errors["file"] = "The upload could not be read. Try again."
	}
	if fileErr == nil {
		defer file.Close()
	}
	if form.HasErrors() {
		return h.renderAdminImport(w, r, http.StatusUnprocessableEntity, form)
	}
	im, tpl, err := h.readImport(file, header.Size)
	if err == nil {
		// Into an organisation that moves the other platform: refused, as
		// starting one there is (an unknown organisation is met below).
		if o, oerr := h.store.Organisation(r.Context(), userFrom(r.Context()).ID, org); oerr == nil && !moves(o.Platform, tpl) {
			form.Errors["organisation"] = o.Name + " moves " + store.PlatformLabel(o.Platform) + ", and this assessment is on a template for " + store.PlatformLabel(string(tpl.Platform)) +
				". Choose an organisation that moves " + store.PlatformLabel(string(tpl.Platform)) + ", or change what " + o.Name + " moves on its page first."
			return h.renderAdminImport(w, r, http.StatusUnprocessableEntity, form)
		}
	}
	var dup *store.AlreadyImported
	if err == nil {
		im.OrganisationID, im.Again = org, form.Values["again"] == "on"
		var id int64
		id, err = h.store.ImportAssessment(r.Context(), userFrom(r.Context()).ID, tpl, im)
		if err == nil {
			name := im.Name // as kept: an import again is named apart, "… (copy)"
			if a, err := h.store.Assessment(r.Context(), userFrom(r.Context()).ID, id); err == nil {
				name = a.Name
			}
			msg := "“" + name + "” has been imported. Its audit trail says where it came from."
			if !im.ArchivedAt.IsZero() {
				msg = "“" + name + "” has been imported, archived as it was there: restore it to work on it. Its audit trail says where it came from."
			}
			h.setFlash(w, msg)
			return redirect(w, r, "/assessments/"+itoa(id))
		}
	}
	if msg, ok := importWords(err); ok {
		form.Errors["file"] = msg
	} else if errors.As(err, &dup) {
		form.Errors["file"] = "This organisation holds this assessment already (the original or an earlier import): “" + dup.Name + "”. To make a second copy, choose the file again and tick “Import it again as a new copy”."
		form.Values["again"] = ""
		return h.renderAdminImportWith(w, r, http.StatusConflict, form, dup)
	} else if errors.Is(err, store.ErrNotFound) {
		form.Errors["organisation"] = "That organisation does not exist (any more). Choose another."
	} else if !fieldErrors(err, &form) {
		return err
	}
	return h.renderAdminImport(w, r, http.StatusUnprocessableEntity, form)
}

package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"groundwork/assessment"
	"groundwork/assessment/sizing"
	"groundwork/web"
)

// templateShow shows one template version read-only, phase by phase, to
// anyone: advisors, and people deciding whether to start.
func (h *handler) templateShow(w http.ResponseWriter, r *http.Request) error {
	t, latest, err := findTemplate(h.catalog, r)
	if err != nil {
		return err
	}
	view := tplView(h.catalog, t, latest)
	title := t.Title
	if t != latest {
		title += ", version " + strconv.Itoa(t.Version)
	}
	return h.render(w, r, http.StatusOK, web.TemplatePage(h.page(r, title, "templates"), view))
}

// findTemplate returns the template the path names ({id}), in the version
// the query asks for (?version=N) or else its latest, and its latest.
func findTemplate(cat *assessment.Catalog, r *http.Request) (t, latest *assessment.Template, err error) {
	id := r.PathValue("id")
	latest, ok := cat.Latest(id)
	if !ok {
		return nil, nil, withCode(http.StatusNotFound, fmt.Sprintf("There is no template %q.", id), nil)
	}
	v := r.URL.Query().Get("version")
	if v == "" {
		return latest, latest, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return nil, nil, withCode(http.StatusBadRequest, "The version must be a whole number from 1, such as ?version=1.",
			&sizing.FieldError{Field: "version", Problem: "must be a whole number from 1, such as ?version=1"})
	}
	t, ok = cat.Template(id, n)
	if !ok {
		return nil, nil, withCode(http.StatusNotFound, fmt.Sprintf("Template %q has no version %d; the latest is version %d.", id, n, latest.Version), nil)
	}
	return t, latest, nil
}

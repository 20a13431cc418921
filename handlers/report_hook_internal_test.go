package handlers

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

// StandaloneReport serves the standalone report (reportDocument with
// standalone set, what headless Chromium prints) at
// /assessments/{id}/report, for the tests of package handlers_test.
func (p *Portal) StandaloneReport() http.Handler {
	r := chi.NewRouter()
	r.Use(p.h.authenticate, p.h.requireUser)
	r.Get("/assessments/{id}/report", p.h.wrap(func(w http.ResponseWriter, r *http.Request) error {
		_, body, err := p.h.reportDocument(r, true)
		if err != nil {
			return err
		}
		_, err = w.Write(body)
		return err
	}))
	return r
}

package handlers

import (
	"net/http"

	"groundwork/web"
)

// templateList lists the transition templates to anyone: the latest
// version of each, then the older versions kept for earlier assessments.
func (h *handler) templateList(w http.ResponseWriter, r *http.Request) error {
	var list web.TemplateList
	for _, t := range h.catalog.Templates() {
		latest, _ := h.catalog.Latest(t.ID)
		c := tplCard(t, latest)
		if c.Latest {
			list.Latest = append(list.Latest, c)
		} else {
			list.Older = append(list.Older, c)
		}
	}
	return h.render(w, r, http.StatusOK, web.TemplateListPage(h.page(r, "Transition templates", "templates"), list))
}

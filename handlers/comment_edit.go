package handlers

import (
	"errors"
	"net/http"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// commentEdit replaces the text of the signed-in user's own comment; the
// earlier text is kept.
func (h *handler) commentEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("comment"))
	if err != nil {
		return err
	}
	return h.commentAction(w, r, web.EditForm(id), func(ws *workspace, p *assessment.Phase) (string, string, error) {
		_, err := h.store.EditComment(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, p.Key, id, r.PostFormValue("comment"))
		if errors.Is(err, store.ErrForbidden) {
			err = withCode(http.StatusForbidden, "Only its author can edit a comment, while they may comment on this assessment.", err)
		}
		return "Comment updated. The earlier text is kept with it.", "cm-" + itoa(id), err
	})
}

package handlers

import (
	"bytes"
	"net/http"
	"time"

	"groundwork/web"
)

// static serves embedded assets under their content-hashed names. A name
// never changes meaning, so browsers may keep it for a year.
func (h *handler) static(w http.ResponseWriter, r *http.Request) {
	f, ok := web.Static(r.PathValue("file"))
	if !ok {
		h.fail(w, r, errNotFound)
		return
	}
	w.Header().Set("Content-Type", f.ContentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("ETag", f.ETag)
	http.ServeContent(w, r, f.Name, time.Time{}, bytes.NewReader(f.Body))
}

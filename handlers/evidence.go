package handlers

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"groundwork/assessment"
	"groundwork/store"
)

// evidenceTypes are the file types accepted as evidence, by extension,
// with the type they are served as and what their content must sniff as.
var evidenceTypes = map[string]struct{ ctype, sniff string }{
	".pdf":  {"application/pdf", "application/pdf"},
	".png":  {"image/png", "image/png"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".gif":  {"image/gif", "image/gif"},
	".webp": {"image/webp", "image/webp"},
	".txt":  {"text/plain; charset=utf-8", "text/plain"},
	".csv":  {"text/csv; charset=utf-8", "text/plain"},
	".md":   {"text/markdown; charset=utf-8", "text/plain"},
	".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
	".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/zip"},
	".odt":  {"application/vnd.oasis.opendocument.text", "application/zip"},
	".ods":  {"application/vnd.oasis.opendocument.spreadsheet", "application/zip"},
	".odp":  {"application/vnd.oasis.opendocument.presentation", "application/zip"},
	".doc":  {"application/msword", "application/octet-stream"},
	".xls":  {"application/vnd.ms-excel", "application/octet-stream"},
	".ppt":  {"application/vnd.ms-powerpoint", "application/octet-stream"},
}

// evidenceType checks a file by its extension and its content, and returns
// the type to store it with, or a message for the person.
func evidenceType(filename string, data []byte) (string, string) {
	t, ok := evidenceTypes[strings.ToLower(filepath.Ext(filename))]
	if !ok {
		return "", "This type of file is not accepted. Upload a PDF, an image, an office document or a text file."
	}
	sniffed, _, _ := strings.Cut(http.DetectContentType(data), ";")
	if sniffed != t.sniff && !(t.sniff == "application/octet-stream" && sniffed != "text/html") {
		return "", "The file's content does not match its name (" + filepath.Ext(filename) + "). Check that it is the right file."
	}
	return t.ctype, ""
}

// evidenceUpload stores a file as evidence of a checkpoint.
func (h *handler) evidenceUpload(w http.ResponseWriter, r *http.Request) error {
	return h.phaseAction(w, r, func(ws *workspace, p *assessment.Phase) (string, error) {
		c, ok := ws.template.Checkpoint(r.PathValue("checkpoint"))
		if !ok || c.PhaseKey() != p.Key {
			return "", errNotFound
		}
		if err := ws.mayEdit(); err != nil {
			return "", err
		}
		file, header, err := r.FormFile("file")
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			return "", store.ErrFileTooLarge
		case errors.Is(err, http.ErrMissingFile):
			return "", &fieldError{"file", "Choose a file to upload."}
		case err != nil:
			return "", badRequest("The upload could not be read.")
		}
		defer file.Close()
		data, err := io.ReadAll(io.LimitReader(file, store.MaxEvidenceBytes+1))
		if err != nil {
			return "", badRequest("The upload could not be read.")
		}
		if len(data) > store.MaxEvidenceBytes {
			return "", store.ErrFileTooLarge
		}
		ctype, msg := evidenceType(header.Filename, data)
		if msg != "" {
			return "", &fieldError{"file", msg}
		}
		ev, err := h.store.AddEvidence(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, c.Key, header.Filename, ctype, data)
		// The flash is plain text: U+2068 and U+2069 isolate the name there as
		// <bdi> does in the page, so bidi controls in it stay inside.
		return "Uploaded \u2068" + ev.Filename + "\u2069.", err
	})
}

// evidenceDownload serves an evidence file as an attachment with its
// stored type; the browser must not render or sniff it.
func (h *handler) evidenceDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	eid, err := pathID(r.PathValue("evidence"))
	if err != nil {
		return err
	}
	ev, data, err := h.store.EvidenceFile(r.Context(), userFrom(r.Context()).ID, id, eid)
	if err != nil {
		return err
	}
	hdr := w.Header()
	ctype := ev.ContentType
	if _, _, err := mime.ParseMediaType(ctype); err != nil {
		ctype = "application/octet-stream"
	}
	hdr.Set("Content-Type", ctype)
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Filename}))
	if hdr.Get("Content-Disposition") == "" {
		hdr.Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(ev.Filename))
	}
	hdr.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	hdr.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(data)
	return nil
}

// evidenceDelete removes an evidence file.
func (h *handler) evidenceDelete(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	if err := ws.mayEdit(); err != nil {
		return err // whether or not the file is still there
	}
	eid, err := pathID(r.PathValue("evidence"))
	if err != nil {
		return err
	}
	for key, list := range ws.stored.Evidence {
		for _, e := range list {
			if c, ok := ws.template.Checkpoint(key); ok && e.ID == eid {
				p, _ := ws.template.Phase(c.PhaseKey())
				return h.actOnPhase(w, r, ws, p, func(ws *workspace, p *assessment.Phase) (string, error) {
					return "The file has been removed.", h.store.DeleteEvidence(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, eid)
				})
			}
		}
	}
	return errNotFound
}

package handlers

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// loadCheckpoint loads the assessment with load and finds the phase and
// checkpoint named in the path.
func (h *handler) loadCheckpoint(r *http.Request, load func(*http.Request) (*workspace, error)) (*workspace, *assessment.Phase, *assessment.Checkpoint, error) {
	ws, err := load(r)
	if err != nil {
		return nil, nil, nil, err
	}
	p, err := ws.phase(r)
	if err != nil {
		return nil, nil, nil, err
	}
	c, ok := ws.template.Checkpoint(r.PathValue("checkpoint"))
	if !ok || c.PhaseKey() != p.Key {
		return nil, nil, nil, errNotFound
	}
	return ws, p, c, nil
}

// checkpointShow renders one checkpoint block as stored.
func (h *handler) checkpointShow(w http.ResponseWriter, r *http.Request) error {
	ws, p, c, err := h.loadCheckpoint(r, h.loadWorkspace)
	if err != nil {
		return err
	}
	readOnly := !ws.stored.CanEdit || ws.result.CheckEdit(p.Key) != nil
	return h.render(w, r, http.StatusOK, web.CheckpointBlock(ws.checkpointView(c, readOnly), false))
}

// checkEvidenceURL returns a message when an evidence link is not an
// absolute http(s) URL, or "".
func checkEvidenceURL(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "Enter a full link starting with https:// (or http://)."
	}
	return ""
}

// checkNote returns a message when a checkpoint's note on how it was done
// is too long, or "".
func checkNote(s string) string {
	if n := utf8.RuneCountInString(s); n > store.NoteMax {
		return "Shorten the note on how it was done to " + thousands(store.NoteMax) + " characters (it has " + thousands(n) + ")."
	}
	return ""
}

// thousands writes n with comma thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// fillTypedCheckpoint puts what the person posted for a checkpoint into its
// view, with the version they started from (see fillTyped). It reports
// false, with the message on the view, when the evidence link is not one
// or the note is too long; the problem's subject ("Evidence link", "How it
// was done") is returned for the summary.
func fillTypedCheckpoint(cv *web.CheckpointView, c *assessment.Checkpoint, form url.Values) (string, bool) {
	cv.Version = postedVersion(form, "_cv."+c.Key)
	cv.Confirmed = form.Get("c."+c.Key) == "on"
	cv.EvidenceURL = strings.TrimSpace(form.Get("cu." + c.Key))
	cv.Note = assessment.CleanText(form.Get("cn." + c.Key))
	if cv.Error = checkEvidenceURL(cv.EvidenceURL); cv.Error != "" {
		cv.LinkInvalid = true
		cv.Error += notSavedEither(cv.Confirmed)
		return "Evidence link", false
	}
	if cv.Error = checkNote(cv.Note); cv.Error != "" {
		cv.NoteInvalid = true
		cv.Error += notSavedEither(cv.Confirmed)
		return "How it was done", false
	}
	return "", true
}

// notSavedEither ends the message of a refused evidence link or note of a
// ticked checkpoint: a checkpoint is saved whole, so the tick, which stays
// as typed, is not saved until the link or note is put right.
func notSavedEither(ticked bool) string {
	if !ticked {
		return ""
	}
	return " Until then the tick is not saved either."
}

// checkpointConflict shows the stored confirmation beside the refused one.
func checkpointConflict(cv *web.CheckpointView, c *store.ConflictError) *web.Conflict {
	return &web.Conflict{Theirs: c.Current.Value, Yours: store.ConfirmationText(cv.Confirmed, cv.EvidenceURL, cv.Note),
		By: c.Current.UpdatedBy, Mine: c.Mine, At: c.Current.UpdatedAt.UTC().Format(time.RFC3339), Version: c.Current.Version}
}

// checkpointSave confirms or withdraws a checkpoint and saves its evidence
// link (htmx), like answerSave.
func (h *handler) checkpointSave(w http.ResponseWriter, r *http.Request) error {
	ws, p, c, err := h.loadCheckpoint(r, h.loadForSave)
	if err != nil {
		return err
	}
	out, err := h.savePosted(r, ws, p, nil, []*assessment.Checkpoint{c})
	if errors.Is(err, store.ErrArchived) {
		return h.render(w, r, http.StatusConflict, web.CheckpointState(web.CheckpointView{Key: c.Key, Error: archivedMeanwhile}))
	}
	if err != nil {
		return err
	}
	cv := out.checkpoints[0]
	cv.Error = cmp.Or(out.refused, cv.Error)
	if status := out.status(http.StatusUnprocessableEntity); status != http.StatusOK {
		return h.render(w, r, status, web.CheckpointState(cv))
	}
	return h.render(w, r, http.StatusOK, templ.Join(append([]templ.Component{web.CheckpointState(cv),
		web.VersionInput("cv-"+c.Key, "_cv."+c.Key, cv.Version)}, h.afterSave(ws, p, out.before)...)...))
}

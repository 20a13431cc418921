package handlers

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/a-h/templ"

	"groundwork/assessment"
	"groundwork/assessment/sizing"
	"groundwork/store"
	"groundwork/web"
)

// httpError is an error that knows its HTTP status and the text that is
// safe to show; the wrapped cause is only logged. classify turns every
// other error into one.
type httpError struct {
	status int
	msg    string
	err    error
}

func (e *httpError) Error() string {
	if e.err != nil {
		return fmt.Sprintf("%d %s: %v", e.status, e.msg, e.err)
	}
	return fmt.Sprintf("%d %s", e.status, e.msg)
}

func (e *httpError) Unwrap() error { return e.err }

var (
	errNotFound         = &httpError{status: http.StatusNotFound, msg: "The page you asked for does not exist, or you do not have access to it."}
	errMethodNotAllowed = &httpError{status: http.StatusMethodNotAllowed, msg: "This address does not accept that kind of request."}
)

// keptError is a refusal that carries what the person typed, in words, for
// the error page to show to copy (see fail).
type keptError struct {
	error
	kept string
}

func (e *keptError) Unwrap() error { return e.error }

// withCode is an error answered with status and the safe text msg; err,
// the cause, is only logged.
func withCode(status int, msg string, err error) error {
	return &httpError{status: status, msg: msg, err: err}
}

// badRequest is a 400 with a message for the user.
func badRequest(msg string) error { return &httpError{status: http.StatusBadRequest, msg: msg} }

// fieldError is a refused value of one form field, with the words to show
// beside it.
type fieldError struct {
	field, msg string
}

func (e *fieldError) Error() string { return e.field + ": " + e.msg }

// refusals put in words the store's and the domain's refusals of what a
// person typed, by the form field they are about.
var refusals = []struct {
	err        error
	field, msg string
}{
	{store.ErrNoName, "name", "Give the assessment a name, e.g. “Production move 2027”."},
	{store.ErrNameTooLong, "name", fmt.Sprintf("Use at most %d characters.", store.MaxNameChars)},
	{store.ErrNameControls, "name", "Remove the invisible direction controls (such as a right-to-left override) from the name: they make it read as something else."},
	{store.ErrNoTemplate, "template", "Choose what you are moving."},
	{assessment.ErrNoReason, "reason", "Say why this phase does not apply."},
	{assessment.ErrLongReason, "reason", "Use at most " + thousands(assessment.MaxWaiverChars) + " characters."},
	{store.ErrNoComment, "comment", "Say what needs to change."},
	{store.ErrMarkedApproval, "question", "You marked questions as needing changes: request changes, or clear the marks to approve."},
	{store.ErrCommentTooLong, "comment", "Use at most 5,000 characters."},
	{store.ErrNoReopenReason, "reopen_reason", "Say why the phase must be reopened: what needs to change."},
	{store.ErrReopenReasonTooLong, "reopen_reason", "Use at most 5,000 characters."},
	{store.ErrEmptyComment, "comment", "Write your comment first."},
	{store.ErrEmptyFile, "file", "The file is empty."},
	{store.ErrFileTooLarge, "file", evidenceTooLarge},
}

// evidenceTooLarge is the message for an evidence file over
// store.MaxEvidenceBytes, from the server or, before sending, the page.
const evidenceTooLarge = "The file is larger than 10 MB."

// guessable ends every message about a password that is too easy to guess.
const guessable = " Try three or four unrelated words, or a sentence only you would write."

// problemWords say the store's problems with typed values in words.
var problemWords = map[store.Problem]string{
	store.NoEmail:             "Enter an e-mail address.",
	store.NotAnEmail:          "Enter an e-mail address like name@example.org.",
	store.NoName:              "Enter the person's name.",
	store.NoOwnName:           "Enter your name.",
	store.NameTooLong:         "Use at most 200 characters.",
	store.NoRole:              "Choose a role.",
	store.NoOrganisation:      "Choose the organisation this person belongs to.",
	store.UnknownOrganisation: "That organisation does not exist.",
	store.NoOrganisationName:  "Enter the organisation's name.",
	store.NoSlug:              "Enter a short name for links, such as moh-kenya.",
	store.NotASlug:            "Use 1 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit (e.g. moh-kenya).",
	store.NoPlatform:          "Choose the platform the organisation is moving.",
	store.NoPasswordYet:       "Your account has no password yet.",
	store.WrongPassword:       "That is not your current password.",
	store.PasswordUnchanged:   "This is your current password: choose a new one.",
	store.PasswordTooShort:    fmt.Sprintf("Use at least %d characters.", store.MinPasswordLength),
	store.PasswordTooLong:     fmt.Sprintf("Use at most %d characters.", store.MaxPasswordLength),
	store.PasswordIsEmail:     "Do not use your e-mail address as your password.",
	store.PasswordCommon:      "This password is too easy to guess: it is, or is built on, one of the most commonly used passwords." + guessable,
	store.PasswordCommonWords: "This password is too easy to guess: it is built on common words or names that guessers try first." + guessable,
	store.PasswordPersonal:    "This password is too easy to guess: it contains your name, your e-mail address, your organisation's name or the name of this site." + guessable,
	store.PasswordRepeats:     "This password is too easy to guess: it repeats characters or groups of characters (like aaaa or abcabc)." + guessable,
	store.PasswordSequence:    "This password is too easy to guess: it follows a sequence (like 1234 or abcd)." + guessable,
	store.PasswordKeyboard:    "This password is too easy to guess: it follows a pattern of neighbouring keys on the keyboard (like qwerty)." + guessable,
	store.PasswordDate:        "This password is too easy to guess: it is mostly a date or a year." + guessable,
	store.PasswordGuessable:   "This password is too easy to guess: it is a pattern that guessers try early." + guessable,
}

// Words says a problem the store found in what a person typed in words
// for them (the command line uses it too).
func Words(p store.Problem) string {
	if w, ok := problemWords[p]; ok {
		return w
	}
	return "This is not accepted: " + string(p) + "."
}

// fieldErrors puts every refusal of a typed value in err (a fieldError, a
// store.FieldErrors or one of refusals) beside its field; ok is false when
// err refuses none.
func fieldErrors(err error, form *web.Form) (ok bool) {
	if err == nil {
		return false
	}
	if form.Errors == nil {
		form.Errors = map[string]string{}
	}
	var fe store.FieldErrors
	if errors.As(err, &fe) {
		for k, p := range fe {
			form.Errors[k] = Words(p)
		}
		ok = true
	}
	var mention *store.MentionError
	if errors.As(err, &mention) {
		form.Errors["comment"], ok = mentionWords(mention), true
	}
	var one *fieldError
	if errors.As(err, &one) {
		form.Errors[one.field], ok = one.msg, true
	}
	for _, r := range refusals {
		if errors.Is(err, r.err) {
			form.Errors[r.field], ok = r.msg, true
		}
	}
	return ok
}

// wrap adapts a handler that returns an error.
func (h *handler) wrap(fn func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.fail(w, r, err)
		}
	}
}

// classify maps an error to its status and safe message.
func classify(err error) (int, string) {
	var he *httpError
	var tooLarge *http.MaxBytesError
	var gate *store.GateError
	var conflict *store.ConflictError
	var form web.Form
	switch {
	case errors.As(err, &he):
		return he.status, he.msg
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("The request is too large: the limit is %s.", byteSize(tooLarge.Limit))
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, errNotFound.msg
	case errors.Is(err, store.ErrArchived):
		return http.StatusConflict, "This assessment is archived, so nothing in it can be changed. Its program managers can restore it from its overview."
	case errors.Is(err, store.ErrForbidden):
		return http.StatusForbidden, "You can see this, but your role does not let you change it: an organisation's program managers change its assessments, and its advisors review them."
	case errors.As(err, &gate):
		return http.StatusConflict, gateMessage(gate)
	case errors.As(err, &conflict):
		return http.StatusConflict, "Someone else changed this meanwhile. Reload the page to see their change, then make yours again."
	case fieldErrors(err, &form):
		for _, msg := range form.Errors {
			return http.StatusUnprocessableEntity, msg
		}
	case store.Unavailable(err):
		return http.StatusServiceUnavailable, "The portal is briefly unavailable: its database is not answering. Nothing already saved is lost; please try again in a minute."
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "The server took too long to answer. Please try again in a moment."
	}
	return http.StatusInternalServerError, "Something went wrong on our side. The problem has been logged; please try again, and tell your administrator if it keeps happening."
}

// fail logs err once and answers with the error page, or a JSON error body
// for API requests.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := classify(err)
	if status >= 500 {
		h.log.ErrorContext(r.Context(), "request failed", "err", err, "status", status, "method", r.Method, "path", r.URL.Path)
	} else {
		h.log.DebugContext(r.Context(), "request refused", "err", err, "status", status, "path", r.URL.Path)
	}
	if status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "30")
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		if fe, ok := sizing.AsFieldError(err); ok { // a parameter's problem: named, as the sizing API does
			writeJSON(w, status, apiProblem{Error: msg, Field: fe.Field, Problem: fe.Problem})
			return
		}
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	view := web.ErrorView{Status: status, Heading: heading(status), Message: msg, RequestID: requestIDFrom(r.Context())}
	var kept *keptError
	switch {
	case errors.As(err, &kept):
		view.Kept = kept.kept
	case errors.Is(err, store.ErrArchived) && r.Method == http.MethodPost:
		// A comment, a review's note, a waiver's or a reopening's reason
		// or a new name written in a page opened before the archive:
		// shown, to copy, not lost.
		view.Kept = cmp.Or(r.PostFormValue("comment"), r.PostFormValue("reason"), r.PostFormValue("reopen_reason"), r.PostFormValue("name"))
	}
	if r.Header.Get("HX-Request") == "true" {
		// htmx swaps a 409, 413 or 422 into the element that asked (the
		// layout's htmx-config), expecting a fragment. An answer's or a
		// checkpoint's autosave (its save state asked: m-KEY, cm-KEY) gets
		// its save state, saying why, as its other refusals do (a body
		// too large is refused before its handler runs); anything else gets
		// the error page's main content in place of the page's, as after a
		// post without JavaScript, under the same header (whose menu and
		// session warning keep working), its heading focused.
		target := r.Header.Get("HX-Target")
		var state templ.Component
		if key, ok := strings.CutPrefix(target, "m-"); ok && strings.Contains(r.URL.Path, "/answers/") {
			state = web.QuestionState(web.QuestionView{Key: key, Error: msg})
		} else if key, ok := strings.CutPrefix(target, "cm-"); ok && strings.Contains(r.URL.Path, "/checkpoints/") {
			state = web.CheckpointState(web.CheckpointView{Key: key, Error: msg})
		}
		if state != nil {
			if err := h.render(w, r, status, state); err != nil {
				h.log.ErrorContext(r.Context(), "render save state", "err", err)
			}
			return
		}
		w.Header().Set("HX-Retarget", "#main")
		w.Header().Set("HX-Reselect", "#main")
		w.Header().Set("HX-Reswap", "outerHTML")
	}
	if err := h.render(w, r, status, web.ErrorPage(h.page(r, view.Heading, ""), view)); err != nil {
		h.log.ErrorContext(r.Context(), "render error page", "err", err)
		http.Error(w, msg, status)
	}
}

func heading(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusRequestEntityTooLarge:
		return "Too large"
	case http.StatusInternalServerError:
		return "Something went wrong"
	case http.StatusServiceUnavailable:
		return "Temporarily unavailable"
	default:
		return http.StatusText(status)
	}
}

// writeJSON writes v as the JSON response body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// fileSize says a file's size as people read it: "14 bytes", "159 KB",
// "2.4 MB" (byteSize says a limit exactly).
func fileSize(n int64) string {
	unit, name := float64(1<<10), "KB"
	switch {
	case n == 1:
		return "1 byte"
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n >= 1000<<20:
		unit, name = 1<<30, "GB"
	case n >= 1000<<10:
		unit, name = 1<<20, "MB"
	}
	v := float64(n) / unit
	if v < 9.95 {
		return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + " " + name
	}
	return fmt.Sprintf("%.0f %s", v, name)
}

// gateMessage says in words why a change was refused by gating.
func gateMessage(g *store.GateError) string {
	switch {
	case errors.Is(g.Err, assessment.ErrLocked):
		var b strings.Builder
		b.WriteString("Not saved: phase " + g.Phase + " is locked until earlier phases are complete")
		if len(g.Blockers) > 0 {
			b.WriteString(" (" + g.Blockers[0].Message)
			if len(g.Blockers) > 1 {
				fmt.Fprintf(&b, ", and %d more", len(g.Blockers)-1)
			}
			b.WriteString(")")
		}
		return b.String() + "."
	case errors.Is(g.Err, assessment.ErrWaived):
		return "Not saved: phase " + g.Phase + " is marked not applicable."
	case errors.Is(g.Err, assessment.ErrIncomplete):
		return "Phase " + g.Phase + " is not complete yet: see what is still to do above."
	case errors.Is(g.Err, assessment.ErrApproved):
		return "Not saved: phase " + g.Phase + " is approved and signed off. To change it, reopen it first, saying why."
	case errors.Is(g.Err, assessment.ErrNotApproved):
		return "Phase " + g.Phase + " is not approved, so there is nothing to reopen (it may have been reopened meanwhile)."
	case errors.Is(g.Err, assessment.ErrNotSubmitted):
		return "Phase " + g.Phase + " is not waiting for review (it may have been edited or reviewed meanwhile)."
	}
	return "Not saved: " + g.Err.Error() + "."
}

// mentionWords says which @names cannot be mentioned.
func mentionWords(e *store.MentionError) string {
	at := make([]string, len(e.Unknown))
	for i, u := range e.Unknown {
		at[i] = "@" + u
	}
	msg := web.JoinWords(at) + " is not someone you can mention here."
	if len(at) > 1 {
		msg = web.JoinWords(at) + " are not people you can mention here."
	}
	for _, u := range e.Unknown {
		meant := e.Meant[u]
		if len(meant) == 0 {
			continue
		}
		who := make([]string, len(meant))
		for i, p := range meant {
			who[i] = "@" + p.Handle + " (" + p.Name + ")"
		}
		msg += " Did you mean " + strings.Join(who, " or ")
		if len(e.Unknown) > 1 {
			msg += " for @" + u
		}
		msg += "?"
	}
	return msg + " Mention people with access to this organisation by their handle (the start of their e-mail address), as listed under “People you can mention”."
}

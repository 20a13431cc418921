package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"groundwork/store"
	"groundwork/web"
)

// httpError is an error that knows its HTTP status and the text that is
// safe to show; the wrapped cause is only logged.
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

// badRequest is a 400 with a message for the user.
func badRequest(msg string) error { return &httpError{status: http.StatusBadRequest, msg: msg} }

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
	switch {
	case errors.As(err, &he):
		return he.status, he.msg
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("The request is too large: the limit is %s.", byteSize(tooLarge.Limit))
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, errNotFound.msg
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "The server took too long to answer. Please try again in a moment."
	default:
		return http.StatusInternalServerError, "Something went wrong on our side. The problem has been logged; please try again, and tell your administrator if it keeps happening."
	}
}

// fail logs err once and answers with the error page, or a JSON error body
// for API requests.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := classify(err)
	if status >= 500 {
		h.log.ErrorContext(r.Context(), "request failed", "err", err, "status", status, "method", r.Method, "path", r.URL.Path, "request_id", requestIDFrom(r.Context()))
	} else {
		h.log.DebugContext(r.Context(), "request refused", "err", err, "status", status, "path", r.URL.Path, "request_id", requestIDFrom(r.Context()))
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, status, map[string]string{"error": msg})
		return
	}
	view := web.ErrorView{Status: status, Heading: heading(status), Message: msg, RequestID: requestIDFrom(r.Context())}
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

package handlers

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"groundwork/assessment/sizing"
)

// Reading the sizing API's requests: the response format, JSON bodies, and
// bodies that cannot be read.

// resultFormat picks the response format: the format parameter when given,
// else the first known type the Accept header lists, else JSON.
func resultFormat(r *http.Request, explicit string, allowed ...string) (string, error) {
	known := func(f string) bool {
		for _, a := range allowed {
			if a == f {
				return true
			}
		}
		return false
	}
	if explicit != "" {
		f := strings.ToLower(strings.TrimSpace(explicit))
		if !known(f) {
			return "", &sizing.FieldError{Field: "format", Problem: fmt.Sprintf("unknown format %q (use %s)", explicit, strings.Join(allowed, ", "))}
		}
		return f, nil
	}
	for part := range strings.SplitSeq(r.Header.Get("Accept"), ",") {
		mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		if f, ok := mediaFormats[mt]; ok && known(f) {
			return f, nil
		}
	}
	return "json", nil
}

var mediaFormats = map[string]string{
	"application/json": "json",
	"text/csv":         "csv",
	xlsxType:           "xlsx",
	"text/plain":       "text",
}

// decodeJSON reads one JSON object into v, refusing unknown fields, and
// names the field of a problem.
func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooLarge):
		return err
	case errors.As(err, &typeErr):
		return &sizing.FieldError{Field: typeErr.Field, Problem: fmt.Sprintf("must be a JSON %s, not %s", jsonKind(typeErr.Type.Kind().String()), typeErr.Value)}
	case errors.As(err, &syntaxErr), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &sizing.FieldError{Field: "body", Problem: "is not a JSON object: " + err.Error()}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return &sizing.FieldError{Field: strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), Problem: "unknown field"}
	default:
		return &sizing.FieldError{Field: "body", Problem: err.Error()}
	}
}

func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "slice":
		return "array"
	case kind == "struct":
		return "object"
	}
	return kind
}

// readError keeps a too-large body a 413 and makes any other unreadable
// body a 400.
func readError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	}
	return withCode(http.StatusBadRequest, "The request body could not be read.", err)
}

package sizing

import "errors"

// FieldError reports one bad input: Field names it (a YAML path such as
// "services.minio.storage.static_baseline", or a form field such as
// "population") and Problem says what is wrong in words. It is safe to show
// to the person who sent the input.
type FieldError struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

// Error implements error.
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Problem
	}
	return e.Field + ": " + e.Problem
}

// docField is the Field of problems with the document as a whole (size,
// YAML syntax, alias expansion).
const docField = "config"

func fieldErr(field, problem string) *FieldError {
	return &FieldError{Field: field, Problem: problem}
}

// AsFieldError returns the *FieldError inside err, if there is one.
func AsFieldError(err error) (*FieldError, bool) {
	if list := FieldErrors(err); len(list) > 0 {
		return list[0], true
	}
	return nil, false
}

// FieldErrors lists every *FieldError in err, which may join several
// (a form with more than one field that cannot be read); in order.
func FieldErrors(err error) []*FieldError {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*FieldError
		for _, e := range j.Unwrap() {
			out = append(out, FieldErrors(e)...)
		}
		return out
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return []*FieldError{fe}
	}
	return nil
}

package handlers

import (
	"bytes"
	"io"
	"mime"
	"net/http"

	"groundwork/assessment/sizing"
)

// The public sizing API: no sign-in, JSON by default, files on request.
// Bad input answers 400 with a body naming the field and the problem.

// apiProblem is the body of a 400: Error is the whole message, Field and
// Problem its parts.
type apiProblem struct {
	Error   string `json:"error"`
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

// inputProblem answers 400 for an input error and passes on any other.
func inputProblem(w http.ResponseWriter, err error) error {
	fe, ok := sizing.AsFieldError(err)
	if !ok {
		return err
	}
	writeJSON(w, http.StatusBadRequest, apiProblem{Error: fe.Error(), Field: fe.Field, Problem: fe.Problem})
	return nil
}

// sizingTierAPI is GET /api/v1/sizing/commcare?users=N&ha=true|false: the
// CommCare HQ hardware tier.
func (h *handler) sizingTierAPI(w http.ResponseWriter, r *http.Request) error {
	if _, err := resultFormat(r, r.URL.Query().Get("format"), "json"); err != nil {
		return inputProblem(w, err) // the tier is JSON only: a format asked for is not silently ignored
	}
	t, err := sizing.TierFromForm(r.URL.Query())
	if err != nil {
		return inputProblem(w, err)
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

// sizingModelAPI is POST /api/v1/sizing/commcare/model: a resource-model
// YAML config in the body, the result as JSON, CSV (Accept: text/csv or
// ?format=csv) or XLSX (?format=xlsx).
func (h *handler) sizingModelAPI(w http.ResponseWriter, r *http.Request) error {
	format, err := resultFormat(r, r.URL.Query().Get("format"), "json", "csv", "xlsx")
	if err != nil {
		return inputProblem(w, err)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, sizing.MaxConfigBytes))
	if err != nil {
		return readError(err)
	}
	cfg, err := parseModelConfig(data)
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil && ct == "application/x-www-form-urlencoded" && !bytes.ContainsAny(data, "\r\n") {
		// curl -d sends the file without its line breaks (curl
		// --data-binary keeps them, under the same content type).
		err = &sizing.FieldError{Field: "config", Problem: "arrived on one line, which is not the YAML file as written: send it with curl --data-binary @config.yml (curl -d drops its line breaks)"}
	}
	if err != nil {
		return inputProblem(w, err)
	}
	res, err := sizing.RunParsed(cfg, data)
	if err != nil {
		return inputProblem(w, err)
	}
	return writeModel(w, res, format, "commcare-resource-model")
}

// sizingSimpleAPI is the simple resource-model form: GET with a query, or
// POST with a form or a JSON sizing.SimpleInput. The result comes as from
// the model endpoint.
func (h *handler) sizingSimpleAPI(w http.ResponseWriter, r *http.Request) error {
	var in sizing.SimpleInput
	var err error
	format := r.URL.Query().Get("format")
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); r.Method == http.MethodPost && ct == "application/json" {
		err = decodeJSON(r.Body, &in)
	} else {
		if perr := r.ParseForm(); perr != nil {
			return readError(perr)
		}
		format = r.Form.Get("format")
		in, err = sizing.SimpleInputFromForm(r.Form)
	}
	if err != nil {
		return inputProblem(w, err)
	}
	if format, err = resultFormat(r, format, "json", "csv", "xlsx"); err != nil {
		return inputProblem(w, err)
	}
	res, err := sizing.RunSimple(in)
	if err != nil {
		return inputProblem(w, err)
	}
	return writeModel(w, res, format, "commcare-estimate")
}

// sizingCRVSAPI is GET /api/v1/sizing/opencrvs: OpenCRVS servers and disk
// from population and rates (or records_per_year), as JSON, CSV or text.
func (h *handler) sizingCRVSAPI(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	format, err := resultFormat(r, q.Get("format"), "json", "csv", "text")
	if err != nil {
		return inputProblem(w, err)
	}
	in, err := sizing.OpenCRVSInputFromForm(q)
	if err != nil {
		return inputProblem(w, err)
	}
	e, err := sizing.EstimateOpenCRVS(in)
	if err != nil {
		return inputProblem(w, err)
	}
	return writeCRVS(w, e, format)
}

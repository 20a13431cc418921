package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"groundwork/assessment"
)

// templateAPI serves the catalog as JSON. The documents are encoded once,
// when the routes are made: the catalog changes only with the binary, and
// encoding the CommCare template takes longer than serving it.
type templateAPI struct {
	catalog *assessment.Catalog
	index   jsonDoc
	docs    map[*assessment.Template]jsonDoc
}

// jsonDoc is an encoded JSON response and its entity tag.
type jsonDoc struct {
	body []byte
	etag string
}

// templateListItem is one entry of GET /api/v1/templates: the summary and
// where to find the template.
type templateListItem struct {
	assessment.Summary
	URL     string `json:"url"`      // its JSON document
	HTMLURL string `json:"html_url"` // its page
}

// newTemplateAPI encodes the list and every template version of the
// handler's catalog, with links on the public address.
func (h *handler) newTemplateAPI() *templateAPI {
	base := h.opts.BaseURL.String()
	api := &templateAPI{catalog: h.catalog, docs: map[*assessment.Template]jsonDoc{}}
	var items []templateListItem
	for _, s := range h.catalog.Summaries() {
		q := "?version=" + strconv.Itoa(s.Version)
		items = append(items, templateListItem{
			Summary: s,
			URL:     base + "/api/v1/templates/" + s.ID + q,
			HTMLURL: base + "/templates/" + s.ID + q,
		})
	}
	api.index = mustEncode("templates", items)
	for _, t := range h.catalog.Templates() {
		api.docs[t] = mustEncode(t.ID+"."+strconv.Itoa(t.Version), t)
	}
	return api
}

// mustEncode encodes v, tagged with name and a hash of the encoding, so the
// tag changes exactly when the document does. The catalog's types always
// encode: a failure is a programming error that every test would catch.
func mustEncode(name string, v any) jsonDoc {
	body, err := json.Marshal(v)
	if err != nil {
		panic("templates: encode " + name + ": " + err.Error())
	}
	sum := sha256.Sum256(body)
	return jsonDoc{body: append(body, '\n'), etag: `"` + name + "-" + hex.EncodeToString(sum[:8]) + `"`}
}

// list answers GET /api/v1/templates: every template version.
func (a *templateAPI) list(w http.ResponseWriter, r *http.Request) error {
	a.index.serve(w, r)
	return nil
}

// show answers GET /api/v1/templates/{id}: the latest version of a
// template, or the one ?version=N asks for.
func (a *templateAPI) show(w http.ResponseWriter, r *http.Request) error {
	t, _, err := findTemplate(a.catalog, r)
	if err != nil {
		return err
	}
	a.docs[t].serve(w, r)
	return nil
}

// serve writes the document, or 304 Not Modified when the client already
// holds it. Caches may keep it for five minutes, then revalidate.
func (d jsonDoc) serve(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "public, max-age=300")
	hdr.Set("ETag", d.etag)
	// Public data with no credentials involved: other sites' scripts may read it.
	hdr.Set("Access-Control-Allow-Origin", "*")
	if etagListed(r.Header.Get("If-None-Match"), d.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Type", "application/json; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(len(d.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(d.body) // the client may have gone; nothing more to do
	}
}

// etagListed reports whether an If-None-Match header names etag, or is
// "*". Comparison is weak (RFC 9110, 13.1.2): W/"x" matches "x".
func etagListed(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

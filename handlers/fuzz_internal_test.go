package handlers

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"groundwork/assessment"
)

// FuzzExportJSON decodes arbitrary documents as export.json, strictly (no
// unknown field), the way an import reads one, and each answer's value
// through its question's decoder: nothing may panic; a document that
// decodes must encode and decode again to the same document, and an
// answer that decodes and validates must survive Encode and Decode.
// (The importer itself is built on another branch; this holds the
// decoding it starts from.)
func FuzzExportJSON(f *testing.F) {
	golden, err := os.ReadFile("testdata/export.golden.json")
	if err != nil {
		f.Fatal(err)
	}
	golden = bytes.ReplaceAll(golden, []byte(`"TIME"`), []byte(`"2026-05-01T10:00:00.123456Z"`))
	f.Add(golden)
	f.Add([]byte(`{"template":{"id":"commcare-transition","version":1},"phases":[{"key":"1.1","answers":[{"question":"environments","value":["testing"]},{"question":"mobile_apps","value":[{"name":"x","users":3}]}]}]}`))
	f.Add([]byte(`{"phases":[{"answers":[{"question":"x","value":1e999}]}]}`))
	f.Add([]byte(`{"id":1,"unknown":true}`))
	f.Add([]byte(`{"created_at":"not a time"}`))
	cat, err := assessment.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	decode := func(data []byte) (exportAssessment, error) {
		var doc exportAssessment
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		err := dec.Decode(&doc)
		return doc, err
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := decode(data)
		if err != nil {
			return
		}
		out, err := json.Marshal(doc)
		if err != nil {
			t.Fatalf("a decoded export does not encode: %v", err)
		}
		again, err := decode(out)
		if err != nil {
			t.Fatalf("an encoded export does not decode: %v\n%s", err, out)
		}
		if out2, _ := json.Marshal(again); !bytes.Equal(out, out2) {
			t.Fatalf("encoding is not stable:\n%s\n%s", out, out2)
		}
		tpl, ok := cat.Template(doc.Template.ID, doc.Template.Version)
		if !ok {
			return
		}
		for _, p := range doc.Phases {
			for _, a := range p.Answers {
				q, ok := tpl.Question(a.Question)
				if !ok || len(a.Value) == 0 {
					continue
				}
				raw := string(a.Value)
				var s string
				if json.Unmarshal(a.Value, &s) == nil {
					raw = s
				}
				v, err := q.Decode(raw)
				if err != nil || q.Validate(v) != nil {
					continue
				}
				if back, err := q.Decode(q.Encode(v)); err != nil || !reflect.DeepEqual(back, v) {
					t.Fatalf("%s: %s decoded to %#v, which does not survive Encode and Decode (%#v, %v)", q.Key, a.Value, v, back, err)
				}
			}
		}
	})
}

// FuzzSizingAPI sends arbitrary query strings and Accept headers to the
// sizing API and calculator (no sign-in, no database): the answer must
// never be a 5xx, each must come quickly, and the API's JSON answers
// (results and 400s naming the field) must be JSON.
func FuzzSizingAPI(f *testing.F) {
	paths := []string{
		"/api/v1/sizing/commcare", "/api/v1/sizing/commcare/simple", "/api/v1/sizing/opencrvs",
		"/sizing", "/sizing/tier", "/sizing/simple", "/sizing/opencrvs",
	}
	for i, s := range [][2]string{
		{"users=1500&ha=true", ""},
		{"users=abc", "text/csv"},
		{"start_date=2025-01&current_users=100&end_date=2027-01&target_users=5000&forms_per_user_month=30&format=csv", ""},
		{"population=1000000&birth_rate=35&death_rate=10&attachments=2&format=text", "text/plain"},
		{"format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"calc=tier&users=30,000", "text/html"},
		{"calc=simple&target_users=1e9", ""},
		{"records_per_year=NaN", "application/json;q=0.1, text/csv"},
	} {
		f.Add(uint8(i), s[0], s[1])
	}
	p := New(nil, Options{Logger: slog.New(slog.DiscardHandler), SessionSecret: []byte("test secret of at least 32 bytes!")})
	f.Fuzz(func(t *testing.T, which uint8, query, accept string) {
		path := paths[int(which)%len(paths)]
		req, err := http.NewRequest(http.MethodGet, path+"?"+query, nil)
		if err != nil || strings.ContainsAny(accept, "\r\n\x00") {
			return // no HTTP server would hand it over
		}
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		start := time.Now()
		p.ServeHTTP(rec, req)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("GET %s took %v", req.URL, d)
		}
		if rec.Code >= 500 {
			t.Fatalf("GET %s (Accept %q) = %d\n%.500s", req.URL, accept, rec.Code, rec.Body.String())
		}
		if strings.HasPrefix(path, "/api/") && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("GET %s = %d with a JSON type and a body that is not JSON:\n%.500s", req.URL, rec.Code, rec.Body.String())
		}
	})
}

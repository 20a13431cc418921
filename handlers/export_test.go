package handlers_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// exportVolatile matches what differs between two runs of the same steps:
// times, database ids and the test server's port.
var exportVolatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z`), `TIME`}, // inside snapshots
	{regexp.MustCompile(`"sha256": "[0-9a-f]{64}"`), `"sha256": "DIGEST"`}, // over times
	{regexp.MustCompile(`"\d{4}-\d\d-\d\dT[^"]*"`), `"TIME"`},
	{regexp.MustCompile(`"id": \d+`), `"id": 0`},
	{regexp.MustCompile(`//127\.0\.0\.1:\d+/`), `//127.0.0.1:0/`},
	{regexp.MustCompile(`/assessments/\d+`), `/assessments/0`},
	{regexp.MustCompile(`/evidence/\d+`), `/evidence/0`},
}

// TestExportGolden holds the export's JSON schema still: a full export
// (answers with history, a table, confirmed checkpoints with evidence, an
// approved review with its decisions and sign-off snapshot, open and
// locked phases with blockers) must match
// testdata/export.golden.json byte for byte, times and ids aside.
func TestExportGolden(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	b.signIn("manager@example.org")
	base := start(t, b, true)
	form := phase11()
	addVersions(t, b, base+"/phases/1.1", form)
	if resp, _ := b.post(base+"/phases/1.1", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill 1.1 = %d", resp.StatusCode)
	}
	upload(t, b, base+"/phases/1.1/checkpoints/architecture_diagram_created/evidence", "diagram.png", []byte("\x89PNG\r\n\x1a\n0000"))
	if resp, _ := b.post(base+"/phases/1.1/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", resp.StatusCode)
	}
	adv := e.browser(t)
	adv.signIn("advisor@example.org")
	if resp, _ := adv.post(base+"/phases/1.1/review", url.Values{"decision": {"approve"}, "comment": {"Clear and complete."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d", resp.StatusCode)
	}
	form = phase12("2500")
	form.Del("high_availability")
	b.post(base+"/phases/1.2", form)

	resp, body := b.get(base + "/export.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export = %d", resp.StatusCode)
	}
	// Each snapshot verifies from the export alone: its digest is the
	// SHA-256 of the string's bytes.
	var doc struct {
		Phases []struct {
			Decisions []struct{ Action, Snapshot, SHA256 string } `json:"decisions"`
		} `json:"phases"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if ds := doc.Phases[0].Decisions; len(ds) != 2 || ds[1].Action != "approved" || fmt.Sprintf("%x", sha256.Sum256([]byte(ds[1].Snapshot))) != ds[1].SHA256 {
		t.Errorf("phase 1.1's decisions in the export do not verify: %+v", ds)
	}
	got := []byte(body)
	for _, v := range exportVolatile {
		got = v.re.ReplaceAll(got, []byte(v.with))
	}
	golden := filepath.Join("testdata", "export.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("export differs from %s; got:\n%s", golden, got)
	}
}

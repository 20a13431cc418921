package handlers_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"groundwork/handlers/handlerstest"
	"net/http"
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
	{regexp.MustCompile(`"thread:\d+"`), `"thread:0"`},
}

// TestExportGolden holds the export's JSON schema still: a full export
// (answers with history, a table, confirmed checkpoints with evidence, an
// approved review with its decisions and sign-off snapshot, comment threads
// with a reply, an edit and a resolved change request, open and locked
// phases with blockers) must match
// testdata/export.golden.json byte for byte, times and ids aside.
func TestExportGolden(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	form := handlerstest.Phase11()
	form.Set("cn.architecture_diagram_created", "Drawn in draw.io by the infrastructure team.")
	handlerstest.AddVersions(t, b, base+"/phases/1.1", form)
	if resp, _ := b.Post(base+"/phases/1.1", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill 1.1 = %d", resp.StatusCode)
	}
	handlerstest.Upload(t, b, base+"/phases/1.1/checkpoints/architecture_diagram_created/evidence", "diagram.png", []byte("\x89PNG\r\n\x1a\n0000"))
	// A question's thread with a reply and an edit; a change request,
	// resolved; then the phase is submitted again and approved.
	handlerstest.ReviewConversation(t, e, b, base)
	form = handlerstest.Phase12("2500")
	form.Del("high_availability")
	b.Post(base+"/phases/1.2", form)

	resp, body := b.Get(base + "/export.json")
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
	ds := doc.Phases[0].Decisions
	if len(ds) != 4 || ds[1].Action != "changes_requested" || ds[3].Action != "approved" {
		t.Errorf("phase 1.1's decisions = %+v, want submitted, changes requested, submitted, approved", ds)
	}
	for _, d := range ds {
		if d.Snapshot != "" && fmt.Sprintf("%x", sha256.Sum256([]byte(d.Snapshot))) != d.SHA256 {
			t.Errorf("phase 1.1's %s snapshot does not verify from the export", d.Action)
		}
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

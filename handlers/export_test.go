package handlers_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
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
	e := newEnv(t)
	b := e.browser(t)
	b.signIn("manager@example.org")
	base := start(t, b, true)
	form := phase11()
	form.Set("cn.architecture_diagram_created", "Drawn in draw.io by the infrastructure team.")
	addVersions(t, b, base+"/phases/1.1", form)
	if resp, _ := b.post(base+"/phases/1.1", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill 1.1 = %d", resp.StatusCode)
	}
	upload(t, b, base+"/phases/1.1/checkpoints/architecture_diagram_created/evidence", "diagram.png", []byte("\x89PNG\r\n\x1a\n0000"))
	// A question's thread with a reply and an edit; a change request,
	// resolved; then the phase is submitted again and approved.
	reviewConversation(t, e, b, base)
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

// mustID is the id at the end of an assessment's path.
func mustID(t *testing.T, path string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// reviewConversation plays phase 1.1's review after the manager b has
// filled it: submitted; the advisor comments on a question (the manager
// replies, the advisor edits), requests changes marking that question;
// the manager gives the request and a checkpoint of 2.1 an owner (and the
// request a due date), resolves the request and submits again; the advisor
// approves.
// It returns the advisor's browser.
func reviewConversation(t *testing.T, e *env, b *browser, base string) *browser {
	t.Helper()
	p11 := base + "/phases/1.1"
	posted(t, "submit", b, p11+"/submit", url.Values{})
	adv := e.browser(t)
	adv.signIn("advisor@example.org")
	loc := posted(t, "comment", adv, p11+"/comments", url.Values{"question": {"architecture_diagram_url"}, "comment": {"@manager is this the latest diagram?"}})
	question := loc[strings.LastIndex(loc, "-")+1:]
	posted(t, "reply", b, p11+"/comments/"+question+"/replies", url.Values{"comment": {"Yes, from May."}})
	posted(t, "edit", adv, p11+"/comments/"+question+"/edit", url.Values{"comment": {"@manager is this the May diagram?"}})
	posted(t, "request changes", adv, p11+"/review", url.Values{"decision": {"changes"}, "comment": {"Attach the network diagram too."}, "question": {"architecture_diagram_url"}})
	threads, err := e.st.Threads(context.Background(), e.manager.ID, mustID(t, base), "1.1")
	if err != nil || len(threads) != 2 {
		t.Fatalf("threads = %+v, %v", threads, err)
	}
	// The manager gives the request and a checkpoint of 2.1 an owner; the
	// request's stays set once it is resolved.
	posted(t, "own the request", b, base+"/actions", url.Values{"item": {"thread:" + itoa(threads[1].ID)}, "owner": {"Infrastructure team"}, "due": {"2027-03-31"}})
	posted(t, "own a checkpoint", b, base+"/actions", url.Values{"item": {"checkpoint:hosting_option_chosen"}, "owner": {"Amina (hosting provider)"}})
	posted(t, "resolve", b, p11+"/comments/"+itoa(threads[1].ID)+"/resolve", url.Values{})
	posted(t, "submit again", b, p11+"/submit", url.Values{})
	posted(t, "approve", adv, p11+"/review", url.Values{"decision": {"approve"}, "comment": {"Clear and complete."}})
	return adv
}

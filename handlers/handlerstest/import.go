package handlerstest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// ReviewedAssessment fills phase 1.1 of a new assessment on e (answers
// with history and a table, both checkpoints confirmed, an evidence
// file), submits it, has the advisor comment, request changes, the
// manager reply and resolve, submit again, and the advisor approve; and
// starts phase 1.2. It returns the assessment's path and the manager's
// browser.
func ReviewedAssessment(t *testing.T, e *Env) (string, *Browser) {
	t.Helper()
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := Start(t, b, true)
	Fill11(t, b, base)
	Upload(t, b, base+"/phases/1.1/checkpoints/architecture_diagram_created/evidence", "diagram.png", []byte("\x89PNG\r\n\x1a\n0000 the diagram"))
	Upload(t, b, base+"/phases/1.1/checkpoints/mobile_app_inventory_documented/evidence", "inventaire des applis <v2> é.csv", []byte("app,version\nCHW app,42\n"))
	ReviewConversation(t, e, b, base)
	form := Phase12("2500")
	form.Del("high_availability")
	b.Post(base+"/phases/1.2", form)
	return base, b
}

// ExportDoc is what the round trip compares of an export.
type ExportDoc struct {
	Phases []struct {
		Decisions []struct{ Action, Snapshot, SHA256 string } `json:"decisions"`
		Answers   []struct {
			Question string          `json:"question"`
			Value    json.RawMessage `json:"value"`
		} `json:"answers"`
		Checkpoints []struct {
			Evidence []struct {
				Filename, SHA256, File, URL string
			} `json:"evidence"`
		} `json:"checkpoints"`
	} `json:"phases"`
}

// Pack builds an evidence pack as the exports build it: export.json at
// the root, each evidence file at its "file" path, MANIFEST.txt last;
// files maps a path to its content.
func Pack(t *testing.T, exportJSON []byte, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var manifest strings.Builder
	add := func(name string, data []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
		fmt.Fprintf(&manifest, "%x  %d  %s\n", sha256.Sum256(data), len(data), name)
	}
	add("export.json", exportJSON)
	for name, data := range files {
		add(name, data)
	}
	w, _ := zw.Create("MANIFEST.txt")
	io.WriteString(w, manifest.String())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Exported is an assessment's export and its evidence files by pack path.
func Exported(t *testing.T, b *Browser, base string) ([]byte, ExportDoc, map[string][]byte) {
	t.Helper()
	resp, body := b.Get(base + "/export.json")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export = %d", resp.StatusCode)
	}
	var doc ExportDoc
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, p := range doc.Phases {
		for _, c := range p.Checkpoints {
			for _, ev := range c.Evidence {
				u, _ := url.Parse(ev.URL)
				resp, data := b.Get(u.Path)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("evidence %s = %d", ev.URL, resp.StatusCode)
				}
				files[ev.File] = []byte(data)
			}
		}
	}
	return []byte(body), doc, files
}

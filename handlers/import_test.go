package handlers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// zipOf is a zip file holding empty files of the names given.
func zipOf(t *testing.T, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		if _, err := zw.Create(n); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// repacked is the pack with its export.json replaced, MANIFEST.txt kept
// as it was.
func repacked(t *testing.T, data, exportJSON []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		if f.Name == "export.json" {
			w.Write(exportJSON)
			continue
		}
		r, _ := f.Open()
		io.Copy(w, r)
		r.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importFile posts a file to the import page, as b, into organisation
// org, with more fields as name, value pairs.
func importFile(t *testing.T, b *handlerstest.Browser, name string, data []byte, org string, fields ...string) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("organisation", org)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.Env.Srv.URL+"/admin/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// importVolatile is what may differ between an export and the export of
// its import: besides exportVolatile, the evidence ids in pack paths.
var importVolatile = regexp.MustCompile(`evidence/([^/"]+)/\d+-`)

func normalised(data []byte) string {
	for _, v := range exportVolatile {
		data = v.re.ReplaceAll(data, []byte(v.with))
	}
	return string(importVolatile.ReplaceAll(data, []byte("evidence/$1/0-")))
}

// tableCounts counts the rows an import writes.
func tableCounts(t *testing.T, e *handlerstest.Env) string {
	t.Helper()
	var out []string
	for _, table := range []string{"assessments", "answers", "confirmations", "evidence", "phase_reviews", "phase_decisions", "comments", "comment_edits", "action_items", "history"} {
		var n int
		if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s %d", table, n))
	}
	return strings.Join(out, ", ")
}

// TestImportRoundTrip exports a reviewed assessment with its evidence,
// imports the pack through the admin page into a fresh database, and
// exports it again: the same document, ids, times and addresses aside;
// the same evidence bytes; the same snapshots and digests; and the audit
// trail says where it came from.
func TestImportRoundTrip(t *testing.T) {
	src := handlerstest.NewEnv(t)
	base, b := handlerstest.ReviewedAssessment(t, src)
	orig, origDoc, files := handlerstest.Exported(t, b, base)
	if len(files) != 2 {
		t.Fatalf("evidence files = %d, want 2", len(files))
	}

	dst := handlerstest.NewEnv(t) // a fresh database, with people of the same e-mail addresses
	admin := dst.Browser(t)
	admin.SignIn("admin@example.org")
	before := tableCounts(t, dst)
	resp, body := importFile(t, admin, "evidence.zip", handlerstest.Pack(t, orig, files), handlerstest.Itoa(dst.OrgA.ID))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import = %d\n%s", resp.StatusCode, body)
	}
	if before == tableCounts(t, dst) {
		t.Fatal("the import wrote nothing")
	}
	imported := resp.Header.Get("Location")
	if !regexp.MustCompile(`^/assessments/\d+$`).MatchString(imported) {
		t.Fatalf("import redirects to %q, want the new assessment", imported)
	}
	m := dst.Browser(t)
	m.SignIn("manager@example.org")
	again, doc, files2 := handlerstest.Exported(t, m, imported)
	if got, want := normalised(again), normalised(orig); got != want {
		t.Errorf("the import's export differs from the original's:\n%s", lineDiff(want, got))
	}
	for path, data := range files {
		path2 := importVolatile.ReplaceAllString(path, "evidence/$1/0-")
		found := false
		for p2, d2 := range files2 {
			if importVolatile.ReplaceAllString(p2, "evidence/$1/0-") == path2 {
				found = true
				if !bytes.Equal(d2, data) {
					t.Errorf("evidence %s: the import's bytes differ", path)
				}
			}
		}
		if !found {
			t.Errorf("evidence %s: not in the import", path)
		}
	}
	for i, p := range origDoc.Phases {
		for j, d := range p.Decisions {
			got := doc.Phases[i].Decisions[j]
			if got.SHA256 != d.SHA256 || got.Snapshot != d.Snapshot {
				t.Errorf("phase %d decision %d (%s): digest %s, want %s", i, j, d.Action, got.SHA256, d.SHA256)
			}
		}
	}
	if n := len(origDoc.Phases[0].Decisions); n != 4 || origDoc.Phases[0].Decisions[3].SHA256 == "" {
		t.Errorf("phase 1.1 has %d decisions, want 4 ending in a signed approval", n)
	}
	// The approval still verifies on the new instance.
	ds, err := dst.St.PhaseDecisions(context.Background(), dst.Admin.ID, handlerstest.MustID(t, imported), "1.1")
	if err != nil || len(ds) != 4 || ds[3].Verify() != nil {
		t.Errorf("imported decisions = %d, %v; the approval verifies: %v", len(ds), err, ds[len(ds)-1].Verify())
	}
	_, audit := m.Get(imported + "/audit")
	if !strings.Contains(audit, "imported from assessment "+handlerstest.Itoa(handlerstest.MustID(t, base))+" of Ministry A (moh-a), exported") {
		t.Errorf("the audit trail does not say where the assessment came from")
	}
	// The owners and due dates came across, the change request's under
	// its new id, and the overview's action list shows the checkpoint's.
	plans, err := dst.St.ActionPlans(context.Background(), dst.Admin.ID, handlerstest.MustID(t, imported))
	if err != nil {
		t.Fatal(err)
	}
	threads, err := dst.St.Threads(context.Background(), dst.Admin.ID, handlerstest.MustID(t, imported), "1.1")
	if err != nil || len(threads) != 2 || threads[1].Kind != store.KindChangeRequest {
		t.Fatalf("imported threads = %+v, %v", threads, err)
	}
	request := plans.Plans["thread:"+handlerstest.Itoa(threads[1].ID)]
	if request.Owner != "Infrastructure team" || request.Due.Format(time.DateOnly) != "2027-03-31" || request.UpdatedBy != "manager" || len(plans.Plans) != 2 {
		t.Errorf("imported action plans = %+v, want the change request's under thread:%d", plans.Plans, threads[1].ID)
	}
	if _, overview := m.Get(imported); !strings.Contains(overview, "Amina (hosting provider)") {
		t.Errorf("the imported assessment's action list does not show the checkpoint's owner")
	}
	// The same pack again into the same organisation is refused (409), the
	// earlier import linked, with a box to import it again; nothing is
	// written. Ticked, it makes a second copy; into another organisation
	// it is no copy and goes straight in.
	counts := tableCounts(t, dst)
	resp, body = importFile(t, admin, "evidence.zip", handlerstest.Pack(t, orig, files), handlerstest.Itoa(dst.OrgA.ID))
	field := regexp.MustCompile(`(?s)<p class="field-error" id="f-file-error">(.*?)</p>`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusConflict || field == nil || !strings.Contains(field[1], "holds this assessment already (the original or an earlier import)") ||
		!strings.Contains(body, `href="`+imported+`"`) || !strings.Contains(body, `name="again"`) {
		t.Errorf("the same pack again = %d, message %v; want 409, the earlier import linked and the box to import again", resp.StatusCode, field)
	}
	if after := tableCounts(t, dst); after != counts {
		t.Errorf("rows after the refused second import: %s, want %s", after, counts)
	}
	resp, _ = importFile(t, admin, "evidence.zip", handlerstest.Pack(t, orig, files), handlerstest.Itoa(dst.OrgA.ID), "again", "on")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") == imported {
		t.Errorf("imported again, ticked = %d to %q, want a new assessment", resp.StatusCode, resp.Header.Get("Location"))
	}
	// The message names the copy by the name it was given.
	if _, page := admin.Get(resp.Header.Get("Location")); !strings.Contains(html.UnescapeString(page), "“Production move 2027 (copy)” has been imported.") {
		t.Error("the message after importing a copy does not name the copy")
	}
	// Into an organisation that moves OpenCRVS: refused beside the
	// organisation, nothing imported.
	counts = tableCounts(t, dst)
	resp, body = importFile(t, admin, "evidence.zip", handlerstest.Pack(t, orig, files), handlerstest.Itoa(dst.OrgB.ID))
	if field := regexp.MustCompile(`(?s)<p class="field-error" id="f-organisation-error">(.*?)</p>`).FindStringSubmatch(body); resp.StatusCode != http.StatusUnprocessableEntity || field == nil ||
		!strings.Contains(field[1], "Ministry B moves OpenCRVS, and this assessment is on a template for CommCare HQ") {
		t.Errorf("a CommCare assessment into an OpenCRVS organisation = %d, message %v; want 422 beside the organisation", resp.StatusCode, field)
	}
	if after := tableCounts(t, dst); after != counts {
		t.Errorf("rows after the refused import: %s, want %s", after, counts)
	}
	orgC, err := dst.St.CreateOrganisation(t.Context(), 0, store.Organisation{Slug: "moh-c", Name: "Ministry C", Platform: "both"})
	if err != nil {
		t.Fatal(err)
	}
	if resp, _ := importFile(t, admin, "evidence.zip", handlerstest.Pack(t, orig, files), handlerstest.Itoa(orgC.ID)); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("into another organisation = %d, want 303", resp.StatusCode)
	}
	// Back into the organisation it came from, on the instance it came
	// from: the original is there, and is linked.
	srcAdmin := src.Browser(t)
	srcAdmin.SignIn("admin@example.org")
	if resp, body := importFile(t, srcAdmin, "evidence.zip", handlerstest.Pack(t, orig, files), handlerstest.Itoa(src.OrgA.ID)); resp.StatusCode != http.StatusConflict || !strings.Contains(body, `href="`+base+`"`) {
		t.Errorf("back into its own organisation = %d, want 409 linking the original %s", resp.StatusCode, base)
	}
	// It belongs to the organisation chosen, with its name.
	_, page := m.Get(imported)
	if !strings.Contains(page, "Production move 2027") {
		t.Errorf("the imported assessment's page does not show its name")
	}
}

// lineDiff shows the first lines where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) && i < len(g); i++ {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(w), len(g))
}

// TestImportRefusals refuses a pack whose approval snapshot was changed
// (its digest not), whose evidence file was changed, whose template
// version this instance lacks, whose answer the template refuses, whose
// action item names a thread it does not hold or has an owner or due date
// the action list would not take, and an export.json alone that lists
// evidence: each with its message beside the
// file field, and not one row written. Only admins reach the page.
func TestImportRefusals(t *testing.T) {
	src := handlerstest.NewEnv(t)
	base, b := handlerstest.ReviewedAssessment(t, src)
	orig, _, files := handlerstest.Exported(t, b, base)

	dst := handlerstest.NewEnv(t)
	admin := dst.Browser(t)
	admin.SignIn("admin@example.org")
	before := tableCounts(t, dst)

	// edit returns the export changed by fn on its decoded form.
	edit := func(fn func(doc map[string]any)) []byte {
		var doc map[string]any
		if err := json.Unmarshal(orig, &doc); err != nil {
			t.Fatal(err)
		}
		fn(doc)
		data, _ := json.Marshal(doc)
		return data
	}
	phase := func(doc map[string]any, i int) map[string]any {
		return doc["phases"].([]any)[i].(map[string]any)
	}
	tamperedSnapshot := edit(func(doc map[string]any) {
		ds := phase(doc, 0)["decisions"].([]any)
		d := ds[len(ds)-1].(map[string]any)
		d["snapshot"] = strings.Replace(d["snapshot"].(string), "CHW app", "CHW app (signed)", 1)
	})
	tamperedFiles := map[string][]byte{}
	for k, v := range files {
		tamperedFiles[k] = append([]byte(nil), v...)
		if strings.HasSuffix(k, ".csv") {
			tamperedFiles[k] = []byte("app,version\nCHW app,43\n")
		}
	}
	unknownVersion := edit(func(doc map[string]any) { doc["template"].(map[string]any)["version"] = 99 })
	badAnswer := edit(func(doc map[string]any) {
		for _, a := range phase(doc, 0)["answers"].([]any) {
			if a := a.(map[string]any); a["question"] == "environments" {
				a["value"] = []string{"testing", "the moon"}
			}
		}
	})
	action := func(fn func(a map[string]any)) []byte {
		return edit(func(doc map[string]any) {
			for _, a := range doc["actions"].([]any) {
				if a := a.(map[string]any); strings.HasPrefix(a["item"].(string), "thread:") {
					fn(a)
				}
			}
		})
	}
	strayThread := action(func(a map[string]any) { a["item"] = "thread:999999" })
	longOwner := action(func(a map[string]any) { a["owner"] = strings.Repeat("o", 121) })
	badDue := action(func(a map[string]any) { a["due"] = "31/03/2027" })
	overridden := edit(func(doc map[string]any) { doc["name"] = "\u202egnp.exe" })
	invisible := edit(func(doc map[string]any) { doc["name"] = "\u200b\u200b" })
	missing := map[string][]byte{}
	for k, v := range files {
		if !strings.HasSuffix(k, ".csv") {
			missing[k] = v
		}
	}
	cases := []struct {
		name string
		file string
		data []byte
		want string
	}{
		{"tampered snapshot", "evidence.zip", handlerstest.Pack(t, tamperedSnapshot, files), "The snapshot of the approval of phase 1.1 (revision 1) does not match its SHA-256 digest"},
		{"tampered evidence", "evidence.zip", handlerstest.Pack(t, orig, tamperedFiles), "does not match the SHA-256 its export.json names"},
		{"missing evidence", "evidence.zip", handlerstest.Pack(t, orig, missing), "is not in this zip file"},
		{"unknown template version", "evidence.zip", handlerstest.Pack(t, unknownVersion, files), "version 99, which this instance does not have"},
		{"invalid answer", "evidence.zip", handlerstest.Pack(t, badAnswer, files), "The answer to “planned environments” (phase 1.1) is not one this template accepts"},
		{"action item of a thread not in the export", "evidence.zip", handlerstest.Pack(t, strayThread, files), `action item “thread:999999” about a comment thread the export does not hold`},
		{"action item's owner too long", "evidence.zip", handlerstest.Pack(t, longOwner, files), "whose owner is longer than 120 characters"},
		{"action item's due date not a date", "evidence.zip", handlerstest.Pack(t, badDue, files), `whose due date “31/03/2027” is not a date (YYYY-MM-DD)`},
		{"a name that reads backwards", "evidence.zip", handlerstest.Pack(t, overridden, files), "name holds invisible direction controls"},
		{"a name of zero-width spaces", "evidence.zip", handlerstest.Pack(t, invisible, files), "This export has no valid assessment name"},
		{"export.json without its evidence", "export.json", orig, "lists 2 evidence files, which export.json alone does not hold"},
		{"not an export", "export.json", []byte(`{"hello": "world"}`), "is not an assessment exported by Groundwork"},
		{"an export's format alone", "export.json", []byte(`{"format": "groundwork-assessment-export/1"}`), "This file is not a complete assessment export: it does not say which template"},
		{"not JSON", "notes.txt", []byte("meeting notes"), "is not an assessment exported by Groundwork"},
		{"a zip without export.json", "other.zip", zipOf(t, "notes.txt"), "has no export.json at its top level"},
		{"export.json changed after the pack", "evidence.zip", repacked(t, handlerstest.Pack(t, orig, files), badAnswer), "does not match the SHA-256 its MANIFEST.txt lists"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := importFile(t, admin, c.file, c.data, handlerstest.Itoa(dst.OrgA.ID))
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("import = %d, want 422", resp.StatusCode)
			}
			field := regexp.MustCompile(`(?s)<p class="field-error" id="f-file-error">(.*?)</p>`).FindStringSubmatch(body)
			if field == nil || !strings.Contains(field[1], c.want) || !strings.Contains(field[1], "Nothing was imported.") {
				t.Errorf("the file's message = %v, want %q", field, c.want)
			}
			if !strings.Contains(body, `<option value="`+handlerstest.Itoa(dst.OrgA.ID)+`" selected`) {
				t.Errorf("the organisation chosen is not kept")
			}
			if after := tableCounts(t, dst); after != before {
				t.Errorf("rows after a refused import: %s, want %s", after, before)
			}
		})
	}
	// A field missing: both messages, beside their fields.
	resp, body := importFile(t, admin, "export.json", orig, "")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose the organisation the assessment moves into.") {
		t.Errorf("no organisation: %d", resp.StatusCode)
	}

	// Only admins: everyone else gets 404 for the page and the upload.
	for _, who := range []string{"manager@example.org", "advisor@example.org", "viewer@example.org"} {
		o := dst.Browser(t)
		o.SignIn(who)
		if resp, _ := o.Get("/admin/import"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: GET /admin/import = %d, want 404", who, resp.StatusCode)
		}
		if resp, _ := importFile(t, o, "evidence.zip", handlerstest.Pack(t, orig, files), handlerstest.Itoa(dst.OrgA.ID)); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: POST /admin/import = %d, want 404", who, resp.StatusCode)
		}
	}
	if after := tableCounts(t, dst); after != before {
		t.Errorf("rows after refused imports: %s, want %s", after, before)
	}
}

// TestImportPeopleWithoutAccounts imports an export naming an advisor
// whose e-mail address has no account here: their decisions and comments
// are recorded as the importing admin, start with their name, and the
// audit trail lists them; the snapshots keep their name as it was.
func TestImportPeopleWithoutAccounts(t *testing.T) {
	src := handlerstest.NewEnv(t)
	base, b := handlerstest.ReviewedAssessment(t, src)
	orig, origDoc, files := handlerstest.Exported(t, b, base)
	var doc map[string]any
	if err := json.Unmarshal(orig, &doc); err != nil {
		t.Fatal(err)
	}
	for _, p := range doc["people"].([]any) {
		if p := p.(map[string]any); p["email"] == "advisor@example.org" {
			p["email"] = "advisor@pilot.example.org"
		}
	}
	changed, _ := json.Marshal(doc)

	dst := handlerstest.NewEnv(t)
	admin := dst.Browser(t)
	admin.SignIn("admin@example.org")
	resp, body := importFile(t, admin, "evidence.zip", handlerstest.Pack(t, changed, files), handlerstest.Itoa(dst.OrgA.ID))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import = %d\n%s", resp.StatusCode, body)
	}
	id := handlerstest.MustID(t, resp.Header.Get("Location"))
	ctx := context.Background()
	threads, err := dst.St.Threads(ctx, dst.Admin.ID, id, "1.1")
	if err != nil || len(threads) != 2 {
		t.Fatalf("threads = %d, %v", len(threads), err)
	}
	q := threads[0]
	if q.Author != "admin" || q.Body != "[advisor, imported] @manager is this the May diagram?" {
		t.Errorf("the advisor's comment = %q by %q, want it by the admin, starting with the advisor's name", q.Body, q.Author)
	}
	if len(q.Replies) != 1 || q.Replies[0].Author != "manager" || q.Replies[0].Body != "Yes, from May." {
		t.Errorf("the manager's reply = %+v, want it by the manager (matched by e-mail), as written", q.Replies)
	}
	ds, err := dst.St.PhaseDecisions(ctx, dst.Admin.ID, id, "1.1")
	if err != nil || len(ds) != 4 {
		t.Fatalf("decisions = %d, %v", len(ds), err)
	}
	if ds[3].By != "admin" || !strings.HasPrefix(ds[3].Reason, "[advisor, imported] ") || ds[0].By != "manager" {
		t.Errorf("decisions by %q (%q) and %q", ds[3].By, ds[3].Reason, ds[0].By)
	}
	if ds[3].Verify() != nil || fmt.Sprintf("%x", ds[3].Digest) != origDoc.Phases[0].Decisions[3].SHA256 || !strings.Contains(string(ds[3].Snapshot), `"decided_by":"advisor"`) {
		t.Errorf("the approval's snapshot changed on import")
	}
	_, audit := admin.Get(fmt.Sprintf("/assessments/%d/audit", id))
	if !strings.Contains(audit, "recorded as the importing admin (no account here with their e-mail address): advisor &lt;advisor@pilot.example.org&gt;") {
		t.Errorf("the audit trail does not list the advisor without an account")
	}
}

// An archived assessment's export says when it was archived and by whom,
// and its import is archived too: left out of the lists, listed with the
// archived ones, restored like any other. An export that says it is
// archived while a phase waits for review, which archiving ends, is
// refused.
func TestImportKeepsTheArchive(t *testing.T) {
	src := handlerstest.NewEnv(t)
	mgr, base := handlerstest.Submitted11(t, src)
	waiting, _, files := handlerstest.Exported(t, mgr, base)
	if bytes.Contains(waiting, []byte(`"archived_`)) {
		t.Errorf("the export of an assessment in use names an archive:\n%s", waiting)
	}
	if resp, _ := mgr.Post(base+"/archive", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("archive = %d", resp.StatusCode)
	}
	archived, _, _ := handlerstest.Exported(t, mgr, base)
	var doc struct {
		ArchivedAt *time.Time `json:"archived_at"`
		ArchivedBy string     `json:"archived_by"`
		People     []struct{ Name, Email string }
	}
	if err := json.Unmarshal(archived, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ArchivedAt == nil || time.Since(*doc.ArchivedAt) > time.Minute || doc.ArchivedBy != "manager" {
		t.Fatalf("archived export: archived_at %v by %q, want now by manager", doc.ArchivedAt, doc.ArchivedBy)
	}

	dst := handlerstest.NewEnv(t)
	admin := dst.Browser(t)
	admin.SignIn("admin@example.org")
	resp, body := importFile(t, admin, "evidence.zip", handlerstest.Pack(t, archived, files), handlerstest.Itoa(dst.OrgA.ID))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import = %d\n%s", resp.StatusCode, body)
	}
	imported := resp.Header.Get("Location")
	if _, page := admin.Get(imported); !strings.Contains(page, "archived as it was there: restore it to work on it") {
		t.Error("the message after the import does not say the assessment came archived")
	}
	a, err := dst.St.Assessment(context.Background(), dst.Admin.ID, handlerstest.MustID(t, imported))
	if err != nil {
		t.Fatal(err)
	}
	if !a.ArchivedAt.Equal(*doc.ArchivedAt) || a.ArchivedBy != "manager" {
		t.Errorf("imported: archived at %v by %q, want %v by manager", a.ArchivedAt, a.ArchivedBy, *doc.ArchivedAt)
	}
	m := dst.Browser(t)
	m.SignIn("manager@example.org")
	if _, list := m.Get("/assessments"); strings.Contains(list, `href="`+imported+`"`) {
		t.Error("the imported archived assessment is listed with those in use")
	}
	if _, list := m.Get("/assessments?archived=1"); !strings.Contains(list, `href="`+imported+`"`) {
		t.Error("the imported archived assessment is not listed with the archived ones")
	}
	if again, _, _ := handlerstest.Exported(t, m, imported); normalised(again) != normalised(archived) {
		t.Errorf("the import's export differs from the original's:\n%s", lineDiff(normalised(archived), normalised(again)))
	}
	_, audit := m.Get(imported + "/audit")
	if !strings.Contains(audit, "archived, as it was there") {
		t.Error("the audit trail does not say the import came archived")
	}
	if resp, _ := m.Post(imported+"/restore", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("restore the imported assessment = %d", resp.StatusCode)
	}

	// Phase 1.1 waits for review in the first export; saying it is
	// archived does not make it so.
	forged := bytes.Replace(waiting, []byte(`"exported_at"`), []byte(`"archived_at": "2026-12-01T10:00:00Z",
  "exported_at"`), 1)
	before := tableCounts(t, dst)
	resp, body = importFile(t, admin, "evidence.zip", handlerstest.Pack(t, forged, files), handlerstest.Itoa(dst.OrgA.ID), "again", "on")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "its phase 1.1 waits for review, which an archived assessment cannot") {
		t.Errorf("import of an archived export with a phase waiting = %d, want 422 saying why\n%.2000s", resp.StatusCode, body)
	}
	if after := tableCounts(t, dst); after != before {
		t.Errorf("the refused import wrote: %s, was %s", after, before)
	}
}

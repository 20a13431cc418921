package handlers_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"groundwork/assessment"
	"groundwork/handlers/handlerstest"
)

// exportFixture is an assessment of organisation A with phase 1.1
// answered (a formula-like answer among them), two checkpoints confirmed
// (one with a note, a link and two evidence files, one with a note that
// starts like a formula), submitted and sent back by the advisor with a
// change request (an open thread) and an open comment that starts like a
// formula.
type exportFixture struct {
	e       *handlerstest.Env
	mgr     *handlerstest.Browser
	base    string
	png     []byte
	hostile []byte
}

const (
	exportNote = "Drawn in draw.io by the infrastructure team,\nchecked against the live servers."
	bidiName   = "\u202Egnp.exe.png" // right-to-left override: reads as "png.exe" reversed
)

func newExportFixture(t *testing.T) *exportFixture {
	t.Helper()
	e := handlerstest.NewEnv(t)
	f := &exportFixture{e: e, mgr: e.Browser(t), png: []byte("\x89PNG\r\n\x1a\nfirst file"), hostile: []byte("\x89PNG\r\n\x1a\nsecond file")}
	f.mgr.SignIn("manager@example.org")
	f.base = handlerstest.Start(t, f.mgr, true)
	form := handlerstest.Phase11()
	form.Set("growth_projections", "=1+1")
	form.Set("cn.architecture_diagram_created", exportNote)
	form.Set("cu.architecture_diagram_created", "https://example.org/diagram")
	form.Set("cn.mobile_app_inventory_documented", "=HYPERLINK(\"http://evil\",\"x\")")
	handlerstest.AddVersions(t, f.mgr, f.base+"/phases/1.1", form)
	if resp, body := f.mgr.Post(f.base+"/phases/1.1", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill 1.1 = %d\n%.3000s", resp.StatusCode, body)
	}
	up := f.base + "/phases/1.1/checkpoints/architecture_diagram_created/evidence"
	if resp, _ := handlerstest.Upload(t, f.mgr, up, "diagram.png", f.png); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	if resp, _ := handlerstest.Upload(t, f.mgr, up, "../../"+bidiName, f.hostile); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload of the hostile name = %d", resp.StatusCode)
	}
	handlerstest.Posted(t, "submit", f.mgr, f.base+"/phases/1.1/submit", url.Values{})
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	handlerstest.Posted(t, "comment", adv, f.base+"/phases/1.1/comments", url.Values{"comment": {"=SUM(A1) please check the diagram"}})
	handlerstest.Posted(t, "request changes", adv, f.base+"/phases/1.1/review", url.Values{"decision": {"changes"}, "comment": {"Attach the network diagram too."}})
	return f
}

// templateCheckpoints lists the commcare template's checkpoints in order.
func templateCheckpoints(t *testing.T) []*assessment.Checkpoint {
	t.Helper()
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tpl, ok := cat.Template("commcare-transition", 1)
	if !ok {
		t.Fatal("no commcare-transition@1")
	}
	var out []*assessment.Checkpoint
	for _, p := range tpl.Phases {
		out = append(out, p.Checkpoints...)
	}
	return out
}

// TestCheckpointsCSV checks the matrix: one row per checkpoint of the
// template, in its order, with the columns asked for; a confirmed
// checkpoint with its confirmation, link, files, note, the advisor's
// decision and the open comments; formula-like text neutralised.
func TestCheckpointsCSV(t *testing.T) {
	f := newExportFixture(t)
	resp, body := f.mgr.Get(f.base + "/checkpoints.csv")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("checkpoints.csv = %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	if strings.HasPrefix(body, "\uFEFF") {
		t.Error("checkpoints.csv starts with a byte order mark; the portal's other CSVs do not")
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHead := []string{"Phase", "Phase title", "Phase status", "Checkpoint key", "Checkpoint", "Blocking", "Status",
		"Confirmed by", "Confirmed at (UTC)", "Evidence link", "Evidence files", "How it was done",
		"Advisor decision", "Decided by", "Decided at (UTC)", "Decision note", "Open comments", "Open comment text"}
	if fmt.Sprint(recs[0]) != fmt.Sprint(wantHead) {
		t.Fatalf("header = %q\nwant %q", recs[0], wantHead)
	}
	cps := templateCheckpoints(t)
	if len(recs)-1 != len(cps) {
		t.Fatalf("%d rows, want one per checkpoint of the template (%d)", len(recs)-1, len(cps))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for i, c := range cps {
		if got := recs[i+1][col["Checkpoint key"]]; got != c.Key {
			t.Errorf("row %d is %s, want %s (the template's order)", i+1, got, c.Key)
		}
	}
	row := func(key string) map[string]string {
		for _, r := range recs[1:] {
			if r[col["Checkpoint key"]] == key {
				m := map[string]string{}
				for h, i := range col {
					m[h] = r[i]
				}
				return m
			}
		}
		t.Fatalf("no row for %s", key)
		return nil
	}
	arch := row("architecture_diagram_created")
	for k, want := range map[string]string{
		"Phase": "1.1", "Phase status": "Changes requested", "Blocking": "Yes", "Status": "Confirmed", "Confirmed by": "manager",
		"Evidence link": "https://example.org/diagram", "Evidence files": "diagram.png\n" + bidiName, "How it was done": exportNote,
		"Advisor decision": "Changes requested", "Decided by": "advisor", "Decision note": "Attach the network diagram too.",
		"Open comments": "2",
	} {
		if arch[k] != want {
			t.Errorf("architecture_diagram_created: %s = %q, want %q", k, arch[k], want)
		}
	}
	for _, k := range []string{"Confirmed at (UTC)", "Decided at (UTC)"} {
		if at, err := time.Parse(time.RFC3339, arch[k]); err != nil || time.Since(at) > time.Hour {
			t.Errorf("%s = %q, want a recent RFC 3339 time (%v)", k, arch[k], err)
		}
	}
	if open := arch["Open comment text"]; !strings.Contains(open, "advisor: =SUM(A1) please check the diagram") || !strings.Contains(open, "advisor: Attach the network diagram too.") {
		t.Errorf("open comment text = %q, want both open threads", open)
	}
	if got := row("mobile_app_inventory_documented")["How it was done"]; got != `'=HYPERLINK("http://evil","x")` {
		t.Errorf("a formula-like note = %q, want it neutralised with a leading quote", got)
	}
	if got := row("intended_scale_documented"); got["Status"] != "Not confirmed" || got["Confirmed by"] != "" || got["Phase status"] != "Locked" || got["Advisor decision"] != "" {
		t.Errorf("a checkpoint of a locked phase = %v", got)
	}
}

// TestExportsAccess: a reader of the assessment gets every export; a
// person of another organisation gets 404, as for the assessment itself;
// signed out, the sign-in page.
func TestExportsAccess(t *testing.T) {
	f := newExportFixture(t)
	viewer := f.e.Browser(t)
	viewer.SignIn("viewer@example.org")
	other := f.e.Browser(t)
	other.SignIn("manager@b.example.org")
	anon := f.e.Browser(t)
	for _, file := range []string{"/checkpoints.csv", "/report.xlsx", "/evidence.zip"} {
		if resp, _ := viewer.Get(f.base + file); resp.StatusCode != http.StatusOK {
			t.Errorf("viewer %s = %d, want 200", file, resp.StatusCode)
		}
		if resp, body := other.Get(f.base + file); resp.StatusCode != http.StatusNotFound || strings.Contains(body, "diagram") {
			t.Errorf("another organisation's manager %s = %d, want 404 and nothing of it", file, resp.StatusCode)
		}
		if resp, _ := anon.Get(f.base + file); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("signed out %s = %d, want 303 to sign in", file, resp.StatusCode)
		}
	}
	if resp, _ := viewer.Get("/assessments/999999/evidence.zip"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("no such assessment = %d", resp.StatusCode)
	}
	_, page := viewer.Get(f.base)
	wantIn(t, "the overview", page, `href="`+f.base+`/checkpoints.csv" download`, `href="`+f.base+`/report.xlsx" download`,
		`href="`+f.base+`/evidence.zip" download`, `href="`+f.base+`/export.json" download`)
}

// TestReportXLSX opens the workbook: the matrix and one sheet per phase,
// header rows frozen, dates as numbers with a date format, a formula-like
// answer and note as string cells with no formula.
func TestReportXLSX(t *testing.T) {
	f := newExportFixture(t)
	resp, body := f.mgr.Get(f.base + "/report.xlsx")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("report.xlsx = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	cat, _ := assessment.Embedded()
	tpl, _ := cat.Template("commcare-transition", 1)
	sheets := x.GetSheetList()
	if len(sheets) != 2+len(tpl.Phases) || sheets[0] != "Checkpoints" || sheets[1] != "Sizing" || !strings.HasPrefix(sheets[2], "1.1 ") {
		t.Fatalf("sheets = %q, want Checkpoints, Sizing and one per phase (%d)", sheets, len(tpl.Phases))
	}
	// Before phase 1.2 is answered, the sizing sheet says what it waits for.
	if sz, _ := x.GetRows("Sizing"); !slices.ContainsFunc(sz, func(r []string) bool {
		return len(r) > 1 && r[0] == "Not computed yet" && strings.Contains(r[1], "expected users")
	}) {
		t.Errorf("the Sizing sheet does not say what it waits for: %q", sz)
	}
	for _, s := range sheets {
		p, err := x.GetPanes(s)
		if err != nil || !p.Freeze || p.YSplit != 1 {
			t.Errorf("%s: panes = %+v, %v, want the header row frozen", s, p, err)
		}
		if w, _ := x.GetColWidth(s, "B"); w < 20 {
			t.Errorf("%s: column B is %v wide, want a set width", s, w)
		}
		// The used range is declared (readers that stream a sheet rely on
		// it), and a filter covers every row, not the header alone.
		rows, _ := x.GetRows(s)
		if d, _ := x.GetSheetDimension(s); !strings.HasSuffix(d, strconv.Itoa(len(rows))) || !strings.HasPrefix(d, "A1:") {
			t.Errorf("%s: dimension %q, want A1 to its last row (%d)", s, d, len(rows))
		}
	}
	filters := map[string]string{}
	for _, d := range x.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" {
			filters[d.Scope] = d.RefersTo
		}
	}
	if r := filters["Checkpoints"]; !strings.HasSuffix(r, "$"+strconv.Itoa(len(templateCheckpoints(t))+1)) {
		t.Errorf("the Checkpoints sheet's filter covers %q, want every row (%d)", r, len(templateCheckpoints(t))+1)
	}
	rows, _ := x.GetRows("Checkpoints")
	if len(rows)-1 != len(templateCheckpoints(t)) {
		t.Errorf("Checkpoints has %d rows, want one per checkpoint", len(rows)-1)
	}
	find := func(sheet, col, value string) string { // the cell in col of the row whose column D or A is value
		t.Helper()
		rows, _ := x.GetRows(sheet)
		for i, r := range rows {
			for _, v := range r[:min(4, len(r))] {
				if v == value {
					return col + strconv.Itoa(i+1)
				}
			}
		}
		t.Fatalf("%s: no row for %s", sheet, value)
		return ""
	}
	// Dates are numbers with a date format.
	at := find("Checkpoints", "I", "architecture_diagram_created")
	raw, _ := x.GetCellValue("Checkpoints", at, excelize.Options{RawCellValue: true})
	if serial, err := strconv.ParseFloat(raw, 64); err != nil || serial < 46000 {
		t.Errorf("confirmed at %s = %q, want an Excel date serial", at, raw)
	}
	styleID, _ := x.GetCellStyle("Checkpoints", at)
	st, err := x.GetStyle(styleID)
	if err != nil || st.CustomNumFmt == nil || !strings.Contains(*st.CustomNumFmt, "yyyy") {
		t.Errorf("confirmed at %s: style %+v, %v, want a date number format", at, st, err)
	}
	if shown, _ := x.GetCellValue("Checkpoints", at); !strings.HasPrefix(shown, time.Now().UTC().Format("2006-01-02")) {
		t.Errorf("confirmed at shows %q, want today's date", shown)
	}
	// Formula-like text is a string, never a formula.
	for _, c := range []struct{ sheet, cell, want string }{
		{sheets[2], find(sheets[2], "C", "growth_projections"), "=1+1"},
		{"Checkpoints", find("Checkpoints", "L", "mobile_app_inventory_documented"), `=HYPERLINK("http://evil","x")`},
	} {
		typ, _ := x.GetCellType(c.sheet, c.cell)
		formula, _ := x.GetCellFormula(c.sheet, c.cell)
		v, _ := x.GetCellValue(c.sheet, c.cell)
		if (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) || formula != "" || v != c.want {
			t.Errorf("%s!%s: type %v, formula %q, value %q; want the string %q", c.sheet, c.cell, typ, formula, v, c.want)
		}
	}
	// A table answer reads as one line per row.
	if v, _ := x.GetCellValue(sheets[2], find(sheets[2], "C", "mobile_apps")); !strings.Contains(v, "CHW app") || !strings.Contains(v, "1,200") {
		t.Errorf("the table answer reads %q", v)
	}
}

// TestEvidenceZip opens the pack: every file in its layout, MANIFEST.txt
// last with the SHA-256 and size of every other file, the evidence bytes
// as uploaded, export.json's "file" entries present, and zip names that
// no archive tool reads as a path or a bidi trick.
func TestEvidenceZip(t *testing.T) {
	f := newExportFixture(t)
	resp, body := f.mgr.Get(f.base + "/evidence.zip")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("evidence.zip = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	var names []string
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		files[zf.Name] = data
		names = append(names, zf.Name)
		if strings.Contains(zf.Name, "..") || strings.HasPrefix(zf.Name, "/") || strings.Contains(zf.Name, `\`) || strings.Contains(zf.Name, ":") {
			t.Errorf("zip name %q reads as a path", zf.Name)
		}
		for _, r := range zf.Name {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r > 0x7e {
				t.Errorf("zip name %q has the character %U", zf.Name, r)
			}
		}
	}
	if len(names) != 7 || names[0] != "checkpoints.csv" || names[1] != "report.xlsx" || names[2] != "export.json" || names[5] != "SHA256SUMS" || names[6] != "MANIFEST.txt" {
		t.Fatalf("zip holds %q, want checkpoints.csv, report.xlsx, export.json, two evidence files, SHA256SUMS, MANIFEST.txt (no report.pdf without a renderer)", names)
	}
	// SHA256SUMS checks with sha256sum itself, in the unpacked folder.
	dir := t.TempDir()
	for name, data := range files {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "-c", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil || strings.Count(string(out), ": OK") != 5 {
			t.Errorf("sha256sum -c SHA256SUMS: %v\n%s", err, out)
		}
	}
	listed := names[:len(names)-2] // what MANIFEST.txt lists: all but the two lists of sums
	var doc struct {
		Phases []struct {
			Checkpoints []struct {
				Note     string                                    `json:"note"`
				Evidence []struct{ Filename, SHA256, File string } `json:"evidence"`
			} `json:"checkpoints"`
		} `json:"phases"`
	}
	if err := json.Unmarshal(files["export.json"], &doc); err != nil {
		t.Fatal(err)
	}
	ev := doc.Phases[0].Checkpoints[0].Evidence
	if len(ev) != 2 || doc.Phases[0].Checkpoints[0].Note != exportNote {
		t.Fatalf("export.json's first checkpoint = %+v", doc.Phases[0].Checkpoints[0])
	}
	for i, want := range [][]byte{f.png, f.hostile} {
		if !bytes.Equal(files[ev[i].File], want) {
			t.Errorf("%s (%q) holds %q, want the uploaded bytes", ev[i].File, ev[i].Filename, files[ev[i].File])
		}
		if sum := sha256.Sum256(want); hex.EncodeToString(sum[:]) != ev[i].SHA256 {
			t.Errorf("export.json's sha256 of %s differs from the file's", ev[i].File)
		}
		if !strings.HasPrefix(ev[i].File, "evidence/1.1/") {
			t.Errorf("evidence file at %q, want under evidence/1.1/", ev[i].File)
		}
	}
	lines := strings.Split(strings.TrimSuffix(string(files["MANIFEST.txt"]), "\n"), "\n")
	if len(lines) != len(listed) {
		t.Fatalf("MANIFEST.txt has %d lines, want one per other file (%d):\n%s", len(lines), len(listed), files["MANIFEST.txt"])
	}
	for i, line := range lines {
		parts := strings.SplitN(line, "  ", 3)
		if len(parts) != 3 || parts[2] != listed[i] {
			t.Errorf("manifest line %q, want <sha256>  <size>  %s", line, listed[i])
			continue
		}
		sum := sha256.Sum256(files[parts[2]])
		if parts[0] != hex.EncodeToString(sum[:]) || parts[1] != strconv.Itoa(len(files[parts[2]])) {
			t.Errorf("manifest line %q does not match the file (%x, %d bytes)", line, sum, len(files[parts[2]]))
		}
	}
	if recs, err := csv.NewReader(bytes.NewReader(files["checkpoints.csv"])).ReadAll(); err != nil || len(recs)-1 != len(templateCheckpoints(t)) {
		t.Errorf("the pack's checkpoints.csv: %d records, %v", len(recs), err)
	}
	if _, err := excelize.OpenReader(bytes.NewReader(files["report.xlsx"])); err != nil {
		t.Errorf("the pack's report.xlsx does not open: %v", err)
	}
}

// TestCheckpointNote: the note on how a checkpoint was done is saved by
// the phase form and by the checkpoint's autosave, trimmed; one too long
// is refused beside the checkpoint, kept as typed, and nothing of the
// form's other changes to it is lost; it shows on the form, in the
// advisor's readout and in the history.
func TestCheckpointNote(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	p := base + "/phases/1.1"
	const key = "architecture_diagram_created"
	htmx := []string{"HX-Request", "true"}

	// Autosave: saved, trimmed.
	resp, frag := b.Do(http.MethodPost, p+"/checkpoints/"+key, url.Values{"c." + key: {"on"}, "cn." + key: {"  Drawn by Amina <b>in May</b>.  "}, "_cv." + key: {"0"}}, htmx...)
	if resp.StatusCode != http.StatusOK || !strings.Contains(frag, "Saved") {
		t.Fatalf("autosave of a note = %d\n%.1000s", resp.StatusCode, frag)
	}
	if got := handlerstest.State(t, e, base).Confirmations[key]; got.Note != "Drawn by Amina <b>in May</b>." || !got.Confirmed || got.Version != 1 {
		t.Fatalf("stored = %+v", got)
	}
	// Too long: refused with the count, nothing saved.
	long := strings.Repeat("é", 2001)
	resp, frag = b.Do(http.MethodPost, p+"/checkpoints/"+key, url.Values{"c." + key: {"on"}, "cn." + key: {long}, "_cv." + key: {"1"}}, htmx...)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(frag, "Shorten the note on how it was done to 2,000 characters (it has 2,001).") {
		t.Errorf("autosave of a long note = %d\n%.1000s", resp.StatusCode, frag)
	}
	if got := handlerstest.State(t, e, base).Confirmations[key]; got.Version != 1 {
		t.Errorf("a refused note was saved: %+v", got)
	}
	// The phase form: a long note refused beside its checkpoint, kept as
	// typed, the other answers saved.
	form := handlerstest.Phase11()
	form.Set("cn."+key, long)
	handlerstest.AddVersions(t, b, p, form)
	resp, page := b.Post(p, form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("phase form with a long note = %d", resp.StatusCode)
	}
	wantIn(t, "the refused form", page, "How it was done: Shorten the note", `href="#c-`+key+`"`, ">"+long+"</textarea>", `id="i-cn-`+key+`"`, `aria-invalid="true"`)
	st := handlerstest.State(t, e, base)
	if st.Answers["growth_projections"].Value == "" || st.Confirmations[key].Note != "Drawn by Amina <b>in May</b>." {
		t.Errorf("after the refused note: answers %v, note %q", st.Answers["growth_projections"], st.Confirmations[key].Note)
	}
	// The phase form saves a good note; the form shows it; the history says it.
	form = handlerstest.Phase11()
	form.Set("cn."+key, "Drawn by Amina.")
	handlerstest.AddVersions(t, b, p, form)
	if resp, body := b.Post(p, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("phase form with a note = %d\n%.2000s", resp.StatusCode, body)
	}
	if got := handlerstest.State(t, e, base).Confirmations[key]; got.Note != "Drawn by Amina." {
		t.Errorf("note after the form = %q", got.Note)
	}
	_, page = b.Get(p)
	wantIn(t, "the phase page", page, `<label for="i-cn-`+key+`">How it was done`, ">Drawn by Amina.</textarea>")
	_, page = b.Get(base + "/history/checkpoint/" + key)
	wantIn(t, "the history", page, "how: Drawn by Amina.")
	// The advisor reads it, escaped.
	handlerstest.Upload(t, b, p+"/checkpoints/"+key+"/evidence", "d.pdf", []byte("%PDF-1.4 x"))
	handlerstest.Posted(t, "submit", b, p+"/submit", url.Values{})
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	_, page = adv.Get(p)
	wantIn(t, "the advisor's readout", page, "<strong>How it was done:</strong>", "Drawn by Amina.")
}

// TestReportXLSXSizingInputs: on the Sizing sheet, the answers the
// recommendation comes from are typed cells: a number answer a number with
// its unit, the growth timeline a table of dates and numbers, to chart.
func TestReportXLSXSizingInputs(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	if resp, _ := b.Post(base+"/phases/1.1", handlerstest.Phase11()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill 1.1 = %d", resp.StatusCode)
	}
	if resp, _ := b.Post(base+"/phases/1.2", handlerstest.Phase12("2500")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fill 1.2 = %d", resp.StatusCode)
	}
	_, body := b.Get(base + "/report.xlsx")
	x, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Sizing")
	at := -1
	for i, r := range rows {
		if len(r) > 0 && strings.HasPrefix(r[0], "Timeline to achieve the intended scale") {
			at = i + 1 // 1-based: the prompt's row, which holds the table's header from column B
		}
	}
	if at < 0 || len(rows) < at+2 {
		t.Fatalf("no growth timeline on the Sizing sheet:\n%q", rows)
	}
	if h := rows[at-1]; len(h) < 3 || h[1] != "Date active" || h[2] != "Users" {
		t.Errorf("the timeline's header = %q, want Date active and Users from column B", h)
	}
	first := strconv.Itoa(at + 1)
	date, _ := x.GetCellValue("Sizing", "B"+first, excelize.Options{RawCellValue: true})
	users, _ := x.GetCellValue("Sizing", "C"+first, excelize.Options{RawCellValue: true})
	shown, _ := x.GetCellValue("Sizing", "B"+first)
	if serial, err := strconv.ParseFloat(date, 64); err != nil || serial < 46000 || shown != "2027-01-01" || users != "800" {
		t.Errorf("the timeline's first row: date %q shown %q, users %q; want a date serial shown 2027-01-01 and the number 800", date, shown, users)
	}
	for i, r := range rows {
		if len(r) > 1 && strings.HasPrefix(r[0], "How many CommCare users") {
			if v, _ := x.GetCellValue("Sizing", "B"+strconv.Itoa(i+1), excelize.Options{RawCellValue: true}); v != "2500" {
				t.Errorf("the expected users on the Sizing sheet = %q, want the number 2500", v)
			}
		}
	}
}

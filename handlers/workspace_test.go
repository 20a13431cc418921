package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"groundwork/assessment"
	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

func TestStartAssessmentAndOverview(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	if resp, body := b.Post("/assessments", url.Values{"template": {"commcare-transition@1"}, "name": {" "}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Give the assessment a name") {
		t.Errorf("nameless assessment = %d", resp.StatusCode)
	}
	if resp, _ := b.Post("/assessments", url.Values{"template": {"commcare-transition@99"}, "name": {"X"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("unknown template version = %d", resp.StatusCode)
	}
	// An older version exists (for the assessments pinned to it) but the
	// form does not offer it, so it is refused too.
	crvs := e.Browser(t)
	crvs.SignIn("manager@b.example.org")
	if resp, body := crvs.Post("/assessments", url.Values{"template": {"opencrvs-server-hosted@1"}, "name": {"X"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "new assessments start on version 2") {
		t.Errorf("older template version = %d, want 422 naming the version offered\n%s", resp.StatusCode, body)
	}
	base := handlerstest.Start(t, b, false)
	if !regexp.MustCompile(`^/assessments/\d+$`).MatchString(base) {
		t.Fatalf("created at %q", base)
	}
	resp, body := b.Get(base)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("overview = %d", resp.StatusCode)
	}
	if n := strings.Count(body, `class="step `); n != 14 {
		t.Errorf("overview shows %d phases, want 14", n)
	}
	for _, want := range []string{"Production move 2027", "System assessment and design", "Locked", `href="` + base + `/phases/1.1#q-architecture_diagram_url"`, "1.1: answer “A link to the system architecture diagram including all planned environments and system integrations”"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
	// The dashboard lists it with what it waits on.
	_, home := b.Get("/")
	if !strings.Contains(home, "Production move 2027") || !strings.Contains(home, "Program manager: complete phase 1.1") {
		t.Errorf("dashboard does not list the assessment with its next step")
	}
	// Others: viewers and advisors read, another organisation gets 404.
	for _, who := range []string{"viewer@example.org", "advisor@example.org", "admin@example.org"} {
		o := e.Browser(t)
		o.SignIn(who)
		if resp, _ := o.Get(base); resp.StatusCode != http.StatusOK {
			t.Errorf("%s reads the overview: %d", who, resp.StatusCode)
		}
		if resp, _ := o.Post("/assessments", url.Values{"template": {"commcare-transition@1"}, "name": {"Mine"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s starts an assessment: %d, want 403", who, resp.StatusCode)
		}
	}
	other := e.Browser(t)
	other.SignIn("manager@b.example.org")
	for _, p := range []string{base, base + "/phases/1.1", base + "/export.json", base + "/history/answer/expected_users"} {
		if resp, _ := other.Get(p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another organisation's manager GET %s = %d, want 404", p, resp.StatusCode)
		}
	}
}

func TestFullFormSaveKeepsValidAnswersAndShowsErrors(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	form := handlerstest.Phase11()
	form.Set("architecture_diagram_url", "not a link")
	form.Set("mobile_apps.0.users", "lots")
	resp, body := b.Post(base+"/phases/1.1", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("save with two bad answers = %d", resp.StatusCode)
	}
	// The progress shows what was saved by this very request.
	for _, want := range []string{"Some answers were not saved", `href="#q-architecture_diagram_url"`, `value="not a link"`, `value="lots"`, "row 1",
		`aria-invalid="true" aria-describedby="cell-mobile_apps-0-users"`, `id="cell-mobile_apps-0-users"`,
		"3 of 5 required questions answered", "2 of 2 checkpoints confirmed"} {
		if !strings.Contains(body, want) {
			t.Errorf("refused page lacks %q", want)
		}
	}
	st := handlerstest.State(t, e, base)
	if st.Answers["growth_projections"].Value != "Double the users in two years." || st.Answers["environments"].Value == "" {
		t.Errorf("valid neighbours were not saved: %v", st.Answers)
	}
	if _, ok := st.Answers["architecture_diagram_url"]; ok {
		t.Error("an invalid answer was stored")
	}
	if !st.Confirmations["architecture_diagram_created"].Confirmed {
		t.Error("the checkpoint confirmed on the same form was not saved")
	}
	// Fixing them completes the phase and opens 1.2.
	for k, v := range handlerstest.Phase11() {
		form[k] = v
	}
	for k := range form {
		if strings.HasPrefix(k, "_v.") {
			delete(form, k)
		}
	}
	handlerstest.AddVersions(t, b, base+"/phases/1.1", form)
	resp, body = b.Post(base+"/phases/1.1", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("fixed save = %d\n%.800s", resp.StatusCode, body)
	}
	_, page := b.Get(base + "/phases/1.1")
	if !strings.Contains(page, "Phase 1.1 saved.") || !strings.Contains(page, ">Complete<") {
		t.Errorf("after the fix the phase is not complete")
	}
	_, next := b.Get(base + "/phases/1.2")
	if strings.Contains(next, "This phase is locked") {
		t.Error("phase 1.2 still locked after 1.1 was completed")
	}
}

// A value shown again as typed (refused, or after a row operation) keeps
// the version its author started from: fixing and saving it must conflict
// with what someone saved meanwhile, never overwrite it.
func TestRefusedValueKeepsItsStartingVersion(t *testing.T) {
	e := handlerstest.NewEnv(t)
	a := e.Browser(t)
	a.SignIn("manager@example.org")
	base := handlerstest.Start(t, a, false)
	form := handlerstest.Phase11()
	handlerstest.AddVersions(t, a, base+"/phases/1.1", form) // A opens the page: everything at version 0

	b := e.Browser(t)
	b.SignIn("manager@example.org")
	htmx := []string{"HX-Request", "true"}
	if resp, _ := b.Do(http.MethodPost, base+"/phases/1.1/answers/architecture_diagram_url",
		url.Values{"architecture_diagram_url": {"https://example.org/theirs.pdf"}, "_v.architecture_diagram_url": {"0"}}, htmx...); resp.StatusCode != http.StatusOK {
		t.Fatalf("B's autosave = %d", resp.StatusCode)
	}
	if resp, _ := b.Do(http.MethodPost, base+"/phases/1.1/checkpoints/architecture_diagram_created",
		url.Values{"c.architecture_diagram_created": {"on"}, "cu.architecture_diagram_created": {"https://example.org/b"}, "_cv.architecture_diagram_created": {"0"}}, htmx...); resp.StatusCode != http.StatusOK {
		t.Fatalf("B's checkpoint save = %d", resp.StatusCode)
	}

	// A saves the stale page with a bad link and a bad evidence link: refused, shown as typed.
	form.Set("architecture_diagram_url", "not a link")
	form.Set("cu.architecture_diagram_created", "not a link either")
	resp, page := a.Post(base+"/phases/1.1", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("stale save with bad links = %d", resp.StatusCode)
	}
	// A fixes them and saves the page as the browser would: with the
	// version fields of the refused page.
	form = handlerstest.Phase11()
	form.Set("architecture_diagram_url", "https://example.org/mine.pdf")
	form.Set("cu.architecture_diagram_created", "https://example.org/a")
	for _, m := range regexp.MustCompile(`name="(_c?v\.[a-z0-9_]+)"[^>]*value="(\d+)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
	if form.Get("_v.architecture_diagram_url") != "0" || form.Get("_cv.architecture_diagram_created") != "0" {
		t.Errorf("refused page carries versions %q and %q, want A's starting 0", form.Get("_v.architecture_diagram_url"), form.Get("_cv.architecture_diagram_created"))
	}
	resp, body := a.Post(base+"/phases/1.1", form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "theirs.pdf") {
		t.Errorf("fixed stale save = %d, want 409 showing B's answer", resp.StatusCode)
	}
	st := handlerstest.State(t, e, base)
	if got := st.Answers["architecture_diagram_url"].Value; got != "https://example.org/theirs.pdf" {
		t.Errorf("B's answer was overwritten: %q", got)
	}
	if got := st.Confirmations["architecture_diagram_created"].EvidenceURL; got != "https://example.org/b" {
		t.Errorf("B's evidence link was overwritten: %q", got)
	}

	// A table row operation on a stale block: the block it returns keeps
	// A's version, so A's next autosave conflicts too.
	current := strconv.Itoa(handlerstest.State(t, e, base).Answers["mobile_apps"].Version)
	if resp, _ := b.Do(http.MethodPost, base+"/phases/1.1/answers/mobile_apps",
		url.Values{"mobile_apps.0.name": {"B's app"}, "mobile_apps.0.version": {"1"}, "mobile_apps.0.users": {"5"}, "_v.mobile_apps": {current}}, htmx...); resp.StatusCode != http.StatusOK {
		t.Fatalf("B's table save = %d", resp.StatusCode)
	}
	_, block := a.Do(http.MethodPost, base+"/phases/1.1/answers/mobile_apps",
		url.Values{"mobile_apps.0.name": {"A's app"}, "mobile_apps.0.version": {"2"}, "mobile_apps.0.users": {"7"}, "_v.mobile_apps": {"0"}, "_op": {"add:mobile_apps"}}, htmx...)
	if !strings.Contains(block, "<dt>Saved before</dt>") || !strings.Contains(block, `name="_v.mobile_apps" id="v-mobile_apps" value="0"`) {
		t.Errorf("row operation on a stale table: want the conflict and version 0 kept\n%.2000s", block)
	}
}

func TestLockedPhaseRefusesEveryKindOfChange(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	before := handlerstest.State(t, e, base)
	p := base + "/phases/1.2"
	if _, page := b.Get(p); !strings.Contains(page, "This phase is locked") || strings.Contains(page, `id="phase-form"`) || !strings.Contains(page, `class="readout"`) {
		t.Error("locked phase page is not read-only")
	}
	for _, c := range []struct {
		path string
		form url.Values
	}{
		{p, handlerstest.Phase12("1200")},
		{p + "/answers/expected_users", url.Values{"expected_users": {"1200"}, "_v.expected_users": {"0"}}},
		{p + "/checkpoints/intended_scale_documented", url.Values{"c.intended_scale_documented": {"on"}}},
		{p + "/submit", url.Values{}},
	} {
		resp, body := b.Post(c.path, c.form)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "locked") {
			t.Errorf("POST %s to a locked phase = %d, want 409 saying it is locked", c.path, resp.StatusCode)
		}
	}
	resp, _ := handlerstest.Upload(t, b, p+"/checkpoints/intended_scale_documented/evidence", "scale.pdf", []byte("%PDF-1.4\n"))
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("evidence upload to a locked phase = %d, want 409", resp.StatusCode)
	}
	after := handlerstest.State(t, e, base)
	if len(after.Answers) != len(before.Answers) || len(after.Confirmations) != 0 || len(after.Evidence) != 0 || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("a refused change changed something: %d answers, %d confirmations, %d evidence", len(after.Answers), len(after.Confirmations), len(after.Evidence))
	}
}

func TestAutosave(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	save := base + "/phases/1.1/answers/growth_projections"
	htmx := []string{"HX-Request", "true"}

	resp, body := b.Do(http.MethodPost, save, url.Values{"growth_projections": {"Grow"}, "_v.growth_projections": {"0"}}, htmx...)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Saved at") || !strings.Contains(body, `id="v-growth_projections"`) || !strings.Contains(body, `hx-swap-oob="true"`) {
		t.Fatalf("autosave = %d\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(body, `id="phase-progress"`) {
		t.Error("autosave does not refresh the phase progress")
	}
	// The save state is swapped inside a live region that stays on the
	// page, so screen readers announce the change.
	if !strings.HasPrefix(body, `<div class="save-state" id="m-growth_projections" data-state="ok">`) {
		t.Errorf("autosave does not answer with the save state alone first:\n%.300s", body)
	}
	if _, page := b.Get(base + "/phases/1.1"); !strings.Contains(page, `<div class="save-live" aria-live="polite"><div class="save-state" id="m-growth_projections"`) {
		t.Error("the page has no lasting live region around the save state")
	}
	// Invalid: refused with the message, nothing stored.
	resp, body = b.Do(http.MethodPost, base+"/phases/1.1/answers/architecture_diagram_url", url.Values{"architecture_diagram_url": {"htp:/x"}}, htmx...)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "field-error") || !strings.Contains(body, `data-state="error"`) {
		t.Errorf("invalid autosave = %d\n%s", resp.StatusCode, body)
	}
	// Another person saves from the same starting version: a conflict
	// showing both answers, and nothing overwritten.
	e.User(t, "deputy@example.org", store.RoleManager, e.OrgA.ID)
	deputy := e.Browser(t)
	deputy.SignIn("deputy@example.org")
	resp, body = deputy.Do(http.MethodPost, save, url.Values{"growth_projections": {"Halve"}, "_v.growth_projections": {"0"}}, htmx...)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "manager changed this at") || !strings.Contains(body, "Their answer") || !strings.Contains(body, "Grow") || !strings.Contains(body, "Halve") || !strings.Contains(body, "Keep mine") {
		t.Fatalf("conflicting autosave = %d\n%s", resp.StatusCode, body)
	}
	// The same person in another browser: told it was them, elsewhere.
	other := e.Browser(t)
	other.SignIn("manager@example.org")
	resp, body = other.Do(http.MethodPost, save, url.Values{"growth_projections": {"Shrink"}, "_v.growth_projections": {"0"}}, htmx...)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "You saved a different answer at") || !strings.Contains(body, "<dt>Saved before</dt>") ||
		!strings.Contains(body, "Grow") || !strings.Contains(body, "Shrink") || !strings.Contains(body, "Keep what I typed here") || strings.Contains(body, "Their answer") {
		t.Fatalf("conflicting autosave of the same person = %d\n%s", resp.StatusCode, body)
	}
	if got := handlerstest.State(t, e, base).Answers["growth_projections"]; got.Value != "Grow" {
		t.Errorf("after the conflict the answer is %q, want the first save kept", got.Value)
	}
	// "Keep mine" saves over the version it was shown.
	resp, _ = other.Do(http.MethodPost, save, url.Values{"growth_projections": {"Shrink"}, "_v.growth_projections": {"1"}}, htmx...)
	if resp.StatusCode != http.StatusOK || handlerstest.State(t, e, base).Answers["growth_projections"].Value != "Shrink" {
		t.Errorf("keep mine = %d", resp.StatusCode)
	}
	// "Keep theirs" fetches the stored block.
	resp, body = b.Do(http.MethodGet, save, nil, htmx...)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, ">Shrink</textarea>") {
		t.Errorf("GET the question block = %d", resp.StatusCode)
	}
	// Showing a hidden question: answering collecting_data "yes" reveals
	// its follow-ups out of band.
	resp, body = b.Do(http.MethodPost, base+"/phases/1.1/answers/collecting_data", url.Values{"collecting_data": {"yes"}}, htmx...)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="q-months_live"`) {
		t.Errorf("revealing follow-up questions: %d\n%s", resp.StatusCode, body)
	}
	// Table rows: add one, then remove it.
	resp, body = b.Do(http.MethodPost, base+"/phases/1.1/answers/mobile_apps", url.Values{"mobile_apps.0.name": {"App"}, "_op": {"add:mobile_apps"}}, htmx...)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="mobile_apps.1.name"`) || !strings.Contains(body, "data-autofocus") {
		t.Errorf("add a row = %d", resp.StatusCode)
	}
	// Screen readers hear "Remove row 2", not "Removerow 2".
	if !strings.Contains(body, `Remove<span class="visually-hidden"> row 2</span>`) {
		t.Error("the remove button's hidden text is run together with its label")
	}
	// Removing a row says which, and offers to put it back where it was.
	apps := base + "/phases/1.1/answers/mobile_apps"
	versionIn := func(body string) string {
		m := regexp.MustCompile(`name="_v\.mobile_apps" id="v-mobile_apps" value="(\d+)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no version field for mobile_apps in\n%s", body)
		}
		return m[1]
	}
	_, body = b.Do(http.MethodGet, apps, nil, htmx...)
	two := url.Values{"_v.mobile_apps": {versionIn(body)}, "mobile_apps.0.name": {"Android app"}, "mobile_apps.0.version": {"2.1"}, "mobile_apps.0.users": {"5000"},
		"mobile_apps.1.name": {"Supervisor app"}, "mobile_apps.1.version": {"1.0"}, "mobile_apps.1.users": {"40"}}
	resp, body = b.Do(http.MethodPost, apps, two, htmx...)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("two apps = %d\n%s", resp.StatusCode, body)
	}
	removeFirst := url.Values{"_op": {"remove:mobile_apps:0"}}
	for k, v := range two {
		removeFirst[k] = v
	}
	removeFirst.Set("_v.mobile_apps", versionIn(body))
	resp, body = b.Do(http.MethodPost, apps, removeFirst, htmx...)
	undo := regexp.MustCompile(`<input type="hidden" name="(_row\.mobile_apps\.\w+)" value="([^"]*)">`).FindAllStringSubmatch(body, -1)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Row 1 removed: <bdi>Android app, 2.1, 5,000</bdi>.") ||
		!strings.Contains(body, `value="insert:mobile_apps:0"`) || len(undo) != 3 || strings.Contains(handlerstest.State(t, e, base).Answers["mobile_apps"].Value, "Android") {
		t.Fatalf("remove the first of two rows = %d, undo fields %q\n%s", resp.StatusCode, undo, body)
	}
	put := url.Values{"_op": {"insert:mobile_apps:0"}, "_v.mobile_apps": {versionIn(body)}, "mobile_apps.0.name": {"Supervisor app"}, "mobile_apps.0.version": {"1.0"}, "mobile_apps.0.users": {"40"}}
	for _, f := range undo {
		put.Set(f[1], f[2])
	}
	resp, body = b.Do(http.MethodPost, apps, put, htmx...)
	stored := handlerstest.State(t, e, base).Answers["mobile_apps"].Value
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="mobile_apps.0.name" type="text" value="Android app"`) || strings.Contains(body, "removed:") ||
		!strings.Contains(stored, "Android app") || strings.Index(stored, "Android app") > strings.Index(stored, "Supervisor app") {
		t.Errorf("undo = %d, stored %s\n%s", resp.StatusCode, stored, body)
	}
	// An empty row goes without an undo: nothing to put back.
	resp, body = b.Do(http.MethodPost, apps, url.Values{"_op": {"remove:mobile_apps:2"}, "_v.mobile_apps": {versionIn(body)}, "mobile_apps.0.name": {"Android app"}, "mobile_apps.0.version": {"2.1"}, "mobile_apps.0.users": {"5000"},
		"mobile_apps.1.name": {"Supervisor app"}, "mobile_apps.1.version": {"1.0"}, "mobile_apps.1.users": {"40"}, "mobile_apps.2.name": {" "}}, htmx...)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, "removed:") {
		t.Errorf("removing an empty row = %d, offers an undo", resp.StatusCode)
	}
	// The only row removed and put back: one row again, not it and the
	// empty row shown in its place.
	resp, body = b.Do(http.MethodPost, apps, url.Values{"_op": {"remove:mobile_apps:0"}, "_v.mobile_apps": {versionIn(body)}, "mobile_apps.0.name": {"Solo app"}, "mobile_apps.0.version": {"1"}, "mobile_apps.0.users": {"3"}}, htmx...)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Row 1 removed: <bdi>Solo app, 1, 3</bdi>.") || !strings.Contains(body, `aria-describedby="rr-mobile_apps"`) {
		t.Fatalf("removing the only row = %d\n%s", resp.StatusCode, body)
	}
	put = url.Values{"_op": {"insert:mobile_apps:0"}, "_v.mobile_apps": {versionIn(body)}, "mobile_apps.0.name": {""}, "mobile_apps.0.version": {""}, "mobile_apps.0.users": {""},
		"_row.mobile_apps.name": {"Solo app"}, "_row.mobile_apps.version": {"1"}, "_row.mobile_apps.users": {"3"}}
	if resp, body = b.Do(http.MethodPost, apps, put, htmx...); resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="mobile_apps.0.name" type="text" value="Solo app"`) || strings.Contains(body, `name="mobile_apps.1.name"`) {
		t.Errorf("putting back the only row = %d: want it alone\n%s", resp.StatusCode, body)
	}
	// An undo of a row past the table's end (rows removed since, in
	// another tab) puts it back last.
	put = url.Values{"_op": {"insert:mobile_apps:5"}, "_v.mobile_apps": {versionIn(body)}, "mobile_apps.0.name": {"Solo app"}, "mobile_apps.0.version": {"1"}, "mobile_apps.0.users": {"3"},
		"_row.mobile_apps.name": {"Late app"}, "_row.mobile_apps.version": {"2"}, "_row.mobile_apps.users": {"4"}}
	if resp, body = b.Do(http.MethodPost, apps, put, htmx...); resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="mobile_apps.1.name" type="text" value="Late app"`) ||
		!strings.Contains(handlerstest.State(t, e, base).Answers["mobile_apps"].Value, "Late app") {
		t.Errorf("putting back a row past the end = %d: want it last\n%s", resp.StatusCode, body)
	}
	// The viewer reads but cannot save.
	v := e.Browser(t)
	v.SignIn("viewer@example.org")
	if resp, _ := v.Do(http.MethodPost, save, url.Values{"growth_projections": {"x"}}, htmx...); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer autosave = %d, want 403", resp.StatusCode)
	}
	// History of the answer: two changes, newest first.
	resp, body = b.Get(base + "/history/answer/growth_projections")
	if resp.StatusCode != http.StatusOK || strings.Index(body, "Shrink") > strings.Index(body, "(first answer)") {
		t.Errorf("history = %d", resp.StatusCode)
	}
}

func TestEvidenceUploadAndDownload(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	up := base + "/phases/1.1/checkpoints/architecture_diagram_created/evidence"
	pdf := []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")
	resp, _ := handlerstest.Upload(t, b, up, "architecture.pdf", pdf)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	_, page := b.Get(base + "/phases/1.1")
	m := regexp.MustCompile(`href="(/assessments/\d+/evidence/\d+)" download><bdi>architecture.pdf</bdi><`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("phase page does not list the uploaded file")
	}
	v := e.Browser(t)
	v.SignIn("viewer@example.org")
	resp, body := v.Get(m[1])
	if resp.StatusCode != http.StatusOK || body != string(pdf) {
		t.Fatalf("download = %d", resp.StatusCode)
	}
	for h, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff", "Content-Disposition": `attachment; filename=architecture.pdf`} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	other := e.Browser(t)
	other.SignIn("manager@b.example.org")
	if resp, _ := other.Get(m[1]); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation downloads evidence: %d", resp.StatusCode)
	}
	for _, c := range []struct {
		name   string
		data   []byte
		status int
		msg    string
	}{
		{"notes.html", []byte("<html><script>alert(1)</script>"), http.StatusUnprocessableEntity, "not accepted"},
		{"fake.pdf", []byte("<html><body>not a pdf"), http.StatusUnprocessableEntity, "does not match"},
		{"big.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 10<<20)...), http.StatusRequestEntityTooLarge, "larger than 10 MB"},
		// Larger than the request may be: refused before it is read, and
		// named by the file's limit, not the request's 11 MB.
		{"bigger.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 12<<20)...), http.StatusRequestEntityTooLarge, "The file is larger than 10 MB. Nothing was uploaded"},
	} {
		resp, body := handlerstest.Upload(t, b, up, c.name, c.data)
		if resp.StatusCode != c.status || !strings.Contains(body, c.msg) {
			t.Errorf("upload %s = %d, want %d with %q", c.name, resp.StatusCode, c.status, c.msg)
		}
	}
	if resp, _ := handlerstest.Upload(t, v, up, "x.pdf", pdf); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer upload = %d, want 403", resp.StatusCode)
	}
	if resp, _ := b.Post(m[1]+"/delete", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("delete = %d", resp.StatusCode)
	}
	if resp, _ := b.Get(m[1]); resp.StatusCode != http.StatusNotFound {
		t.Errorf("deleted file still served: %d", resp.StatusCode)
	}
}

func TestReviewAndWaiverOverHTTP(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	handlerstest.Fill11(t, b, base)
	if _, page := b.Get(base + "/phases/1.2"); !strings.Contains(page, "awaiting submission") {
		t.Error("under sign-off, 1.2 does not wait for 1.1's submission")
	}
	if resp, _ := b.Post(base+"/phases/1.1/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", resp.StatusCode)
	}
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	if resp, body := adv.Post(base+"/phases/1.1/review", url.Values{"decision": {"changes"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Say what needs to change") ||
		!strings.Contains(body, `aria-describedby="f-comment-hint f-comment-error" aria-invalid="true"`) || !strings.Contains(body, "That was not done") || !strings.Contains(body, `href="#f-comment"`) {
		t.Errorf("send back without a comment = %d, want 422 with the message tied to the comment field", resp.StatusCode)
	}
	if resp, _ := b.Post(base+"/phases/1.1/review", url.Values{"decision": {"approve"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("manager approves: %d, want 403", resp.StatusCode)
	}
	if resp, _ := adv.Post(base+"/phases/1.1/review", url.Values{"decision": {"approve"}, "comment": {"Clear and complete."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d", resp.StatusCode)
	}
	if _, page := b.Get(base + "/phases/1.2"); strings.Contains(page, "This phase is locked") {
		t.Error("1.2 still locked after 1.1 was approved")
	}
	// Optional phase 3.2 can be waived with a reason once reachable; here it
	// is locked behind 1.2.
	if resp, _ := b.Post(base+"/phases/3.2/waive", url.Values{"reason": {"No cloud test space."}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("waive a locked optional phase = %d, want 409", resp.StatusCode)
	}
	if resp, _ := b.Post(base+"/phases/1.2/waive", url.Values{"reason": {"x"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("waive a required phase = %d, want 400", resp.StatusCode)
	}
}

func TestExportJSON(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	form := handlerstest.Phase11()
	handlerstest.AddVersions(t, b, base+"/phases/1.1", form)
	b.Post(base+"/phases/1.1", form)
	handlerstest.Upload(t, b, base+"/phases/1.1/checkpoints/architecture_diagram_created/evidence", "diagram.png", []byte("\x89PNG\r\n\x1a\n0000"))
	resp, body := b.Get(base + "/export.json")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("export = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var out struct {
		Template struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
		} `json:"template"`
		Readiness int `json:"readiness"`
		Phases    []struct {
			Key     string `json:"key"`
			Status  string `json:"status"`
			Answers []struct {
				Question string          `json:"question"`
				Value    json.RawMessage `json:"value"`
				History  int             `json:"history_count"`
			} `json:"answers"`
			Checkpoints []struct {
				Key       string `json:"key"`
				Confirmed bool   `json:"confirmed"`
				Evidence  []struct {
					Filename string `json:"filename"`
					Size     int    `json:"size"`
				} `json:"evidence"`
			} `json:"checkpoints"`
		} `json:"phases"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Template.ID != "commcare-transition" || out.Template.Version != 1 || len(out.Phases) != 14 || out.Readiness <= 0 {
		t.Fatalf("export header: %+v, %d phases", out.Template, len(out.Phases))
	}
	p := out.Phases[0]
	if p.Key != "1.1" || p.Status != "complete" || out.Phases[1].Status != "open" {
		t.Errorf("statuses: 1.1 %s, 1.2 %s", p.Status, out.Phases[1].Status)
	}
	var envs []string
	for _, a := range p.Answers {
		if a.Question == "environments" {
			json.Unmarshal(a.Value, &envs)
			if a.History != 1 {
				t.Errorf("environments history count = %d", a.History)
			}
		}
	}
	if strings.Join(envs, ",") != "testing,production" {
		t.Errorf("environments value = %v", envs)
	}
	if c := p.Checkpoints[0]; !c.Confirmed || len(c.Evidence) != 1 || c.Evidence[0].Filename != "diagram.png" {
		t.Errorf("checkpoint export = %+v", c)
	}
}

// An answer saved as it is typed is stored even when the server thinks its
// question hidden (the person's page showed it: they may have answered the
// question it depends on a moment before); a save is never acknowledged
// without being stored. On the whole form, hidden questions are left out.
func TestAutosaveOfAHiddenQuestionIsStored(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	htmx := []string{"HX-Request", "true"}
	resp, body := b.Do(http.MethodPost, base+"/phases/1.1/answers/months_live", url.Values{"months_live": {"7"}, "_v.months_live": {"0"}}, htmx...)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("autosave = %d\n%.500s", resp.StatusCode, body)
	}
	if got := handlerstest.State(t, e, base).Answers["months_live"]; got.Value != "7" || got.Version != 1 {
		t.Errorf("acknowledged autosave stored %+v, want 7 at version 1", got)
	}
	form := url.Values{"months_live": {"9"}, "collecting_data": {"no"}}
	handlerstest.AddVersions(t, b, base+"/phases/1.1", form)
	b.Post(base+"/phases/1.1", form)
	if got := handlerstest.State(t, e, base).Answers["months_live"]; got.Value != "7" {
		t.Errorf("the whole form saved a question its own answers hide: %+v", got)
	}
}

// A checkpoint's history lists its evidence files as they were added and
// removed, newest first, among its confirmations.
func TestCheckpointHistoryListsEvidenceFiles(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	up := base + "/phases/1.1/checkpoints/architecture_diagram_created/evidence"
	if resp, _ := handlerstest.Upload(t, b, up, "architecture.pdf", append([]byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"), make([]byte, 163_000)...)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	_, page := b.Get(base + "/phases/1.1")
	m := regexp.MustCompile(`href="(/assessments/\d+/evidence/\d+)" download>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("phase page does not list the uploaded file")
	}
	if resp, _ := b.Post(m[1]+"/delete", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete = %d", resp.StatusCode)
	}
	_, hist := b.Get(base + "/history/checkpoint/architecture_diagram_created")
	removed, added := strings.Index(hist, "removed architecture.pdf"), strings.Index(hist, "added architecture.pdf")
	if removed < 0 || added < 0 || removed > added {
		t.Errorf("history lacks the file's upload and removal, newest first:\n%.3000s", hist)
	}
	// Its size as the phase page gives it, and nothing before said as
	// for a checkpoint, not "(first answer)".
	if !strings.Contains(hist, "added architecture.pdf (159 KB)") || !strings.Contains(hist, "(nothing before)") || strings.Contains(hist, "first answer") {
		t.Errorf("the history's words for a checkpoint: %q", regexp.MustCompile(`added architecture[^<]*|\([a-z ]+ (answer|before)\)`).FindAllString(hist, -1))
	}
}

// TestWaiverReasonLimit: the reason an optional phase does not apply holds
// 2,000 characters, counted as characters (not bytes); a longer one comes
// back beside its field, as typed.
func TestWaiverReasonLimit(t *testing.T) {
	const yaml = `id: mini
platform: commcare
version: 1
title: Mini
source: {title: Source, url: "https://example.org/"}
phases:
  - key: "1"
    title: Extras
    intro: Extras some deployments need.
    optional: true
    questions:
      - {key: q, label: q, type: short_text, origin: source, prompt: "Anything?"}
    checkpoints:
      - {key: c, label: c, origin: source, text: "Done."}
`
	cat, err := assessment.LoadCatalog(fstest.MapFS{"mini-1.yaml": {Data: []byte(yaml)}})
	if err != nil {
		t.Fatal(err)
	}
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.Catalog = cat })
	a, err := e.St.CreateAssessment(t.Context(), e.Manager.ID, store.NewAssessment{Name: "Mini", TemplateID: "mini", TemplateVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	p := "/assessments/" + handlerstest.Itoa(a.ID) + "/phases/1"
	_, page := b.Get(p)
	if got, ok := counters(t, page)["reason"]; !ok || got != assessment.MaxWaiverChars {
		t.Errorf("the reason's counter counts to %d (found %v), the server allows %d", got, ok, assessment.MaxWaiverChars)
	}
	long := strings.Repeat("x", 2001)
	resp, body := b.Post(p+"/waive", url.Values{"reason": {long}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-reason-error">Use at most 2,000 characters.`) || !strings.Contains(body, ">"+long+"</textarea>") {
		t.Errorf("a reason of 2,001 characters = %d, want 422 with the message beside the field and the text kept", resp.StatusCode)
	}
	if resp, _ := b.Post(p+"/waive", url.Values{"reason": {strings.Repeat("é", 2000)}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a reason of 2,000 characters (4,000 bytes) = %d, want 303", resp.StatusCode)
	}
}

// A manager is offered the templates of what their organisation moves,
// the first one chosen, and cannot start one for the other platform.
func TestStartOffersTheOrganisationsPlatform(t *testing.T) {
	e := handlerstest.NewEnv(t)
	for _, c := range []struct {
		who, offered, other, platform string
	}{
		{"manager@example.org", "commcare-transition@1", "opencrvs-server-hosted@2", "CommCare HQ"},
		{"manager@b.example.org", "opencrvs-server-hosted@2", "commcare-transition@1", "OpenCRVS"},
	} {
		b := e.Browser(t)
		b.SignIn(c.who)
		_, page := b.Get("/assessments")
		wantIn(t, c.who+"'s start form", page, `value="`+c.offered+`" id="f-template" checked`, "Your organisation moves "+c.platform)
		wantNotIn(t, c.who+"'s start form", page, `value="`+c.other+`"`)
		resp, body := b.Post("/assessments", url.Values{"template": {c.other}, "name": {"Wrong one"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Your organisation moves "+c.platform+": choose one of its templates") {
			t.Errorf("%s starts %s: %d", c.who, c.other, resp.StatusCode)
		}
	}
}

// A table's row removed or put back changes the phase as any save does:
// the answer brings the phase's progress, what it still lacks and its
// submit button along (a walk saw a rule's message stay in "Still to do",
// and no Submit, after removing the row that broke it).
func TestRowOperationsUpdateThePhase(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	handlerstest.Fill11(t, b, base)
	_, page := b.Get(base + "/phases/1.1")
	version := regexp.MustCompile(`name="_v\.mobile_apps" id="v-mobile_apps" value="(\d+)"`).FindStringSubmatch(page)
	if version == nil || !strings.Contains(page, `id="phase-submit"`) || strings.Contains(page, `id="phase-todo-list"`) {
		t.Fatalf("phase 1.1, filled: want it complete, with Submit and nothing to do\n%.3000s", page)
	}
	removed := url.Values{"_op": {"remove:mobile_apps:0"}, "_v.mobile_apps": {version[1]}}
	for k, v := range handlerstest.Phase11() {
		if strings.HasPrefix(k, "mobile_apps.") {
			removed[k] = v
		}
	}
	resp, body := b.Do(http.MethodPost, base+"/phases/1.1/answers/mobile_apps", removed, "HX-Request", "true")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Row 1 removed:") {
		t.Fatalf("remove the only app = %d\n%s", resp.StatusCode, body)
	}
	todo := regexp.MustCompile(`(?s)<div[^>]*id="phase-todo"[^>]*hx-swap-oob="true".*?</div>`).FindString(body)
	if !strings.Contains(todo, "mobile applications") {
		t.Errorf("after removing the only app, the answer does not bring the phase's to-do list naming the mobile applications:\n%s", body)
	}
	if !regexp.MustCompile(`id="phase-progress"[^>]*hx-swap-oob="true"`).MatchString(body) || !regexp.MustCompile(`id="phase-submit"[^>]*hx-swap-oob="true"`).MatchString(body) {
		t.Errorf("after removing a row, the answer does not bring the phase's progress and submit state:\n%s", body)
	}
}

// A ticked checkpoint with an evidence link that is not one is refused
// whole: the message says the tick is not saved either, and names the
// link as the field at fault (the page marks it alone).
func TestRefusedEvidenceLinkSaysTheTickIsNotSaved(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	key := "architecture_diagram_created"
	save := base + "/phases/1.1/checkpoints/" + key
	for _, c := range []struct {
		ticked string
		want   string
	}{
		{"on", "Enter a full link starting with https:// (or http://). Until then the tick is not saved either."},
		{"", "Enter a full link starting with https:// (or http://).</p>"},
	} {
		resp, body := b.Do(http.MethodPost, save, url.Values{"c." + key: {c.ticked}, "cu." + key: {"Dimagi ticket #48213"}, "_cv." + key: {"0"}}, "HX-Request", "true")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) || !strings.Contains(body, `data-fields="cu.`+key+`"`) {
			t.Errorf("ticked %q, bad link = %d, want 422 saying %q and naming the link field\n%s", c.ticked, resp.StatusCode, c.want, body)
		}
	}
	if st := handlerstest.State(t, e, base); st.Confirmations[key].Confirmed {
		t.Error("the refused checkpoint was confirmed")
	}
}

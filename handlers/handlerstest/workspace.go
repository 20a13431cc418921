package handlerstest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"groundwork/store"
)

// Phase11 answers every required question of CommCare phase 1.1 (with
// collecting_data "no", so its follow-ups stay hidden) and confirms both
// checkpoints.
func Phase11() url.Values {
	return url.Values{
		"architecture_diagram_url":          {"https://example.org/architecture.pdf"},
		"environments":                      {"testing", "production"},
		"mobile_apps.0.name":                {"CHW app"},
		"mobile_apps.0.version":             {"42"},
		"mobile_apps.0.users":               {"1200"},
		"collecting_data":                   {"no"},
		"growth_projections":                {"Double the users in two years."},
		"c.architecture_diagram_created":    {"on"},
		"c.mobile_app_inventory_documented": {"on"},
	}
}

// Phase12 answers CommCare phase 1.2.
func Phase12(users string) url.Values {
	return url.Values{
		"expected_users":                   {users},
		"scale_timeline.0.date":            {"2027-01-01"},
		"scale_timeline.0.users":           {"800"},
		"scale_timeline.1.date":            {"2027-09-01"},
		"scale_timeline.1.users":           {users},
		"existing_form_submissions":        {"250000"},
		"forms_per_user_month":             {"30"},
		"new_cases_per_user_month":         {"8"},
		"updated_cases_per_user_month":     {"20"},
		"high_availability":                {"no"},
		"server_configuration":             {"micro_cluster"},
		"server_configuration_doc_url":     {"https://example.org/servers"},
		"c.intended_scale_documented":      {"on"},
		"c.server_configuration_finalized": {"on"},
	}
}

// Start creates a CommCare assessment as the manager and returns its path.
func Start(t testing.TB, b *Browser, signOff bool) string {
	t.Helper()
	form := url.Values{"template": {"commcare-transition@1"}, "name": {"Production move 2027"}}
	if signOff {
		form.Set("sign_off", "on")
	}
	resp, body := b.Post("/assessments", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d\n%.500s", resp.StatusCode, body)
	}
	return resp.Header.Get("Location")
}

// AddVersions copies the page's version fields into form, as a browser
// submitting the page would.
func AddVersions(t testing.TB, b *Browser, path string, form url.Values) {
	t.Helper()
	_, page := b.Get(path)
	for _, m := range regexp.MustCompile(`name="(_c?v\.[a-z0-9_]+)"[^>]*value="(\d+)"`).FindAllStringSubmatch(page, -1) {
		form.Set(m[1], m[2])
	}
}

func State(t testing.TB, e *Env, base string) *store.State {
	t.Helper()
	var id int64
	fmt.Sscanf(strings.TrimPrefix(base, "/assessments/"), "%d", &id)
	st, err := e.St.AssessmentState(context.Background(), e.Manager.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func Upload(t testing.TB, b *Browser, path, name string, data []byte) (*http.Response, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.Env.Srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// HalfDone signs the manager in and starts a CommCare assessment with
// phase 1.1 complete and phase 1.2 answered.
func HalfDone(tb testing.TB, e *Env) (*Browser, string) {
	tb.Helper()
	b := e.Browser(tb)
	b.SignIn("manager@example.org")
	base := Start(tb, b, false)
	// In order: 1.2 opens once 1.1 is complete.
	for _, f := range []struct {
		phase string
		form  url.Values
	}{{"1.1", Phase11()}, {"1.2", Phase12("2500")}} {
		AddVersions(tb, b, base+"/phases/"+f.phase, f.form)
		b.Post(base+"/phases/"+f.phase, f.form)
	}
	return b, base
}

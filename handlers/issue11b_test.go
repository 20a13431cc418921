package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Numbers typed with thousands separators are saved in canonical form and
// shown back grouped, in number questions and table cells.
func TestNumbersWithThousandsSeparators(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	if resp, body := b.Post(base+"/phases/1.1", handlerstest.Phase11()); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("phase 1.1 = %d\n%.800s", resp.StatusCode, body)
	}
	form := handlerstest.Phase12("2,500")
	form.Set("scale_timeline.0.users", "1\u202f800")
	form.Set("existing_form_submissions", "30,000,000")
	if resp, body := b.Post(base+"/phases/1.2", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("phase 1.2 with grouped numbers = %d, want 303\n%.1500s", resp.StatusCode, body)
	}
	st := handlerstest.State(t, e, base)
	if got := st.Answers["expected_users"].Value; got != "2500" {
		t.Errorf("expected_users stored as %q, want 2500", got)
	}
	if got := st.Answers["existing_form_submissions"].Value; got != "30000000" {
		t.Errorf("existing_form_submissions stored as %q, want 30000000", got)
	}
	if got := st.Answers["scale_timeline"].Value; !strings.Contains(got, `"users":1800}`) || !strings.Contains(got, `"users":2500}`) {
		t.Errorf("scale_timeline stored as %s, want the users 1800 and 2500", got)
	}
	_, page := b.Get(base + "/phases/1.2")
	for _, want := range []string{`value="2,500"`, `value="30,000,000"`, `value="1,800"`,
		// The unit shown after the field is read with it.
		`value="2,500" aria-describedby="u-expected_users h-expected_users m-expected_users"`, `<span class="unit" id="u-expected_users">users</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the form does not show %s", want)
		}
	}

	// "2,5" is ambiguous: refused, saying which mark to use.
	resp, body := b.Do(http.MethodPost, base+"/phases/1.2/answers/forms_per_user_month",
		url.Values{"forms_per_user_month": {"2,5"}}, "HX-Request", "true")
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "the decimal mark is a point") {
		t.Errorf("2,5 = %d, want 422 naming the decimal mark\n%s", resp.StatusCode, body)
	}
}

// A valid answer that breaks one of the phase's rules says so under the
// question, on the page and after each autosave (out of band, only when
// the rules shown there change), not only in the list of what the phase
// lacks at the top.
func TestFailingRuleUnderItsQuestion(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	const note = `<div class="rule-notes" id="r-environments" aria-live="polite"`
	const msg = `<p class="rule-note"><strong>Still to do:</strong> the inventory of planned environments must include production</p>`
	save := func(version int, envs ...string) string {
		t.Helper()
		resp, body := b.Do(http.MethodPost, base+"/phases/1.1/answers/environments",
			url.Values{"environments": envs, "_v.environments": {handlerstest.Itoa(int64(version))}}, "HX-Request", "true")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("save %v = %d\n%s", envs, resp.StatusCode, body)
		}
		return body
	}
	if body := save(0, "testing"); !strings.Contains(body, `hx-swap-oob="innerHTML"`) || !strings.Contains(body, msg) {
		t.Errorf("saving environments without production: no rule note out of band\n%s", body)
	}
	if _, page := b.Get(base + "/phases/1.1"); !strings.Contains(page, note+">"+msg+"</div>") {
		t.Errorf("the page does not show the failing rule under its question")
	}
	if body := save(1, "testing", "development"); strings.Contains(body, `id="r-environments"`) {
		t.Errorf("a save that leaves the same rule failing sends its note again")
	}
	if body := save(2, "testing", "production"); !strings.Contains(body, `id="r-environments" aria-live="polite" hx-swap-oob="innerHTML"></div>`) {
		t.Errorf("saving production: the rule note is not cleared\n%s", body)
	}
}

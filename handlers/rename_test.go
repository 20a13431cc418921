package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRenameAssessment: a program manager renames an assessment from its
// overview; a refused name is shown beside the field, as typed, with the
// form open and nothing changed; readers get 403, other organisations 404,
// a cross-site post 403; the audit trail names the old and new name.
func TestRenameAssessment(t *testing.T) {
	e := newEnv(t)
	mgr := e.browser(t)
	mgr.signIn("manager@example.org")
	base := start(t, mgr, false)

	_, page := mgr.get(base)
	wantIn(t, "the overview", page, `<details class="rename no-print" id="rename">`, `action="`+base+`/name"`, `value="Production move 2027"`)

	long := strings.Repeat("Très long nom ", 15) // 210 characters
	resp, body := mgr.post(base+"/name", url.Values{"name": {long}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a 210-character name = %d, want 422", resp.StatusCode)
	}
	wantIn(t, "the refused rename", html.UnescapeString(body), `<details class="rename no-print" id="rename" open>`, "Use at most 200 characters.",
		`value="`+strings.TrimSpace(long)+`"`, `aria-invalid="true"`, `<h1>Production move 2027</h1>`, "There is a problem")

	for _, c := range []struct {
		who  string
		want int
	}{{"viewer@example.org", http.StatusForbidden}, {"advisor@example.org", http.StatusForbidden}, {"manager@b.example.org", http.StatusNotFound}} {
		b := e.browser(t)
		b.signIn(c.who)
		if resp, _ := b.post(base+"/name", url.Values{"name": {"Taken over"}}); resp.StatusCode != c.want {
			t.Errorf("%s renames = %d, want %d", c.who, resp.StatusCode, c.want)
		}
		if c.want == http.StatusForbidden {
			if _, page := b.get(base); strings.Contains(page, `id="rename"`) {
				t.Errorf("%s is offered the rename form", c.who)
			}
		}
	}
	if resp, _ := mgr.do(http.MethodPost, base+"/name", url.Values{"name": {"Forged"}}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site rename = %d, want 403", resp.StatusCode)
	}

	resp, _ = mgr.post(base+"/name", url.Values{"name": {"  Production   move 2028 "}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base {
		t.Fatalf("rename = %d to %q, want 303 to the overview", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = mgr.get(base)
	wantIn(t, "the overview after the rename", html.UnescapeString(page), "<h1>Production move 2028</h1>", "Renamed “Production move 2027” to “Production move 2028”.")
	_, audit := mgr.get(base + "/audit")
	wantIn(t, "the audit trail", html.UnescapeString(audit), "<strong>Assessment</strong>", "Production move 2027", "Production move 2028")
	_, list := mgr.get("/assessments")
	if !strings.Contains(list, ">Production move 2028<") || strings.Contains(list, ">Production move 2027<") {
		t.Error("the list of assessments does not show the new name alone")
	}
}

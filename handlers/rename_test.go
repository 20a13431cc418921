package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestRenameAssessment: a program manager renames an assessment from its
// overview; a refused name is shown beside the field, as typed, with the
// form open and nothing changed; readers get 403, other organisations 404,
// a cross-site post 403; the audit trail names the old and new name.
func TestRenameAssessment(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr := e.Browser(t)
	mgr.SignIn("manager@example.org")
	base := handlerstest.Start(t, mgr, false)

	_, page := mgr.Get(base)
	wantIn(t, "the overview", page, `<details class="rename no-print" id="rename">`, `action="`+base+`/name"`, `value="Production move 2027"`)

	long := strings.Repeat("Très long nom ", 15) // 210 characters
	resp, body := mgr.Post(base+"/name", url.Values{"name": {long}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a 210-character name = %d, want 422", resp.StatusCode)
	}
	wantIn(t, "the refused rename", html.UnescapeString(body), `<details class="rename no-print" id="rename" open>`, "Use at most 200 characters.",
		`value="`+strings.TrimSpace(long)+`"`, `aria-invalid="true"`, `<h1>Production move 2027</h1>`, "There is a problem")

	// A name that reads as something else is refused beside the field.
	if resp, body := mgr.Post(base+"/name", url.Values{"name": {"\u202egnp.exe"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Remove the invisible direction controls") {
		t.Errorf("a name with a right-to-left override = %d, want 422 saying why", resp.StatusCode)
	}
	for _, c := range []struct {
		who  string
		want int
	}{{"viewer@example.org", http.StatusForbidden}, {"advisor@example.org", http.StatusForbidden}, {"manager@b.example.org", http.StatusNotFound}} {
		b := e.Browser(t)
		b.SignIn(c.who)
		if resp, _ := b.Post(base+"/name", url.Values{"name": {"Taken over"}}); resp.StatusCode != c.want {
			t.Errorf("%s renames = %d, want %d", c.who, resp.StatusCode, c.want)
		}
		if c.want == http.StatusForbidden {
			if _, page := b.Get(base); strings.Contains(page, `id="rename"`) {
				t.Errorf("%s is offered the rename form", c.who)
			}
		}
	}
	if resp, _ := mgr.Do(http.MethodPost, base+"/name", url.Values{"name": {"Forged"}}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site rename = %d, want 403", resp.StatusCode)
	}

	resp, _ = mgr.Post(base+"/name", url.Values{"name": {"  Production   move 2028 "}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base {
		t.Fatalf("rename = %d to %q, want 303 to the overview", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = mgr.Get(base)
	wantIn(t, "the overview after the rename", html.UnescapeString(page), "<h1>Production move 2028</h1>", "Renamed “Production move 2027” to “Production move 2028”.")
	_, audit := mgr.Get(base + "/audit")
	wantIn(t, "the audit trail", html.UnescapeString(audit), "<strong>Assessment</strong>", ">Name<", "Production move 2027", "Production move 2028",
		"Production move 2027 (CommCare HQ transition to self-hosting, version 1)") // the start names the template by its title
	_, list := mgr.Get("/assessments")
	if !strings.Contains(list, ">Production move 2028<") || strings.Contains(list, ">Production move 2027<") {
		t.Error("the list of assessments does not show the new name alone")
	}
}

// TestArchiveAssessment: a program manager archives an assessment from its
// overview: the overview and its phases say so and are read only, saves are
// refused with 409 and a clear message, it leaves the lists, the dashboard
// and the advisor's queue, and is listed under Archived; restored, it is
// back. Readers cannot archive (403), other organisations get 404, a
// cross-site post 403.
func TestArchiveAssessment(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr, base := handlerstest.Submitted11(t, e)
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	if _, q := adv.Get("/review"); !strings.Contains(q, "Production move 2027") {
		t.Fatal("the submitted phase is not in the advisor's queue")
	}
	for _, c := range []struct {
		who  string
		want int
	}{{"viewer@example.org", http.StatusForbidden}, {"advisor@example.org", http.StatusForbidden}, {"manager@b.example.org", http.StatusNotFound}} {
		b := e.Browser(t)
		b.SignIn(c.who)
		if resp, _ := b.Post(base+"/archive", url.Values{}); resp.StatusCode != c.want {
			t.Errorf("%s archives = %d, want %d", c.who, resp.StatusCode, c.want)
		}
	}
	if resp, _ := mgr.Do(http.MethodPost, base+"/archive", url.Values{}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site archive = %d, want 403", resp.StatusCode)
	}

	resp, _ := mgr.Post(base+"/archive", url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base {
		t.Fatalf("archive = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page := mgr.Get(base)
	wantIn(t, "the archived overview", html.UnescapeString(page), "“Production move 2027” is archived. 1 phase waiting for review was withdrawn",
		`id="archived"`, "<strong>Archived</strong> on ", `action="`+base+`/restore"`)
	if strings.Contains(page, `id="rename"`) {
		t.Error("the archived overview offers Rename")
	}
	_, phase := mgr.Get(base + "/phases/1.1")
	if !strings.Contains(phase, `id="archived"`) || strings.Contains(phase, `id="phase-form"`) || strings.Contains(phase, `action="`+base+`/restore"`) {
		t.Error("the archived phase page does not say it is archived, or is still a form, or offers Restore")
	}
	// A page opened before the archive autosaves: the answer's save state
	// says why it was not saved (htmx swaps it in, and the browser keeps
	// what was typed as for any refused answer), not a whole error page.
	resp, body := mgr.Do(http.MethodPost, base+"/phases/1.1/answers/growth_projections", url.Values{"growth_projections": {"Late change"}, "_v.growth_projections": {"1"}}, "HX-Request", "true")
	if resp.StatusCode != http.StatusConflict || !strings.HasPrefix(strings.TrimSpace(body), `<div class="save-state" id="m-growth_projections" data-state="error"`) ||
		!strings.Contains(body, "Not saved: this assessment has been archived meanwhile") || strings.Contains(body, "<header") ||
		!strings.Contains(body, "copy it to keep it") || strings.Contains(body, "kept here until it can be") {
		t.Errorf("an autosave to the archived assessment = %d, want 409 and the question's save state saying it is archived, and that what was typed is only kept on the page:\n%.800s", resp.StatusCode, body)
	}
	// The whole phase saved (no JavaScript, or its Save button): the error
	// page shows each answer as typed, under its question, to copy.
	// An answer that could not be read (a link that is not one) is shown
	// as typed too.
	resp, body = mgr.Post(base+"/phases/1.1", url.Values{"growth_projections": {"Two more <districts> in 2028"}, "_v.growth_projections": {"1"},
		"architecture_diagram_url": {"diagram on the wiki"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "This assessment is archived") ||
		!strings.Contains(body, "What are the projections on future addition of new users or new applications?\nTwo more &lt;districts&gt; in 2028") ||
		!strings.Contains(body, "\ndiagram on the wiki") {
		t.Errorf("the phase saved to the archived assessment = %d, want 409 showing the typed answer under its question:\n%.3000s", resp.StatusCode, body)
	}
	// An action item set through htmx: the error page replaces the page's
	// body, not the item's row (htmx swaps a 409 where it was asked).
	resp, _ = mgr.Do(http.MethodPost, base+"/actions", url.Values{"item": {"1.1/architecture"}, "owner": {"Amina"}}, "HX-Request", "true")
	if resp.StatusCode != http.StatusConflict || resp.Header.Get("HX-Retarget") != "#main" || resp.Header.Get("HX-Reselect") != "#main" || resp.Header.Get("HX-Reswap") != "outerHTML" {
		t.Errorf("an action item set through htmx on the archived assessment = %d, retarget %q %q; want 409 replacing the main content",
			resp.StatusCode, resp.Header.Get("HX-Retarget"), resp.Header.Get("HX-Reswap"))
	}
	resp, body = mgr.Post(base+"/name", url.Values{"name": {"Production move 2030"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `readonly rows="6">Production move 2030</textarea>`) {
		t.Errorf("a rename of the archived assessment = %d, want 409 showing the name typed:\n%.3000s", resp.StatusCode, body)
	}
	resp, body = mgr.Do(http.MethodPost, base+"/phases/1.1/checkpoints/architecture_diagram_created", url.Values{"c.architecture_diagram_created": {"on"}}, "HX-Request", "true")
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `id="cm-architecture_diagram_created" data-state="error"`) || strings.Contains(body, "<header") {
		t.Errorf("a checkpoint saved to the archived assessment = %d, want 409 and its save state:\n%.500s", resp.StatusCode, body)
	}
	// A comment posted from a page opened before the archive is refused,
	// and shown on the error page to copy: it is not lost.
	resp, body = mgr.Post(base+"/phases/1.1/comments", url.Values{"comment": {"Who signs the <diagram> off?"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "This assessment is archived") ||
		!strings.Contains(body, `<textarea id="kept" readonly rows="6">Who signs the &lt;diagram&gt; off?</textarea>`) {
		t.Errorf("a comment to the archived assessment = %d, want 409 showing the comment to copy:\n%.3000s", resp.StatusCode, body)
	}
	if _, q := adv.Get("/review"); strings.Contains(q, "Production move 2027") {
		t.Error("the archived assessment's phase is still in the advisor's queue")
	}
	if _, n := adv.Get("/notifications"); !strings.Contains(html.UnescapeString(n), "archived Production move 2027 (Ministry A): “System assessment and design” no longer waits for your review.") {
		t.Errorf("the advisor is not told that the archive withdrew the phase:\n%.3000s", n)
	}
	for _, p := range []string{"/", "/assessments"} {
		if _, l := mgr.Get(p); strings.Contains(l, ">Production move 2027<") {
			t.Errorf("%s still lists the archived assessment", p)
		}
	}
	if _, l := mgr.Get("/assessments?archived=1"); !strings.Contains(l, ">Production move 2027<") || !strings.Contains(l, "<h1>Archived assessments</h1>") ||
		!strings.Contains(l, "<dt>Archived</dt><dd>on ") || strings.Contains(l, "Waiting on") {
		t.Error("the archived list does not show the archived assessment, when it was archived and by whom, without what it waits on")
	}
	// The address of the post, opened again, leads to the overview; it
	// archives nothing (the assessment is restored below).
	if resp, _ := mgr.Get(base + "/archive"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base {
		t.Errorf("GET /archive = %d to %q, want 303 to the overview", resp.StatusCode, resp.Header.Get("Location"))
	}

	// The audit trail words the archive.
	if _, audit := mgr.Get(base + "/audit"); !strings.Contains(audit, "Archived or in use") {
		t.Error("the audit trail does not word the archive's item")
	}
	resp, _ = mgr.Post(base+"/restore", url.Values{})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore = %d", resp.StatusCode)
	}
	_, page = mgr.Get(base)
	if strings.Contains(page, `id="archived"`) || !strings.Contains(html.UnescapeString(page), "“Production move 2027” is restored") || !strings.Contains(page, `id="rename"`) {
		t.Error("the restored overview still says archived, or lacks the message or the forms")
	}
	if resp, body := mgr.Post(base+"/phases/1.1/answers/growth_projections", url.Values{"growth_projections": {"Late change"}, "_v.growth_projections": {"1"}}); resp.StatusCode >= 400 {
		t.Errorf("an answer after the restore = %d\n%s", resp.StatusCode, body)
	}
}

// TestChangeRequestMentions: a change request's reason is checked for
// mentions as a comment is: an unknown name is refused beside the field,
// with the ticked questions kept; a person it mentions hears of it.
func TestChangeRequestMentions(t *testing.T) {
	e := handlerstest.NewEnv(t)
	_, phase := handlerstest.Phase11Submitted(t, e)
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	resp, body := adv.Post(phase+"/review", url.Values{"decision": {"changes"}, "comment": {"@nobody please check the diagram"}, "question": {"architecture_diagram_url"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "@nobody") || !strings.Contains(body, "not someone you can mention") {
		t.Fatalf("a change request mentioning nobody = %d, want 422 saying so\n%s", resp.StatusCode, handlerstest.ErrorsIn(body))
	}
	if !regexp.MustCompile(`<input[^>]*id="f-mark-architecture_diagram_url"[^>]*checked`).MatchString(body) {
		t.Error("the refused change request does not keep its ticked question")
	}
	if resp, body := adv.Post(phase+"/review", url.Values{"decision": {"changes"}, "comment": {"@viewer please look at the diagram too"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a change request mentioning the viewer = %d\n%s", resp.StatusCode, handlerstest.ErrorsIn(body))
	}
	viewer := e.Browser(t)
	viewer.SignIn("viewer@example.org")
	if _, n := viewer.Get("/notifications"); !strings.Contains(n, "mentioned you in a comment on") || !strings.Contains(n, "#cm-") {
		t.Errorf("the viewer mentioned in a change request is not told, with a link to it:\n%.2000s", n)
	}
}

// TestAutosaveTooLarge: an answer's autosave whose body passes the limit
// (a huge paste) is refused in the answer's save state, which keeps what
// was typed as for any refused answer, not with a whole error page in
// place of the page's body; a checkpoint's too. Another htmx post gets the
// error page in place of the body.
func TestAutosaveTooLarge(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr, base := handlerstest.Submitted11(t, e)
	huge := strings.Repeat("x", 2<<20)
	resp, body := mgr.Do(http.MethodPost, base+"/phases/1.2/answers/expected_users", url.Values{"expected_users": {huge}}, "HX-Request", "true", "HX-Target", "m-expected_users")
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(strings.TrimSpace(body), `<div class="save-state" id="m-expected_users" data-state="error"`) ||
		!strings.Contains(body, "1 MB") || resp.Header.Get("HX-Retarget") != "" {
		t.Errorf("a huge autosave = %d (retarget %q), want 413 and the question's save state naming the limit:\n%.500s", resp.StatusCode, resp.Header.Get("HX-Retarget"), body)
	}
	resp, body = mgr.Do(http.MethodPost, base+"/phases/1.2/checkpoints/intended_scale_documented", url.Values{"cn.intended_scale_documented": {huge}}, "HX-Request", "true", "HX-Target", "cm-intended_scale_documented")
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(strings.TrimSpace(body), `<div class="save-state" id="cm-intended_scale_documented" data-state="error"`) {
		t.Errorf("a huge checkpoint save = %d, want 413 and its save state:\n%.500s", resp.StatusCode, body)
	}
	if resp, _ := mgr.Do(http.MethodPost, base+"/actions", url.Values{"owner": {huge}}, "HX-Request", "true", "HX-Target", "a-x"); resp.StatusCode != http.StatusRequestEntityTooLarge || resp.Header.Get("HX-Retarget") != "#main" {
		t.Errorf("a huge action item = %d (retarget %q), want 413 replacing the main content", resp.StatusCode, resp.Header.Get("HX-Retarget"))
	}
}

// TestTextFieldsCountTheirCharacters: the name fields and a text answer
// carry their limit for the page's counter (app.js), which says how many
// characters are left, or too many, before anything is sent.
func TestTextFieldsCountTheirCharacters(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr := e.Browser(t)
	mgr.SignIn("manager@example.org")
	base := handlerstest.Start(t, mgr, true)
	if _, body := mgr.Get("/assessments"); !regexp.MustCompile(`<input id="f-name"[^>]*data-max-chars="200"`).MatchString(body) {
		t.Error("the new assessment's name field has no count")
	}
	if _, body := mgr.Get(base); !regexp.MustCompile(`<input id="f-name"[^>]*data-max-chars="200"`).MatchString(body) {
		t.Error("the rename field has no count")
	}
	_, body := mgr.Get(base + "/phases/1.1")
	for _, want := range []string{`id="i-architecture_diagram_url"[^>]*data-max-chars="2048"`, `id="i-growth_projections"[^>]*data-max-chars="20000"`} {
		if !regexp.MustCompile(`<(input|textarea) ` + want).MatchString(body) {
			t.Errorf("phase 1.1 lacks %s", want)
		}
	}
}

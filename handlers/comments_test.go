package handlers_test

import (
	"context"
	"encoding/json"
	"groundwork/handlers/handlerstest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestCommentsOverHTTP(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr, phase := handlerstest.Phase11Submitted(t, e)
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	viewer := e.Browser(t)
	viewer.SignIn("viewer@example.org")
	other := e.Browser(t)
	other.SignIn("manager@b.example.org")
	const q = "architecture_diagram_url"

	// The advisor comments on one question, mentioning the manager.
	loc := handlerstest.Posted(t, "advisor comments", adv, phase+"/comments", url.Values{"question": {q}, "comment": {"@manager please link the PDF itself."}})
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(phase) + `#cm-\d+$`).MatchString(loc) {
		t.Errorf("after posting: Location %q", loc)
	}
	commentID := loc[strings.LastIndex(loc, "-")+1:]
	_, page := mgr.Get(phase)
	for _, want := range []string{
		"Comments (1)", `<strong class="mention">@manager</strong> please link the PDF itself.`, `id="cm-` + commentID + `"`,
		`<details class="q-comments" id="qc-` + q + `" open data-comments="1">`, // an open thread opens its question's comments
		`form="f-reply-` + commentID + `"`, `id="f-reply-` + commentID + `" method="post" action="` + phase + `/comments/` + commentID + `/replies"`,
		"People you can mention", "<code>@advisor</code>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("manager's page lacks %q", want)
		}
	}
	// Forms do not nest: every comment form comes after the phase form.
	if i, j := strings.Index(page, `id="phase-form"`), strings.Index(page, `<form id="f-reply-`); j < i || strings.Index(page[i:], "</form>")+i > j {
		t.Error("a comment form sits inside the phase form")
	}

	// Who may write: viewers read only (403), another organisation sees nothing (404).
	if resp, _ := viewer.Post(phase+"/comments", url.Values{"comment": {"Me too"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer comments: %d, want 403", resp.StatusCode)
	}
	if resp, _ := viewer.Post(phase+"/comments/"+commentID+"/resolve", url.Values{}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer resolves: %d, want 403", resp.StatusCode)
	}
	if _, vp := viewer.Get(phase); !strings.Contains(vp, "please link the PDF itself.") || strings.Contains(vp, `name="comment"`) ||
		!strings.Contains(vp, "You can read the comments.") {
		t.Error("the viewer does not read the comment, or is offered a field to write one")
	}
	for _, path := range []string{phase + "/comments", phase + "/comments/" + commentID + "/replies", phase + "/comments/" + commentID + "/resolve"} {
		if resp, _ := other.Post(path, url.Values{"comment": {"Hi"}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another organisation's manager posts to %s: %d, want 404", path, resp.StatusCode)
		}
	}
	if resp, _ := mgr.Post(phase+"/comments", url.Values{"question": {"expected_users"}, "comment": {"Wrong phase"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("comment on another phase's question: %d, want 404", resp.StatusCode)
	}
	// Cross-site posts are refused before anything runs.
	if resp, _ := mgr.Do(http.MethodPost, phase+"/comments", url.Values{"comment": {"Forged"}}, "Origin", "https://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin comment: %d, want 403", resp.StatusCode)
	}
	if resp, _ := mgr.Do(http.MethodPost, phase+"/comments/"+commentID+"/resolve", url.Values{}, "Sec-Fetch-Site", "cross-site"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site resolve: %d, want 403", resp.StatusCode)
	}

	// Bad input comes back beside its field, as typed.
	resp, body := mgr.Post(phase+"/comments", url.Values{"question": {q}, "comment": {"Ask @nobody about it"}})
	field := "cm-body-new-" + q
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "@nobody is not someone you can mention here") ||
		!strings.Contains(body, `aria-describedby="`+field+`-hint `+field+`-error" aria-invalid="true" data-max-chars="5000">Ask @nobody about it</textarea>`) ||
		!strings.Contains(body, `href="#`+field+`"`) || !strings.Contains(body, "That was not done") {
		t.Errorf("unknown mention = %d, want 422 with the message beside the field and the text kept\n%.3000s", resp.StatusCode, body)
	}
	if resp, body := mgr.Post(phase+"/comments", url.Values{"question": {q}, "comment": {"Ask @nobody and @nothing"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "@nobody and @nothing are not people you can mention here.") {
		t.Errorf("two unknown mentions = %d, want 422 naming both in words\n%s", resp.StatusCode, regexp.MustCompile(`[^>]*you can mention here[^<]*`).FindString(body))
	}
	// A first name written for a handle: the message says whose handle.
	if err := e.St.SetUserName(context.Background(), e.Advisor.ID, "Omar Diallo"); err != nil {
		t.Fatal(err)
	}
	if resp, body := mgr.Post(phase+"/comments", url.Values{"question": {q}, "comment": {"Ask @Omar about it"}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "@Omar is not someone you can mention here. Did you mean @advisor (Omar Diallo)?") {
		t.Errorf("a first name for a handle = %d, want 422 naming the handle meant\n%s", resp.StatusCode, regexp.MustCompile(`[^>]*not someone you can mention[^<]*`).FindString(body))
	}
	// The hint says what to type after @, with a handle of the list as an
	// example (people typed full names, "@Paula Manager").
	if !regexp.MustCompile(`Mention someone with @ and their handle, the start of their e-mail address\s*\(such as <code>@[a-z.]+</code>\)`).MatchString(body) {
		t.Error("the comment field's hint gives no example of a handle")
	}
	if resp, body := mgr.Post(phase+"/comments", url.Values{"comment": {"  "}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Write your comment first.") {
		t.Errorf("empty comment = %d", resp.StatusCode)
	}
	long := strings.Repeat("x", 5001)
	if resp, body := mgr.Post(phase+"/comments/"+commentID+"/replies", url.Values{"comment": {long}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Use at most 5,000 characters.") || !strings.Contains(body, `<details class="reply" open>`) || !strings.Contains(body, long+"</textarea>") {
		t.Errorf("too long a reply = %d, want 422 with the reply form open and the text kept", resp.StatusCode)
	}

	// Replies, edits (only the author's, the earlier text kept), resolving.
	handlerstest.Posted(t, "manager replies", mgr, phase+"/comments/"+commentID+"/replies", url.Values{"comment": {"Linked it."}})
	if resp, body := mgr.Post(phase+"/comments/"+commentID+"/edit", url.Values{"comment": {"Not mine"}}); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Only its author") {
		t.Errorf("the manager edits the advisor's comment: %d, want 403", resp.StatusCode)
	}
	if resp, body := adv.Post(phase+"/comments/"+commentID+"/edit", url.Values{"comment": {""}}); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `<details class="comment-edit" open>`) || !strings.Contains(body, "Write your comment first.") {
		t.Errorf("emptying a comment = %d, want 422 with the edit form open", resp.StatusCode)
	}
	handlerstest.Posted(t, "advisor edits", adv, phase+"/comments/"+commentID+"/edit", url.Values{"comment": {"@manager please link the PDF file."}})
	handlerstest.Posted(t, "manager resolves", mgr, phase+"/comments/"+commentID+"/resolve", url.Values{})
	_, page = viewer.Get(phase)
	for _, want := range []string{"(edited)", "earlier versions (1)", "please link the PDF itself.", "please link the PDF file.", "Linked it.", "Resolved", "resolved by manager", "Comments (2)"} {
		if !strings.Contains(page, want) {
			t.Errorf("after reply, edit and resolve the page lacks %q", want)
		}
	}
	if strings.Contains(page, `<details class="q-comments" id="qc-`+q+`" open `) {
		t.Error("a question whose threads are all resolved still opens its comments")
	}
	handlerstest.Posted(t, "advisor reopens", adv, phase+"/comments/"+commentID+"/reopen", url.Values{})
	if _, page := viewer.Get(phase); strings.Contains(page, "resolved by") {
		t.Error("the reopened thread still shows as resolved")
	}
	// Admins comment too.
	admin := e.Browser(t)
	admin.SignIn("admin@example.org")
	handlerstest.Posted(t, "admin comments", admin, phase+"/comments", url.Values{"comment": {"Looks on track."}})
}

func TestChangeRequestOverHTTP(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr, phase := handlerstest.Phase11Submitted(t, e)
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	const q = "architecture_diagram_url"

	// A refused decision keeps the questions marked.
	resp, body := adv.Post(phase+"/review", url.Values{"decision": {"changes"}, "question": {q}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-mark-`+q+`" name="question" value="`+q+`" checked>`) {
		t.Errorf("a reasonless request for changes = %d, want 422 with the marks kept", resp.StatusCode)
	}
	if resp, _ := adv.Post(phase+"/review", url.Values{"decision": {"changes"}, "comment": {"Fix"}, "question": {"expected_users"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("marking another phase's question = %d, want 400", resp.StatusCode)
	}
	handlerstest.Posted(t, "request changes", adv, phase+"/review", url.Values{"decision": {"changes"}, "comment": {"Link the diagram PDF, not the wiki page."}, "question": {q}})

	_, page := mgr.Get(phase)
	top := strings.Index(page, `class="notice error change-requests"`)
	question := strings.Index(page, `id="q-`+q+`"`)
	if top < 0 || question < 0 || top > question {
		t.Fatalf("the change request is not at the top of the page (at %d, question at %d)", top, question)
	}
	for _, want := range []string{"Changes requested", "Link the diagram PDF, not the wiki page.", `href="#q-` + q + `"`, `class="change-mark"`} {
		if !strings.Contains(page, want) {
			t.Errorf("manager's page lacks %q", want)
		}
	}
	if mark := strings.Index(page, `class="change-mark"`); mark > question || mark < top {
		t.Error("the marker is not beside (just before) the marked question")
	}
	m := regexp.MustCompile(`id="(t-\d+)"`).FindStringSubmatch(page[strings.Index(page, `id="comments"`):])
	if m == nil {
		t.Fatal("the change request is not among the phase's threads")
	}
	thread := strings.TrimPrefix(m[1], "t-")
	handlerstest.Posted(t, "manager replies", mgr, phase+"/comments/"+thread+"/replies", url.Values{"comment": {"Done: linked the PDF."}})
	handlerstest.Posted(t, "manager resolves", mgr, phase+"/comments/"+thread+"/resolve", url.Values{})
	_, page = mgr.Get(phase)
	if strings.Contains(page, `change-requests"`) || strings.Contains(page, `class="change-mark"`) {
		t.Error("a resolved change request still shows at the top or beside the question")
	}
	if !strings.Contains(page, "Link the diagram PDF, not the wiki page.") || !strings.Contains(page, "Done: linked the PDF.") {
		t.Error("the resolved change request is gone from the phase")
	}

	// Resubmitted and approved, it stays, and the export has it.
	handlerstest.Posted(t, "resubmit", mgr, phase+"/submit", url.Values{})
	handlerstest.Posted(t, "approve", adv, phase+"/review", url.Values{"decision": {"approve"}})
	_, body = mgr.Get(strings.TrimSuffix(phase, "/phases/1.1") + "/export.json")
	var out struct {
		Phases []struct {
			Key     string `json:"key"`
			Threads []struct {
				Kind     string   `json:"kind"`
				Marked   []string `json:"questions_marked"`
				Resolved bool     `json:"resolved"`
				Comments []struct {
					Author string `json:"author"`
					Body   string `json:"body"`
				} `json:"comments"`
			} `json:"threads"`
		} `json:"phases"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	th := out.Phases[0].Threads
	if len(th) != 1 || th[0].Kind != "change_request" || len(th[0].Marked) != 1 || th[0].Marked[0] != q || !th[0].Resolved ||
		len(th[0].Comments) != 2 || th[0].Comments[0].Body != "Link the diagram PDF, not the wiki page." || th[0].Comments[1].Author != "manager" {
		t.Errorf("exported threads of 1.1 = %+v", th)
	}
}

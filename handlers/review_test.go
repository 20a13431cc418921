package handlers_test

import (
	"context"
	"groundwork/handlers/handlerstest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func wantIn(t *testing.T, what, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func wantNotIn(t *testing.T, what, page string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(page, w) {
			t.Errorf("%s has %q", what, w)
		}
	}
}

// TestReviewOverHTTP walks a review: the advisor's view in words, a
// request for changes with a marked question (refused first without a
// reason, the typed text and marks kept), what changed on resubmission, the
// sign-off and its verification, a frozen approved phase, reopening, and a
// tampered snapshot found out.
func TestReviewOverHTTP(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b, base := handlerstest.Submitted11(t, e)
	p := base + "/phases/1.1"
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")

	// The advisor reads the answers as text, not as disabled controls.
	_, page := adv.Get(p)
	wantNotIn(t, "the advisor's view", page, `id="phase-form"`, "disabled", "What changed since the last review")
	wantIn(t, "the advisor's view", page,
		`class="readout"`,
		`<td class="num">1,200</td>`, // a table as a table, numbers grouped
		`<li>Testing</li>`,           // a multiple choice as a list
		`Double the users in two years.`,
		`<strong>Confirmed</strong> by manager`,
		`download><bdi>diagram-v1.pdf</bdi></a>`, // evidence as a download link
		`name="question" value="growth_projections"`,
		"Approve and sign off", "Request changes",
		"Submitted for review</span> by manager", // the submission, in the decisions
		"Revision 1</a> <span class=\"muted\">(current)</span> — not signed off yet",
	)

	// Changes requested without a reason: refused beside the field, the
	// marks kept.
	resp, page := adv.Post(p+"/review", url.Values{"decision": {"changes"}, "question": {"growth_projections", "mobile_apps"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("changes without a reason = %d", resp.StatusCode)
	}
	wantIn(t, "the refused request", page, "Say what needs to change.", `id="f-comment-error"`,
		`value="growth_projections" checked`, `value="mobile_apps" checked`)
	// Approved with questions marked as needing changes: refused, the
	// marks and the note kept, in case changes were meant.
	resp, page = adv.Post(p+"/review", url.Values{"decision": {"approve"}, "comment": {"Fine but"}, "question": {"mobile_apps"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("approval with a marked question = %d, want 422", resp.StatusCode)
	}
	wantIn(t, "the refused approval", page, `href="#f-mark-mobile_apps">You marked questions as needing changes: request changes, or clear the marks to approve.</a>`,
		`aria-describedby="f-question-error"`, `id="f-question-error"`, `value="mobile_apps" checked`, ">Fine but</textarea>")
	if resp, _ := adv.Post(p+"/review", url.Values{"decision": {"changes"}, "comment": {"x"}, "question": {"expected_users"}}); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("marking a question of another phase = %d, want 400", resp.StatusCode)
	}
	reason := "Projections need numbers per year."
	if resp, _ := adv.Post(p+"/review", url.Values{"decision": {"changes"}, "comment": {reason}, "question": {"growth_projections"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("request changes = %d", resp.StatusCode)
	}
	// The manager sees what to change and which question.
	_, page = b.Get(p)
	wantIn(t, "the manager's page after the request", page, "Changes requested", "asked on", reason,
		`href="`+p+`#q-growth_projections"`, `id="phase-form"`)

	// The manager changes the marked answer, replaces the file, submits.
	form := handlerstest.Phase11()
	form.Set("growth_projections", "2027: 2,400 users; 2028: 4,800 users.")
	// And a table: one cell of its row changes, a row is added.
	form.Set("mobile_apps.0.version", "43")
	form.Set("mobile_apps.1.name", "Supervisor app")
	form.Set("mobile_apps.1.version", "7")
	form.Set("mobile_apps.1.users", "40")
	handlerstest.AddVersions(t, b, p, form)
	if resp, _ := b.Post(p, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d", resp.StatusCode)
	}
	file := regexp.MustCompile(`(/assessments/\d+/evidence/\d+)" download><bdi>diagram-v1.pdf`).FindStringSubmatch(page)
	if file == nil {
		t.Fatal("no link to the first file")
	}
	if resp, _ := b.Post(file[1]+"/delete", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete = %d", resp.StatusCode)
	}
	handlerstest.Upload(t, b, p+"/checkpoints/architecture_diagram_created/evidence", "diagram-v2.pdf", []byte("%PDF-1.4 second"))
	if resp, _ := b.Post(p+"/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit = %d", resp.StatusCode)
	}

	// The advisor sees what changed, old and new, and the marked question.
	_, page = adv.Get(p)
	changes := page[strings.Index(page, `id="changes"`):]
	changes = changes[:strings.Index(changes, "</section>")]
	wantIn(t, "what changed", changes, "What changed since the last review", "request for changes by advisor",
		"Double the users in two years.", "2027: 2,400 users; 2028: 4,800 users.",
		"diagram-v1.pdf (14 bytes)", "diagram-v2.pdf (15 bytes)", ">Removed<", ">Added<", ">Changed<",
		// Only the table's changed cell and its new row, not the table twice.
		`<td data-label="Before" class="was">row 1, “CHW app” (Current released version: 42)</td>`,
		`<td data-label="Now">row 1, “CHW app” (Current released version: 43); row 2 added (Application: Supervisor app, Current released version: 7, Mobile users: 40)</td>`)
	wantNotIn(t, "what changed", changes, "Mobile users: 1200", "Mobile users: 1,200")
	if n := strings.Count(changes, "<tr>"); n != 1+4 {
		t.Errorf("what changed has %d rows, want 4 (two answers, a file removed, a file added)", n-1)
	}
	wantIn(t, "the resubmitted phase", page, "Submitted again", reason, "Marked as needing changes", "Changed since the last review")
	// The request is still open, so its box says what it asks; the note
	// above it does not repeat the reason.
	notice := page[strings.Index(page, `id="change-request"`):]
	notice = notice[:strings.Index(notice, "</div>")]
	wantIn(t, "the note of the resubmission", notice, "after the request for changes below")
	wantNotIn(t, "the note of the resubmission", notice, reason)
	wantIn(t, "the open request", page[strings.Index(page, `class="notice error change-requests"`):], reason)
	// Resolved, the request leaves the top of the page, and the note says
	// what it asked.
	thread := regexp.MustCompile(`action="(` + regexp.QuoteMeta(p) + `/comments/\d+/resolve)"`).FindStringSubmatch(page)
	if thread == nil {
		t.Fatal("no way to resolve the request")
	}
	if resp, _ := adv.Post(thread[1], url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolve = %d", resp.StatusCode)
	}
	_, page = adv.Get(p)
	notice = page[strings.Index(page, `id="change-request"`):]
	notice = notice[:strings.Index(notice, "</div>")]
	wantIn(t, "the note once the request is resolved", notice, reason, "Questions marked as needing changes")
	wantNotIn(t, "the page once the request is resolved", page, `class="notice error change-requests"`)

	// Approved: signed off and frozen.
	if resp, _ := adv.Post(p+"/review", url.Values{"decision": {"approve"}, "comment": {"Clear now."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d", resp.StatusCode)
	}
	_, page = b.Get(p)
	wantIn(t, "the approved phase", page, "Approved and signed off", `class="readout"`, `action="`+p+`/reopen"`, `href="`+p+`/revisions/1"`)
	wantNotIn(t, "the approved phase", page, `id="phase-form"`, `action="`+p+`/waive"`)
	form = handlerstest.Phase11()
	handlerstest.AddVersions(t, b, p, form)
	form.Set("growth_projections", "Changed after sign-off")
	if resp, body := b.Post(p, form); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Nothing was saved") {
		t.Errorf("saving an approved phase = %d, want 409", resp.StatusCode)
	}
	if resp, body := b.Post(p+"/answers/growth_projections", url.Values{"growth_projections": {"x"}, "_v.growth_projections": {"2"}}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "approved and signed off") {
		t.Errorf("autosave to an approved phase = %d, want 409 saying it is signed off\n%.400s", resp.StatusCode, body)
	}
	// The request for changes stays on the phase and in the export.
	wantIn(t, "the approved phase's decisions", page, reason, "Changes requested</span>")
	_, export := b.Get(base + "/export.json")
	wantIn(t, "the export", export, `"action": "changes_requested"`, `"reason": "`+reason+`"`)
	if !regexp.MustCompile(`"questions": \[\s*"growth_projections"\s*\]`).MatchString(export) {
		t.Error("the export does not name the question marked")
	}

	// The sign-off page: the frozen answers and files, and its digest.
	rev := p + "/revisions/1"
	_, page = adv.Get(rev)
	wantIn(t, "the sign-off", page, "Approved by", "advisor", "2027: 2,400 users; 2028: 4,800 users.", "diagram-v2.pdf", "Verify the digest", "Clear now.")
	wantNotIn(t, "the sign-off", page, "diagram-v1.pdf", "Intact", "Not intact")
	digest := regexp.MustCompile(`<dd><code class="digest">([0-9a-f]{64})</code>`).FindStringSubmatch(page)
	if digest == nil {
		t.Fatal("the sign-off shows no digest")
	}
	_, page = adv.Get(rev + "?verify=1")
	wantIn(t, "the verified sign-off", page, "Intact.", "Recomputed: <code class=\"digest\">"+digest[1])

	// Reopened, with a reason (refused without one).
	if resp, body := b.Post(p+"/reopen", url.Values{"reopen_reason": {" "}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-reopen_reason-error"`) {
		t.Errorf("reopen without a reason = %d", resp.StatusCode)
	}
	v := e.Browser(t)
	v.SignIn("viewer@example.org")
	if resp, _ := v.Post(p+"/reopen", url.Values{"reopen_reason": {"Mine"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("viewer reopens = %d, want 403", resp.StatusCode)
	}
	if resp, _ := b.Post(p+"/reopen", url.Values{"reopen_reason": {"The ministry doubled the target."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reopen = %d", resp.StatusCode)
	}
	_, page = b.Get(p)
	wantIn(t, "the reopened phase", page, "Reopened</strong> by manager", "The ministry doubled the target.", "as revision 2", `id="phase-form"`,
		"What changed since the last review", "sign-off of revision 1")
	_, page = b.Get(p + "/revisions/2")
	wantIn(t, "revision 2", page, "Not signed off yet.", "Reopened</span>")
	if resp, _ := b.Get(p + "/revisions/3"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a revision to come = %d, want 404", resp.StatusCode)
	}
	// The viewer reads the phase in words too, with no forms to act on.
	_, page = v.Get(p)
	wantIn(t, "the viewer's page", page, `class="readout"`)
	wantNotIn(t, "the viewer's page", page, `id="phase-form"`, `action="`+p+`/review"`, `action="`+p+`/reopen"`)

	// Revision 1 is unchanged, and intact, until someone tampers with it
	// behind the application's back.
	_, page = v.Get(rev + "?verify=1")
	wantIn(t, "revision 1 after reopening", page, "Intact.", digest[1])
	ctx := context.Background()
	if _, err := e.Pool.Exec(ctx, `ALTER TABLE phase_decisions DISABLE TRIGGER phase_decisions_no_change`); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE phase_decisions SET snapshot = replace(snapshot, '4,800', '9,600') WHERE action = 'approved'`); err != nil {
		t.Fatal(err)
	}
	_, page = v.Get(rev + "?verify=1")
	wantIn(t, "the tampered sign-off", page, "Not intact.", "changed after the advisor approved it", "Recorded: <code class=\"digest\">"+digest[1])
	wantNotIn(t, "the tampered sign-off", page, "<strong><span aria-hidden=\"true\">✓ </span>Intact.")
}

package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The overview lists what opens the next phase only; every later locked
// phase just says which phase it opens after, instead of a list that grows
// with each phase ("Locked: 83 things to finish first").
func TestOverviewShowsOnlyWhatOpensTheNextPhase(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	_, body := b.Get(base)
	if n := strings.Count(body, "Opens when"); n != 1 { // one blocker or several
		t.Errorf("%d phases list their blockers, want only the next to open (1.2)", n)
	}
	if !regexp.MustCompile(`1\.2</span> System sizing</a>(?s:.*?)Opens when \d+ things are finished`).MatchString(body) {
		t.Errorf("phase 1.2 does not say what opens it")
	}
	if !strings.Contains(body, `Opens after <a href="`+base+`/phases/2.2">2.2 Data center setup</a>`) {
		t.Errorf("phase 2.3 does not say it opens after 2.2")
	}
	if strings.Contains(body, "things to finish first") {
		t.Errorf("the overview still lists the growing blockers of later phases")
	}
	_, page := b.Get(base + "/phases/2.3")
	if !strings.Contains(page, `it opens after <a href="`+base+`/phases/2.2">2.2 Data center setup</a>`) {
		t.Errorf("the locked phase 2.3 does not say it opens after 2.2")
	}
	if strings.Contains(page, "until the following is done") {
		t.Errorf("the page of a later locked phase lists everything missing before it")
	}
}

// TestRelockSaysWhy: without sign-off, phase 1.2 opens once 1.1 is
// complete, and locks again when the advisor asks for changes to 1.1. The
// overview says so beside 1.2 (not folded away), and so does 1.2's page,
// with what opens it again; resubmitting 1.1 opens 1.2 again.
func TestRelockSaysWhy(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	handlerstest.Fill11(t, b, base)
	handlerstest.Upload(t, b, base+"/phases/1.1/checkpoints/architecture_diagram_created/evidence", "d.pdf", []byte("%PDF-1.4 x"))
	if _, page := b.Get(base + "/phases/1.2"); strings.Contains(page, "This phase is locked") {
		t.Fatal("1.2 is locked although 1.1 is complete and sign-off is off")
	}
	if resp, _ := b.Post(base+"/phases/1.1/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit = %d", resp.StatusCode)
	}
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	if resp, _ := adv.Post(base+"/phases/1.1/review", url.Values{"decision": {"changes"}, "comment": {"Name the data center."}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("request changes = %d", resp.StatusCode)
	}
	why := "1.1: the advisor requested changes; make them and submit 1.1 again"
	_, body := b.Get(base)
	if !regexp.MustCompile(`1\.2</span> System sizing</a>\s*<span class="badge[^"]*">Locked</span>(?s:.*?)<p class="step-blockers small">Opens when this is done: <a href="` +
		regexp.QuoteMeta(base+"/phases/1.1") + `[^"]*">` + regexp.QuoteMeta(why) + `</a></p>`).MatchString(body) {
		t.Errorf("the overview does not say beside 1.2 why it is locked again")
	}
	_, page := b.Get(base + "/phases/1.2")
	wantIn(t, "1.2's page", page, "<strong>This phase is locked</strong> until the following is done", why)
	if strings.Contains(page, why+" for approval") {
		t.Error("without sign-off, 1.2 waits for 1.1's approval")
	}
	if resp, _ := b.Post(base+"/phases/1.1/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resubmit = %d", resp.StatusCode)
	}
	if _, page := b.Get(base + "/phases/1.2"); strings.Contains(page, "This phase is locked") {
		t.Error("1.2 is still locked after 1.1 was submitted again")
	}
}

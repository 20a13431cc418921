package handlers_test

import (
	"regexp"
	"strings"
	"testing"
)

// The overview lists what opens the next phase only; every later locked
// phase just says which phase it opens after, instead of a list that grows
// with each phase ("Locked: 83 things to finish first").
func TestOverviewShowsOnlyWhatOpensTheNextPhase(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	b.signIn("manager@example.org")
	base := start(t, b, false)
	_, body := b.get(base)
	if n := strings.Count(body, `class="step-blockers"`); n != 1 {
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
	_, page := b.get(base + "/phases/2.3")
	if !strings.Contains(page, `it opens after <a href="`+base+`/phases/2.2">2.2 Data center setup</a>`) {
		t.Errorf("the locked phase 2.3 does not say it opens after 2.2")
	}
	if strings.Contains(page, "What is missing") {
		t.Errorf("the page of a later locked phase lists everything missing before it")
	}
}

package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"groundwork/assessment"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// The character counters under the text areas count to the limits the
// server enforces, and the hints say the same numbers: the templates write
// them as numbers, so a limit changed on one side only is caught here.
func TestCountersCountToTheServersLimits(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	_, page := b.Get(base + "/phases/1.1")
	limits := counters(t, page)
	for name, want := range map[string]int{"comment": store.MaxCommentChars, "cn.*": store.NoteMax} {
		if got, ok := limits[name]; !ok || got != want {
			t.Errorf("the %s field counts to %d (found %v), the server allows %d", name, got, ok, want)
		}
	}
	for _, hint := range []string{"At most " + assessment.GroupThousands(strconv.Itoa(store.MaxCommentChars)) + " characters",
		"Up to " + assessment.GroupThousands(strconv.Itoa(store.NoteMax)) + " characters"} {
		wantIn(t, "phase 1.1", page, hint)
	}
}

// The advisor's comment on a decision and the reason for reopening count
// to the limit the store enforces on both.
func TestReviewCountersCountToTheServersLimits(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b, base := handlerstest.Submitted11(t, e)
	p := base + "/phases/1.1"
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	_, page := adv.Get(p)
	if got, ok := counters(t, page)["comment"]; !ok || got != store.MaxCommentChars {
		t.Errorf("the advisor's comment counts to %d (found %v), the server allows %d", got, ok, store.MaxCommentChars)
	}
	if resp, _ := adv.Post(p+"/review", url.Values{"decision": {"approve"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve = %d", resp.StatusCode)
	}
	_, page = b.Get(p)
	if got, ok := counters(t, page)["reopen_reason"]; !ok || got != store.MaxCommentChars {
		t.Errorf("the reason for reopening counts to %d (found %v), the server allows %d", got, ok, store.MaxCommentChars)
	}
}

// counters are the limits the text areas of page count to, by field name
// (the checkpoint notes' names as "cn.*").
func counters(t *testing.T, page string) map[string]int {
	t.Helper()
	limits := map[string]int{}
	nameRe, maxRe := regexp.MustCompile(`\bname="([^"]+)"`), regexp.MustCompile(`\bdata-max-chars="(\d+)"`)
	for _, tag := range regexp.MustCompile(`<textarea[^>]*>`).FindAllString(page, -1) {
		nm, mx := nameRe.FindStringSubmatch(tag), maxRe.FindStringSubmatch(tag)
		if nm == nil || mx == nil {
			continue
		}
		name := regexp.MustCompile(`^cn\..*`).ReplaceAllString(nm[1], "cn.*")
		n, _ := strconv.Atoi(mx[1])
		if old, ok := limits[name]; ok && old != n {
			t.Errorf("%s counts to %d and to %d", name, old, n)
		}
		limits[name] = n
	}
	return limits
}

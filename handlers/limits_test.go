package handlers_test

import (
	"regexp"
	"strconv"
	"testing"

	"groundwork/assessment"
	"groundwork/store"
)

// The character counters under the text areas count to the limits the
// server enforces, and the hints say the same numbers: the templates write
// them as numbers, so a limit changed on one side only is caught here.
func TestCountersCountToTheServersLimits(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	b.signIn("manager@example.org")
	base := start(t, b, false)
	_, page := b.get(base + "/phases/1.1")
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

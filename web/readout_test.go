package web

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// A confirmed checkpoint's status line reads as words apart: who and when,
// then its badges and source, never "… UTCSource: …".
func TestCheckpointReadoutStatusLine(t *testing.T) {
	var b strings.Builder
	c := CheckpointReadout{Key: "k", Text: "Servers racked.", Blocking: true, Source: "Dimagi guide, 2.1", Confirmed: true, By: "Priya",
		At: Stamp{ISO: "2026-12-05T05:19:00Z", Text: "5 Dec 2026, 05:19 UTC"}, Changed: true}
	if err := checkpointReadout(c, false).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	status := regexp.MustCompile(`(?s)<p class="cp-status">(.*?)</p>`).FindStringSubmatch(b.String())
	if status == nil {
		t.Fatalf("no status line:\n%s", b.String())
	}
	text := strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(status[1], "")), " ")
	if want := "Confirmed by Priya, 5 Dec 2026, 05:19 UTC · Source: Dimagi guide, 2.1 Changed since the last review"; !strings.Contains(text, want) {
		t.Errorf("status line reads %q, want it to contain %q", text, want)
	}
}

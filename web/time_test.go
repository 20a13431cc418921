package web

import (
	"testing"
	"time"
)

func TestFormatTime(t *testing.T) {
	at := time.Date(2026, 12, 3, 19, 29, 5, 0, time.FixedZone("CET", 3600))
	if got, want := FormatTime(at), "3 Dec 2026, 18:29 UTC"; got != want {
		t.Errorf("FormatTime = %q, want %q", got, want)
	}
	if s := StampOf(at); s.ISO != "2026-12-03T18:29:05Z" || s.Text != "3 Dec 2026, 18:29 UTC" {
		t.Errorf("StampOf = %+v", s)
	}
}

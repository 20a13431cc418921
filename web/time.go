package web

import "time"

// TimeLayout is the one way pages write a moment: "3 Dec 2026, 18:29 UTC".
// In the browser, app.js rewrites every <time data-local> in the same
// layout in the viewer's own time zone.
const TimeLayout = "2 Jan 2006, 15:04 UTC"

// DateLayout is the one way pages write a day: "3 Dec 2026".
const DateLayout = "2 Jan 2006"

// FormatDate writes the day of t, in UTC, in DateLayout.
func FormatDate(t time.Time) string { return t.UTC().Format(DateLayout) }

// FormatTime writes t in TimeLayout, in UTC.
func FormatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// Stamp is a moment as a page shows it: Text in UTC, ISO for the
// datetime attribute the browser reads to show it in local time.
type Stamp struct {
	ISO, Text string
}

// StampOf returns t as a Stamp; the zero time gives the zero Stamp.
func StampOf(t time.Time) Stamp {
	if t.IsZero() {
		return Stamp{}
	}
	return Stamp{ISO: t.UTC().Format(time.RFC3339), Text: FormatTime(t)}
}

package handlers

import (
	"strings"
	"testing"

	"groundwork/assessment/sizing"
)

// TestCRVSChartsFollowTheYearsKept: the disk chart's last bar is the
// estimate's application disk, the backup's twice that, one bar a year up
// to twenty, and at most about twenty for longer horizons.
func TestCRVSChartsFollowTheYearsKept(t *testing.T) {
	for _, years := range []int{1, 5, 20, 30, 100} {
		e, err := sizing.EstimateOpenCRVS(sizing.OpenCRVSInput{Population: 20e6, BirthRate: 17.3, DeathRate: 7.7, Attachments: 3, Years: years})
		if err != nil {
			t.Fatal(err)
		}
		charts := crvsCharts("x", e)
		if len(charts) != 2 {
			t.Fatalf("%d charts", len(charts))
		}
		app, backup := charts[0].Rows, charts[1].Rows
		if years <= 20 && len(app) != years || len(app) > 22 {
			t.Errorf("%d years: %d bars", years, len(app))
		}
		last := app[len(app)-1]
		if last.Label != "Year "+itoa(int64(years)) || !strings.HasPrefix(last.Text, roundSize(e.AppDiskGB)) {
			t.Errorf("%d years: last bar %q %q, want the application disk %s GB", years, last.Label, last.Text, roundSize(e.AppDiskGB))
		}
		if b := backup[len(backup)-1].Text; !strings.HasPrefix(b, roundSize(e.BackupDiskGB)) {
			t.Errorf("%d years: backup %q, want %s GB", years, b, roundSize(e.BackupDiskGB))
		}
		if app[0].Label != "Year 1" {
			t.Errorf("%d years: first bar %q", years, app[0].Label)
		}
	}
}

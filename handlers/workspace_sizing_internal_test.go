package handlers

import (
	"strings"
	"testing"

	"groundwork/assessment/advice"
	"groundwork/assessment/sizing"
)

// The sizing panel beside a phase's questions writes numbers as the
// calculator and the formula steps under it do, so the same figure never
// reads differently in two places ("1013.71" against "1,013.7109501").
func TestInlineSizingNumbersMatchTheCalculator(t *testing.T) {
	e, err := sizing.EstimateOpenCRVS(sizing.OpenCRVSInput{Population: 30_000_000, BirthRate: 17.299, DeathRate: 7.7, Attachments: 3})
	if err != nil {
		t.Fatal(err)
	}
	v := opencrvsSizing(advice.Advice{OpenCRVS: e}, true)
	var facts []string
	for _, f := range v.Facts {
		facts = append(facts, f.Label+": "+f.Value)
	}
	got := strings.Join(facts, "\n")
	for _, want := range []string{
		"Records per year: 749,970",
		"Application server disk: 1,013.7109501 GB (production and staging)",
		"Backup server disk: 2,027.4219002 GB",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("panel facts lack %q:\n%s", want, got)
		}
	}
	steps := ""
	for _, s := range v.Steps {
		steps += s.Value + "\n"
	}
	if !strings.Contains(steps, "1,013.7109501") {
		t.Errorf("the formula steps write the disk differently:\n%s", steps)
	}
}

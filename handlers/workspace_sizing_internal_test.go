package handlers

import (
	"strings"
	"testing"

	"groundwork/assessment"
	"groundwork/assessment/advice"
	"groundwork/assessment/sizing"
	"groundwork/web"
)

// The sizing panel beside a phase's questions writes numbers as the
// calculator and the formula steps under it do, so the same figure never
// reads differently in two places ("1013.71" against "1,013.7109501").
// Sizes show rounded up for people, the exact figure beside them on demand.
func TestInlineSizingNumbersMatchTheCalculator(t *testing.T) {
	e, err := sizing.EstimateOpenCRVS(sizing.OpenCRVSInput{Population: 30_000_000, BirthRate: 17.299, DeathRate: 7.7, Attachments: 3})
	if err != nil {
		t.Fatal(err)
	}
	v := opencrvsSizing(advice.Advice{OpenCRVS: e}, true)
	var facts []string
	for _, f := range v.Facts {
		facts = append(facts, f.Label+": "+f.Value+" [exactly "+f.Exact+"]")
	}
	got := strings.Join(facts, "\n")
	for _, want := range []string{
		"Records per year: 749,970",
		"Application server disk: 1,014 GB on each production and staging server, for 1 year of records (the default) [exactly 1,013.7109501 GB]",
		"Backup server disk: 2,028 GB [exactly 2,027.4219002 GB]",
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

// The OpenCRVS panel follows the assessment's project stage (a pilot runs
// one production server) and its years of records (5 when unanswered).
func TestOpenCRVSPanelFollowsStageAndYears(t *testing.T) {
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := cat.Latest("opencrvs-server-hosted")
	raw := map[string]string{"population": "5000000", "crude_birth_rate": "30", "crude_death_rate": "8", "attachments_per_record": "2"}
	text := func() string {
		var facts []string
		for _, f := range opencrvsSizing(advice.For(tpl, decodeAll(t, tpl, raw)), true).Facts {
			facts = append(facts, f.Label+": "+f.Value)
		}
		return strings.Join(facts, "\n")
	}
	got := text()
	if why := opencrvsSizing(advice.For(tpl, decodeAll(t, tpl, raw)), true).Why; len(why) != 1 || !strings.Contains(why[0], "a production cluster of 2 servers (fewer than 30M: 2") {
		t.Errorf("national scale's explanation does not give its production servers' rule: %q", why)
	}
	for _, want := range []string{"Production servers: 2", "for 5 years of records (the default)", "National scale (assumed"} {
		if !strings.Contains(got, want) {
			t.Errorf("before the stage is answered, panel lacks %q:\n%s", want, got)
		}
	}
	// In brief, beside the questions: the stage, said to be assumed, and
	// the servers, one environment to a line.
	brief := opencrvsSizing(advice.For(tpl, decodeAll(t, tpl, raw)), true).Brief
	if len(brief) != 2 || brief[0].Value != "National scale (assumed)" || brief[1].Label != "Servers" || len(brief[1].Lines) != 4 || !strings.HasPrefix(brief[1].Lines[1], "production × 2 (") {
		t.Errorf("before the stage is answered, the brief is %+v", brief)
	}
	raw["project_stage"], raw["years_of_records"] = "pilot", "3"
	if brief := opencrvsSizing(advice.For(tpl, decodeAll(t, tpl, raw)), true).Brief; brief[0].Value != "Pilot" || len(brief[1].Lines) != 4 || !strings.HasPrefix(brief[1].Lines[1], "production × 1 (") {
		t.Errorf("for a pilot, the brief is %+v", brief)
	}
	got = text()
	// Its servers, one environment to a line.
	for _, f := range opencrvsSizing(advice.For(tpl, decodeAll(t, tpl, raw)), true).Facts {
		if f.Label == "Servers" && (len(f.Lines) != 4 || !strings.HasPrefix(f.Lines[1], "production × 1 (")) {
			t.Errorf("a pilot's servers are shown as %q, want its four environments one to a line", f.Lines)
		}
	}
	for _, want := range []string{"Implementation stage: Pilot", "Production servers: 1", "production × 1", "for 3 years of records"} {
		if !strings.Contains(got, want) {
			t.Errorf("for a pilot kept 3 years, panel lacks %q:\n%s", want, got)
		}
	}
}

// A proof of concept has none of the servers OpenCRVS's disk formula sizes:
// the panel does not give its figures as disks to buy, but as what a pilot
// would need, and one server entered "meets" the recommendation.
func TestOpenCRVSProofOfConceptPanel(t *testing.T) {
	e, err := sizing.EstimateOpenCRVS(sizing.OpenCRVSInput{Population: 21_000_000, BirthRate: 34.1, DeathRate: 6.8, Attachments: 3, Scale: sizing.ScaleProofOfConcept})
	if err != nil {
		t.Fatal(err)
	}
	var facts []string
	panel := opencrvsSizing(advice.Advice{OpenCRVS: e, StageAnswered: true}, true)
	for _, f := range panel.Facts {
		facts = append(facts, f.Label+": "+f.Value)
	}
	got := strings.Join(facts, "\n")
	// How it is calculated starts with why one qa server, and its disk.
	if len(panel.Why) != 2 || !strings.HasPrefix(panel.Why[0], "A proof of concept runs on one qa server") || !strings.Contains(panel.Why[1], "its qa server holds no live citizen data and needs 320 GB") {
		t.Errorf("a proof of concept's explanation says %q, want why its one qa server, and its disk", panel.Why)
	}
	for _, bad := range []string{"Application server disk", "Backup server disk", "Production servers"} {
		if strings.Contains(got, bad) {
			t.Errorf("a proof of concept's panel shows %q:\n%s", bad, got)
		}
	}
	for _, want := range []string{"Implementation stage: Proof-of-concept", "qa × 1 (16 GB RAM, 4 CPUs, 320 GB disk)", "Disk: 320 GB on the qa server: a proof of concept captures no live citizen data", "From a pilot on: 1,147 GB on each production and staging server and 2,293 GB of backup"} {
		if !strings.Contains(got, want) {
			t.Errorf("a proof of concept's panel lacks %q:\n%s", want, got)
		}
	}
	if s := crvsStatus(e); !strings.Contains(s, "a proof of concept runs on one qa server") {
		t.Errorf("the calculator says %q", s)
	}
	for _, c := range crvsCharts("x", e) {
		if !strings.HasSuffix(c.Title, ", from a pilot on") {
			t.Errorf("chart %q does not say it is for a pilot on", c.Title)
		}
	}
	s := &web.SizingView{}
	compareServers(s, advice.Advice{OpenCRVS: e, Servers: &advice.ServerCheck{Entered: 1}})
	if s.OK != "✓ The server entered meets the recommendation." {
		t.Errorf("one server: %q", s.OK)
	}
	// CommCare's are compared with the tier, not the resource model's
	// totals shown beside it (a walk read "meet the recommendation" under
	// 26 virtual machines, for two servers).
	s = &web.SizingView{}
	compareServers(s, advice.Advice{Tier: &sizing.TierResult{}, Model: &advice.Model{}, Servers: &advice.ServerCheck{Entered: 2}})
	if s.OK != "✓ The 2 servers entered meet the recommendation of the tier, by users (the resource model's totals are not compared)." {
		t.Errorf("two CommCare servers beside the resource model: %q", s.OK)
	}
}

// decodeAll decodes answers typed as text.
func decodeAll(t *testing.T, tpl *assessment.Template, raw map[string]string) map[string]assessment.Value {
	t.Helper()
	answers := map[string]assessment.Value{}
	for k, s := range raw {
		q, _ := tpl.Question(k)
		v, err := q.Decode(s)
		if err != nil {
			t.Fatal(err)
		}
		answers[k] = v
	}
	return answers
}

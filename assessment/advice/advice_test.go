package advice_test

import (
	"strconv"
	"strings"
	"testing"

	"groundwork/assessment"
	"groundwork/assessment/advice"
)

func template(t *testing.T, id string) *assessment.Template {
	t.Helper()
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tpl, ok := cat.Latest(id)
	if !ok {
		t.Fatalf("no template %s", id)
	}
	return tpl
}

// answers decodes stored-form answers.
func answers(t *testing.T, tpl *assessment.Template, raw map[string]string) map[string]assessment.Value {
	t.Helper()
	out := map[string]assessment.Value{}
	for k, s := range raw {
		q, ok := tpl.Question(k)
		if !ok {
			t.Fatalf("no question %s", k)
		}
		v, err := q.Decode(s)
		if err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		out[k] = v
	}
	return out
}

func TestCommCareTierFollowsUsers(t *testing.T) {
	tpl := template(t, "commcare-transition")
	for _, c := range []struct {
		users, ha, tier string
	}{
		{"1499", "no", "single"}, {"1500", "no", "micro"}, {"1499", "yes", "micro"}, {"3500", "no", "small"}, {"15000", "no", "large"},
	} {
		a := advice.For(tpl, answers(t, tpl, map[string]string{"expected_users": c.users, "high_availability": c.ha}))
		if a.Tier == nil || a.Tier.Tier != c.tier {
			t.Errorf("%s users, HA %s: tier %+v, want %s", c.users, c.ha, a.Tier, c.tier)
		}
	}
	a := advice.For(tpl, nil)
	if a.Tier != nil || len(a.Missing) == 0 || a.Missing[0] != "expected users" {
		t.Errorf("no answers: tier %v, missing %v", a.Tier, a.Missing)
	}
}

func TestCommCareModelRunsWhenInputsAreThere(t *testing.T) {
	tpl := template(t, "commcare-transition")
	raw := map[string]string{
		"expected_users": "2000", "existing_form_submissions": "100000", "forms_per_user_month": "40",
		"new_cases_per_user_month": "10", "updated_cases_per_user_month": "20",
	}
	a := advice.For(tpl, answers(t, tpl, raw))
	if a.Model == nil {
		t.Fatalf("model not run; missing %v", a.Missing)
	}
	if a.Model.VMs <= 0 || a.Model.Cores <= 0 || a.Model.RAMGB <= 0 || len(a.Model.Storage) == 0 {
		t.Errorf("model = %+v", a.Model)
	}
	small := a.Model.VMs
	raw["scale_timeline"] = `[{"date":"2027-01-01","users":500},{"date":"2027-07-01","users":20000}]`
	raw["expected_users"] = "20000"
	big := advice.For(tpl, answers(t, tpl, raw))
	if big.Model == nil || big.Model.Users != 20000 || big.Model.VMs <= small {
		t.Errorf("20,000 users by 2027-07: %+v, want more VMs than %d for 2,000", big.Model, small)
	}
	// The series runs over every summary date to the estimate shown.
	if s := big.Model.Series; len(s) < 2 || s[0].Date >= s[len(s)-1].Date || s[0].Users != 500 ||
		s[len(s)-1].Date != big.Model.Date || s[len(s)-1].VMs != big.Model.VMs || s[len(s)-1].RAMGB != big.Model.RAMGB || s[len(s)-1].Storage <= 0 {
		t.Errorf("series = %+v, want 500 users first and the model's totals last", s)
	}
	// Two rows in one month: the model works in months, the later row counts.
	raw["scale_timeline"] = `[{"date":"2027-01-01","users":500},{"date":"2027-07-15","users":20000},{"date":"2027-07-01","users":9000}]`
	if same := advice.For(tpl, answers(t, tpl, raw)); same.Model == nil || same.Model.Users != 20000 || same.ModelProblem != "" {
		t.Errorf("two rows in 2027-07: model %+v, problem %q; want 20,000 users from the later row", same.Model, same.ModelProblem)
	}
	// A timeline the model refuses says why instead of vanishing.
	var long []string
	for i := range 80 {
		long = append(long, `{"date":"`+strconv.Itoa(2027+i)+`-01-01","users":`+strconv.Itoa(500+i)+`}`)
	}
	raw["scale_timeline"] = "[" + strings.Join(long, ",") + "]"
	if refused := advice.For(tpl, answers(t, tpl, raw)); refused.Model != nil || refused.ModelProblem == "" {
		t.Errorf("80 milestones: model %+v, problem %q; want no model and a reason", refused.Model, refused.ModelProblem)
	}
	raw["scale_timeline"] = `[{"date":"2027-01-01","users":500},{"date":"2027-07-01","users":20000}]`
	delete(raw, "forms_per_user_month")
	if a := advice.For(tpl, answers(t, tpl, raw)); a.Model != nil || !strings.Contains(strings.Join(a.Missing, ","), "forms") {
		t.Errorf("without forms per user: model %v, missing %v", a.Model, a.Missing)
	}
}

func TestCommCareServerCheck(t *testing.T) {
	tpl := template(t, "commcare-transition")
	raw := map[string]string{
		"expected_users": "2000", "high_availability": "no",
		"servers": `[{"role":"app","cpus":4,"ram_gb":8,"disk_gb":500,"disk_type":"hdd"}]`,
	}
	a := advice.For(tpl, answers(t, tpl, raw))
	if a.Servers == nil || a.Servers.Entered != 1 || a.Servers.Wanted != 2 {
		t.Fatalf("servers = %+v", a.Servers)
	}
	w := strings.Join(a.Servers.Warnings, "\n")
	for _, want := range []string{"1 server entered; a micro cluster has 2", "8 GB of RAM; at least 16 GB", "500 GB of disk; at least 1,000 GB", "HDD"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	raw["servers"] = `[{"role":"a","cpus":4,"ram_gb":16,"disk_gb":1000,"disk_type":"ssd"},{"role":"b","cpus":4,"ram_gb":16,"disk_gb":1000,"disk_type":"ssd"}]`
	if a := advice.For(tpl, answers(t, tpl, raw)); len(a.Servers.Warnings) != 0 {
		t.Errorf("servers meeting the recommendation: warnings %v", a.Servers.Warnings)
	}
}

func TestOpenCRVSEstimateAndServers(t *testing.T) {
	tpl := template(t, "opencrvs-server-hosted")
	raw := map[string]string{"population": "30000000", "crude_birth_rate": "17.299", "crude_death_rate": "7.7", "attachments_per_record": "3"}
	a := advice.For(tpl, answers(t, tpl, raw))
	if a.OpenCRVS == nil || a.OpenCRVS.RecordsPerYear != 749970 || a.OpenCRVS.ProductionServers != 3 {
		t.Fatalf("estimate = %+v, missing %v", a.OpenCRVS, a.Missing)
	}
	// Unanswered, the years of records on disk are 5, as in the API's example.
	if a.OpenCRVS.Years != 5 {
		t.Errorf("years = %d, want the default 5", a.OpenCRVS.Years)
	}
	raw["years_of_records"] = "1"
	raw["servers"] = `[{"role":"production","cpus":8,"ram_gb":16,"disk_gb":2000},{"role":"backup","cpus":2,"ram_gb":1,"disk_gb":1000}]`
	a = advice.For(tpl, answers(t, tpl, raw))
	w := strings.Join(a.Servers.Warnings, "\n")
	for _, want := range []string{"1 production server entered; 3 recommended", "backup servers need 2,028 GB", "0 staging servers entered; 1 recommended"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
	if a := advice.For(tpl, answers(t, tpl, map[string]string{"population": "1000"})); a.OpenCRVS != nil || len(a.Missing) != 3 {
		t.Errorf("population only: estimate %v, missing %v", a.OpenCRVS, a.Missing)
	}
}

func TestModelCacheStaysBounded(t *testing.T) {
	tpl := template(t, "commcare-transition")
	var first *advice.Model
	for users := 1000; users < 1000+600; users++ {
		raw := map[string]string{"expected_users": strconv.Itoa(users), "forms_per_user_month": "30",
			"new_cases_per_user_month": "8", "updated_cases_per_user_month": "20"}
		a := advice.For(tpl, answers(t, tpl, raw))
		if a.Model == nil || a.Model.Users != users {
			t.Fatalf("%d users: model %+v", users, a.Model)
		}
		if users == 1000 {
			first = a.Model
		}
	}
	again := advice.For(tpl, answers(t, tpl, map[string]string{"expected_users": "1000", "forms_per_user_month": "30",
		"new_cases_per_user_month": "8", "updated_cases_per_user_month": "20"}))
	if again.Model == first {
		t.Error("the oldest result survived 600 newer ones: the cache is not bounded")
	}
	if again.Model.VMs != first.VMs || again.Model.Cores != first.Cores || again.Model.Date != first.Date {
		t.Errorf("recomputed model differs: %+v vs %+v", again.Model, first)
	}
}

// The years of records and the project stage are the assessment's own:
// a pilot runs one production server whatever the population, as the seed
// says ("Pilot ... production x 1") and the CLI's --scale pilot does.
func TestOpenCRVSFollowsStageAndYears(t *testing.T) {
	tpl := template(t, "opencrvs-server-hosted")
	base := map[string]string{"population": "5000000", "crude_birth_rate": "30", "crude_death_rate": "8", "attachments_per_record": "2"}
	for _, c := range []struct {
		stage, years       string
		wantProd, wantYear int
	}{
		{"", "", 2, 5},
		{"national", "10", 2, 10},
		{"pilot", "", 1, 5},
		{"pilot", "3", 1, 3},
	} {
		raw := map[string]string{}
		for k, v := range base {
			raw[k] = v
		}
		if c.stage != "" {
			raw["project_stage"] = c.stage
		}
		if c.years != "" {
			raw["years_of_records"] = c.years
		}
		a := advice.For(tpl, answers(t, tpl, raw))
		if a.OpenCRVS == nil {
			t.Fatalf("%v: no estimate, missing %v", c, a.Missing)
		}
		if a.OpenCRVS.ProductionServers != c.wantProd || a.OpenCRVS.Years != c.wantYear {
			t.Errorf("stage %q, years %q: %d production servers for %d years, want %d for %d",
				c.stage, c.years, a.OpenCRVS.ProductionServers, a.OpenCRVS.Years, c.wantProd, c.wantYear)
		}
	}
}

// A proof of concept's one qa server holds no live citizen data: it is
// checked against the qa specification (16 GB RAM, 4 CPUs, 320 GB), not
// against the formula's disk for production and staging, which the
// estimate says it does not have.
func TestOpenCRVSProofOfConceptServers(t *testing.T) {
	tpl := template(t, "opencrvs-server-hosted")
	raw := map[string]string{
		"project_stage": "poc", "population": "21000000", "crude_birth_rate": "34.1", "crude_death_rate": "6.8", "attachments_per_record": "3",
		"servers": `[{"role":"qa","cpus":4,"ram_gb":16,"disk_gb":320}]`,
	}
	a := advice.For(tpl, answers(t, tpl, raw))
	if a.OpenCRVS == nil || !a.StageAnswered || a.OpenCRVS.Scale != "poc" {
		t.Fatalf("estimate = %+v, stage answered %v, missing %v", a.OpenCRVS, a.StageAnswered, a.Missing)
	}
	if a.OpenCRVS.HasDataServers() || a.OpenCRVS.ProductionServers != 0 {
		t.Errorf("proof of concept: data servers %v, %d production; want none", a.OpenCRVS.HasDataServers(), a.OpenCRVS.ProductionServers)
	}
	if a.Servers == nil || a.Servers.Entered != 1 || a.Servers.Wanted != 1 || len(a.Servers.Warnings) != 0 {
		t.Errorf("one qa server of 4 CPUs, 16 GB, 320 GB: check %+v, want it to meet a proof of concept", a.Servers)
	}
	raw["servers"] = `[{"role":"qa","cpus":4,"ram_gb":16,"disk_gb":300}]`
	a = advice.For(tpl, answers(t, tpl, raw))
	if w := strings.Join(a.Servers.Warnings, "\n"); !strings.Contains(w, "300 GB of disk; qa servers need 320 GB") {
		t.Errorf("a 300 GB qa server: warnings %q, want the 320 GB minimum", w)
	}
	// Servers of a pilot or a national cluster, planned for a
	// proof-of-concept, are not said to meet it.
	raw["servers"] = `[{"role":"production","cpus":8,"ram_gb":15.5,"disk_gb":5000},{"role":"production","cpus":8,"ram_gb":16,"disk_gb":5000},{"role":"qa","cpus":4,"ram_gb":16,"disk_gb":320},{"role":"backup","cpus":2,"ram_gb":1,"disk_gb":9000}]`
	a = advice.For(tpl, answers(t, tpl, raw))
	if w := strings.Join(a.Servers.Warnings, "\n"); w != "2 production servers entered; a proof-of-concept runs on one qa server and holds no citizen data.\n1 backup server entered; a proof-of-concept runs on one qa server and holds no citizen data." {
		t.Errorf("production and backup servers for a proof-of-concept: warnings %q", w)
	}
}

// The answer to "Average size of attachments (such as images) submitted
// with a form" reaches the resource model: SSD storage (where the blob
// store is) grows with it, and empty or 0 both mean no attachments.
func TestCommCareModelFollowsAttachmentSize(t *testing.T) {
	tpl := template(t, "commcare-transition")
	ssd := func(kb string) float64 {
		t.Helper()
		raw := map[string]string{"expected_users": "2000", "existing_form_submissions": "100000", "forms_per_user_month": "40",
			"new_cases_per_user_month": "10", "updated_cases_per_user_month": "20"}
		if kb != "" {
			raw["attachment_kb_per_form"] = kb
		}
		a := advice.For(tpl, answers(t, tpl, raw))
		if a.Model == nil {
			t.Fatalf("attachments %q KB: no model (%s), missing %v", kb, a.ModelProblem, a.Missing)
		}
		for _, s := range a.Model.Storage {
			if s.Group == "SSD" {
				return s.Size
			}
		}
		t.Fatalf("attachments %q KB: no SSD in %+v", kb, a.Model.Storage)
		return 0
	}
	empty, zero := ssd(""), ssd("0")
	if empty != zero {
		t.Errorf("SSD %v TB unanswered, %v TB at 0 KB; want the same", empty, zero)
	}
	prev := zero
	for _, kb := range []string{"150", "1500", "9000"} {
		got := ssd(kb)
		if !(got > prev) {
			t.Errorf("%s KB a form: SSD %v TB, want more than %v TB", kb, got, prev)
		}
		prev = got
	}
	// 1,060,000 forms by the end × 9 MB × redundancy 2 × 1.33: about 25 TB more.
	if diff := prev - zero; diff < 25 || diff > 26 {
		t.Errorf("9,000 KB a form adds %v TB of SSD, want about 25.4", diff)
	}
}

// The panel says which month the model's estimate is for, and why: the
// model runs to the last milestone, and for twelve months at least; users
// expected beyond the timeline are reached a year after its last date.
func TestModelSaysItsMonth(t *testing.T) {
	tpl := template(t, "commcare-transition")
	for _, c := range []struct {
		timeline, date, why string
	}{
		{`[{"date":"2027-01-01","users":800},{"date":"2027-09-01","users":2500}]`, "2027-12", "twelve months from the growth timeline's first date"},
		{`[{"date":"2027-01-01","users":800},{"date":"2028-06-01","users":2500}]`, "2028-06", "the growth timeline's last date"},
		{`[{"date":"2027-01-01","users":800},{"date":"2027-09-01","users":1500}]`, "2028-09", "a year after the growth timeline's last date"},
	} {
		raw := map[string]string{"expected_users": "2500", "forms_per_user_month": "30", "new_cases_per_user_month": "8",
			"updated_cases_per_user_month": "20", "scale_timeline": c.timeline}
		a := advice.For(tpl, answers(t, tpl, raw))
		if a.Model == nil {
			t.Fatalf("%s: no model (%s)", c.timeline, a.ModelProblem)
		}
		if a.Model.Date != c.date || !strings.HasPrefix(a.ModelEnd, c.why) {
			t.Errorf("%s: model for %s, %q; want %s, %q", c.timeline, a.Model.Date, a.ModelEnd, c.date, c.why)
		}
	}
}

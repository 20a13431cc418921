package sizing

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// The seed's worked example: 30M people, 17.299 births and 7.7 deaths per
// 1000, three attachments. Its text totals 1012.47 GB; the formula gives
// 1013.7109501 GB.
var crvsExample = OpenCRVSInput{Population: 30e6, BirthRate: 17.299, DeathRate: 7.7, Attachments: 3}

func TestOpenCRVSWorkedExample(t *testing.T) {
	e, err := EstimateOpenCRVS(crvsExample)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"records per year", e.RecordsPerYear, 749_970},
		{"attachments GB", e.AttachmentsGB, 899.964},
		{"record data GB", e.RecordDataGB, 13.7469501},
		{"OS GB", e.OSGB, 100},
		{"app disk GB", e.AppDiskGB, 1013.7109501},
		{"app disk per year GB", e.AppDiskPerYearGB, 1013.7109501},
		{"backup disk GB", e.BackupDiskGB, 2027.4219002},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if e.ProductionServers != 3 || e.Scale != ScaleNational || e.Years != 1 {
		t.Errorf("production servers, scale, years = %d, %s, %d; want 3, national, 1", e.ProductionServers, e.Scale, e.Years)
	}
	formulas := map[string]string{}
	for _, s := range e.Breakdown {
		formulas[s.Name] = s.Formula
	}
	for name, want := range map[string]string{
		"records_per_year":     "30,000,000 × (17.299 + 7.7) / 1000 = 749,970 records per year",
		"attachments_per_year": "749,970 × 3 × 0.4 MB = 899,964 MB = 899.964 GB",
		"record_data_per_year": "749,970 × 18.33 kB = 13,746,950.1 kB = 13.7469501 GB",
		"app_disk_per_year":    "100 GB + 13.7469501 GB + 899.964 GB = 1,013.7109501 GB",
		"backup_disk":          "2 × 1,013.7109501 GB = 2,027.4219002 GB",
	} {
		if formulas[name] != want {
			t.Errorf("%s formula = %q, want %q", name, formulas[name], want)
		}
	}
}

func TestOpenCRVSRetentionYears(t *testing.T) {
	in := crvsExample
	in.Years = 5
	e, err := EstimateOpenCRVS(in)
	if err != nil {
		t.Fatal(err)
	}
	// OS once, five years of data: 100 + 5 × 913.7109501.
	if want := 4668.5547505; math.Abs(e.AppDiskGB-want) > 1e-9 {
		t.Errorf("app disk = %v, want %v", e.AppDiskGB, want)
	}
	if want := 9337.109501; math.Abs(e.BackupDiskGB-want) > 1e-9 {
		t.Errorf("backup disk = %v, want %v", e.BackupDiskGB, want)
	}
	if e.AppDiskPerYearGB != 1013.7109501 {
		t.Errorf("per year = %v, want 1013.7109501", e.AppDiskPerYearGB)
	}
	for _, env := range e.Environments {
		if (env.Name == "production" || env.Name == "staging") && env.DiskGB != e.AppDiskGB {
			t.Errorf("%s disk = %v, want the app disk %v", env.Name, env.DiskGB, e.AppDiskGB)
		}
		if env.Name == "backup" && env.DiskGB != e.BackupDiskGB {
			t.Errorf("backup disk = %v, want %v", env.DiskGB, e.BackupDiskGB)
		}
	}
}

func TestOpenCRVSProductionServers(t *testing.T) {
	tests := []struct {
		population float64
		want       int
	}{
		{1e6, 2}, {29_999_999, 2}, {30e6, 3}, {59_999_999, 3}, {60e6, 5}, {200e6, 5},
	}
	for _, tt := range tests {
		e, err := EstimateOpenCRVS(OpenCRVSInput{Population: tt.population, BirthRate: 20, DeathRate: 8, Attachments: 2})
		if err != nil {
			t.Fatal(err)
		}
		if e.ProductionServers != tt.want {
			t.Errorf("population %v: %d production servers, want %d", tt.population, e.ProductionServers, tt.want)
		}
	}
}

func TestOpenCRVSScales(t *testing.T) {
	tests := []struct {
		scale string
		want  string // name×count of each environment
		prod  int
	}{
		{"poc", "qa×1", 0},
		{"pilot", "qa×1 production×1 staging×1 backup×1", 1},
		{"national", "qa×1 production×2 staging×1 backup×1", 2},
		{"", "qa×1 production×2 staging×1 backup×1", 2},
	}
	for _, tt := range tests {
		e, err := EstimateOpenCRVS(OpenCRVSInput{Population: 5e6, BirthRate: 30, DeathRate: 10, Attachments: 1, Scale: tt.scale})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, env := range e.Environments {
			got = append(got, env.Name+"×"+itoa(env.Count))
		}
		if strings.Join(got, " ") != tt.want || e.ProductionServers != tt.prod {
			t.Errorf("scale %q: %s, %d production; want %s, %d", tt.scale, strings.Join(got, " "), e.ProductionServers, tt.want, tt.prod)
		}
	}
	e, _ := EstimateOpenCRVS(OpenCRVSInput{Population: 5e6, BirthRate: 30, DeathRate: 10, Attachments: 1})
	want := map[string][3]float64{"qa": {16, 4, 320}, "production": {16, 8, e.AppDiskGB}, "staging": {16, 8, e.AppDiskGB}, "backup": {1, 2, e.BackupDiskGB}}
	for _, env := range e.Environments {
		w := want[env.Name]
		if float64(env.RAMGB) != w[0] || float64(env.CPUs) != w[1] || env.DiskGB != w[2] || !strings.Contains(env.OS, "Ubuntu 24.04") || env.Arch != "x86_64" {
			t.Errorf("%s = %d GB / %d CPUs / %v GB / %s %s; want %v", env.Name, env.RAMGB, env.CPUs, env.DiskGB, env.OS, env.Arch, w)
		}
	}
}

func TestOpenCRVSRecordsGiven(t *testing.T) {
	e, err := EstimateOpenCRVS(OpenCRVSInput{RecordsPerYear: 749_970, Attachments: 3, Scale: "pilot"})
	if err != nil {
		t.Fatal(err)
	}
	if e.AppDiskGB != 1013.7109501 || !strings.HasPrefix(e.Breakdown[0].Formula, "given: 749,970") {
		t.Errorf("app disk %v, first step %q; want 1013.7109501, given", e.AppDiskGB, e.Breakdown[0].Formula)
	}
}

func TestOpenCRVSErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      OpenCRVSInput
		field   string
		problem string
	}{
		{"negative population", OpenCRVSInput{Population: -1, BirthRate: 1, DeathRate: 1}, "population", "negative"},
		{"NaN rate", OpenCRVSInput{Population: 1e6, BirthRate: math.NaN(), DeathRate: 1}, "birth_rate", "must be a number"},
		{"infinite attachments", OpenCRVSInput{Population: 1e6, BirthRate: 1, DeathRate: 1, Attachments: math.Inf(1)}, "attachments", "must be a number"},
		{"absurd population", OpenCRVSInput{Population: 1e12, BirthRate: 1, DeathRate: 1}, "population", "largest sensible"},
		{"absurd birth rate", OpenCRVSInput{Population: 1e6, BirthRate: 172.99, DeathRate: 7}, "birth_rate", "must be at most 100 per 1000 people (got 172.99)"},
		{"absurd death rate", OpenCRVSInput{Population: 1e6, BirthRate: 17, DeathRate: 100.5}, "death_rate", "must be at most 100 per 1000 people"},
		{"negative years", OpenCRVSInput{Population: 1e6, BirthRate: 1, DeathRate: 1, Years: -2}, "years", "between 1 and 100"},
		{"too many years", OpenCRVSInput{Population: 1e6, BirthRate: 1, DeathRate: 1, Years: 101}, "years", "between 1 and 100"},
		{"unknown scale", OpenCRVSInput{Population: 1e6, BirthRate: 1, DeathRate: 1, Scale: "galactic"}, "scale", "unknown scale"},
		{"nothing to count", OpenCRVSInput{}, "population", "records_per_year"},
		{"no rates", OpenCRVSInput{Population: 1e6}, "birth_rate", "death rates"},
		{"national without population", OpenCRVSInput{RecordsPerYear: 1000}, "population", "national scale"},
		{"rounds to zero records", OpenCRVSInput{Population: 10, BirthRate: 1, DeathRate: 1}, "records_per_year", "zero records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := EstimateOpenCRVS(tt.in)
			wantFieldError(t, err, tt.field, tt.problem)
		})
	}
}

func TestOpenCRVSJSON(t *testing.T) {
	e, _ := EstimateOpenCRVS(crvsExample)
	data, _ := json.Marshal(e)
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"records_per_year", "attachments_gb", "record_data_gb", "os_gb", "app_disk_gb",
		"backup_disk_gb", "production_servers", "environments", "breakdown"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("estimate JSON lacks %q", key)
		}
	}
	env := doc["environments"].([]any)[0].(map[string]any)
	for _, key := range []string{"name", "count", "ram_gb", "cpus", "disk_gb", "os"} {
		if _, ok := env[key]; !ok {
			t.Errorf("environment JSON lacks %q", key)
		}
	}
}

func itoa(n int) string { return fmtNum(float64(n)) }

// A proof of concept has no production, staging or backup server: the
// seed's "1 qa server with no backup, operating under the condition that no
// live citizen data is captured". The formula's disks size servers it does
// not have, so the estimate says so instead of leaving them to read as
// requirements beside its one 320 GB qa server.
func TestOpenCRVSProofOfConceptDisk(t *testing.T) {
	// The portal walk that found it: 21M people, 34.1 and 6.8 per 1000,
	// 3 attachments, 5 years kept.
	in := OpenCRVSInput{Population: 21e6, BirthRate: 34.1, DeathRate: 6.8, Attachments: 3, Years: 5, Scale: "poc"}
	e, err := EstimateOpenCRVS(in)
	if err != nil {
		t.Fatal(err)
	}
	if e.HasDataServers() {
		t.Errorf("proof of concept: HasDataServers = true, want false (environments %+v)", e.Environments)
	}
	if len(e.Environments) != 1 || e.Environments[0].Name != "qa" || e.Environments[0].DiskGB != 320 {
		t.Errorf("proof of concept environments = %+v, want qa × 1 with 320 GB", e.Environments)
	}
	notes := strings.Join(e.Notes, "\n")
	for _, want := range []string{"which a proof of concept does not have", "needs 320 GB", "(5,333 GB)", "(10,665 GB)", "a pilot or national deployment would need"} {
		if !strings.Contains(notes, want) {
			t.Errorf("proof of concept notes lack %q:\n%s", want, notes)
		}
	}
	var buf bytes.Buffer
	if err := WriteOpenCRVSText(&buf, e); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "Disk of production, staging and backup servers, which a proof of concept does not have") {
		t.Errorf("proof of concept text presents the disks as its own:\n%s", buf.String())
	}

	for _, scale := range []string{"pilot", "national"} {
		in.Scale = scale
		e, err := EstimateOpenCRVS(in)
		if err != nil {
			t.Fatal(err)
		}
		if !e.HasDataServers() {
			t.Errorf("%s: HasDataServers = false, want true", scale)
		}
		if n := strings.Join(e.Notes, "\n"); strings.Contains(n, "proof of concept does not have") {
			t.Errorf("%s: notes speak of a proof of concept:\n%s", scale, n)
		}
		buf.Reset()
		if err := WriteOpenCRVSText(&buf, e); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "\nDisk (1 GB = 1000 MB") {
			t.Errorf("%s: text lacks the plain disk heading:\n%s", scale, buf.String())
		}
	}
}

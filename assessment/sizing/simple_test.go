package sizing

import (
	"math"
	"strings"
	"testing"
)

var simpleExample = SimpleInput{
	StartDate:                "2025-01",
	CurrentUsers:             500,
	Milestones:               []Milestone{{Date: "2025-07", Users: 2000}},
	EndDate:                  "2026-12",
	TargetUsers:              5000,
	ExistingForms:            1_000_000,
	ExistingCases:            200_000,
	FormsPerUserMonth:        100,
	NewCasesPerUserMonth:     20,
	UpdatedCasesPerUserMonth: 60,
}

func TestSimpleConfigUsage(t *testing.T) {
	cfg, err := SimpleConfig(simpleExample)
	if err != nil {
		t.Fatal(err)
	}
	var dates []string
	for _, d := range cfg.SummaryDates {
		dates = append(dates, d.String())
	}
	if got, want := strings.Join(dates, " "), "2025-01 2025-07 2026-12"; got != want {
		t.Errorf("summary dates = %s, want %s", got, want)
	}
	_, p, _, err := cfg.prepare()
	if err != nil {
		t.Fatal(err)
	}
	u, err := evalUsage(p, cfg.Usage)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(u.months); n != 24 {
		t.Fatalf("%d months, want 24 (2025-01 to 2026-12)", n)
	}
	at := func(col string, m Month) float64 { return u.cols[col][p.index[m]] }
	tests := []struct {
		col   string
		month Month
		want  float64
	}{
		{"users", NewMonth(2025, 1), 500},
		{"users", NewMonth(2025, 6), 500},
		{"users", NewMonth(2025, 7), 2000},
		{"users", NewMonth(2026, 11), 2000},
		{"users", NewMonth(2026, 12), 5000},
		{"active_users", NewMonth(2025, 1), 375},
		{"forms_monthly", NewMonth(2025, 1), 50_000},
		// Existing forms plus the first month's.
		{"forms_total", NewMonth(2025, 1), 1_050_000},
		// + 5 more months at 500 users and one at 2,000.
		{"forms_total", NewMonth(2025, 7), 1_050_000 + 5*50_000 + 200_000},
		{"cases_total", NewMonth(2025, 1), 200_000 + 500*20},
		// One transaction per new case and per update: 500 × (20 + 60).
		{"case_transactions", NewMonth(2025, 1), 40_000},
		{"case_transactions_total", NewMonth(2025, 2), 80_000},
		// The profile's own device logs are not carried over.
		{"device_logs", NewMonth(2025, 1), 375 * 20_000},
		// Ratios the profile keeps: 7.8 syncs per active user.
		{"synclogs_monthly", NewMonth(2025, 1), 375 * 7.8},
	}
	for _, tt := range tests {
		if got := at(tt.col, tt.month); !close(got, tt.want) {
			t.Errorf("%s at %s = %v, want %v", tt.col, tt.month, got, tt.want)
		}
	}
}

func TestRunSimple(t *testing.T) {
	r, err := RunSimple(simpleExample)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Summaries) != 3 {
		t.Fatalf("%d summaries, want 3", len(r.Summaries))
	}
	users := []float64{500, 2000, 5000}
	for i, s := range r.Summaries {
		if s.Users != users[i] {
			t.Errorf("%s users = %v, want %v", s.Date, s.Users, users[i])
		}
		if len(s.Services) != 15 {
			t.Errorf("%s has %d services, want the profile's 15", s.Date, len(s.Services))
		}
	}
	// Storage only grows as data accumulates.
	first, last := r.Summaries[0], r.Summaries[2]
	if !(last.StorageByGroup["SSD"] > first.StorageByGroup["SSD"]) {
		t.Errorf("SSD went from %v to %v, want growth", first.StorageByGroup["SSD"], last.StorageByGroup["SSD"])
	}
	// MinIO needs a node per 4,000 users: 2 at 5,000, plus a buffer VM.
	if got := serviceIn(t, &last, "minio").VMsTotal; got != 3 {
		t.Errorf("minio VMs at 5,000 users = %d, want 3", got)
	}
}

func TestSimpleDefaultEnd(t *testing.T) {
	cfg, err := SimpleConfig(SimpleInput{StartDate: "2025-03", CurrentUsers: 100, FormsPerUserMonth: 10})
	if err != nil {
		t.Fatal(err)
	}
	last := cfg.SummaryDates[len(cfg.SummaryDates)-1]
	if last.String() != "2026-02" {
		t.Errorf("default end = %s, want 2026-02 (twelve months)", last)
	}
}

func TestSimpleErrors(t *testing.T) {
	base := simpleExample
	tests := []struct {
		name    string
		edit    func(*SimpleInput)
		field   string
		problem string
	}{
		{"no start", func(in *SimpleInput) { in.StartDate = "" }, "start_date", "required"},
		{"bad start", func(in *SimpleInput) { in.StartDate = "2025-13" }, "start_date", "no month 13"},
		{"negative users", func(in *SimpleInput) { in.CurrentUsers = -5 }, "current_users", "negative"},
		{"absurd users", func(in *SimpleInput) { in.CurrentUsers = 2e9 }, "current_users", "largest sensible"},
		{"milestone before start", func(in *SimpleInput) { in.Milestones = []Milestone{{"2024-12", 10}} }, "milestones[0].date", "must come after"},
		{"milestones out of order", func(in *SimpleInput) {
			in.Milestones = []Milestone{{"2025-06", 10}, {"2025-03", 20}}
		}, "milestones[1].date", "must come after"},
		{"milestone bad date", func(in *SimpleInput) { in.Milestones = []Milestone{{"soon", 10}} }, "milestones[0].date", "YYYY-MM"},
		{"end before milestone", func(in *SimpleInput) { in.EndDate = "2025-05" }, "end_date", "backwards"},
		{"target at the last milestone", func(in *SimpleInput) { in.EndDate = "2025-07" }, "end_date", "must come after"},
		{"target without end", func(in *SimpleInput) { in.EndDate = "" }, "end_date", "required with target_users"},
		{"negative forms", func(in *SimpleInput) { in.FormsPerUserMonth = -1 }, "forms_per_user_month", "negative"},
		{"NaN cases", func(in *SimpleInput) { in.NewCasesPerUserMonth = math.NaN() }, "new_cases_per_user_month", "must be a number"},
		{"absurd updates", func(in *SimpleInput) { in.UpdatedCasesPerUserMonth = 1e9 }, "updated_cases_per_user_month", "largest sensible"},
		{"negative existing forms", func(in *SimpleInput) { in.ExistingForms = -1 }, "existing_forms", "negative"},
		{"share above one", func(in *SimpleInput) { in.ActiveUserShare = 1.5 }, "active_user_share", "between 0 and 1"},
		{"negative attachments", func(in *SimpleInput) { in.AttachmentKBPerForm = -1 }, "attachment_kb_per_form", "negative"},
		{"absurd attachments", func(in *SimpleInput) { in.AttachmentKBPerForm = 2e6 }, "attachment_kb_per_form", "largest sensible"},
		{"more than 600 months", func(in *SimpleInput) { in.EndDate = "2080-01" }, "end_date", "the limit is 600"},
		{"nobody", func(in *SimpleInput) {
			in.CurrentUsers, in.Milestones, in.TargetUsers, in.EndDate = 0, nil, 0, ""
		}, "current_users", "above zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			in.Milestones = append([]Milestone(nil), base.Milestones...)
			tt.edit(&in)
			_, err := RunSimple(in)
			wantFieldError(t, err, tt.field, tt.problem)
		})
	}
}

func TestSimpleAssumptions(t *testing.T) {
	got := strings.Join(SimpleAssumptions(), "\n")
	for _, want := range []string{
		"baseline usage", "25% estimation buffer", "grows 1% a month", "33% more disk", "50 GB OS disk",
		"7.8 times a month, kept for 2 months", "20,000 device-log rows", "4,000 users", "pg_main, pg_shards, pg_ucr",
		"storage figures only", "keeps 7,263 bytes for every form, plus the average size of its attachments",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("assumptions lack %q:\n%s", want, got)
		}
	}
}

func TestDefaultProfileIsEchis(t *testing.T) {
	a, err := ParseConfig(DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseConfig(readTestdata(t, "echis.yml"))
	if err != nil {
		t.Fatal(err)
	}
	ra, _ := Run(a)
	rb, _ := Run(b)
	if len(ra.Summaries) != len(rb.Summaries) || ra.Summaries[2].Totals != rb.Summaries[2].Totals {
		t.Errorf("the embedded profile and testdata/echis.yml give different results")
	}
}

// The average attachment size a form carries (the guide's "large images to
// be submitted regularly") is a second data model of the blob store, beside
// the profile's own bytes per form, as reach_40k.yml models images_total:
// minio's modelled data grows by forms_total × size × redundancy 2 × the
// 33% storage buffer, and larger stores need more VMs (1 TB per node).
func TestSimpleAttachments(t *testing.T) {
	cfg, err := SimpleConfig(simpleExample)
	if err != nil {
		t.Fatal(err)
	}
	_, p, _, err := cfg.prepare()
	if err != nil {
		t.Fatal(err)
	}
	u, err := evalUsage(p, cfg.Usage)
	if err != nil {
		t.Fatal(err)
	}
	col := u.cols["forms_total"]
	forms := col[len(col)-1]

	minio := func(kb float64) ServiceSummary {
		t.Helper()
		in := simpleExample
		in.AttachmentKBPerForm = kb
		r, err := RunSimple(in)
		if err != nil {
			t.Fatalf("%v KB: %v", kb, err)
		}
		return *serviceIn(t, &r.Summaries[len(r.Summaries)-1], "minio")
	}
	none := minio(0)
	prev := none
	for _, kb := range []float64{150, 1500, 9000} {
		got := minio(kb)
		want := none.StorageRaw + forms*kb*1e3*2*1.33/1e12
		if math.Abs(got.StorageRaw-want) > 1e-9*want {
			t.Errorf("%v KB a form: minio raw storage %v TB, want %v (%v forms)", kb, got.StorageRaw, want, forms)
		}
		if !(got.StorageTotal > prev.StorageTotal) || got.VMsTotal < prev.VMsTotal {
			t.Errorf("%v KB a form: minio %v TB on %d VMs, want more storage than %v TB and at least %d VMs",
				kb, got.StorageTotal, got.VMsTotal, prev.StorageTotal, prev.VMsTotal)
		}
		prev = got
	}
	if prev.VMsTotal <= none.VMsTotal {
		t.Errorf("9,000 KB a form: %d minio VMs, want more than the %d without attachments (1 TB a node)", prev.VMsTotal, none.VMsTotal)
	}
	// The shared profile is not changed by a run with attachments.
	if again := minio(0); again.StorageRaw != none.StorageRaw || again.VMsTotal != none.VMsTotal {
		t.Errorf("after runs with attachments, none gives %v TB on %d VMs, want %v TB on %d", again.StorageRaw, again.VMsTotal, none.StorageRaw, none.VMsTotal)
	}
	prof, err := parsedProfile()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range prof.Services {
		if s.Name == "minio" && len(s.Storage.DataModels) != 1 {
			t.Errorf("the shared profile's minio has %d data models, want its own 1", len(s.Storage.DataModels))
		}
	}
}

package sizing

import (
	_ "embed"
	"fmt"
	"math"
	"sort"
	"sync"
)

// defaultProfile is Dimagi's eCHIS config, the service profile the simple
// form runs on.
//
//go:embed profiles/echis.yml
var defaultProfile []byte

// DefaultProfile returns the YAML of the default service profile.
func DefaultProfile() []byte { return append([]byte(nil), defaultProfile...) }

// Input bounds of the simple form.
const (
	maxSimpleUsers      = 100_000_000
	maxPerUserMonth     = 1_000_000
	maxExistingCount    = 1e13
	maxSimpleMilestones = 60
)

// SimpleInput are the numbers the CommCare transition guide asks a project
// for (section 1.2). They replace the project-specific usage of the default
// profile:
//
//   - users (date_range_value): CurrentUsers from StartDate, then each
//     milestone's Users from its Date on, up to the end month;
//   - active_users (derived_factor): users × ActiveUserShare;
//   - forms_monthly (derived_factor): users × FormsPerUserMonth;
//   - forms_total (cumulative): ExistingForms + the forms of every month;
//   - cases_monthly (derived_factor): users × NewCasesPerUserMonth;
//   - cases_total (cumulative): ExistingCases + the new cases of every month;
//   - case_transactions (derived_factor): users × (NewCasesPerUserMonth +
//     UpdatedCasesPerUserMonth), one transaction per case created or updated;
//   - case_transactions_total (cumulative): ExistingCaseTransactions + those;
//   - device_logs (baseline_with_growth): starts from zero (the profile's
//     start value is eCHIS's own data).
//
// AttachmentKBPerForm adds a data model to the blob store (minio):
// forms_total × the attachment size, beside the profile's 7,263 bytes a form
// for its own blobs (the form XML). reach_40k.yml models images the same way,
// as a second data model of its blob store (riakcs) beside forms_total.
//
// Every other usage model (synclogs, kafka changes, request rates, case
// indices) keeps the profile's ratios, and the services keep their sizes.
type SimpleInput struct {
	// StartDate (YYYY-MM) is the first month, when CurrentUsers are active.
	StartDate    string `json:"start_date"`
	CurrentUsers int    `json:"current_users"`
	// Milestones are planned user counts and the months they become active;
	// users stay constant between milestones.
	Milestones []Milestone `json:"milestones,omitempty"`
	// EndDate (YYYY-MM) is the last month modelled. Empty means the later of
	// the last milestone and the twelfth month counting StartDate (a
	// January start ends in December).
	EndDate string `json:"end_date,omitempty"`
	// TargetUsers, with EndDate, is one more milestone: the users active at
	// EndDate.
	TargetUsers int `json:"target_users,omitempty"`
	// ExistingForms is the total of forms already submitted.
	ExistingForms float64 `json:"existing_forms"`
	// ExistingCases is the total of cases already created (optional).
	ExistingCases float64 `json:"existing_cases,omitempty"`
	// ExistingCaseTransactions is the total of case transactions already
	// recorded (optional).
	ExistingCaseTransactions float64 `json:"existing_case_transactions,omitempty"`
	FormsPerUserMonth        float64 `json:"forms_per_user_month"`
	NewCasesPerUserMonth     float64 `json:"new_cases_per_user_month"`
	UpdatedCasesPerUserMonth float64 `json:"updated_cases_per_user_month"`
	// ActiveUserShare is the share of users active in a month (0 < x ≤ 1);
	// 0 means the profile's 0.75.
	ActiveUserShare float64 `json:"active_user_share,omitempty"`
	// AttachmentKBPerForm is the average size of the attachments (such as
	// images) submitted with a form, in KB of 1000 bytes; 0 means none
	// beyond what the profile stores for every form.
	AttachmentKBPerForm float64 `json:"attachment_kb_per_form,omitempty"`
}

// Milestone is a planned number of users from a month on.
type Milestone struct {
	Date  string `json:"date"`
	Users int    `json:"users"`
}

// defaultActiveShare is eCHIS's active users over users (9,450 of 12,600).
const defaultActiveShare = 0.75

// The blob store of the default profile, which holds what phones submit
// ("XML/JSON documents as well as images", the transition guide's file
// database), and the usage field attachments scale with.
const (
	blobService    = "minio"
	attachmentsPer = "forms_total"
	// maxAttachmentKB is 1 GB of attachments a form.
	maxAttachmentKB = 1_000_000
)

// parsedProfile parses the embedded profile once; configs built on it copy
// what they change.
var parsedProfile = sync.OnceValues(func() (*Config, error) { return ParseConfig(defaultProfile) })

// SimpleConfig builds the resource-model config for a SimpleInput over the
// default profile, with the start, every milestone and the end as summary
// dates.
func SimpleConfig(in SimpleInput) (*Config, error) {
	cfg, err := simpleConfig(in)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// simpleConfig is SimpleConfig without the final check of the whole
// config, which Run makes anyway.
func simpleConfig(in SimpleInput) (*Config, error) {
	start, end, steps, err := in.timeline()
	if err != nil {
		return nil, err
	}
	for _, f := range []namedValue{
		{"existing_forms", in.ExistingForms}, {"forms_per_user_month", in.FormsPerUserMonth},
		{"new_cases_per_user_month", in.NewCasesPerUserMonth},
		{"updated_cases_per_user_month", in.UpdatedCasesPerUserMonth},
		{"existing_cases", in.ExistingCases}, {"existing_case_transactions", in.ExistingCaseTransactions},
		{"attachment_kb_per_form", in.AttachmentKBPerForm},
	} {
		limit := float64(maxPerUserMonth)
		switch f.name {
		case "existing_forms", "existing_cases", "existing_case_transactions":
			limit = maxExistingCount
		case "attachment_kb_per_form":
			limit = maxAttachmentKB
		}
		if err := checkRange(f.name, f.v, limit); err != nil {
			return nil, err
		}
	}
	share := in.ActiveUserShare
	if share == 0 {
		share = defaultActiveShare
	}
	if !finite(share) || share < 0 || share > 1 {
		return nil, fieldErr("active_user_share", "must be a share between 0 and 1")
	}

	profile, err := parsedProfile()
	if err != nil {
		return nil, fmt.Errorf("sizing: default profile: %w", err)
	}
	// A copy with its own usage models: the parsed profile is shared.
	cfg := new(Config)
	*cfg = *profile
	cfg.Usage = append([]UsageModel(nil), profile.Usage...)
	var ranges []Range
	for i, s := range steps {
		last := end
		if i+1 < len(steps) {
			last = steps[i+1].month - 1
		}
		ranges = append(ranges, Range{Start: s.month, End: last, Value: N(float64(s.users))})
	}
	replace := map[string]UsageModel{
		"users":         {Kind: ModelDateRangeValue, Ranges: ranges},
		"active_users":  {Kind: ModelDerivedFactor, DependantFields: []string{"users"}, Factor: N(share)},
		"forms_monthly": {Kind: ModelDerivedFactor, DependantFields: []string{"users"}, Factor: N(in.FormsPerUserMonth)},
		"cases_monthly": {Kind: ModelDerivedFactor, DependantFields: []string{"users"}, Factor: N(in.NewCasesPerUserMonth)},
		"case_transactions": {Kind: ModelDerivedFactor, DependantFields: []string{"users"},
			Factor: N(in.NewCasesPerUserMonth + in.UpdatedCasesPerUserMonth)},
	}
	startWith := map[string]float64{
		"forms_total":             in.ExistingForms,
		"cases_total":             in.ExistingCases,
		"case_transactions_total": in.ExistingCaseTransactions,
		"device_logs":             0,
	}
	found := 0
	for i := range cfg.Usage {
		m := &cfg.Usage[i]
		if r, ok := replace[m.Name]; ok {
			r.Name = m.Name
			*m = r
			found++
		}
		if v, ok := startWith[m.Name]; ok {
			m.StartWith = N(v)
			found++
		}
	}
	if found != len(replace)+len(startWith) {
		return nil, fmt.Errorf("sizing: default profile lacks a usage model the simple form sets")
	}
	if in.AttachmentKBPerForm > 0 {
		if err := addAttachments(cfg, in.AttachmentKBPerForm*1e3); err != nil {
			return nil, err
		}
	}
	dates := []Month{start, end}
	for _, s := range steps {
		dates = append(dates, s.month)
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i] < dates[j] })
	cfg.SummaryDates = dedupMonths(dates)
	return cfg, nil
}

// addAttachments stores bytes more of every form in the blob store. The
// services and the blob store's storage section are copied first: the
// parsed profile is shared.
func addAttachments(cfg *Config, bytes float64) error {
	cfg.Services = append([]Service(nil), cfg.Services...)
	for i := range cfg.Services {
		svc := &cfg.Services[i]
		if svc.Name != blobService || svc.Storage == nil {
			continue
		}
		st := *svc.Storage
		st.DataModels = append(append([]DataModel(nil), st.DataModels...), DataModel{Field: attachmentsPer, UnitBytes: bytes})
		svc.Storage = &st
		return nil
	}
	return fmt.Errorf("sizing: default profile lacks the blob store (%s) that attachments go to", blobService)
}

// RunSimple builds the config for a SimpleInput and runs the model.
// The config is checked once, by Run.
func RunSimple(in SimpleInput) (*Result, error) {
	cfg, err := simpleConfig(in)
	if err != nil {
		return nil, err
	}
	return Run(cfg)
}

type userStep struct {
	month Month
	users int
}

// timeline validates the dates and users of the form and returns the first
// and last month and the user count from each change on.
func (in SimpleInput) timeline() (start, end Month, steps []userStep, err error) {
	if in.StartDate == "" {
		return 0, 0, nil, fieldErr("start_date", "required (YYYY-MM)")
	}
	if start, err = ParseMonth(in.StartDate); err != nil {
		return 0, 0, nil, fieldErr("start_date", err.Error())
	}
	if err := checkUsers("current_users", in.CurrentUsers); err != nil {
		return 0, 0, nil, err
	}
	steps = []userStep{{start, in.CurrentUsers}}
	if len(in.Milestones) > maxSimpleMilestones {
		return 0, 0, nil, fieldErr("milestones", fmt.Sprintf("has %d milestones; the limit is %d", len(in.Milestones), maxSimpleMilestones))
	}
	for i, ms := range in.Milestones {
		f := fmt.Sprintf("milestones[%d]", i)
		m, err := ParseMonth(ms.Date)
		if err != nil {
			return 0, 0, nil, fieldErr(f+".date", err.Error())
		}
		if m <= steps[len(steps)-1].month {
			return 0, 0, nil, fieldErr(f+".date", fmt.Sprintf("%s must come after %s", m, steps[len(steps)-1].month))
		}
		if err := checkUsers(f+".users", ms.Users); err != nil {
			return 0, 0, nil, err
		}
		steps = append(steps, userStep{m, ms.Users})
	}
	last := steps[len(steps)-1].month
	switch {
	case in.EndDate != "":
		if end, err = ParseMonth(in.EndDate); err != nil {
			return 0, 0, nil, fieldErr("end_date", err.Error())
		}
		if end < last {
			return 0, 0, nil, fieldErr("end_date", fmt.Sprintf("%s is before %s: the date range is backwards", end, last))
		}
		if err := checkUsers("target_users", in.TargetUsers); err != nil {
			return 0, 0, nil, err
		}
		if in.TargetUsers > 0 {
			if end == last {
				return 0, 0, nil, fieldErr("end_date", fmt.Sprintf("must come after %s to reach target_users there", last))
			}
			steps = append(steps, userStep{end, in.TargetUsers})
		}
	case in.TargetUsers != 0:
		return 0, 0, nil, fieldErr("end_date", "required with target_users: the month the target is reached")
	default:
		end = max(last, start+11)
	}
	if n := int(end-start) + 1; n > MaxMonths {
		return 0, 0, nil, fieldErr("end_date", fmt.Sprintf("the estimate spans %d months; the limit is %d", n, MaxMonths))
	}
	anyUsers := false
	for _, s := range steps {
		anyUsers = anyUsers || s.users > 0
	}
	if !anyUsers {
		return 0, 0, nil, fieldErr("current_users", "give at least one user count above zero")
	}
	return start, end, steps, nil
}

func checkUsers(field string, n int) error {
	if n < 0 {
		return fieldErr(field, fmt.Sprintf("must not be negative (got %d)", n))
	}
	if n > maxSimpleUsers {
		return fieldErr(field, fmt.Sprintf("%s users is more than the largest sensible value, %s", fmtThousands(float64(n)), fmtThousands(maxSimpleUsers)))
	}
	return nil
}

func checkRange(field string, v, limit float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fieldErr(field, "must be a number")
	case v < 0:
		return fieldErr(field, fmt.Sprintf("must not be negative (got %s)", fmtNum(v)))
	case v > limit:
		return fieldErr(field, fmt.Sprintf("%s is more than the largest sensible value, %s", fmtThousands(v), fmtThousands(limit)))
	}
	return nil
}

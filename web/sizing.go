package web

// The sizing calculator's view models. Handlers fill them with text already
// formatted from the sizing engine's results; the templates lay them out.

// SizingCalcView is the calculator page: three calculators, each a form, a
// one-sentence status and the result.
type SizingCalcView struct {
	Tier     TierCalc
	Simple   SimpleCalc
	OpenCRVS CRVSCalc
	// BaseURL is the portal's public address, for the API examples.
	BaseURL string
}

// TierCalc is the CommCare HQ hardware tier calculator.
type TierCalc struct {
	Form Form
	// Status is the result, or the problem, in one sentence; it is what a
	// screen reader announces after each live update.
	Status string
	Result *TierView // nil when the form has a problem
}

// TierView is a hardware tier recommendation.
type TierView struct {
	Key       string // single, micro, small or large
	Name      string // "Micro cluster"
	Servers   string // "2", or "more than 5"
	PerServer string // "4 vCPUs · 16 GB RAM · 1 TB SSD"
	Note      string
	Reasons   []string
}

// SimpleCalc is the resource model over the default service profile,
// driven by the transition guide's own questions.
type SimpleCalc struct {
	Form   Form
	Status string
	Result *ModelView
	// Formulas are the usage the form's numbers build, numbers filled in.
	Formulas []string
	// Assumptions are the default profile's, in words.
	Assumptions []string
	// CSVHref and XLSXHref download the result shown.
	CSVHref, XLSXHref string
}

// CRVSCalc is the OpenCRVS servers and disk calculator.
type CRVSCalc struct {
	Form   Form
	Status string
	Result *CRVSView
	Scales []Option
	// CSVHref and TextHref download the estimate shown.
	CSVHref, TextHref string
}

// CRVSView is an OpenCRVS estimate.
type CRVSView struct {
	Environments []EnvRow
	// Steps are the disk calculation: Label the step, Value its arithmetic.
	Steps []Pair
	Notes []string
	// OS is the operating system and architecture of every server.
	OS string
	// Charts are the disk over the years of records kept, drawn.
	Charts []BarChart
}

// EnvRow is one kind of OpenCRVS server.
type EnvRow struct {
	Name, Count, RAM, CPUs, Disk string
}

// ModelPageView is the page for a full resource-model YAML config.
type ModelPageView struct {
	Form   Form // the "config" field
	Status string
	Result *ModelView
}

// ModelView is a resource-model result as tables.
type ModelView struct {
	Unit string // storage display unit: TB, GB...
	// Groups are the storage groups, the overview's last columns.
	Groups    []string
	Overview  []OverviewRow
	Summaries []SummaryView
	// Charts are the overview's VMs, cores, RAM and storage, drawn.
	Charts []BarChart
}

// OverviewRow is one summary date in the overview table.
type OverviewRow struct {
	Label                  string // "2025-01", or "low-fast, 2025-01" with sets
	Users, VMs, Cores, RAM string
	Storage                []string // in the order of ModelView.Groups
}

// SummaryView is the model at one summary date.
type SummaryView struct {
	ID       string // for anchors and labels
	Title    string // "2025-01: 500 users"
	Open     bool   // shown expanded
	Unit     string
	Services []ServiceRow
	// TotalVMs and TotalOS are the per-service table's total row.
	TotalVMs, TotalOS string
	StorageByGroup    []Pair
	VMsBySize         []Pair
	VMsByType         []TypeRow
	VMs, Cores, RAM   string
}

// ServiceRow is one row of the per-service table, in the original tool's
// column order.
type ServiceRow struct {
	Name, CoresPerVM, RAMPerVM, StoragePerVM, VMs, VMBuffer, BufferPct, Storage, Group, OSStorage string
}

// TypeRow adds up VMs by aggregation key.
type TypeRow struct {
	Type, VMs, Cores, RAM string
}

// Pair is a labelled value.
type Pair struct {
	Label, Value string
}

// The calculators' fields. Names are the sizing engine's parameter names,
// so its field errors land beside the right input.
var (
	tierUsersField = Field{Name: "users", Label: "Expected mobile users", Type: "text", Required: true, Width: "short",
		Hint: "The most mobile workers you expect to use CommCare, e.g. 2,500."}

	simpleUserFields = []Field{
		{Name: "start_date", Label: "Start month", Type: "text", Required: true, Width: "short",
			Hint: "YYYY-MM: the first month to model, when the current users are active."},
		{Name: "current_users", Label: "Current mobile users", Type: "text", Required: true, Width: "short"},
		{Name: "end_date", Label: "End month", Type: "text", Width: "short",
			Hint: "YYYY-MM. Empty: twelve months from the start."},
		{Name: "target_users", Label: "Projected mobile users at the end month", Type: "text", Width: "short",
			Hint: "Needs an end month."},
	}
	simpleUsageFields = []Field{
		{Name: "forms_per_user_month", Label: "Forms per user per month", Type: "text", Required: true, Width: "short"},
		{Name: "new_cases_per_user_month", Label: "New cases per user per month", Type: "text", Required: true, Width: "short"},
		{Name: "updated_cases_per_user_month", Label: "Updated cases per user per month", Type: "text", Required: true, Width: "short"},
		{Name: "active_user_share", Label: "Share of users active in a month", Type: "text", Width: "short",
			Hint: "Between 0 and 1. Empty: 0.75, as in eCHIS."},
		{Name: "attachment_kb_per_form", Label: "Attachments per form (KB)", Type: "text", Width: "short",
			Hint: "The average size of the images and files a form carries. Empty: none."},
	}
	simpleExistingFields = []Field{
		{Name: "existing_forms", Label: "Forms submitted so far", Type: "text", Required: true, Width: "short",
			Hint: "The total on your current server; 0 for a new project."},
		{Name: "existing_cases", Label: "Cases created so far", Type: "text", Width: "short"},
		{Name: "existing_case_transactions", Label: "Case transactions so far", Type: "text", Width: "short"},
	}

	crvsScaleField = Field{Name: "scale", Label: "Scale of the deployment", Required: true,
		Hint: "National: a production cluster sized by population. Pilot: one server for each environment. Proof of concept: one qa server, and no citizen data."}
	crvsPeopleField = []Field{
		{Name: "population", Label: "Population", Type: "text", Width: "short", Sometimes: true,
			Hint: "People the deployment serves, e.g. 30,000,000. Needed at national scale, where it sets the number of production servers, and with the rates unless you give the records per year."},
		{Name: "birth_rate", Label: "Crude birth rate", Type: "text", Width: "short", Sometimes: true,
			Hint: "Births per 1,000 people per year, e.g. 17.299. Needed with a population."},
		{Name: "death_rate", Label: "Crude death rate", Type: "text", Width: "short", Sometimes: true,
			Hint: "Deaths per 1,000 people per year, e.g. 7.7. Needed with a population."},
		{Name: "records_per_year", Label: "Records per year", Type: "text", Width: "short",
			Hint: "Instead of population × rates: the births and deaths you expect to register in a year."},
	}
	crvsDiskFields = []Field{
		{Name: "attachments", Label: "Attachments per record", Type: "text", Required: true, Width: "short",
			Hint: "The average number of supporting documents, e.g. 3; 0 if records carry none."},
		{Name: "years", Label: "Years of records on disk", Type: "text", Width: "short",
			Hint: "How long records stay on the application servers. Empty: one year (an assessment assumes 5 until its question is answered)."},
	}
)

// SizingFieldLabel returns the label of a calculator field, for messages
// that name it; unknown names come back as they are.
func SizingFieldLabel(name string) string {
	switch name {
	case "users":
		return tierUsersField.Label
	case "scale":
		return crvsScaleField.Label
	case "config":
		return "Config"
	}
	for _, fields := range [][]Field{simpleUserFields, simpleUsageFields, simpleExistingFields, crvsPeopleField, crvsDiskFields} {
		for _, f := range fields {
			if f.Name == name {
				return f.Label
			}
		}
	}
	return name
}

package handlers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"groundwork/assessment/sizing"
	"groundwork/web"
)

// Conversions of the sizing engine's results into the calculator's view
// models: every number formatted here, so the templates only lay out text.

var num = sizing.FormatNumber

// apiWords put the API's parameter names that problems mention in the
// page's words.
var apiWords = strings.NewReplacer("records_per_year", "the records per year", "target_users", "the projected users")

// fieldForm returns a form holding values, with each of err's problems
// beside its field; ok is false when err is not the input's fault.
func fieldForm(values map[string]string, err error) (web.Form, bool) {
	form := web.Form{Values: values}
	list := sizing.FieldErrors(err)
	if len(list) == 0 {
		return form, false
	}
	form.Errors = map[string]string{}
	for _, fe := range list {
		field := fe.Field
		if _, typed := values[field]; !typed && field != "config" {
			// A problem the form has no input for (a milestone, say) shows at
			// the top of the form, in the error summary.
			field = strings.SplitN(field, ".", 2)[0]
		}
		if _, said := form.Errors[field]; said {
			continue
		}
		// The API's problems name its other parameters; the page names its field.
		problem := apiWords.Replace(fe.Problem)
		form.Errors[field] = web.SizingFieldLabel(fe.Field) + ": " + strings.TrimSuffix(problem, ".") + "."
		form.Order = append(form.Order, field)
	}
	return form, true
}

// problemStatus is the status of a refused form: its first problem, and
// how many more there are.
func problemStatus(form web.Form) string {
	if len(form.Order) == 0 {
		return ""
	}
	s := "There is a problem. " + form.Errors[form.Order[0]]
	switch n := len(form.Order) - 1; n {
	case 0:
	case 1:
		s += " And one more, beside its field."
	default:
		s += " And " + strconv.Itoa(n) + " more, beside their fields."
	}
	return s
}

func tierView(t sizing.TierResult) *web.TierView {
	v := &web.TierView{Key: t.Tier, Name: t.Name, Servers: strconv.Itoa(t.Servers), Note: sentence(t.PerServer.Note), Reasons: t.Reasons}
	if t.Tier == sizing.TierLarge {
		v.Servers = "more than 5"
	}
	var spec []string
	if t.PerServer.VCPUs > 0 {
		spec = append(spec, strconv.Itoa(t.PerServer.VCPUs)+" vCPUs")
	}
	if t.PerServer.RAMGB > 0 {
		spec = append(spec, strconv.Itoa(t.PerServer.RAMGB)+" GB RAM")
	}
	disk := "SSD"
	if t.PerServer.DiskTB > 0 {
		disk = num(t.PerServer.DiskTB) + " TB SSD"
	}
	if !t.PerServer.SSD {
		disk = strings.TrimSuffix(disk, " SSD") + " disk"
	}
	spec = append(spec, disk)
	v.PerServer = strings.Join(spec, " · ")
	return v
}

func tierStatus(t sizing.TierResult) string {
	if t.Servers == 1 {
		return t.Name + ": 1 server."
	}
	return t.Name + ": " + tierView(t).Servers + " servers."
}

// sentence capitalises a phrase and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// simpleFormulas states the usage the simple form builds, numbers filled in.
func simpleFormulas(in sizing.SimpleInput) []string {
	users := num(float64(in.CurrentUsers)) + " users from " + in.StartDate
	for _, m := range in.Milestones {
		users += ", " + num(float64(m.Users)) + " from " + m.Date
	}
	if in.TargetUsers > 0 {
		users += ", " + num(float64(in.TargetUsers)) + " from " + in.EndDate
	}
	share := in.ActiveUserShare
	if share == 0 {
		share = 0.75
	}
	return []string{
		"Users: " + users + ".",
		"Active users = users × " + num(share) + ".",
		"Forms a month = users × " + num(in.FormsPerUserMonth) + "; forms in total = " + num(in.ExistingForms) + " + the forms of every month.",
		"New cases a month = users × " + num(in.NewCasesPerUserMonth) + "; cases in total = " + num(in.ExistingCases) + " + the new cases of every month.",
		"Case transactions a month = users × (" + num(in.NewCasesPerUserMonth) + " + " + num(in.UpdatedCasesPerUserMonth) +
			"); in total = " + num(in.ExistingCaseTransactions) + " + those of every month.",
		"Each service: VMs = its usage ÷ the usage one VM handles, plus the estimation buffer (at least its minimum number of nodes); " +
			"storage = usage × bytes per unit × redundancy, plus the storage buffer.",
	}
}

// crvsStepLabels name the OpenCRVS breakdown's steps in words.
var crvsStepLabels = map[string]string{
	"records_per_year":     "Records per year",
	"attachments_per_year": "Attachments per year",
	"record_data_per_year": "Record data per year",
	"operating_system":     "Operating system",
	"app_disk_per_year":    "Application server disk, one year",
	"app_disk":             "Application server disk, every year kept",
	"backup_disk":          "Backup server disk",
}

func crvsView(e *sizing.OpenCRVSEstimate) *web.CRVSView {
	v := &web.CRVSView{Notes: e.Notes}
	var systems []string
	for _, env := range e.Environments {
		v.Environments = append(v.Environments, web.EnvRow{
			Name: env.Name, Count: strconv.Itoa(env.Count), RAM: strconv.Itoa(env.RAMGB), CPUs: strconv.Itoa(env.CPUs), Disk: roundSize(env.DiskGB),
		})
		if os := env.OS + " (" + env.Arch + ")"; !slices.Contains(systems, os) {
			systems = append(systems, os)
		}
	}
	v.OS = strings.Join(systems, "; ")
	v.Charts = crvsCharts("crvs", e)
	for _, st := range e.Breakdown {
		label := crvsStepLabels[st.Name]
		if label == "" {
			label = strings.ReplaceAll(st.Name, "_", " ")
		}
		v.Steps = append(v.Steps, web.Pair{Label: label, Value: st.Formula})
	}
	return v
}

func crvsStatus(e *sizing.OpenCRVSEstimate) string {
	years := "one year"
	if e.Years > 1 {
		years = strconv.Itoa(e.Years) + " years"
	}
	servers := ""
	if e.ProductionServers > 1 {
		servers = strconv.Itoa(e.ProductionServers) + " production servers; "
	}
	if !e.HasDataServers() {
		return fmt.Sprintf("%s records a year: a proof of concept runs on one qa server and captures no live citizen data. From a pilot on, application servers need %s GB of disk for %s, the backup server %s GB.",
			num(e.RecordsPerYear), roundSize(e.AppDiskGB), years, roundSize(e.BackupDiskGB))
	}
	return fmt.Sprintf("%s records a year: %sapplication servers need %s GB of disk for %s, the backup server %s GB.",
		num(e.RecordsPerYear), servers, roundSize(e.AppDiskGB), years, roundSize(e.BackupDiskGB))
}

func crvsScales() []web.Option {
	return []web.Option{
		{Value: sizing.ScaleNational, Label: "National"},
		{Value: sizing.ScalePilot, Label: "Pilot"},
		{Value: sizing.ScaleProofOfConcept, Label: "Proof of concept"},
	}
}

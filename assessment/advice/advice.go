// Package advice joins the catalog and the sizing engine: it reads the
// answers tagged as sizing inputs and returns the recommendation to show
// beside them, and how the servers entered for procurement compare with it.
package advice

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"groundwork/assessment"
	"groundwork/assessment/sizing"
)

// DefaultYearsOfRecords is how many years of OpenCRVS records the disk is
// sized for when the assessment does not say: the public API's example.
const DefaultYearsOfRecords = 5

// Advice is the sizing recommendation for an assessment's answers.
type Advice struct {
	Platform assessment.Platform
	// Missing names the inputs not answered yet, in words.
	Missing []string

	// CommCare.
	Tier  *sizing.TierResult
	Model *Model // the resource model over the default profile
	// ModelProblem says why the resource model could not run on these
	// answers (Model is then nil), in words; "" otherwise.
	ModelProblem string

	// OpenCRVS.
	OpenCRVS *sizing.OpenCRVSEstimate
	// StageAnswered says the project stage came from the answers; without
	// it the estimate assumes national scale.
	StageAnswered bool
	// YearsAnswered says the years of records came from the answers;
	// without it the estimate uses DefaultYearsOfRecords.
	YearsAnswered bool

	// Calculator is the sizing calculator's query (its form's values,
	// calc included) that shows the same figures; nil before there are any.
	Calculator map[string][]string

	// Servers compares the server table with the recommendation; nil when
	// no servers were entered.
	Servers *ServerCheck

	// ModelEnd says why the model's estimate is for its month (Model.Date):
	// the growth timeline's last date, or a year after it when the users
	// expected at the intended scale are more than the timeline reaches.
	ModelEnd string
}

// Model is the resource model's estimate at the last month modelled.
type Model struct {
	Date    string
	Users   int
	VMs     int
	Cores   int
	RAMGB   int
	Storage []Storage // by storage group, largest first
	Unit    string
	// Series is the model at every summary date, first to last: the
	// report's chart of growth.
	Series []Point
}

// Point is the resource model's totals at one summary date.
type Point struct {
	Date    string
	Users   int
	VMs     int
	Cores   int
	RAMGB   int
	Storage float64 // every storage group, in Unit
}

// Storage is one storage group's total.
type Storage struct {
	Group string
	Size  float64
}

// ServerCheck is the procurement comparison.
type ServerCheck struct {
	Entered  int
	Wanted   int      // servers the recommendation calls for (0: unknown)
	Warnings []string // one line per shortfall; empty when all is well
}

// For computes the advice for a template's answers (as Evaluate takes
// them). It never fails: what cannot be computed is listed in Missing or
// left nil.
func For(tpl *assessment.Template, answers map[string]assessment.Value) Advice {
	a := Advice{Platform: tpl.Platform}
	in := inputs{tpl: tpl, answers: answers}
	switch tpl.Platform {
	case assessment.PlatformCommCare:
		a.commcare(in)
	case assessment.PlatformOpenCRVS:
		a.opencrvs(in)
	}
	return a
}

// inputs reads sizing-tagged answers.
type inputs struct {
	tpl     *assessment.Template
	answers map[string]assessment.Value
}

// has reports whether the template asks for the input at all.
func (in inputs) has(tag assessment.SizingInput) bool {
	_, ok := in.tpl.SizingQuestion(tag)
	return ok
}

func (in inputs) value(tag assessment.SizingInput) (assessment.Value, *assessment.Question, bool) {
	q, ok := in.tpl.SizingQuestion(tag)
	if !ok {
		return assessment.Value{}, nil, false
	}
	v, ok := in.answers[q.Key]
	if !ok || v.IsZero() {
		return v, q, false
	}
	return v, q, true
}

// number returns a numeric answer and whether it is there.
func (in inputs) number(tag assessment.SizingInput) (float64, bool) {
	v, _, ok := in.value(tag)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(v.Text, ",", ""), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// label names the question behind an input, for Missing.
func (in inputs) label(tag assessment.SizingInput) string {
	if q, ok := in.tpl.SizingQuestion(tag); ok {
		return q.Label
	}
	return string(tag)
}

// table returns a table answer as maps keyed by column.
func (in inputs) table(tag assessment.SizingInput) []map[string]string {
	v, q, ok := in.value(tag)
	if !ok {
		return nil
	}
	rows := make([]map[string]string, 0, len(v.Rows))
	for _, r := range v.Rows {
		m := map[string]string{}
		for i, c := range q.Columns {
			if i < len(r) {
				m[c.Key] = r[i]
			}
		}
		rows = append(rows, m)
	}
	return rows
}

func (a *Advice) commcare(in inputs) {
	users, ok := in.number(assessment.SizingUsers)
	if !ok {
		a.Missing = append(a.Missing, in.label(assessment.SizingUsers))
	} else {
		ha := false
		if v, _, ok := in.value(assessment.SizingHighAvailability); ok {
			ha = v.Text == "yes"
		}
		if t, err := sizing.Tier(int(users), ha); err == nil {
			a.Tier = &t
			a.Calculator = map[string][]string{"calc": {"tier"}, "users": {formNumber(users)}}
			if ha {
				a.Calculator["ha"] = []string{"on"}
			}
		}
	}
	a.model(in, users)
	a.Servers = checkCommCareServers(in.table(assessment.SizingServers), a.Tier)
}

// model runs the resource model when its inputs are answered.
func (a *Advice) model(in inputs, users float64) {
	needed := []assessment.SizingInput{assessment.SizingFormsPerUserMonth, assessment.SizingCasesNewPerUserMonth, assessment.SizingCasesUpdPerUserMonth}
	vals := map[assessment.SizingInput]float64{}
	for _, tag := range append(needed, assessment.SizingFormsExisting) {
		if !in.has(tag) {
			continue
		}
		v, ok := in.number(tag)
		if !ok && tag != assessment.SizingFormsExisting {
			a.Missing = append(a.Missing, in.label(tag))
		}
		vals[tag] = v
	}
	if users <= 0 || len(a.Missing) > 0 || !in.has(assessment.SizingFormsPerUserMonth) {
		return
	}
	si := sizing.SimpleInput{
		CurrentUsers:             int(users),
		ExistingForms:            vals[assessment.SizingFormsExisting],
		FormsPerUserMonth:        vals[assessment.SizingFormsPerUserMonth],
		NewCasesPerUserMonth:     vals[assessment.SizingCasesNewPerUserMonth],
		UpdatedCasesPerUserMonth: vals[assessment.SizingCasesUpdPerUserMonth],
	}
	// Optional: unanswered, forms carry no attachments beyond what the
	// profile stores for every form.
	if kb, ok := in.number(assessment.SizingAttachmentKBPerForm); ok && kb > 0 {
		si.AttachmentKBPerForm = kb
	}
	// The growth table gives the start (its first date) and milestones;
	// the intended scale is the users at the end.
	// The model works in months: of several rows in one month the latest
	// (by full date) counts.
	type row struct {
		date  string
		users int
	}
	var rows []row
	for _, r := range in.table(assessment.SizingUserGrowth) {
		n, err := strconv.Atoi(r["users"])
		if date := r["date"]; err == nil && len(date) >= 7 {
			rows = append(rows, row{date, n})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].date < rows[j].date })
	var ms []sizing.Milestone
	extended := false // a milestone a year after the timeline reaches the intended scale
	for _, r := range rows {
		if n := len(ms); n > 0 && ms[n-1].Date == r.date[:7] {
			ms[n-1].Users = r.users
			continue
		}
		ms = append(ms, sizing.Milestone{Date: r.date[:7], Users: r.users})
	}
	if len(ms) > 0 {
		si.StartDate, si.CurrentUsers = ms[0].Date, max(ms[0].Users, 1)
		for _, m := range ms[1:] {
			if m.Date > si.StartDate {
				si.Milestones = append(si.Milestones, m)
			}
		}
		if last := ms[len(ms)-1]; int(users) > last.Users {
			si.Milestones = append(si.Milestones, sizing.Milestone{Date: nextYear(last.Date), Users: int(users)})
			extended = true
		}
	} else {
		si.StartDate = "2027-01"
	}
	r := models.get(si)
	a.Model, a.ModelProblem = r.model, r.problem
	// The model runs to the last milestone, and for a year at least.
	if r.model != nil && len(ms) > 0 {
		switch last := ms[len(ms)-1]; {
		case extended && r.model.Date == nextYear(last.Date):
			a.ModelEnd = "a year after the growth timeline's last date, with the users expected at the intended scale"
		case r.model.Date == last.Date:
			a.ModelEnd = "the growth timeline's last date"
		default:
			a.ModelEnd = "twelve months from the growth timeline's first date (the model covers a year at least)"
		}
	}
}

// modelResult is one run of the resource model: its estimate, or why there
// is none.
type modelResult struct {
	model   *Model
	problem string
}

// modelCache keeps recent resource-model results: the model takes about a
// millisecond, and a phase page asks for the same inputs on every view.
type modelCache struct {
	mu   sync.Mutex
	m    map[string]modelResult
	keys []string // insertion order, for eviction
}

// models is shared by every request; at most maxModels results are kept.
var models = &modelCache{m: map[string]modelResult{}}

const maxModels = 512

// get returns the model for si, running it when it is not cached.
func (c *modelCache) get(si sizing.SimpleInput) modelResult {
	key := fmt.Sprintf("%+v", si)
	c.mu.Lock()
	m, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return m
	}
	m = runModel(si)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[key]; !ok {
		if len(c.keys) >= maxModels {
			delete(c.m, c.keys[0])
			c.keys = c.keys[1:]
		}
		c.m[key] = m
		c.keys = append(c.keys, key)
	}
	return m
}

func runModel(si sizing.SimpleInput) modelResult {
	res, err := sizing.RunSimple(si)
	if err != nil {
		return modelResult{problem: err.Error()}
	}
	if len(res.Summaries) == 0 {
		return modelResult{problem: "the model produced no estimate for these answers"}
	}
	s := res.Summaries[len(res.Summaries)-1]
	m := &Model{Date: s.Date, Users: int(s.Users), VMs: s.Totals.VMs, Cores: int(s.Totals.Cores), RAMGB: int(s.Totals.RAMGB), Unit: s.StorageUnit}
	for g, size := range s.StorageByGroup {
		m.Storage = append(m.Storage, Storage{Group: g, Size: size})
	}
	sort.Slice(m.Storage, func(i, j int) bool { return m.Storage[i].Size > m.Storage[j].Size })
	for _, s := range res.Summaries {
		p := Point{Date: s.Date, Users: int(s.Users), VMs: s.Totals.VMs, Cores: int(s.Totals.Cores), RAMGB: int(s.Totals.RAMGB)}
		for _, size := range s.StorageByGroup {
			p.Storage += size
		}
		p.Storage = math.Round(p.Storage*1e6) / 1e6 // the groups are rounded; their sum need not show binary noise
		m.Series = append(m.Series, p)
	}
	return modelResult{model: m}
}

// nextYear returns the month a year after YYYY-MM.
func nextYear(ym string) string {
	y, err := strconv.Atoi(ym[:4])
	if err != nil {
		return ym
	}
	return fmt.Sprintf("%04d%s", y+1, ym[4:])
}

// checkCommCareServers compares the server table with the tier's minimums.
func checkCommCareServers(rows []map[string]string, tier *sizing.TierResult) *ServerCheck {
	if len(rows) == 0 {
		return nil
	}
	sc := &ServerCheck{Entered: len(rows)}
	if tier == nil {
		return sc
	}
	sc.Wanted = tier.Servers
	if len(rows) < tier.Servers {
		more := ""
		if tier.Tier == "large" {
			more = " or more"
		}
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%d server%s entered; a %s has %d%s.", len(rows), plural(len(rows)), strings.ToLower(tier.Name), tier.Servers, more))
	}
	ps := tier.PerServer
	for i, r := range rows {
		name := serverName(r, i)
		if n, ok := num(r["ram_gb"]); ok && ps.RAMGB > 0 && n < float64(ps.RAMGB) {
			sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s has %s GB of RAM; at least %d GB is recommended per server.", name, r["ram_gb"], ps.RAMGB))
		}
		if n, ok := num(r["cpus"]); ok && ps.VCPUs > 0 && n < float64(ps.VCPUs) {
			sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s has %s CPUs; about %d are recommended per server.", name, r["cpus"], ps.VCPUs))
		}
		if n, ok := num(r["disk_gb"]); ok && ps.DiskTB > 0 && n < ps.DiskTB*1000 {
			sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s has %s GB of disk; at least %s GB is recommended per server.", name, assessment.GroupThousands(r["disk_gb"]), assessment.GroupThousands(trim(ps.DiskTB*1000))))
		}
		if ps.SSD && r["disk_type"] == "hdd" {
			sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s has an HDD; CommCare needs SSDs.", name))
		}
	}
	return sc
}

func (a *Advice) opencrvs(in inputs) {
	pop, okPop := in.number(assessment.SizingPopulation)
	if !okPop {
		a.Missing = append(a.Missing, in.label(assessment.SizingPopulation))
	}
	// The assessment's own stage sizes the cluster (a pilot runs one
	// production server); national scale until it is answered.
	oi := sizing.OpenCRVSInput{Population: pop, Scale: sizing.ScaleNational, Years: DefaultYearsOfRecords}
	if v, _, ok := in.value(assessment.SizingProjectStage); ok {
		switch v.Text {
		case sizing.ScalePilot, sizing.ScaleProofOfConcept, sizing.ScaleNational:
			oi.Scale, a.StageAnswered = v.Text, true
		}
	}
	if y, ok := in.number(assessment.SizingYearsOfRecords); ok && y >= 1 {
		oi.Years, a.YearsAnswered = int(y), true
	}
	complete := okPop
	for _, f := range []struct {
		tag assessment.SizingInput
		dst *float64
	}{{assessment.SizingBirthRate, &oi.BirthRate}, {assessment.SizingDeathRate, &oi.DeathRate}, {assessment.SizingAttachmentsPerRecord, &oi.Attachments}} {
		if !in.has(f.tag) {
			continue
		}
		v, ok := in.number(f.tag)
		if !ok {
			a.Missing = append(a.Missing, in.label(f.tag))
			complete = false
		}
		*f.dst = v
	}
	if !in.has(assessment.SizingBirthRate) {
		// The older template asks for the population only.
		complete = false
	}
	if complete {
		if e, err := sizing.EstimateOpenCRVS(oi); err == nil {
			a.OpenCRVS = e
			a.Calculator = map[string][]string{"calc": {"opencrvs"}, "scale": {oi.Scale}, "population": {formNumber(oi.Population)},
				"birth_rate": {formNumber(oi.BirthRate)}, "death_rate": {formNumber(oi.DeathRate)},
				"attachments": {formNumber(oi.Attachments)}, "years": {strconv.Itoa(oi.Years)}}
		}
	}
	a.Servers = checkOpenCRVSServers(in.table(assessment.SizingServers), a.OpenCRVS)
}

// checkOpenCRVSServers compares the server table with the estimate: the
// production count, each environment's minimum specification, and servers
// of an environment the estimate has none of (a proof-of-concept's
// production, staging or backup server: it runs on one qa server and holds
// no citizen data).
func checkOpenCRVSServers(rows []map[string]string, e *sizing.OpenCRVSEstimate) *ServerCheck {
	if len(rows) == 0 {
		return nil
	}
	sc := &ServerCheck{Entered: len(rows)}
	if e == nil {
		return sc
	}
	want := map[string]sizing.Environment{}
	for _, env := range e.Environments {
		want[env.Name] = env
		sc.Wanted += env.Count
	}
	count := map[string]int{}
	var beyond []string // roles entered that the estimate has none of, in order
	for i, r := range rows {
		role := r["role"]
		count[role]++
		env, ok := want[role]
		if !ok {
			if role != "" && count[role] == 1 {
				beyond = append(beyond, role)
			}
			continue
		}
		name := serverName(r, i)
		if n, ok := num(r["ram_gb"]); ok && n < float64(env.RAMGB) {
			sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s has %s GB of RAM; %s servers need %d GB.", name, r["ram_gb"], role, env.RAMGB))
		}
		if n, ok := num(r["cpus"]); ok && n < float64(env.CPUs) {
			sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s has %s CPUs; %s servers need %d.", name, r["cpus"], role, env.CPUs))
		}
		if n, ok := num(r["disk_gb"]); ok && n < env.DiskGB {
			sc.Warnings = append(sc.Warnings, fmt.Sprintf("%s has %s GB of disk; %s servers need %s GB.", name, assessment.GroupThousands(r["disk_gb"]), role, assessment.GroupThousands(trim(math.Ceil(env.DiskGB)))))
		}
	}
	for _, env := range e.Environments {
		if count[env.Name] < env.Count {
			sc.Warnings = append(sc.Warnings, fmt.Sprintf("%d %s server%s entered; %d recommended.", count[env.Name], env.Name, plural(count[env.Name]), env.Count))
		}
	}
	for _, role := range beyond {
		what := "the recommendation has none"
		if !e.HasDataServers() {
			what = "a proof-of-concept runs on one qa server and holds no citizen data"
		}
		sc.Warnings = append(sc.Warnings, fmt.Sprintf("%d %s server%s entered; %s.", count[role], role, plural(count[role]), what))
	}
	return sc
}

func serverName(r map[string]string, i int) string {
	if role := strings.TrimSpace(r["role"]); role != "" {
		return fmt.Sprintf("Server %d (%s)", i+1, role)
	}
	return fmt.Sprintf("Server %d", i+1)
}

func num(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func trim(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// formNumber writes a number as the calculator's form reads it back, and
// shows it: grouped ("21,000,000").
func formNumber(f float64) string {
	return assessment.GroupThousands(trim(f))
}

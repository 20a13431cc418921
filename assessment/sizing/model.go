package sizing

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Result is the resource model's output: one summary per summary date (and
// per scenario when the config has sets).
type Result struct {
	Summaries []Summary `json:"summaries"`
	// SetsSummaryDate is the config's sets_summary_date, when given.
	SetsSummaryDate string `json:"sets_summary_date,omitempty"`

	src *runSource // nil for a Result built by hand
}

// Summary is the model at one month.
type Summary struct {
	// Set names the scenario for configs with sets ("low-fast").
	Set   string  `json:"set,omitempty"`
	Date  string  `json:"date"`
	Users float64 `json:"users"`
	// StorageUnit is the display unit of StorageByGroup and storage totals.
	StorageUnit string `json:"storage_unit"`
	// OSStoragePerVMGB is the config's vm_os_storage_gb.
	OSStoragePerVMGB float64 `json:"os_storage_per_vm_gb"`
	// StorageByGroup sums the rounded service totals by storage group; the
	// OS group also gets every VM's OS disk, rounded up to a whole unit.
	StorageByGroup map[string]float64 `json:"storage_by_group"`
	// VMsBySize counts VMs by "{cores}x{ram GB}".
	VMsBySize map[string]int `json:"vms_by_size"`
	// VMsByType adds up VMs, cores and RAM by aggregation key.
	VMsByType map[string]Totals `json:"vms_by_type"`
	Totals    Totals            `json:"totals"`
	// Services is the per-service table, sorted by name as the original.
	Services []ServiceSummary `json:"services"`
}

// Totals are VM, core and RAM sums.
type Totals struct {
	VMs   int     `json:"vms"`
	Cores float64 `json:"cores"`
	RAMGB float64 `json:"ram_gb"`
}

// ServiceSummary is one row of the per-service table.
type ServiceSummary struct {
	Name           string  `json:"name"`
	AggregationKey string  `json:"aggregation_key"`
	CoresPerVM     float64 `json:"cores_per_vm"`
	RAMPerVMGB     float64 `json:"ram_per_vm_gb"`
	// StoragePerVMGB is data storage per VM in GB, rounded like the
	// original; nil when the service has no compute VMs in any month.
	StoragePerVMGB *float64 `json:"storage_per_vm_gb"`
	// VMsTotal includes the estimation buffer, min_nodes and the HA copy.
	VMsTotal int `json:"vms_total"`
	// VMsHA is the HA copy (0 without include_ha_resources).
	VMsHA int `json:"vms_ha"`
	// VMBuffer is the VMs added by the estimation buffer (0 for services
	// with a static_number).
	VMBuffer int `json:"vm_buffer"`
	// Buffer is the estimation buffer of the month as a full fraction
	// (estimation_buffer compounded by estimation_growth_factor): the
	// original's "Buffer %" column.
	Buffer float64 `json:"buffer"`
	// BufferPct is Buffer in percent, rounded to two decimals, for display.
	BufferPct  float64 `json:"buffer_pct"`
	CoresTotal float64 `json:"cores_total"`
	RAMTotalGB float64 `json:"ram_total_gb"`
	// StorageTotal is data storage in the display unit, rounded up by
	// about 1%, HA copy included.
	StorageTotal float64 `json:"storage_total"`
	// StorageRaw is the original's "Data Storage RAW (includes HA)" in the
	// display unit, unrounded: the modelled data without the estimation
	// buffer, plus for HA services the placed total of the HA copy.
	StorageRaw       float64 `json:"storage_raw"`
	StorageGroup     string  `json:"storage_group"`
	OSStorageTotalGB float64 `json:"os_storage_total_gb"`
	// VMType is "{cores}x{ram}" per VM, empty without cores_per_node.
	VMType string `json:"vm_type"`
	// CoresHA, RAMHAGB, StorageHA (display unit, rounded like
	// StorageTotal) and OSStorageHAGB are the HA copy's share of the
	// totals; 0 without include_ha_resources.
	CoresHA       float64 `json:"cores_ha"`
	RAMHAGB       float64 `json:"ram_ha_gb"`
	StorageHA     float64 `json:"storage_ha"`
	OSStorageHAGB float64 `json:"os_storage_ha_gb"`
}

// Validate checks a config without computing it: globals, the usage plan
// (timeline, dependencies, cycles), services, sets and summary dates. Run
// calls it too. Neither changes c, so a parsed config may be shared.
func (c *Config) Validate() error {
	_, _, _, err := c.prepare()
	return err
}

// withDefaults returns a copy of c with the defaults a hand-built config may
// leave empty filled in.
func (c *Config) withDefaults() *Config {
	cc := *c
	if cc.StorageDisplayUnit == "" {
		cc.StorageDisplayUnit = "GB"
	}
	cc.StorageDisplayUnit = strings.ToUpper(cc.StorageDisplayUnit)
	cc.Services = append([]Service(nil), c.Services...)
	for i := range cc.Services {
		s := &cc.Services[i]
		if s.UsageField == "" {
			s.UsageField = "users"
		}
		if s.AggregationKey == "" {
			s.AggregationKey = s.Name
		}
	}
	return &cc
}

// prepare validates a defaulted copy of c and returns it with its plan and
// scenarios.
func (c *Config) prepare() (*Config, *plan, []scenario, error) {
	cc := c.withDefaults()
	p, scs, err := cc.check()
	return cc, p, scs, err
}

func (c *Config) check() (*plan, []scenario, error) {
	if _, ok := bytesPerUnit[c.StorageDisplayUnit]; !ok {
		return nil, nil, fieldErr("storage_display_unit", fmt.Sprintf("unknown storage unit %q (use GB or TB)", c.StorageDisplayUnit))
	}
	for _, f := range []namedValue{
		{"estimation_buffer", c.EstimationBuffer}, {"estimation_growth_factor", c.EstimationGrowthFactor},
		{"storage_buffer", c.StorageBuffer}, {"vm_os_storage_gb", c.VMOSStorageGB},
	} {
		if !finite(f.v) || f.v < 0 || f.v > maxMagnitude {
			return nil, nil, fieldErr(f.name, "must be a number, zero or more")
		}
	}
	if c.EstimationGrowthFactor > 1 {
		return nil, nil, fieldErr("estimation_growth_factor", "must be at most 1 (100% a month)")
	}
	if c.VMOSStorageGroup == "" {
		return nil, nil, fieldErr("vm_os_storage_group", "required")
	}
	p, err := buildPlan(c.Usage)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := p.producer["users"]; !ok {
		return nil, nil, fieldErr("usage.users", "required: the summaries report users")
	}
	if err := checkServices(c.Services, p); err != nil {
		return nil, nil, err
	}
	if len(c.SummaryDates) > MaxSummaryDates {
		return nil, nil, fieldErr("summary_dates", fmt.Sprintf("has more than %d dates", MaxSummaryDates))
	}
	for i, d := range c.SummaryDates {
		if _, ok := p.index[d]; !ok {
			return nil, nil, fieldErr(fmt.Sprintf("summary_dates[%d]", i),
				fmt.Sprintf("%s is outside the usage months (%s to %s)", d, p.months[0], p.months[len(p.months)-1]))
		}
	}
	if d := c.SetsSummaryDate; d != nil {
		if _, ok := p.index[*d]; !ok {
			return nil, nil, fieldErr("sets_summary_date", fmt.Sprintf("%s is outside the usage months", *d))
		}
	}
	scs, err := scenarios(c.Sets)
	if err != nil {
		return nil, nil, err
	}
	if err := c.checkWork(p, len(scs)); err != nil {
		return nil, nil, err
	}
	for _, sc := range scs {
		models, err := resolveUsage(c.Usage, sc.vars)
		if err != nil {
			return nil, nil, err
		}
		if err := checkUsageNumbers(models); err != nil {
			return nil, nil, err
		}
	}
	return p, scs, nil
}

// checkWork refuses configs whose arithmetic or output would be too large
// to compute on request, whatever each limit allows on its own.
func (c *Config) checkWork(p *plan, scenarios int) error {
	terms := 0
	for _, m := range c.Usage {
		terms += 1 + len(m.DependantFields)
	}
	for _, s := range c.Services {
		terms += 8 + len(s.Process.SubProcesses) + len(s.Process.RAMModel)
		if s.Storage != nil {
			terms += len(s.Storage.DataModels)
		}
	}
	if work := scenarios * len(p.months) * terms; work > maxWork {
		return fieldErr(docField, fmt.Sprintf("needs about %d calculations; the limit is %d: use fewer months, sets, fields or services", work, maxWork))
	}
	dates := max(len(c.SummaryDates), 1)
	if rows := scenarios * dates * len(c.Services); rows > maxOutputRows {
		return fieldErr(docField, fmt.Sprintf("would produce %d table rows (sets × summary dates × services); the limit is %d", rows, maxOutputRows))
	}
	return nil
}

// Run computes the model: for every scenario (one without sets) and every
// summary date, the per-service table and its sums.
func Run(cfg *Config) (*Result, error) { return RunWith(cfg, Options{}) }

// Options narrow a run the way the original's command line does.
type Options struct {
	// Set, when not empty, runs only the set combinations of that name
	// (the original's --set).
	Set string
	// SummaryDates, when not empty, replace the config's summary_dates.
	SummaryDates []Month
	// Service, when not empty, keeps only that service (the original's
	// --service).
	Service string
}

// RunWith is Run with options. An unknown set or a summary date outside
// the usage months is a *FieldError.
func RunWith(cfg *Config, o Options) (*Result, error) {
	c, p, scs, err := cfg.prepare()
	if err != nil {
		return nil, err
	}
	dates := append([]Month(nil), c.SummaryDates...)
	if len(o.SummaryDates) > 0 {
		dates = append([]Month(nil), o.SummaryDates...)
		if len(dates) > MaxSummaryDates {
			return nil, fieldErr("summary_dates", fmt.Sprintf("has more than %d dates", MaxSummaryDates))
		}
		for _, d := range dates {
			if _, ok := p.index[d]; !ok {
				return nil, fieldErr("summary_dates", fmt.Sprintf("%s is outside the usage months (%s to %s)", d, p.months[0], p.months[len(p.months)-1]))
			}
		}
	}
	if len(dates) == 0 {
		dates = []Month{p.months[len(p.months)-1]}
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i] < dates[j] })
	dates = dedupMonths(dates)
	if o.Set != "" {
		var keep []scenario
		var names []string
		for _, sc := range scs {
			if sc.name == o.Set {
				keep = append(keep, sc)
			}
			names = append(names, sc.name)
		}
		if len(keep) == 0 {
			return nil, fieldErr("set", fmt.Sprintf("no set combination is named %q (there are: %s)", o.Set, joinNames(names)))
		}
		scs = keep
	}

	res := &Result{Summaries: []Summary{}}
	if c.SetsSummaryDate != nil {
		res.SetsSummaryDate = c.SetsSummaryDate.String()
	}
	eb := estimationBuffers(c.EstimationBuffer, c.EstimationGrowthFactor, len(p.months))
	services := sortedServices(c.Services)
	if o.Service != "" {
		var names []string
		for _, sv := range services {
			names = append(names, sv.Name)
			if sv.Name == o.Service {
				services = []Service{sv}
				break
			}
		}
		if len(services) != 1 || services[0].Name != o.Service {
			return nil, fieldErr("service", fmt.Sprintf("no service is named %q (there are: %s)", o.Service, joinNames(names)))
		}
	}
	res.src = &runSource{cfg: c, plan: p, scenarios: scs, dates: dates, eb: eb, services: services}
	for _, sc := range scs {
		u, series, err := res.src.compute(sc)
		if err != nil {
			return nil, err
		}
		for _, d := range dates {
			res.Summaries = append(res.Summaries, summarize(c, services, series, u, eb, p.index[d], sc.name))
		}
	}
	return res, nil
}

// runSource is what a run was computed from, kept so the workbook can
// show the usage and every month of every service without the result
// carrying them.
type runSource struct {
	cfg       *Config
	plan      *plan
	scenarios []scenario
	dates     []Month
	eb        []float64
	services  []Service // sorted by name
	text      []byte    // the YAML, when run from it
}

// compute evaluates one scenario's usage and service series.
func (src *runSource) compute(sc scenario) (*usageData, []serviceSeries, error) {
	models, err := resolveUsage(src.cfg.Usage, sc.vars)
	if err != nil {
		return nil, nil, err
	}
	u, err := evalUsage(src.plan, models)
	if err != nil {
		return nil, nil, err
	}
	series := make([]serviceSeries, len(src.services))
	for i := range src.services {
		if series[i], err = computeService(src.cfg, &src.services[i], u); err != nil {
			return nil, nil, err
		}
		series[i].place, series[i].raiseToMin = storagePlacement(&src.services[i], series[i], src.eb)
	}
	return u, series, nil
}

// RunYAML parses a config and runs it.
func RunYAML(data []byte) (*Result, error) { return RunYAMLWith(data, Options{}) }

// RunYAMLWith parses a config and runs it with options; the workbook's
// Config sheet shows the YAML.
func RunYAMLWith(data []byte, o Options) (*Result, error) {
	c, err := ParseConfig(data)
	if err != nil {
		return nil, err
	}
	return runParsed(c, data, o)
}

// RunParsed runs a config that the caller parsed from data with
// ParseConfig (to check it first); the workbook's Config sheet shows data.
func RunParsed(c *Config, data []byte) (*Result, error) { return runParsed(c, data, Options{}) }

func runParsed(c *Config, data []byte, o Options) (*Result, error) {
	r, err := RunWith(c, o)
	if err != nil {
		return nil, err
	}
	r.src.text = data
	return r, nil
}

// namedValue pairs a field name with its value, for checks in a fixed order.
type namedValue struct {
	name string
	v    float64
}

func dedupMonths(ms []Month) []Month {
	out := ms[:0]
	for i, m := range ms {
		if i == 0 || m != ms[i-1] {
			out = append(out, m)
		}
	}
	return out
}

func sortedServices(in []Service) []Service {
	out := append([]Service(nil), in...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// placement is how a service's storage is spread over its VMs.
type placement int

const (
	scalesWithNodes placement = iota // every VM holds a full copy
	minNodesBind                     // min_nodes raised the count in some month
	storageOnly                      // no compute VMs in any month
	spread                           // data spread over the VMs
)

// summarize builds the summary of month t.
func summarize(c *Config, services []Service, series []serviceSeries, u *usageData, eb []float64, t int, set string) Summary {
	unit := bytesPerUnit[c.StorageDisplayUnit]
	sum := Summary{
		Set:              set,
		Date:             u.months[t].String(),
		Users:            nz(u.cols["users"][t]),
		StorageUnit:      c.StorageDisplayUnit,
		OSStoragePerVMGB: c.VMOSStorageGB,
		StorageByGroup:   map[string]float64{},
		VMsBySize:        map[string]int{},
		VMsByType:        map[string]Totals{},
		Services:         make([]ServiceSummary, 0, len(services)),
	}
	osBytes := 0.0
	for i := range services {
		s := &services[i]
		row, os := summarizeService(c, s, series[i], eb, t, unit)
		sum.Services = append(sum.Services, row)
		osBytes += os
		if s.Storage != nil && s.Storage.Group != "" {
			sum.StorageByGroup[s.Storage.Group] += row.StorageTotal
		}
		if row.VMsTotal > 0 {
			sum.VMsBySize[fmtNum(row.CoresPerVM)+"x"+fmtNum(row.RAMPerVMGB)] += row.VMsTotal
		}
		tt := sum.VMsByType[row.AggregationKey]
		tt.VMs += row.VMsTotal
		tt.Cores += row.CoresTotal
		tt.RAMGB += row.RAMTotalGB
		sum.VMsByType[row.AggregationKey] = tt
		sum.Totals.VMs += row.VMsTotal
		sum.Totals.Cores += row.CoresTotal
		sum.Totals.RAMGB += row.RAMTotalGB
	}
	sum.StorageByGroup[c.VMOSStorageGroup] += math.Ceil(osBytes / unit)
	for g, v := range sum.StorageByGroup {
		sum.StorageByGroup[g] = clean(v)
	}
	for k, v := range sum.VMsByType {
		if v.VMs == 0 {
			delete(sum.VMsByType, k)
		}
	}
	return sum
}

// summarizeService is one row of the table, and the service's OS bytes.
func summarizeService(c *Config, s *Service, ser serviceSeries, eb []float64, t int, unit float64) (ServiceSummary, float64) {
	vms := ser.vms[t]
	buffer := 0.0
	if s.StaticNumber == 0 {
		buffer = math.Ceil(vms * eb[t])
	}
	suggested := math.Ceil(vms + buffer)
	total := math.Max(suggested, float64(s.MinNodes))

	seb := eb[t]
	if s.Storage != nil && s.Storage.OverrideEstimationBuffer != nil {
		seb = *s.Storage.OverrideEstimationBuffer
	}
	S := ser.storage[t]
	B := S + S*seb

	var storTotal, perVM float64
	perVMApplies := true
	switch ser.place {
	case scalesWithNodes:
		perVM = B
		storTotal = perVM * total
	case minNodesBind:
		min := s.MinStoragePerNode
		if total > suggested {
			storTotal = B
			perVM = B / total
		} else {
			perVM = B / vms
			if min > 0 && perVM < min {
				perVM = min
			}
			storTotal = perVM * total
		}
		if min > 0 {
			// The original raises both halves of its per-VM sum to the
			// minimum, the empty half included, so a binding month and a
			// free one both get min_storage_per_node on top.
			if perVM < min {
				perVM = min
			}
			perVM += min
		}
	case storageOnly:
		storTotal = B
		perVMApplies = false
	case spread:
		storTotal = S
		if total > 0 {
			perVM = S / total
			if ser.raiseToMin && perVM < s.MinStoragePerNode {
				perVM = s.MinStoragePerNode
				storTotal = perVM * total
			}
		} else {
			perVMApplies = false
		}
	}
	ha := 1.0
	if s.IncludeHAResources {
		ha = 2
	}
	vmsTotal := total * ha
	row := ServiceSummary{
		Name:           s.Name,
		AggregationKey: s.AggregationKey,
		CoresPerVM:     s.Process.CoresPerNode,
		RAMPerVMGB:     s.Process.RAMPerNode,
		VMsTotal:       int(vmsTotal),
		VMBuffer:       int(buffer),
		Buffer:         eb[t],
		BufferPct:      math.Round(eb[t]*1e4) / 100,
		CoresTotal:     total * s.Process.CoresPerNode * ha,
		RAMTotalGB:     total * s.Process.RAMPerNode * ha,
		StorageTotal:   clean(tenthRound(math.Ceil(storTotal*ha) / unit)),
		StorageRaw:     S / unit,
	}
	if s.Process.CoresPerNode != 0 {
		row.VMType = fmtNum(s.Process.CoresPerNode) + "x" + fmtNum(s.Process.RAMPerNode)
	}
	if s.IncludeHAResources {
		// The HA copy is the placed total; the original's "RAW (includes
		// HA)" adds it to the raw data, estimation buffer and all.
		row.VMsHA = int(total)
		row.CoresHA = total * s.Process.CoresPerNode
		row.RAMHAGB = total * s.Process.RAMPerNode
		row.StorageHA = clean(tenthRound(math.Ceil(storTotal) / unit))
		row.StorageRaw = (S + storTotal) / unit
		row.OSStorageHAGB = math.Ceil(total * c.VMOSStorageGB)
	}
	if perVMApplies {
		v := clean(tenthRound(perVM / 1e9))
		row.StoragePerVMGB = &v
	}
	if s.Storage != nil {
		row.StorageGroup = s.Storage.Group
	}
	osBytes := vmsTotal * c.VMOSStorageGB * 1e9
	row.OSStorageTotalGB = math.Ceil(osBytes / 1e9)
	return row, osBytes
}

// storagePlacement picks the first matching storage case for a service. It
// looks at every month: min_nodes binding in any month, or compute VMs
// being zero in all of them, changes the case for the whole series.
//
// It also reports whether spread storage is raised to min_storage_per_node:
// the original does so in every month as soon as one month's storage per
// VM falls below the minimum.
func storagePlacement(s *Service, ser serviceSeries, eb []float64) (placement, bool) {
	if s.StorageScalesWithNodes {
		return scalesWithNodes, false
	}
	anyVMs, belowMin := false, false
	for t, vms := range ser.vms {
		if vms != 0 {
			anyVMs = true
		}
		buffer := 0.0
		if s.StaticNumber == 0 {
			buffer = math.Ceil(vms * eb[t])
		}
		suggested := math.Ceil(vms + buffer)
		if float64(s.MinNodes) > suggested {
			return minNodesBind, false
		}
		if suggested > 0 && ser.storage[t]/suggested < s.MinStoragePerNode {
			belowMin = true
		}
	}
	if !anyVMs {
		return storageOnly, false
	}
	return spread, belowMin
}

package sizing

import (
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"
)

// Config is a commcare_resource_model configuration: global buffers, usage
// models that describe the load month by month, and services that turn
// usage into VMs and storage. ParseConfig reads one from YAML; the simple
// form builds one in code.
type Config struct {
	// EstimationBuffer inflates VM counts and storage (0.25 = 25%); required.
	EstimationBuffer float64
	// EstimationGrowthFactor compounds the estimation buffer monthly.
	EstimationGrowthFactor float64
	// StorageBuffer is disk headroom on modelled data (0.33 keeps data at
	// about 75% of the disk); required.
	StorageBuffer float64
	// StorageDisplayUnit is KB, MB, GB (the default) or TB.
	StorageDisplayUnit string
	// SummaryDates are the months to summarise; empty means the last month.
	SummaryDates []Month
	// VMOSStorageGB is the OS disk of every VM; required.
	VMOSStorageGB float64
	// VMOSStorageGroup is the storage group OS disks are counted in; required.
	VMOSStorageGroup string
	// Usage holds the usage models in config order.
	Usage []UsageModel
	// Services holds the services in config order.
	Services []Service
	// Sets are scenario dimensions: every combination of one item per group
	// is run, with {var} in usage numbers replaced by the item's values.
	Sets []SetGroup
	// SetsSummaryDate is the month at which the original compares sets; it
	// must be one of the summary months when given.
	SetsSummaryDate *Month
}

// Usage model kinds.
const (
	ModelDateRangeValue     = "date_range_value"
	ModelDerivedFactor      = "derived_factor"
	ModelInvertFactor       = "invert_derived_factor"
	ModelDerivedSum         = "derived_sum"
	ModelProduct            = "product"
	ModelCumulative         = "cumulative"
	ModelLimitedLifespan    = "cumulative_limited_lifespan"
	ModelBaselineWithGrowth = "baseline_with_growth"
)

// Num is a number in a usage model, or a template such as "{users}" that a
// set fills in.
type Num struct {
	Value    float64
	Template string
}

// N returns a plain Num.
func N(v float64) Num { return Num{Value: v} }

// UsageModel is one named entry under `usage`. Which fields matter depends on
// Kind (one of the Model* constants).
type UsageModel struct {
	Name string
	Kind string
	// Ranges (date_range_value): a value for every month from Start to End.
	Ranges []Range
	// DependantFields: one field for derived_factor, cumulative, limited
	// lifespan and baseline_with_growth; several for derived_sum and product.
	DependantFields []string
	Factor          Num
	StartWith       Num
	Lifespan        Num
	Baseline        Num
	MonthlyGrowth   Num
}

// Range is one row of a date_range_value model.
type Range struct {
	Start, End Month
	Value      Num
}

// Service is one entry under `services`.
type Service struct {
	Name                   string
	StaticNumber           int
	UsageCapacityPerNode   float64
	UsageField             string
	MinNodes               int
	StorageScalesWithNodes bool
	// MaxStoragePerNode in bytes; 0 means no limit.
	MaxStoragePerNode float64
	// MinStoragePerNode in bytes raises each VM's storage to at least this
	// much, as the original's min_storage_per_node does; 0 means none.
	MinStoragePerNode  float64
	IncludeHAResources bool
	AggregationKey     string
	// Storage is nil for a service without storage.
	Storage *Storage
	Process Process
}

// Storage is a service's `storage` section.
type Storage struct {
	Group            string
	RedundancyFactor float64
	// StaticBaseline in bytes.
	StaticBaseline           float64
	DataModels               []DataModel
	OverrideStorageBuffer    *float64
	OverrideEstimationBuffer *float64
}

// DataModel is bytes per unit of a usage field.
type DataModel struct {
	Field     string
	UnitBytes float64
}

// Process is a service's `process` section.
type Process struct {
	CoresPerNode        float64
	RAMPerNode          float64
	RAMModel            []DataModel
	RAMRedundancyFactor float64
	// RAMStaticBaseline is GB per node not available to the RAM model.
	RAMStaticBaseline  float64
	CoresPerSubProcess float64
	RAMPerSubProcess   float64
	SubProcesses       []SubProcess
}

// SubProcess is one worker kind of a multi-process service: a fixed number,
// or one per Capacity units of usage.
type SubProcess struct {
	Name         string
	StaticNumber int
	Capacity     float64
}

// SetGroup is one dimension of `sets`.
type SetGroup struct {
	Name  string
	Items []SetItem
}

// SetItem is one scenario value of a set group. Name may be empty: a
// combination is named by its named items only, as in the original.
type SetItem struct {
	Name string
	Vars map[string]string
}

// ParseConfig reads a resource-model YAML config. It refuses documents over
// 1 MiB, alias bombs, more than 600 months or 200 services, and reports
// every problem as a *FieldError.
func ParseConfig(data []byte) (*Config, error) {
	root, err := parseYAML(data)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeConfig(root)
	if err != nil {
		return nil, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

func decodeConfig(root *yaml.Node) (*Config, error) {
	if deref(root) == nil || deref(root).Kind != yaml.MappingNode {
		return nil, fieldErr(docField, "must be a mapping of keys to values")
	}
	pairs, err := mappingPairs(root, "")
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	for _, p := range pairs {
		seen[p.key] = true
	}
	for _, k := range []string{"estimation_buffer", "storage_buffer", "vm_os_storage_gb", "vm_os_storage_group", "usage", "services"} {
		if !seen[k] {
			return nil, fieldErr(k, "required")
		}
	}
	cfg := &Config{StorageDisplayUnit: "GB"}
	for _, p := range pairs {
		var err error
		switch p.key {
		case "estimation_buffer":
			cfg.EstimationBuffer, err = nonNegative(p.value, p.key)
		case "estimation_growth_factor":
			cfg.EstimationGrowthFactor, err = nonNegative(p.value, p.key)
		case "storage_buffer":
			cfg.StorageBuffer, err = nonNegative(p.value, p.key)
		case "storage_display_unit":
			cfg.StorageDisplayUnit, err = str(p.value, p.key)
		case "summary_dates":
			cfg.SummaryDates, err = decodeSummaryDates(p.value, p.key)
		case "vm_os_storage_gb":
			cfg.VMOSStorageGB, err = nonNegative(p.value, p.key)
		case "vm_os_storage_group":
			cfg.VMOSStorageGroup, err = str(p.value, p.key)
		case "usage":
			cfg.Usage, err = decodeUsage(p.value, p.key)
		case "services":
			cfg.Services, err = decodeServices(p.value, p.key)
		case "sets":
			if !isNull(p.value) {
				cfg.Sets, err = decodeSets(p.value, p.key)
			}
		case "sets_summary_date":
			if !isNull(p.value) {
				var s string
				if s, err = str(p.value, p.key); err == nil {
					var m Month
					if m, err = ParseMonth(s); err != nil {
						err = fieldErr(p.key, err.Error())
					} else {
						cfg.SetsSummaryDate = &m
					}
				}
			}
		default:
			// The original accepts unknown top-level keys; so do we.
		}
		if err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

func decodeSummaryDates(n *yaml.Node, path string) ([]Month, error) {
	if isNull(n) {
		return nil, nil
	}
	items, err := sequence(n, path)
	if err != nil {
		return nil, err
	}
	if len(items) > MaxSummaryDates {
		return nil, fieldErr(path, fmt.Sprintf("has %d dates; the limit is %d", len(items), MaxSummaryDates))
	}
	var out []Month
	for i, it := range items {
		p := index(path, i)
		s, err := str(it, p)
		if err != nil {
			return nil, err
		}
		m, err := ParseMonth(s)
		if err != nil {
			return nil, fieldErr(p, err.Error())
		}
		out = append(out, m)
	}
	return out, nil
}

var usageKeys = map[string][]string{
	ModelDateRangeValue:     {"model", "ranges"},
	ModelDerivedFactor:      {"model", "dependant_field", "factor", "start_with"},
	ModelInvertFactor:       {"model", "dependant_field", "factor", "start_with"},
	ModelDerivedSum:         {"model", "dependant_fields", "start_with"},
	ModelProduct:            {"model", "dependant_fields", "start_with"},
	ModelCumulative:         {"model", "dependant_field", "start_with"},
	ModelLimitedLifespan:    {"model", "dependant_field", "lifespan", "start_with"},
	ModelBaselineWithGrowth: {"model", "dependant_field", "baseline", "monthly_growth", "start_with"},
}

// ModelKinds lists the usage model kinds the engine knows.
func ModelKinds() []string {
	var out []string
	for k := range usageKeys {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func decodeUsage(n *yaml.Node, path string) ([]UsageModel, error) {
	pairs, err := mappingPairs(n, path)
	if err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, fieldErr(path, "must define at least one usage model")
	}
	if len(pairs) > MaxUsageFields {
		return nil, fieldErr(path, fmt.Sprintf("has %d usage models; the limit is %d", len(pairs), MaxUsageFields))
	}
	out := make([]UsageModel, 0, len(pairs))
	for _, p := range pairs {
		m, err := decodeUsageModel(p.key, p.value, join(path, p.key))
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func decodeUsageModel(name string, n *yaml.Node, path string) (UsageModel, error) {
	m := UsageModel{Name: name}
	pairs, err := mappingPairs(n, path)
	if err != nil {
		return m, err
	}
	for _, p := range pairs {
		if p.key == "model" {
			if m.Kind, err = str(p.value, join(path, "model")); err != nil {
				return m, err
			}
		}
	}
	if m.Kind == "" {
		return m, fieldErr(join(path, "model"), "required (one of "+joinNames(ModelKinds())+")")
	}
	known, ok := usageKeys[m.Kind]
	if !ok {
		return m, fieldErr(join(path, "model"), fmt.Sprintf("unknown usage model %q (known: %s)", m.Kind, joinNames(ModelKinds())))
	}
	has := make(map[string]bool)
	for _, p := range pairs {
		if !contains(known, p.key) {
			return m, unknownKey(path, p.key, known)
		}
		has[p.key] = true
		fp := join(path, p.key)
		switch p.key {
		case "ranges":
			m.Ranges, err = decodeRanges(p.value, fp)
		case "dependant_field":
			var s string
			if s, err = str(p.value, fp); err == nil {
				m.DependantFields = []string{s}
			}
		case "dependant_fields":
			m.DependantFields, err = decodeNames(p.value, fp)
		case "factor":
			m.Factor, err = decodeNum(p.value, fp)
		case "start_with":
			if !isNull(p.value) {
				m.StartWith, err = decodeNum(p.value, fp)
			}
		case "lifespan":
			m.Lifespan, err = decodeNum(p.value, fp)
		case "baseline":
			m.Baseline, err = decodeNum(p.value, fp)
		case "monthly_growth":
			m.MonthlyGrowth, err = decodeNum(p.value, fp)
		}
		if err != nil {
			return m, err
		}
	}
	for _, k := range known {
		if k == "start_with" || has[k] {
			continue
		}
		return m, fieldErr(join(path, k), "required for model "+m.Kind)
	}
	return m, nil
}

// decodeNum reads a number, or keeps a "{var}" template for sets.
func decodeNum(n *yaml.Node, path string) (Num, error) {
	s, err := scalar(n, path)
	if err != nil {
		return Num{}, err
	}
	if hasTemplate(s) {
		return Num{Template: s}, nil
	}
	v, err := nonNegative(n, path)
	return Num{Value: v}, err
}

func decodeNames(n *yaml.Node, path string) ([]string, error) {
	items, err := sequence(n, path)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fieldErr(path, "must name at least one field")
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, err := str(it, index(path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func decodeRanges(n *yaml.Node, path string) ([]Range, error) {
	items, err := sequence(n, path)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fieldErr(path, "must have at least one range")
	}
	out := make([]Range, 0, len(items))
	for i, it := range items {
		p := index(path, i)
		row, err := sequence(it, p)
		if err != nil {
			return nil, fieldErr(p, "must be [YYYYMMDD, value] or [start YYYYMMDD, end YYYYMMDD, value]")
		}
		if len(row) != 2 && len(row) != 3 {
			return nil, fieldErr(p, fmt.Sprintf("has %d items; want [date, value] or [start, end, value]", len(row)))
		}
		var r Range
		dates := make([]Month, len(row)-1)
		for j := range dates {
			s, err := str(row[j], index(p, j))
			if err != nil {
				return nil, err
			}
			if dates[j], err = ParseMonth(s); err != nil {
				return nil, fieldErr(index(p, j), err.Error())
			}
		}
		r.Start, r.End = dates[0], dates[len(dates)-1]
		if r.End < r.Start {
			return nil, fieldErr(p, fmt.Sprintf("date range is backwards: %s is before %s", r.End, r.Start))
		}
		if int(r.End-r.Start)+1 > MaxMonths {
			return nil, fieldErr(p, fmt.Sprintf("spans %d months; the limit is %d", int(r.End-r.Start)+1, MaxMonths))
		}
		if r.Value, err = decodeNum(row[len(row)-1], index(p, len(row)-1)); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

var serviceKeys = []string{"static_number", "usage_capacity_per_node", "usage_field", "min_nodes",
	"storage_scales_with_nodes", "max_storage_per_node", "min_storage_per_node", "include_ha_resources", "aggregation_key",
	"storage", "process"}

var storageKeys = []string{"group", "redundancy_factor", "static_baseline", "data_models",
	"override_storage_buffer", "override_estimation_buffer"}

var processKeys = []string{"cores_per_node", "ram_per_node", "ram_model", "ram_redundancy_factor",
	"ram_static_baseline", "cores_per_sub_process", "ram_per_sub_process", "sub_processes"}

func decodeServices(n *yaml.Node, path string) ([]Service, error) {
	pairs, err := mappingPairs(n, path)
	if err != nil {
		return nil, err
	}
	if len(pairs) == 0 {
		return nil, fieldErr(path, "must define at least one service")
	}
	if len(pairs) > MaxServices {
		return nil, fieldErr(path, fmt.Sprintf("has %d services; the limit is %d", len(pairs), MaxServices))
	}
	out := make([]Service, 0, len(pairs))
	for _, p := range pairs {
		s, err := decodeService(p.key, p.value, join(path, p.key))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func decodeService(name string, n *yaml.Node, path string) (Service, error) {
	s := Service{Name: name, UsageField: "users", AggregationKey: name}
	pairs, err := mappingPairs(n, path)
	if err != nil {
		return s, err
	}
	for _, p := range pairs {
		fp := join(path, p.key)
		switch p.key {
		case "static_number":
			s.StaticNumber, err = count(p.value, fp)
		case "usage_capacity_per_node":
			// 0 means unset, as in the original (it tests the value's truth).
			if !isNull(p.value) {
				s.UsageCapacityPerNode, err = nonNegative(p.value, fp)
			}
		case "usage_field":
			s.UsageField, err = str(p.value, fp)
		case "min_nodes":
			s.MinNodes, err = count(p.value, fp)
		case "storage_scales_with_nodes":
			s.StorageScalesWithNodes, err = boolean(p.value, fp)
		case "max_storage_per_node":
			if !isNull(p.value) {
				s.MaxStoragePerNode, err = size(p.value, fp)
			}
		case "min_storage_per_node":
			if !isNull(p.value) {
				s.MinStoragePerNode, err = size(p.value, fp)
			}
		case "include_ha_resources":
			s.IncludeHAResources, err = boolean(p.value, fp)
		case "aggregation_key":
			s.AggregationKey, err = str(p.value, fp)
		case "storage":
			if !isNull(p.value) {
				s.Storage, err = decodeStorage(p.value, fp)
			}
		case "process":
			if !isNull(p.value) {
				s.Process, err = decodeProcess(p.value, fp)
			}
		default:
			return s, unknownKey(path, p.key, serviceKeys)
		}
		if err != nil {
			return s, err
		}
	}
	return s, nil
}

func decodeStorage(n *yaml.Node, path string) (*Storage, error) {
	st := &Storage{RedundancyFactor: 1}
	pairs, err := mappingPairs(n, path)
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		fp := join(path, p.key)
		switch p.key {
		case "group":
			st.Group, err = str(p.value, fp)
		case "redundancy_factor":
			st.RedundancyFactor, err = nonNegative(p.value, fp)
		case "static_baseline":
			st.StaticBaseline, err = size(p.value, fp)
		case "data_models":
			if !isNull(p.value) {
				st.DataModels, err = decodeDataModels(p.value, fp)
			}
		case "override_storage_buffer":
			if !isNull(p.value) {
				var v float64
				v, err = nonNegative(p.value, fp)
				st.OverrideStorageBuffer = &v
			}
		case "override_estimation_buffer":
			if !isNull(p.value) {
				var v float64
				v, err = nonNegative(p.value, fp)
				st.OverrideEstimationBuffer = &v
			}
		default:
			return nil, unknownKey(path, p.key, storageKeys)
		}
		if err != nil {
			return nil, err
		}
	}
	return st, nil
}

func decodeDataModels(n *yaml.Node, path string) ([]DataModel, error) {
	items, err := sequence(n, path)
	if err != nil {
		return nil, err
	}
	out := make([]DataModel, 0, len(items))
	for i, it := range items {
		p := index(path, i)
		pairs, err := mappingPairs(it, p)
		if err != nil {
			return nil, err
		}
		var dm DataModel
		has := map[string]bool{}
		for _, kv := range pairs {
			fp := join(p, kv.key)
			switch kv.key {
			case "referenced_field":
				dm.Field, err = str(kv.value, fp)
			case "unit_size":
				dm.UnitBytes, err = size(kv.value, fp)
			default:
				return nil, unknownKey(p, kv.key, []string{"referenced_field", "unit_size"})
			}
			if err != nil {
				return nil, err
			}
			has[kv.key] = true
		}
		for _, k := range []string{"referenced_field", "unit_size"} {
			if !has[k] {
				return nil, fieldErr(join(p, k), "required")
			}
		}
		out = append(out, dm)
	}
	return out, nil
}

func decodeProcess(n *yaml.Node, path string) (Process, error) {
	pr := Process{RAMRedundancyFactor: 1}
	pairs, err := mappingPairs(n, path)
	if err != nil {
		return pr, err
	}
	for _, p := range pairs {
		fp := join(path, p.key)
		switch p.key {
		case "cores_per_node":
			pr.CoresPerNode, err = nonNegative(p.value, fp)
		case "ram_per_node":
			pr.RAMPerNode, err = nonNegative(p.value, fp)
		case "ram_model":
			if !isNull(p.value) {
				pr.RAMModel, err = decodeDataModels(p.value, fp)
			}
		case "ram_redundancy_factor":
			pr.RAMRedundancyFactor, err = nonNegative(p.value, fp)
		case "ram_static_baseline":
			pr.RAMStaticBaseline, err = nonNegative(p.value, fp)
		case "cores_per_sub_process":
			pr.CoresPerSubProcess, err = nonNegative(p.value, fp)
		case "ram_per_sub_process":
			pr.RAMPerSubProcess, err = nonNegative(p.value, fp)
		case "sub_processes":
			if !isNull(p.value) {
				pr.SubProcesses, err = decodeSubProcesses(p.value, fp)
			}
		default:
			return pr, unknownKey(path, p.key, processKeys)
		}
		if err != nil {
			return pr, err
		}
	}
	return pr, nil
}

func decodeSubProcesses(n *yaml.Node, path string) ([]SubProcess, error) {
	items, err := sequence(n, path)
	if err != nil {
		return nil, err
	}
	out := make([]SubProcess, 0, len(items))
	for i, it := range items {
		p := index(path, i)
		pairs, err := mappingPairs(it, p)
		if err != nil {
			return nil, err
		}
		var sp SubProcess
		for _, kv := range pairs {
			fp := join(p, kv.key)
			switch kv.key {
			case "name":
				sp.Name, err = str(kv.value, fp)
			case "static_number":
				sp.StaticNumber, err = count(kv.value, fp)
			case "capacity":
				if !isNull(kv.value) {
					sp.Capacity, err = positive(kv.value, fp)
				}
			default:
				// The original's sub-process schema accepts any other key
				// (a usage_field, say) and ignores it; so do we.
			}
			if err != nil {
				return nil, err
			}
		}
		out = append(out, sp)
	}
	return out, nil
}

func decodeSets(n *yaml.Node, path string) ([]SetGroup, error) {
	pairs, err := mappingPairs(n, path)
	if err != nil {
		return nil, err
	}
	var out []SetGroup
	for _, p := range pairs {
		gp := join(path, p.key)
		items, err := sequence(p.value, gp)
		if err != nil {
			return nil, err
		}
		if len(items) == 0 {
			return nil, fieldErr(gp, "must list at least one item")
		}
		g := SetGroup{Name: p.key}
		for i, it := range items {
			ip := index(gp, i)
			kvs, err := mappingPairs(it, ip)
			if err != nil {
				return nil, err
			}
			item := SetItem{Vars: map[string]string{}}
			for _, kv := range kvs {
				v, err := scalar(kv.value, join(ip, kv.key))
				if err != nil {
					return nil, err
				}
				if kv.key == "name" {
					item.Name = v
					continue
				}
				item.Vars[kv.key] = v
			}
			g.Items = append(g.Items, item)
		}
		out = append(out, g)
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

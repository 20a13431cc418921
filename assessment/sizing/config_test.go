package sizing

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestParseConfigErrors(t *testing.T) {
	svc := ""
	tests := []struct {
		name    string
		doc     string
		field   string
		problem string
	}{
		{"negative factor",
			configWith(fixtureUsage+"\n  f: {model: derived_factor, dependant_field: users, factor: -2}", svc),
			"usage.f.factor", "must not be negative"},
		{"non-numeric factor",
			configWith(fixtureUsage+"\n  f: {model: derived_factor, dependant_field: users, factor: lots}", svc),
			"usage.f.factor", `"lots" is not a number`},
		{"boolean where a number goes",
			configWith(fixtureUsage+"\n  f: {model: derived_factor, dependant_field: users, factor: true}", svc),
			"usage.f.factor", "is not a number"},
		{"infinite number",
			configWith(fixtureUsage+"\n  f: {model: derived_factor, dependant_field: users, factor: .inf}", svc),
			"usage.f.factor", "finite"},
		{"unknown usage model",
			configWith(fixtureUsage+"\n  f: {model: exponential, dependant_field: users}", svc),
			"usage.f.model", `unknown usage model "exponential"`},
		{"missing model",
			configWith(fixtureUsage+"\n  f: {dependant_field: users}", svc),
			"usage.f.model", "required"},
		{"missing dependant field",
			configWith(fixtureUsage+"\n  f: {model: cumulative, dependant_field: forms}", svc),
			"usage.f.dependant_field", `unknown usage field "forms"`},
		{"missing one of several dependant fields",
			configWith(fixtureUsage+"\n  f: {model: derived_sum, dependant_fields: [users, ghosts]}", svc),
			"usage.f.dependant_fields[1]", `unknown usage field "ghosts"`},
		{"required parameter absent",
			configWith(fixtureUsage+"\n  f: {model: derived_factor, dependant_field: users}", svc),
			"usage.f.factor", "required"},
		{"unknown parameter",
			configWith(fixtureUsage+"\n  f: {model: cumulative, dependant_field: users, lifespan: 2}", svc),
			"usage.f.lifespan", "unknown key"},
		{"cycle",
			configWith(fixtureUsage+"\n  a: {model: derived_factor, dependant_field: b, factor: 1}\n  b: {model: cumulative, dependant_field: a}", svc),
			"usage.a.dependant_field", "dependency cycle: a -> b -> a"},
		{"self reference",
			configWith(fixtureUsage+"\n  a: {model: cumulative, dependant_field: a}", svc),
			"usage.a.dependant_field", "dependency cycle: a -> a"},
		{"date range backwards",
			configWith("\n  users: {model: date_range_value, ranges: [['20210601', '20210101', 5]]}", svc),
			"usage.users.ranges[0]", "backwards"},
		{"bad date",
			configWith("\n  users: {model: date_range_value, ranges: [['2021-13-01', 5]]}", svc),
			"usage.users.ranges[0][0]", "no month 13"},
		{"date not on the first of a month",
			configWith("\n  users: {model: date_range_value, ranges: [['20210115', 5]]}", svc),
			"usage.users.ranges[0][0]", "first day"},
		{"malformed range",
			configWith("\n  users: {model: date_range_value, ranges: [['20210101']]}", svc),
			"usage.users.ranges[0]", "want [date, value]"},
		{"overlapping ranges",
			configWith("\n  users: {model: date_range_value, ranges: [['20210101', '20210301', 5], ['20210301', 6]]}", svc),
			"usage.users.ranges[1]", "overlaps"},
		{"range longer than 600 months",
			configWith("\n  users: {model: date_range_value, ranges: [['19500101', '20210101', 5]]}", svc),
			"usage.users.ranges[0]", "the limit is 600"},
		{"ranges together longer than 600 months",
			configWith("\n  users: {model: date_range_value, ranges: [['19000101', '19400101', 5], ['19410101', '19900101', 6]]}", svc),
			"usage", "more than 600 months"},
		{"unknown storage unit",
			configWith(fixtureUsage, "\n  s:\n    static_number: 1\n    storage: {group: SSD, static_baseline: 20XB}"),
			"services.s.storage.static_baseline", `unknown storage unit "XB"`},
		{"fractional size",
			configWith(fixtureUsage, "\n  s:\n    static_number: 1\n    storage: {group: SSD, static_baseline: 1.5TB}"),
			"services.s.storage.static_baseline", "unknown storage unit"},
		{"negative size",
			configWith(fixtureUsage, "\n  s:\n    static_number: 1\n    storage: {group: SSD, static_baseline: -5}"),
			"services.s.storage.static_baseline", "must not be negative"},
		{"unknown display unit",
			configWith(fixtureUsage, "") + "storage_display_unit: PB\n",
			"storage_display_unit", `unknown storage unit "PB"`},
		{"negative static number",
			configWith(fixtureUsage, "\n  s: {static_number: -1}"),
			"services.s.static_number", "must not be negative"},
		{"fractional static number",
			configWith(fixtureUsage, "\n  s: {static_number: 1.5}"),
			"services.s.static_number", "whole number"},
		{"unknown service key",
			configWith(fixtureUsage, "\n  s: {static_nodes: 2}"),
			"services.s.static_nodes", "unknown key"},
		{"unknown usage field of a service",
			configWith(fixtureUsage, "\n  s: {usage_capacity_per_node: 10, usage_field: visits}"),
			"services.s.usage_field", `unknown usage field "visits"`},
		{"unknown data model field",
			configWith(fixtureUsage, "\n  s:\n    static_number: 1\n    storage:\n      group: SSD\n      data_models: [{referenced_field: forms, unit_size: 10}]"),
			"services.s.storage.data_models[0].referenced_field", `unknown usage field "forms"`},
		{"sub-processes without per-process sizes",
			configWith(fixtureUsage, "\n  s:\n    process:\n      cores_per_node: 2\n      ram_per_node: 4\n      sub_processes: [{name: w, capacity: 5}]"),
			"services.s.process.cores_per_sub_process", "more than zero"},
		{"RAM baseline eats the node",
			configWith(fixtureUsage, "\n  s:\n    static_number: 1\n    process:\n      cores_per_node: 2\n      ram_per_node: 4\n      ram_static_baseline: 4\n      ram_model: [{referenced_field: users, unit_size: 1KB}]"),
			"services.s.process.ram_static_baseline", "less than ram_per_node"},
		{"summary date outside the data",
			configWith(fixtureUsage, "") + "summary_dates: ['2019-01']\n",
			"summary_dates[0]", "outside the usage months (2017-01 to 2017-04)"},
		{"summary date malformed",
			configWith(fixtureUsage, "") + "summary_dates: ['January']\n",
			"summary_dates[0]", "YYYY-MM"},
		{"lifespan of zero",
			configWith(fixtureUsage+"\n  l: {model: cumulative_limited_lifespan, dependant_field: users, lifespan: 0}", svc),
			"usage.l.lifespan", "at least 1"},
		{"no users field",
			configWith("\n  visits: {model: date_range_value, ranges: [['20210101', 5]]}", svc),
			"usage.users", "required"},
		{"no date range at all",
			configWith("\n  users: {model: derived_factor, dependant_field: users, factor: 1}", svc),
			"usage", "date_range_value"},
		{"required global missing",
			"storage_buffer: 0.3\nvm_os_storage_gb: 50\nvm_os_storage_group: OS\nusage: {}\nservices: {}\n",
			"estimation_buffer", "required"},
		{"negative global",
			strings.Replace(configWith(fixtureUsage, ""), "storage_buffer: 0.33", "storage_buffer: -0.33", 1),
			"storage_buffer", "must not be negative"},
		{"duplicate key",
			configWith(fixtureUsage, "") + "estimation_buffer: 0.5\n",
			"estimation_buffer", "twice"},
		{"template without sets",
			configWith(fixtureUsage+"\n  f: {model: derived_factor, dependant_field: users, factor: '{x}'}", svc),
			"usage.f.factor", "no set defines"},
		{"not YAML", "usage: [\n", "config", "is not valid YAML near line 1: did not find expected node content"},
		{"not a mapping", "- 1\n- 2\n", "config", "mapping"},
		{"empty", "", "config", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte(tt.doc))
			wantFieldError(t, err, tt.field, tt.problem)
		})
	}
}

func TestParseConfigLimits(t *testing.T) {
	t.Run("body over 1 MiB", func(t *testing.T) {
		doc := configWith(fixtureUsage, "") + "# " + strings.Repeat("x", MaxConfigBytes) + "\n"
		_, err := ParseConfig([]byte(doc))
		wantFieldError(t, err, "config", "1 MiB")
	})
	t.Run("more than 200 services", func(t *testing.T) {
		var b strings.Builder
		for i := range MaxServices + 1 {
			fmt.Fprintf(&b, "\n  s%d: {static_number: 1}", i)
		}
		_, err := ParseConfig([]byte(configWith(fixtureUsage, b.String())))
		wantFieldError(t, err, "services", "the limit is 200")
	})
	t.Run("exactly 200 services", func(t *testing.T) {
		var b strings.Builder
		for i := range MaxServices {
			fmt.Fprintf(&b, "\n  s%d: {static_number: 1, process: {cores_per_node: 1, ram_per_node: 1}}", i)
		}
		r, err := RunYAML([]byte(configWith(fixtureUsage, b.String())))
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Summaries[0].Totals.VMs; got != MaxServices {
			t.Errorf("VMs = %d, want %d", got, MaxServices)
		}
	})
	t.Run("too many set combinations", func(t *testing.T) {
		doc := configWith(fixtureUsage, "") + "sets:\n  a: [" + setItems("a", 8) + "]\n  b: [" + setItems("b", 8) + "]\n"
		_, err := ParseConfig([]byte(doc))
		wantFieldError(t, err, "sets", "more than 50 combinations")
	})
	t.Run("values that overflow", func(t *testing.T) {
		usage := fixtureUsage
		for i := range 30 {
			dep := "users"
			if i > 0 {
				dep = fmt.Sprintf("p%d", i-1)
			}
			usage += fmt.Sprintf("\n  p%d: {model: product, dependant_fields: [%s, %s]}", i, dep, dep)
		}
		_, err := RunYAML([]byte(configWith(usage, "")))
		// users 200 → p0 4e4 → p1 1.6e9 → p2 2.56e18, past the 1e18 bound.
		wantFieldError(t, err, "usage.p2", "grows beyond")
	})
}

func TestWorstCaseIsBounded(t *testing.T) {
	// 600 months, 200 services of 100 data models each, in two scenarios,
	// under 1 MiB: the work limit must refuse it before any arithmetic.
	var usage, services strings.Builder
	usage.WriteString("\n  users: {model: date_range_value, ranges: [['19700101', '20191201', 5]]}")
	var dms []string
	for range 100 {
		dms = append(dms, "{referenced_field: users, unit_size: 1}")
	}
	list := strings.Join(dms, ", ")
	for i := range MaxServices {
		fmt.Fprintf(&services, "\n  s%d: {static_number: 1, storage: {group: G, data_models: [%s]}}", i, list)
	}
	doc := configWith(usage.String(), services.String()) + "\nsets:\n  a: [{name: x}, {name: y}]\n"
	if len(doc) > MaxConfigBytes {
		t.Fatalf("test document is %d bytes, over the limit", len(doc))
	}
	start := time.Now()
	_, err := RunYAML([]byte(doc))
	wantFieldError(t, err, "config", "calculations")
	// Parsing the 800 KB document dominates; the bound is loose enough for
	// the race detector on a busy machine.
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("refusing took %v", d)
	}

	// One scenario is inside the limit and still runs quickly.
	if testing.Short() {
		return
	}
	start = time.Now()
	if _, err := RunYAML([]byte(configWith(usage.String(), services.String()))); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("a config near the work limit took %v", d)
	}
}

func setItems(prefix string, n int) string {
	var items []string
	for i := range n {
		items = append(items, fmt.Sprintf("{name: %s%d, v: %d}", prefix, i, i))
	}
	return strings.Join(items, ", ")
}

// billionLaughs is the classic alias bomb: ten levels of ten aliases each,
// 10^10 nodes once expanded, in a few hundred bytes.
func billionLaughs(where string) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString(where)
	return b.String()
}

func TestBillionLaughs(t *testing.T) {
	docs := map[string]string{
		"in an ignored key": billionLaughs("") + configWith(fixtureUsage, ""),
		"in a list the model reads": strings.Replace(configWith(fixtureUsage, ""), "summary_dates", "x", 1) +
			billionLaughs("summary_dates: *a9\n"),
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := ParseConfig([]byte(doc))
			if elapsed := time.Since(start); elapsed > 500*time.Millisecond {
				t.Errorf("took %v, want well under a second", elapsed)
			}
			wantFieldError(t, err, "config", "alias expansion")
		})
	}
}

func TestSmallAliasesAreFine(t *testing.T) {
	doc := `
estimation_buffer: 0.25
storage_buffer: 0.33
vm_os_storage_gb: 50
vm_os_storage_group: OS
x-proc: &proc {cores_per_node: 2, ram_per_node: 4}
usage:
  users: {model: date_range_value, ranges: [['20200101', 10]]}
services:
  a: {static_number: 1, process: *proc}
  b:
    static_number: 2
    process:
      <<: *proc
      ram_per_node: 8
`
	r, err := RunYAML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	s := r.Summaries[0]
	if s.Totals.Cores != 6 || s.Totals.RAMGB != 20 {
		t.Errorf("cores, RAM = %v, %v; want 6, 20 (alias and merge key applied, merge overridden)", s.Totals.Cores, s.Totals.RAMGB)
	}
}

func TestConfigsLoadUnchanged(t *testing.T) {
	for _, name := range []string{"echis.yml", "reach_40k.yml", "bka-test.yml"} {
		cfg, err := ParseConfig(readTestdata(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if cfg.StorageDisplayUnit != "TB" || cfg.VMOSStorageGB != 50 || cfg.VMOSStorageGroup != "VM_os" {
			t.Errorf("%s: globals = %q, %v, %q", name, cfg.StorageDisplayUnit, cfg.VMOSStorageGB, cfg.VMOSStorageGroup)
		}
	}
	cfg, err := ParseConfig(readTestdata(t, "echis.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var minio Service
	for _, s := range cfg.Services {
		if s.Name == "minio" {
			minio = s
		}
	}
	if minio.MaxStoragePerNode != 1e12 || minio.Storage.StaticBaseline != 250e9 || minio.Process.RAMRedundancyFactor != 3 {
		t.Errorf("minio = max %v, baseline %v, RAM redundancy %v; want 1e12, 2.5e11, 3",
			minio.MaxStoragePerNode, minio.Storage.StaticBaseline, minio.Process.RAMRedundancyFactor)
	}
}

func TestHandBuiltConfigIsChecked(t *testing.T) {
	base := func() *Config {
		return &Config{
			EstimationBuffer: 0.25, StorageBuffer: 0.33, VMOSStorageGB: 50, VMOSStorageGroup: "OS",
			Usage: []UsageModel{
				{Name: "users", Kind: ModelDateRangeValue, Ranges: []Range{{Start: NewMonth(2020, 1), End: NewMonth(2020, 3), Value: N(10)}}},
				{Name: "forms", Kind: ModelDerivedFactor, DependantFields: []string{"users"}, Factor: N(2)},
			},
			Services: []Service{{Name: "app", StaticNumber: 1, Process: Process{CoresPerNode: 2, RAMPerNode: 4},
				Storage: &Storage{Group: "SSD", RedundancyFactor: 1, DataModels: []DataModel{{Field: "forms", UnitBytes: 1e9}}}}},
		}
	}
	r, err := Run(base())
	if err != nil {
		t.Fatal(err)
	}
	// Defaults: GB display, last month, aggregation key = name.
	s := r.Summaries[0]
	if s.Date != "2020-03" || s.StorageUnit != "GB" || s.Services[0].AggregationKey != "app" || s.Services[0].StorageTotal != 26.6 {
		t.Errorf("got %s, %s, %q, %v; want 2020-03, GB, app, 26.6", s.Date, s.StorageUnit, s.Services[0].AggregationKey, s.Services[0].StorageTotal)
	}
	tests := []struct {
		name    string
		edit    func(*Config)
		field   string
		problem string
	}{
		{"NaN factor", func(c *Config) { c.Usage[1].Factor = N(math.NaN()) }, "usage.forms.factor", "finite"},
		{"negative range value", func(c *Config) { c.Usage[0].Ranges[0].Value = N(-1) }, "usage.users.ranges[0]", "negative"},
		{"negative unit size", func(c *Config) { c.Services[0].Storage.DataModels[0].UnitBytes = -1 }, "services.app.storage.data_models[0].unit_size", "negative"},
		{"infinite cores", func(c *Config) { c.Services[0].Process.CoresPerNode = math.Inf(1) }, "services.app.process.cores_per_node", "finite"},
		{"unknown kind", func(c *Config) { c.Usage[1].Kind = "magic" }, "usage.forms.model", "unknown usage model"},
		{"no services", func(c *Config) { c.Services = nil }, "services", "at least one"},
		{"duplicate service", func(c *Config) { c.Services = append(c.Services, c.Services[0]) }, "services.app", "twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.edit(c)
			_, err := Run(c)
			wantFieldError(t, err, tt.field, tt.problem)
		})
	}
}

// TestAcceptsWhatTheOriginalAccepts runs forms the original's loader takes
// and checks what each does.
func TestAcceptsWhatTheOriginalAccepts(t *testing.T) {
	run := func(t *testing.T, doc string) *Result {
		t.Helper()
		r, err := RunYAML([]byte(doc))
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return r
	}
	t.Run("min_storage_per_node raises storage per VM", func(t *testing.T) {
		// 10 GB over 1 VM is below the 100 GB minimum: 100 GB per VM.
		r := run(t, configWith(fixtureUsage, "\n  db:\n    static_number: 1\n    min_storage_per_node: 100GB\n"+
			"    process: {cores_per_node: 2, ram_per_node: 4}\n    storage: {group: SSD, static_baseline: 10GB}"))
		sv := serviceIn(t, &r.Summaries[0], "db")
		if sv.StoragePerVMGB == nil || *sv.StoragePerVMGB != 100 || sv.StorageTotal != 100 {
			t.Errorf("per VM %v GB, total %v GB; want 100 and 100", sv.StoragePerVMGB, sv.StorageTotal)
		}
	})
	t.Run("set items without a name", func(t *testing.T) {
		doc := strings.Replace(configWith(fixtureUsage+"\n  f: {model: derived_factor, dependant_field: users, factor: '{k}'}", ""),
			"usage:", "sets:\n  size:\n    - {name: small, n: 1}\n    - {name: big, n: 2}\n  vars:\n    - {k: 3}\nusage:", 1)
		r := run(t, doc)
		if got := r.Sets(); strings.Join(got, ",") != "small,big" {
			t.Errorf("sets = %q, want small, big (named by their named items only)", got)
		}
	})
	t.Run("sub-process keys the original ignores, and both counts", func(t *testing.T) {
		r := run(t, configWith(fixtureUsage, "\n  s:\n    process:\n      cores_per_node: 2\n      ram_per_node: 4\n"+
			"      cores_per_sub_process: 1\n      ram_per_sub_process: 1\n"+
			"      sub_processes: [{name: w, capacity: 5, static_number: 2, usage_field: users}]"))
		// static_number wins: 2 processes of 1 core on 2-core VMs, 1 VM.
		if sv := serviceIn(t, &r.Summaries[0], "s"); sv.VMsTotal-sv.VMBuffer != 1 {
			t.Errorf("VMs before buffer = %d, want 1 (static_number 2 wins over capacity)", sv.VMsTotal-sv.VMBuffer)
		}
	})
	t.Run("usage_capacity_per_node 0 is unset", func(t *testing.T) {
		r := run(t, configWith(fixtureUsage, "\n  s: {usage_capacity_per_node: 0, static_number: 3, process: {cores_per_node: 1, ram_per_node: 1}}"))
		if sv := serviceIn(t, &r.Summaries[0], "s"); sv.VMsTotal != 3 {
			t.Errorf("VMs = %d, want the static 3", sv.VMsTotal)
		}
	})
	t.Run("max and min storage beside storage_scales_with_nodes", func(t *testing.T) {
		run(t, configWith(fixtureUsage, "\n  s: {static_number: 1, storage_scales_with_nodes: true, max_storage_per_node: 1TB, min_storage_per_node: 1GB}"))
	})
	t.Run("a one-digit summary month", func(t *testing.T) {
		r := run(t, strings.Replace(configWith(fixtureUsage, ""), "usage:", "summary_dates: ['2017-3']\nusage:", 1))
		if r.Summaries[0].Date != "2017-03" {
			t.Errorf("date = %s, want 2017-03", r.Summaries[0].Date)
		}
	})
}

package sizing

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// TestCrossCheckTotals checks the reference page's cross-check values: the
// numbers of an independent re-implementation that reproduced the original
// tool's output.
func TestCrossCheckTotals(t *testing.T) {
	tests := []struct {
		config, date string
		vms          int
		cores, ram   float64
		groups       map[string]float64
	}{
		{"echis.yml", "2021-07", 29, 83, 316, map[string]float64{"SSD": 4.31, "SAS": 0.45463, "VM_os": 2, "VM_other": 0.35}},
		{"echis.yml", "2022-06", 31, 91, 348, map[string]float64{"SSD": 27.063, "SAS": 2.635}},
		{"reach_40k.yml", "2019-12", 91, 1896, 8792, map[string]float64{"SSD": 209.74, "SAS": 19.6882, "VM_other": 3.7, "VM_os": 5}},
	}
	for _, tt := range tests {
		t.Run(tt.config+"@"+tt.date, func(t *testing.T) {
			s := summaryAt(t, runTestdata(t, tt.config), tt.date)
			if s.Totals.VMs != tt.vms || s.Totals.Cores != tt.cores || s.Totals.RAMGB != tt.ram {
				t.Errorf("totals = %d VMs, %v cores, %v GB; want %d, %v, %v", s.Totals.VMs, s.Totals.Cores, s.Totals.RAMGB, tt.vms, tt.cores, tt.ram)
			}
			for g, want := range tt.groups {
				if got := s.StorageByGroup[g]; got != want {
					t.Errorf("storage %s = %v TB, want %v", g, got, want)
				}
			}
			if s.StorageUnit != "TB" {
				t.Errorf("storage unit = %q, want TB", s.StorageUnit)
			}
		})
	}
}

func TestCrossCheckServices(t *testing.T) {
	tests := []struct {
		config, date, service string
		vms, buffer           int
		storage               float64
	}{
		{"echis.yml", "2022-06", "pg_main", 2, 0, 9.9},
		{"echis.yml", "2022-06", "pg_ucr", 2, 0, 10.1},
		{"echis.yml", "2022-06", "pg_shards", 2, 0, 3.9},
		{"echis.yml", "2022-06", "minio", 7, 2, 2.89},
		{"echis.yml", "2022-06", "es_datanode", 4, 0, 2.38},
		// 1 VM by users + 4 for storage, buffer 3 → 8, min_nodes 10.
		{"reach_40k.yml", "2019-12", "riakcs", 10, 3, -1},
		{"reach_40k.yml", "2019-12", "pillowtop", 7, 3, -1},
		{"reach_40k.yml", "2019-12", "celery", 5, 2, -1},
	}
	for _, tt := range tests {
		t.Run(tt.config+"/"+tt.service, func(t *testing.T) {
			sv := serviceIn(t, summaryAt(t, runTestdata(t, tt.config), tt.date), tt.service)
			if sv.VMsTotal != tt.vms || sv.VMBuffer != tt.buffer {
				t.Errorf("VMs = %d (buffer %d), want %d (buffer %d)", sv.VMsTotal, sv.VMBuffer, tt.vms, tt.buffer)
			}
			if tt.storage >= 0 && sv.StorageTotal != tt.storage {
				t.Errorf("storage = %v TB, want %v", sv.StorageTotal, tt.storage)
			}
		})
	}
}

func TestBufferPctCompounds(t *testing.T) {
	s := summaryAt(t, runTestdata(t, "reach_40k.yml"), "2019-12")
	// 0.5 × 1.01^11 = 0.5578342.
	if got := serviceIn(t, s, "django").BufferPct; got != 55.78 {
		t.Errorf("buffer %% = %v, want 55.78", got)
	}
}

func TestJSONShape(t *testing.T) {
	r := runTestdata(t, "echis.yml")
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	sums, ok := doc["summaries"].([]any)
	if !ok || len(sums) != 3 {
		t.Fatalf("summaries = %v, want a list of 3", doc["summaries"])
	}
	first := sums[0].(map[string]any)
	for _, key := range []string{"date", "users", "storage_unit", "storage_by_group", "vms_by_size", "totals", "services"} {
		if _, ok := first[key]; !ok {
			t.Errorf("summary lacks %q", key)
		}
	}
	if first["date"] != "2021-07" || first["users"] != 12600.0 {
		t.Errorf("date, users = %v, %v; want 2021-07, 12600", first["date"], first["users"])
	}
	svc := first["services"].([]any)[0].(map[string]any)
	for _, key := range []string{"name", "cores_per_vm", "ram_per_vm_gb", "storage_per_vm_gb", "vms_total",
		"vm_buffer", "buffer_pct", "storage_total", "storage_group", "os_storage_total_gb"} {
		if _, ok := svc[key]; !ok {
			t.Errorf("service lacks %q", key)
		}
	}
	totals := first["totals"].(map[string]any)
	if totals["vms"] != 29.0 || totals["cores"] != 83.0 || totals["ram_gb"] != 316.0 {
		t.Errorf("totals = %v, want 29 VMs, 83 cores, 316 GB", totals)
	}
}

func TestSummaryDatesDefaultToLastMonth(t *testing.T) {
	cfg, err := ParseConfig(readTestdata(t, "echis.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.SummaryDates = nil
	r, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Summaries) != 1 || r.Summaries[0].Date != "2022-06" {
		t.Fatalf("summaries = %d, first at %v; want one at 2022-06", len(r.Summaries), r.Summaries[0].Date)
	}
}

func TestSets(t *testing.T) {
	doc := configWith(`
  users:
    model: date_range_value
    ranges:
      - ['20200101', '20200301', '{users}']
  forms: {model: derived_factor, dependant_field: users, factor: '{forms}'}
  forms_total: {model: cumulative, dependant_field: forms}`, `
  store:
    static_number: 1
    storage:
      group: SSD
      override_storage_buffer: 0
      data_models: [{referenced_field: forms_total, unit_size: 1GB}]
    process: {cores_per_node: 2, ram_per_node: 4}`) + `
storage_display_unit: GB
sets:
  size:
    - {name: small, users: 10}
    - {name: large, users: 100}
  pace:
    - {name: slow, forms: 1}
    - {name: fast, forms: 2}
sets_summary_date: '2020-03'
`
	r, err := RunYAML([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		set     string
		users   float64
		storage float64 // 3 months × users × forms GB
	}{
		{"small-slow", 10, 30}, {"small-fast", 10, 60}, {"large-slow", 100, 300}, {"large-fast", 100, 600},
	}
	if len(r.Summaries) != len(want) {
		t.Fatalf("got %d summaries, want %d", len(r.Summaries), len(want))
	}
	for i, w := range want {
		s := r.Summaries[i]
		if s.Set != w.set || s.Users != w.users || s.Services[0].StorageTotal != w.storage {
			t.Errorf("summary %d = set %q, users %v, storage %v; want %q, %v, %v", i, s.Set, s.Users, s.Services[0].StorageTotal, w.set, w.users, w.storage)
		}
	}
	if r.SetsSummaryDate != "2020-03" {
		t.Errorf("sets_summary_date = %q, want 2020-03", r.SetsSummaryDate)
	}
}

func TestRunLeavesConfigAlone(t *testing.T) {
	cfg, err := ParseConfig([]byte(configWith(fixtureUsage, "") + "storage_display_unit: tb\n"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Services[0].AggregationKey = ""
	r, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Summaries[0]; got.StorageUnit != "TB" || got.Services[0].AggregationKey != "app" {
		t.Errorf("unit %q, aggregation key %q; want TB and the service name", got.StorageUnit, got.Services[0].AggregationKey)
	}
	if cfg.StorageDisplayUnit != "tb" || cfg.Services[0].AggregationKey != "" {
		t.Errorf("Run changed the config: unit %q, key %q", cfg.StorageDisplayUnit, cfg.Services[0].AggregationKey)
	}
}

func TestRunConcurrently(t *testing.T) {
	cfg, err := ParseConfig(readTestdata(t, "reach_40k.yml"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(runTestdata(t, "reach_40k.yml"))
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			r, err := Run(cfg)
			if err == nil {
				var got []byte
				got, err = json.Marshal(r)
				if err == nil && !bytes.Equal(got, want) {
					err = errors.New("a concurrent run gave a different result")
				}
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestMinNodesWithoutComputeVMs: in a month where min_nodes binds and the
// service has no compute VMs, the original divides by zero and loses the
// storage (NaN, counted 0 in its group); ours places it on the min_nodes
// VMs. 100 GB baseline × 1.33 storage buffer × 1.25 estimation buffer =
// 166.25 GB: 167 GB in total, 56 GB on each of 3 VMs once rounded up.
func TestMinNodesWithoutComputeVMs(t *testing.T) {
	r, err := RunYAML([]byte(`estimation_buffer: 0.25
storage_buffer: 0.33
vm_os_storage_gb: 50
vm_os_storage_group: VM_os
summary_dates: ['2017-01']
usage:
  users: {model: date_range_value, ranges: [['20170101', 0], ['20170201', '20170301', 100]]}
services:
  store:
    min_nodes: 3
    usage_capacity_per_node: 1000000
    process: {cores_per_node: 2, ram_per_node: 4}
    storage: {group: SSD, static_baseline: 100GB, data_models: [{referenced_field: users, unit_size: 1GB}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	s := &r.Summaries[0]
	sv := serviceIn(t, s, "store")
	if sv.VMsTotal != 3 || sv.StorageTotal != 167 || sv.StoragePerVMGB == nil || *sv.StoragePerVMGB != 56 || s.StorageByGroup["SSD"] != 167 {
		t.Errorf("store: %d VMs, %v GB total, %v GB per VM, SSD %v; want 3, 167, 56, 167", sv.VMsTotal, sv.StorageTotal, sv.StoragePerVMGB, s.StorageByGroup["SSD"])
	}
}

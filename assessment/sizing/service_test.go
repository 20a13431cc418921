package sizing

import "testing"

// serviceFixture is the original's service test: 1, 2 and 3 million users,
// 100,000 users per node, three copies of 600,000 bytes per user plus 20 GB,
// and a 25% storage buffer.
func serviceFixture(estimationBuffer string) string {
	return `
estimation_buffer: ` + estimationBuffer + `
storage_buffer: 0.25
storage_display_unit: TB
vm_os_storage_gb: 70
vm_os_storage_group: VM
usage:
  users:
    model: date_range_value
    ranges:
      - ['20170601', 1000000]
      - ['20170701', 2000000]
      - ['20170801', 3000000]
services:
  couchdb_meta:
    usage_capacity_per_node: 100000
    min_nodes: 3
    storage:
      group: Primary
      redundancy_factor: 3
      static_baseline: 20000000000
      data_models:
        - referenced_field: users
          unit_size: 600000
    process:
      cores_per_node: 4
      ram_per_node: 16
`
}

func TestServiceFixture(t *testing.T) {
	cfg, err := ParseConfig([]byte(serviceFixture("0.2")))
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
	got, err := computeService(cfg, &cfg.Services[0], u)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{2_325_000_000_000, 4_575_000_000_000, 6_825_000_000_000}; !equalSlices(got.storage, want) {
		t.Errorf("storage = %v, want %v", got.storage, want)
	}
	if want := []float64{10, 20, 30}; !equalSlices(got.vms, want) {
		t.Errorf("VMs = %v, want %v", got.vms, want)
	}

	// With no estimation buffer the summary shows the compute figures:
	// CPU 40/80/120 and RAM 160/320/480.
	cfg, err = ParseConfig([]byte(serviceFixture("0")))
	if err != nil {
		t.Fatal(err)
	}
	cfg.SummaryDates = []Month{NewMonth(2017, 6), NewMonth(2017, 7), NewMonth(2017, 8)}
	res, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ vms, cores, ram float64 }{{10, 40, 160}, {20, 80, 320}, {30, 120, 480}} {
		sv := res.Summaries[i].Services[0]
		if float64(sv.VMsTotal) != want.vms || sv.CoresTotal != want.cores || sv.RAMTotalGB != want.ram {
			t.Errorf("%s: VMs %d, cores %v, RAM %v; want %v, %v, %v", res.Summaries[i].Date,
				sv.VMsTotal, sv.CoresTotal, sv.RAMTotalGB, want.vms, want.cores, want.ram)
		}
	}
}

// branchConfig has one service per compute branch and storage case. Users
// are 1,000 then 3,000; the estimation buffer is a flat 25%; storage is
// shown in GB.
const branchConfig = `
estimation_buffer: 0.25
storage_buffer: 0.33
storage_display_unit: GB
summary_dates: ['2020-01', '2020-02']
vm_os_storage_gb: 40
vm_os_storage_group: OS
usage:
  users:
    model: date_range_value
    ranges:
      - ['20200101', 1000]
      - ['20200201', 3000]
  small:
    model: date_range_value
    ranges:
      - ['20200101', '20200201', 10]
services:
  sub_cores:
    process:
      cores_per_node: 4
      ram_per_node: 8
      cores_per_sub_process: 1
      ram_per_sub_process: 0.5
      sub_processes:
        - {name: per_thousand, capacity: 1000}
        - {name: fixed, static_number: 2}
  sub_ram:
    process:
      cores_per_node: 4
      ram_per_node: 8
      cores_per_sub_process: 1
      ram_per_sub_process: 4
      sub_processes:
        - {name: per_thousand, capacity: 1000}
        - {name: fixed, static_number: 2}
  max_storage:
    usage_capacity_per_node: 1000
    max_storage_per_node: 300GB
    storage:
      group: SSD
      override_storage_buffer: 0
      data_models:
        - {referenced_field: users, unit_size: 1GB}
    process: {cores_per_node: 2, ram_per_node: 4}
  ram_model:
    static_number: 1
    process:
      cores_per_node: 2
      ram_per_node: 16
      ram_static_baseline: 4
      ram_redundancy_factor: 3
      ram_model:
        - {referenced_field: small, unit_size: 1GB}
  scales:
    usage_capacity_per_node: 500
    storage_scales_with_nodes: true
    storage: {group: SSD, static_baseline: 100GB}
    process: {cores_per_node: 2, ram_per_node: 4}
  min_bind:
    usage_capacity_per_node: 500
    min_nodes: 5
    storage: {group: SSD, static_baseline: 100GB}
    process: {cores_per_node: 2, ram_per_node: 4}
  storage_only:
    storage: {group: SAS, static_baseline: 100GB}
  spread:
    static_number: 2
    storage: {group: SAS, static_baseline: 100GB}
    process: {cores_per_node: 2, ram_per_node: 4}
  ha:
    static_number: 1
    include_ha_resources: true
    aggregation_key: db
    storage:
      group: SSD
      data_models:
        - {referenced_field: small, unit_size: 1GB}
    process: {cores_per_node: 2, ram_per_node: 8}
  ha_twin:
    static_number: 1
    aggregation_key: db
    storage:
      group: SSD
      override_storage_buffer: 0.8
      override_estimation_buffer: 0
      data_models:
        - {referenced_field: small, unit_size: 1GB}
    process: {cores_per_node: 2, ram_per_node: 8}
  no_storage:
    static_number: 1
    process: {cores_per_node: 1, ram_per_node: 2}
`

func TestServiceBranches(t *testing.T) {
	res, err := RunYAML([]byte(branchConfig))
	if err != nil {
		t.Fatal(err)
	}
	perVM := func(v float64) *float64 { return &v }
	type want struct {
		vms, buffer, vmsHA int
		cores, ram         float64
		storage            float64
		perVM              *float64
	}
	tests := []struct {
		service string
		date    string
		want    want
		why     string
	}{
		// 1,000 users: 1 + 2 = 3 processes; by cores 3/4, by RAM 1.5/8:
		// cores win, ceil(0.75) = 1 VM, buffer ceil(0.25) = 1.
		{"sub_cores", "2020-01", want{vms: 2, buffer: 1, cores: 8, ram: 16, perVM: perVM(0)}, "cores decide"},
		// 3,000 users: 5 processes, 5/4 → 2 VMs, buffer 1.
		{"sub_cores", "2020-02", want{vms: 3, buffer: 1, cores: 12, ram: 24, perVM: perVM(0)}, "cores decide"},
		// RAM 4 per process: 3×4/8 = 1.5 → 2 VMs, buffer 1; later 5×4/8 → 3, buffer 1.
		{"sub_ram", "2020-01", want{vms: 3, buffer: 1, cores: 12, ram: 24, perVM: perVM(0)}, "RAM decides"},
		{"sub_ram", "2020-02", want{vms: 4, buffer: 1, cores: 16, ram: 32, perVM: perVM(0)}, "RAM decides"},
		// 1 VM by users; 1,000 GB of data over 300 GB nodes adds ceil(700/300) = 3;
		// buffer ceil(4 × 0.25) = 1. Storage spread: total S = 1,000 GB, 200 per VM.
		{"max_storage", "2020-01", want{vms: 5, buffer: 1, cores: 10, ram: 20, storage: 1000, perVM: perVM(200)}, "max storage per node"},
		// 3 VMs by users, 3,000 GB needs 10 nodes: +7; buffer ceil(2.5) = 3.
		{"max_storage", "2020-02", want{vms: 13, buffer: 3, cores: 26, ram: 52, storage: 3000, perVM: perVM(231)}, "max storage per node"},
		// 10 GB × 3 copies = 30 GB of RAM; 12 usable per node: 1 + ceil(18/12) = 3; static: no buffer.
		{"ram_model", "2020-01", want{vms: 3, cores: 6, ram: 48, perVM: perVM(0)}, "RAM model adds VMs"},
		// 2 VMs + 1 buffer; each VM holds B = 100 GB × 1.25; 375 rounds up to 380.
		{"scales", "2020-01", want{vms: 3, buffer: 1, cores: 6, ram: 12, storage: 380, perVM: perVM(125)}, "storage scales with nodes"},
		// min_nodes 5 binds (2 + 1 < 5): total B = 125 GB over 5 VMs.
		{"min_bind", "2020-01", want{vms: 5, buffer: 1, cores: 10, ram: 20, storage: 125, perVM: perVM(25)}, "min_nodes binds"},
		// 6 + 2 = 8 ≥ 5: B / 6 per VM × 8 VMs = 166.67 → 167.
		{"min_bind", "2020-02", want{vms: 8, buffer: 2, cores: 16, ram: 32, storage: 167, perVM: perVM(20.9)}, "min_nodes binds in another month"},
		// No compute at all: total B, per VM not applicable.
		{"storage_only", "2020-01", want{storage: 125, perVM: nil}, "storage only"},
		// Two static VMs: total S without the estimation buffer, S / 2 per VM.
		{"spread", "2020-01", want{vms: 2, cores: 4, ram: 8, storage: 100, perVM: perVM(50)}, "spread over VMs"},
		// 10 GB × 1.33 = 13.3 GB, doubled for HA = 26.6; VMs, cores and RAM doubled.
		{"ha", "2020-01", want{vms: 2, vmsHA: 1, cores: 4, ram: 16, storage: 26.6, perVM: perVM(13.3)}, "HA doubles"},
		// Storage buffer overridden to 0.8: 10 GB × 1.8 = 18 GB.
		{"ha_twin", "2020-01", want{vms: 1, cores: 2, ram: 8, storage: 18, perVM: perVM(18)}, "override buffers"},
		{"no_storage", "2020-01", want{vms: 1, cores: 1, ram: 2, perVM: perVM(0)}, "no storage section"},
	}
	for _, tt := range tests {
		t.Run(tt.service+"/"+tt.date, func(t *testing.T) {
			sv := serviceIn(t, summaryAt(t, res, tt.date), tt.service)
			got := want{vms: sv.VMsTotal, buffer: sv.VMBuffer, vmsHA: sv.VMsHA, cores: sv.CoresTotal,
				ram: sv.RAMTotalGB, storage: sv.StorageTotal, perVM: sv.StoragePerVMGB}
			if got.vms != tt.want.vms || got.buffer != tt.want.buffer || got.vmsHA != tt.want.vmsHA ||
				got.cores != tt.want.cores || got.ram != tt.want.ram || got.storage != tt.want.storage {
				t.Errorf("%s: got VMs %d (buffer %d, HA %d), cores %v, RAM %v, storage %v; want %d (%d, %d), %v, %v, %v",
					tt.why, got.vms, got.buffer, got.vmsHA, got.cores, got.ram, got.storage,
					tt.want.vms, tt.want.buffer, tt.want.vmsHA, tt.want.cores, tt.want.ram, tt.want.storage)
			}
			switch {
			case tt.want.perVM == nil && got.perVM != nil:
				t.Errorf("%s: storage per VM = %v, want not applicable", tt.why, *got.perVM)
			case tt.want.perVM != nil && (got.perVM == nil || *got.perVM != *tt.want.perVM):
				t.Errorf("%s: storage per VM = %v, want %v", tt.why, got.perVM, *tt.want.perVM)
			}
		})
	}
}

func TestSummarySums(t *testing.T) {
	res, err := RunYAML([]byte(branchConfig))
	if err != nil {
		t.Fatal(err)
	}
	s := summaryAt(t, res, "2020-01")
	// SSD: max_storage 1000 + scales 380 + min_bind 125 + ha 26.6 + ha_twin 18.
	if got, want := s.StorageByGroup["SSD"], 1549.6; got != want {
		t.Errorf("SSD = %v, want %v", got, want)
	}
	// SAS: storage_only 125 + spread 100.
	if got, want := s.StorageByGroup["SAS"], 225.0; got != want {
		t.Errorf("SAS = %v, want %v", got, want)
	}
	// VMs: 2+3+5+3+3+5+0+2+2+1+1 = 27, each with a 40 GB OS disk.
	if got, want := s.Totals.VMs, 27; got != want {
		t.Errorf("total VMs = %d, want %d", got, want)
	}
	if got, want := s.StorageByGroup["OS"], 1080.0; got != want {
		t.Errorf("OS = %v, want %v", got, want)
	}
	// ha (2 VMs of 2x8) and ha_twin (1 VM of 2x8) share the "db" key and size.
	if got, want := s.VMsByType["db"], (Totals{VMs: 3, Cores: 6, RAMGB: 24}); got != want {
		t.Errorf("VMs by type db = %+v, want %+v", got, want)
	}
	if got, want := s.VMsBySize["2x8"], 3; got != want {
		t.Errorf("VMs of size 2x8 = %d, want %d", got, want)
	}
	if _, ok := s.VMsByType["storage_only"]; ok {
		t.Errorf("a service without VMs should not appear in VMs by type")
	}
	var cores float64
	for _, sv := range s.Services {
		cores += sv.CoresTotal
	}
	if s.Totals.Cores != cores {
		t.Errorf("total cores = %v, want the services' sum %v", s.Totals.Cores, cores)
	}
	if s.Users != 1000 || s.StorageUnit != "GB" {
		t.Errorf("users %v, unit %q; want 1000, GB", s.Users, s.StorageUnit)
	}
}

package main

import (
	"fmt"
	"strings"
)

// heavyConfig returns a resource-model config of 50 scenarios (two set
// groups) × dates summary dates × services services, each with dataModels
// storage data models, over months months. heavyConfig(200, 40, 2, 36) is
// about 480 KB and sits at the engine's own limits (20,000 table rows);
// before the model endpoints had a budget, 8 of those at once as XLSX took
// the server past 1 GB.
func heavyConfig(services, months, dates, dataModels int) string {
	var b strings.Builder
	b.WriteString("estimation_buffer: 0.25\nestimation_growth_factor: 0.01\nstorage_buffer: 0.33\nstorage_display_unit: TB\n")
	b.WriteString("vm_os_storage_gb: 50\nvm_os_storage_group: VM_os\nsummary_dates:\n")
	start := 2020*12 + 0
	month := func(i int) (int, int) { m := start + i; return m / 12, m%12 + 1 }
	for i := range dates {
		y, m := month(months - 1 - i*(months/dates))
		fmt.Fprintf(&b, "  - '%04d-%02d'\n", y, m)
	}
	ey, em := month(months - 1)
	fmt.Fprintf(&b, "usage:\n  users:\n    model: date_range_value\n    ranges:\n      - ['20200101', '%04d%02d01', '{users}']\n", ey, em)
	b.WriteString("  forms:\n    model: derived_factor\n    dependant_field: users\n    factor: '{forms}'\n")
	b.WriteString("  forms_total:\n    model: cumulative\n    dependant_field: forms\n    start_with: 1000\n")
	b.WriteString("services:\n")
	for i := range services {
		fmt.Fprintf(&b, "  service_%03d:\n    usage_capacity_per_node: %d\n    storage:\n      group: SSD\n      data_models:\n", i, 1000+i)
		for range dataModels {
			fmt.Fprintf(&b, "        - {referenced_field: forms_total, unit_size: %d}\n", 100+i)
		}
		fmt.Fprintf(&b, "    process:\n      cores_per_node: 2\n      ram_per_node: 8\n      ram_model:\n        - {referenced_field: users, unit_size: %d}\n", 10+i)
	}
	b.WriteString("sets:\n  size:\n")
	for i := range 10 {
		fmt.Fprintf(&b, "    - {name: size%d, users: %d}\n", i, 1000*(i+1))
	}
	b.WriteString("  pace:\n")
	for i := range 5 {
		fmt.Fprintf(&b, "    - {name: pace%d, forms: %d}\n", i, 10*(i+1))
	}
	return b.String()
}

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// sizingCLI runs `server ARGS...` in-process with no database.
func sizingCLI(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), &env{
		args: args, getenv: envOf(), stdin: strings.NewReader(stdin), stdout: &out, stderr: &out,
	})
	return out.String(), err
}

func TestSizingCommands(t *testing.T) {
	echis := filepath.Join("..", "..", "assessment", "sizing", "testdata", "echis.yml")
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"tier 1,499", []string{"sizing", "commcare", "--users", "1,499"}, []string{"Single server: 1 server(s)", "Each server: 8 vCPUs, 32 GB RAM, 2 TB SSD ("}},
		{"tier 1,500", []string{"sizing", "commcare", "--users", "1500"}, []string{"Micro cluster: 2 server(s)", "- 1,500 users is at least 1,500"}},
		{"tier HA", []string{"sizing", "commcare", "-users=100", "-ha"}, []string{"Micro cluster: 2 server(s)", "32 GB RAM"}},
		{"tier large", []string{"sizing", "commcare", "--users", "15000"}, []string{"Large cluster: more than 5 server(s)"}},
		{"model", []string{"sizing", "commcare-model", echis}, []string{"2021-07: 12,600 users, storage in TB", "pg_main",
			"Totals: 29 VMs, 83 cores, 316 GB RAM", "Totals: 31 VMs, 91 cores, 348 GB RAM"}},
		{"OpenCRVS example", []string{"sizing", "opencrvs", "--population", "30,000,000", "--birth-rate", "17.299", "--death-rate", "7.7", "--attachments", "3"},
			[]string{"749,970 records a year", "749,970 × 3 × 0.4 MB = 899,964 MB = 899.964 GB", "production   3", "1,013.7109501", "2,027.4219002"}},
		{"OpenCRVS records and years", []string{"sizing", "opencrvs", "--records-per-year", "1000", "--attachments", "1", "--years", "2", "--scale", "pilot"},
			[]string{"pilot scale, 1,000 records a year, disk for 2 year(s)", "100 GB + 2 × (0.01833 GB + 0.4 GB) = 100.83666 GB"}},
	}
	for _, tt := range tests {
		out, err := sizingCLI(t, "", tt.args...)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", tt.name, w, out)
			}
		}
	}
}

func TestSizingModelFormats(t *testing.T) {
	echis, err := os.ReadFile(filepath.Join("..", "..", "assessment", "sizing", "testdata", "echis.yml"))
	if err != nil {
		t.Fatal(err)
	}
	// From standard input, flags after the file.
	out, err := sizingCLI(t, string(echis), "sizing", "commcare-model", "-", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(out))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 || strings.Join(recs[0], ",") != "Summary,2021-07,Users,12600" {
		t.Errorf("CSV starts %q (%v)", recs[:min(1, len(recs))], err)
	}
	out, err = sizingCLI(t, string(echis), "sizing", "commcare-model", "--format=xlsx", "-")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(strings.NewReader(out))
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) < 7 || sheets[0] != "Comparisons" || sheets[2] != "2021-07-01 - 12K users" {
		t.Errorf("XLSX sheets = %q", sheets)
	}
}

func TestSizingCommandErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yml")
	if err := os.WriteFile(bad, []byte("estimation_buffer: 0.25\nstorage_buffer: 0.33\nvm_os_storage_gb: 50\nvm_os_storage_group: VM_os\n"+
		"services:\n  app: {static_number: 1, process: {cores_per_node: 2, ram_per_node: 4}}\n"+
		"usage:\n  users: {model: exponential}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Bad flags: usage errors, exit status 2.
	for _, args := range [][]string{
		{"sizing"},
		{"sizing", "tiers"},
		{"sizing", "commcare"},
		{"sizing", "commcare", "--users"},
		{"sizing", "commcare", "--users", "10", "--bogus"},
		{"sizing", "commcare", "--users", "10", "extra"},
		{"sizing", "commcare-model"},
		{"sizing", "commcare-model", "a.yml", "b.yml"},
		{"sizing", "commcare-model", "a.yml", "--format", "pdf"},
		{"sizing", "opencrvs", "--births", "17"},
	} {
		_, err := sizingCLI(t, "", args...)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%q: err = %v, want a usage error", args, err)
		}
	}
	// Bad values: plain errors (exit status 1) that name the flag.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sizing", "commcare", "--users", "-5"}, "sizing commcare: --users: must not be negative (got -5)"},
		{[]string{"sizing", "commcare", "--users", "lots"}, `--users: must be a whole number such as 12 or 2,500`},
		{[]string{"sizing", "opencrvs", "--population", "30000000", "--birth-rate", "abc", "--death-rate", "7", "--attachments", "3"}, `--birth-rate: must be a number such as 12, 2.5 or 2,500`},
		{[]string{"sizing", "opencrvs", "--population", "30000000", "--birth-rate", "2,5", "--death-rate", "7", "--attachments", "3"}, `--birth-rate: must be a number such as 2.5 or 2,500: the decimal mark is a point`},
		{[]string{"sizing", "opencrvs", "--population", "-1", "--birth-rate", "17", "--death-rate", "7", "--attachments", "3"}, "--population: must not be negative"},
		{[]string{"sizing", "opencrvs", "--population", "30000000", "--birth-rate", "17", "--death-rate", "7", "--attachments", "3", "--scale", "huge"}, `--scale: unknown scale "huge"`},
		{[]string{"sizing", "opencrvs", "--attachments", "3"}, "--population: give a population with birth and death rates, or --records-per-year"},
		{[]string{"sizing", "commcare-model", bad}, `bad.yml: usage.users.model: unknown usage model "exponential"`},
		{[]string{"sizing", "commcare-model", filepath.Join(t.TempDir(), "missing.yml")}, "no such file"},
	} {
		_, err := sizingCLI(t, "", c.args...)
		var u usageError
		if err == nil || errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want a plain error containing %q", c.args, err, c.want)
		}
	}
}

// TestSizingModelOriginalOptions runs the original tool's options: summary
// dates, a usage field, one set, one service, and -o with a workbook per
// set plus the cross-set comparison.
func TestSizingModelOriginalOptions(t *testing.T) {
	dir := filepath.Join("..", "..", "assessment", "sizing", "testdata", "original", "configs")
	sets := filepath.Join(dir, "icds-14lakh-dimagivalues-jan2020.yml")
	echis := filepath.Join(dir, "echis.yml")

	out, err := sizingCLI(t, "", "sizing", "commcare-model", echis, "-s", "2022-06", "--service", "pg_main")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "2021-07:") || !strings.Contains(out, "2022-06: 20,000 users") || strings.Contains(out, "couchdb") ||
		!strings.Contains(out, "Totals: 2 VMs, 4 cores, 16 GB RAM") {
		t.Errorf("-s 2022-06 --service pg_main: want one summary of pg_main alone:\n%s", out)
	}

	out, err = sizingCLI(t, "", "sizing", "commcare-model", sets, "--usage", "users", "--set", "7lakh-400fpu", "--summary-dates", "2020-09")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Set 7lakh-400fpu", "2018-09    115,000", "2020-09 (set 7lakh-400fpu): 800,000 users"} {
		if !strings.Contains(out, want) {
			t.Errorf("--usage users --set 7lakh-400fpu: output lacks %q:\n%.600s", want, out)
		}
	}
	if strings.Contains(out, "6lakh") {
		t.Errorf("--set 7lakh-400fpu ran other sets too")
	}

	tmp := t.TempDir()
	if _, err := sizingCLI(t, "", "sizing", "commcare-model", sets, "-o", filepath.Join(tmp, "out.xlsx")); err == nil {
		t.Error("-o without {name} for a config with sets: want a usage error")
	}
	out, err = sizingCLI(t, "", "sizing", "commcare-model", sets, "-o", filepath.Join(tmp, "icds-{name}.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"6lakh-400fpu", "7lakh-400fpu", "8lakh-400fpu", "comparison"} {
		path := filepath.Join(tmp, "icds-"+name+".xlsx")
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Errorf("%s: %v (output %s)", name, err, out)
			continue
		}
		sheets := f.GetSheetList()
		if name == "comparison" {
			rows, _ := f.GetRows("Comparisons")
			if len(sheets) != 1 || len(rows) < 2 || strings.Join(rows[1], ",") != ",6lakh-400fpu,7lakh-400fpu,8lakh-400fpu" {
				t.Errorf("comparison workbook: sheets %q, header %q", sheets, rows[:min(2, len(rows))])
			}
		} else if !strings.HasPrefix(sheets[0], "2020-09-01 - ") || sheets[1] != "Usage" || sheets[len(sheets)-1] != "Config" ||
			!strings.Contains(strings.Join(sheets, "|"), "Raw Data (pg_main)") {
			t.Errorf("%s workbook sheets = %q", name, sheets)
		}
		f.Close()
	}

	for _, args := range [][]string{
		{"sizing", "commcare-model", echis, "-s", "pg_main"},
		{"sizing", "commcare-model", echis, "-s", "2030-01"},
		{"sizing", "commcare-model", sets, "--set", "nope"},
		{"sizing", "commcare-model", echis, "--service", "nope"},
		{"sizing", "commcare-model", echis, "-u", "nope"},
	} {
		if _, err := sizingCLI(t, "", args...); err == nil {
			t.Errorf("%q: want an error", args)
		}
	}
}

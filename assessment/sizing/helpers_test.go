package sizing

import (
	"math"
	"os"
	"strings"
	"testing"
)

// fixtureUsage is the original's test usage: 100, 100, 200, 200 users over
// 2017-01..2017-04.
const fixtureUsage = `
  users:
    model: date_range_value
    ranges:
      - ['20170101', '20170201', 100]
      - ['20170301', '20170401', 200]
`

// configWith returns a minimal config around a usage section and services.
func configWith(usage, services string) string {
	if services == "" {
		services = `
  app:
    static_number: 1
    process: {cores_per_node: 2, ram_per_node: 4}
`
	}
	return `
estimation_buffer: 0.25
storage_buffer: 0.33
vm_os_storage_gb: 50
vm_os_storage_group: VM_os
usage:` + usage + `
services:` + services
}

// evalYAML parses a config and evaluates its usage.
func evalYAML(t *testing.T, doc string) *usageData {
	t.Helper()
	cfg, err := ParseConfig([]byte(doc))
	if err != nil {
		t.Fatalf("ParseConfig: %v", err)
	}
	_, p, _, err := cfg.prepare()
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	u, err := evalUsage(p, cfg.Usage)
	if err != nil {
		t.Fatalf("evalUsage: %v", err)
	}
	return u
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func runTestdata(t testing.TB, name string) *Result {
	t.Helper()
	r, err := RunYAML(readTestdata(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

func summaryAt(t testing.TB, r *Result, date string) *Summary {
	t.Helper()
	for i := range r.Summaries {
		if r.Summaries[i].Date == date {
			return &r.Summaries[i]
		}
	}
	t.Fatalf("no summary at %s", date)
	return nil
}

func serviceIn(t testing.TB, s *Summary, name string) *ServiceSummary {
	t.Helper()
	for i := range s.Services {
		if s.Services[i].Name == name {
			return &s.Services[i]
		}
	}
	t.Fatalf("no service %s at %s", name, s.Date)
	return nil
}

func equalSlices(got, want []float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.IsNaN(got[i]) && math.IsNaN(want[i]) {
			continue // both months without a value
		}
		if !close(got[i], want[i]) {
			return false
		}
	}
	return true
}

// close compares to 1e-9 relative: the figures under test are exact in
// decimal, and anything beyond this is binary noise.
func close(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

func wantFieldError(t *testing.T, err error, field, problem string) {
	t.Helper()
	fe, ok := AsFieldError(err)
	if !ok {
		t.Fatalf("got error %v (%T), want a *FieldError for %q", err, err, field)
	}
	if fe.Field != field || !strings.Contains(fe.Problem, problem) {
		t.Fatalf("got FieldError{%q, %q}, want field %q with problem containing %q", fe.Field, fe.Problem, field, problem)
	}
}

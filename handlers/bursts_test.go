package handlers_test

import (
	"fmt"
	"groundwork/handlers/handlerstest"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// bigModel is a resource-model config of sets × 2 summary dates ×
// services table rows: 50 scenarios.
func bigModel(services int) string {
	var b strings.Builder
	b.WriteString("estimation_buffer: 0.25\nstorage_buffer: 0.33\nvm_os_storage_gb: 50\nvm_os_storage_group: VM_os\n")
	b.WriteString("summary_dates: ['2020-06', '2020-12']\nusage:\n  users: {model: date_range_value, ranges: [['20200101', '20201201', '{users}']]}\nservices:\n")
	for i := range services {
		fmt.Fprintf(&b, "  s%d: {usage_capacity_per_node: 1000, process: {cores_per_node: 2, ram_per_node: 4}}\n", i)
	}
	b.WriteString("sets:\n  size: [")
	for i := range 10 {
		fmt.Fprintf(&b, "{name: s%d, users: %d}, ", i, 100*(i+1))
	}
	b.WriteString("]\n  pace: [{name: a}, {name: b}, {name: c}, {name: d}, {name: e}]\n")
	return b.String()
}

// TestModelEndpointsRefuseConfigsOverBudget: 50 scenarios × 2 dates × 11
// services is 1,100 table rows, over the portal's 1,000, though within
// the engine's own limits: refused before running, with the sum shown, on
// the API and on the form; 10 services pass.
func TestModelEndpointsRefuseConfigsOverBudget(t *testing.T) {
	srv := handlerstest.NewServer(t)
	for _, format := range []string{"", "?format=xlsx", "?format=csv"} {
		began := time.Now()
		resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model"+format, []byte(bigModel(11)))
		wantProblem(t, resp, body, "config", "asks for 1100 table rows (50 scenarios from sets × 2 summary dates × 11 services); the portal computes at most 1000")
		if d := time.Since(began); d > 5*time.Second {
			t.Errorf("refusing took %v", d)
		}
	}
	if resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model?format=xlsx", []byte(bigModel(10))); resp.StatusCode != http.StatusOK {
		t.Errorf("1,000 rows as XLSX = %d, want 200\n%.300s", resp.StatusCode, body)
	}
	resp, body := post(t, srv, "/sizing/model", url.Values{"config": {bigModel(11)}, "format": {"xlsx"}}.Encode())
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "asks for 1100 table rows") {
		t.Errorf("the form with 1,100 rows = %d, want 422 with the sum", resp.StatusCode)
	}
}

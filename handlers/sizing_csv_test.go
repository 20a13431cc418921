package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// hostileConfig names its services, storage groups, OS storage group and
// set items with text a spreadsheet would run as a formula.
const hostileConfig = `estimation_buffer: 0.25
storage_buffer: 0.33
vm_os_storage_gb: 50
vm_os_storage_group: "-os"
sets:
  size:
    - {name: "@set", n: 100}
usage:
  users: {model: date_range_value, ranges: [['20170101', '20170401', '{n}']]}
services:
  "=cmd|' /C calc'!A0":
    usage_capacity_per_node: 50
    process: {cores_per_node: 2, ram_per_node: 8}
    storage:
      group: "=HYPERLINK(\"http://evil.example\",\"x\")"
      static_baseline: 10GB
  "@SUM(1+1)":
    static_number: 1
    aggregation_key: "+agg"
    process: {cores_per_node: 1, ram_per_node: 2}
    storage: {group: "\tgroup", static_baseline: 1GB}
  "\r-cr":
    static_number: 1
    process: {cores_per_node: 1, ram_per_node: 2}
`

// formulaCells returns the cells of a CSV a spreadsheet would evaluate:
// text starting with =, +, -, @, tab or carriage return. Numbers, negative
// ones included, are not formulas.
func formulaCells(recs [][]string) []string {
	var out []string
	for _, rec := range recs {
		for _, c := range rec {
			if c == "" || !strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				continue
			}
			if _, err := strconv.ParseFloat(c, 64); err == nil {
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

func TestSizingCSVNeutralisesFormulas(t *testing.T) {
	srv := handlerstest.NewServer(t)
	type download struct {
		route string
		body  string
	}
	var got []download
	resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model", []byte(hostileConfig), "Accept", "text/csv")
	wantAttachment(t, resp, "text/csv", "commcare-resource-model.csv")
	got = append(got, download{"POST /api/v1/sizing/commcare/model (Accept: text/csv)", body})
	resp, body = postYAML(t, srv, "/api/v1/sizing/commcare/model?format=csv", []byte(hostileConfig))
	wantAttachment(t, resp, "text/csv", "commcare-resource-model.csv")
	got = append(got, download{"POST /api/v1/sizing/commcare/model?format=csv", body})
	resp, body = post(t, srv, "/sizing/model", url.Values{"config": {hostileConfig}, "format": {"csv"}}.Encode())
	wantAttachment(t, resp, "text/csv", "commcare-resource-model.csv")
	got = append(got, download{"POST /sizing/model (csv)", body})
	// The other CSV routes take numbers only; they must stay clean too.
	const simple = "start_date=2025-01&current_users=500&end_date=2026-12&target_users=5000&existing_forms=1000000" +
		"&existing_cases=200000&forms_per_user_month=100&new_cases_per_user_month=20&updated_cases_per_user_month=60&format=csv"
	resp, body = get(t, srv, "/api/v1/sizing/commcare/simple?"+simple)
	wantAttachment(t, resp, "text/csv", "commcare-estimate.csv")
	got = append(got, download{"GET /api/v1/sizing/commcare/simple?format=csv", body})
	resp, body = get(t, srv, "/api/v1/sizing/opencrvs?"+crvsQuery+"&format=csv")
	wantAttachment(t, resp, "text/csv", "opencrvs-estimate.csv")
	got = append(got, download{"GET /api/v1/sizing/opencrvs?format=csv", body})

	for i, d := range got {
		recs := readCSV(t, d.body)
		if bad := formulaCells(recs); len(bad) > 0 {
			t.Errorf("%s: cells a spreadsheet would evaluate: %q", d.route, bad)
		}
		if i >= 3 {
			continue
		}
		// The hostile names are all there, neutralised and otherwise intact.
		for _, want := range []string{"'=cmd|' /C calc'!A0", "'@SUM(1+1)", "'\r-cr", `'=HYPERLINK("http://evil.example","x")`,
			"'\tgroup", "'-os", "'+agg", "'@set"} {
			if !hasCell(recs, want) {
				t.Errorf("%s: no cell %q", d.route, want)
			}
		}
		// Numbers stay numbers: the first service's 2 VMs of 2 cores.
		if row := findRow(recs, "'=cmd|' /C calc'!A0"); row == nil || row[1] != "2" || row[4] != "3" {
			t.Errorf("%s: the first service's row = %q, want 2 cores per VM and 3 VMs", d.route, row)
		}
	}
}

func hasCell(recs [][]string, want string) bool {
	for _, rec := range recs {
		for _, c := range rec {
			if c == want {
				return true
			}
		}
	}
	return false
}

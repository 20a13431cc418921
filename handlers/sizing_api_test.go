package handlers_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"groundwork/assessment/sizing"
	"groundwork/handlers/handlerstest"
)

func init() {
	everyone := func(status int) want { return same(status, nil) }
	matrix["GET /sizing"] = everyone200
	matrix["GET /sizing/tier"] = everyone(http.StatusSeeOther) // not htmx: sent to the page
	matrix["GET /sizing/simple"] = everyone(http.StatusSeeOther)
	matrix["GET /sizing/opencrvs"] = everyone(http.StatusSeeOther)
	matrix["GET /sizing/model"] = everyone200
	matrix["POST /sizing/model"] = everyone(http.StatusUnprocessableEntity) // no config
	matrix["GET /api/v1/sizing/commcare"] = everyone(http.StatusBadRequest) // users missing
	matrix["POST /api/v1/sizing/commcare/model"] = everyone(http.StatusBadRequest)
	matrix["GET /api/v1/sizing/commcare/simple"] = everyone(http.StatusBadRequest)
	matrix["POST /api/v1/sizing/commcare/simple"] = everyone(http.StatusBadRequest)
	matrix["GET /api/v1/sizing/opencrvs"] = everyone(http.StatusBadRequest)
}

// testdata reads one of the sizing engine's test configs.
func testdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("../assessment/sizing/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// getJSON fetches path and decodes its JSON body into v, returning the
// response.
func getJSON(t *testing.T, srv *httptest.Server, path string, v any) *http.Response {
	t.Helper()
	resp, body := get(t, srv, path)
	decodeBody(t, resp, body, v)
	return resp
}

func decodeBody(t *testing.T, resp *http.Response, body string, v any) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: Content-Type %q, want JSON\n%.300s", resp.Request.URL.Path, ct, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("%s: %v\n%.300s", resp.Request.URL.Path, err, body)
	}
}

type problemBody struct {
	Error, Field, Problem string
}

// wantProblem checks a 400 that names field, its problem containing text.
func wantProblem(t *testing.T, resp *http.Response, body, field, text string) {
	t.Helper()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("%s: status %d, want 400\n%.300s", resp.Request.URL, resp.StatusCode, body)
		return
	}
	var p problemBody
	decodeBody(t, resp, body, &p)
	if p.Field != field || !strings.Contains(p.Problem, text) || !strings.Contains(p.Error, p.Problem) {
		t.Errorf("%s: got %+v, want field %q with a problem containing %q", resp.Request.URL, p, field, text)
	}
}

func TestSizingTierAPI(t *testing.T) {
	srv := handlerstest.NewServer(t)
	tests := []struct {
		query   string
		tier    string
		servers int
	}{
		{"users=0", "single", 1},
		{"users=1499", "single", 1},
		{"users=1500", "micro", 2},
		{"users=3499", "micro", 2},
		{"users=3500", "small", 5},
		{"users=14999", "small", 5},
		{"users=15000", "large", 6},
		{"users=15,000&ha=false", "large", 6},
		{"users=1499&ha=true", "micro", 2},
		{"users=100&ha=1", "micro", 2},
		{"users=2000000", "large", 6},
	}
	for _, tt := range tests {
		var got struct {
			Tier      string
			Name      string
			Servers   int
			PerServer struct {
				VCPUs  int     `json:"vcpus"`
				RAMGB  int     `json:"ram_gb"`
				DiskTB float64 `json:"disk_tb"`
			} `json:"per_server"`
			Reasons []string
		}
		resp := getJSON(t, srv, "/api/v1/sizing/commcare?"+tt.query, &got)
		if resp.StatusCode != http.StatusOK || got.Tier != tt.tier || got.Servers != tt.servers || len(got.Reasons) == 0 || got.Name == "" {
			t.Errorf("%s: %d %+v, want tier %s with %d servers and reasons", tt.query, resp.StatusCode, got, tt.tier, tt.servers)
		}
		if strings.Contains(tt.query, "ha=true") && got.PerServer.RAMGB != 32 {
			t.Errorf("%s: HA micro cluster servers have %d GB RAM, want 32", tt.query, got.PerServer.RAMGB)
		}
	}
}

func TestSizingTierAPIRefusesBadInput(t *testing.T) {
	srv := handlerstest.NewServer(t)
	tests := []struct{ query, field, problem string }{
		{"", "users", "required"},
		{"users=-1", "users", "must not be negative"},
		{"users=many", "users", "must be a whole number such as 12 or 2,500"},
		{"users=1,5", "users", "a comma only separates thousands"},
		{"users=12.5", "users", "whole number"},
		{"users=100&format=csv", "format", `unknown format "csv" (use json)`},
		{"users=100&ha=maybe", "ha", "not true or false"},
	}
	for _, tt := range tests {
		resp, body := get(t, srv, "/api/v1/sizing/commcare?"+tt.query)
		wantProblem(t, resp, body, tt.field, tt.problem)
	}
}

// The seed's worked example, recomputed: 30M people, 17.299 births and 7.7
// deaths per 1000, 3 attachments a record.
const crvsQuery = "population=30000000&birth_rate=17.299&death_rate=7.7&attachments=3"

type crvsBody struct {
	Scale             string
	Years             int
	RecordsPerYear    float64 `json:"records_per_year"`
	AttachmentsGB     float64 `json:"attachments_gb"`
	RecordDataGB      float64 `json:"record_data_gb"`
	OSGB              float64 `json:"os_gb"`
	AppDiskGB         float64 `json:"app_disk_gb"`
	BackupDiskGB      float64 `json:"backup_disk_gb"`
	ProductionServers int     `json:"production_servers"`
	Environments      []struct {
		Name   string
		Count  int
		RAMGB  int     `json:"ram_gb"`
		CPUs   int     `json:"cpus"`
		DiskGB float64 `json:"disk_gb"`
		OS     string
	}
	Breakdown []struct{ Name, Formula string }
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestSizingOpenCRVSAPI(t *testing.T) {
	srv := handlerstest.NewServer(t)
	tests := []struct {
		name, query                 string
		records, attGB, app, backup float64
		prod                        int
		envs                        []string
	}{
		{"worked example", crvsQuery, 749_970, 899.964, 1013.7109501, 2027.4219002, 3,
			[]string{"qa", "production", "staging", "backup"}},
		{"thousands separators", "population=30,000,000&birth_rate=17.299&death_rate=7.7&attachments=3", 749_970, 899.964, 1013.7109501, 2027.4219002, 3, nil},
		{"records given", "records_per_year=749970&population=61000000&attachments=3", 749_970, 899.964, 1013.7109501, 2027.4219002, 5, nil},
		{"five years", crvsQuery + "&years=5", 749_970, 899.964, 100 + 5*913.7109501, 2 * (100 + 5*913.7109501), 3, nil},
		{"pilot", "records_per_year=1000&attachments=1&scale=pilot", 1000, 0.4, 100.41833, 200.83666, 1,
			[]string{"qa", "production", "staging", "backup"}},
		{"proof of concept", "records_per_year=1000&attachments=1&scale=poc", 1000, 0.4, 100.41833, 200.83666, 0, []string{"qa"}},
	}
	for _, tt := range tests {
		var got crvsBody
		resp := getJSON(t, srv, "/api/v1/sizing/opencrvs?"+tt.query, &got)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", tt.name, resp.StatusCode)
			continue
		}
		if got.RecordsPerYear != tt.records || !near(got.AttachmentsGB, tt.attGB) || !near(got.AppDiskGB, tt.app) ||
			!near(got.BackupDiskGB, tt.backup) || got.ProductionServers != tt.prod {
			t.Errorf("%s: records %v, attachments %v GB, app disk %v GB, backup %v GB, %d production servers; want %v, %v, %v, %v, %d",
				tt.name, got.RecordsPerYear, got.AttachmentsGB, got.AppDiskGB, got.BackupDiskGB, got.ProductionServers,
				tt.records, tt.attGB, tt.app, tt.backup, tt.prod)
		}
		if tt.envs != nil {
			var names []string
			for _, e := range got.Environments {
				names = append(names, e.Name)
			}
			if !reflect.DeepEqual(names, tt.envs) {
				t.Errorf("%s: environments %v, want %v", tt.name, names, tt.envs)
			}
		}
	}

	var ex crvsBody
	getJSON(t, srv, "/api/v1/sizing/opencrvs?"+crvsQuery, &ex)
	if !near(ex.RecordDataGB, 13.7469501) || ex.OSGB != 100 {
		t.Errorf("record data %v GB, OS %v GB; want 13.7469501 and 100", ex.RecordDataGB, ex.OSGB)
	}
	formulas := ""
	for _, s := range ex.Breakdown {
		formulas += s.Formula + "\n"
	}
	for _, want := range []string{"30,000,000 × (17.299 + 7.7) / 1000 = 749,970", "749,970 × 3 × 0.4 MB = 899,964 MB", "2 × 1,013.7109501 GB = 2,027.4219002 GB"} {
		if !strings.Contains(formulas, want) {
			t.Errorf("breakdown lacks %q:\n%s", want, formulas)
		}
	}
	for _, e := range ex.Environments {
		if e.Name == "production" && (e.Count != 3 || e.CPUs != 8 || e.RAMGB != 16 || !near(e.DiskGB, 1013.7109501)) {
			t.Errorf("production environment = %+v", e)
		}
	}
}

func TestSizingOpenCRVSAPIRefusesBadInput(t *testing.T) {
	srv := handlerstest.NewServer(t)
	tests := []struct{ query, field, problem string }{
		{"", "attachments", "required"},
		{"population=30000000&birth_rate=17&death_rate=7", "attachments", "required: the average number of supporting documents per record (0 if there are none)"},
		{"attachments=3", "population", "give a population"},
		{"population=30000000&birth_rate=17&death_rate=7&attachments=3&years=0", "years", "must be between 1 and 100 (got 0)"},
		{"population=-5&birth_rate=17&death_rate=7&attachments=3", "population", "must not be negative"},
		{"population=30000000&birth_rate=lots&death_rate=7&attachments=3", "birth_rate", "must be a number"},
		{"population=30000000&birth_rate=2,5&death_rate=7&attachments=3", "birth_rate", "the decimal mark is a point"},
		{"population=30000000&birth_rate=17,299&death_rate=7&attachments=3", "birth_rate", "at most 100 per 1000 people (got 17,299). The decimal mark is a point, and a comma only separates thousands: for 17 and a fraction, write 17.299."},
		{"population=30000000&birth_rate=170&death_rate=7&attachments=3", "birth_rate", "at most 100 per 1000 people (got 170)"},
		{"population=30000000&birth_rate=17&death_rate=7&attachments=-1", "attachments", "must not be negative"},
		{"population=30000000&birth_rate=17&death_rate=7&attachments=3&years=1000", "years", "between 1 and 100"},
		{"population=30000000&birth_rate=17&death_rate=7&attachments=3&scale=galactic", "scale", "unknown scale"},
		{"population=30000000&attachments=3", "birth_rate", "rates"},
		{crvsQuery + "&format=pdf", "format", `unknown format "pdf"`},
	}
	for _, tt := range tests {
		resp, body := get(t, srv, "/api/v1/sizing/opencrvs?"+tt.query)
		wantProblem(t, resp, body, tt.field, tt.problem)
	}
}

func TestSizingOpenCRVSAPIFiles(t *testing.T) {
	srv := handlerstest.NewServer(t)
	resp, body := get(t, srv, "/api/v1/sizing/opencrvs?"+crvsQuery+"&format=csv")
	wantAttachment(t, resp, "text/csv", "opencrvs-estimate.csv")
	recs := readCSV(t, body)
	if row := findRow(recs, "production"); row == nil || row[1] != "3" || row[4] != "1013.7109501" {
		t.Errorf("CSV production row = %q, want 3 servers with 1013.7109501 GB", row)
	}
	if row := findRow(recs, "attachments_per_year"); row == nil || !strings.Contains(row[1], "749,970 × 3 × 0.4 MB = 899,964 MB") || row[2] != "899.964" {
		t.Errorf("CSV attachments row = %q", row)
	}

	resp, body = get(t, srv, "/api/v1/sizing/opencrvs?"+crvsQuery, "Accept", "text/plain")
	wantAttachment(t, resp, "text/plain", "opencrvs-estimate.txt")
	if !strings.Contains(body, "749,970 × 3 × 0.4 MB = 899,964 MB = 899.964 GB") {
		t.Errorf("text download lacks the attachments step:\n%s", body)
	}
}

// wantAttachment checks a download's content type and file name.
func wantAttachment(t *testing.T, resp *http.Response, contentType, filename string) {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", resp.Request.URL, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, contentType) {
		t.Errorf("%s: Content-Type %q, want %s", resp.Request.URL, ct, contentType)
	}
	disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != filename {
		t.Errorf("%s: Content-Disposition %q, want an attachment named %s", resp.Request.URL, resp.Header.Get("Content-Disposition"), filename)
	}
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(body))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%.300s", err, body)
	}
	return recs
}

// findRow returns the first record whose first cell is first.
func findRow(recs [][]string, first string) []string {
	for _, r := range recs {
		if len(r) > 0 && r[0] == first {
			return r
		}
	}
	return nil
}

// postYAML posts a config to the model endpoint as a server would: no
// Origin, no Sec-Fetch-Site.
func postYAML(t *testing.T, srv *httptest.Server, path string, body []byte, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/yaml")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

type modelBody struct {
	Summaries []struct {
		Date           string
		Users          float64
		StorageUnit    string             `json:"storage_unit"`
		StorageByGroup map[string]float64 `json:"storage_by_group"`
		VMsBySize      map[string]int     `json:"vms_by_size"`
		Totals         struct {
			VMs   int
			Cores float64
			RAMGB float64 `json:"ram_gb"`
		}
		Services []map[string]any
	}
}

func TestSizingModelAPI(t *testing.T) {
	srv := handlerstest.NewServer(t)
	// The reference page's cross-check values, through HTTP.
	tests := []struct {
		config, date string
		vms          int
		cores, ram   float64
		groups       map[string]float64
	}{
		{"echis.yml", "2021-07", 29, 83, 316, map[string]float64{"SSD": 4.31, "SAS": 0.45463, "VM_os": 2, "VM_other": 0.35}},
		{"echis.yml", "2022-06", 31, 91, 348, map[string]float64{"SSD": 27.063, "SAS": 2.635}},
		{"reach_40k.yml", "2019-12", 91, 1896, 8792, map[string]float64{"SSD": 209.74, "SAS": 19.6882}},
	}
	for _, tt := range tests {
		resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model", testdata(t, tt.config))
		var got modelBody
		decodeBody(t, resp, body, &got)
		found := false
		for _, s := range got.Summaries {
			if s.Date != tt.date {
				continue
			}
			found = true
			if s.Totals.VMs != tt.vms || s.Totals.Cores != tt.cores || s.Totals.RAMGB != tt.ram {
				t.Errorf("%s@%s: %d VMs, %v cores, %v GB; want %d, %v, %v", tt.config, tt.date, s.Totals.VMs, s.Totals.Cores, s.Totals.RAMGB, tt.vms, tt.cores, tt.ram)
			}
			for g, want := range tt.groups {
				if s.StorageByGroup[g] != want {
					t.Errorf("%s@%s: storage %s = %v %s, want %v", tt.config, tt.date, g, s.StorageByGroup[g], s.StorageUnit, want)
				}
			}
			if len(s.Services) == 0 || s.Services[0]["vms_total"] == nil || s.Services[0]["storage_group"] == nil {
				t.Errorf("%s@%s: services lack the per-service columns: %v", tt.config, tt.date, s.Services)
			}
		}
		if !found {
			t.Errorf("%s: no summary at %s", tt.config, tt.date)
		}
	}

	// Every config answers exactly what the engine computes.
	for _, name := range []string{"echis", "reach_40k", "bka-test"} {
		resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model", testdata(t, name+".yml"))
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d\n%.300s", name, resp.StatusCode, body)
			continue
		}
		var got, want any
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatal(err)
		}
		res, err := sizing.RunYAML(testdata(t, name+".yml"))
		if err != nil {
			t.Fatal(err)
		}
		direct, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(direct, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the API's JSON differs from the engine's own result", name)
		}
	}
}

func TestSizingModelAPIFiles(t *testing.T) {
	srv := handlerstest.NewServer(t)
	echis := testdata(t, "echis.yml")

	resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model", echis, "Accept", "text/csv")
	wantAttachment(t, resp, "text/csv", "commcare-resource-model.csv")
	recs := readCSV(t, body)
	if row := findRow(recs, "Summary"); row == nil || row[1] != "2021-07" || row[3] != "12600" {
		t.Errorf("first CSV summary line = %q, want 2021-07 with 12600 users", row)
	}
	// The first Totals table is 2021-07's: header, then 29 VMs, 83 cores, 316 GB.
	for i, r := range recs {
		if len(r) == 1 && r[0] == "Totals" {
			if got := recs[i+2]; !reflect.DeepEqual(got, []string{"29", "83", "316"}) {
				t.Errorf("CSV totals = %q, want 29, 83, 316", got)
			}
			break
		}
	}

	resp, body = postYAML(t, srv, "/api/v1/sizing/commcare/model?format=xlsx", echis)
	wantAttachment(t, resp, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "commcare-resource-model.xlsx")
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	defer f.Close()
	// The original's workbook: comparisons, one sheet per summary date,
	// usage, raw data per service and the config.
	sheets := f.GetSheetList()
	want := []string{"Comparisons", "Incremental Comparisons", "2021-07-01 - 12K users", "2021-12-01 - 16K users", "2022-06-01 - 20K users", "Usage"}
	if len(sheets) < len(want)+2 || strings.Join(sheets[:len(want)], "|") != strings.Join(want, "|") || sheets[len(sheets)-1] != "Config" {
		t.Errorf("sheets = %q, want %q, raw data sheets, then Config", sheets, want)
	}
	rows, err := f.GetRows("Comparisons")
	if err != nil || len(rows) < 3 {
		t.Fatalf("Comparisons sheet: %v, %d rows", err, len(rows))
	}
	if strings.Join(rows[2], ",") != "User count,12600,16200,20000" {
		t.Errorf("Comparisons user counts = %q", rows[2])
	}
	if rows, _ := f.GetRows("Config"); len(rows) < 4 || !strings.HasPrefix(rows[3][0], "# Dimagi's eCHIS profile") {
		t.Errorf("the Config sheet lacks the posted config: %q", rows[:min(4, len(rows))])
	}

	resp, body = postYAML(t, srv, "/api/v1/sizing/commcare/model?format=ods", echis)
	wantProblem(t, resp, body, "format", "unknown format")
	// curl sends --data-binary as a form too, with the file as it is: read.
	if resp, body := post(t, srv, "/api/v1/sizing/commcare/model", string(echis), "Content-Type", "application/x-www-form-urlencoded"); resp.StatusCode != http.StatusOK {
		t.Errorf("the config sent as curl --data-binary sends it = %d\n%.300s", resp.StatusCode, body)
	}
	// curl -d drops its line breaks: said so.
	resp, body = post(t, srv, "/api/v1/sizing/commcare/model", strings.ReplaceAll(string(echis), "\n", ""), "Content-Type", "application/x-www-form-urlencoded")
	wantProblem(t, resp, body, "config", "send it with curl --data-binary @config.yml")
}

func TestSizingModelAPIRefusesBadConfigs(t *testing.T) {
	srv := handlerstest.NewServer(t)
	const head = "estimation_buffer: 0.25\nstorage_buffer: 0.33\nvm_os_storage_gb: 50\nvm_os_storage_group: VM_os\n" +
		"services:\n  app: {static_number: 1, process: {cores_per_node: 2, ram_per_node: 4}}\nusage:\n" +
		"  users: {model: date_range_value, ranges: [['20170101', '20170401', 100]]}\n"
	tests := []struct {
		name, doc, field, problem string
	}{
		{"empty", "", "config", ""},
		{"not YAML", "{{{", "config", ""},
		{"negative", head + "  f: {model: derived_factor, dependant_field: users, factor: -2}\n", "usage.f.factor", "must not be negative"},
		{"non-numeric", head + "  f: {model: derived_factor, dependant_field: users, factor: lots}\n", "usage.f.factor", "not a number"},
		{"unknown usage model", head + "  f: {model: exponential, dependant_field: users}\n", "usage.f.model", `unknown usage model "exponential"`},
		{"cycle", head + "  a: {model: derived_factor, dependant_field: b, factor: 1}\n  b: {model: cumulative, dependant_field: a}\n",
			"usage.a.dependant_field", "dependency cycle"},
		{"missing dependant field", head + "  f: {model: cumulative, dependant_field: forms}\n", "usage.f.dependant_field", `unknown usage field "forms"`},
		{"date range backwards", strings.Replace(head, "['20170101', '20170401', 100]", "['20210601', '20210101', 5]", 1),
			"usage.users.ranges[0]", "backwards"},
	}
	for _, tt := range tests {
		resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model", []byte(tt.doc))
		wantProblem(t, resp, body, tt.field, tt.problem)
	}
}

func TestSizingModelAPIIsSafe(t *testing.T) {
	srv := handlerstest.NewServer(t)

	// A billion laughs: 10^10 nodes once expanded, refused at once.
	var bomb strings.Builder
	bomb.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&bomb, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	bomb.WriteString("summary_dates: *a9\n")
	start := time.Now()
	resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model", []byte(bomb.String()))
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("the alias bomb took %v to refuse", elapsed)
	}
	wantProblem(t, resp, body, "config", "alias")

	// Over 1 MiB: 413 with a JSON body, whether or not the length is declared.
	big := bytes.Repeat([]byte("# padding\n"), (1<<20)/10+1)
	for _, chunked := range []bool{false, true} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/sizing/commcare/model", bytes.NewReader(big))
		if chunked {
			req.Body = io.NopCloser(bytes.NewReader(big)) // hides the length
			req.ContentLength = -1
		}
		resp, body := do(t, req)
		var p problemBody
		if resp.StatusCode != http.StatusRequestEntityTooLarge || json.Unmarshal([]byte(body), &p) != nil || !strings.Contains(p.Error, "1 MB") {
			t.Errorf("%d-byte body (chunked %v): %d %.200s, want 413 with a JSON error", len(big), chunked, resp.StatusCode, body)
		}
	}

	// A browser on another site may not post; a server may.
	echis := testdata(t, "echis.yml")
	resp, body = postYAML(t, srv, "/api/v1/sizing/commcare/model", echis, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	var p problemBody
	if resp.StatusCode != http.StatusForbidden || json.Unmarshal([]byte(body), &p) != nil || p.Error == "" {
		t.Errorf("cross-origin browser POST: %d %.200s, want 403 with a JSON error", resp.StatusCode, body)
	}
	if resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model", echis); resp.StatusCode != http.StatusOK {
		t.Errorf("server-to-server POST: %d %.200s, want 200", resp.StatusCode, body)
	}
	if resp, body := postYAML(t, srv, "/api/v1/sizing/commcare/model", echis, "Sec-Fetch-Site", "same-origin"); resp.StatusCode != http.StatusOK {
		t.Errorf("same-origin browser POST: %d %.200s, want 200", resp.StatusCode, body)
	}
}

func TestSizingSimpleAPI(t *testing.T) {
	srv := handlerstest.NewServer(t)
	const q = "start_date=2025-01&current_users=500&end_date=2026-12&target_users=5000&existing_forms=1000000" +
		"&existing_cases=200000&forms_per_user_month=100&new_cases_per_user_month=20&updated_cases_per_user_month=60"
	jsonBody := `{"start_date": "2025-01", "current_users": 500, "end_date": "2026-12", "target_users": 5000,
		"existing_forms": 1000000, "existing_cases": 200000, "forms_per_user_month": 100,
		"new_cases_per_user_month": 20, "updated_cases_per_user_month": 60}`

	var viaGet, viaForm, viaJSON modelBody
	getJSON(t, srv, "/api/v1/sizing/commcare/simple?"+q, &viaGet)
	resp, body := post(t, srv, "/api/v1/sizing/commcare/simple", q)
	decodeBody(t, resp, body, &viaForm)
	resp, body = post(t, srv, "/api/v1/sizing/commcare/simple", jsonBody, "Content-Type", "application/json")
	decodeBody(t, resp, body, &viaJSON)
	if len(viaGet.Summaries) != 2 || viaGet.Summaries[0].Date != "2025-01" || viaGet.Summaries[1].Date != "2026-12" || viaGet.Summaries[1].Users != 5000 {
		t.Fatalf("summaries = %+v, want 2025-01 and 2026-12 with 5000 users", viaGet.Summaries)
	}
	if !reflect.DeepEqual(viaGet, viaForm) || !reflect.DeepEqual(viaGet, viaJSON) {
		t.Error("GET, form POST and JSON POST answer differently")
	}
	if last := viaGet.Summaries[1].Totals; last.VMs != 27 || last.Cores != 75 || last.RAMGB != 284 {
		t.Errorf("totals at 2026-12 = %+v, want the engine's 27 VMs, 75 cores, 284 GB", last)
	}

	resp, _ = get(t, srv, "/api/v1/sizing/commcare/simple?"+q+"&format=xlsx")
	wantAttachment(t, resp, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "commcare-estimate.xlsx")
	resp, body = post(t, srv, "/api/v1/sizing/commcare/simple", q+"&format=csv")
	wantAttachment(t, resp, "text/csv", "commcare-estimate.csv")
	if row := findRow(readCSV(t, body), "Summary"); row == nil || row[1] != "2025-01" {
		t.Errorf("CSV summary line = %q", row)
	}

	bad := []struct{ method, body, contentType, field, problem string }{
		{"GET", "start_date=2025-01&current_users=-3", "", "current_users", "must not be negative"},
		{"GET", "start_date=2025-06&current_users=10&end_date=2025-01", "", "end_date", "backwards"},
		{"POST", "start_date=2025-01&current_users=ten", "application/x-www-form-urlencoded", "current_users", "must be a whole number"},
		{"POST", `{"start_date": "2025-01", "current_users": "ten"}`, "application/json", "current_users", "must be a JSON number"},
		{"POST", `{"start_date": "2025-01", "users": 10}`, "application/json", "users", "unknown field"},
		{"POST", `{"start_date": `, "application/json", "body", "not a JSON object"},
	}
	for _, b := range bad {
		var resp *http.Response
		var body string
		if b.method == "GET" {
			resp, body = get(t, srv, "/api/v1/sizing/commcare/simple?"+b.body)
		} else {
			resp, body = post(t, srv, "/api/v1/sizing/commcare/simple", b.body, "Content-Type", b.contentType)
		}
		wantProblem(t, resp, body, b.field, b.problem)
	}
}

// TestSizingPageAPIExamplesWork runs every GET example the calculator page
// gives (curl lines without a config file) against the server: each
// answers 200 with JSON.
func TestSizingPageAPIExamplesWork(t *testing.T) {
	srv := handlerstest.NewServer(t)
	_, page := get(t, srv, "/sizing")
	examples := regexp.MustCompile(`curl '[^']*?(/api/v1/[^']+)'`).FindAllStringSubmatch(html.UnescapeString(page), -1)
	if len(examples) < 3 {
		t.Fatalf("the page gives %d GET examples, want the tier, the simple model and OpenCRVS", len(examples))
	}
	for _, ex := range examples {
		resp, body := get(t, srv, ex[1])
		if resp.StatusCode != http.StatusOK || !json.Valid([]byte(body)) {
			t.Errorf("the page's example %s = %d\n%.300s", ex[1], resp.StatusCode, body)
		}
	}
}

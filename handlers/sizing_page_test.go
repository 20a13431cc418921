package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// inputValue returns the value attribute of the input with id, or "" (and
// false) when there is no such input.
func inputValue(body, id string) (string, bool) {
	m := regexp.MustCompile(`<input[^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(body)
	if m == "" {
		return "", false
	}
	v := regexp.MustCompile(`value="([^"]*)"`).FindStringSubmatch(m)
	if v == nil {
		return "", true
	}
	return v[1], true
}

func TestSizingPageWithoutJavaScript(t *testing.T) {
	srv := handlerstest.NewServer(t)
	tests := []struct {
		name   string
		query  string
		status int
		want   []string
		// field and value typed: the page keeps the value in the input
		field, value string
		// fieldErr is the field whose message must show beside it
		fieldErr string
	}{
		{"examples", "", http.StatusOK,
			[]string{`<h1>Sizing calculator</h1>`, `aria-current="page"`, "Micro cluster: 2 servers.",
				"749,970 × 3 × 0.4 MB = 899,964 MB = 899.964 GB", "needs baseline usage from a running deployment",
				`class="table-wrap"`, `aria-live="polite"`, `hx-trigger="submit, input changed delay:300ms`,
				// Needed at national scale: not marked optional.
				`<label for="f-population">Population </label>`, `<label for="f-birth_rate">Crude birth rate </label>`,
				// The five years an assessment's estimate assumes, as the example.
				`id="f-years" name="years" type="text" value="5"`, "GB of disk for 5 years"},
			"population", "30,000,000", ""},
		{"1,499 users", "calc=tier&users=1,499", http.StatusOK, []string{"Single server: 1 server."}, "users", "1,499", ""},
		{"1,500 users", "calc=tier&users=1500", http.StatusOK, []string{"Micro cluster: 2 servers."}, "users", "1500", ""},
		{"HA", "calc=tier&users=100&ha=on", http.StatusOK, []string{"Micro cluster: 2 servers.", `id="f-ha" name="ha" value="on" checked`}, "users", "100", ""},
		{"15,000 users", "calc=tier&users=15000", http.StatusOK, []string{"Large cluster: more than 5 servers."}, "users", "15000", ""},
		{"negative users", "calc=tier&users=-5", http.StatusUnprocessableEntity,
			[]string{"There is a problem", "Expected mobile users: must not be negative (got -5).", `href="#f-users"`},
			"users", "-5", "users"},
		{"non-numeric population", "calc=opencrvs&scale=national&population=lots&birth_rate=17&death_rate=7&attachments=3",
			http.StatusUnprocessableEntity, []string{`Population: must be a whole number such as 12 or 2,500.`}, "population", "lots", "population"},
		{"decimal comma", "calc=opencrvs&scale=national&population=8900000&birth_rate=2,5&death_rate=9&attachments=2",
			http.StatusUnprocessableEntity, []string{"Crude birth rate: must be a number such as 2.5 or 2,500: the decimal mark is a point, and a comma only separates thousands."}, "birth_rate", "2,5", "birth_rate"},
		{"no population", "calc=opencrvs&scale=national&birth_rate=17&death_rate=7&attachments=2",
			http.StatusUnprocessableEntity, []string{"Population: give a population with birth and death rates, or the records per year."}, "population", "", "population"},
		{"OpenCRVS five years", "calc=opencrvs&scale=national&population=30000000&birth_rate=17.299&death_rate=7.7&attachments=3&years=5",
			http.StatusOK, []string{"100 GB + 5 × (13.7469501 GB + 899.964 GB) = 4,668.5547505 GB", "Application server disk, every year kept",
				`<svg class="chart chart-wide"`, `<svg class="chart chart-narrow"`, `aria-label="Application server disk (GB)"`, `aria-label="Backup server disk (GB)"`, ">Year 5</text>",
				`href="/api/v1/sizing/opencrvs?attachments=3&amp;birth_rate=17.299&amp;death_rate=7.7&amp;format=csv&amp;population=30000000&amp;scale=national&amp;years=5"`},
			"years", "5", ""},
		{"simple model", "calc=simple&start_date=2025-01&current_users=500&end_date=2026-12&target_users=5000&existing_forms=1000000" +
			"&existing_cases=200000&forms_per_user_month=100&new_cases_per_user_month=20&updated_cases_per_user_month=60",
			http.StatusOK, []string{"At 2026-12, with 5,000 users: 27 VMs, 75 cores, 284 GB RAM", "Services at 2025-01: 500 users",
				"Forms a month = users × 100; forms in total = 1,000,000 + the forms of every month.",
				`aria-label="Virtual machines"`, `aria-label="Cores"`, `aria-label="RAM (GB)"`, `aria-label="Storage (`, ">2026-12</text>",
				`href="/api/v1/sizing/commcare/simple?current_users=500&amp;end_date=2026-12`, "format=xlsx"},
			"target_users", "5000", ""},
		{"simple model with attachments", "calc=simple&start_date=2025-01&current_users=500&end_date=2026-12&target_users=5000&existing_forms=1000000" +
			"&existing_cases=200000&forms_per_user_month=100&new_cases_per_user_month=20&updated_cases_per_user_month=60&attachment_kb_per_form=1500",
			http.StatusOK, []string{"At 2026-12, with 5,000 users:", "plus the average size of its attachments",
				`attachment_kb_per_form=1500&amp;current_users=500`}, // kept in the downloads
			"attachment_kb_per_form", "1500", ""},
		{"target without end", "calc=simple&start_date=2025-06&current_users=500&target_users=5000&forms_per_user_month=100",
			http.StatusUnprocessableEntity, []string{"End month: required with the projected users: the month the target is reached."},
			"target_users", "5000", "end_date"},
		{"huge users", "calc=tier&users=99999999999999999999", http.StatusUnprocessableEntity,
			[]string{"Expected mobile users: 99999999999999999999 is too large."}, "users", "99999999999999999999", "users"},
		{"backwards dates", "calc=simple&start_date=2025-06&current_users=500&end_date=2025-01&forms_per_user_month=100",
			http.StatusUnprocessableEntity, []string{"End month: 2025-01 is before 2025-06: the date range is backwards."},
			"end_date", "2025-01", "end_date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, srv, "/sizing?"+tt.query)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if v, ok := inputValue(body, "f-"+tt.field); !ok || v != tt.value {
				t.Errorf("input %s = %q (found %v), want the typed %q kept", tt.field, v, ok, tt.value)
			}
			if tt.fieldErr != "" {
				errID := "f-" + tt.fieldErr + "-error"
				re := regexp.MustCompile(`id="` + errID + `"[\s\S]{0,400}<input[^>]*id="f-` + tt.fieldErr + `"[^>]*aria-describedby="[^"]*` + errID + `"[^>]*aria-invalid="true"`)
				if !re.MatchString(body) {
					t.Errorf("no message beside %s, linked to its input", tt.fieldErr)
				}
				if strings.Count(body, `class="field-error"`) != 1 {
					t.Errorf("%d field messages, want 1", strings.Count(body, `class="field-error"`))
				}
			}
		})
	}
}

func TestSizingFragments(t *testing.T) {
	srv := handlerstest.NewServer(t)
	hx := []string{"HX-Request", "true"}
	tests := []struct {
		path, want, status string
	}{
		{"/sizing/tier?users=1499", "Single server", "Single server: 1 server."},
		{"/sizing/tier?users=1500", "Micro cluster", "Micro cluster: 2 servers."},
		{"/sizing/tier?users=x", `<li data-field="users">Expected mobile users: must be a whole number such as 12 or 2,500.</li>`, "There is a problem."},
		{"/sizing/opencrvs?" + crvsQuery, "749,970 × 3 × 0.4 MB = 899,964 MB", "749,970 records a year: 3 production servers"},
		{"/sizing/opencrvs?" + strings.Replace(crvsQuery, "attachments=3", "attachments=-1", 1), `<li data-field="attachments">`, "Attachments per record: must not be negative"},
		{"/sizing/simple?start_date=2025-01&current_users=500", "Services at 2025-12: 500 users", "At 2025-12, with 500 users"},
	}
	for _, tt := range tests {
		resp, body := get(t, srv, tt.path, hx...)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d, want 200 (htmx swaps only successes)", tt.path, resp.StatusCode)
		}
		if strings.Contains(body, "<html") || strings.Contains(body, "<form") {
			t.Errorf("%s: the fragment holds the page or the form", tt.path)
		}
		if !strings.Contains(body, tt.want) {
			t.Errorf("%s: lacks %q\n%.500s", tt.path, tt.want, body)
		}
		// The status sentence is swapped into the live region out of band.
		re := regexp.MustCompile(`hx-swap-oob="innerHTML"[^>]*>\s*<span[^>]*>([^<]*)</span>`)
		if m := re.FindStringSubmatch(body); m == nil || !strings.Contains(m[1], tt.status) {
			t.Errorf("%s: out-of-band status = %q, want it to contain %q", tt.path, m, tt.status)
		}
	}

	// Outside htmx, a fragment address leads to the page with the same query.
	resp, _ := get(t, srv, "/sizing/tier?users=1500")
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || loc == nil || loc.Path != "/sizing" || loc.Query().Get("users") != "1500" ||
		loc.Query().Get("calc") != "tier" || loc.Fragment != "tier-h" {
		t.Errorf("GET /sizing/tier without htmx: %d to %q, want 303 to /sizing?calc=tier&users=1500#tier-h", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestSizingModelPage(t *testing.T) {
	srv := handlerstest.NewServer(t)
	resp, body := get(t, srv, "/sizing/model?example=echis")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "estimation_buffer: 0.25") || !strings.Contains(body, `<textarea id="f-config" name="config"`) {
		t.Fatalf("the example page: %d, the eCHIS config not in the textarea", resp.StatusCode)
	}

	echis := string(testdata(t, "echis.yml"))
	form := url.Values{"config": {echis}}
	resp, body = post(t, srv, "/sizing/model", form.Encode())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /sizing/model: %d", resp.StatusCode)
	}
	for _, want := range []string{"Services at 2021-07: 12,600 users", "<th scope=\"row\">pg_main</th>", `class="table-wrap"`,
		"Storage by group (TB)", "estimation_buffer: 0.25"} {
		if !strings.Contains(body, want) {
			t.Errorf("the model page lacks %q", want)
		}
	}
	// 2021-07's overview row: 29 VMs, 83 cores, 316 GB.
	if !regexp.MustCompile(`2021-07</th>\s*<td class="num">12,600</td>\s*<td class="num">29</td>\s*<td class="num">83</td>\s*<td class="num">316</td>`).MatchString(body) {
		t.Error("the overview lacks 2021-07's 29 VMs, 83 cores and 316 GB")
	}

	form.Set("format", "xlsx")
	resp, _ = post(t, srv, "/sizing/model", form.Encode())
	wantAttachment(t, resp, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "commcare-resource-model.xlsx")
	form.Set("format", "csv")
	resp, _ = post(t, srv, "/sizing/model", form.Encode())
	wantAttachment(t, resp, "text/csv", "commcare-resource-model.csv")

	bad := strings.Replace(echis, "model: 'cumulative'", "model: 'exponential'", 1)
	resp, body = post(t, srv, "/sizing/model", url.Values{"config": {bad}, "format": {"csv"}}.Encode())
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `unknown usage model &#34;exponential&#34;`) ||
		!strings.Contains(body, `id="f-config-error"`) || !strings.Contains(body, "model: &#39;exponential&#39;") {
		t.Errorf("a bad config: %d, want 422 with the message beside the textarea and the text kept", resp.StatusCode)
	}
}

func TestSizingInTheNavigation(t *testing.T) {
	srv := handlerstest.NewServer(t)
	_, body := get(t, srv, "/")
	if !strings.Contains(body, `<a href="/sizing">Sizing</a>`) {
		t.Error("the home page's navigation has no Sizing entry for visitors")
	}
	if !strings.Contains(body, `href="/sizing">try the sizing calculator</a>`) {
		t.Error("the home page does not link to the calculator")
	}
}

// TestSizingPageSaysEveryProblem: several fields that cannot be read are
// each refused beside their field at once, the status saying how many
// more there are; an empty attachments field is refused, not taken as 0.
func TestSizingPageSaysEveryProblem(t *testing.T) {
	srv := handlerstest.NewServer(t)
	resp, body := get(t, srv, "/sizing?calc=opencrvs&scale=national&population=lots&birth_rate=17,299&death_rate=7&attachments=")
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", resp.StatusCode)
	}
	for _, w := range []string{
		`id="f-population-error"`, "Population: must be a whole number such as 12 or 2,500.",
		`id="f-birth_rate-error"`, "Crude birth rate: must be at most 100 per 1000 people (got 17,299). The decimal mark is a point, and a comma only separates thousands: for 17 and a fraction, write 17.299.<",
		`id="f-attachments-error"`, "Attachments per record: required: the average number of supporting documents per record (0 if there are none).",
		"And 2 more, beside their fields.",
	} {
		if !strings.Contains(html.UnescapeString(body), w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if n := strings.Count(body, `class="field-error"`); n != 3 {
		t.Errorf("%d field messages, want 3", n)
	}
}

// TestSizingModelStatusRoundsLikeItsCharts: the status line's storage is
// rounded up to three digits, as the charts label it, not given to five.
func TestSizingModelStatusRoundsLikeItsCharts(t *testing.T) {
	srv := handlerstest.NewServer(t)
	_, body := get(t, srv, "/sizing?calc=simple&start_date=2025-01&current_users=500&end_date=2026-12&target_users=5000&existing_forms=1000000"+
		"&existing_cases=200000&forms_per_user_month=100&new_cases_per_user_month=20&updated_cases_per_user_month=60")
	m := regexp.MustCompile(`284 GB RAM and ([\d.,]+) (TB|GB) of storage\.`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no storage in the status line")
	}
	if digits := strings.Trim(strings.NewReplacer(".", "", ",", "").Replace(m[1]), "0"); len(digits) > 3 {
		t.Errorf("the status gives %s %s of storage, want three significant digits at most", m[1], m[2])
	}
	if !strings.Contains(body, ">"+m[1]+" "+m[2]+"</text>") {
		t.Errorf("the status's %s %s is not the storage chart's last label", m[1], m[2])
	}
}

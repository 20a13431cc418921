package assessment

import (
	"os"
	"slices"
	"strconv"
	"testing"
)

// mustTemplate returns an embedded template version or stops the test.
func mustTemplate(tb testing.TB, id string, version int) *Template {
	tb.Helper()
	c, err := Embedded()
	if err != nil {
		tb.Fatalf("Embedded() error: %v", err)
	}
	t, ok := c.Template(id, version)
	if !ok {
		tb.Fatalf("template %s version %d not found", id, version)
	}
	return t
}

func commcare(tb testing.TB) *Template { return mustTemplate(tb, "commcare-transition", 1) }

// sample returns a valid cell or scalar answer for the given type and
// constraints, ignoring cross-answer rules.
func sample(typ QuestionType, c *Constraints) string {
	switch typ {
	case TypeNumber:
		f := 10.0
		if c.Min != nil && f < *c.Min {
			f = *c.Min
		}
		if c.Max != nil && f > *c.Max {
			f = *c.Max
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	case TypeYesNo:
		return "yes"
	case TypeSingleChoice:
		return c.Choices[0].Value
	case TypeDate:
		return "2030-01-15"
	case TypeURL:
		return "https://docs.example.org/plan"
	case TypeEmail:
		return "lead@example.org"
	case TypeShortText:
		switch c.Format {
		case FormatDomain:
			return "hq.example.org"
		case FormatIP, FormatPublicIP:
			return "203.0.113.10"
		case FormatSentryDSN:
			return "https://abc123@o1.ingest.sentry.io/42"
		}
	}
	return "some text"
}

// sampleValue returns a valid answer to q.
func sampleValue(q *Question) Value {
	switch q.Type {
	case TypeMultiChoice:
		var l []string
		for _, ch := range q.Choices {
			l = append(l, ch.Value)
		}
		return Value{List: l}
	case TypePerson:
		return Value{Person: Person{Name: "Amina Diallo", JobFunction: "DevOps engineer", Email: "amina@example.org"}}
	case TypeTable:
		var rows [][]string
		for range 3 {
			row := make([]string, len(q.Columns))
			for i, col := range q.Columns {
				row[i] = sample(col.Type, &col.Constraints)
			}
			rows = append(rows, row)
		}
		return Value{Rows: rows}
	}
	return Value{Text: sample(q.Type, &q.Constraints)}
}

// answersFor answers every question of tpl with a sample value, then
// applies the overrides (an override with a zero Value deletes the answer).
func answersFor(tb testing.TB, tpl *Template, overrides map[string]Value) map[string]Value {
	tb.Helper()
	a := map[string]Value{}
	for _, q := range tpl.Questions() {
		a[q.Key] = sampleValue(q)
	}
	for k, v := range overrides {
		if _, ok := tpl.Question(k); !ok {
			tb.Fatalf("override for unknown question %q", k)
		}
		if v.IsZero() {
			delete(a, k)
		} else {
			a[k] = v
		}
	}
	return a
}

// confirmAll confirms every checkpoint of tpl.
func confirmAll(tpl *Template) map[string]bool {
	m := map[string]bool{}
	for _, c := range tpl.Checkpoints() {
		m[c.Key] = true
	}
	return m
}

func text(s string) Value { return Value{Text: s} }

func rows(r ...[]string) Value { return Value{Rows: r} }

// commcareOverrides make the sample answers satisfy every CommCare rule,
// blocking or warning.
var commcareOverrides = map[string]Value{
	"expected_users":                    text("2000"),
	"high_availability":                 text("no"),
	"server_configuration":              text("micro_cluster"),
	"hosting_option":                    text("on_premise"),
	"virtualization":                    text("virtual_machines"),
	"servers":                           rows([]string{"web", "8", "32", "2000", "ssd"}, []string{"db", "8", "32", "2000", "ssd"}),
	"hardware_warranty_years":           text("5"),
	"download_mbps":                     text("1000"),
	"upload_mbps":                       text("900"),
	"ups_minutes":                       text("30"),
	"safe_shutdown_minutes":             text("5"),
	"ubuntu_version":                    text("22.04"),
	"external_ports":                    rows([]string{"22", "ssh"}, []string{"80", "http"}, []string{"443", "https"}),
	"rpo_hours":                         text("24"),
	"replication_standby":               text("no"),
	"downtime_start":                    text("2030-03-01"),
	"downtime_end":                      text("2030-03-02"),
	"deploy_interval_days":              text("7"),
	"sla_first_response_days":           text("1"),
	"normal_load_users":                 text("1500"),
	"peak_load_users":                   text("2000"),
	"livepatch_service":                 text("ubuntu_advantage"),
	"changelog_turnaround_urgent_hours": text("4"),
	"changelog_turnaround_average_days": text("3"),
}

// fullCommCare is a fully answered, fully confirmed CommCare assessment.
func fullCommCare(tb testing.TB) (*Template, Input) {
	tpl := commcare(tb)
	return tpl, Input{Answers: answersFor(tb, tpl, commcareOverrides), Confirmed: confirmAll(tpl)}
}

// issueKeys lists the rule, question or checkpoint key of each issue.
func issueKeys(is []*Issue) []string {
	var out []string
	for _, i := range is {
		switch {
		case i.Rule != "":
			out = append(out, i.Rule)
		case i.Checkpoint != "":
			out = append(out, i.Checkpoint)
		default:
			out = append(out, i.Question)
		}
	}
	return out
}

// statuses lists every phase's status in order.
func statuses(r *Result) []Status {
	var out []Status
	for _, p := range r.Phases {
		out = append(out, p.Status)
	}
	return out
}

func hasKey(is []*Issue, key string) bool { return slices.Contains(issueKeys(is), key) }

func mustRead(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func opencrvs(tb testing.TB) *Template { return mustTemplate(tb, "opencrvs-server-hosted", 2) }

// opencrvsOverrides make the sample answers satisfy every OpenCRVS v2 rule.
var opencrvsOverrides = map[string]Value{
	"ups_minutes":            text("30"),
	"safe_shutdown_minutes":  text("5"),
	"project_stage":          text("national"),
	"population":             text("20000000"),
	"production_servers":     text("2"),
	"subscriptions_renew_on": text("2031-01-01"),
	"tls_method":             text("letsencrypt_dns"),
	"servers": rows(
		[]string{"production", "8", "16", "1000"},
		[]string{"production", "8", "16", "1000"},
		[]string{"staging", "8", "16", "1000"},
		[]string{"qa", "4", "16", "320"},
		[]string{"backup", "2", "1", "2000"},
	),
	"ubuntu_version":       text("24.04"),
	"app_disk_gb":          text("1000"),
	"backup_disk_gb":       text("2000"),
	"external_ports":       rows([]string{"22", "ssh"}, []string{"443", "https"}),
	"github_plan":          text("team"),
	"seeded_after_restore": text("no"),
}

// fullOpenCRVS is a fully answered, fully confirmed OpenCRVS v2 assessment.
func fullOpenCRVS(tb testing.TB) (*Template, Input) {
	tpl := opencrvs(tb)
	return tpl, Input{Answers: answersFor(tb, tpl, opencrvsOverrides), Confirmed: confirmAll(tpl)}
}

// with returns a copy of in whose answers carry the overrides (a zero Value
// removes the answer).
func with(in Input, overrides map[string]Value) Input {
	a := make(map[string]Value, len(in.Answers))
	for k, v := range in.Answers {
		a[k] = v
	}
	for k, v := range overrides {
		if v.IsZero() {
			delete(a, k)
		} else {
			a[k] = v
		}
	}
	in.Answers = a
	return in
}

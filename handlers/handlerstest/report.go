package handlerstest

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"groundwork/assessment"
)

// ReportOverrides make the sample answers satisfy every rule of the
// CommCare template (as assessment's own fully answered test does), with
// a growth table that gives the resource model a few summary dates.
var ReportOverrides = url.Values{
	"expected_users":                    {"2000"},
	"high_availability":                 {"no"},
	"server_configuration":              {"micro_cluster"},
	"hosting_option":                    {"on_premise"},
	"virtualization":                    {"virtual_machines"},
	"hardware_warranty_years":           {"5"},
	"download_mbps":                     {"1000"},
	"upload_mbps":                       {"900"},
	"ups_minutes":                       {"30"},
	"safe_shutdown_minutes":             {"5"},
	"ubuntu_version":                    {"22.04"},
	"rpo_hours":                         {"24"},
	"replication_standby":               {"no"},
	"downtime_start":                    {"2030-03-01"},
	"downtime_end":                      {"2030-03-02"},
	"deploy_interval_days":              {"7"},
	"sla_first_response_days":           {"1"},
	"normal_load_users":                 {"1500"},
	"peak_load_users":                   {"2000"},
	"livepatch_service":                 {"ubuntu_advantage"},
	"changelog_turnaround_urgent_hours": {"4"},
	"changelog_turnaround_average_days": {"3"},
	"forms_per_user_month":              {"30"},
	"new_cases_per_user_month":          {"8"},
	"updated_cases_per_user_month":      {"20"},
	"existing_form_submissions":         {"250000"},
}

// ReportTables are table answers that rules constrain, by question.
var ReportTables = map[string][][]string{
	"servers":        {{"web", "8", "32", "2000", "ssd"}, {"db", "8", "16", "2000", "ssd"}},
	"external_ports": {{"22", "ssh"}, {"80", "http"}, {"443", "https"}},
	"scale_timeline": {{"2027-01-01", "800"}, {"2027-09-01", "1500"}, {"2028-06-01", "2000"}},
}

func CommcareV1(t testing.TB) *assessment.Template {
	t.Helper()
	c, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tpl, ok := c.Template("commcare-transition", 1)
	if !ok {
		t.Fatal("no commcare-transition version 1")
	}
	return tpl
}

// SampleCell is a valid value of a cell or scalar answer of the type.
func SampleCell(typ assessment.QuestionType, c *assessment.Constraints) string {
	switch typ {
	case assessment.TypeNumber:
		f := 10.0
		if c.Min != nil && f < *c.Min {
			f = *c.Min
		}
		if c.Max != nil && f > *c.Max {
			f = *c.Max
		}
		return strconv.FormatFloat(f, 'f', -1, 64)
	case assessment.TypeYesNo:
		return "yes"
	case assessment.TypeSingleChoice:
		return c.Choices[0].Value
	case assessment.TypeDate:
		return "2030-01-15"
	case assessment.TypeURL:
		return "https://docs.example.org/plan"
	case assessment.TypeEmail:
		return "lead@example.org"
	case assessment.TypeShortText:
		switch c.Format {
		case assessment.FormatDomain:
			return "hq.example.org"
		case assessment.FormatIP, assessment.FormatPublicIP:
			return "203.0.113.10"
		case assessment.FormatSentryDSN:
			return "https://abc123@o1.ingest.sentry.io/42"
		}
	}
	return "some text"
}

// SampleForm answers every question of a phase and confirms every
// checkpoint, as the phase's form posts them; overrides and tables replace
// the samples of the questions they name.
func SampleForm(p *assessment.Phase, overrides url.Values, tables map[string][][]string) url.Values {
	form := url.Values{}
	for _, q := range p.Questions {
		switch q.Type {
		case assessment.TypeMultiChoice:
			for _, ch := range q.Choices {
				form.Add(q.FieldName(), ch.Value)
			}
		case assessment.TypePerson:
			form.Set(q.PersonFieldName("name"), "Amina Diallo")
			form.Set(q.PersonFieldName("job_function"), "DevOps engineer")
			form.Set(q.PersonFieldName("email"), "amina@example.org")
		case assessment.TypeTable:
			rows := tables[q.Key]
			if rows == nil {
				for range 3 {
					var row []string
					for _, col := range q.Columns {
						row = append(row, SampleCell(col.Type, &col.Constraints))
					}
					rows = append(rows, row)
				}
			}
			for r, row := range rows {
				for i, col := range q.Columns {
					form.Set(q.CellFieldName(r, col.Key), row[i])
				}
			}
		default:
			form.Set(q.FieldName(), SampleCell(q.Type, &q.Constraints))
		}
		if v, ok := overrides[q.Key]; ok {
			form[q.FieldName()] = v
		}
	}
	for _, c := range p.Checkpoints {
		form.Set("c."+c.Key, "on")
	}
	return form
}

// FullyReviewed is a CommCare assessment with advisor sign-off, every
// phase answered, confirmed, submitted and approved; phase 1.1 went through
// a request for changes first and carries a question's thread with a
// reply, and evidence.
func FullyReviewed(t testing.TB, e *Env) (mgr, adv *Browser, base string) {
	t.Helper()
	mgr, adv = e.Browser(t), e.Browser(t)
	mgr.SignIn("manager@example.org")
	adv.SignIn("advisor@example.org")
	base = Start(t, mgr, true)
	for _, p := range CommcareV1(t).Phases {
		path := base + "/phases/" + p.Key
		form := SampleForm(p, ReportOverrides, ReportTables)
		AddVersions(t, mgr, path, form)
		if resp, body := mgr.Post(path, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("fill %s = %d\n%s", p.Key, resp.StatusCode, ErrorsIn(body))
		}
		if p.Key == "1.1" {
			Upload(t, mgr, path+"/checkpoints/architecture_diagram_created/evidence", "diagram.png", []byte("\x89PNG\r\n\x1a\n0000"))
			loc := Posted11(t, adv, path+"/comments", url.Values{"question": {"architecture_diagram_url"}, "comment": {"Is this the May diagram?"}})
			Posted11(t, mgr, path+"/comments/"+loc+"/replies", url.Values{"comment": {"Yes, from May."}})
			Posted11(t, mgr, path+"/submit", url.Values{})
			Posted11(t, adv, path+"/review", url.Values{"decision": {"changes"}, "comment": {"Attach the network diagram too."}})
		}
		if resp, body := mgr.Post(path+"/submit", url.Values{}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("submit %s = %d\n%s", p.Key, resp.StatusCode, ErrorsIn(body))
		}
		if resp, body := adv.Post(path+"/review", url.Values{"decision": {"approve"}, "comment": {"Approved phase " + p.Key + "."}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve %s = %d\n%s", p.Key, resp.StatusCode, ErrorsIn(body))
		}
	}
	return mgr, adv, base
}

// Posted11 posts and wants a redirect; it returns the thread id of a new
// comment's address (…#t-<id>), or "".
func Posted11(t testing.TB, b *Browser, path string, form url.Values) string {
	t.Helper()
	resp, body := b.Post(path, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s = %d\n%s", path, resp.StatusCode, ErrorsIn(body))
	}
	loc := resp.Header.Get("Location")
	return loc[strings.LastIndex(loc, "-")+1:]
}

// ErrorsIn picks a page's error messages, for a failing test.
func ErrorsIn(page string) string {
	var out []string
	for _, cls := range []string{`class="field-error"`, `class="error-summary"`, `class="q-error"`} {
		for _, part := range strings.Split(page, cls)[1:] {
			out = append(out, part[:min(len(part), 200)])
		}
	}
	if len(out) == 0 {
		return page[:min(len(page), 800)]
	}
	return strings.Join(out, "\n")
}

// NationalOpenCRVS are the answers of a national OpenCRVS rollout, over
// SampleForm's, that the rules of its phases 1.1 to 1.5 accept, and
// nationalServers the servers planned for it.
var (
	NationalOpenCRVS = url.Values{"ups_minutes": {"30"}, "safe_shutdown_minutes": {"5"}, "project_stage": {"national"}, "population": {"20000000"},
		"crude_birth_rate": {"17.3"}, "crude_death_rate": {"7.7"}, "attachments_per_record": {"3"}, "years_of_records": {"10"}, "ubuntu_version": {"24.04"},
		"app_disk_gb": {"1000"}, "backup_disk_gb": {"2000"}}
	nationalServers = map[string][][]string{"servers": {{"production", "8", "16", "1000"}, {"production", "8", "16", "1000"}, {"staging", "8", "16", "1000"}, {"qa", "4", "16", "320"}, {"backup", "2", "1", "2000"}}}
)

// FillOpenCRVS starts an OpenCRVS assessment, "National rollout", as b (a
// program manager of an OpenCRVS organisation) and fills its first n
// phases from SampleForm and NationalOpenCRVS, so that the next is open;
// it returns the assessment's path.
func FillOpenCRVS(t testing.TB, b *Browser, n int) string {
	t.Helper()
	resp, _ := b.Post("/assessments", url.Values{"template": {"opencrvs-server-hosted@2"}, "name": {"National rollout"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d", resp.StatusCode)
	}
	base := resp.Header.Get("Location")
	c, _ := assessment.Embedded()
	tpl, _ := c.Template("opencrvs-server-hosted", 2)
	for _, p := range tpl.Phases[:n] {
		form := SampleForm(p, NationalOpenCRVS, nationalServers)
		AddVersions(t, b, base+"/phases/"+p.Key, form)
		if resp, body := b.Post(base+"/phases/"+p.Key, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("fill %s = %d\n%s", p.Key, resp.StatusCode, ErrorsIn(body))
		}
	}
	return base
}

package handlers

import (
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"groundwork/assessment/advice"
	"groundwork/assessment/sizing"
	"groundwork/web"
)

// The three calculators of the sizing page, each run from the values of its
// form: a query string, whether from a plain form submission, an htmx
// request or the page's examples. An error is returned only when it is not
// the input's fault.

var (
	tierParams   = []string{"users", "ha"}
	simpleParams = []string{"start_date", "current_users", "end_date", "target_users", "forms_per_user_month",
		"new_cases_per_user_month", "updated_cases_per_user_month", "active_user_share", "attachment_kb_per_form", "existing_forms",
		"existing_cases", "existing_case_transactions"}
	crvsParams = []string{"scale", "population", "birth_rate", "death_rate", "records_per_year", "attachments", "years"}
)

// typed keeps what the user typed in the named fields.
func typed(q url.Values, names []string) map[string]string {
	v := make(map[string]string, len(names))
	for _, n := range names {
		v[n] = strings.TrimSpace(q.Get(n))
	}
	return v
}

// download is the API address that answers the same inputs as a file.
func download(path string, q url.Values, names []string, format string) string {
	v := url.Values{}
	for _, n := range names {
		if s := strings.TrimSpace(q.Get(n)); s != "" {
			v.Set(n, s)
		}
	}
	v.Set("format", format)
	return path + "?" + v.Encode()
}

func tierCalc(q url.Values) (web.TierCalc, error) {
	c := web.TierCalc{Form: web.Form{Values: typed(q, tierParams)}}
	t, err := sizing.TierFromForm(q)
	if err != nil {
		form, ok := fieldForm(c.Form.Values, err)
		if !ok {
			return c, err
		}
		c.Form, c.Status = form, problemStatus(form)
		return c, nil
	}
	c.Result, c.Status = tierView(t), tierStatus(t)
	return c, nil
}

func simpleCalc(q url.Values) (web.SimpleCalc, error) {
	c := web.SimpleCalc{Form: web.Form{Values: typed(q, simpleParams)}, Assumptions: simpleAssumptions()}
	in, err := sizing.SimpleInputFromForm(q)
	var res *sizing.Result
	if err == nil {
		res, err = sizing.RunSimple(in)
	}
	if err != nil {
		form, ok := fieldForm(c.Form.Values, err)
		if !ok {
			return c, err
		}
		c.Form, c.Status = form, problemStatus(form)
		return c, nil
	}
	c.Result, c.Status, c.Formulas = modelView(res), modelStatus(res), simpleFormulas(in)
	c.CSVHref = download("/api/v1/sizing/commcare/simple", q, simpleParams, "csv")
	c.XLSXHref = download("/api/v1/sizing/commcare/simple", q, simpleParams, "xlsx")
	return c, nil
}

func crvsCalc(q url.Values) (web.CRVSCalc, error) {
	c := web.CRVSCalc{Form: web.Form{Values: typed(q, crvsParams)}, Scales: crvsScales()}
	if c.Form.Values["scale"] == "" {
		c.Form.Values["scale"] = sizing.ScaleNational
	}
	in, err := sizing.OpenCRVSInputFromForm(q)
	var e *sizing.OpenCRVSEstimate
	if err == nil {
		e, err = sizing.EstimateOpenCRVS(in)
	}
	if err != nil {
		form, ok := fieldForm(c.Form.Values, err)
		if !ok {
			return c, err
		}
		c.Form, c.Status = form, problemStatus(form)
		return c, nil
	}
	c.Result, c.Status = crvsView(e), crvsStatus(e)
	c.CSVHref = download("/api/v1/sizing/opencrvs", q, crvsParams, "csv")
	c.TextHref = download("/api/v1/sizing/opencrvs", q, crvsParams, "text")
	return c, nil
}

// The figures the page starts with: a micro cluster, a project growing
// tenfold over two years from this month, and OpenCRVS's worked example
// with the five years of records an assessment's estimate assumes until
// its question is answered (advice.DefaultYearsOfRecords).
var (
	tierExample = url.Values{"users": {"2,500"}}
	crvsExample = url.Values{"scale": {"national"}, "population": {"30,000,000"}, "birth_rate": {"17.299"},
		"death_rate": {"7.7"}, "attachments": {"3"}, "years": {strconv.Itoa(advice.DefaultYearsOfRecords)}}
)

func simpleExample(now time.Time) url.Values {
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	return url.Values{
		"start_date": {start.Format("2006-01")}, "current_users": {"500"},
		"end_date": {start.AddDate(0, 23, 0).Format("2006-01")}, "target_users": {"5,000"},
		"forms_per_user_month": {"100"}, "new_cases_per_user_month": {"20"}, "updated_cases_per_user_month": {"60"},
		"existing_forms": {"1,000,000"}, "existing_cases": {"200,000"},
	}
}

// simpleAssumptions reads the default profile's assumptions once.
var simpleAssumptions = sync.OnceValue(sizing.SimpleAssumptions)

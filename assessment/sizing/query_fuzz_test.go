package sizing

import (
	"io"
	"net/url"
	"testing"
	"time"
)

// FuzzQueryInputs feeds arbitrary query strings to the readers of the
// public sizing API's and calculator's parameters (TierFromForm,
// SimpleInputFromForm, OpenCRVSInputFromForm) and to what runs on their
// result: nothing may panic, every refusal must be a *FieldError (the API
// answers 400 with it; anything else would be a 500), and each input must
// finish quickly.
func FuzzQueryInputs(f *testing.F) {
	for _, q := range []string{
		"users=1500&ha=true",
		"users=30,000,000&ha=no",
		"users=-1", "users=1e9", "users=&ha=maybe",
		"population=1000000&birth_rate=35&death_rate=10&attachments=2&years=5&scale=national",
		"records_per_year=1e308&attachments=1e308&years=100",
		"population=NaN&birth_rate=Inf",
		"start_date=2025-01&current_users=100&end_date=2027-01&target_users=5000&forms_per_user_month=30" +
			"&new_cases_per_user_month=8&updated_cases_per_user_month=20&milestone_date=2026-01&milestone_users=1000",
		"start_date=2025-01&end_date=2125-01&target_users=2000000000",
		"milestone_date=2026-01&milestone_date=2026-02&milestone_users=1",
		"%zz", "a=%ff%fe",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return // the HTTP server refuses it before the handler
		}
		start := time.Now()
		fieldOnly := func(what string, err error) bool {
			t.Helper()
			if err == nil {
				return true
			}
			if _, ok := AsFieldError(err); !ok {
				t.Fatalf("%s(%q): error %v is a %T, want a *FieldError", what, query, err, err)
			}
			return false
		}
		_, err = TierFromForm(v)
		fieldOnly("TierFromForm", err)

		crvs, err := OpenCRVSInputFromForm(v)
		if fieldOnly("OpenCRVSInputFromForm", err) {
			_, err := EstimateOpenCRVS(crvs)
			fieldOnly("EstimateOpenCRVS", err)
		}

		simple, err := SimpleInputFromForm(v)
		if fieldOnly("SimpleInputFromForm", err) {
			r, err := RunSimple(simple)
			if fieldOnly("RunSimple", err) {
				if err := WriteCSV(io.Discard, r); err != nil {
					t.Fatalf("WriteCSV: %v", err)
				}
			}
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("took %v on %q", d, query)
		}
	})
}

package sizing

import "math"

// UsageTable is one set's usage, as the original's "Usage" sheet and its
// -u option show it: every field for every month, fields in the
// original's order.
type UsageTable struct {
	// Set names the set combination; empty without sets.
	Set    string
	Months []Month
	Fields []string
	// Values holds each field's monthly values; NaN where a month has no
	// value (a date_range_value that does not cover it).
	Values map[string][]float64
}

// Usage recomputes the usage tables of the run r came from, one per set
// combination run. It returns nil for a Result that was not computed by
// Run (decoded from JSON, say).
func (r *Result) Usage() ([]UsageTable, error) {
	if r.src == nil {
		return nil, nil
	}
	out := make([]UsageTable, 0, len(r.src.scenarios))
	fields := usageColumnOrder(r.src.cfg.Usage)
	for _, sc := range r.src.scenarios {
		models, err := resolveUsage(r.src.cfg.Usage, sc.vars)
		if err != nil {
			return nil, err
		}
		u, err := evalUsage(r.src.plan, models)
		if err != nil {
			return nil, err
		}
		t := UsageTable{Set: sc.name, Months: u.months, Fields: fields, Values: make(map[string][]float64, len(fields))}
		for _, f := range fields {
			t.Values[f] = append([]float64(nil), u.cols[f]...)
		}
		out = append(out, t)
	}
	return out, nil
}

// Sets lists the set combinations r holds, in order; nil without sets.
func (r *Result) Sets() []string {
	var out []string
	for i := range r.Summaries {
		s := r.Summaries[i].Set
		if s != "" && (len(out) == 0 || out[len(out)-1] != s) {
			out = append(out, s)
		}
	}
	return out
}

// FormatUsage formats a usage value for a terminal table: the number, or
// "NaN" for a month without a value, as pandas prints it.
func FormatUsage(x float64) string {
	if math.IsNaN(x) {
		return "NaN"
	}
	return fmtThousands(x)
}

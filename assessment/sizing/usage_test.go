package sizing

import (
	"math"
	"testing"
)

var nan = math.NaN()

// TestUsageModels checks every usage model against the reference values of
// the original's tests (users 100, 100, 200, 200).
func TestUsageModels(t *testing.T) {
	tests := []struct {
		name  string
		usage string
		want  map[string][]float64
	}{
		{
			name: "date_range_value",
			want: map[string][]float64{"users": {100, 100, 200, 200}},
		},
		{
			name:  "cumulative",
			usage: "\n  total: {model: cumulative, dependant_field: users}",
			want:  map[string][]float64{"total": {100, 200, 400, 600}},
		},
		{
			name:  "cumulative start_with goes into the first month",
			usage: "\n  total: {model: cumulative, dependant_field: users, start_with: 50}",
			want:  map[string][]float64{"total": {150, 250, 450, 650}},
		},
		{
			name:  "cumulative_limited_lifespan",
			usage: "\n  live: {model: cumulative_limited_lifespan, dependant_field: users, lifespan: 2}",
			want:  map[string][]float64{"live": {100, 200, 300, 400}},
		},
		{
			name:  "cumulative_limited_lifespan drops start_with after the lifespan",
			usage: "\n  live: {model: cumulative_limited_lifespan, dependant_field: users, lifespan: 2, start_with: 1000}",
			want:  map[string][]float64{"live": {1100, 1200, 300, 400}},
		},
		{
			name:  "cumulative_limited_lifespan truncates to whole items",
			usage: "\n  half: {model: derived_factor, dependant_field: users, factor: 0.35}\n  live: {model: cumulative_limited_lifespan, dependant_field: half, lifespan: 3}",
			want:  map[string][]float64{"half": {35, 35, 70, 70}, "live": {35, 70, 140, 175}},
		},
		{
			name:  "derived_factor",
			usage: "\n  twice: {model: derived_factor, dependant_field: users, factor: 2}",
			want:  map[string][]float64{"twice": {200, 200, 400, 400}},
		},
		{
			name:  "derived_factor start_with only in month 0",
			usage: "\n  twice: {model: derived_factor, dependant_field: users, factor: 2, start_with: 7}",
			want:  map[string][]float64{"twice": {207, 200, 400, 400}},
		},
		{
			name:  "invert_derived_factor",
			usage: "\n  quarter: {model: invert_derived_factor, dependant_field: users, factor: 4}",
			want:  map[string][]float64{"quarter": {25, 25, 50, 50}},
		},
		{
			name:  "derived_sum of users and 5 × users",
			usage: "\n  forms: {model: derived_factor, dependant_field: users, factor: 5}\n  sum: {model: derived_sum, dependant_fields: [users, forms]}",
			want:  map[string][]float64{"sum": {600, 600, 1200, 1200}},
		},
		{
			name:  "derived_sum start_with",
			usage: "\n  forms: {model: derived_factor, dependant_field: users, factor: 5}\n  sum: {model: derived_sum, dependant_fields: [users, forms], start_with: 3}",
			want:  map[string][]float64{"sum": {603, 600, 1200, 1200}},
		},
		{
			name: "product of users and 2, 2, 5, 5",
			usage: `
  f:
    model: date_range_value
    ranges: [['20170101', '20170201', 2], ['20170301', '20170401', 5]]
  p: {model: product, dependant_fields: [users, f]}`,
			want: map[string][]float64{"p": {200, 200, 1000, 1000}},
		},
		{
			name:  "baseline_with_growth emits three fields",
			usage: "\n  bg: {model: baseline_with_growth, dependant_field: users, baseline: 10, monthly_growth: 2, start_with: 50}",
			want: map[string][]float64{
				"bg_baseline": {1000, 1000, 2000, 2000},
				"bg_monthly":  {200, 200, 400, 400},
				"bg":          {1250, 1450, 2850, 3250},
			},
		},
		{
			name: "a model may use a baseline_with_growth side field",
			usage: `
  bg: {model: baseline_with_growth, dependant_field: users, baseline: 10, monthly_growth: 2}
  m2: {model: derived_factor, dependant_field: bg_monthly, factor: 0.5}`,
			want: map[string][]float64{"m2": {100, 100, 200, 200}},
		},
		{
			name: "dependencies are resolved whatever the order in the file",
			usage: `
  c: {model: cumulative, dependant_field: b}
  b: {model: derived_factor, dependant_field: users, factor: 3}`,
			want: map[string][]float64{"c": {300, 600, 1200, 1800}},
		},
		{
			// pandas: a gap is NaN; product skips it (counts 1), sums and
			// factors keep it, cumsum leaves it out and goes on.
			name: "months a range does not cover have no value, treated as pandas does",
			usage: `
  late:
    model: date_range_value
    ranges: [['20170201', 7], ['20170401', 5]]
  prod: {model: product, dependant_fields: [users, late]}
  twice: {model: derived_factor, dependant_field: late, factor: 2}
  sum: {model: derived_sum, dependant_fields: [users, late]}
  cum: {model: cumulative, dependant_field: late}`,
			want: map[string][]float64{
				"late":  {nan, 7, nan, 5},
				"prod":  {100, 700, 200, 1000},
				"twice": {nan, 14, nan, 10},
				"sum":   {nan, 107, nan, 205},
				"cum":   {nan, 7, nan, 12},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := evalYAML(t, configWith(fixtureUsage+tt.usage, ""))
			for col, want := range tt.want {
				if got := u.cols[col]; !equalSlices(got, want) {
					t.Errorf("%s = %v, want %v", col, got, want)
				}
			}
		})
	}
}

func TestTimelineIsTheUnionOfRanges(t *testing.T) {
	// Like the original's concatenated index, months no range names are
	// not in the timeline at all, so month index t skips them.
	u := evalYAML(t, configWith(`
  users:
    model: date_range_value
    ranges:
      - ['20200101', 1]
      - ['20200401', '20200501', 2]
  total: {model: cumulative, dependant_field: users}`, ""))
	var got []string
	for _, m := range u.months {
		got = append(got, m.String())
	}
	if want := []string{"2020-01", "2020-04", "2020-05"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("months = %v, want %v", got, want)
	}
	if got, want := u.cols["total"], []float64{1, 3, 5}; !equalSlices(got, want) {
		t.Errorf("total = %v, want %v", got, want)
	}
}

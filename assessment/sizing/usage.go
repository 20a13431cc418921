package sizing

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// maxUsageValue bounds every computed usage value; beyond it a config is
// either wrong or hostile, and later byte sums would lose meaning.
const maxUsageValue = 1e18

// plan is what a config's usage section fixes before any number is known:
// the months, the columns each model produces and the evaluation order.
type plan struct {
	months   []Month
	index    map[Month]int
	producer map[string]int // column name -> index of the model producing it
	order    []int          // model indexes, dependencies first
}

// outputs lists the columns a usage model produces.
func (m *UsageModel) outputs() []string {
	if m.Kind == ModelBaselineWithGrowth {
		return []string{m.Name + "_baseline", m.Name + "_monthly", m.Name}
	}
	return []string{m.Name}
}

func (m *UsageModel) dependantKey() string {
	switch m.Kind {
	case ModelDerivedSum, ModelProduct:
		return "dependant_fields"
	}
	return "dependant_field"
}

// buildPlan checks the usage section's structure: the timeline (the sorted
// months named by every date_range_value), unique column names, known
// dependant fields and no dependency cycles.
func buildPlan(models []UsageModel) (*plan, error) {
	p := &plan{index: map[Month]int{}, producer: map[string]int{}}
	if len(models) == 0 {
		return nil, fieldErr("usage", "must define at least one usage model")
	}
	if len(models) > MaxUsageFields {
		return nil, fieldErr("usage", fmt.Sprintf("has %d usage models; the limit is %d", len(models), MaxUsageFields))
	}
	seen := map[Month]bool{}
	for i := range models {
		m := &models[i]
		path := "usage." + m.Name
		if _, ok := usageKeys[m.Kind]; !ok {
			return nil, fieldErr(path+".model", fmt.Sprintf("unknown usage model %q (known: %s)", m.Kind, joinNames(ModelKinds())))
		}
		for _, col := range m.outputs() {
			if j, dup := p.producer[col]; dup {
				return nil, fieldErr(path, fmt.Sprintf("produces field %q, which usage.%s already produces", col, models[j].Name))
			}
			p.producer[col] = i
		}
		if m.Kind != ModelDateRangeValue {
			if len(m.DependantFields) == 0 {
				return nil, fieldErr(path+"."+m.dependantKey(), "required for model "+m.Kind)
			}
			if len(m.DependantFields) > MaxListItems {
				return nil, fieldErr(path+"."+m.dependantKey(), fmt.Sprintf("names more than %d fields", MaxListItems))
			}
			continue
		}
		if len(m.Ranges) == 0 {
			return nil, fieldErr(path+".ranges", "must have at least one range")
		}
		own := map[Month]bool{}
		for j, r := range m.Ranges {
			rp := fmt.Sprintf("%s.ranges[%d]", path, j)
			if r.End < r.Start {
				return nil, fieldErr(rp, fmt.Sprintf("date range is backwards: %s is before %s", r.End, r.Start))
			}
			if int(r.End-r.Start)+1 > MaxMonths {
				return nil, fieldErr(rp, fmt.Sprintf("spans %d months; the limit is %d", int(r.End-r.Start)+1, MaxMonths))
			}
			for mo := r.Start; mo <= r.End; mo++ {
				if own[mo] {
					return nil, fieldErr(rp, fmt.Sprintf("overlaps an earlier range at %s", mo))
				}
				own[mo] = true
				if !seen[mo] {
					seen[mo] = true
					p.months = append(p.months, mo)
					if len(p.months) > MaxMonths {
						return nil, fieldErr("usage", fmt.Sprintf("the ranges cover more than %d months", MaxMonths))
					}
				}
			}
		}
	}
	if len(p.months) == 0 {
		return nil, fieldErr("usage", "needs at least one date_range_value model: it defines the months")
	}
	sort.Slice(p.months, func(i, j int) bool { return p.months[i] < p.months[j] })
	for i, m := range p.months {
		p.index[m] = i
	}
	for i := range models {
		m := &models[i]
		for j, f := range m.DependantFields {
			if _, ok := p.producer[f]; !ok {
				field := "usage." + m.Name + "." + m.dependantKey()
				if m.dependantKey() == "dependant_fields" {
					field = fmt.Sprintf("%s[%d]", field, j)
				}
				return nil, fieldErr(field, fmt.Sprintf("unknown usage field %q", f))
			}
		}
	}
	// Depth-first topological order, config order among independents, with
	// the cycle spelled out when there is one.
	const (
		unseen = iota
		active
		done
	)
	state := make([]int, len(models))
	var stack []string
	var visit func(i int) error
	visit = func(i int) error {
		switch state[i] {
		case done:
			return nil
		case active:
			start := 0
			for k, n := range stack {
				if n == models[i].Name {
					start = k
				}
			}
			cycle := append(append([]string{}, stack[start:]...), models[i].Name)
			return fieldErr("usage."+models[i].Name+"."+models[i].dependantKey(),
				"dependency cycle: "+strings.Join(cycle, " -> "))
		}
		state[i] = active
		stack = append(stack, models[i].Name)
		for _, f := range models[i].DependantFields {
			if err := visit(p.producer[f]); err != nil {
				return err
			}
		}
		stack = stack[:len(stack)-1]
		state[i] = done
		p.order = append(p.order, i)
		return nil
	}
	for i := range models {
		if err := visit(i); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkUsageNumbers validates the numbers of resolved usage models.
func checkUsageNumbers(models []UsageModel) error {
	for _, m := range models {
		path := "usage." + m.Name
		nums := []namedValue{{"factor", m.Factor.Value}, {"start_with", m.StartWith.Value},
			{"lifespan", m.Lifespan.Value}, {"baseline", m.Baseline.Value}, {"monthly_growth", m.MonthlyGrowth.Value}}
		for j, r := range m.Ranges {
			nums = append(nums, namedValue{fmt.Sprintf("ranges[%d]", j), r.Value.Value})
		}
		if err := checkAmounts(path, nums); err != nil {
			return err
		}
		switch m.Kind {
		case ModelLimitedLifespan:
			l := m.Lifespan.Value
			if l < 1 || l != math.Trunc(l) {
				return fieldErr(path+".lifespan", fmt.Sprintf("must be a whole number of months, at least 1 (got %s)", fmtNum(l)))
			}
		case ModelInvertFactor:
			if m.Factor.Value == 0 {
				return fieldErr(path+".factor", "must not be zero: the field is divided by it")
			}
		}
	}
	return nil
}

// usageData is the evaluated usage: one value per month per column.
type usageData struct {
	months []Month
	cols   map[string][]float64
}

// evalUsage computes every usage column over the plan's months. Models must
// have their templates resolved.
func evalUsage(p *plan, models []UsageModel) (*usageData, error) {
	n := len(p.months)
	u := &usageData{months: p.months, cols: make(map[string][]float64, len(p.producer))}
	for _, i := range p.order {
		m := &models[i]
		deps := make([][]float64, len(m.DependantFields))
		for k, f := range m.DependantFields {
			deps[k] = u.cols[f]
		}
		dep := func(k int) []float64 { return deps[k] }
		sw := m.StartWith.Value
		out := make([]float64, n)
		switch m.Kind {
		case ModelDateRangeValue:
			// Months a model does not cover have no value (NaN), as in the
			// original; each model below treats the gap as pandas does.
			for t := range out {
				out[t] = math.NaN()
			}
			for _, r := range m.Ranges {
				for mo := r.Start; mo <= r.End; mo++ {
					out[p.index[mo]] = r.Value.Value
				}
			}
		case ModelDerivedFactor:
			d := dep(0)
			for t := range out {
				out[t] = d[t] * m.Factor.Value
			}
			out[0] += sw
		case ModelInvertFactor:
			d := dep(0)
			for t := range out {
				out[t] = d[t] / m.Factor.Value
			}
			out[0] += sw
		case ModelDerivedSum:
			for t := range out {
				s := 0.0
				for _, d := range deps {
					s += d[t]
				}
				out[t] = s
			}
			out[0] += sw
		case ModelProduct:
			// pandas' product skips a gap: it counts as 1.
			for t := range out {
				s := 1.0
				for _, d := range deps {
					if !math.IsNaN(d[t]) {
						s *= d[t]
					}
				}
				out[t] = s
			}
			out[0] += sw
		case ModelCumulative:
			cumulate(out, dep(0), sw)
		case ModelLimitedLifespan:
			cum := make([]float64, n)
			cumulate(cum, dep(0), sw)
			l := int(m.Lifespan.Value)
			for t := range out {
				v := cum[t]
				if t >= l {
					v -= cum[t-l]
				}
				// A gap here crashes the original (NaN to int); it is 0.
				out[t] = math.Trunc(nz(v))
			}
		case ModelBaselineWithGrowth:
			d := dep(0)
			base := make([]float64, n)
			monthly := make([]float64, n)
			for t := range d {
				base[t] = d[t] * m.Baseline.Value
				monthly[t] = d[t] * m.MonthlyGrowth.Value
			}
			cum := make([]float64, n)
			cumulate(cum, monthly, sw)
			for t := range out {
				out[t] = base[t] + cum[t]
			}
			u.cols[m.Name+"_baseline"] = base
			u.cols[m.Name+"_monthly"] = monthly
		}
		for t, v := range out {
			if math.IsInf(v, 0) || math.Abs(v) > maxUsageValue {
				return nil, fieldErr("usage."+m.Name, fmt.Sprintf("grows beyond %g in %s; check the factors", maxUsageValue, p.months[t]))
			}
		}
		u.cols[m.Name] = out
	}
	return u, nil
}

// cumulate writes the running total of in, with start added to the first
// month, into out. Like pandas' cumsum it skips a gap: the month without a
// value has none in the total either, and later months go on from the
// months before it.
func cumulate(out, in []float64, start float64) {
	s := 0.0
	for t, v := range in {
		if t == 0 {
			v += start
		}
		if math.IsNaN(v) {
			out[t] = v
			continue
		}
		s += v
		out[t] = s
	}
}

// nz is x, or 0 for a month without a value: pandas' sums skip gaps.
func nz(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

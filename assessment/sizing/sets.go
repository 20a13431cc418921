package sizing

import (
	"fmt"
	"strings"
)

// scenario is one combination of set items: its name and its variables.
type scenario struct {
	name string
	vars map[string]string
}

// scenarios expands `sets` into the cartesian product of their items, in
// config order, the way the original names them ("low-fast").
func scenarios(groups []SetGroup) ([]scenario, error) {
	if len(groups) == 0 {
		return []scenario{{}}, nil
	}
	total := 1
	for _, g := range groups {
		if len(g.Items) == 0 {
			return nil, fieldErr("sets."+g.Name, "must list at least one item")
		}
		total *= len(g.Items)
		if total > MaxSetCombinations {
			return nil, fieldErr("sets", fmt.Sprintf("make more than %d combinations", MaxSetCombinations))
		}
	}
	out := []scenario{{vars: map[string]string{}}}
	for _, g := range groups {
		var next []scenario
		for _, s := range out {
			for _, it := range g.Items {
				vars := make(map[string]string, len(s.vars)+len(it.Vars))
				for k, v := range s.vars {
					vars[k] = v
				}
				for k, v := range it.Vars {
					vars[k] = v
				}
				// Only named items name a combination ("7lakh-2000fpu").
				name := s.name
				switch {
				case it.Name == "":
				case name == "":
					name = it.Name
				default:
					name += "-" + it.Name
				}
				next = append(next, scenario{name: name, vars: vars})
			}
		}
		out = next
	}
	for i := range out {
		if out[i].name == "" {
			out[i].name = "None" // the original prints Python's None
		}
	}
	return out, nil
}

// hasTemplate reports whether s holds a {name} placeholder.
func hasTemplate(s string) bool {
	i := strings.IndexByte(s, '{')
	return i >= 0 && strings.IndexByte(s[i:], '}') > 0
}

// expand replaces every {name} in s with its value from vars.
func expand(s string, vars map[string]string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		name := s[i+1 : i+j]
		v, ok := vars[name]
		if !ok {
			return "", fmt.Errorf("uses {%s}, which no set defines", name)
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+1:]
	}
}

// resolveNum returns the value of n in a scenario.
func resolveNum(n Num, vars map[string]string, path string) (float64, error) {
	if n.Template == "" {
		return n.Value, nil
	}
	s, err := expand(n.Template, vars)
	if err != nil {
		return 0, fieldErr(path, err.Error())
	}
	v, err := parseNumber(s, path)
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, fieldErr(path, fmt.Sprintf("must not be negative (got %s)", s))
	}
	return v, nil
}

// resolveUsage returns the usage models with every template filled in.
func resolveUsage(models []UsageModel, vars map[string]string) ([]UsageModel, error) {
	out := make([]UsageModel, len(models))
	for i, m := range models {
		p := "usage." + m.Name
		var err error
		fill := func(n *Num, key string) {
			if err != nil {
				return
			}
			var v float64
			v, err = resolveNum(*n, vars, p+"."+key)
			*n = Num{Value: v}
		}
		fill(&m.Factor, "factor")
		fill(&m.StartWith, "start_with")
		fill(&m.Lifespan, "lifespan")
		fill(&m.Baseline, "baseline")
		fill(&m.MonthlyGrowth, "monthly_growth")
		if err != nil {
			return nil, err
		}
		if len(m.Ranges) > 0 {
			rs := make([]Range, len(m.Ranges))
			copy(rs, m.Ranges)
			for j := range rs {
				fill(&rs[j].Value, fmt.Sprintf("ranges[%d]", j))
			}
			if err != nil {
				return nil, err
			}
			m.Ranges = rs
		}
		out[i] = m
	}
	return out, nil
}

package sizing

import (
	"fmt"
	"math"
)

// checkServices validates services against the usage columns a plan makes.
func checkServices(services []Service, p *plan) error {
	if len(services) == 0 {
		return fieldErr("services", "must define at least one service")
	}
	if len(services) > MaxServices {
		return fieldErr("services", fmt.Sprintf("has %d services; the limit is %d", len(services), MaxServices))
	}
	names := map[string]bool{}
	for i := range services {
		s := &services[i]
		path := "services." + s.Name
		if names[s.Name] {
			return fieldErr(path, "service appears twice")
		}
		names[s.Name] = true
		needsUsage := len(s.Process.SubProcesses) > 0 || s.UsageCapacityPerNode > 0
		if _, ok := p.producer[s.UsageField]; !ok && needsUsage {
			return fieldErr(path+".usage_field", fmt.Sprintf("unknown usage field %q", s.UsageField))
		}
		nums := []namedValue{{"static_number", float64(s.StaticNumber)}, {"min_nodes", float64(s.MinNodes)},
			{"usage_capacity_per_node", s.UsageCapacityPerNode}, {"max_storage_per_node", s.MaxStoragePerNode},
			{"min_storage_per_node", s.MinStoragePerNode},
			{"process.cores_per_node", s.Process.CoresPerNode}, {"process.ram_per_node", s.Process.RAMPerNode},
			{"process.ram_static_baseline", s.Process.RAMStaticBaseline},
			{"process.ram_redundancy_factor", s.Process.RAMRedundancyFactor},
			{"process.cores_per_sub_process", s.Process.CoresPerSubProcess},
			{"process.ram_per_sub_process", s.Process.RAMPerSubProcess}}
		for j, sp := range s.Process.SubProcesses {
			nums = append(nums, namedValue{fmt.Sprintf("process.sub_processes[%d].capacity", j), sp.Capacity},
				namedValue{fmt.Sprintf("process.sub_processes[%d].static_number", j), float64(sp.StaticNumber)})
		}
		for j, dm := range s.Process.RAMModel {
			nums = append(nums, namedValue{fmt.Sprintf("process.ram_model[%d].unit_size", j), dm.UnitBytes})
		}
		if st := s.Storage; st != nil {
			nums = append(nums, namedValue{"storage.redundancy_factor", st.RedundancyFactor},
				namedValue{"storage.static_baseline", st.StaticBaseline})
			for j, dm := range st.DataModels {
				nums = append(nums, namedValue{fmt.Sprintf("storage.data_models[%d].unit_size", j), dm.UnitBytes})
			}
			for _, o := range []struct {
				name string
				v    *float64
			}{{"storage.override_storage_buffer", st.OverrideStorageBuffer}, {"storage.override_estimation_buffer", st.OverrideEstimationBuffer}} {
				if o.v != nil {
					nums = append(nums, namedValue{o.name, *o.v})
				}
			}
		}
		if err := checkAmounts(path, nums); err != nil {
			return err
		}
		// max_ and min_storage_per_node beside storage_scales_with_nodes are
		// accepted as the original does (its check is never called): the
		// maximum still adds VMs, the minimum has no effect.
		if st := s.Storage; st != nil {
			if err := checkDataModels(st.DataModels, p, path+".storage.data_models"); err != nil {
				return err
			}
		}
		pr := &s.Process
		pp := path + ".process"
		if len(pr.SubProcesses) > 0 {
			if len(pr.SubProcesses) > MaxListItems {
				return fieldErr(pp+".sub_processes", fmt.Sprintf("has more than %d items", MaxListItems))
			}
			for _, f := range []namedValue{
				{"cores_per_node", pr.CoresPerNode}, {"ram_per_node", pr.RAMPerNode},
				{"cores_per_sub_process", pr.CoresPerSubProcess}, {"ram_per_sub_process", pr.RAMPerSubProcess},
			} {
				if f.v <= 0 {
					return fieldErr(pp+"."+f.name, "must be more than zero when sub_processes are listed")
				}
			}
			for j, sp := range pr.SubProcesses {
				spp := fmt.Sprintf("%s.sub_processes[%d]", pp, j)
				// Both given: static_number wins, as in the original.
				if sp.StaticNumber <= 0 && sp.Capacity <= 0 {
					return fieldErr(spp, "needs static_number or capacity")
				}
			}
		}
		if len(pr.RAMModel) > 0 {
			if err := checkDataModels(pr.RAMModel, p, pp+".ram_model"); err != nil {
				return err
			}
			if pr.RAMPerNode-pr.RAMStaticBaseline <= 0 {
				return fieldErr(pp+".ram_static_baseline", "must be less than ram_per_node when ram_model is used")
			}
		}
	}
	return nil
}

// checkAmounts refuses numbers that are not finite, negative or beyond the
// magnitude limit; configs built in code skip the YAML checks.
func checkAmounts(path string, nums []namedValue) error {
	for _, n := range nums {
		switch {
		case !finite(n.v):
			return fieldErr(path+"."+n.name, "must be a finite number")
		case n.v < 0:
			return fieldErr(path+"."+n.name, fmt.Sprintf("must not be negative (got %s)", fmtNum(n.v)))
		case n.v > maxMagnitude:
			return fieldErr(path+"."+n.name, fmt.Sprintf("%s is too large (limit %g)", fmtNum(n.v), maxMagnitude))
		}
	}
	return nil
}

func checkDataModels(dms []DataModel, p *plan, path string) error {
	if len(dms) > MaxListItems {
		return fieldErr(path, fmt.Sprintf("has more than %d items", MaxListItems))
	}
	for j, dm := range dms {
		if _, ok := p.producer[dm.Field]; !ok {
			return fieldErr(fmt.Sprintf("%s[%d].referenced_field", path, j), fmt.Sprintf("unknown usage field %q", dm.Field))
		}
	}
	return nil
}

// columns looks up the usage columns data models refer to, once.
func columns(u *usageData, dms []DataModel) [][]float64 {
	out := make([][]float64, len(dms))
	for i, dm := range dms {
		out[i] = u.cols[dm.Field]
	}
	return out
}

// serviceSeries is a service's raw monthly figures before the summary.
type serviceSeries struct {
	storage []float64 // S_t: bytes with redundancy and storage buffer
	vms     []float64 // compute VMs_t, before the estimation buffer
	place   placement // how storage is spread, fixed over all months
	// raiseToMin: spread storage is raised to min_storage_per_node in every
	// month, because some month falls below it (the original's rule).
	raiseToMin bool
}

// computeService applies the storage formula and the compute branches to
// one service over every month.
func computeService(cfg *Config, s *Service, u *usageData) (serviceSeries, error) {
	n := len(u.months)
	out := serviceSeries{storage: make([]float64, n), vms: make([]float64, n)}
	if st := s.Storage; st != nil {
		rf := st.RedundancyFactor
		if len(st.DataModels) > 0 {
			buf := cfg.StorageBuffer
			if st.OverrideStorageBuffer != nil {
				buf = *st.OverrideStorageBuffer
			}
			factor := onePlus(buf)
			cols := columns(u, st.DataModels)
			for t := range out.storage {
				sum := 0.0
				for k, dm := range st.DataModels {
					sum += nz(cols[k][t]) * dm.UnitBytes * rf
				}
				out.storage[t] = (sum + st.StaticBaseline*rf) * factor
			}
		} else {
			for t := range out.storage {
				out.storage[t] = st.StaticBaseline * rf
			}
		}
	}

	pr := &s.Process
	usage := u.cols[s.UsageField]
	switch {
	case len(pr.SubProcesses) > 0:
		byCores := make([]float64, n)
		byRAM := make([]float64, n)
		for t := range n {
			procs := 0.0
			for _, sp := range pr.SubProcesses {
				if sp.StaticNumber > 0 {
					procs += float64(sp.StaticNumber)
				} else {
					procs += math.Ceil(nz(usage[t]) / sp.Capacity)
				}
			}
			byCores[t] = procs * pr.CoresPerSubProcess / pr.CoresPerNode
			byRAM[t] = procs * pr.RAMPerSubProcess / pr.RAMPerNode
		}
		// The original picks cores or RAM by the last month and applies
		// that choice to every month.
		pick := byRAM
		if byCores[n-1] > byRAM[n-1] {
			pick = byCores
		}
		for t := range n {
			out.vms[t] = math.Ceil(pick[t])
		}
	case s.UsageCapacityPerNode > 0:
		for t := range n {
			out.vms[t] = math.Ceil(nz(usage[t]) / s.UsageCapacityPerNode)
		}
	default:
		for t := range n {
			out.vms[t] = float64(s.StaticNumber)
		}
	}

	if m := s.MaxStoragePerNode; m > 0 {
		for t := range n {
			extra := math.Max(0, out.storage[t]-out.vms[t]*m)
			out.vms[t] += math.Ceil(extra / m)
		}
	}
	if len(pr.RAMModel) > 0 {
		per := pr.RAMPerNode - pr.RAMStaticBaseline
		cols := columns(u, pr.RAMModel)
		for t := range n {
			req := 0.0
			for k, dm := range pr.RAMModel {
				req += nz(cols[k][t]) * dm.UnitBytes * pr.RAMRedundancyFactor
			}
			req /= 1e9
			diff := math.Max(0, req-out.vms[t]*per)
			out.vms[t] += math.Ceil(diff / per)
		}
	}
	for t := range n {
		if !finite(out.storage[t]) || !finite(out.vms[t]) || out.vms[t] > 1e9 || out.storage[t] > 1e24 {
			return out, fieldErr("services."+s.Name, fmt.Sprintf("needs an impossible number of VMs or bytes in %s; check capacities and sizes", u.months[t]))
		}
	}
	return out, nil
}

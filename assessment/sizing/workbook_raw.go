package sizing

import "math"

// rawSheets writes the original's "Usage" sheet and one "Raw Data
// (service)" sheet per service, for a run of one scenario.
func (wb *workbook) rawSheets(src *runSource) error {
	sc := src.scenarios[0]
	u, series, err := src.compute(sc)
	if err != nil {
		return err
	}
	dates := make([]string, len(u.months))
	for t, m := range u.months {
		dates[t] = m.String() + "-01"
	}
	cols := usageColumnOrder(src.cfg.Usage)
	if err := wb.grid("Usage", dates, cols, func(col string, t int) any { return num(u.cols[col][t]) }); err != nil {
		return err
	}
	unit := bytesPerUnit[src.cfg.StorageDisplayUnit]
	for i := range src.services {
		s := &src.services[i]
		raw := rawServiceColumns(src.cfg, s, u, series[i])
		rows := make([]ServiceSummary, len(u.months))
		for t := range u.months {
			rows[t], _ = summarizeService(src.cfg, s, series[i], src.eb, t, unit)
		}
		names := make([]string, 0, len(raw)+20)
		for _, c := range raw {
			names = append(names, c.name)
		}
		sumCols := serviceColumns(src.cfg.StorageDisplayUnit)
		names = append(names, "VM Type")
		names = append(names, sumCols[:15]...)
		names = append(names, "OS Storage Total (Bytes)")
		names = append(names, sumCols[15:]...)
		cell := func(k int, t int) any {
			if k < len(raw) {
				return num(raw[k].vals[t])
			}
			sv := &rows[t]
			k -= len(raw)
			if k == 0 {
				return textCell(sv.VMType)
			}
			k--
			v := serviceValues(sv)
			switch {
			case (k == 0 || k == 3) && v[k] == 0:
				return nil // no process: the original has None
			case k < 15:
				// tenth-rounded columns of zero are NaN in the original
				if (k == 6 || k == 7 || k == 8) && v[k] == 0 {
					return nil
				}
				if k == 6 && sv.StoragePerVMGB == nil {
					return nil
				}
				return num(v[k])
			case k == 15:
				return float64(sv.VMsTotal) * src.cfg.VMOSStorageGB * 1e9
			case k == 16:
				return v[15]
			case k == 17:
				return textCell(sv.StorageGroup)
			}
			return textCell(sv.AggregationKey)
		}
		idx := map[string]int{}
		for k, n := range names {
			idx[n] = k
		}
		if err := wb.grid("Raw Data ("+s.Name+")", dates, names, func(col string, t int) any { return cell(idx[col], t) }); err != nil {
			return err
		}
	}
	return nil
}

// grid writes a month-by-column table headed "Dates".
func (wb *workbook) grid(sheetName string, dates, cols []string, cell func(col string, t int) any) error {
	name, err := wb.sheet(sheetName)
	if err != nil {
		return err
	}
	hdr := make([]any, 0, len(cols)+1)
	hdr = append(hdr, "Dates")
	for _, c := range cols {
		hdr = append(hdr, c)
	}
	if err := wb.put(name, 1, hdr, wb.sub); err != nil {
		return err
	}
	wb.row[name]++
	for t, d := range dates {
		row := make([]any, len(cols))
		for k, c := range cols {
			row[k] = cell(c, t)
		}
		if err := wb.put(name, 1, []any{d}, wb.index); err != nil {
			return err
		}
		if err := wb.put(name, 2, row, 0); err != nil {
			return err
		}
		wb.row[name]++
	}
	return nil
}

// usageColumnOrder is the order of the original's usage table: it runs
// the models in passes over the config's list, removing each model that
// can run while it iterates, so the model after a removed one waits for
// the next pass.
func usageColumnOrder(models []UsageModel) []string {
	have := map[string]bool{}
	remaining := make([]*UsageModel, len(models))
	for i := range models {
		remaining[i] = &models[i]
	}
	var out []string
	for len(remaining) > 0 {
		before := len(remaining)
		for i := 0; i < len(remaining); i++ {
			m := remaining[i]
			ok := true
			for _, f := range m.DependantFields {
				if !have[f] {
					ok = false
				}
			}
			if !ok {
				continue
			}
			remaining = append(remaining[:i], remaining[i+1:]...)
			for _, c := range m.outputs() {
				have[c] = true
				out = append(out, c)
			}
			// Python's iterator moves on to the next index, skipping the
			// model that just took the removed one's place.
		}
		if len(remaining) == before {
			break // a cycle; Validate refuses those
		}
	}
	return out
}

// rawColumn is one column of a "Raw Data" sheet before the summary ones.
type rawColumn struct {
	name string
	vals []float64
}

// rawServiceColumns are the original's generate_service_data columns for
// one service: users, the compute model (CPU, RAM, VMs, VMs Usage and, when
// they apply, additional VMs for storage and RAM and the RAM requirement)
// and the data storage with its parts.
func rawServiceColumns(cfg *Config, s *Service, u *usageData, ser serviceSeries) []rawColumn {
	n := len(u.months)
	col := func(name string) rawColumn { return rawColumn{name: name, vals: make([]float64, n)} }
	users, cpu, ram, vms, usage := col("Users: users"), col("Compute: CPU"), col("Compute: RAM"), col("Compute: VMs"), col("Compute: VMs Usage")
	copy(users.vals, u.cols["users"])
	pr := &s.Process
	field := u.cols[s.UsageField]
	for t := range n {
		var c, r float64
		switch {
		case len(pr.SubProcesses) > 0:
			procs := 0.0
			for _, sp := range pr.SubProcesses {
				if sp.StaticNumber > 0 {
					procs += float64(sp.StaticNumber)
				} else {
					procs += math.Ceil(nz(field[t]) / sp.Capacity)
				}
			}
			c, r = procs*pr.CoresPerSubProcess, procs*pr.RAMPerSubProcess
		case s.UsageCapacityPerNode > 0:
			nodes := math.Ceil(nz(field[t]) / s.UsageCapacityPerNode)
			c, r = nodes*pr.CoresPerNode, nodes*pr.RAMPerNode
		default:
			c, r = float64(s.StaticNumber), float64(s.StaticNumber)
		}
		cpu.vals[t], ram.vals[t] = c, r
		vms.vals[t] = ser.vms[t]
	}
	addStorage, addRAM, ramReq := col("Compute: Additional VMs (storage)"), col("Compute: Additional VMs (RAM)"), col("Compute: RAM requirement")
	if len(pr.RAMModel) > 0 {
		for t := range n {
			req := 0.0
			for _, dm := range pr.RAMModel {
				req += nz(u.cols[dm.Field][t]) * dm.UnitBytes * pr.RAMRedundancyFactor
			}
			ramReq.vals[t] = req / 1e9
		}
	}
	// Recompute the usage VMs exactly as computeService does, without the
	// storage and RAM additions.
	tmpSvc := *s
	tmpSvc.MaxStoragePerNode = 0
	tmpSvc.Process.RAMModel = nil
	tmp, _ := computeService(cfg, &tmpSvc, u)
	for t := range n {
		usage.vals[t] = tmp.vms[t]
		after := tmp.vms[t]
		if m := s.MaxStoragePerNode; m > 0 {
			addStorage.vals[t] = math.Ceil(math.Max(0, ser.storage[t]-after*m) / m)
			after += addStorage.vals[t]
		}
		if len(pr.RAMModel) > 0 {
			per := pr.RAMPerNode - pr.RAMStaticBaseline
			addRAM.vals[t] = math.Ceil(math.Max(0, ramReq.vals[t]-after*per) / per)
		}
	}
	out := []rawColumn{users, cpu, ram, vms, usage}
	if s.MaxStoragePerNode > 0 {
		out = append(out, addStorage)
	}
	if len(pr.RAMModel) > 0 {
		out = append(out, addRAM, ramReq)
	}
	storage := col("Data Storage: storage")
	copy(storage.vals, ser.storage)
	out = append(out, storage)
	if st := s.Storage; st != nil && len(st.DataModels) > 0 {
		for _, dm := range st.DataModels {
			c := col("Data Storage: " + dm.Field)
			for t := range n {
				c.vals[t] = u.cols[dm.Field][t] * dm.UnitBytes * st.RedundancyFactor
			}
			out = append(out, c)
		}
		c := col("Data Storage: static_baseline")
		for t := range n {
			c.vals[t] = st.StaticBaseline * st.RedundancyFactor
		}
		out = append(out, c)
	}
	return out
}

package handlers

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"groundwork/assessment/sizing"
	"groundwork/web"
)

// modelView lays out a resource-model result; the last summary date is
// shown expanded.
func modelView(r *sizing.Result) *web.ModelView {
	m := &web.ModelView{}
	groups := map[string]bool{}
	for _, s := range r.Summaries {
		m.Unit = s.StorageUnit
		for g := range s.StorageByGroup {
			groups[g] = true
		}
	}
	m.Groups = sortedKeys(groups)
	for i, s := range r.Summaries {
		label := s.Date
		if s.Set != "" {
			label = s.Set + ", " + s.Date
		}
		o := web.OverviewRow{Label: label, Users: num(s.Users), VMs: strconv.Itoa(s.Totals.VMs), Cores: num(s.Totals.Cores), RAM: num(s.Totals.RAMGB)}
		for _, g := range m.Groups {
			cell := "–" // no such group at this date
			if v, ok := s.StorageByGroup[g]; ok {
				cell = roundSize(v) // exact under the date's details
			}
			o.Storage = append(o.Storage, cell)
		}
		m.Overview = append(m.Overview, o)
		m.Summaries = append(m.Summaries, summaryView(i, label, s, i == len(r.Summaries)-1))
	}
	for i, g := range m.Groups {
		m.Groups[i] = storageGroupName(g)
	}
	m.Charts = modelCharts("model", resultSeries(r), m.Unit)
	return m
}

func summaryView(i int, label string, s sizing.Summary, open bool) web.SummaryView {
	v := web.SummaryView{
		ID: "summary-" + strconv.Itoa(i+1), Title: label + ": " + num(s.Users) + " users", Open: open, Unit: s.StorageUnit,
		TotalVMs: strconv.Itoa(s.Totals.VMs), VMs: strconv.Itoa(s.Totals.VMs), Cores: num(s.Totals.Cores), RAM: num(s.Totals.RAMGB),
	}
	var os float64
	for _, sv := range s.Services {
		perVM := "–"
		if sv.StoragePerVMGB != nil {
			perVM = num(*sv.StoragePerVMGB)
		}
		v.Services = append(v.Services, web.ServiceRow{
			Name: sv.Name, CoresPerVM: num(sv.CoresPerVM), RAMPerVM: num(sv.RAMPerVMGB), StoragePerVM: perVM,
			VMs: strconv.Itoa(sv.VMsTotal), VMBuffer: strconv.Itoa(sv.VMBuffer), BufferPct: num(sv.BufferPct),
			Storage: num(sv.StorageTotal), Group: sv.StorageGroup, OSStorage: num(sv.OSStorageTotalGB),
		})
		os += sv.OSStorageTotalGB
	}
	v.TotalOS = num(os)
	for _, g := range sortedKeys(s.StorageByGroup) {
		v.StorageByGroup = append(v.StorageByGroup, web.Pair{Label: storageGroupName(g), Value: num(s.StorageByGroup[g])})
	}
	sizes := sortedKeys(s.VMsBySize)
	slices.SortStableFunc(sizes, func(a, b string) int {
		ac, ar := vmSize(a)
		bc, br := vmSize(b)
		return cmp.Or(cmp.Compare(ac, bc), cmp.Compare(ar, br))
	})
	for _, k := range sizes {
		v.VMsBySize = append(v.VMsBySize, web.Pair{Label: strings.Replace(k, "x", " × ", 1), Value: strconv.Itoa(s.VMsBySize[k])})
	}
	for _, k := range sortedKeys(s.VMsByType) {
		t := s.VMsByType[k]
		v.VMsByType = append(v.VMsByType, web.TypeRow{Type: k, VMs: strconv.Itoa(t.VMs), Cores: num(t.Cores), RAM: num(t.RAMGB)})
	}
	return v
}

// vmSize reads a "{cores}x{ram}" key.
func vmSize(k string) (float64, float64) {
	a, b, _ := strings.Cut(k, "x")
	cores, _ := strconv.ParseFloat(a, 64)
	ram, _ := strconv.ParseFloat(b, 64)
	return cores, ram
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// modelStatus sums up a result at its last summary date.
func modelStatus(r *sizing.Result) string {
	if len(r.Summaries) == 0 {
		return "The config has no summary dates."
	}
	s := r.Summaries[len(r.Summaries)-1]
	var storage float64
	for _, v := range s.StorageByGroup {
		storage += v
	}
	storage = math.Round(storage*1e6) / 1e6 // the groups are rounded; their sum need not show binary noise
	return fmt.Sprintf("At %s, with %s users: %d VMs, %s cores, %s GB RAM and %s %s of storage.",
		s.Date, num(s.Users), s.Totals.VMs, num(s.Totals.Cores), num(s.Totals.RAMGB), roundSize(storage), s.StorageUnit) // rounded up, as the charts and tables show it
}

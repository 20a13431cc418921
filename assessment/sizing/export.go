package sizing

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"groundwork/assessment/csvsafe"
)

// section is one titled table of a summary, shared by the CSV, XLSX and
// text writers so the three always say the same thing.
type section struct {
	title  string
	header []string
	rows   [][]any // cells are string, float64, int or nil (not applicable)
}

// serviceHeader names the per-service table's columns, in the original's
// order.
func serviceHeader(unit string) []string {
	return []string{"Service", "Cores per VM", "RAM per VM (GB)", "Storage per VM (GB)", "VMs total",
		"VM buffer", "Buffer %", "Storage total (" + unit + ")", "Storage group", "OS storage total (GB)"}
}

func serviceRow(sv *ServiceSummary) []any {
	var perVM any
	if sv.StoragePerVMGB != nil {
		perVM = *sv.StoragePerVMGB
	}
	return []any{sv.Name, sv.CoresPerVM, sv.RAMPerVMGB, perVM, sv.VMsTotal, sv.VMBuffer, sv.BufferPct,
		sv.StorageTotal, sv.StorageGroup, sv.OSStorageTotalGB}
}

func summarySections(s *Summary) []section {
	services := section{title: "Services", header: serviceHeader(s.StorageUnit)}
	var os float64
	for i := range s.Services {
		services.rows = append(services.rows, serviceRow(&s.Services[i]))
		os += s.Services[i].OSStorageTotalGB
	}
	services.rows = append(services.rows, []any{"Total", nil, nil, nil, s.Totals.VMs, nil, nil, nil, nil, os})

	groups := section{title: "Storage by group (" + s.StorageUnit + ")", header: []string{"Storage group", "Rounded total (" + s.StorageUnit + ")"}}
	for _, g := range sortedKeys(s.StorageByGroup) {
		groups.rows = append(groups.rows, []any{g, s.StorageByGroup[g]})
	}

	sizes := section{title: "VMs by size", header: []string{"Cores x RAM (GB)", "VMs"}}
	for _, k := range sizeKeys(s.VMsBySize) {
		sizes.rows = append(sizes.rows, []any{k, s.VMsBySize[k]})
	}

	types := section{title: "VMs by type", header: []string{"Type", "VMs", "Cores", "RAM (GB)"}}
	for _, k := range sortedKeys(s.VMsByType) {
		t := s.VMsByType[k]
		types.rows = append(types.rows, []any{k, t.VMs, t.Cores, t.RAMGB})
	}

	totals := section{title: "Totals", header: []string{"VMs", "Cores", "RAM (GB)"},
		rows: [][]any{{s.Totals.VMs, s.Totals.Cores, s.Totals.RAMGB}}}
	return []section{services, groups, sizes, types, totals}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sizeKeys orders "{cores}x{ram}" keys by cores, then RAM.
func sizeKeys(m map[string]int) []string {
	keys := sortedKeys(m)
	num := func(k string) (float64, float64) {
		a, b, _ := strings.Cut(k, "x")
		x, _ := strconv.ParseFloat(a, 64)
		y, _ := strconv.ParseFloat(b, 64)
		return x, y
	}
	sort.SliceStable(keys, func(i, j int) bool {
		ci, ri := num(keys[i])
		cj, rj := num(keys[j])
		if ci != cj {
			return ci < cj
		}
		return ri < rj
	})
	return keys
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case float64:
		return fmtNum(x)
	}
	return fmt.Sprint(v)
}

// csvCell is cellText for a CSV file: text that a spreadsheet would take
// for a formula (a service named "=cmd|...") is neutralised; numbers are
// left as they are.
func csvCell(v any) string {
	if s, ok := v.(string); ok {
		return csvsafe.Text(s)
	}
	return cellText(v)
}

func summaryTitle(s *Summary) []string {
	row := []string{"Summary", s.Date, "Users", fmtNum(s.Users)}
	if s.Set != "" {
		row = append(row, "Set", s.Set)
	}
	return row
}

// WriteCSV writes every summary of r as CSV: a "Summary" line with the date
// and users, then the per-service table, storage by group, VMs by size, VMs
// by type and totals, each with a title line and a header, separated by
// blank lines. Rows have different widths; read it with FieldsPerRecord -1.
func WriteCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	for i := range r.Summaries {
		s := &r.Summaries[i]
		if i > 0 {
			if err := cw.Write([]string{""}); err != nil {
				return err
			}
		}
		title := summaryTitle(s)
		for j := range title {
			if j != 3 { // the users count is a number
				title[j] = csvsafe.Text(title[j])
			}
		}
		if err := cw.Write(title); err != nil {
			return err
		}
		for _, sec := range summarySections(s) {
			recs := [][]string{{""}, {sec.title}, sec.header}
			for _, row := range sec.rows {
				rec := make([]string, len(row))
				for j, c := range row {
					rec[j] = csvCell(c)
				}
				recs = append(recs, rec)
			}
			if err := cw.WriteAll(recs); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

package sizing

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WorkbookInfo is what the workbook's Config sheet names besides the
// config text: the config's file name and the version of the program.
type WorkbookInfo struct {
	FileName string
	Version  string
}

// WriteXLSX writes r as the original tool's workbook, with no file name or
// version on the Config sheet. See WriteWorkbook.
func WriteXLSX(w io.Writer, r *Result) error { return WriteWorkbook(w, r, WorkbookInfo{}) }

// WriteWorkbook writes r as an Excel workbook with the original tool's
// sheets and columns. For a run without sets (or of one set):
// "Comparisons" and "Incremental Comparisons" when there are several
// summary dates, one sheet per summary date ("2021-07-01 - 12K users":
// user counts, storage by group, VMs by size, VMs by type, VM summary,
// service detailed summary), "Usage" (every usage field of every month),
// "Raw Data (service)" for each service, and "Config". A run of several
// sets puts them in one workbook: a "Set Comparisons" sheet at
// sets_summary_date first, then each set's comparisons and summary sheets,
// named by what distinguishes the set; the original's per-set usage and
// raw data sheets come from running one set (RunWith with Options.Set).
// Numbers stay numbers; cells the original leaves empty (zeros in its
// summaries, NaN) are empty.
func WriteWorkbook(w io.Writer, r *Result, info WorkbookInfo) error {
	wb, err := newWorkbook()
	if err != nil {
		return err
	}
	defer wb.f.Close()
	sets := groupBySet(r.Summaries)
	labels := setLabels(sets)
	multi := len(sets) > 1
	if multi && r.SetsSummaryDate != "" {
		var keys []string
		var snaps []*Summary
		for _, g := range sets {
			for _, s := range g {
				if s.Date == r.SetsSummaryDate {
					keys = append(keys, g[0].Set)
					snaps = append(snaps, s)
				}
			}
		}
		if len(snaps) > 1 {
			if err := wb.comparisons("Set Comparisons", "", keys, snaps, false, r.Summaries[0].StorageUnit); err != nil {
				return err
			}
		}
	}
	for i, g := range sets {
		prefix := ""
		if multi {
			prefix = labels[i] + " "
		}
		if len(g) > 1 {
			keys := make([]string, len(g))
			for k, s := range g {
				keys[k] = s.Date + "-01"
			}
			unit := g[0].StorageUnit
			if err := wb.comparisons(prefix+"Comparisons", "", keys, g, true, unit); err != nil {
				return err
			}
			if err := wb.comparisons(prefix+"Incremental Comparisons", "Incremental ", keys, g, true, unit); err != nil {
				return err
			}
		}
		for _, s := range g {
			if err := wb.summarySheet(prefix, s); err != nil {
				return err
			}
		}
	}
	if r.src != nil && len(r.src.scenarios) == 1 {
		if err := wb.rawSheets(r.src); err != nil {
			return err
		}
	}
	if r.src != nil && r.src.text != nil {
		if err := wb.configSheet(r.src.text, info); err != nil {
			return err
		}
	}
	return wb.finish(w)
}

// WriteSetComparison writes the original's cross-set comparison workbook:
// one "Comparisons" sheet comparing every set combination of r at the
// config's sets_summary_date. It is a *FieldError when the config has no
// sets_summary_date or fewer than two sets.
func WriteSetComparison(w io.Writer, r *Result) error {
	var keys []string
	var snaps []*Summary
	for i := range r.Summaries {
		s := &r.Summaries[i]
		if s.Set != "" && s.Date == r.SetsSummaryDate {
			keys = append(keys, s.Set)
			snaps = append(snaps, s)
		}
	}
	if r.SetsSummaryDate == "" || len(snaps) < 2 {
		return fieldErr("sets_summary_date", "a set comparison needs sets_summary_date and at least two set combinations")
	}
	wb, err := newWorkbook()
	if err != nil {
		return err
	}
	defer wb.f.Close()
	if err := wb.comparisons("Comparisons", "", keys, snaps, false, snaps[0].StorageUnit); err != nil {
		return err
	}
	return wb.finish(w)
}

// groupBySet splits summaries by set, in order.
func groupBySet(sums []Summary) [][]*Summary {
	var out [][]*Summary
	for i := range sums {
		s := &sums[i]
		if len(out) == 0 || out[len(out)-1][0].Set != s.Set {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], s)
	}
	return out
}

// setLabels names each set by what distinguishes it: the parts of the
// names ("7lakh-2000fpu") that all sets share are left out ("7lakh"), so
// sheet names keep the user count within Excel's 31 characters.
func setLabels(sets [][]*Summary) []string {
	out := make([]string, len(sets))
	if len(sets) < 2 {
		for i, g := range sets {
			out[i] = g[0].Set
		}
		return out
	}
	parts := make([][]string, len(sets))
	common := map[string]int{}
	for i, g := range sets {
		parts[i] = strings.Split(g[0].Set, "-")
		seen := map[string]bool{}
		for _, p := range parts[i] {
			if !seen[p] {
				seen[p] = true
				common[p]++
			}
		}
	}
	for i := range sets {
		var keep []string
		for _, p := range parts[i] {
			if common[p] < len(sets) {
				keep = append(keep, p)
			}
		}
		out[i] = strings.Join(keep, "-")
		if out[i] == "" {
			out[i] = sets[i][0].Set
		}
	}
	return out
}

// workbook writes tables one under another, as the original's writer does.
type workbook struct {
	f                       *excelize.File
	heading, sub, index, tt int
	row                     map[string]int
	widths                  map[string][]int
	used                    map[string]bool
	order                   []string
}

func newWorkbook() (*workbook, error) {
	f := excelize.NewFile()
	wb := &workbook{f: f, row: map[string]int{}, widths: map[string][]int{}, used: map[string]bool{}}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	styles := []struct {
		dst *int
		st  excelize.Style
	}{
		{&wb.heading, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#CCFFFF"}}}},
		{&wb.sub, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&wb.index, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&wb.tt, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Alignment: &excelize.Alignment{Horizontal: "right"}}},
	}
	for _, s := range styles {
		id, err := f.NewStyle(&s.st)
		if err != nil {
			return nil, err
		}
		*s.dst = id
	}
	return wb, nil
}

// sheet returns the Excel name for a sheet, creating it on first use: at
// most 31 characters, none of :\/?*[], unique.
func (wb *workbook) sheet(name string) (string, error) {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if _, ok := wb.row[name]; ok {
		return name, nil
	}
	base := name
	for i := 2; wb.used[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		r := []rune(base)
		if len(r)+len(suffix) > 31 {
			r = r[:31-len(suffix)]
		}
		name = string(r) + suffix
	}
	wb.used[strings.ToLower(name)] = true
	if _, err := wb.f.NewSheet(name); err != nil {
		return "", err
	}
	wb.row[name] = 1
	wb.order = append(wb.order, name)
	return name, nil
}

// put writes one row of cells at the sheet's current row.
func (wb *workbook) put(sheet string, col int, cells []any, style int) error {
	row := wb.row[sheet]
	for i, c := range cells {
		ref, _ := excelize.CoordinatesToCellName(col+i, row)
		if c == nil {
			if style != 0 {
				if err := wb.f.SetCellStyle(sheet, ref, ref, style); err != nil {
					return err
				}
			}
			continue
		}
		if err := wb.f.SetCellValue(sheet, ref, c); err != nil {
			return err
		}
		if style != 0 {
			if err := wb.f.SetCellStyle(sheet, ref, ref, style); err != nil {
				return err
			}
		}
		wb.width(sheet, col+i-1, cellWidth(c))
	}
	return nil
}

func cellWidth(c any) int {
	switch x := c.(type) {
	case string:
		return len([]rune(x))
	case float64:
		return len(fmtNum(x))
	case int:
		return len(strconv.Itoa(x))
	}
	return 8
}

func (wb *workbook) width(sheet string, i, w int) {
	ws := wb.widths[sheet]
	for len(ws) <= i {
		ws = append(ws, 0)
	}
	if w > ws[i] {
		ws[i] = w
	}
	wb.widths[sheet] = ws
}

// heading writes a title merged over cols+1 columns.
func (wb *workbook) title(sheet, text string, cols int) error {
	row := wb.row[sheet]
	a, _ := excelize.CoordinatesToCellName(1, row)
	b, _ := excelize.CoordinatesToCellName(cols+1, row)
	if cols > 0 {
		if err := wb.f.MergeCell(sheet, a, b); err != nil {
			return err
		}
	}
	if err := wb.f.SetCellValue(sheet, a, text); err != nil {
		return err
	}
	if err := wb.f.SetCellStyle(sheet, a, b, wb.heading); err != nil {
		return err
	}
	wb.row[sheet]++
	return nil
}

// table is one titled table: header rows over the value columns, and rows
// with a label each; a nil cell is empty.
type table struct {
	title   string
	headers [][]string // one or two levels; "" leaves a cell empty
	labels  []string
	rows    [][]any
	total   bool // the last row is a total, in bold
}

func (wb *workbook) table(sheet string, t table) error {
	cols := 0
	for _, h := range t.headers {
		cols = max(cols, len(h))
	}
	if err := wb.title(sheet, t.title, cols); err != nil {
		return err
	}
	for _, h := range t.headers {
		cells := make([]any, len(h))
		for i, s := range h {
			if s != "" {
				cells[i] = s
			}
		}
		if err := wb.put(sheet, 2, cells, wb.sub); err != nil {
			return err
		}
		wb.row[sheet]++
	}
	for i, label := range t.labels {
		style := 0
		if t.total && i == len(t.labels)-1 {
			style = wb.tt
		}
		if err := wb.put(sheet, 1, []any{label}, wb.index); err != nil {
			return err
		}
		if err := wb.put(sheet, 2, t.rows[i], style); err != nil {
			return err
		}
		wb.row[sheet]++
	}
	wb.row[sheet] += 2
	return nil
}

func (wb *workbook) finish(w io.Writer) error {
	for _, name := range wb.order {
		for i, width := range wb.widths[name] {
			col, _ := excelize.ColumnNumberToName(i + 1)
			if err := wb.f.SetColWidth(name, col, col, math.Min(float64(width)+2, 80)); err != nil {
				return err
			}
		}
	}
	if len(wb.order) > 0 {
		if err := wb.f.DeleteSheet("Sheet1"); err != nil {
			return err
		}
		wb.f.SetActiveSheet(0)
	}
	return wb.f.Write(w)
}

// num is a number cell, or empty where the original shows NaN.
func num(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return x
}

// nonZero is a number cell, empty for 0: the original's summaries replace
// zeros with NaN.
func nonZero(x float64) any {
	if x == 0 {
		return nil
	}
	return num(x)
}

// summarySheetName is the original's "2021-07-01 - 12K users", after a
// set's label when there are sets. Within Excel's 31 characters the date
// and user count are kept: the day, then " users", then the end of the
// label go first.
func summarySheetName(prefix string, s *Summary) string {
	users := shortUsers(s.Users)
	for _, name := range []string{
		prefix + s.Date + "-01 - " + users + " users",
		prefix + s.Date + " - " + users + " users",
		prefix + s.Date + " - " + users,
	} {
		if len([]rune(name)) <= 31 {
			return name
		}
	}
	tail := " " + s.Date + " - " + users
	label := []rune(strings.TrimSuffix(prefix, " "))
	keep := max(0, 31-len([]rune(tail)))
	return string(label[:min(keep, len(label))]) + tail
}

// shortUsers is the original's user count in sheet names: whole thousands.
func shortUsers(users float64) string {
	return strconv.Itoa(int(users/1000)) + "K"
}

// serviceColumns are the original's per-service summary columns, in its
// order ("Service Detailed Summary").
func serviceColumns(unit string) []string {
	return []string{"Cores Per VM", "Cores HA", "Cores Total", "RAM Per VM", "RAM HA (GB)", "RAM Total (GB)",
		"Data Storage Per VM (GB)", "Data Storage HA (" + unit + ")", "Data Storage Total (" + unit + ")",
		"Data Storage RAW (includes HA) (" + unit + ")", "VMs HA", "VMs Total", "VM Buffer", "Buffer %",
		"OS Storage HA (GB)", "OS Storage Total (GB)", "Storage Group", "Aggregation Key"}
}

// serviceValues are one service's values in serviceColumns order.
func serviceValues(sv *ServiceSummary) []float64 {
	per := 0.0
	if sv.StoragePerVMGB != nil {
		per = *sv.StoragePerVMGB
	}
	return []float64{sv.CoresPerVM, sv.CoresHA, sv.CoresTotal, sv.RAMPerVMGB, sv.RAMHAGB, sv.RAMTotalGB,
		per, sv.StorageHA, sv.StorageTotal, sv.StorageRaw, float64(sv.VMsHA), float64(sv.VMsTotal),
		float64(sv.VMBuffer), sv.Buffer, sv.OSStorageHAGB, sv.OSStorageTotalGB}
}

// summarySheet writes the original's sheet for one summary date.
func (wb *workbook) summarySheet(prefix string, s *Summary) error {
	name, err := wb.sheet(summarySheetName(prefix, s))
	if err != nil {
		return err
	}
	if err := wb.title(name, "User counts", 1); err != nil {
		return err
	}
	if err := wb.put(name, 1, []any{s.Date + "-01", s.Users}, 0); err != nil {
		return err
	}
	wb.row[name] += 2
	unit := s.StorageUnit

	groups := table{title: "Storage by Group (" + unit + ")", headers: [][]string{{"Rounded Total (" + unit + ")"}}}
	for _, g := range sortedKeys(s.StorageByGroup) {
		groups.labels = append(groups.labels, g)
		groups.rows = append(groups.rows, []any{s.StorageByGroup[g]})
	}
	// VMs by size and type as the original groups them: every service,
	// those with no VMs included.
	sizes := map[string]float64{}
	types := map[string][3]float64{}
	for i := range s.Services {
		sv := &s.Services[i]
		sizes[sv.VMType] += float64(sv.VMsTotal)
		t := types[sv.AggregationKey]
		t[0] += sv.CoresTotal
		t[1] += sv.RAMTotalGB
		t[2] += float64(sv.VMsTotal)
		types[sv.AggregationKey] = t
	}
	bySize := table{title: "VMs by Size", headers: [][]string{{"Count"}}}
	for _, k := range sortedKeys(sizes) {
		bySize.labels = append(bySize.labels, k)
		bySize.rows = append(bySize.rows, []any{sizes[k]})
	}
	byType := table{title: "VMs by Type", headers: [][]string{{"Cores Total", "RAM Total (GB)", "VMs Total"}}}
	for _, k := range sortedKeys(types) {
		t := types[k]
		byType.labels = append(byType.labels, k)
		byType.rows = append(byType.rows, []any{t[0], t[1], t[2]})
	}
	vmSum := table{title: "VM Summary", headers: [][]string{{"Cores Per VM", "RAM Per VM", "Data Storage Per VM (GB)",
		"VMs Total", "Data Storage Total (" + unit + ")", "Storage Group", "OS Storage Total (GB)", "OS Storage Per VM (GB)"}}}
	cols := serviceColumns(unit)
	detail := table{title: "Service Detailed Summary", headers: [][]string{cols}, total: true}
	totals := make([]float64, len(cols)-2)
	osPerVM := s.OSStoragePerVMGB
	for i := range s.Services {
		sv := &s.Services[i]
		v := serviceValues(sv)
		vmSum.labels = append(vmSum.labels, sv.Name)
		vmSum.rows = append(vmSum.rows, []any{nonZero(v[0]), nonZero(v[3]), nonZero(v[6]), nonZero(v[11]), nonZero(v[8]),
			textCell(sv.StorageGroup), nonZero(v[15]), nonZero(osPerVM)})
		row := make([]any, 0, len(cols))
		for k, x := range v {
			row = append(row, nonZero(x))
			totals[k] += x
		}
		row = append(row, textCell(sv.StorageGroup), textCell(sv.AggregationKey))
		detail.labels = append(detail.labels, sv.Name)
		detail.rows = append(detail.rows, row)
	}
	tot := make([]any, 0, len(cols))
	for _, x := range totals {
		tot = append(tot, oneDecimal(nonZero(x)))
	}
	detail.labels = append(detail.labels, "Total")
	detail.rows = append(detail.rows, tot)
	for _, t := range []table{groups, bySize, byType, vmSum, detail} {
		if err := wb.table(name, t); err != nil {
			return err
		}
	}
	return nil
}

// oneDecimal is a total cell as the original shows it: rounded to one
// decimal (it writes "%.1f"), kept a number here.
func oneDecimal(c any) any {
	x, ok := c.(float64)
	if !ok {
		return c
	}
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 1, 64), 64)
	return v
}

func textCell(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// comparisons writes the original's comparison sheet over keys (summary
// dates, or set names): user counts, storage by group, compute totals,
// storage by service and compute by service; prefix "Incremental " shows
// the change from one key to the next instead.
func (wb *workbook) comparisons(sheetName, prefix string, keys []string, sums []*Summary, users bool, unit string) error {
	name, err := wb.sheet(sheetName)
	if err != nil {
		return err
	}
	incremental := prefix != ""
	if users {
		if err := wb.title(name, "User counts", len(keys)); err != nil {
			return err
		}
		hdr := make([]any, len(keys))
		cnt := make([]any, len(keys))
		for i, s := range sums {
			hdr[i] = keys[i]
			cnt[i] = s.Users
		}
		if err := wb.put(name, 2, hdr, wb.sub); err != nil {
			return err
		}
		wb.row[name]++
		if err := wb.put(name, 1, []any{"User count"}, wb.index); err != nil {
			return err
		}
		if err := wb.put(name, 2, cnt, 0); err != nil {
			return err
		}
		wb.row[name] += 2
	}
	// diff turns a row of values into increments (NaN stays NaN).
	diff := func(vals []float64) []any {
		out := make([]any, len(vals))
		for i, v := range vals {
			if incremental && i > 0 {
				v -= vals[i-1]
			}
			out[i] = num(v)
		}
		return out
	}

	rounded := make([]string, len(keys))
	for i := range rounded {
		rounded[i] = "Rounded Total (" + unit + ")"
	}
	groups := table{title: prefix + "Storage by Group (" + unit + ")", headers: [][]string{keys, rounded}}
	allGroups := map[string]bool{}
	for _, s := range sums {
		for g := range s.StorageByGroup {
			allGroups[g] = true
		}
	}
	for _, g := range sortedKeys(allGroups) {
		vals := make([]float64, len(sums))
		for i, s := range sums {
			v, ok := s.StorageByGroup[g]
			if !ok {
				v = math.NaN()
			}
			vals[i] = v
		}
		groups.labels = append(groups.labels, g)
		groups.rows = append(groups.rows, diff(vals))
	}

	// Compute by service: the original keeps only services with cores,
	// RAM and VMs above zero at every key, then the total.
	computeRows := [][]float64{}
	var computeLabels []string
	total := make([]float64, 3*len(sums))
	for j := range sums[0].Services {
		vals := make([]float64, 0, 3*len(sums))
		keep := true
		for _, s := range sums {
			if j >= len(s.Services) {
				keep = false
				break
			}
			sv := &s.Services[j]
			vals = append(vals, sv.CoresTotal, sv.RAMTotalGB, float64(sv.VMsTotal))
			if sv.CoresTotal <= 0 || sv.RAMTotalGB <= 0 || sv.VMsTotal <= 0 {
				keep = false
			}
		}
		for i := range sums {
			s := sums[i]
			if j < len(s.Services) {
				total[3*i] += s.Services[j].CoresTotal
				total[3*i+1] += s.Services[j].RAMTotalGB
				total[3*i+2] += float64(s.Services[j].VMsTotal)
			}
		}
		if keep {
			computeLabels = append(computeLabels, sums[0].Services[j].Name)
			computeRows = append(computeRows, vals)
		}
	}
	totalKept := true
	for _, v := range total {
		if v <= 0 {
			totalKept = false
		}
	}
	if totalKept {
		computeLabels = append(computeLabels, "Total")
		computeRows = append(computeRows, total)
	}
	step := func(vals []float64) []any { // increments per key, for each of the three
		out := make([]any, len(vals))
		for i, v := range vals {
			if incremental && i >= 3 {
				v -= vals[i-3]
			}
			out[i] = num(v)
		}
		return out
	}
	totals := table{title: prefix + "Compute Totals", headers: [][]string{keys}}
	if totalKept {
		t := step(total)
		for k, label := range []string{"Cores", "RAM (GB)", "VMs"} {
			row := make([]any, len(sums))
			for i := range sums {
				row[i] = t[3*i+k]
			}
			totals.labels = append(totals.labels, label)
			totals.rows = append(totals.rows, row)
		}
	}

	byService := table{title: prefix + "Storage by Service (" + unit + ")", headers: [][]string{append(append([]string{}, keys...), "Group")}}
	for j := range sums[0].Services {
		vals := make([]float64, len(sums))
		for i, s := range sums {
			vals[i] = math.NaN()
			if j < len(s.Services) && s.Services[j].StorageTotal != 0 {
				vals[i] = s.Services[j].StorageTotal
			}
		}
		group := sums[0].Services[j].StorageGroup
		allNaN := true
		for _, v := range vals {
			if !math.IsNaN(v) {
				allNaN = false
			}
		}
		if allNaN && group == "" {
			continue
		}
		byService.labels = append(byService.labels, sums[0].Services[j].Name)
		byService.rows = append(byService.rows, append(diff(vals), textCell(group)))
	}

	sub := make([]string, 0, 3*len(keys))
	top := make([]string, 0, 3*len(keys))
	for _, k := range keys {
		top = append(top, k, "", "")
		sub = append(sub, "Cores", "RAM (GB)", "VMs")
	}
	combined := table{title: prefix + "Compute Combined", headers: [][]string{top, sub}, labels: computeLabels, total: totalKept}
	for i, vals := range computeRows {
		row := step(vals)
		if totalKept && i == len(computeRows)-1 {
			for k := range row {
				row[k] = oneDecimal(row[k])
			}
		}
		combined.rows = append(combined.rows, row)
	}
	for _, t := range []table{groups, totals, byService, combined} {
		if err := wb.table(name, t); err != nil {
			return err
		}
	}
	return nil
}

// configSheet writes the config text, as the original's "Config" sheet.
func (wb *workbook) configSheet(text []byte, info WorkbookInfo) error {
	name, err := wb.sheet("Config")
	if err != nil {
		return err
	}
	file := info.FileName
	if file == "" {
		file = "(not from a file)"
	}
	version := info.Version
	if version == "" {
		version = "groundwork"
	}
	lines := append([]string{"Config filename: " + file, "Version: " + version, ""},
		strings.Split(strings.TrimRight(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n"), "\n")...)
	for _, l := range lines {
		if err := wb.put(name, 1, []any{l}, 0); err != nil {
			return err
		}
		wb.row[name]++
	}
	return nil
}

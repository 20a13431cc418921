package sizing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// originalSheet is one sheet of a workbook the original wrote, as
// testdata/original/workbook.py printed it: its non-empty rows.
type originalSheet struct {
	Name string
	Rows [][]any
}

// TestWorkbookMatchesOriginal writes our workbook for configs the original
// was run on and compares it sheet by sheet and row by row with the
// original's: the same sheets in the same order, the same non-empty rows
// (titles, headers, labels and values).
func TestWorkbookMatchesOriginal(t *testing.T) {
	tests := []struct {
		golden, config string
		set            bool // compare our Set Comparisons sheet with the original's comparison workbook
	}{
		{"bka-test", "testdata/bka-test.yml", false},
		{"echis", "testdata/original/configs/echis.yml", false},
		{"icds-march-sizing-comparison", "testdata/original/configs/icds-march-sizing-comparison.yml", false},
		{"icds-14lakh-aug2019-comparison", "testdata/original/configs/icds-14lakh-aug2019.yml", true},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			data, err := os.ReadFile(tt.config)
			if err != nil {
				t.Fatal(err)
			}
			res, err := RunYAMLWith(data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteWorkbook(&buf, res, WorkbookInfo{FileName: filepath.Base(tt.config), Version: "test"}); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			raw, err := os.ReadFile(filepath.Join("testdata", "original", "workbooks", tt.golden+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var want []originalSheet
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			if tt.set {
				compareSheet(t, f, "Set Comparisons", want[0].Rows)
				return
			}
			var names []string
			for _, s := range want {
				names = append(names, s.Name)
			}
			if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(names, "|") {
				t.Fatalf("sheets\n got %q\nwant %q", got, names)
			}
			for _, s := range want {
				rows := s.Rows
				if s.Name == "Config" {
					// The original's git commit is our "Version"; bka-test.yml
					// here has lost its comments, so only its name is compared.
					rows = append([][]any{rows[0]}, rows[2:]...)
					if tt.golden == "bka-test" {
						rows = rows[:1]
					}
				}
				compareSheet(t, f, s.Name, rows)
			}
		})
	}
}

func compareSheet(t *testing.T, f *excelize.File, sheet string, want [][]any) {
	t.Helper()
	got, err := f.GetRows(sheet)
	if err != nil {
		t.Errorf("%s: %v", sheet, err)
		return
	}
	var rows [][]string
	for _, r := range got {
		for len(r) > 0 && r[len(r)-1] == "" {
			r = r[:len(r)-1]
		}
		if len(r) > 0 {
			rows = append(rows, r)
		}
	}
	if sheet == "Config" {
		rows = append(rows[:1], rows[2:]...)
		if len(want) == 1 {
			rows = rows[:1]
		}
	}
	// Empty strings and empty cells read alike; drop rows left empty.
	var norm [][]any
	for _, r := range want {
		for len(r) > 0 && (r[len(r)-1] == nil || r[len(r)-1] == "") {
			r = r[:len(r)-1]
		}
		if len(r) > 0 {
			norm = append(norm, r)
		}
	}
	want = norm
	bad := 0
	for i := 0; i < max(len(rows), len(want)); i++ {
		var g []string
		var w []any
		if i < len(rows) {
			g = rows[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if msg := rowDiff(g, w); msg != "" {
			t.Errorf("%s row %d: %s\n got %q\nwant %v", sheet, i+1, msg, g, w)
			if bad++; bad >= 3 {
				return
			}
		}
	}
}

// rowDiff compares our cells (as excelize reads them) with the original's.
func rowDiff(got []string, want []any) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d cells, original %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		switch x := w.(type) {
		case nil:
			if g != "" {
				return fmt.Sprintf("cell %d = %q, original empty", i+1, g)
			}
		case float64:
			v, err := strconv.ParseFloat(g, 64)
			if err != nil || !close(v, x) {
				return fmt.Sprintf("cell %d = %q, original %v", i+1, g, x)
			}
		case string:
			if v, err := strconv.ParseFloat(x, 64); err == nil && x != "" {
				// the original writes its total row as text ("83.0")
				if gv, err := strconv.ParseFloat(g, 64); err == nil && close(gv, v) {
					continue
				}
			}
			if g != x {
				return fmt.Sprintf("cell %d = %q, original %q", i+1, g, x)
			}
		default:
			return fmt.Sprintf("cell %d: unexpected %T", i+1, w)
		}
	}
	return ""
}

func TestSummarySheetNames(t *testing.T) {
	tests := []struct {
		prefix, date string
		users        float64
		want         string
	}{
		{"", "2021-07", 12600, "2021-07-01 - 12K users"},
		{"", "2021-07", 500, "2021-07-01 - 0K users"},
		{"14lakh ", "2020-09", 1.4e6, "14lakh 2020-09-01 - 1400K users"},
		{"140lakh ", "2020-09", 1.4e7, "140lakh 2020-09 - 14000K users"},
		{"a-long-label-x ", "2020-09", 1.4e6, "a-long-label-x 2020-09 - 1400K"},
		{"a-very-long-label-indeed ", "2020-09", 1.4e6, "a-very-long-lab 2020-09 - 1400K"},
	}
	for _, tt := range tests {
		got := summarySheetName(tt.prefix, &Summary{Date: tt.date, Users: tt.users})
		if got != tt.want || len([]rune(got)) > 31 {
			t.Errorf("summarySheetName(%q, %s, %v) = %q, want %q", tt.prefix, tt.date, tt.users, got, tt.want)
		}
	}
}

// TestWorkbookWithSets checks one workbook of every set combination: a
// sheet per set and date whose name keeps the set and the user count.
func TestWorkbookWithSets(t *testing.T) {
	data, err := os.ReadFile("testdata/original/configs/icds-14lakh-aug2019.yml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := RunYAML(data)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, res); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 10 || sheets[0] != "Set Comparisons" || sheets[9] != "Config" {
		t.Fatalf("sheets = %q", sheets)
	}
	for i, set := range res.Sets() {
		users := strings.SplitN(set, "-", 2)[0] // "7lakh"
		if !strings.HasPrefix(sheets[i+1], users+" 2020-09-01 - ") || !strings.HasSuffix(sheets[i+1], "K users") {
			t.Errorf("sheet for %s = %q", set, sheets[i+1])
		}
	}
}

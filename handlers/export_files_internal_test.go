package handlers

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"groundwork/assessment"
)

// hostileCells is text people can type that a spreadsheet might run or a
// reader might misread: formula prefixes, right-to-left marks, a very
// long string.
var hostileCells = []string{
	"=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", `=HYPERLINK("http://evil","click")`,
	"\u202Eexe.pdf", "\u200Fشكرا\u200E ok", strings.Repeat("long ", 2000), "plain, \"quoted\"\nline",
}

// formulaStart reports whether a spreadsheet would read s as a formula.
func formulaStart(s string) bool { return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) }

func hostileRows() []matrixRow {
	var rows []matrixRow
	for _, s := range hostileCells {
		rows = append(rows, matrixRow{Phase: s, PhaseTitle: s, PhaseStatus: s, Key: s, Checkpoint: s, ConfirmedBy: s, EvidenceURL: s,
			Files: []string{s, s}, Note: s, Decision: s, DecidedBy: s, DecisionNote: s, OpenText: s, OpenThreads: -1,
			ConfirmedAt: time.Date(2026, 12, 4, 9, 30, 0, 0, time.UTC)})
	}
	return rows
}

// TestMatrixCSVHostile: every text cell of the matrix that would start a
// formula starts with a quote instead; otherwise the text is intact, right-
// to-left marks and 10,000 characters included; numbers stay numbers.
func TestMatrixCSVHostile(t *testing.T) {
	var buf bytes.Buffer
	if err := writeMatrixCSV(&buf, hostileRows()); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(hostileCells) {
		t.Fatalf("%d records, want %d", len(recs), 1+len(hostileCells))
	}
	for i, s := range hostileCells {
		rec := recs[i+1]
		want := s
		if formulaStart(s) {
			want = "'" + s
		}
		for j, cell := range rec {
			switch matrixHeader[j] {
			case "Blocking", "Status", "Confirmed at (UTC)", "Decided at (UTC)":
				continue
			case "Open comments":
				if cell != "-1" {
					t.Errorf("the count %q: a number must not be neutralised", cell)
				}
			case "Evidence files":
				if cell != want+"\n"+want {
					t.Errorf("files of %q = %q", s, cell)
				}
			default:
				if cell != want {
					t.Errorf("%s of %q = %q, want %q", matrixHeader[j], s, cell, want)
				}
			}
			if formulaStart(cell) && matrixHeader[j] != "Open comments" {
				t.Errorf("%s cell %q starts a formula", matrixHeader[j], cell)
			}
		}
	}
}

// TestReportXLSXHostile: in the workbook every hostile text is a string
// cell, as typed, with no formula.
func TestReportXLSXHostile(t *testing.T) {
	var buf bytes.Buffer
	ws := &workspace{template: &assessment.Template{}}
	if err := writeReportXLSX(&buf, ws, hostileRows()); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for i, s := range hostileCells {
		for j, h := range matrixHeader {
			if h == "Blocking" || h == "Status" || strings.HasSuffix(h, "(UTC)") || h == "Open comments" {
				continue
			}
			c := cell(j, i+2)
			typ, _ := x.GetCellType("Checkpoints", c)
			formula, _ := x.GetCellFormula("Checkpoints", c)
			v, _ := x.GetCellValue("Checkpoints", c)
			want := s
			if h == "Evidence files" {
				want = s + "\n" + s
			}
			if formula != "" || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) || v != want {
				t.Errorf("%s %s (%q): type %v, formula %q, value %.40q", c, h, s, typ, formula, v)
			}
		}
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{"Checkpoints": true}
	for _, tt := range []struct{ in, want string }{
		{"1.1 System assessment and design", "1.1 System assessment and…"},
		{"1.1 System assessment and design", "1.1 System assessment and… (2)"},
		{"4.2 Configure monitoring and error logging", "4.2 Configure monitoring and…"},
		{"3.3 Onetimemigrationofthecommcareapp", "3.3 Onetimemigrationofthecommc…"},
		{"2: a/b [c]*?", "2 a b c"},
		{"1.3 VPN and bastion / jump host", "1.3 VPN and bastion jump host"},
		{"Checkpoints", "Checkpoints (2)"},
	} {
		if got := sheetName(tt.in, used); got != tt.want {
			t.Errorf("sheetName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

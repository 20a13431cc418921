package handlers

import (
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"groundwork/assessment"
	"groundwork/web"
)

// reportXLSX is the assessment as a workbook: the checkpoint matrix on a
// "Checkpoints" sheet, then one sheet of answers per phase.
func (h *handler) reportXLSX(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	talk, err := h.talk(r, ws)
	if err != nil {
		return err
	}
	rows := checkpointMatrix(ws, talk)
	return sendFile(w, xlsxType, "assessment-"+itoa(ws.stored.ID)+"-report.xlsx", func(out io.Writer) error {
		return writeReportXLSX(out, ws, rows)
	})
}

// reportBook writes the workbook's sheets. Every text goes in with
// SetCellStr, which writes a string cell: a value such as "=1+1" is shown
// as typed and never evaluated. Times are numbers with a date format (in
// UTC); counts and number answers are numbers, the latter with their
// unit in the number format ("2,500 users" shown, 2500 in formulas).
type reportBook struct {
	f                       *excelize.File
	head, text, dates, days int
	numbers                 map[string]int  // style by number format
	filtered                map[string]bool // sheets with a filter on their header
	err                     error
}

func writeReportXLSX(out io.Writer, ws *workspace, rows []matrixRow) error {
	f := excelize.NewFile()
	defer f.Close()
	b := &reportBook{f: f, numbers: map[string]int{}, filtered: map[string]bool{}}
	b.head, b.err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#E8EEF4"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	b.style(&b.text, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	format := "yyyy-mm-dd hh:mm"
	b.style(&b.dates, &excelize.Style{CustomNumFmt: &format, Alignment: &excelize.Alignment{Vertical: "top"}})
	day := "yyyy-mm-dd"
	b.style(&b.days, &excelize.Style{CustomNumFmt: &day, Alignment: &excelize.Alignment{Vertical: "top"}})
	b.checkpoints(rows)
	used := map[string]bool{"Checkpoints": true}
	if s, adv := reportSizing(ws); s != nil {
		b.sizing(ws, s, adv)
		used["Sizing"] = true
	}
	for _, p := range ws.template.Phases {
		b.answers(sheetName(p.Key+" "+p.Title, used), ws, p)
	}
	b.finish()
	if b.err != nil {
		return b.err
	}
	f.SetActiveSheet(0)
	return f.Write(out)
}

// finish gives each sheet its used range (its dimension, which readers
// that stream a sheet rely on) and sets the filters over every row of
// the sheets that have one, not the header alone.
func (b *reportBook) finish() {
	for _, name := range b.f.GetSheetList() {
		rows, err := b.f.GetRows(name)
		b.do(err)
		width := 1
		for _, r := range rows {
			width = max(width, len(r))
		}
		last := cell(width-1, max(len(rows), 1))
		b.do(b.f.SetSheetDimension(name, "A1:"+last))
		if b.filtered[name] {
			b.do(b.f.AutoFilter(name, "A1:"+last, nil))
		}
	}
}

func (b *reportBook) style(dst *int, s *excelize.Style) {
	if b.err == nil {
		*dst, b.err = b.f.NewStyle(s)
	}
}

// do keeps the first error of a run of calls.
func (b *reportBook) do(err error) {
	if b.err == nil {
		b.err = err
	}
}

// sheet starts a sheet with its header row frozen and its column widths,
// and a filter on the header when the rows below are all alike.
func (b *reportBook) sheet(name string, first bool, header []string, widths []float64, filter bool) {
	if first {
		b.do(b.f.SetSheetName("Sheet1", name))
	} else {
		_, err := b.f.NewSheet(name)
		b.do(err)
	}
	b.headRow(name, 1, 0, header...)
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		b.do(b.f.SetColWidth(name, col, col, w))
	}
	b.do(b.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	b.filtered[name] = filter // set over the rows once written (finish)
}

// headRow writes cells as a row of headings, from column col.
func (b *reportBook) headRow(sheet string, row, col int, cells ...string) {
	for i, v := range cells {
		c := cell(col+i, row)
		b.do(b.f.SetCellStr(sheet, c, v))
		b.do(b.f.SetCellStyle(sheet, c, c, b.head))
	}
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col+1, row)
	return c
}

// str writes a text cell (never a formula).
func (b *reportBook) str(sheet string, col, row int, s string) {
	c := cell(col, row)
	b.do(b.f.SetCellStr(sheet, c, s))
	b.do(b.f.SetCellStyle(sheet, c, c, b.text))
}

// number writes f as a number shown with the given decimals and, when
// unit is not empty, the unit after it.
func (b *reportBook) number(sheet string, col, row int, f float64, decimals int, unit string) {
	format := "#,##0"
	if decimals > 0 {
		format += "." + strings.Repeat("0", decimals)
	}
	if unit = strings.ReplaceAll(unit, `"`, ""); unit != "" {
		format += `" ` + unit + `"`
	}
	style, ok := b.numbers[format]
	if !ok {
		b.style(&style, &excelize.Style{CustomNumFmt: &format, Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "right"}})
		b.numbers[format] = style
	}
	c := cell(col, row)
	b.do(b.f.SetCellFloat(sheet, c, f, -1, 64))
	b.do(b.f.SetCellStyle(sheet, c, c, style))
}

// date writes a time as an Excel date in UTC, or nothing for the zero time.
func (b *reportBook) date(sheet string, col, row int, t time.Time) {
	if t.IsZero() {
		return
	}
	c := cell(col, row)
	b.do(b.f.SetCellValue(sheet, c, t.UTC()))
	b.do(b.f.SetCellStyle(sheet, c, c, b.dates))
}

// day writes a date as stored ("2027-04-15") as an Excel date shown as
// the day; it reports false, writing nothing, for anything else.
func (b *reportBook) day(sheet string, col, row int, s string) bool {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return false
	}
	c := cell(col, row)
	b.do(b.f.SetCellValue(sheet, c, d))
	b.do(b.f.SetCellStyle(sheet, c, c, b.days))
	return true
}

// checkpoints is the matrix sheet, with matrixHeader's columns.
func (b *reportBook) checkpoints(rows []matrixRow) {
	const s = "Checkpoints"
	b.sheet(s, true, matrixHeader, []float64{8, 28, 16, 24, 60, 10, 14, 18, 18, 30, 30, 50, 18, 18, 18, 40, 10, 50}, true)
	for i, m := range rows {
		r := i + 2
		for col, v := range []string{m.Phase, m.PhaseTitle, m.PhaseStatus, m.Key, m.Checkpoint, yesNo(m.Blocking), confirmedWords(m.Confirmed), m.ConfirmedBy} {
			b.str(s, col, r, v)
		}
		b.date(s, 8, r, m.ConfirmedAt)
		b.str(s, 9, r, m.EvidenceURL)
		b.str(s, 10, r, strings.Join(m.Files, "\n"))
		b.str(s, 11, r, m.Note)
		b.str(s, 12, r, m.Decision)
		b.str(s, 13, r, m.DecidedBy)
		b.date(s, 14, r, m.DecidedAt)
		b.str(s, 15, r, m.DecisionNote)
		b.do(b.f.SetCellInt(s, cell(16, r), int64(m.OpenThreads)))
		b.str(s, 17, r, m.OpenText)
	}
}

// answers is one phase's sheet: each question with its answer as people
// read it (a table one row a line, "column: value; …"), its state and who
// answered it when.
func (b *reportBook) answers(s string, ws *workspace, p *assessment.Phase) {
	b.sheet(s, false, []string{"Question key", "Question", "Answer", "State", "Updated by", "Updated at (UTC)"}, []float64{24, 50, 60, 12, 18, 18}, true)
	for i, q := range p.Questions {
		r := i + 2
		a := ws.stored.Answers[q.Key]
		b.str(s, 0, r, q.Key)
		b.str(s, 1, r, q.Prompt)
		if f, decimals, ok := numberAnswer(q, a.Value); ok {
			b.number(s, 2, r, f, decimals, assessment.UnitFor(f, q.Unit))
		} else if q.Type != assessment.TypeDate || !b.day(s, 2, r, a.Value) {
			b.str(s, 2, r, flatAnswer(q, a.Value))
		}
		b.str(s, 3, r, questionStateWords(ws.result.Question(q.Key)))
		b.str(s, 4, r, a.UpdatedBy)
		b.date(s, 5, r, a.UpdatedAt)
	}
}

// numberAnswer reads a number question's stored answer, with the decimals
// it was given to; ok is false for any other question or no answer.
func numberAnswer(q *assessment.Question, raw string) (f float64, decimals int, ok bool) {
	if q.Type != assessment.TypeNumber || raw == "" {
		return 0, 0, false
	}
	v, err := q.Decode(raw)
	if err != nil {
		return 0, 0, false
	}
	return decimalNumber(v.Text)
}

// decimalNumber reads a number as stored ("2500", "17.299") with its
// count of decimals.
func decimalNumber(s string) (f float64, decimals int, ok bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, 0, false
	}
	if _, frac, found := strings.Cut(s, "."); found {
		decimals = len(frac)
	}
	return f, decimals, true
}

// flatAnswer is a stored answer as one text: a list one item a line, a
// table one row a line.
func flatAnswer(q *assessment.Question, raw string) string {
	return flatView(answerText(q, raw))
}

// flatView is an answer as one text: a list one item a line, a table one
// row a line ("column: value; …").
func flatView(av web.AnswerView) string {
	switch {
	case av.Table != nil:
		lines := make([]string, len(av.Table.Rows))
		for i, row := range av.Table.Rows {
			parts := make([]string, 0, len(row))
			for j, v := range row {
				if v != "" {
					parts = append(parts, av.Table.Columns[j].Label+": "+v)
				}
			}
			lines[i] = strings.Join(parts, "; ")
		}
		return strings.Join(lines, "\n")
	case len(av.List) > 0:
		return strings.Join(av.List, "\n")
	}
	return av.Text
}

// questionStateWords names a question's state.
func questionStateWords(s assessment.QuestionState) string {
	switch s {
	case assessment.QuestionHidden:
		return "Not asked"
	case assessment.QuestionUnanswered:
		return "Unanswered"
	case assessment.QuestionValid:
		return "Answered"
	case assessment.QuestionInvalid:
		return "Invalid"
	}
	return string(s)
}

// sheetName makes a unique sheet name from s: Excel's forbidden
// characters replaced, at most 31 characters.
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`[]:*?/\'`, r), r < 0x20:
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ") // "bastion / jump" is not "bastion   jump"
	name := cutWords(s, 31)
	for n := 2; used[name]; n++ {
		suffix := " (" + itoa(int64(n)) + ")"
		name = cutWords(s, 31-len(suffix)) + suffix
	}
	used[name] = true
	return name
}

// cutWords shortens s to at most n characters, between words where one
// ends in its second half, marking the cut with "…".
func cutWords(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:-") + "…"
}

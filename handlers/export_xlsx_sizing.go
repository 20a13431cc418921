package handlers

import (
	"strconv"
	"strings"

	"groundwork/assessment"
	"groundwork/assessment/advice"
	"groundwork/web"
)

// sizing is the report's sizing section as a sheet, in the report's
// order: the answers it comes from, the recommendation, how it is
// calculated, the servers planned and how they compare, and the growth
// the report's charts draw, as numbers one can chart or compute with.
func (b *reportBook) sizing(ws *workspace, s *web.ReportSizing, adv advice.Advice) {
	const name = "Sizing"
	b.sheet(name, false, []string{"Item", "Value", "Detail"}, []float64{44, 44, 30}, false)
	for _, col := range []string{"D", "E", "F"} { // the wider tables' columns
		b.do(b.f.SetColWidth(name, col, col, 18))
	}
	r := 1
	heading := func(cells ...string) {
		r++
		b.headRow(name, r, 0, cells...)
	}
	section := func(title string) {
		r++ // a blank row before each section
		heading(title)
	}
	line := func(cells ...string) {
		r++
		for i, v := range cells {
			if v != "" {
				b.str(name, i, r, v)
			}
		}
	}
	if p := s.Panel; p != nil {
		heading(p.Heading)
		if len(s.Inputs) > 0 {
			section("From these answers")
			for _, a := range s.Inputs {
				q, _ := ws.template.Question(a.Key)
				raw := ws.stored.Answers[a.Key].Value
				switch f, decimals, ok := numberAnswer(q, raw); {
				case ok:
					line(a.Prompt)
					b.number(name, 1, r, f, decimals, assessment.UnitFor(f, q.Unit))
				case q.Type == assessment.TypeTable && a.Answered():
					// A table (the growth timeline) as cells, its dates and
					// numbers typed, to chart or compute with.
					line(a.Prompt)
					r = b.table(name, r, 1, q, raw)
				case a.Answered():
					line(a.Prompt, flatView(a))
				default:
					line(a.Prompt, "Not answered")
				}
			}
		}
		if len(p.Facts) > 0 {
			section("Recommendation")
			for _, f := range p.Facts {
				value, exact := f.Value, ""
				if len(f.Lines) > 0 {
					value = strings.Join(f.Lines, "\n")
				}
				if f.Exact != "" && f.Exact != f.Value {
					exact = "exactly " + f.Exact
				}
				line(f.Label, value, exact)
			}
		}
		if len(p.Steps) > 0 || len(p.Why) > 0 {
			section("How it is calculated")
			for _, w := range p.Why {
				line("Why", w)
			}
			for _, f := range p.Steps {
				line(f.Label, f.Value)
			}
		}
		if len(p.Missing) > 0 {
			verb := " are not answered."
			if len(p.Missing) == 1 {
				verb = " is not answered."
			}
			line("Not computed yet", web.JoinWords(p.Missing)+verb)
		}
		if p.Explain != "" {
			line("Note", p.Explain)
		}
		if p.Note != "" {
			line("Note", p.Note)
		}
	}
	section("Hardware planned")
	if s.Planned == nil {
		line("No servers entered yet", "Procurement lists them; they are compared with the recommendation here.")
	} else if q, ok := ws.template.Question(s.Planned.Key); ok {
		r = b.table(name, r+1, 0, q, ws.stored.Answers[q.Key].Value)
	}
	if p := s.Panel; p != nil {
		for _, w := range p.Warnings {
			line("Falls short", w)
		}
		if len(p.Warnings) == 0 && p.OK != "" {
			line("Compared", p.OK)
		}
	}
	b.growth(name, &r, adv)
}

// growth writes, below row *r, the figures the report's growth charts
// draw: the resource model's totals at each summary date (CommCare), or
// the servers' disk for each year of records kept (OpenCRVS).
func (b *reportBook) growth(name string, r *int, adv advice.Advice) {
	head := func(cells ...string) {
		*r += 2 // a blank row before
		b.headRow(name, *r, 0, cells...)
	}
	switch {
	case adv.Model != nil:
		head("Growth: date", "Users", "Virtual machines", "Cores", "RAM (GB)", "Storage ("+adv.Model.Unit+")")
		for _, p := range adv.Model.Series {
			*r++
			b.str(name, 0, *r, p.Date)
			b.number(name, 1, *r, float64(p.Users), 0, "")
			b.number(name, 2, *r, float64(p.VMs), 0, "")
			b.number(name, 3, *r, float64(p.Cores), 0, "")
			b.number(name, 4, *r, float64(p.RAMGB), 0, "")
			b.number(name, 5, *r, p.Storage, 1, "")
		}
	case adv.OpenCRVS != nil:
		e := adv.OpenCRVS
		from := ""
		if !e.HasDataServers() {
			from = ", from a pilot on"
		}
		head("Growth: years of records kept"+from, "Application server disk (GB)", "Backup server disk (GB)")
		for y := 1; y <= e.Years; y++ {
			*r++
			b.str(name, 0, *r, "Year "+strconv.Itoa(y))
			b.number(name, 1, *r, e.AppDiskAtGB(y), 1, "")
			b.number(name, 2, *r, 2*e.AppDiskAtGB(y), 1, "")
		}
	}
}

// table writes a table answer from column col: its header at row r, and a
// row of cells under it for each of its rows, numbers as numbers, dates as
// dates, the rest as the page words them. It returns the last row written.
func (b *reportBook) table(sheet string, r, col int, q *assessment.Question, raw string) int {
	v, err := q.Decode(raw)
	if err != nil {
		return r
	}
	labels := make([]string, len(q.Columns))
	for i, c := range q.Columns {
		labels[i] = c.Label
		if c.Unit != "" {
			labels[i] += " (" + c.Unit + ")"
		}
	}
	b.headRow(sheet, r, col, labels...)
	for _, row := range v.Rows {
		r++
		for j, c := range q.Columns {
			if j >= len(row) || row[j] == "" {
				continue
			}
			switch c.Type {
			case assessment.TypeNumber:
				if f, decimals, ok := decimalNumber(row[j]); ok {
					b.number(sheet, col+j, r, f, decimals, "")
					continue
				}
			case assessment.TypeDate:
				if b.day(sheet, col+j, r, row[j]) {
					continue
				}
			}
			b.str(sheet, col+j, r, cellText(c, row[j]))
		}
	}
	return r
}

package handlers

import (
	"strconv"

	"groundwork/assessment"
	"groundwork/assessment/advice"
	"groundwork/assessment/sizing"
	"groundwork/web"
)

// reportSizing is the report's sizing section: the recommendation from the
// answers, each formula step, the servers planned and how they compare,
// and the growth charts; nil when the template asks nothing for sizing.
// The advice it comes from is returned too, for the workbook's figures.
func reportSizing(ws *workspace) (*web.ReportSizing, advice.Advice) {
	var inputs []*assessment.Question
	var servers *assessment.Question
	for _, p := range ws.template.Phases {
		for _, q := range p.Questions {
			switch q.Sizing {
			case "":
			case assessment.SizingServers:
				servers = q
			default:
				inputs = append(inputs, q)
			}
		}
	}
	if len(inputs) == 0 && servers == nil {
		return nil, advice.Advice{}
	}
	adv := advice.For(ws.template, ws.input.Answers)
	s := &web.ReportSizing{}
	switch ws.template.Platform {
	case assessment.PlatformCommCare:
		s.Panel = commcareSizing(adv, false)
		if m := adv.Model; m != nil {
			s.Charts = modelCharts("report", m.Series, m.Unit)
			s.ChartNote = "The resource model's totals at each of its summary dates, as the users grow."
		}
	case assessment.PlatformOpenCRVS:
		s.Panel = opencrvsSizing(adv, false)
		if e := adv.OpenCRVS; e != nil {
			s.Charts = crvsCharts("report", e)
			s.ChartNote = "The disk each application server needs as the records of each year are kept, and the backup server's."
		}
	default:
		return nil, adv
	}
	s.Panel.Intro = ""
	s.Panel.Missing = adv.Missing
	compareServers(s.Panel, adv)
	for _, q := range inputs {
		if ws.result.Visible(q.Key) {
			s.Inputs = append(s.Inputs, answerText(q, ws.stored.Answers[q.Key].Value))
		}
	}
	if servers != nil {
		if a := answerText(servers, ws.stored.Answers[servers.Key].Value); a.Answered() {
			s.Planned = &a
		}
	}
	return s, adv
}

// modelCharts chart the resource model's virtual machines, cores, RAM and
// storage over its summary dates.
func modelCharts(id string, series []advice.Point, unit string) []web.BarChart {
	var vms, cores, ram, storage []web.Bar
	for _, p := range series {
		vms = append(vms, web.Bar{Label: p.Date, Value: float64(p.VMs), Text: strconv.Itoa(p.VMs)})
		cores = append(cores, web.Bar{Label: p.Date, Value: float64(p.Cores), Text: num(float64(p.Cores))})
		ram = append(ram, web.Bar{Label: p.Date, Value: float64(p.RAMGB), Text: num(float64(p.RAMGB)) + " GB"})
		storage = append(storage, web.Bar{Label: p.Date, Value: p.Storage, Text: roundSize(p.Storage) + " " + unit, Fill: "hatch"})
	}
	return []web.BarChart{
		web.NewBarChart(id+"-vms", "Virtual machines", vms, 0),
		web.NewBarChart(id+"-cores", "Cores", cores, 0),
		web.NewBarChart(id+"-ram", "RAM (GB)", ram, 0),
		web.NewBarChart(id+"-storage", "Storage ("+unit+")", storage, 0),
	}
}

// resultSeries is a resource-model result's totals at each summary date,
// for modelCharts.
func resultSeries(r *sizing.Result) []advice.Point {
	var out []advice.Point
	for _, s := range r.Summaries {
		label := s.Date
		if s.Set != "" {
			label = s.Set + ", " + s.Date
		}
		p := advice.Point{Date: label, Users: int(s.Users), VMs: s.Totals.VMs, Cores: int(s.Totals.Cores), RAMGB: int(s.Totals.RAMGB)}
		for _, v := range s.StorageByGroup {
			p.Storage += v
		}
		out = append(out, p)
	}
	return out
}

// crvsCharts chart OpenCRVS's disk over the years of records kept: each
// application server's, and the backup server's (twice as much).
func crvsCharts(id string, e *sizing.OpenCRVSEstimate) []web.BarChart {
	step := max(1, (e.Years+19)/20) // at most 20 bars: every step-th year, and the last
	var app, backup []web.Bar
	for y := 1; y <= e.Years; y++ {
		if y%step != 0 && y != 1 && y != e.Years {
			continue
		}
		label := "Year " + strconv.Itoa(y)
		gb := e.AppDiskAtGB(y)
		app = append(app, web.Bar{Label: label, Value: gb, Text: roundSize(gb) + " GB"})
		backup = append(backup, web.Bar{Label: label, Value: 2 * gb, Text: roundSize(2*gb) + " GB", Fill: "hatch"})
	}
	from := "" // a proof of concept has no such servers: the charts say when they come
	if !e.HasDataServers() {
		from = ", from a pilot on"
	}
	return []web.BarChart{
		web.NewBarChart(id+"-app-disk", "Application server disk (GB)"+from, app, 0),
		web.NewBarChart(id+"-backup-disk", "Backup server disk (GB)"+from, backup, 0),
	}
}

package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// report is the readiness report, the page people print or save as PDF.
func (h *handler) report(w http.ResponseWriter, r *http.Request) error {
	_, body, err := h.reportDocument(r, false)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body) // the client may have gone; nothing more to do
	return nil
}

// reportDocument renders the readiness report of the assessment named in
// the path, for the signed-in user. Standalone is the document headless
// Chromium prints: its CSS inline, no script, and a <base> so that its
// links (evidence, sign-offs) stay absolute; nothing in it is fetched.
func (h *handler) reportDocument(r *http.Request, standalone bool) (*workspace, []byte, error) {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return nil, nil, err
	}
	v, err := h.reportView(r.Context(), ws, time.Now())
	if err != nil {
		return nil, nil, err
	}
	items, err := h.actionItems(r.Context(), ws)
	if err != nil {
		return nil, nil, err
	}
	v.Actions = web.ReportActions(items)
	if standalone {
		v.Standalone = true
		v.CSS = web.AssetText("app.css") + "\n" + web.AssetText("report.css")
		v.BaseHref = h.opts.BaseURL.String() + "/"
	}
	var buf bytes.Buffer
	if err := web.ReportPage(v).Render(r.Context(), &buf); err != nil {
		return nil, nil, err
	}
	return ws, buf.Bytes(), nil
}

// reportView builds the report of the workspace, as made at now.
func (h *handler) reportView(ctx context.Context, ws *workspace, now time.Time) (web.ReportView, error) {
	u := userFrom(ctx)
	talk, err := h.store.PhaseTalk(ctx, u.ID, ws.stored.ID, "", false)
	if err != nil {
		return web.ReportView{}, err
	}
	decisions, threads := talk.Decisions, talk.Threads
	now = now.UTC()
	v := web.ReportView{
		Name: ws.stored.Name, OrgName: ws.stored.OrganisationName, Platform: store.PlatformLabel(string(ws.template.Platform)),
		Template:  fmt.Sprintf("%s, version %d", ws.template.Title, ws.template.Version),
		Generated: web.StampOf(now), Date: now.Format("2 January 2006"), Score: ws.result.Score, SignOff: ws.stored.SignOff,
		Base: ws.base(), Exports: reportExports(ws.base()),
		PDF: web.PDFDownload{Href: ws.base() + "/report.pdf", Available: h.pdf.Available()},
	}
	required, passed := 0, 0
	var bars []web.Bar
	for i, p := range ws.template.Phases {
		pr := &ws.result.Phases[i]
		if !p.Optional {
			required++
			if pr.Passed {
				passed++
			}
		}
		st := statusView(pr.Status)
		v.Summary.Rows = append(v.Summary.Rows, web.ReportPhaseRow{Key: p.Key, Title: p.Title, Status: st, Score: pr.Score, Optional: p.Optional})
		bars = append(bars, web.Bar{Label: p.Key + " " + p.Title, Value: float64(pr.Score), Text: strconv.Itoa(pr.Score) + "%", Fill: statusFill(pr.Status)})
		switch pr.Status {
		case assessment.StatusApproved:
			v.Summary.Approved++
		case assessment.StatusNotApplicable:
			v.Summary.NA++
		case assessment.StatusLocked, assessment.StatusChangesRequested:
			v.Summary.Blocked++
		default:
			v.Summary.Pending++
		}
		v.Phases = append(v.Phases, ws.reportPhase(p, pr, decisions, threads, u.ID))
	}
	v.Draft = passed < required
	v.SignOffState = signOffState(ws.stored.SignOff, passed, required)
	v.Summary.Chart = web.NewBarChart("readiness", "Readiness by phase, in percent", bars, 100)
	v.Summary.Blockers, v.Summary.MoreBlockers = topBlockers(ws, 6)
	v.Sizing, _ = reportSizing(ws)
	return v, nil
}

// reportPhase is one phase of the report: its answers and checkpoints as
// readers see them, every decision, and every comment thread.
func (ws *workspace) reportPhase(p *assessment.Phase, pr *assessment.PhaseResult, decisions []store.PhaseDecision, threads []store.Thread, me int64) web.ReportPhase {
	rp := web.ReportPhase{Key: p.Key, Title: p.Title, Optional: p.Optional, Status: statusView(pr.Status), Progress: progressView(pr)}
	rv := ws.stored.Reviews[p.Key]
	if pr.Status == assessment.StatusNotApplicable {
		rp.WaiveReason = rv.Reason
	}
	rp.Answers, rp.Checkpoints = ws.readout(p, nil, nil)
	for _, d := range decisions {
		if d.Phase != p.Key {
			continue
		}
		dv := ws.decisionView(p, d)
		rp.Decisions = append(rp.Decisions, dv)
		if d.Action == store.ActionApproved && rv.State == assessment.ReviewApproved {
			dv.Outgrown = !pr.Complete
			rp.Approval = &dv
		}
	}
	prompts := make(map[string]string, len(p.Questions))
	for _, q := range p.Questions {
		prompts[q.Key] = q.Prompt
	}
	for _, t := range threads {
		if t.Phase == p.Key {
			rp.Threads = append(rp.Threads, threadView(t, me, prompts))
		}
	}
	if pr.Status != assessment.StatusLocked && pr.Status != assessment.StatusNotApplicable {
		for _, is := range pr.Blockers {
			rp.Blockers = append(rp.Blockers, ws.issueText(is))
		}
	}
	return rp
}

// topBlockers are what holds the assessment back, in words, phase by
// phase: the first n, and how many more there are.
func topBlockers(ws *workspace, n int) ([]string, int) {
	var all []string
	for i, p := range ws.template.Phases {
		pr := &ws.result.Phases[i]
		switch pr.Status {
		case assessment.StatusLocked, assessment.StatusNotApplicable, assessment.StatusApproved:
			continue // a locked phase waits on the earlier phases' blockers, listed there
		case assessment.StatusChangesRequested:
			all = append(all, "Phase "+p.Key+" "+p.Title+": the advisor requested changes.")
		}
		for _, is := range pr.Blockers {
			all = append(all, "Phase "+p.Key+" "+p.Title+": "+strings.TrimPrefix(ws.issueText(is), p.Key+": "))
		}
	}
	if len(all) > n {
		return all[:n], len(all) - n
	}
	return all, 0
}

// statusFill is a status's bar pattern in the summary chart: it tells the
// statuses apart without colour.
func statusFill(s assessment.Status) string {
	switch s {
	case assessment.StatusApproved:
		return "solid"
	case assessment.StatusChangesRequested:
		return "hatch"
	case assessment.StatusLocked:
		return "dots"
	}
	return "light"
}

// signOffState says where the sign-off stands.
func signOffState(signOff bool, passed, required int) string {
	if signOff {
		if passed == required {
			return fmt.Sprintf("Signed off: every required phase (%d) approved by the advisor.", required)
		}
		return fmt.Sprintf("Advisor sign-off required for each phase: %d of %d required phases approved.", passed, required)
	}
	return fmt.Sprintf("No advisor sign-off required: %d of %d required phases done.", passed, required)
}

// reportExports are the downloads of an assessment.
func reportExports(base string) []web.Link {
	return []web.Link{
		{Text: "Checkpoints (CSV)", Href: base + "/checkpoints.csv"},
		{Text: "Workbook (XLSX)", Href: base + "/report.xlsx"},
		{Text: "Evidence pack (ZIP)", Href: base + "/evidence.zip"},
		{Text: "Everything (JSON)", Href: base + "/export.json"},
	}
}

package handlers

import (
	"strings"
	"time"

	"groundwork/store"
)

// matrixRow is one checkpoint of the template as the checkpoint matrix
// (checkpoints.csv, the workbook's "Checkpoints" sheet) shows it: the
// matrix Appendix 1 of the CommCare guide asks a service provider for,
// "each of the checkpoints … with confirmation and examples of how you
// would go about completing this".
type matrixRow struct {
	Phase, PhaseTitle, PhaseStatus string
	Key, Checkpoint                string
	Blocking, Confirmed            bool
	ConfirmedBy                    string
	ConfirmedAt                    time.Time // zero unless confirmed
	EvidenceURL                    string
	Files                          []string // evidence file names, oldest first
	Note                           string   // how it was done
	// The phase's latest advisor decision (approved, changes requested or
	// reopened; a submission is not one); Decision is "" when none.
	Decision, DecidedBy, DecisionNote string
	DecidedAt                         time.Time
	// The phase's open (unresolved) comment threads: how many, and each
	// one's first comment as "Author: text", one a line.
	OpenThreads int
	OpenText    string
}

// matrixHeader names the matrix's columns, in matrixRow's order.
var matrixHeader = []string{"Phase", "Phase title", "Phase status", "Checkpoint key", "Checkpoint", "Blocking", "Status",
	"Confirmed by", "Confirmed at (UTC)", "Evidence link", "Evidence files", "How it was done",
	"Advisor decision", "Decided by", "Decided at (UTC)", "Decision note", "Open comments", "Open comment text"}

// decisionWords names an advisor's decision.
var decisionWords = map[store.DecisionAction]string{
	store.ActionApproved: "Approved", store.ActionChangesRequested: "Changes requested", store.ActionReopened: "Reopened",
}

// checkpointMatrix is one row per checkpoint of the template, every phase
// (locked, waived and hidden ones too), in the template's order, with the
// phases' decisions and threads (talk).
func checkpointMatrix(ws *workspace, talk *store.PhaseTalk) []matrixRow {
	decisions, threads := talk.Decisions, talk.Threads
	var rows []matrixRow
	for i, p := range ws.template.Phases {
		base := matrixRow{Phase: p.Key, PhaseTitle: p.Title, PhaseStatus: statusView(ws.result.Phases[i].Status).Label}
		for _, d := range decisions {
			if w, ok := decisionWords[d.Action]; ok && d.Phase == p.Key {
				base.Decision, base.DecidedBy, base.DecidedAt, base.DecisionNote = w, d.By, d.At, d.Reason
			}
		}
		var open []string
		for _, t := range threads {
			if t.Phase == p.Key && !t.Resolved() {
				open = append(open, t.Author+": "+t.Body)
			}
		}
		base.OpenThreads, base.OpenText = len(open), strings.Join(open, "\n")
		for _, c := range p.Checkpoints {
			row := base
			conf := ws.stored.Confirmations[c.Key]
			row.Key, row.Checkpoint, row.Blocking, row.Confirmed = c.Key, c.Text, c.Blocking, conf.Confirmed
			if conf.Confirmed {
				row.ConfirmedBy, row.ConfirmedAt = conf.UpdatedBy, conf.UpdatedAt
			}
			row.EvidenceURL, row.Note = conf.EvidenceURL, conf.Note
			for _, e := range ws.stored.Evidence[c.Key] {
				row.Files = append(row.Files, e.Filename)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// yesNo is a boolean in words.
func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// confirmedWords is a checkpoint's status in words.
func confirmedWords(b bool) string {
	if b {
		return "Confirmed"
	}
	return "Not confirmed"
}

package handlers

import (
	"encoding/hex"
	"slices"
	"strconv"
	"time"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// The review of a phase as its readers see it: answers in words rather
// than form controls, checkpoints with who confirmed them, the decisions
// and sign-offs, and what changed since the last review.

// answerText shows a stored answer in words, a list or a table.
func answerText(q *assessment.Question, raw string) web.AnswerView {
	av := web.AnswerView{Key: q.Key, Prompt: q.Prompt, Long: q.Type == assessment.TypeLongText}
	if raw == "" {
		return av
	}
	v, err := q.Decode(raw)
	switch {
	case err != nil:
		av.Text = raw // only a template change could cause it: show what is stored
	case v.IsZero():
	case q.Type == assessment.TypeMultiChoice:
		for _, c := range v.List {
			av.List = append(av.List, choiceLabel(q.Choices, c))
		}
	case q.Type == assessment.TypeTable:
		t := &web.TableView{}
		for _, c := range q.Columns {
			label := c.Label
			if c.Unit != "" {
				label += " (" + c.Unit + ")"
			}
			t.Columns = append(t.Columns, web.TableColumn{Label: label, Numeric: c.Type == assessment.TypeNumber})
		}
		for _, r := range v.Rows {
			row := make([]string, len(q.Columns))
			for j, c := range q.Columns {
				if j < len(r) && r[j] != "" {
					row[j] = cellText(c, r[j])
				}
			}
			t.Rows = append(t.Rows, row)
		}
		av.Table = t
	default:
		av.Text = displayValue(q, v)
		if q.Type == assessment.TypeURL {
			av.Href = v.Text
		}
	}
	return av
}

// choiceLabel is the label of the choice whose value is value, else value.
func choiceLabel(choices []assessment.Choice, value string) string {
	for _, c := range choices {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}

// readout is the phase's answers and checkpoints as a reader sees them;
// marked and changed name the questions and checkpoints to flag.
func (ws *workspace) readout(p *assessment.Phase, marked, changed map[string]bool) ([]web.AnswerView, []web.CheckpointReadout) {
	var answers []web.AnswerView
	for _, q := range p.Questions {
		if !ws.result.Visible(q.Key) {
			continue
		}
		a := ws.stored.Answers[q.Key]
		av := answerText(q, a.Value)
		av.Help, av.HelpURL = q.Help, q.HelpURL
		av.Marked, av.Changed = marked[q.Key], changed["q:"+q.Key]
		av.Saved, av.History, av.HistURL = saved(a.UpdatedBy, a.UpdatedAt, false), a.Version, ws.base()+"/history/answer/"+q.Key
		answers = append(answers, av)
	}
	var checkpoints []web.CheckpointReadout
	for _, c := range p.Checkpoints {
		conf := ws.stored.Confirmations[c.Key]
		cr := web.CheckpointReadout{Key: c.Key, Text: c.Text, Link: c.Link, Blocking: c.Blocking, Confirmed: conf.Confirmed,
			EvidenceURL: conf.EvidenceURL, Note: conf.Note, Changed: changed["c:"+c.Key], History: conf.Version, HistURL: ws.base() + "/history/checkpoint/" + c.Key}
		if conf.Version > 0 {
			cr.By, cr.At = conf.UpdatedBy, web.StampOf(conf.UpdatedAt)
		}
		if c.Origin == assessment.OriginDerived {
			cr.Source = c.Source
		}
		for _, e := range ws.stored.Evidence[c.Key] {
			cr.Files = append(cr.Files, web.FileView{Filename: e.Filename, Size: fileSize(int64(e.Size)), Href: ws.base() + "/evidence/" + itoa(e.ID),
				SHA256: e.SHA256, UploadedBy: e.UploadedBy, UploadedAt: web.StampOf(e.UploadedAt)})
		}
		checkpoints = append(checkpoints, cr)
	}
	return answers, checkpoints
}

// actionLabels name the decisions.
var actionLabels = map[store.DecisionAction]string{
	store.ActionSubmitted:        "Submitted for review",
	store.ActionApproved:         "Approved and signed off",
	store.ActionChangesRequested: "Changes requested",
	store.ActionReopened:         "Reopened",
}

func (ws *workspace) decisionView(p *assessment.Phase, d store.PhaseDecision) web.DecisionView {
	dv := web.DecisionView{Action: string(d.Action), Label: actionLabels[d.Action], Revision: d.Revision, Reason: d.Reason, By: d.By, At: web.StampOf(d.At)}
	for _, key := range d.Questions {
		text := key
		if q, ok := ws.template.Question(key); ok {
			text = q.Prompt
		}
		dv.Questions = append(dv.Questions, web.Link{Text: text, Href: ws.phaseHref(p.Key) + "#q-" + key})
	}
	if d.Action == store.ActionApproved {
		dv.Href, dv.Digest = ws.phaseHref(p.Key)+"/revisions/"+itoa(int64(d.Revision)), hex.EncodeToString(d.Digest)
	}
	return dv
}

// reviewView builds the phase's review from its decisions (oldest first):
// the request for changes, sign-off or reopening the phase is under, the
// decisions and revisions, and what changed since the last decision that
// kept a snapshot. It returns the questions marked as needing change, and
// the questions ("q:" key) and checkpoints ("c:" key) changed since.
func (ws *workspace) reviewView(p *assessment.Phase, decisions []store.PhaseDecision) (rv web.ReviewView, marked, changed map[string]bool) {
	review := ws.stored.Reviews[p.Key]
	rv.Revision = review.CurrentRevision()
	marked, changed = map[string]bool{}, map[string]bool{}
	var base *store.PhaseDecision // the last decision with a snapshot
	var request, approval, reopened *web.DecisionView
	var requested []string // the questions request marks
	approvals := map[int]*web.DecisionView{}
	for i := range decisions {
		d := &decisions[i]
		dv := ws.decisionView(p, *d)
		rv.Decisions = append(rv.Decisions, dv)
		if d.Snapshot != nil {
			base = d
		}
		switch {
		case d.Action == store.ActionApproved:
			approvals[d.Revision] = &dv
			approval = &dv
		case d.Revision != rv.Revision:
		case d.Action == store.ActionChangesRequested:
			request, requested = &dv, d.Questions
		case d.Action == store.ActionReopened:
			reopened = &dv
		}
	}
	slices.Reverse(rv.Decisions)
	for n := rv.Revision; n >= 1; n-- {
		rv.Revisions = append(rv.Revisions, web.RevisionLink{N: n, Href: ws.phaseHref(p.Key) + "/revisions/" + itoa(int64(n)), Current: n == rv.Revision, Approval: approvals[n]})
	}
	switch review.State {
	case assessment.ReviewApproved:
		rv.Approval = approval
		if pr, _ := ws.result.Phase(p.Key); approval != nil && !pr.Complete {
			approval.Outgrown = true
		}
	case assessment.ReviewChangesRequested, assessment.ReviewSubmitted:
		// Sent back, or sent back and submitted again: the request stays
		// in view for the advisor's next look.
		rv.ChangeRequest, rv.Reopened = request, reopened
		for _, q := range requested {
			marked[q] = true
		}
	default:
		rv.Reopened = reopened
	}
	if base != nil && review.State != assessment.ReviewApproved {
		rv.Changes = ws.changesView(p, base, changed)
	}
	if ws.result.CheckReopen(p.Key) == nil {
		rv.CanReopen = ws.stored.CanEdit || ws.stored.CanReview
		after := false
		for _, later := range ws.template.Phases {
			if pr, _ := ws.result.Phase(later.Key); after && pr.Status != assessment.StatusLocked && pr.Status != assessment.StatusNotApplicable {
				rv.LocksAgain = append(rv.LocksAgain, later.Key)
			}
			after = after || later.Key == p.Key
		}
	}
	for _, q := range p.Questions {
		if ws.result.Visible(q.Key) {
			rv.Markable = append(rv.Markable, web.Option{Value: q.Key, Label: q.Prompt})
		}
	}
	return rv, marked, changed
}

// changesView is what differs between the snapshot of the decision base
// and the phase as it is now; it notes the items that differ in changed.
func (ws *workspace) changesView(p *assessment.Phase, base *store.PhaseDecision, changed map[string]bool) *web.ChangesView {
	old, err := store.ParseSnapshot(base.Snapshot)
	if err != nil {
		return nil
	}
	cur := store.PhaseSnapshot(ws.stored, ws.template, ws.result, p.Key)
	cv := &web.ChangesView{Since: "the request for changes by " + base.By, At: web.StampOf(base.At)}
	if base.Action == store.ActionApproved {
		cv.Since = "the sign-off of revision " + itoa(int64(base.Revision)) + " by " + base.By
	}
	kinds := map[store.ChangeKind]string{store.Added: "Added", store.Changed: "Changed", store.Removed: "Removed"}
	file := func(f *store.SnapshotFile) string {
		if f == nil {
			return "—"
		}
		size, _ := strconv.ParseInt(f.Size, 10, 64)
		return f.Filename + " (" + fileSize(size) + ")"
	}
	for _, c := range store.DiffSnapshots(p, old, cur) {
		row := web.ChangeRow{Kind: kinds[c.Kind]}
		switch c.Item {
		case "answer":
			changed["q:"+c.Key] = true
			q, _ := ws.template.Question(c.Key)
			row.What, row.Href = q.Prompt, ws.phaseHref(p.Key)+"#q-"+c.Key
			row.Old, row.New = display(q, c.Old), display(q, c.New)
			if q.Type == assessment.TypeTable && c.Kind == store.Changed {
				ov, oerr := q.Decode(c.Old)
				nv, nerr := q.Decode(c.New)
				if oerr == nil && nerr == nil {
					row.Old, row.New = tableChanges(q, ov, nv)
				}
			}
		case "checkpoint":
			changed["c:"+c.Key] = true
			cp, _ := ws.template.Checkpoint(c.Key)
			row.What, row.Href, row.Old, row.New = "Checkpoint: "+cp.Text, ws.phaseHref(p.Key)+"#c-"+c.Key, c.Old, c.New
		case "evidence":
			changed["c:"+c.Key] = true
			cp, _ := ws.template.Checkpoint(c.Key)
			row.What, row.Href = "Evidence file for: "+cp.Text, ws.phaseHref(p.Key)+"#c-"+c.Key
			row.Old, row.New = file(c.OldFile), file(c.NewFile)
			if c.Kind == store.Changed {
				row.New += ", with different content"
			}
		}
		cv.Rows = append(cv.Rows, row)
	}
	return cv
}

// snapshotReadout is a sign-off snapshot as a reader sees it.
func (ws *workspace) snapshotReadout(p *assessment.Phase, s *store.Snapshot) ([]web.AnswerView, []web.CheckpointReadout) {
	var answers []web.AnswerView
	for _, q := range p.Questions {
		if raw, ok := s.Answers[q.Key]; ok {
			answers = append(answers, answerText(q, raw))
		}
	}
	stamp := func(s string) web.Stamp {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return web.Stamp{Text: s}
		}
		return web.StampOf(t)
	}
	var checkpoints []web.CheckpointReadout
	for _, c := range p.Checkpoints {
		sc, ok := s.Checkpoints[c.Key]
		if !ok {
			continue
		}
		cr := web.CheckpointReadout{Key: c.Key, Text: c.Text, Link: c.Link, Blocking: c.Blocking, Confirmed: sc.Confirmed, By: sc.By, At: stamp(sc.At), EvidenceURL: sc.EvidenceURL, Note: sc.Note}
		for _, f := range sc.Evidence {
			size, _ := strconv.ParseInt(f.Size, 10, 64)
			fv := web.FileView{Filename: f.Filename, Size: fileSize(size), SHA256: f.SHA256, UploadedBy: f.UploadedBy, UploadedAt: stamp(f.UploadedAt)}
			for _, e := range ws.stored.Evidence[c.Key] { // the same file, if it is still kept
				if e.SHA256 == f.SHA256 {
					fv.Href = ws.base() + "/evidence/" + itoa(e.ID)
				}
			}
			cr.Files = append(cr.Files, fv)
		}
		checkpoints = append(checkpoints, cr)
	}
	return answers, checkpoints
}

package handlers

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// phaseView builds a phase page from the workspace and the phase's
// decisions, with every answer as stored (savePosted puts typed ones in
// its place after a refused save). Readers who may not change it (and
// everyone, while it is locked, waived or approved) see the answers in
// words instead of the form.
func (h *handler) phaseView(ctx context.Context, ws *workspace, p *assessment.Phase) (web.PhaseView, error) {
	u := userFrom(ctx)
	canComment := (ws.stored.CanEdit || ws.stored.CanReview || u.Role == store.RoleAdmin) && !ws.stored.Archived()
	talk, err := h.store.PhaseTalk(ctx, u.ID, ws.stored.ID, p.Key, canComment)
	if err != nil {
		return web.PhaseView{}, err
	}
	pr, _ := ws.result.Phase(p.Key)
	rv := ws.stored.Reviews[p.Key]
	v := web.PhaseView{
		AssessmentID: ws.stored.ID, AssessmentName: ws.stored.Name,
		Key: p.Key, Title: p.Title, Intro: p.Intro, Optional: p.Optional, Guidance: p.Guidance.Text,
		Status: statusView(pr.Status), Progress: progressView(pr),
		Locked: pr.Status == assessment.StatusLocked, Waived: pr.Status == assessment.StatusNotApplicable, WaiveReason: rv.Reason,
		CanEdit: ws.stored.CanEdit, CanReview: ws.stored.CanReview,
		ReviewState: string(rv.State),
		Warnings:    ws.issueLinks(pr.Warnings),
		Archived:    archivedWords(ws.stored.Assessment),
	}
	v.ReadOnly = v.Locked || v.Waived || !v.CanEdit || pr.Status == assessment.StatusApproved
	v.CanSubmit = v.CanEdit && ws.result.CheckSubmit(p.Key) == nil
	v.Blockers = ws.issueLinks(ws.result.Blockers(p.Key))
	if v.Locked && nextToOpen(ws.result) != p.Key {
		v.OpensAfter = opensAfter(ws, p.Key)
	}
	for _, l := range p.Guidance.Links {
		v.Links = append(v.Links, web.Link{Text: l.Title, Href: l.URL})
	}
	for _, q := range p.Questions {
		v.Questions = append(v.Questions, ws.questionView(q, v.ReadOnly))
	}
	for _, c := range p.Checkpoints {
		v.Checkpoints = append(v.Checkpoints, ws.checkpointView(c, v.ReadOnly))
	}
	var marked, changed map[string]bool
	v.Review, marked, changed = ws.reviewView(p, talk.Decisions)
	if v.ReadOnly {
		v.Answers, v.Readout = ws.readout(p, marked, changed)
	}
	v.Sizing = sizingView(ws, p, !v.ReadOnly)
	v.Phases = ws.phaseSteps(p.Key)
	phases := ws.template.Phases
	for i, ph := range phases {
		if ph.Key != p.Key {
			continue
		}
		if i > 0 {
			v.Prev = &web.Link{Text: phases[i-1].Key + " " + phases[i-1].Title, Href: ws.phaseHref(phases[i-1].Key)}
		}
		if i+1 < len(phases) {
			v.Next = &web.Link{Text: phases[i+1].Key + " " + phases[i+1].Title, Href: ws.phaseHref(phases[i+1].Key)}
		}
	}
	v.Discussion = discussionView(&v, u.ID, canComment, talk.Threads, talk.People)
	return v, nil
}

// phaseSteps lists every phase with its status, for the list beside the
// phase page of current.
func (ws *workspace) phaseSteps(current string) []web.PhaseStep {
	steps := make([]web.PhaseStep, len(ws.template.Phases))
	for i, ph := range ws.template.Phases {
		steps[i] = web.PhaseStep{Key: ph.Key, Title: ph.Title, Status: statusView(ws.result.Phases[i].Status), Href: ws.phaseHref(ph.Key), Current: ph.Key == current}
	}
	return steps
}

// questionShell is what a question's view holds whatever its answer.
func questionShell(base string, q *assessment.Question) web.QuestionView {
	qv := web.QuestionView{
		Key: q.Key, Label: q.Label, Prompt: q.Prompt, Guide: q.Guide, Help: q.Help, HelpURL: q.HelpURL,
		Type: string(q.Type), Required: q.Required,
		Unit: q.Unit, Range: rangeText(q.Constraints), MinRows: q.MinRows, Sizing: q.Sizing != "",
		SaveURL: base + "/phases/" + q.PhaseKey() + "/answers/" + q.Key, HistURL: base + "/history/answer/" + q.Key,
		NewRow: -1, DescribedBy: "m-" + q.Key, MaxChars: q.MaxChars(),
	}
	if qv.Help != "" || qv.Range != "" {
		qv.DescribedBy = "h-" + q.Key + " m-" + q.Key
	}
	if qv.Unit != "" {
		// Shown after the field ("users"): read with it too.
		qv.DescribedBy = "u-" + q.Key + " " + qv.DescribedBy
	}
	for _, c := range q.Choices {
		qv.Choices = append(qv.Choices, web.Option{Value: c.Value, Label: c.Label})
	}
	for _, c := range q.Columns {
		col := web.Column{Key: c.Key, Label: c.Label, Type: string(c.Type), Unit: c.Unit}
		for _, ch := range c.Choices {
			col.Choices = append(col.Choices, web.Option{Value: ch.Value, Label: ch.Label})
		}
		qv.Columns = append(qv.Columns, col)
	}
	return qv
}

// questionView shows a question with its stored answer.
func (ws *workspace) questionView(q *assessment.Question, readOnly bool) web.QuestionView {
	qv := questionShell(ws.base(), q)
	qv.Hidden, qv.ReadOnly = !ws.result.Visible(q.Key), readOnly
	a := ws.stored.Answers[q.Key]
	qv.Version, qv.History = a.Version, a.Version
	qv.Saved = saved(a.UpdatedBy, a.UpdatedAt, false)
	fillValue(&qv, q, ws.input.Answers[q.Key])
	qv.Rules = ruleNotes(ws.result, q)
	return qv
}

// ruleNotes lists the failing rules of q's phase that name q, blocking
// ones first, then warnings, each without the phase's key that starts its
// message ("1.1: ...") in the phase's lists.
func ruleNotes(res *assessment.Result, q *assessment.Question) []web.RuleNote {
	var notes []web.RuleNote
	text := func(is *assessment.Issue) string { return strings.TrimPrefix(is.Message, is.Phase+": ") }
	for _, is := range res.Blockers(q.PhaseKey()) {
		if is.Kind == assessment.IssueRule && is.Question == q.Key {
			notes = append(notes, web.RuleNote{Text: text(is), Blocking: true})
		}
	}
	if pr, ok := res.Phase(q.PhaseKey()); ok {
		for _, is := range pr.Warnings {
			if is.Question == q.Key {
				notes = append(notes, web.RuleNote{Text: text(is)})
			}
		}
	}
	return notes
}

// fillValue puts a decoded answer into the view's inputs.
func fillValue(qv *web.QuestionView, q *assessment.Question, v assessment.Value) {
	switch q.Type {
	case assessment.TypeMultiChoice:
		qv.Checked = map[string]bool{}
		for _, c := range v.List {
			qv.Checked[c] = true
		}
	case assessment.TypePerson:
		qv.Person = [3]string{v.Person.Name, v.Person.JobFunction, v.Person.Email}
	case assessment.TypeTable:
		// A copy: rows get padded.
		qv.Rows = make([][]string, len(v.Rows))
		for i, r := range v.Rows {
			qv.Rows[i] = append([]string(nil), r...)
			for j, c := range q.Columns {
				if j < len(r) && c.Type == assessment.TypeNumber {
					qv.Rows[i][j] = assessment.GroupThousands(r[j])
				}
			}
		}
		padRows(qv)
	case assessment.TypeNumber:
		qv.Text = assessment.GroupThousands(v.Text) // stored canonical, shown as people write it
	default:
		qv.Text = v.Text
	}
}

// fillTyped puts what the person posted into the view's inputs, as typed,
// whether or not it is valid, and the version they started from: a value
// shown again as typed must conflict with a change someone saved meanwhile,
// not overwrite it on the next save. A save that succeeds sets the new one.
func fillTyped(qv *web.QuestionView, q *assessment.Question, form url.Values) {
	qv.Version = postedVersion(form, "_v."+q.Key)
	switch q.Type {
	case assessment.TypeMultiChoice:
		qv.Checked = map[string]bool{}
		for _, c := range form[q.FieldName()] {
			qv.Checked[c] = true
		}
	case assessment.TypePerson:
		qv.Person = [3]string{form.Get(q.PersonFieldName("name")), form.Get(q.PersonFieldName("job_function")), form.Get(q.PersonFieldName("email"))}
	case assessment.TypeTable:
		qv.Rows = typedRows(q, form)
		padRows(qv)
	default:
		qv.Text = form.Get(q.FieldName())
	}
}

// postedVersion is the version a form says its value started from; 0 (no
// answer yet) when absent.
func postedVersion(form url.Values, name string) int {
	v, _ := strconv.Atoi(form.Get(name))
	return v
}

// typedRows reads the posted cells of a table, keeping empty rows, so the
// page shows exactly the rows the person had.
func typedRows(q *assessment.Question, form url.Values) [][]string {
	prefix := q.Key + "."
	maxRow := -1
	for name := range form {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			if i := strings.IndexByte(rest, '.'); i > 0 {
				if n, err := strconv.Atoi(rest[:i]); err == nil && n >= 0 && n < 1000 && n > maxRow {
					maxRow = n
				}
			}
		}
	}
	rows := make([][]string, maxRow+1)
	for r := range rows {
		rows[r] = make([]string, len(q.Columns))
		for c, col := range q.Columns {
			rows[r][c] = form.Get(q.CellFieldName(r, col.Key))
		}
	}
	return rows
}

// padRows gives an empty table something to type into.
func padRows(qv *web.QuestionView) {
	want := max(1, qv.MinRows)
	for len(qv.Rows) < want {
		qv.Rows = append(qv.Rows, make([]string, len(qv.Columns)))
	}
}

// showProblems puts a decode or validation error beside the field (and
// its cells).
func showProblems(qv *web.QuestionView, err error) {
	var de *assessment.DecodeError
	var ve *assessment.ValidationError
	switch {
	case errors.As(err, &ve):
		var general []string
		for _, p := range ve.Problems {
			if p.Row > 0 && p.Column != "" {
				if qv.Cells == nil {
					qv.Cells = map[string]string{}
				}
				qv.Cells[strconv.Itoa(p.Row-1)+"."+p.Column] = capitalize(p.Message)
			}
			general = append(general, p.Message)
		}
		qv.Error = capitalize(strings.Join(general, "; ")) + "."
	case errors.As(err, &de):
		qv.Error = capitalize(de.Message) + "."
	default:
		qv.Error = "This answer could not be read."
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.TrimSuffix(s[1:], ".")
}

// rangeText says what numbers a question takes.
func rangeText(c assessment.Constraints) string {
	f := func(p *float64) string { return assessment.GroupThousands(strconv.FormatFloat(*p, 'f', -1, 64)) }
	whole := ""
	if c.Integer {
		whole = "a whole number, "
	}
	switch {
	case c.Min != nil && c.Max != nil:
		return whole + f(c.Min) + " to " + f(c.Max)
	case c.Min != nil:
		return whole + "at least " + f(c.Min)
	case c.Max != nil:
		return whole + "at most " + f(c.Max)
	case c.Integer:
		return "a whole number"
	}
	return ""
}

// checkpointShell is what a checkpoint's view holds whatever its state.
func checkpointShell(base string, c *assessment.Checkpoint) web.CheckpointView {
	phase := base + "/phases/" + c.PhaseKey()
	return web.CheckpointView{
		Key: c.Key, Text: c.Text, Link: c.Link, Blocking: c.Blocking, Derived: c.Origin == assessment.OriginDerived, Source: c.Source,
		SaveURL:   phase + "/checkpoints/" + c.Key,
		UploadURL: phase + "/checkpoints/" + c.Key + "/evidence",
		HistURL:   base + "/history/checkpoint/" + c.Key,
		FileLimit: store.MaxEvidenceBytes, FileTooLarge: evidenceTooLarge,
	}
}

// checkpointView shows a checkpoint with its confirmation and evidence.
func (ws *workspace) checkpointView(c *assessment.Checkpoint, readOnly bool) web.CheckpointView {
	conf := ws.stored.Confirmations[c.Key]
	cv := checkpointShell(ws.base(), c)
	cv.Confirmed, cv.EvidenceURL, cv.Note, cv.Version, cv.History, cv.ReadOnly = conf.Confirmed, conf.EvidenceURL, conf.Note, conf.Version, conf.Version, readOnly
	cv.Saved = saved(conf.UpdatedBy, conf.UpdatedAt, false)
	for _, e := range ws.stored.Evidence[c.Key] {
		cv.Evidence = append(cv.Evidence, web.EvidenceView{
			ID: e.ID, Filename: e.Filename, Size: fileSize(int64(e.Size)), UploadedBy: e.UploadedBy,
			UploadedAt: web.FormatDate(e.UploadedAt),
			Href:       ws.base() + "/evidence/" + itoa(e.ID), DeleteURL: ws.base() + "/evidence/" + itoa(e.ID) + "/delete",
		})
	}
	return cv
}

// display writes a stored answer in words, for conflicts and history.
func display(q *assessment.Question, raw string) string {
	if raw == "" {
		return "(no answer)"
	}
	v, err := q.Decode(raw)
	if err != nil {
		return raw
	}
	return displayValue(q, v)
}

// rowCells is a table row in words, "Label: value" for each column that
// has a value; with only (column indexes) set, for those columns alone,
// empty ones included.
func rowCells(q *assessment.Question, r []string, only []int) string {
	var cells []string
	for j, c := range q.Columns {
		v := ""
		if j < len(r) {
			v = r[j]
		}
		switch {
		case only != nil && !slices.Contains(only, j):
		case v != "":
			cells = append(cells, c.Label+": "+cellText(c, v))
		case only != nil:
			cells = append(cells, c.Label+": (empty)")
		}
	}
	return strings.Join(cells, ", ")
}

// cellText is a table cell's value as pages say it: numbers grouped, days
// as "30 Jun 2027", choices by their labels.
func cellText(c *assessment.Column, v string) string {
	switch c.Type {
	case assessment.TypeNumber:
		return assessment.GroupThousands(v)
	case assessment.TypeDate:
		if d, err := time.Parse(time.DateOnly, v); err == nil {
			return web.FormatDate(d)
		}
		return v
	case assessment.TypeYesNo:
		return choiceLabel(yesNoChoices, v)
	}
	return choiceLabel(c.Choices, v)
}

// yesNoChoices are a yes/no answer's values in words.
var yesNoChoices = []assessment.Choice{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}

// tableChanges says what differs between two versions of a table answer,
// row by row (assessment.DiffRows): only the cells that changed in a row
// changed in place, added rows whole under "now", removed rows whole under
// "before". It ends with how many rows stayed as they were.
func tableChanges(q *assessment.Question, old, cur assessment.Value) (before, now string) {
	changes, same := assessment.DiffRows(old.Rows, cur.Rows)
	if len(changes) == 0 { // the same rows, written differently
		return displayValue(q, old), displayValue(q, cur)
	}
	var was, is []string
	for _, c := range changes {
		switch {
		case c.Old < 0:
			is = append(is, fmt.Sprintf("row %d added (%s)", c.New+1, rowCells(q, cur.Rows[c.New], nil)))
		case c.New < 0:
			was = append(was, fmt.Sprintf("row %d (%s)", c.Old+1, rowCells(q, old.Rows[c.Old], nil)))
			is = append(is, fmt.Sprintf("former row %d%s removed", c.Old+1, rowName(q, old.Rows[c.Old])))
		default:
			// The row is named by its first cell when that did not change,
			// as its number may have.
			name := ""
			if !slices.Contains(c.Cells, 0) {
				name = rowName(q, cur.Rows[c.New])
			}
			was = append(was, fmt.Sprintf("row %d%s (%s)", c.Old+1, name, rowCells(q, old.Rows[c.Old], c.Cells)))
			is = append(is, fmt.Sprintf("row %d%s (%s)", c.New+1, name, rowCells(q, cur.Rows[c.New], c.Cells)))
		}
	}
	before, now = cmp.Or(strings.Join(was, "; "), "—"), strings.Join(is, "; ")
	switch same {
	case 0:
	case 1:
		now += "; the other row as before"
	default:
		now += fmt.Sprintf("; the other %d rows as before", same)
	}
	return before, now
}

// rowName is a table row's first cell, quoted after a comma (", “CHW
// app”"), or "" when it is empty.
func rowName(q *assessment.Question, r []string) string {
	if len(r) == 0 || r[0] == "" || len(q.Columns) == 0 {
		return ""
	}
	return ", “" + choiceLabel(q.Columns[0].Choices, r[0]) + "”"
}

func displayValue(q *assessment.Question, v assessment.Value) string {
	if v.IsZero() {
		return "(no answer)"
	}
	switch q.Type {
	case assessment.TypeYesNo:
		return choiceLabel(yesNoChoices, v.Text)
	case assessment.TypeSingleChoice:
		return choiceLabel(q.Choices, v.Text)
	case assessment.TypeMultiChoice:
		labels := make([]string, len(v.List))
		for i, c := range v.List {
			labels[i] = choiceLabel(q.Choices, c)
		}
		return strings.Join(labels, ", ")
	case assessment.TypePerson:
		s := v.Person.Name + ", " + v.Person.JobFunction
		if v.Person.Email != "" {
			s += " <" + v.Person.Email + ">"
		}
		return s
	case assessment.TypeTable:
		rows := make([]string, len(v.Rows))
		for i, r := range v.Rows {
			rows[i] = fmt.Sprintf("row %d (%s)", i+1, rowCells(q, r, nil))
		}
		return strings.Join(rows, "; ")
	case assessment.TypeNumber:
		if q.Unit != "" {
			n, _ := strconv.ParseFloat(v.Text, 64)
			return assessment.GroupThousands(v.Text) + " " + assessment.UnitFor(n, q.Unit)
		}
		return assessment.GroupThousands(v.Text)
	}
	return v.Text
}

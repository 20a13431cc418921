package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// phaseSave saves the whole phase form: the path without JavaScript, and
// the Save button. Valid answers are saved even when a neighbour is
// invalid; invalid ones come back beside their field as typed, listed in a
// summary at the top. Table row buttons (_op) add or remove a row and show
// the page again.
func (h *handler) phaseSave(w http.ResponseWriter, r *http.Request) error {
	ws, p, err := h.loadPhase(r)
	if err != nil {
		return err
	}
	if ws.stored.CanEdit && ws.result.CheckEdit(p.Key) != nil {
		v, err := h.phaseView(r.Context(), ws, p)
		if err != nil {
			return err
		}
		v.Problems = []web.Link{{Text: "Nothing was saved: this phase cannot be changed now (see above)."}}
		return h.renderPhase(w, r, http.StatusConflict, v)
	}
	out, err := h.savePosted(r, ws, p, p.Questions, p.Checkpoints)
	if err != nil {
		return err
	}
	if len(out.problems) == 0 && r.PostFormValue("_op") == "" {
		h.setFlash(w, "Phase "+p.Key+" saved.")
		return redirect(w, r, ws.phaseHref(p.Key))
	}
	v, err := h.phaseView(r.Context(), ws, p) // the state after the save, with the inputs as typed
	if err != nil {
		return err
	}
	v.Questions, v.Checkpoints, v.Problems = out.questions, out.checkpoints, out.problems
	return h.renderPhase(w, r, out.status(http.StatusUnprocessableEntity), v)
}

// savedForm is what became of a form posted for some questions and checkpoints
// of one phase: their views, showing what was typed and what became of it,
// and the problems to list at the top of the page.
type savedForm struct {
	questions   []web.QuestionView
	checkpoints []web.CheckpointView
	problems    []web.Link
	refused     string             // why gating refused the whole save, or ""
	conflicts   int                // items someone else changed meanwhile
	before      *assessment.Result // the evaluation before the save
}

// status is the HTTP status of a page showing the form again: 409 when
// something was in conflict or refused by gating, else refused when a value
// was refused, else 200.
func (f *savedForm) status(refused int) int {
	switch {
	case f.conflicts > 0 || f.refused != "":
		return http.StatusConflict
	case len(f.problems) > 0:
		return refused
	}
	return http.StatusOK
}

// savePosted is the one way a posted form reaches the store: the phase
// form, one answer as it is typed, a table row added or removed, and a
// checkpoint. It reads what was posted for the questions qs and the
// checkpoints cs of phase p (after a table row operation, _op), decodes
// each once, and saves every valid one in one store.SavePhase. On the
// whole form, questions that the typed answers hide are left out; a single
// field is saved as the person typed it, whatever the others say (it was
// on their screen). ws then holds the state after the save, and the views
// show it with what was typed.
func (h *handler) savePosted(r *http.Request, ws *workspace, p *assessment.Phase, qs []*assessment.Question, cs []*assessment.Checkpoint) (*savedForm, error) {
	if err := r.ParseForm(); err != nil {
		return nil, badRequest("The form could not be read.")
	}
	one := len(qs)+len(cs) == 1 // a field saved as one types
	form := r.PostForm
	typed := make(map[string]assessment.Value, len(ws.input.Answers))
	for k, v := range ws.input.Answers {
		typed[k] = v
	}
	rowOps, errs := make([]rowChange, len(qs)), make([]error, len(qs))
	for i, q := range qs {
		form, rowOps[i] = applyRowOp(form, q, form.Get("_op"))
		errs[i] = decodeTyped(q, form, typed)
	}
	hidden := func(string) bool { return false }
	if !one {
		after := ws.template.Evaluate(assessment.Input{Answers: typed, Confirmed: ws.input.Confirmed, Reviews: ws.input.Reviews, SignOff: ws.input.SignOff})
		hidden = func(key string) bool { return !after.Visible(key) }
	}
	var ch store.PhaseChanges
	for i, q := range qs {
		if errs[i] == nil && !hidden(q.Key) {
			ch.Answers = append(ch.Answers, store.AnswerChange{Key: q.Key, Value: typed[q.Key], Base: postedVersion(form, "_v."+q.Key)})
		}
	}
	for _, c := range cs {
		var cv web.CheckpointView
		if _, ok := fillTypedCheckpoint(&cv, c, form); ok {
			ch.Confirmations = append(ch.Confirmations, store.ConfirmationChange{Key: c.Key, Confirmed: cv.Confirmed, EvidenceURL: cv.EvidenceURL, Note: cv.Note, Base: cv.Version})
		}
	}

	out := &savedForm{before: ws.result}
	u := userFrom(r.Context())
	var saved *store.PhaseSaved
	err := ws.mayEdit()
	if err == nil {
		saved, err = h.store.SavePhase(r.Context(), u.ID, ws.stored.ID, ws.template, p.Key, ch)
	}
	var gate *store.GateError
	switch {
	case errors.As(err, &gate):
		out.refused, saved = gateMessage(gate), &store.PhaseSaved{}
	case errors.Is(err, store.ErrArchived):
		return nil, &keptError{err, ws.unsaved(qs, cs, form, typed, errs)}
	case err != nil:
		return nil, err
	default:
		ws.stored, out.before = saved.State, saved.Before
		ws.evaluate()
	}

	for i, q := range qs {
		qv := ws.questionView(q, false)
		qv.NewRow = rowOps[i].focus
		qv.Removed = removedRow(q, rowOps[i])
		fillTyped(&qv, q, form)
		switch qv.Hidden = hidden(q.Key); {
		case qv.Hidden:
			qv.Error, qv.Cells = "", nil
		case errs[i] != nil:
			showProblems(&qv, errs[i])
			if hint := q.CommaHint(qv.Text); hint != "" {
				qv.Error += " " + hint
			}
			out.problems = append(out.problems, web.Link{Text: q.Label + ": " + qv.Error, Href: "#q-" + q.Key})
		}
		out.questions = append(out.questions, qv)
	}
	for _, c := range cs {
		cv := ws.checkpointView(c, false)
		if what, ok := fillTypedCheckpoint(&cv, c, form); !ok {
			out.problems = append(out.problems, web.Link{Text: what + ": " + cv.Error, Href: "#c-" + c.Key})
		}
		out.checkpoints = append(out.checkpoints, cv)
	}
	if out.refused != "" {
		out.problems = append(out.problems, web.Link{Text: out.refused})
	}
	for _, res := range saved.Answers {
		i := questionIndex(qs, res.Key)
		q, qv := qs[i], &out.questions[i]
		if c := out.apply(res, &qv.Version, &qv.History, &qv.Saved, one, u.Name); c != nil {
			qv.Conflict = conflictView(q, c, typed[q.Key])
			out.problems = append(out.problems, web.Link{Text: q.Label + ": " + meanwhile(c, "saved another answer"), Href: "#q-" + q.Key})
		}
	}
	for _, res := range saved.Confirmations {
		cv := &out.checkpoints[checkpointIndex(cs, res.Key)]
		if c := out.apply(res, &cv.Version, &cv.History, &cv.Saved, one, u.Name); c != nil {
			cv.Conflict = checkpointConflict(cv, c)
			out.problems = append(out.problems, web.Link{Text: "Checkpoint: " + meanwhile(c, "changed it"), Href: "#c-" + cv.Key})
		}
	}
	return out, nil
}

// apply shows the result of saving one item on its view: its new version
// and save state, or, returned, the conflict. After a conflict on the
// phase form, saving the page again keeps the typed value over theirs (it
// starts from their version); a single field keeps the version it started
// from, so that it conflicts until the person chooses in the panel.
func (f *savedForm) apply(res store.SaveResult, version, history *int, state **web.SavedState, single bool, by string) *store.ConflictError {
	if c := res.Conflict; c != nil {
		f.conflicts++
		if !single {
			*version = c.Current.Version
		}
		return c
	}
	*version, *history = res.Version, res.Version
	if res.Changed || single {
		*state = saved(by, time.Now(), true)
	}
	return nil
}

// decodeTyped decodes and validates what was posted for q into typed; an
// empty answer removes it.
func decodeTyped(q *assessment.Question, form url.Values, typed map[string]assessment.Value) error {
	v, err := q.DecodeForm(form)
	if err == nil && !v.IsZero() {
		err = q.Validate(v)
	}
	if err != nil {
		return err
	}
	if v.IsZero() {
		delete(typed, q.Key)
	} else {
		typed[q.Key] = v
	}
	return nil
}

// rowChange is what a table row operation did to the posted table.
type rowChange struct {
	focus   int      // the row to focus: one added or put back; -1 none
	at      int      // the row removed; -1 none
	removed []string // its cells, for its undo
}

// applyRowOp applies a table row operation ("add:KEY", "remove:KEY:ROW",
// "insert:KEY:ROW": put back the removed row posted in the web.UndoField
// fields) on q to the posted form, returning the form as if the person had
// posted the table with that row added, removed or put back, and what it
// did.
func applyRowOp(form url.Values, q *assessment.Question, op string) (url.Values, rowChange) {
	none := rowChange{focus: -1, at: -1}
	parts := strings.Split(op, ":")
	if q.Type != assessment.TypeTable || len(parts) < 2 || parts[1] != q.Key {
		return form, none
	}
	rows := typedRows(q, form)
	change := none
	switch i, err := strconv.Atoi(parts[len(parts)-1]); {
	case parts[0] == "add" && len(rows) < 1000:
		rows = append(rows, make([]string, len(q.Columns)))
		change.focus = len(rows) - 1
	case parts[0] == "remove" && len(parts) == 3 && err == nil && i >= 0 && i < len(rows):
		change.at, change.removed = i, rows[i]
		rows = append(rows[:i:i], rows[i+1:]...)
	case parts[0] == "insert" && len(parts) == 3 && err == nil && i >= 0 && len(rows) < 1000:
		// A row past the end (rows removed since, in another tab) goes back last.
		row := make([]string, len(q.Columns))
		for j, col := range q.Columns {
			row[j] = form.Get(web.UndoField(q.Key, col.Key))
		}
		if len(rows) == 1 && blankRow(rows[0]) { // the empty row shown in place of the only one removed
			rows = rows[:0]
		}
		change.focus = min(i, len(rows))
		rows = slices.Insert(rows, change.focus, row)
	default:
		return form, none
	}
	next := url.Values{}
	prefix := q.Key + "."
	for name, vs := range form {
		if !strings.HasPrefix(name, prefix) {
			next[name] = vs
		}
	}
	for i, row := range rows {
		for j, col := range q.Columns {
			next.Set(q.CellFieldName(i, col.Key), row[j])
		}
	}
	return next, change
}

func checkpointIndex(cs []*assessment.Checkpoint, key string) int {
	for i, c := range cs {
		if c.Key == key {
			return i
		}
	}
	return -1
}

func questionIndex(qs []*assessment.Question, key string) int {
	for i, q := range qs {
		if q.Key == key {
			return i
		}
	}
	return -1
}

// meanwhile says who did what while the person was editing: "Ana saved
// another answer meanwhile", or "you saved another answer in another window
// or tab meanwhile".
func meanwhile(c *store.ConflictError, did string) string {
	if c.Mine {
		return "you " + did + " in another window or tab meanwhile"
	}
	return c.Current.UpdatedBy + " " + did + " meanwhile"
}

// removedRow describes the row a remove took out of q's table, for its
// undo; nil for none, or for an empty row (nothing to put back).
func removedRow(q *assessment.Question, c rowChange) *web.RemovedRow {
	if c.removed == nil || blankRow(c.removed) {
		return nil
	}
	var said []string
	for j, col := range q.Columns {
		if v := strings.TrimSpace(c.removed[j]); v != "" {
			said = append(said, cellText(col, v))
		}
	}
	return &web.RemovedRow{At: c.at, Cells: c.removed, Summary: strings.Join(said, ", ")}
}

// blankRow says whether a table row has nothing typed in it.
func blankRow(row []string) bool {
	return !slices.ContainsFunc(row, func(v string) bool { return strings.TrimSpace(v) != "" })
}

// unsaved is what the form posted would have changed, in words, one block
// per question or checkpoint ("prompt", then the answer as typed), for a
// refused save's error page to show: decoded answers (typed) that differ
// from the stored ones, the text of those that could not be read (errs),
// and checkpoints whose evidence link or note differ.
func (ws *workspace) unsaved(qs []*assessment.Question, cs []*assessment.Checkpoint, form url.Values, typed map[string]assessment.Value, errs []error) string {
	var blocks []string
	for i, q := range qs {
		text := ""
		if errs[i] != nil {
			var qv web.QuestionView
			fillTyped(&qv, q, form)
			text = strings.TrimSpace(qv.Text)
		} else if v := typed[q.Key]; !v.IsZero() && q.Encode(v) != q.Encode(ws.input.Answers[q.Key]) {
			text = displayValue(q, v)
		}
		if text != "" {
			blocks = append(blocks, q.Prompt+"\n"+text)
		}
	}
	for _, c := range cs {
		var cv web.CheckpointView
		fillTypedCheckpoint(&cv, c, form)
		stored := ws.stored.Confirmations[c.Key]
		var lines []string
		if cv.EvidenceURL != "" && cv.EvidenceURL != stored.EvidenceURL {
			lines = append(lines, "Evidence: "+cv.EvidenceURL)
		}
		if cv.Note != "" && cv.Note != stored.Note {
			lines = append(lines, "Note: "+cv.Note)
		}
		if len(lines) > 0 {
			blocks = append(blocks, c.Text+"\n"+strings.Join(lines, "\n"))
		}
	}
	return strings.Join(blocks, "\n\n")
}

package handlers

import (
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"groundwork/assessment"
	"groundwork/assessment/csvsafe"
	"groundwork/store"
	"groundwork/web"
)

// What the two audit trail pages share: reading the filters, putting
// events in words, the pages' links and the CSV file.

const (
	auditPageSize = 50
	// maxCSVEvents bounds one CSV download; a filter matching more asks
	// for narrower dates.
	maxCSVEvents = 100_000
)

// kindWords name the kinds of event (store/audit.go) for people.
var kindWords = map[string]string{
	"answer":       "Answer",
	"checkpoint":   "Checkpoint",
	"evidence":     "Evidence file",
	"phase":        "Phase status", // review decisions included: approved, changes requested
	"assessment":   "Assessment",   // started (or imported), renamed
	"comment":      "Comment",
	"action":       "Action list owner and due date",
	"account":      "Account created",
	"role":         "Role",
	"active":       "Sign-in access",
	"name":         "Name",
	"password":     "Password",
	"link":         "Sign-in link",
	"advisor":      "Advisor assignment",
	"organisation": "Organisation",
	"setting":      "Notification e-mails",
}

// assessmentKinds and accountKinds are the kinds the filters offer, in
// this order.
var (
	assessmentKinds = []string{"answer", "checkpoint", "evidence", "phase", "comment", "action", "assessment"}
	accountKinds    = []string{"account", "role", "active", "name", "password", "link", "advisor", "organisation", "setting"}
)

// kindWord names a kind of event; one it does not know (added by a newer
// part of the portal) in words made from its key.
func kindWord(kind string) string {
	if w, ok := kindWords[kind]; ok {
		return w
	}
	s := strings.TrimSpace(strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(kind))
	if s == "" {
		return "Change"
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// kindOptions are the choices of the kind filter; a kind chosen in the
// URL that the list lacks is added, so the form shows what is applied.
func kindOptions(kinds []string, chosen string) []web.Option {
	opts := []web.Option{{Value: "", Label: "All kinds"}}
	known := false
	for _, k := range kinds {
		opts = append(opts, web.Option{Value: k, Label: kindWord(k)})
		known = known || k == chosen
	}
	if chosen != "" && !known {
		opts = append(opts, web.Option{Value: chosen, Label: kindWord(chosen)})
	}
	return opts
}

// readAuditFilter reads the filters named from the URL: the form keeps
// what was typed and says what is wrong, and the store filter holds the
// valid ones. (kind, person, org, phase, from, to; phase is the caller's
// to check against its template.)
func readAuditFilter(r *http.Request, names ...string) (store.EventFilter, web.Form) {
	q := r.URL.Query()
	form := web.Form{Values: map[string]string{}, Errors: map[string]string{}, Order: names}
	for _, n := range names {
		form.Values[n] = strings.TrimSpace(q.Get(n))
	}
	var f store.EventFilter
	f.Kind = form.Values["kind"]
	id := func(name, msg string) int64 {
		s := form.Values[name]
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			form.Errors[name] = msg
			return 0
		}
		return n
	}
	f.ActorID = id("person", "Choose a person from the list.")
	f.OrganisationID = id("org", "Choose an organisation from the list.")
	date := func(name, what string) time.Time {
		s := form.Values[name]
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			form.Errors[name] = "Enter the " + what + " as year-month-day, e.g. 2026-03-31."
			return time.Time{}
		}
		return t
	}
	f.From = date("from", "start date")
	if to := date("to", "end date"); !to.IsZero() {
		f.Until = to.AddDate(0, 0, 1) // the whole of the last day
	}
	if !f.From.IsZero() && !f.Until.IsZero() && !f.Until.After(f.From) {
		form.Errors["to"] = "The end date is before the start date."
		f.Until = time.Time{}
	}
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	return f, form
}

// filterQuery is the filters set in form, for links that keep them.
func filterQuery(form web.Form) url.Values {
	q := url.Values{}
	for _, n := range form.Order {
		if v := form.Values[n]; v != "" && form.Errors[n] == "" {
			q.Set(n, v)
		}
	}
	return q
}

// withQuery is path with q, if any.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// auditView fills what both pages show around the list: filters, links,
// pages. events may hold one more than a page, which says there is an
// older page.
func (h *handler) auditView(path string, f store.EventFilter, form web.Form, events []store.Event) web.AuditView {
	q := filterQuery(form)
	v := web.AuditView{Filter: form, Filtered: len(q) > 0, ClearHref: path, CSVHref: withQuery(path+".csv", q)}
	if len(events) > auditPageSize {
		events = events[:auditPageSize]
		older := filterQuery(form)
		older.Set("before", itoa(events[len(events)-1].ID))
		v.OlderHref = withQuery(path, older)
	}
	if f.Before != 0 {
		v.NewestHref = withQuery(path, q)
	}
	for _, e := range events {
		w := h.describeEvent(e)
		row := web.AuditEvent{At: web.StampOf(e.At), Who: w.who, WhoEmail: e.ActorEmail, Kind: w.kind,
			Where: w.org, Item: w.item, ItemHref: w.itemHref, Before: w.before, NoBefore: e.Before == nil, After: w.after}
		if w.assessment != "" {
			row.Where += " · " + w.assessment
			row.WhereHref = "/assessments/" + itoa(e.AssessmentID)
		}
		v.Events = append(v.Events, row)
	}
	return v
}

// eventWords is an event in words, for the page and the CSV file.
type eventWords struct {
	who, kind, org, assessment, item, itemHref, before, after string
}

// describeEvent puts an event in words: the item named by the
// assessment's template (a question's prompt, a checkpoint's text, a
// phase's title) whatever the kind, and answers as the page shows them.
func (h *handler) describeEvent(e store.Event) eventWords {
	w := eventWords{who: e.ActorName, kind: kindWord(e.Kind), org: e.OrganisationName, assessment: e.AssessmentName, item: e.Item, after: e.After}
	if e.ActorID == 0 && w.who == "" {
		w.who = "Operator (command line)"
	}
	if e.Before != nil {
		w.before = *e.Before
	}
	value := func(s string) string { return s }
	var tpl *assessment.Template
	if e.AssessmentID != 0 {
		tpl, _ = h.catalog.Template(e.TemplateID, e.TemplateVersion)
	}
	base := "/assessments/" + itoa(e.AssessmentID) + "/phases/"
	item := e.Item
	comment := ""
	if e.Kind == "comment" { // "<phase>#<comment id>" (store's commentKey)
		item, comment, _ = strings.Cut(item, "#")
	}
	if e.Kind == "action" { // "checkpoint:<key>", "rule:<phase>/<key>", "thread:<id>"
		kind, rest, _ := strings.Cut(item, ":")
		switch kind {
		case store.ActionCheckpoint:
			item = rest
		case store.ActionRule:
			item, _, _ = strings.Cut(rest, "/") // the rule's phase
		default:
			item = ""
		}
	}
	switch {
	case e.Kind == "assessment": // its items are its own, not the template's
		w.item = map[string]string{"": "Started", "name": "Name", "archived": "Archived or in use"}[e.Item]
	case tpl != nil && item != "":
		if q, ok := tpl.Question(item); ok {
			w.item, w.itemHref = q.PhaseKey()+" · "+q.Prompt, base+q.PhaseKey()+"#q-"+q.Key
			if e.Kind == "answer" {
				value = func(s string) string { return display(q, s) }
			}
		} else if c, ok := tpl.Checkpoint(item); ok {
			w.item, w.itemHref = c.PhaseKey()+" · "+c.Text, base+c.PhaseKey()+"#c-"+c.Key
		} else if p, ok := tpl.Phase(item); ok {
			w.item, w.itemHref = "Phase "+p.Key+" "+p.Title, base+p.Key
		}
	case e.Kind == "organisation":
		w.item = map[string]string{"": "Created", "name": "Name", "platform": "Platform", "deleted": "Deleted"}[e.Item]
	}
	if comment != "" && w.itemHref != "" { // the comment itself, on its phase (web.CommentView.Anchor)
		w.item += " · comment " + comment
		w.itemHref += "#cm-" + comment
	}
	if rule, ok := strings.CutPrefix(e.Item, store.ActionRule+":"); ok && e.Kind == "action" {
		_, key, _ := strings.Cut(rule, "/")
		w.item += " · rule " + key
	} else if id, ok := strings.CutPrefix(e.Item, store.ActionThread+":"); ok && e.Kind == "action" {
		w.item = "Change request #" + id
	}
	if e.Before != nil {
		w.before = value(w.before)
	}
	w.after = value(w.after)
	if e.Kind == "evidence" {
		w.after = sizeWords(w.after)
	}
	return w
}

// sendAuditCSV answers events as a CSV file named filename: one row each,
// every text cell through csvsafe.
func (h *handler) sendAuditCSV(w http.ResponseWriter, filename string, events []store.Event) error {
	if len(events) > maxCSVEvents {
		return withCode(http.StatusUnprocessableEntity, "These filters match more than 100,000 events, too many for one file. Choose a shorter date range and download each range.", nil)
	}
	return sendFile(w, "text/csv; charset=utf-8", filename, func(out io.Writer) error {
		t := csvsafe.Text
		cw := csv.NewWriter(out)
		_ = cw.Write([]string{"Event", "Time (UTC)", "Who", "E-mail", "What changed", "Item", "Organisation", "Assessment", "Before", "After"})
		for _, e := range events {
			d := h.describeEvent(e)
			before := d.before
			if e.Before == nil {
				before = ""
			}
			_ = cw.Write([]string{itoa(e.ID), e.At.UTC().Format(time.RFC3339), t(d.who), t(e.ActorEmail), t(d.kind), t(d.item),
				t(d.org), t(d.assessment), t(before), t(d.after)})
		}
		cw.Flush()
		return cw.Error()
	})
}

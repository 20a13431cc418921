package web

import (
	"strconv"
	"strings"
)

// DiscussionView is a phase's comment threads, the open change requests
// among them, and what the reader may do.
type DiscussionView struct {
	Base       string                  // the phase's address; actions post under Base/comments
	CanComment bool                    // start threads, reply, edit one's own
	CanResolve bool                    // resolve and reopen threads
	Phase      []ThreadView            // on the whole phase
	ByQuestion map[string][]ThreadView // on one question, by its key
	All        []ThreadView            // every thread, for their forms
	// Requests are the open change requests, for the top of the page;
	// Marked the same by the questions they mark.
	Requests []ThreadView
	Marked   map[string][]ThreadView
	People   []PersonView // who can be mentioned
	Draft    CommentDraft
}

// CommentDraft is a refused comment: which form, the text as typed and
// what was wrong with it.
type CommentDraft struct {
	Form  string // NewForm(question), ReplyForm(id) or EditForm(id)
	Body  string
	Error string
}

// NewForm, ReplyForm and EditForm name a comment form: a new thread on the
// phase ("") or a question, a reply to a thread, an edit of a comment.
func NewForm(question string) string {
	if question == "" {
		return "new"
	}
	return "new-" + question
}

// ReplyForm names the form replying to a thread.
func ReplyForm(thread int64) string { return "reply-" + strconv.FormatInt(thread, 10) }

// EditForm names the form editing a comment.
func EditForm(comment int64) string { return "edit-" + strconv.FormatInt(comment, 10) }

// FieldID is the id of the text field of the form named.
func FieldID(form string) string { return "cm-body-" + form }

// ThreadView is one thread: its comments, first to last.
type ThreadView struct {
	ID            int64
	ChangeRequest bool
	Question      string // key; "" on the whole phase
	QuestionText  string // the question's prompt
	Marked        []Link // a change request's questions, linking to them
	Resolved      bool
	ResolvedBy    string
	ResolvedAt    Stamp
	Comments      []CommentView
}

// First is the thread's first comment.
func (t ThreadView) First() CommentView { return t.Comments[0] }

// Anchor is the thread's id on the page.
func (t ThreadView) Anchor() string { return "t-" + strconv.FormatInt(t.ID, 10) }

// Excerpt is the start of the thread's first comment, for summaries.
func (t ThreadView) Excerpt() string {
	var b strings.Builder
	for _, p := range t.First().Body {
		b.WriteString(p.Text)
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	if r := []rune(s); len(r) > 90 {
		return strings.TrimSpace(string(r[:88])) + "…"
	}
	return s
}

// CommentView is one comment.
type CommentView struct {
	ID       int64
	Author   string
	At       Stamp
	Body     []TextPart
	Text     string // as written, for the edit form
	Edited   Stamp  // zero: never edited
	Previous []EarlierText
	Mine     bool // the reader wrote it and may edit it
}

// Anchor is the comment's id on the page.
func (c CommentView) Anchor() string { return "cm-" + strconv.FormatInt(c.ID, 10) }

// EarlierText is a text an edit replaced.
type EarlierText struct {
	Body       []TextPart
	ReplacedAt Stamp
}

// TextPart is a run of a comment's text: plain, or an @mention.
type TextPart struct {
	Text    string
	Mention bool
}

// PersonView is somebody who can be mentioned.
type PersonView struct {
	Name, Role, Handle string
}

// commentCount counts the comments of threads.
func commentCount(threads []ThreadView) int {
	n := 0
	for _, t := range threads {
		n += len(t.Comments)
	}
	return n
}

// anyOpen reports whether a thread is unresolved, or the draft is one of
// the question's forms.
func (d DiscussionView) anyOpen(question string) bool {
	for _, t := range d.ByQuestion[question] {
		if !t.Resolved || d.draftIn(t) {
			return true
		}
	}
	return d.Draft.Form != "" && d.Draft.Form == NewForm(question)
}

// draftIn reports whether the draft belongs to a form of the thread.
func (d DiscussionView) draftIn(t ThreadView) bool {
	if d.Draft.Form == ReplyForm(t.ID) {
		return true
	}
	for _, c := range t.Comments {
		if d.Draft.Form == EditForm(c.ID) {
			return true
		}
	}
	return false
}

// draftText is the text to show in the form named: the refused one's, or
// def.
func (d DiscussionView) draftText(form, def string) string {
	if d.Draft.Form == form {
		return d.Draft.Body
	}
	return def
}

// draftError is the message for the form named, if it was refused.
func (d DiscussionView) draftError(form string) string {
	if d.Draft.Form == form {
		return d.Draft.Error
	}
	return ""
}

func (d DiscussionView) url(parts ...string) string {
	return d.Base + "/comments" + strings.Join(parts, "")
}

func (d DiscussionView) all() []ThreadView { return d.All }

// threadLabel names a thread for screen readers.
func threadLabel(t ThreadView) string {
	what := "Comment by "
	if t.ChangeRequest {
		what = "Change request by "
	}
	return what + t.First().Author + ", " + t.First().At.Text
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// exampleHandle is a handle for the comment box's hint: one that is the
// start of an e-mail address, as the hint says, where there is one (a
// handle is the whole address when two people share its start).
func (d DiscussionView) exampleHandle() string {
	for _, p := range d.People {
		if !strings.Contains(p.Handle, "@") {
			return p.Handle
		}
	}
	return ""
}

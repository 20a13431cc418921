package handlers

import (
	"cmp"

	"groundwork/store"
	"groundwork/web"
)

// discussionView shows the phase's comment threads, and the people who can
// be mentioned, to the reader me.
func discussionView(v *web.PhaseView, me int64, canComment bool, threads []store.Thread, people []store.Person) web.DiscussionView {
	d := web.DiscussionView{
		Base: v.Base(), CanComment: canComment, CanResolve: v.CanEdit || v.CanReview,
		ByQuestion: map[string][]web.ThreadView{}, Marked: map[string][]web.ThreadView{},
	}
	for _, p := range people {
		d.People = append(d.People, web.PersonView{Name: p.Name, Role: p.Role.Label(), Handle: p.Handle})
	}
	prompts := make(map[string]string, len(v.Questions))
	for _, q := range v.Questions {
		prompts[q.Key] = q.Prompt
	}
	for _, t := range threads {
		tv := threadView(t, me, prompts)
		d.All = append(d.All, tv)
		if t.Question != "" {
			d.ByQuestion[t.Question] = append(d.ByQuestion[t.Question], tv)
		} else {
			d.Phase = append(d.Phase, tv)
		}
		if tv.ChangeRequest && !tv.Resolved {
			d.Requests = append(d.Requests, tv)
			for _, k := range t.Questions {
				d.Marked[k] = append(d.Marked[k], tv)
			}
		}
	}
	return d
}

// threadView shows a thread to the reader me; prompts are the phase's
// questions, by key.
func threadView(t store.Thread, me int64, prompts map[string]string) web.ThreadView {
	tv := web.ThreadView{
		ID: t.ID, ChangeRequest: t.Kind == store.KindChangeRequest, Question: t.Question, QuestionText: prompts[t.Question],
		Resolved: t.Resolved(), ResolvedBy: t.ResolvedBy, ResolvedAt: web.StampOf(t.ResolvedAt),
	}
	for _, k := range t.Questions {
		tv.Marked = append(tv.Marked, web.Link{Text: cmp.Or(prompts[k], k), Href: "#q-" + k})
	}
	for _, c := range append([]store.Comment{t.Comment}, t.Replies...) {
		cv := web.CommentView{ID: c.ID, Author: cmp.Or(c.Author, "(a removed account)"), At: web.StampOf(c.CreatedAt), Body: textParts(c.Body),
			Text: c.Body, Edited: web.StampOf(c.EditedAt), Mine: c.AuthorID == me}
		for _, p := range c.Previous {
			cv.Previous = append(cv.Previous, web.EarlierText{Body: textParts(p.Body), ReplacedAt: web.StampOf(p.ReplacedAt)})
		}
		tv.Comments = append(tv.Comments, cv)
	}
	return tv
}

// textParts splits a comment's text at its @mentions.
func textParts(text string) []web.TextPart {
	var parts []web.TextPart
	at := 0
	for _, m := range store.FindMentions(text) {
		if m[0] > at {
			parts = append(parts, web.TextPart{Text: text[at:m[0]]})
		}
		parts = append(parts, web.TextPart{Text: text[m[0]:m[1]], Mention: true})
		at = m[1]
	}
	if at < len(text) {
		parts = append(parts, web.TextPart{Text: text[at:]})
	}
	return parts
}

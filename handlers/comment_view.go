package handlers

import (
	"cmp"
	"net/http"

	"groundwork/store"
	"groundwork/web"
)

// discussion puts the phase's comment threads, and the people who can be
// mentioned, into its page; draft is a refused comment to show again.
func (h *handler) discussion(r *http.Request, v *web.PhaseView, draft web.CommentDraft) error {
	ctx, u := r.Context(), userFrom(r.Context())
	threads, err := h.store.Threads(ctx, u.ID, v.AssessmentID, v.Key)
	if err != nil {
		return err
	}
	d := web.DiscussionView{
		Base: v.Base(), CanComment: v.CanEdit || v.CanReview || u.Role == store.RoleAdmin, CanResolve: v.CanEdit || v.CanReview,
		ByQuestion: map[string][]web.ThreadView{}, Marked: map[string][]web.ThreadView{}, Draft: draft,
	}
	if d.CanComment {
		people, err := h.store.Mentionable(ctx, u.ID, v.AssessmentID)
		if err != nil {
			return err
		}
		for _, p := range people {
			d.People = append(d.People, web.PersonView{Name: p.Name, Role: p.Role.Label(), Handle: p.Handle})
		}
	}
	prompts := make(map[string]string, len(v.Questions))
	for _, q := range v.Questions {
		prompts[q.Key] = q.Prompt
	}
	for _, t := range threads {
		tv := threadView(t, u.ID, prompts)
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
	v.Discussion = d
	return nil
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

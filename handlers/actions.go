package handlers

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// actionItems is an assessment's action list, in phase order: in each
// phase its unconfirmed checkpoints (blocking first), its failing rules
// (blocking first) and its open change requests, each with the owner and
// due date set on it. Phases marked not applicable have none.
func (h *handler) actionItems(ctx context.Context, ws *workspace) ([]web.ActionItem, error) {
	items, _, err := h.actionList(ctx, ws)
	return items, err
}

// actionList is actionItems, with the names of the organisation's members
// (the owners the overview suggests).
func (h *handler) actionList(ctx context.Context, ws *workspace) ([]web.ActionItem, []string, error) {
	uid := userFrom(ctx).ID
	plans, err := h.store.ActionPlans(ctx, uid, ws.stored.ID)
	if err != nil {
		return nil, nil, err
	}
	threads, err := h.store.Threads(ctx, uid, ws.stored.ID, "")
	if err != nil {
		return nil, nil, err
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	var items []web.ActionItem
	add := func(p *assessment.Phase, key string, it web.ActionItem) {
		it.Key, it.Phase, it.PhaseTitle = key, p.Key, p.Title
		if pl, ok := plans.Plans[key]; ok {
			it.Owner, it.SetBy, it.SetAt = pl.Owner, pl.UpdatedBy, web.StampOf(pl.UpdatedAt)
			if !pl.Due.IsZero() {
				it.Due, it.Overdue = pl.Due.Format(time.DateOnly), pl.Due.Before(today)
			}
		}
		items = append(items, it)
	}
	for i, p := range ws.template.Phases {
		pr := &ws.result.Phases[i]
		if pr.Status == assessment.StatusNotApplicable {
			continue
		}
		for _, blocking := range []bool{true, false} {
			for _, c := range p.Checkpoints {
				if c.Blocking != blocking || ws.input.Confirmed[c.Key] {
					continue
				}
				add(p, store.ActionKey(store.ActionCheckpoint, c.Key), web.ActionItem{
					Kind: web.ActionCheckpoint, Blocking: c.Blocking, What: capitalised(c.Label), Detail: c.Text,
					Href: ws.phaseHref(p.Key) + "#c-" + c.Key,
				})
			}
		}
		for k, rules := range [][]*assessment.Issue{pr.Blockers, pr.Warnings} {
			for _, is := range rules {
				if is.Kind != assessment.IssueRule {
					continue
				}
				add(p, store.ActionKey(store.ActionRule, p.Key+"/"+is.Rule), web.ActionItem{
					Kind: web.ActionRule, Blocking: k == 0,
					What: capitalised(strings.TrimPrefix(is.Message, p.Key+": ")), Href: ws.fieldHref(is),
				})
			}
		}
		for _, t := range threads {
			if t.Phase != p.Key || t.Kind != store.KindChangeRequest || t.Resolved() {
				continue
			}
			add(p, store.ActionKey(store.ActionThread, itoa(t.ID)), web.ActionItem{
				Kind: web.ActionChangeRequest, Blocking: true, What: excerpt(t.Body, 140),
				Detail: "Requested by " + t.Author + ", " + web.FormatTime(t.CreatedAt),
				Href:   ws.phaseHref(p.Key) + "#t-" + itoa(t.ID),
			})
		}
	}
	return items, plans.Members, nil
}

// capitalised starts s with a capital letter.
func capitalised(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// excerpt is s on one line, cut to at most n characters.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}

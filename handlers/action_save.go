package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/a-h/templ"

	"groundwork/assessment"
	"groundwork/store"
	"groundwork/web"
)

// The words for refused owners and due dates of action items.
const (
	ownerTooLong     = "Use at most 120 characters."
	ownerInvalid     = "Write the owner on one line, without tabs or other control characters."
	dueNotADate      = "Enter a whole date: day, month and a four-digit year (2027-03-31 where no date picker shows)."
	dueOutOfRange    = "Enter a date between the years 2000 and 2199."
	itemNotOnTheList = "That item is no longer on the action list: it was done or resolved meanwhile, so nothing was saved. The list is up to date now."
)

// fiveDigitYear matches a date whose year has more than four digits.
var fiveDigitYear = regexp.MustCompile(`^\+?\d{5,}-\d\d-\d\d$`)

// actionsView is the overview's action list for the signed-in user.
func (h *handler) actionsView(ctx context.Context, ws *workspace) (web.ActionsView, error) {
	items, members, err := h.actionList(ctx, ws)
	if err != nil {
		return web.ActionsView{}, err
	}
	v := web.ActionsView{Items: items, Members: members, CanEdit: ws.stored.CanEdit, Action: ws.base() + "/actions", Open: map[string]bool{}}
	// Phases one can work on show their items; so do those with anything
	// set or overdue. Later, locked phases stay folded.
	for _, it := range items {
		if pr, ok := ws.result.Phase(it.Phase); ok && pr.Status != assessment.StatusLocked || it.Owner != "" || it.Due != "" {
			v.Open[it.Phase] = true
		}
	}
	return v, nil
}

// actionSave sets the owner and due date of one item of the action list
// (the form's item, owner and due). Through htmx it answers the item
// alone; otherwise it goes back to the overview, at the item.
func (h *handler) actionSave(w http.ResponseWriter, r *http.Request) error {
	ws, err := h.loadWorkspace(r)
	if err != nil {
		return err
	}
	if err := ws.mayEdit(); err != nil {
		return err
	}
	w.Header().Add("Vary", "HX-Request")
	htmx := r.Header.Get("HX-Request") == "true"
	key := r.PostFormValue("item")
	v, err := h.actionsView(r.Context(), ws)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(v.Items, func(a web.ActionItem) bool { return a.Key == key })
	if i < 0 {
		if htmx {
			return h.render(w, r, http.StatusUnprocessableEntity, web.ActionGone(itemNotOnTheList))
		}
		v.Error = itemNotOnTheList
		return h.renderOverview(w, r, http.StatusUnprocessableEntity, ws, v, web.Form{})
	}
	it := &v.Items[i]
	it.Owner, it.Due = strings.TrimSpace(r.PostFormValue("owner")), strings.TrimSpace(r.PostFormValue("due"))
	var due time.Time
	if it.Due != "" {
		if due, err = time.Parse(time.DateOnly, it.Due); fiveDigitYear.MatchString(it.Due) {
			it.DueError = dueOutOfRange // a date picker takes years of five digits and more
		} else if err != nil {
			it.DueError = dueNotADate
		} else if due.Year() < 2000 || due.Year() > 2199 {
			it.DueError = dueOutOfRange
		}
	}
	switch {
	case utf8.RuneCountInString(it.Owner) > store.MaxOwnerChars:
		it.OwnerError = ownerTooLong
	case strings.ContainsFunc(it.Owner, func(r rune) bool { return r < ' ' || r == 0x7f }):
		it.OwnerError = ownerInvalid
	}
	if it.OwnerError == "" && it.DueError == "" {
		plan, err := h.store.SetActionPlan(r.Context(), userFrom(r.Context()).ID, ws.stored.ID, ws.template, key, it.Owner, due)
		switch {
		case errors.Is(err, store.ErrOwnerTooLong):
			it.OwnerError = ownerTooLong
		case errors.Is(err, store.ErrOwnerInvalid):
			it.OwnerError = ownerInvalid
		case errors.Is(err, store.ErrDueOutOfRange):
			it.DueError = dueOutOfRange
		case err != nil:
			return err
		default:
			it.Overdue = !due.IsZero() && due.Before(time.Now().UTC().Truncate(24*time.Hour))
			if plan.UpdatedBy != "" {
				it.SetBy, it.SetAt = plan.UpdatedBy, web.StampOf(plan.UpdatedAt)
			}
		}
	}
	if it.OwnerError != "" || it.DueError != "" {
		v.Open[it.Phase] = true
		if htmx {
			return h.render(w, r, http.StatusUnprocessableEntity, web.ActionRow(v, *it))
		}
		v.Error = "Nothing was saved for “" + it.What + "”: see the message beside the field."
		return h.renderOverview(w, r, http.StatusUnprocessableEntity, ws, v, web.Form{})
	}
	if htmx {
		it.Saved = true
		return h.render(w, r, http.StatusOK, templ.Join(web.ActionRow(v, *it), web.ActionCounts(v, true), web.ActionGroupCounts(v.Group(it.Phase), true)))
	}
	h.setFlash(w, fmt.Sprintf("Saved for “%s”: %s.", it.What, planWords(it.Owner, it.DueText())))
	return redirect(w, r, ws.base()+"#"+it.Anchor())
}

// planWords says an owner and due date.
func planWords(owner, due string) string {
	o, d := "no owner", "no due date"
	if owner != "" {
		o = "owner " + owner
	}
	if due != "" {
		d = "due " + due
	}
	return o + ", " + d
}

package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"groundwork/store"
)

func TestActionPlans(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tpl := miniTemplate(t)
	a := newAssessment(t, f, tpl, false)
	key := store.ActionKey(store.ActionCheckpoint, "backups")
	due := time.Date(2027, 3, 31, 15, 4, 0, 0, time.FixedZone("EAT", 3*3600))

	// Nothing set yet; every reader sees the organisation's members.
	for _, u := range []store.User{f.manager, f.viewer, f.advisor, f.admin} {
		p, err := f.st.ActionPlans(ctx, u.ID, a.ID)
		if err != nil || len(p.Plans) != 0 {
			t.Fatalf("%s reads the plans of a fresh assessment: %+v, %v", u.Email, p, err)
		}
		if want := []string{"manager manager@example.org", "viewer viewer@example.org"}; !slices.Equal(p.Members, want) {
			t.Errorf("%s: members = %q, want %q", u.Email, p.Members, want)
		}
	}

	// The manager sets an owner and a date; the date is kept as a date.
	_, before := eventsSince(t, f, 0)
	got, err := f.st.SetActionPlan(ctx, f.manager.ID, a.ID, tpl, key, "  Hosting team (Safaricom)  ", due)
	if err != nil || got.Owner != "Hosting team (Safaricom)" || got.UpdatedBy != f.manager.Name {
		t.Fatalf("SetActionPlan = %+v, %v", got, err)
	}
	for _, u := range []store.User{f.viewer, f.advisor, f.admin} {
		p, err := f.st.ActionPlans(ctx, u.ID, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		pl := p.Plans[key]
		if pl.Owner != "Hosting team (Safaricom)" || pl.Due.Format(time.DateOnly) != "2027-03-31" || pl.UpdatedBy != f.manager.Name || pl.UpdatedAt.IsZero() {
			t.Errorf("%s reads %+v", u.Email, pl)
		}
	}
	events, before := eventsSince(t, f, before)
	if len(events) != 1 || events[0].kind != "action" || events[0].item != key || events[0].before != "-" ||
		events[0].after != "owner: Hosting team (Safaricom); due 2027-03-31" || events[0].actor != f.manager.ID || events[0].assessment != a.ID || events[0].org != f.orgA.ID {
		t.Errorf("history after setting = %v", events)
	}

	// Saving the same again records nothing; changing records old and new.
	if _, err := f.st.SetActionPlan(ctx, f.manager.ID, a.ID, tpl, key, "Hosting team (Safaricom)", due); err != nil {
		t.Fatal(err)
	}
	if events, _ := eventsSince(t, f, before); len(events) != 0 {
		t.Errorf("an unchanged save recorded %v", events)
	}
	if _, err := f.st.SetActionPlan(ctx, f.manager.ID, a.ID, tpl, key, "Amina", time.Time{}); err != nil {
		t.Fatal(err)
	}
	events, before = eventsSince(t, f, before)
	if len(events) != 1 || events[0].before != "owner: Hosting team (Safaricom); due 2027-03-31" || events[0].after != "owner: Amina; no due date" {
		t.Errorf("history after changing = %v", events)
	}

	// Clearing both removes the row, and is recorded.
	if _, err := f.st.SetActionPlan(ctx, f.manager.ID, a.ID, tpl, key, "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.st.ActionPlans(ctx, f.manager.ID, a.ID); len(p.Plans) != 0 {
		t.Errorf("after clearing: %+v", p.Plans)
	}
	if events, _ := eventsSince(t, f, before); len(events) != 1 || events[0].after != "no owner; no due date" {
		t.Errorf("history after clearing = %v", events)
	}
	if _, err := f.st.SetActionPlan(ctx, f.manager.ID, a.ID, tpl, key, "Amina", time.Time{}); err != nil {
		t.Fatal(err)
	}

	// Who may set: readers are refused (403), strangers see nothing (404).
	for _, tt := range []struct {
		who  store.User
		want error
	}{
		{f.viewer, store.ErrForbidden}, {f.advisor, store.ErrForbidden}, {f.admin, store.ErrForbidden}, {f.b, store.ErrNotFound},
	} {
		if _, err := f.st.SetActionPlan(ctx, tt.who.ID, a.ID, tpl, key, "Me", time.Time{}); !errors.Is(err, tt.want) {
			t.Errorf("%s sets an owner: %v, want %v", tt.who.Email, err, tt.want)
		}
	}
	if _, err := f.st.ActionPlans(ctx, f.b.ID, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another organisation's manager reads the plans: %v, want ErrNotFound", err)
	}
	if p, _ := f.st.ActionPlans(ctx, f.manager.ID, a.ID); p.Plans[key].Owner != "Amina" {
		t.Errorf("a refused change changed the owner: %+v", p.Plans[key])
	}

	// What is typed is checked.
	for _, tt := range []struct {
		name, key, owner string
		due              time.Time
		want             error
	}{
		{"too long", key, strings.Repeat("é", store.MaxOwnerChars+1), time.Time{}, store.ErrOwnerTooLong},
		{"control characters", key, "Amina\nOtieno", time.Time{}, store.ErrOwnerInvalid},
		{"no kind", "backups", "Amina", time.Time{}, store.ErrBadActionKey},
		{"unknown kind", "question:users", "Amina", time.Time{}, store.ErrBadActionKey},
		{"rule without phase", "rule:ha", "Amina", time.Time{}, store.ErrBadActionKey},
		{"thread not a number", "thread:1; DROP", "Amina", time.Time{}, store.ErrBadActionKey},
		{"year 1999", key, "Amina", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC), store.ErrDueOutOfRange},
	} {
		if _, err := f.st.SetActionPlan(ctx, f.manager.ID, a.ID, tpl, tt.key, tt.owner, tt.due); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := f.st.SetActionPlan(ctx, f.manager.ID, a.ID, tpl, key, strings.Repeat("é", store.MaxOwnerChars), time.Time{}); err != nil {
		t.Errorf("an owner of exactly %d characters: %v", store.MaxOwnerChars, err)
	}
}

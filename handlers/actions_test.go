package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"groundwork/assessment"
	"groundwork/handlers/handlerstest"
	"groundwork/web"
)

// The action list holds, in phase order, a phase's unmet checkpoints
// (blocking first), its failed rules and its open change requests, and the
// same for everyone who can read the assessment.
func TestActionItems(t *testing.T) {
	e := handlerstest.NewEnv(t)
	_, base, id := handlerstest.WithActionItems(t, e)
	ctx := context.Background()
	items, err := e.Portal.ActionItems(ctx, e.Manager.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 4 {
		t.Fatalf("%d items: %+v", len(items), items)
	}
	rule, cr := items[0], items[1]
	if rule.Key != "rule:1.1/production-environment-planned" || rule.Kind != web.ActionRule || !rule.Blocking || rule.Phase != "1.1" ||
		rule.What != "The inventory of planned environments must include production" || rule.Href != base+"/phases/1.1#q-environments" {
		t.Errorf("first item = %+v, want 1.1's failed rule", rule)
	}
	if !strings.HasPrefix(cr.Key, "thread:") || cr.Kind != web.ActionChangeRequest || cr.What != "Link the diagram PDF, not the wiki page." ||
		cr.Href != base+"/phases/1.1#t-"+strings.TrimPrefix(cr.Key, "thread:") || !strings.Contains(cr.Detail, "advisor") {
		t.Errorf("second item = %+v, want the change request", cr)
	}
	if got := items[2]; got.Key != "checkpoint:intended_scale_documented" || got.Kind != web.ActionCheckpoint || !got.Blocking ||
		got.Phase != "1.2" || got.PhaseTitle != "System sizing" || got.What != "Intended scale documented" ||
		got.Href != base+"/phases/1.2#c-intended_scale_documented" || got.Detail == "" {
		t.Errorf("third item = %+v, want 1.2's first checkpoint", got)
	}
	// Phase order, and in each phase: checkpoints (blocking first), rules, change requests.
	rank := func(a web.ActionItem) int {
		switch {
		case a.Kind == web.ActionCheckpoint && a.Blocking:
			return 0
		case a.Kind == web.ActionCheckpoint:
			return 1
		case a.Kind == web.ActionRule && a.Blocking:
			return 2
		case a.Kind == web.ActionRule:
			return 3
		}
		return 4
	}
	phases := map[string]int{}
	cat, _ := assessment.Embedded()
	tpl, _ := cat.Template("commcare-transition", 1)
	for i, p := range tpl.Phases {
		phases[p.Key] = i
	}
	seen := map[string]bool{}
	for i, it := range items {
		if seen[it.Key] {
			t.Errorf("%s listed twice", it.Key)
		}
		seen[it.Key] = true
		if it.Href == "" || it.What == "" || it.PhaseTitle == "" || it.Owner != "" || it.Due != "" || it.Overdue {
			t.Errorf("item %d = %+v", i, it)
		}
		if i > 0 {
			prev := items[i-1]
			if prev.Phase == it.Phase && rank(prev) > rank(it) {
				t.Errorf("in %s, %s (%s) comes before %s (%s)", it.Phase, prev.Key, prev.KindLabel(), it.Key, it.KindLabel())
			}
			if pi, ii := phases[prev.Phase], phases[it.Phase]; pi > ii {
				t.Errorf("phase %s comes after %s", it.Phase, prev.Phase)
			}
		}
	}
	if seen["checkpoint:architecture_diagram_created"] {
		t.Error("a confirmed checkpoint is on the list")
	}
	// The advisor and the viewer see the same list; another organisation nothing.
	for _, u := range []int64{e.Advisor.ID, e.Viewer.ID} {
		if got, err := e.Portal.ActionItems(ctx, u, id); err != nil || len(got) != len(items) {
			t.Errorf("user %d reads %d items, %v; want %d", u, len(got), err, len(items))
		}
	}
	if _, err := e.Portal.ActionItems(ctx, e.ManagerB.ID, id); err == nil {
		t.Error("another organisation's manager reads the action list")
	}

	// Resolving the change request takes it off the list.
	adv := e.Browser(t)
	adv.SignIn("advisor@example.org")
	handlerstest.Posted(t, "resolve", adv, base+"/phases/1.1/comments/"+strings.TrimPrefix(cr.Key, "thread:")+"/resolve", url.Values{})
	after, _ := e.Portal.ActionItems(ctx, e.Manager.ID, id)
	if len(after) != len(items)-1 || after[1].Key == cr.Key {
		t.Errorf("after resolving: %d items (was %d), second %s", len(after), len(items), after[1].Key)
	}
}

// Managers set an owner and a due date on the overview, with and without
// htmx; bad input comes back beside its field as typed; readers see the
// plan and no form; strangers nothing.
func TestActionListOverHTTP(t *testing.T) {
	e := handlerstest.NewEnv(t)
	mgr, base, id := handlerstest.WithActionItems(t, e)
	const key = "checkpoint:intended_scale_documented"
	const anchor = "a-checkpoint_intended_scale_documented"

	_, page := mgr.Get(base)
	wantIn(t, "the manager's overview", page,
		`<h2 id="actions-h">Action list</h2>`, `<datalist id="action-owners"><option value="manager"></option><option value="viewer"></option></datalist>`,
		`<li class="action-item" id="`+anchor+`">`, `action="`+base+`/actions"`, `hx-post="`+base+`/actions"`,
		`<input type="hidden" name="item" value="`+key+`">`, `<label for="o-`+anchor+`">Owner</label>`, `<label for="d-`+anchor+`">Due date</label>`,
		"Blocking checkpoint", "Failed rule (blocking)", "Change request", "Link the diagram PDF, not the wiki page.",
	)

	// Without htmx: saved, back at the item, in words.
	resp, _ := mgr.Post(base+"/actions", url.Values{"item": {key}, "owner": {"  Hosting team  "}, "due": {"2020-01-15"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != base+"#"+anchor {
		t.Fatalf("save = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = mgr.Get(base)
	wantIn(t, "the overview after saving", page,
		"Saved for “Intended scale documented”: owner Hosting team, due 15 Jan 2020.",
		`<li class="action-item overdue" id="`+anchor+`">`, `value="Hosting team"`, `value="2020-01-15"`,
		"Overdue: it was due on 15 Jan 2020.", "Set by manager", "1 overdue",
	)
	items, _ := e.Portal.ActionItems(context.Background(), e.Manager.ID, id)
	for _, it := range items {
		if it.Key == key && (it.Owner != "Hosting team" || it.Due != "2020-01-15" || !it.Overdue || it.SetBy != "manager") {
			t.Errorf("after saving: %+v", it)
		}
	}
	handlerstest.Posted(t, "owner of the failed rule", mgr, base+"/actions", url.Values{"item": {"rule:1.1/production-environment-planned"}, "owner": {"Architect"}})
	_, audit := mgr.Get(base + "/audit?kind=action")
	wantIn(t, "the audit trail", audit, "owner: Hosting team; due 2020-01-15", "owner: Architect; no due date", "Action list owner and due date",
		"1.2 · Intended scale of the system", "· rule production-environment-planned")

	// With htmx: the item alone, saved; a date in the future is not overdue.
	future := time.Now().UTC().AddDate(1, 0, 0).Format(time.DateOnly)
	resp, body := mgr.Do(http.MethodPost, base+"/actions", url.Values{"item": {key}, "owner": {"Amina Otieno"}, "due": {future}}, "HX-Request", "true")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(strings.TrimSpace(body), `<li class="action-item" id="`+anchor+`">`) ||
		!strings.Contains(body, `<span class="saved">Saved.</span>`) || !strings.Contains(body, `value="Amina Otieno"`) || strings.Contains(body, "Overdue") ||
		!strings.Contains(body, `id="actions-counts" hx-swap-oob="true"`) || !strings.Contains(body, `id="ac-1_2" hx-swap-oob="true"`) || strings.Contains(body, "<html") {
		t.Errorf("htmx save = %d\n%s", resp.StatusCode, body)
	}

	// Bad input: 422, the message beside its field, what was typed kept, nothing saved.
	for _, tt := range []struct {
		name, owner, due, field, msg string
	}{
		{"not a date", "Ops team", "31/03/2027", "d-" + anchor, "Enter a whole date: day, month and a four-digit year (2027-03-31 where no date picker shows)."},
		{"no such day", "Ops team", "2027-02-30", "d-" + anchor, "Enter a whole date: day, month and a four-digit year (2027-03-31 where no date picker shows)."},
		{"far past", "Ops team", "1999-12-31", "d-" + anchor, "Enter a date between the years 2000 and 2199."},
		{"a five-digit year, as a date picker takes it", "Ops team", "22026-12-31", "d-" + anchor, "Enter a date between the years 2000 and 2199."},
		{"owner too long", strings.Repeat("x", 121), "2027-03-31", "o-" + anchor, "Use at most 120 characters."},
	} {
		for _, htmx := range []bool{false, true} {
			var header []string
			if htmx {
				header = []string{"HX-Request", "true"}
			}
			resp, body := mgr.Do(http.MethodPost, base+"/actions", url.Values{"item": {key}, "owner": {tt.owner}, "due": {tt.due}}, header...)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s (htmx %v) = %d, want 422", tt.name, htmx, resp.StatusCode)
			}
			wantIn(t, tt.name, body,
				`id="`+tt.field+`"`, `aria-invalid="true" aria-describedby="`+tt.field+`-error"`,
				`<p class="field-error" id="`+tt.field+`-error"><span class="visually-hidden">Error: </span>`+tt.msg+`</p>`,
				`value="`+tt.owner+`"`, `value="`+tt.due+`"`,
			)
			if !htmx {
				wantIn(t, tt.name+" without htmx", body, "Nothing was saved for “Intended scale documented”", "<html")
			} else if strings.Contains(body, "<html") {
				t.Errorf("%s through htmx answers a whole page", tt.name)
			}
		}
	}
	for _, bad := range []string{"checkpoint:nope", "checkpoint:architecture_diagram_created", "", "question:environments"} {
		resp, body := mgr.Post(base+"/actions", url.Values{"item": {bad}, "owner": {"Ops"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "That item is no longer on the action list") {
			t.Errorf("item %q = %d, want 422 saying it is not on the list", bad, resp.StatusCode)
		}
	}
	items, _ = e.Portal.ActionItems(context.Background(), e.Manager.ID, id)
	for _, it := range items {
		if it.Key == key && (it.Owner != "Amina Otieno" || it.Due != future) {
			t.Errorf("refused saves changed the item: %+v", it)
		}
	}

	// Readers see the plan and no form; they may not set it. Strangers see nothing.
	for _, who := range []string{"advisor@example.org", "viewer@example.org"} {
		b := e.Browser(t)
		b.SignIn(who)
		_, page := b.Get(base)
		wantIn(t, who+"'s overview", page, `Owner: <strong>Amina Otieno</strong>`, "Action list")
		wantNotIn(t, who+"'s overview", page, `name="owner"`, `action="`+base+`/actions"`)
		if resp, _ := b.Post(base+"/actions", url.Values{"item": {key}, "owner": {"Me"}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s sets an owner: %d, want 403", who, resp.StatusCode)
		}
	}
	other := e.Browser(t)
	other.SignIn("manager@b.example.org")
	if resp, _ := other.Post(base+"/actions", url.Values{"item": {key}, "owner": {"Me"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's manager sets an owner: %d, want 404", resp.StatusCode)
	}
	// Cross-site posts are refused before anything runs.
	if resp, _ := mgr.Do(http.MethodPost, base+"/actions", url.Values{"item": {key}, "owner": {"Forged"}}, "Origin", "https://evil.example"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin save: %d, want 403", resp.StatusCode)
	}
	items, _ = e.Portal.ActionItems(context.Background(), e.Manager.ID, id)
	for _, it := range items {
		if it.Key == key && it.Owner != "Amina Otieno" {
			t.Errorf("a refused save changed the owner: %+v", it)
		}
	}
}

package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"groundwork/assessment"
	"groundwork/store"
)

// A page served from the workspace cache is as current and as private as
// one read afresh: another instance's changes and renames show at once,
// another organisation still gets a 404, and a viewer still gets a
// read-only page after a manager's visit filled the cache.
func TestCachedPagesStayCurrentAndScoped(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	manager := e.browser(t)
	manager.signIn("manager@example.org")
	base := start(t, manager, false)
	page := base + "/phases/1.1"

	first := func(b *browser) string {
		t.Helper()
		resp, body := b.get(page)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", page, resp.StatusCode)
		}
		return body
	}
	if body := first(manager); !strings.Contains(body, `hx-post="`+page+`/answers/growth_projections"`) {
		t.Fatalf("the manager's page does not save as they type:\n%.2000s", body)
	}

	// Another instance (here the store itself) saves an answer.
	id := state(t, e, base).ID
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := cat.Template("commcare-transition", 1)
	if _, _, err := e.st.SaveAnswers(ctx, e.manager.ID, id, tpl, []store.AnswerChange{{Key: "growth_projections", Value: "Triple it by 2030."}}); err != nil {
		t.Fatal(err)
	}
	if body := first(manager); !strings.Contains(body, "Triple it by 2030.") || !strings.Contains(body, "Last changed by manager") {
		t.Errorf("a change made elsewhere is missing from the page:\n%.3000s", body)
	}
	if err := e.st.SetUserName(ctx, e.manager.ID, "Mona Okello"); err != nil {
		t.Fatal(err)
	}
	if body := first(manager); !strings.Contains(body, "Last changed by Mona Okello") {
		t.Errorf("the page still shows the old name after a rename")
	}

	other := e.browser(t)
	other.signIn("manager@b.example.org")
	if resp, _ := other.get(page); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's manager gets %d for a cached assessment, want 404", resp.StatusCode)
	}
	viewer := e.browser(t)
	viewer.signIn("viewer@example.org")
	if body := first(viewer); strings.Contains(body, `hx-post="`+page+`/answers/`) || !strings.Contains(body, "Triple it by 2030.") {
		t.Errorf("the viewer's page after the manager's visit is editable or out of date:\n%.3000s", body)
	}
}

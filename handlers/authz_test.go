package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"groundwork/assessment"
	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// The subjects of the authorization matrix.
const (
	anon    = "anonymous"
	admin   = "admin"
	advisor = "advisor"
	manager = "manager"
	viewer  = "viewer"
)

var subjects = []string{anon, admin, advisor, manager, viewer}

// want gives the expected status of one route for each subject, for a
// record of the subject's own organisation (A) and of another one (B).
// Subjects missing from the map expect the default.
type want struct {
	def        int
	own, other map[string]int
}

func (w want) status(subject string, own bool) int {
	m := w.other
	if own {
		m = w.own
	}
	if s, ok := m[subject]; ok {
		return s
	}
	return w.def
}

// same builds a want whose own and other columns are equal.
func same(def int, m map[string]int) want { return want{def: def, own: m, other: m} }

var (
	everyone200 = same(http.StatusOK, nil)
	// users only: visitors are sent to sign in.
	usersOnly = func(status int) want { return same(status, map[string]int{anon: http.StatusSeeOther}) }
	// admins only: visitors sign in, other roles see nothing there.
	adminsOnly = func(status int) want {
		return same(http.StatusNotFound, map[string]int{anon: http.StatusSeeOther, admin: status})
	}
)

// matrix lists every route the router has. A route without an entry here
// fails TestAuthorizationMatrix, so nobody adds a page without deciding
// who may use it.
var matrix = map[string]want{
	"GET /":                        everyone200,
	"GET /healthz":                 everyone200,
	"GET /readyz":                  everyone200,
	"GET /calibration":             everyone200,
	"GET /metrics":                 everyone200, // METRICS_TOKEN closes it (TestMetricsToken)
	"GET /static/{file}":           everyone200,
	"GET /signin":                  same(http.StatusSeeOther, map[string]int{anon: http.StatusOK}),
	"POST /signin":                 same(http.StatusUnprocessableEntity, nil),
	"GET /password/forgot":         everyone200,
	"POST /password/forgot":        same(http.StatusUnprocessableEntity, nil),
	"GET /password/reset/{token}":  same(http.StatusGone, nil),
	"POST /password/reset/{token}": same(http.StatusGone, nil),
	"GET /invitations/{token}":     same(http.StatusGone, nil),
	"POST /invitations/{token}":    same(http.StatusGone, nil),
	"POST /signout":                usersOnly(http.StatusSeeOther),
	"POST /session/keepalive":      usersOnly(http.StatusNoContent),
	"GET /account":                 usersOnly(http.StatusOK),
	"POST /account":                usersOnly(http.StatusUnprocessableEntity),
	"POST /account/password":       usersOnly(http.StatusUnprocessableEntity),
	"POST /account/notifications":  usersOnly(http.StatusBadRequest), // no choice made
	"GET /notifications":           usersOnly(http.StatusOK),
	"POST /notifications/read":     usersOnly(http.StatusSeeOther),
	// {id} is no notification of the subject's: only their own exist for them.
	"POST /notifications/{id}/read": usersOnly(http.StatusNotFound),
	"GET /orgs/{slug}": {
		def:   http.StatusOK,
		own:   map[string]int{anon: http.StatusSeeOther},
		other: map[string]int{anon: http.StatusSeeOther, admin: http.StatusOK, advisor: http.StatusNotFound, manager: http.StatusNotFound, viewer: http.StatusNotFound},
	},
	"GET /admin":                                            adminsOnly(http.StatusSeeOther),
	"GET /admin/organisations":                              adminsOnly(http.StatusOK),
	"POST /admin/organisations":                             adminsOnly(http.StatusUnprocessableEntity),
	"GET /admin/organisations/{id}":                         adminsOnly(http.StatusOK),
	"POST /admin/organisations/{id}":                        adminsOnly(http.StatusUnprocessableEntity),
	"POST /admin/organisations/{id}/delete":                 adminsOnly(http.StatusConflict), // it has people
	"POST /admin/organisations/{id}/advisors":               adminsOnly(http.StatusBadRequest),
	"POST /admin/organisations/{id}/advisors/{user}/remove": adminsOnly(http.StatusSeeOther),
	"GET /admin/users":                                      adminsOnly(http.StatusOK),
	"POST /admin/users":                                     adminsOnly(http.StatusUnprocessableEntity),
	"GET /admin/users/{id}":                                 adminsOnly(http.StatusOK),
	"POST /admin/users/{id}/role":                           adminsOnly(http.StatusUnprocessableEntity),
	"POST /admin/users/{id}/active":                         adminsOnly(http.StatusSeeOther),
	"POST /admin/users/{id}/invite":                         adminsOnly(http.StatusBadRequest),
	"POST /admin/users/{id}/link":                           adminsOnly(http.StatusBadRequest), // the target is deactivated by then
	"GET /admin/users/{id}/link":                            adminsOnly(http.StatusSeeOther),
	"GET /admin/import":                                     adminsOnly(http.StatusOK),
	"POST /admin/import":                                    adminsOnly(http.StatusUnprocessableEntity),
}

// TestAuthorizationMatrix requests every route as every role, for a record
// of the role's own organisation and of another, and checks the status.
func TestAuthorizationMatrix(t *testing.T) {
	e := handlerstest.NewEnv(t)
	ctx := context.Background()
	// Targets that actions may change without disturbing the subjects.
	ownUser := e.User(t, "target-a@example.org", store.RoleViewer, e.OrgA.ID)
	otherUser := e.User(t, "target-b@example.org", store.RoleViewer, e.OrgB.ID)
	spare := e.User(t, "spare-advisor@example.org", store.RoleAdvisor, 0)
	e.St.AssignAdvisor(ctx, e.Admin.ID, spare.ID, e.OrgA.ID)
	e.St.AssignAdvisor(ctx, e.Admin.ID, spare.ID, e.OrgB.ID)
	_, home := e.Browser(t).Get("/")
	css := regexp.MustCompile(`/static/([^"]+\.css)`).FindStringSubmatch(home)[1]

	// An assessment in each organisation, each with two evidence files: one
	// to read, one that the delete route may remove.
	type fixture struct{ id, file, spare, comment int64 }
	assessmentOf := func(u store.User) fixture {
		a, err := e.St.CreateAssessment(ctx, u.ID, store.NewAssessment{Name: "Move", TemplateID: "commcare-transition", TemplateVersion: 1})
		if err != nil {
			t.Fatal(err)
		}
		cat, _ := assessment.Embedded()
		tpl, _ := cat.Template("commcare-transition", 1)
		f := fixture{id: a.ID}
		for _, dst := range []*int64{&f.file, &f.spare} {
			ev, err := e.St.AddEvidence(ctx, u.ID, a.ID, tpl, "architecture_diagram_created", "x.pdf", "application/pdf", []byte("%PDF-1.4"))
			if err != nil {
				t.Fatal(err)
			}
			*dst = ev.ID
		}
		c, err := e.St.AddComment(ctx, u.ID, a.ID, tpl, store.NewComment{Phase: "1.1", Body: "Who signs this off?"})
		if err != nil {
			t.Fatal(err)
		}
		f.comment = c.ID
		return f
	}
	ownA, otherB := assessmentOf(e.Manager), assessmentOf(e.ManagerB)

	routes := map[string]bool{}
	err := chi.Walk(e.Handler.(*handlers.Portal).Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.TrimSuffix(strings.ReplaceAll(route, "/*/", "/"), "/")
		if route == "" {
			route = "/"
		}
		if method != http.MethodHead {
			routes[method+" "+route] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range routes {
		keys = append(keys, k)
		if _, ok := matrix[k]; !ok {
			t.Errorf("route %s has no entry in the authorization matrix", k)
		}
	}
	for k := range matrix {
		if !routes[k] {
			t.Errorf("the matrix lists %s, which the router does not have", k)
		}
	}
	// Sign-out ends the session, so it goes last; before it, archiving an
	// assessment (which makes it read only) and restoring it.
	last := map[string]int{"POST /assessments/{id}/archive": 1, "POST /assessments/{id}/restore": 2, "POST /signout": 3}
	sort.Slice(keys, func(i, j int) bool {
		if last[keys[i]] != last[keys[j]] {
			return last[keys[i]] < last[keys[j]]
		}
		return keys[i] < keys[j]
	})

	fill := func(route string, own bool) string {
		org, user, a := e.OrgB, otherUser, otherB
		if own {
			org, user, a = e.OrgA, ownUser, ownA
		}
		if strings.HasPrefix(route, "/assessments/") {
			file := a.file
			if strings.HasSuffix(route, "/delete") {
				file = a.spare
			}
			return strings.NewReplacer("{id}", fmt.Sprint(a.id), "{key}", "1.1", "{question}", "growth_projections",
				"{checkpoint}", "architecture_diagram_created", "{evidence}", fmt.Sprint(file), "{kind}", "answer", "{item}", "growth_projections", "{n}", "1", "{comment}", fmt.Sprint(a.comment)).Replace(route)
		}
		r := strings.NewReplacer("{slug}", org.Slug, "{token}", "not-a-real-token", "{file}", css, "{user}", fmt.Sprint(spare.ID))
		path := r.Replace(route)
		if strings.HasPrefix(route, "/admin/users/") {
			return strings.Replace(path, "{id}", fmt.Sprint(user.ID), 1)
		}
		return strings.Replace(path, "{id}", fmt.Sprint(org.ID), 1)
	}

	for _, subject := range subjects {
		for _, own := range []bool{true, false} {
			b := e.Browser(t)
			if subject != anon {
				b.SignIn(subject + "@example.org")
			}
			for _, key := range keys {
				method, route, _ := strings.Cut(key, " ")
				w, ok := matrix[key]
				if !ok {
					continue
				}
				var form url.Values
				if method == http.MethodPost {
					form = url.Values{}
				}
				path := fill(route, own)
				resp, body := b.Do(method, path, form)
				if want := w.status(subject, own); resp.StatusCode != want {
					ownership := "other"
					if own {
						ownership = "own"
					}
					t.Errorf("%s %s as %s (%s organisation) = %d, want %d\n%.300s", method, path, subject, ownership, resp.StatusCode, want, body)
				}
			}
		}
	}
}

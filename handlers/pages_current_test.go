package handlers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"groundwork/assessment"
	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// A page is as current and as private after many visits as on the first:
// another instance's changes and renames show at once, another
// organisation gets a 404, and a viewer a read-only page after a manager's
// visit. (These held a workspace cache honest; they stay so that any
// cache added later has to pass them.)
func TestCachedPagesStayCurrentAndScoped(t *testing.T) {
	e := handlerstest.NewEnv(t)
	ctx := context.Background()
	manager := e.Browser(t)
	manager.SignIn("manager@example.org")
	base := handlerstest.Start(t, manager, false)
	page := base + "/phases/1.1"

	first := func(b *handlerstest.Browser) string {
		t.Helper()
		resp, body := b.Get(page)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", page, resp.StatusCode)
		}
		return body
	}
	if body := first(manager); !strings.Contains(body, `hx-post="`+page+`/answers/growth_projections"`) {
		t.Fatalf("the manager's page does not save as they type:\n%.2000s", body)
	}

	// Another instance (here the store itself) saves an answer.
	id := handlerstest.State(t, e, base).ID
	cat, err := assessment.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := cat.Template("commcare-transition", 1)
	if _, err := e.St.SavePhase(ctx, e.Manager.ID, id, tpl, "1.1", store.PhaseChanges{Answers: []store.AnswerChange{{Key: "growth_projections", Value: assessment.Value{Text: "Triple it by 2030."}}}}); err != nil {
		t.Fatal(err)
	}
	if body := first(manager); !strings.Contains(body, "Triple it by 2030.") || !strings.Contains(body, "Last changed by manager") {
		t.Errorf("a change made elsewhere is missing from the page:\n%.3000s", body)
	}
	if err := e.St.SetUserName(ctx, e.Manager.ID, "Mona Okello"); err != nil {
		t.Fatal(err)
	}
	if body := first(manager); !strings.Contains(body, "Last changed by Mona Okello") {
		t.Errorf("the page still shows the old name after a rename")
	}

	other := e.Browser(t)
	other.SignIn("manager@b.example.org")
	if resp, _ := other.Get(page); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another organisation's manager gets %d for a cached assessment, want 404", resp.StatusCode)
	}
	viewer := e.Browser(t)
	viewer.SignIn("viewer@example.org")
	if body := first(viewer); strings.Contains(body, `hx-post="`+page+`/answers/`) || !strings.Contains(body, "Triple it by 2030.") {
		t.Errorf("the viewer's page after the manager's visit is editable or out of date:\n%.3000s", body)
	}
}

// A portal that has shown an assessment many times (its caches warm) sends
// exactly what a fresh portal on the same database sends, to every kind of
// user, before and after changes.
func TestWarmPortalSendsWhatAColdOneSends(t *testing.T) {
	e := handlerstest.NewEnv(t)
	idleLeft := regexp.MustCompile(`data-left-ms="\d+"`)
	manager, base := handlerstest.HalfDone(t, e)
	viewer, advisor := e.Browser(t), e.Browser(t)
	viewer.SignIn("viewer@example.org")
	advisor.SignIn("advisor@example.org")
	users := map[string]*handlerstest.Browser{"manager": manager, "viewer": viewer, "advisor": advisor}
	paths := []string{base + "/phases/1.1", base + "/phases/1.2", base + "/phases/2.1", base + "/phases/6.1", base}
	fetch := func(h http.Handler, b *handlerstest.Browser, path string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		u, _ := url.Parse(e.Srv.URL)
		for _, c := range b.Client.Jar.Cookies(u) {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d", path, rec.Code)
		}
		// The one thing that changes by the millisecond: how long the
		// session has left.
		return idleLeft.ReplaceAllString(rec.Body.String(), `data-left-ms="…"`)
	}
	compare := func(when string) {
		t.Helper()
		for who, b := range users {
			for _, path := range paths {
				fetch(e.Handler, b, path) // fills the caches
				warm := fetch(e.Handler, b, path)
				cold := fetch(handlers.New(e.St, e.Opts), b, path)
				if warm != cold {
					t.Errorf("%s, %s, GET %s: the warm portal's page differs from a fresh one's:\n%s", when, who, path, firstDifference(warm, cold))
				}
			}
		}
	}
	compare("half done")
	form := handlerstest.Phase12("4000")
	handlerstest.AddVersions(t, manager, base+"/phases/1.2", form)
	manager.Post(base+"/phases/1.2", form)
	manager.Post(base+"/phases/1.1/answers/growth_projections", url.Values{"growth_projections": {"Triple it."}, "_v.growth_projections": {"1"}})
	compare("after saves")
	manager.Post(base+"/phases/1.2/submit", url.Values{})
	compare("after a submission")
}

// firstDifference shows where two texts part.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "warm: …" + a[from:min(len(a), i+200)] + "\ncold: …" + b[from:min(len(b), i+200)]
}

// Pages read while answers are being saved never go back in time: a GET
// that starts after a save was acknowledged shows that answer or a later
// one, on a portal whose caches are in use by readers all along.
func TestCachedPagesNeverShowAnOlderAnswer(t *testing.T) {
	e := handlerstest.NewEnv(t)
	writer := e.Browser(t)
	writer.SignIn("manager@example.org")
	base := handlerstest.Start(t, writer, false)
	save := base + "/phases/1.1/answers/growth_projections"
	var acked atomic.Int64 // the number in the last acknowledged answer
	stop := make(chan struct{})
	var wg sync.WaitGroup
	answerRE := regexp.MustCompile(`>Projection (\d+)</`) // the viewer reads it as text
	for range 4 {
		reader := e.Browser(t)
		reader.SignIn("viewer@example.org")
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				floor := acked.Load()
				resp, body := reader.Get(base + "/phases/1.1")
				if resp.StatusCode != http.StatusOK {
					t.Errorf("GET = %d", resp.StatusCode)
					return
				}
				var seen int64
				if m := answerRE.FindStringSubmatch(body); m != nil {
					seen, _ = strconv.ParseInt(m[1], 10, 64)
				}
				if seen < floor {
					t.Errorf("a page read after answer %d was acknowledged shows answer %d", floor, seen)
					return
				}
			}
		})
	}
	version := 0
	for i := int64(1); i <= 40; i++ {
		resp, _ := writer.Do(http.MethodPost, save, url.Values{"growth_projections": {"Projection " + strconv.FormatInt(i, 10)}, "_v.growth_projections": {strconv.Itoa(version)}}, "HX-Request", "true")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("save %d = %d", i, resp.StatusCode)
		}
		version++
		acked.Store(i)
	}
	close(stop)
	wg.Wait()
}

package handlers

import (
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"groundwork/store"
	"groundwork/store/storetest"
)

// TestTurns gives a one-slot gate to a few handlers: waiting requests get
// their turns in arrival order; a turn ends when the response starts, or
// at endTurn; a form's body is read before the turn and reaches the
// handler whole; an upload takes no turn; past the wait, 503.
func TestTurns(t *testing.T) {
	h := &handler{log: slog.New(slog.DiscardHandler), pages: newGate(1, 8, 2*time.Second, "busy, try again")}
	var mu sync.Mutex
	var order []string
	hold := make(chan struct{})
	entered := make(chan string, 16)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hold", func(w http.ResponseWriter, r *http.Request) { entered <- "hold"; <-hold })
	mux.HandleFunc("GET /n/{n}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		order = append(order, r.PathValue("n"))
		mu.Unlock()
	})
	mux.HandleFunc("GET /stream", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK) // the turn ends here
		http.NewResponseController(w).Flush()
		entered <- "stream"
		<-hold
	})
	mux.HandleFunc("GET /print", func(w http.ResponseWriter, r *http.Request) {
		endTurn(r)
		entered <- "print"
		<-hold
	})
	mux.HandleFunc("POST /form", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		io.WriteString(w, r.PostForm.Get("text"))
	})
	mux.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusCreated) })
	srv := httptest.NewServer(h.takeTurn(mux))
	defer srv.Close()
	get := func(path string) int {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Error(err)
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	waiting := func(n int) {
		for deadline := time.Now().Add(5 * time.Second); len(h.pages.waiting) != n; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d requests waiting, want %d", len(h.pages.waiting), n)
			}
		}
	}
	arrived := func() { // a handler began
		select {
		case <-entered:
		case <-time.After(10 * time.Second):
			t.Fatal("the handler did not begin")
		}
	}
	var wg sync.WaitGroup

	// While /hold has the turn, three requests line up; they go in order.
	wg.Go(func() { get("/hold") })
	arrived()
	for _, n := range []string{"1", "2", "3"} {
		wg.Go(func() { get("/n/" + n) })
		waiting(len(order) + int(n[0]-'0'))
	}
	// A form whose body has not all arrived holds no turn, and waits for none.
	pr, pw := io.Pipe()
	formDone := make(chan string, 1)
	go func() {
		resp, err := http.Post(srv.URL+"/form", "application/x-www-form-urlencoded", pr)
		if err != nil {
			t.Error(err)
			formDone <- ""
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		formDone <- string(b)
	}()
	io.WriteString(pw, "text=slow")
	time.Sleep(50 * time.Millisecond)
	if n := len(h.pages.waiting); n != 3 {
		t.Errorf("a form still arriving waits for a turn (%d waiting, want 3)", n)
	}
	// An upload takes no turn.
	var body strings.Builder
	mw := multipart.NewWriter(&body)
	mw.WriteField("note", "x")
	mw.Close()
	resp, err := http.Post(srv.URL+"/upload", mw.FormDataContentType(), strings.NewReader(body.String()))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("upload while the turn is taken: %d, want 201 at once", resp.StatusCode)
	}
	hold <- struct{}{}
	io.WriteString(pw, "+sender")
	pw.Close()
	if got := <-formDone; got != "slow sender" {
		t.Errorf("the form's handler read %q, want the whole body", got)
	}
	wg.Wait()
	if strings.Join(order, "") != "123" {
		t.Errorf("turns taken in the order %v, want 1 2 3", order)
	}

	// A response under way, or a handler past endTurn, holds no turn.
	for _, path := range []string{"/stream", "/print"} {
		wg.Go(func() { get(path) })
		arrived()
		if code := get("/n/4"); code != http.StatusOK {
			t.Errorf("while %s runs after its turn: %d, want 200", path, code)
		}
		hold <- struct{}{}
		wg.Wait()
	}

	// Past the wait: 503, with Retry-After.
	*h.pages = *newGate(1, 8, 100*time.Millisecond, "busy, try again")
	wg.Go(func() { get("/hold") })
	arrived()
	resp, err = http.Get(srv.URL + "/n/5")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("after the wait: %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	close(hold)
	wg.Wait()
}

// TestSignedInPagesTakeTurns closes the portal's turns: signed-in pages
// answer 503, while sign-in, public pages and probes, which take none,
// still answer.
func TestSignedInPagesTakeTurns(t *testing.T) {
	st := storetest.Store(t)
	org, err := st.CreateOrganisation(context.Background(), 0, store.Organisation{Slug: "moh", Name: "Ministry of Health", Platform: "commcare"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateUser(context.Background(), store.NewUser{Email: "pm@example.org", Name: "PM", Role: store.RoleManager, OrganisationID: org.ID, Password: "correct horse battery staple"}); err != nil {
		t.Fatal(err)
	}
	p := New(st, Options{Logger: slog.New(slog.DiscardHandler), SessionSecret: []byte("test secret of at least 32 bytes!")})
	if got, want := cap(p.h.pages.slots), int(st.PoolStat().MaxConns()); got != want {
		t.Errorf("%d turns at once, want the pool's %d connections", got, want)
	}
	*p.h.pages = *newGate(0, 0, 0, "busy")
	srv := httptest.NewServer(p)
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(srv.URL+"/signin", url.Values{"email": {"pm@example.org"}, "password": {"correct horse battery staple"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d, want 303 without a turn", resp.StatusCode)
	}
	for path, want := range map[string]int{
		"/":            http.StatusServiceUnavailable, // the dashboard
		"/assessments": http.StatusServiceUnavailable,
		"/account":     http.StatusServiceUnavailable,
		"/signin":      http.StatusSeeOther, // signed in already: sent on, without a turn
		"/templates":   http.StatusOK,
		"/sizing":      http.StatusOK,
		"/healthz":     http.StatusOK,
	} {
		resp, err := c.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s with no turn free: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

package handlers

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"groundwork/store/storetest"
)

// TestGate holds the gate's slots busy: the next request waits for one and
// goes through when it frees up in time; past the wait, or past the queue,
// requests get 503 with Retry-After.
func TestGate(t *testing.T) {
	h := &handler{log: slog.New(slog.DiscardHandler)}
	release := make(chan struct{})
	entered := make(chan struct{}, 10)
	busy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(http.StatusNoContent)
	})
	g := newGate(2, 1, 2*time.Second, "busy, try again")
	srv := httptest.NewServer(h.gated(g)(busy))
	defer srv.Close()
	get := func() (int, string) {
		resp, err := http.Get(srv.URL + "/api/x")
		if err != nil {
			t.Error(err)
			return 0, ""
		}
		resp.Body.Close()
		return resp.StatusCode, resp.Header.Get("Retry-After")
	}
	queued := func() { // waits until a request waits in the queue
		for len(g.waiting) == 0 {
			time.Sleep(time.Millisecond)
		}
	}

	var wg sync.WaitGroup
	codes := make(chan int, 4)
	for range 2 { // take both slots
		wg.Go(func() { c, _ := get(); codes <- c })
	}
	<-entered
	<-entered
	// The queue holds one: a second waiting request is refused at once.
	began := time.Now()
	wg.Go(func() { c, _ := get(); codes <- c })
	queued()
	if code, retry := get(); code != http.StatusServiceUnavailable || retry == "" || time.Since(began) > time.Second {
		t.Errorf("with the queue full: %d (Retry-After %q) after %v, want 503 with Retry-After at once", code, retry, time.Since(began))
	}
	// The queued one waited its 2 s and was refused.
	if c := <-codes; c != http.StatusServiceUnavailable || time.Since(began) < 2*time.Second {
		t.Errorf("queued request = %d after %v, want 503 after the 2 s wait", c, time.Since(began))
	}
	// Now one waits, and a slot frees up in time: it goes through.
	wg.Go(func() { c, _ := get(); codes <- c })
	queued()
	release <- struct{}{}
	<-entered
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusNoContent {
			t.Errorf("a request that got a slot = %d, want 204", c)
		}
	}
}

// TestCostlyRoutesAreGated fills the gates of a whole portal: sign-in,
// the password forms and the model endpoints answer 503 with Retry-After,
// while pages that neither hash nor run the model still answer.
func TestCostlyRoutesAreGated(t *testing.T) {
	p := New(storetest.Store(t), Options{Logger: slog.New(slog.DiscardHandler), SessionSecret: []byte("test secret of at least 32 bytes!")})
	*p.h.hashes = *newGate(0, 0, 0, "busy signing in")
	*p.h.models = *newGate(0, 0, 0, "busy sizing")
	srv := httptest.NewServer(p)
	defer srv.Close()
	for _, tt := range []struct {
		method, path string
		want         int
	}{
		{http.MethodPost, "/signin", http.StatusServiceUnavailable},
		{http.MethodPost, "/password/reset/x", http.StatusServiceUnavailable},
		{http.MethodPost, "/invitations/x", http.StatusServiceUnavailable},
		{http.MethodPost, "/api/v1/sizing/commcare/model", http.StatusServiceUnavailable},
		{http.MethodPost, "/api/v1/sizing/commcare/simple", http.StatusServiceUnavailable},
		{http.MethodGet, "/api/v1/sizing/commcare/simple", http.StatusServiceUnavailable},
		{http.MethodPost, "/sizing/model", http.StatusServiceUnavailable},
		{http.MethodGet, "/sizing/simple", http.StatusServiceUnavailable},
		{http.MethodGet, "/signin", http.StatusOK},
		{http.MethodGet, "/templates", http.StatusOK},
		{http.MethodGet, "/api/v1/sizing/commcare?users=2500", http.StatusOK},
	} {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader("email=a%40example.org&password=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want || (tt.want == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "") {
			t.Errorf("%s %s = %d (Retry-After %q), want %d", tt.method, tt.path, resp.StatusCode, resp.Header.Get("Retry-After"), tt.want)
		}
	}
}

package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// TestSignInThrottlingHoldsUnderConcurrency sends 60 wrong passwords for
// one account from one address at once, to two instances: at most the account's limit (10)
// may be evaluated (422); the rest must wait (429), or, on a machine too
// busy to hash them in time, find the hashing gate full (503).
func TestSignInThrottlingHoldsUnderConcurrency(t *testing.T) {
	e := handlerstest.NewEnv(t)
	// A second instance on the same database takes every other attempt:
	// the limit holds across instances, not just within one.
	other := httptest.NewServer(handlers.New(store.New(e.Pool), e.Opts))
	t.Cleanup(other.Close)
	servers := []string{e.Srv.URL, other.URL}
	form := url.Values{"email": {"manager@example.org"}, "password": {"not the password"}}.Encode()
	const attempts = 60
	codes := make(chan int, attempts)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range attempts {
		wg.Go(func() {
			<-start
			resp, err := http.Post(servers[i%2]+"/signin", "application/x-www-form-urlencoded", strings.NewReader(form))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	close(start)
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	refused := count[http.StatusTooManyRequests] + count[http.StatusServiceUnavailable]
	if count[http.StatusUnprocessableEntity] > 10 || count[http.StatusUnprocessableEntity]+refused != attempts || count[http.StatusTooManyRequests] == 0 {
		t.Errorf("%d concurrent wrong passwords answered %v; want at most 10 × 422 and the rest 429 (or 503)", attempts, count)
	}
}

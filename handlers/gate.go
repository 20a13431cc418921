package handlers

import (
	"net/http"
	"runtime"
	"strconv"
	"time"
)

// gate bounds how many requests of one costly kind run at once, so that a
// burst costs time instead of memory. A request waits for a free slot up
// to wait; when none frees up in time, or when queue requests are waiting
// already, it is refused with 503 and Retry-After.
type gate struct {
	slots   chan struct{}
	waiting chan struct{}
	wait    time.Duration
	msg     string
	// collect starts a garbage collection when a request leaves: for
	// requests that allocate much memory that is garbage once they are
	// done (a password hash, a model's workbook), so that the next one
	// reuses it. With GOGC at 200 the heap otherwise grew to three times
	// its live size first: 32 sign-ins at once peaked at 176-235 MB on a
	// busy machine, against 200 allowed (cmd/server's burst test).
	collect bool
}

// newGate returns a gate of n slots with room for queue waiting requests.
func newGate(n, queue int, wait time.Duration, msg string) *gate {
	return &gate{slots: make(chan struct{}, n), waiting: make(chan struct{}, queue), wait: wait, msg: msg}
}

// retryAfter is the Retry-After of a refusal, in seconds: by then most
// bursts have passed.
const retryAfter = 5

// gated runs the handler behind g.
func (h *handler) gated(g *gate) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !h.enter(g, w, r) {
				return
			}
			defer g.leave()
			next.ServeHTTP(w, r)
		})
	}
}

// enter takes a slot of g for r, waiting for one if need be, and reports
// whether it did; if not, it has answered 503 with Retry-After. A slot
// taken is given back with g.leave.
func (h *handler) enter(g *gate, w http.ResponseWriter, r *http.Request) bool {
	select {
	case g.slots <- struct{}{}: // a free slot: no waiting
		return true
	default:
	}
	if g.queue(r) {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(retryAfter))
	h.fail(w, r, &httpError{status: http.StatusServiceUnavailable, msg: g.msg})
	return false
}

// leave gives back a slot taken with enter.
func (g *gate) leave() {
	<-g.slots
	if g.collect {
		// Concurrent calls share a cycle; the request does not wait for it.
		go runtime.GC()
	}
}

// queue waits for a slot, and reports whether one was taken.
func (g *gate) queue(r *http.Request) bool {
	select {
	case g.waiting <- struct{}{}:
		defer func() { <-g.waiting }()
	default:
		return false // the queue is full
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-r.Context().Done():
		return false
	}
}

package handlers

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Signed-in pages take turns. The server works on as many of them at once
// as it has database connections, and the others wait for a turn, first
// come first served (a Go channel hands its slots to waiting senders in
// order), for up to 10 s; past 4,096 waiting, a request is refused at once
// (at 4,000 people on 2 cores, saturated, about 1,000 waited at times).
// Without turns every request in flight competes
// for the pool's connections at each of its dozen queries and for the
// processor between them: on 2 cores with 32 requests always in flight
// (scripts/loadtest's closed loop) a request's time grew with the queries
// it ran and the others it met on the way: the portfolio's p99 was three
// times its p50, and the costly pages were served half as often as asked.
// With turns a request waits once, in line, and then runs with few others:
// 8-11 % more requests were served, every page type's p95 came to 50-72 ms
// (53-178 before) and the advisors' pages were served twice as often
// (docs/performance.md). Saturated (4,000 paced people on 2 cores), every
// page type's p99 was 830-856 ms and the server held 149 MB; without turns
// 1.5-4.2 s, the advisors' pages the slowest, and 261 MB.
//
// A turn ends when the response starts (a slow reader of a page holds no
// turn while it downloads), or earlier with endTurn, before a wait that
// needs no database (Chromium printing a PDF). A form is read before the
// turn, so that a slow sender holds none either; uploads (multipart, up to
// hundreds of megabytes, streamed to the database as they arrive) take no
// turn. The session is looked up before (one small query), so that
// visitors and the public sizing pages never wait behind signed-in work.
func newPageGate(conns int) *gate {
	return newGate(max(conns, 1), 4096, 10*time.Second,
		"The portal is very busy at this moment. Wait a few seconds and try again.")
}

type turnKey struct{}

// takeTurn runs the handler in a turn of h.pages.
func (h *handler) takeTurn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
			next.ServeHTTP(w, r)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			// limitBody bounds it; an error (too large, cut short) is
			// met by the handler where it would have met it.
			body, err := io.ReadAll(r.Body)
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{err}))
		}
		if !h.enter(h.pages, w, r) {
			return
		}
		done := sync.OnceFunc(h.pages.leave)
		defer done()
		r = r.WithContext(context.WithValue(r.Context(), turnKey{}, done))
		next.ServeHTTP(&turnWriter{ResponseWriter: w, done: done}, r)
	})
}

// endTurn ends r's turn before its handler is done.
func endTurn(r *http.Request) {
	if done, ok := r.Context().Value(turnKey{}).(func()); ok {
		done()
	}
}

// errReader returns err, or io.EOF when err is nil.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}

// turnWriter ends the turn when the response starts.
type turnWriter struct {
	http.ResponseWriter
	done func()
}

func (w *turnWriter) WriteHeader(code int) {
	w.done()
	w.ResponseWriter.WriteHeader(code)
}

func (w *turnWriter) Write(b []byte) (int, error) {
	w.done()
	return w.ResponseWriter.Write(b)
}

func (w *turnWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

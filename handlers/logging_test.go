package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
)

// lockedBuffer is a log destination the server and the test share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the JSON lines logged for request id.
func (b *lockedBuffer) lines(t *testing.T, id string) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", l, err)
		}
		if m["request_id"] == id {
			out = append(out, m)
		}
	}
	return out
}

// TestLogLinesNameTheRequestAndUser checks that, with the JSON log, every
// line logged during a request (the access log, and the error of a 500)
// carries the request id, the signed-in user's id and organisation, once.
func TestLogLinesNameTheRequestAndUser(t *testing.T) {
	logs := &lockedBuffer{}
	e := handlerstest.NewEnv(t, func(o *handlers.Options) {
		o.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)

	// A page that fails: its table is gone.
	if _, err := e.Pool.Exec(context.Background(), `ALTER TABLE history RENAME TO history_gone`); err != nil {
		t.Fatal(err)
	}
	resp, _ := b.Do(http.MethodGet, base+"/history/answer/architecture_diagram_url", nil, "X-Request-ID", "trace-me-1")
	if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("X-Request-ID") != "trace-me-1" {
		t.Fatalf("history without its table = %d (X-Request-ID %q), want 500 naming the request", resp.StatusCode, resp.Header.Get("X-Request-ID"))
	}
	var lines []map[string]any
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if lines = logs.lines(t, "trace-me-1"); len(lines) >= 2 {
			break
		}
	}
	msgs := map[string]bool{}
	for _, l := range lines {
		msgs[l["msg"].(string)] = true
		if l["user_id"] != float64(e.Manager.ID) || l["organisation"] != e.OrgA.Slug {
			t.Errorf("log line %v: user_id %v, organisation %v; want %d, %s", l["msg"], l["user_id"], l["organisation"], e.Manager.ID, e.OrgA.Slug)
		}
	}
	if !msgs["request"] || !msgs["request failed"] {
		t.Errorf("lines logged for the request: %v; want the access log (request) and the error (request failed)", msgs)
	}
	// No key twice: the id is added once, not by every caller as well.
	logs.mu.Lock()
	raw := logs.buf.String()
	logs.mu.Unlock()
	for _, l := range strings.Split(raw, "\n") {
		if strings.Count(l, `"request_id"`) > 1 {
			t.Errorf("request_id twice in %s", l)
		}
	}

	// A visitor's lines carry the request id and no user.
	anon := e.Browser(t)
	anon.Do(http.MethodGet, "/signin", nil, "X-Request-ID", "visitor-1")
	time.Sleep(50 * time.Millisecond)
	visitor := logs.lines(t, "visitor-1")
	if len(visitor) == 0 {
		t.Fatal("no line logged for the visitor's request")
	}
	for _, l := range visitor {
		if _, ok := l["user_id"]; ok {
			t.Errorf("visitor's line %v names a user", l)
		}
	}
}

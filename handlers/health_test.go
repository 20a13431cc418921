package handlers_test

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"groundwork/handlers/handlerstest"
	"groundwork/store"
	"groundwork/store/pgembed"
	"groundwork/store/storetest"
)

func TestHealthz(t *testing.T) {
	srv := handlerstest.NewServer(t)
	resp, body := get(t, srv, "/healthz")
	if resp.StatusCode != http.StatusOK || body != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 \"ok\\n\"", resp.StatusCode, body)
	}
}

// TestCalibration: the load tool's yardstick answers without a session
// with the database's own clock (it asks the database; it is no static
// page).
func TestCalibration(t *testing.T) {
	srv := handlerstest.NewServer(t)
	resp, body := get(t, srv, "/calibration")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /calibration = %d %s, want 200 text/html", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	m := regexp.MustCompile(`<time datetime="([^"]+)">`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no <time datetime> in %q", body)
	}
	at, err := time.Parse(time.RFC3339Nano, m[1])
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(at); d < -time.Minute || d > time.Minute {
		t.Errorf("the database's clock reads %v, %v from this one", at, d)
	}
	if len(body) > 2048 {
		t.Errorf("the calibration page is %d bytes, want a small page", len(body))
	}
}

// TestReadyzFollowsTheDatabase stops and restarts a PostgreSQL of its own
// under a running portal.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	bin := storetest.RequirePostgres(t)
	base, err := os.MkdirTemp("/dev/shm", "readyz-")
	if err != nil {
		base, err = os.MkdirTemp("", "readyz-")
		if err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(base, 0o755)
	t.Cleanup(func() { os.RemoveAll(base) })
	ctx := context.Background()
	opts := pgembed.Options{Dir: filepath.Join(base, "pg"), BinDir: bin, Ephemeral: true, Logger: slog.New(slog.DiscardHandler)}
	pg, err := pgembed.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Stop(ctx) })
	st, err := store.Open(ctx, pg.DSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	srv := handlerstest.Serve(t, st)

	waitFor := func(want int) {
		t.Helper()
		var got int
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			resp, _ := get(t, srv, "/readyz")
			if got = resp.StatusCode; got == want {
				return
			}
		}
		t.Fatalf("GET /readyz = %d, want %d", got, want)
	}

	waitFor(http.StatusOK)
	if err := pg.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(http.StatusServiceUnavailable)
	if resp, _ := get(t, srv, "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz with the database down = %d, want 200 (the process is alive)", resp.StatusCode)
	}
	if resp, _ := get(t, srv, "/calibration"); resp.StatusCode < 500 {
		t.Errorf("GET /calibration with the database down = %d, want an error (it asks the database)", resp.StatusCode)
	}
	if pg, err = pgembed.Start(ctx, opts); err != nil {
		t.Fatal(err)
	}
	waitFor(http.StatusOK)
}

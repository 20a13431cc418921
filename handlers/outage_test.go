package handlers_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
)

// While the database cannot be reached, pages answer 503 with Retry-After
// and say that the portal is briefly unavailable, not that something broke;
// once it answers again they work, with no restart.
func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	page := handlerstest.Start(t, b, false) + "/phases/1.1"

	// A second portal reaches the same server through a socket path that
	// exists only while the test says so: the database "goes away" for it
	// alone, not for the other tests sharing the server.
	real := e.Pool.Config().ConnConfig
	if !strings.HasPrefix(real.Host, "/") {
		t.Skip("TEST_DATABASE_URL is not a unix socket; the outage is simulated on one")
	}
	dir := t.TempDir()
	socket := fmt.Sprintf(".s.PGSQL.%d", real.Port)
	cfg := e.Pool.Config().Copy()
	cfg.ConnConfig.Host = dir
	cfg.MinConns = 0
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	srv := httptest.NewServer(handlers.New(store.New(pool), e.Opts))
	defer srv.Close()
	get := func() (*http.Response, string) {
		t.Helper()
		resp, err := b.Client.Get(srv.URL + page) // the session cookie is the host's, whatever the port
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp, string(data)
	}

	resp, body := get()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(body, "briefly unavailable") || strings.Contains(body, "Something went wrong") {
		t.Errorf("page with the database gone = %d (Retry-After %q), want 503 saying it is unavailable:\n%.1500s",
			resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}

	if err := os.Symlink(filepath.Join(real.Host, socket), filepath.Join(dir, socket)); err != nil {
		t.Fatal(err)
	}
	if resp, body := get(); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Guiding questions") {
		t.Errorf("page once the database is back = %d, want 200:\n%.1500s", resp.StatusCode, body)
	}
}

package handlers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/handlers/handlerstest"
	"groundwork/store"
	"groundwork/store/pgembed"
	"groundwork/store/storetest"
)

// autosaver saves one answer again and again, as a browser's autosave
// does, and remembers every value the portal acknowledged (200). A failed
// save is retried with the same value; a conflict means an unacknowledged
// save went through after all, so it reads the stored version and goes on.
type autosaver struct {
	client  *http.Client
	url     string // the answer's save URL
	key     string
	value   func(n int) string
	version func() (int, error) // the stored version, after a conflict
	acked   []string
	count   atomic.Int64 // len(acked), readable while it runs
	failed  int
}

func (a *autosaver) run(stop <-chan struct{}) error {
	version := 0
	for n := 1; ; {
		select {
		case <-stop:
			return nil
		default:
		}
		v := a.value(n)
		form := url.Values{a.key: {v}, "_v." + a.key: {strconv.Itoa(version)}}
		req, _ := http.NewRequest(http.MethodPost, a.url, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		resp, err := a.client.Do(req)
		code := 0
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			code = resp.StatusCode
		}
		switch code {
		case http.StatusOK:
			a.acked = append(a.acked, v)
			a.count.Add(1)
			version++
			n++
		case http.StatusConflict:
			if version, err = a.version(); err != nil {
				a.failed++
				time.Sleep(20 * time.Millisecond)
			}
			n++ // the value may be stored already: save a fresh one
		case 0, http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusBadGateway:
			a.failed++
			time.Sleep(20 * time.Millisecond)
		default:
			return fmt.Errorf("save %q = %d", v, code)
		}
	}
}

// missing returns the acknowledged values the database does not hold in
// the answer's history.
func missing(t *testing.T, ctx context.Context, pool *pgxpool.Pool, assessmentID int64, a *autosaver) []string {
	t.Helper()
	rows, err := pool.Query(ctx, `SELECT new_value FROM history WHERE assessment_id = $1 AND kind = 'answer' AND item_key = $2`, assessmentID, a.key)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		have[v] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var lost []string
	for _, v := range a.acked {
		// Values are stored encoded (JSON strings for text answers).
		if !have[v] && !have[strconv.Quote(v)] {
			lost = append(lost, v)
		}
	}
	return lost
}

// TestDatabaseRestartUnderAutosave stops PostgreSQL while answers are
// being autosaved and starts it again: saves fail meanwhile, the portal
// recovers without a restart, and every save it acknowledged is in the
// database afterwards.
func TestDatabaseRestartUnderAutosave(t *testing.T) {
	binDir := storetest.RequirePostgres(t)
	ctx := context.Background()
	root := "/dev/shm"
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		root = os.TempDir()
	}
	dir, err := os.MkdirTemp(root, "gw-restart-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755) // the postgres user must enter it when we are root
	t.Cleanup(func() { os.RemoveAll(dir) })
	opts := pgembed.Options{Dir: filepath.Join(dir, "pg"), BinDir: binDir, Database: "groundwork", Ephemeral: true, Logger: slog.New(slog.DiscardHandler)}
	pg, err := pgembed.Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	var pgMu sync.Mutex
	t.Cleanup(func() { pgMu.Lock(); defer pgMu.Unlock(); pg.Stop(context.Background()) })
	m, err := store.NewMigrator(pg.DSN(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Up(); err != nil {
		t.Fatal(err)
	}
	m.Close()
	pool, err := pgxpool.New(ctx, pg.DSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e := handlerstest.NewEnvOn(t, pool)
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, false)
	id, _ := strconv.ParseInt(strings.TrimPrefix(base, "/assessments/"), 10, 64)

	savers := []*autosaver{
		{key: "growth_projections", value: func(n int) string { return fmt.Sprintf("Projection %d", n) }},
		{key: "architecture_diagram_url", value: func(n int) string { return fmt.Sprintf("https://example.org/diagram/%d", n) }},
	}
	stop := make(chan struct{})
	errs := make(chan error, len(savers))
	var wg sync.WaitGroup
	for _, a := range savers {
		a.client = b.Client
		a.url = e.Srv.URL + base + "/phases/1.1/answers/" + a.key
		a.version = func() (v int, err error) {
			err = pool.QueryRow(ctx, `SELECT version FROM answers WHERE assessment_id = $1 AND question_key = $2`, id, a.key).Scan(&v)
			return v, err
		}
		wg.Go(func() { errs <- a.run(stop) })
	}
	time.Sleep(500 * time.Millisecond)
	pgMu.Lock()
	if err := pg.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	down := savers[0].count.Load()
	time.Sleep(300 * time.Millisecond)
	if pg, err = pgembed.Start(ctx, opts); err != nil {
		t.Fatal(err)
	}
	pgMu.Unlock()
	// Saves go through again, without restarting the portal.
	deadline := time.Now().Add(10 * time.Second)
	for savers[0].count.Load() < down+10 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if lost := missing(t, ctx, pool, id, &autosaver{key: "growth_projections", acked: []string{"never saved"}}); len(lost) != 1 {
		t.Fatal("the check finds nothing missing even for a value never saved")
	}
	total := 0
	for _, a := range savers {
		total += len(a.acked)
		if lost := missing(t, ctx, pool, id, a); len(lost) > 0 {
			t.Errorf("%s: %d of %d acknowledged saves are not in the database: %q", a.key, len(lost), len(a.acked), lost)
		}
	}
	if savers[0].count.Load() < down+10 {
		t.Errorf("after the restart only %d saves were acknowledged in 10 s, want 10: the portal did not recover", savers[0].count.Load()-down)
	}
	t.Logf("%d saves acknowledged, %d failed while the database was down", total, savers[0].failed+savers[1].failed)
}

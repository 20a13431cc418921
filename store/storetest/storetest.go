// Package storetest gives tests a real, throwaway PostgreSQL database.
//
// One PostgreSQL server is started per test binary (on tmpfs when /dev/shm
// exists, socket only, fsync off) from the machine's PostgreSQL binaries, a
// template database is migrated once, and every test gets its own database
// cloned from the template, dropped when the test ends. When
// TEST_DATABASE_URL is set, that server is used instead.
//
// Without PostgreSQL, tests skip with a message, except under CI=true where
// they fail: CI must never pass by skipping.
//
// A package using it declares
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
package storetest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/store"
	"groundwork/store/pgembed"
)

// env is the per-binary database environment, set up on first use.
type env struct {
	server   *pgembed.Server // nil with TEST_DATABASE_URL
	baseDir  string          // removed at the end; "" with TEST_DATABASE_URL
	dsnFor   func(database string) string
	admin    *pgx.Conn
	adminMu  sync.Mutex
	template string
	next     atomic.Int64
}

var (
	once     sync.Once
	shared   *env
	setupErr error
	noServer bool // no binaries and no TEST_DATABASE_URL
)

// Main runs the package's tests, then the extra teardowns (a browser, say),
// then stops the server it started.
func Main(m *testing.M, teardowns ...func()) {
	code := m.Run()
	for _, fn := range teardowns {
		fn()
	}
	teardown()
	os.Exit(code)
}

// DSN returns the connection string of a new, migrated database that
// belongs to t alone and is dropped when t ends.
func DSN(t testing.TB) string {
	t.Helper()
	e := setup(t)
	name := fmt.Sprintf("gw_test_%d_%d", os.Getpid(), e.next.Add(1))
	e.exec(t, "CREATE DATABASE "+name+" TEMPLATE "+e.template)
	t.Cleanup(func() {
		e.adminMu.Lock()
		defer e.adminMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := e.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("storetest: drop %s: %v", name, err)
		}
	})
	return e.dsnFor(name)
}

// Pool returns a pool on a new database (see DSN), closed when t ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), DSN(t))
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	// Registered after DSN's cleanup, so it runs first: connections close
	// before the database is dropped.
	t.Cleanup(pool.Close)
	return pool
}

// Store returns a store on a new database (see DSN).
func Store(t testing.TB) *store.Store {
	t.Helper()
	return store.New(Pool(t))
}

// RequirePostgres skips (or, under CI, fails) t when no PostgreSQL server
// binaries are installed, for tests that start servers of their own.
func RequirePostgres(t testing.TB) (binDir string) {
	t.Helper()
	dir, err := (pgembed.Locator{}).Find()
	if err != nil {
		skipOrFail(t, err)
	}
	return dir
}

func skipOrFail(t testing.TB, err error) {
	t.Helper()
	msg := fmt.Sprintf("storetest: %v; install PostgreSQL (apt-get install postgresql) or set TEST_DATABASE_URL", err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI=true: a missing PostgreSQL is a failure)")
	}
	t.Skip(msg)
}

func setup(t testing.TB) *env {
	t.Helper()
	once.Do(func() { shared, setupErr = start() })
	if noServer {
		skipOrFail(t, setupErr)
	}
	if setupErr != nil {
		t.Fatalf("storetest: %v", setupErr)
	}
	return shared
}

func (e *env) exec(t testing.TB, sql string) {
	t.Helper()
	e.adminMu.Lock()
	defer e.adminMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := e.admin.Exec(ctx, sql); err != nil {
		t.Fatalf("storetest: %s: %v", sql, err)
	}
}

func start() (*env, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	e := &env{template: "gw_template"}
	if url := os.Getenv("TEST_DATABASE_URL"); url != "" {
		// Packages run in parallel against the same server: names carry the pid.
		e.template = fmt.Sprintf("gw_template_%d", os.Getpid())
		e.dsnFor = func(db string) string { return withDatabase(url, db) }
	} else {
		bin, err := (pgembed.Locator{}).Find()
		if err != nil {
			noServer = true
			return nil, err
		}
		root := "/dev/shm"
		if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
			root = os.TempDir()
		}
		removeStale(root)
		e.baseDir = filepath.Join(root, "groundwork-test-"+strconv.Itoa(os.Getpid()))
		e.server, err = pgembed.Start(ctx, pgembed.Options{
			Dir:       filepath.Join(e.baseDir, "pg"),
			BinDir:    bin,
			Database:  "postgres",
			Ephemeral: true,
			Logger:    slog.New(slog.DiscardHandler),
		})
		if err != nil {
			os.RemoveAll(e.baseDir)
			return nil, err
		}
		e.dsnFor = e.server.DSNFor
	}
	var err error
	if e.admin, err = pgx.Connect(ctx, e.dsnFor("postgres")); err != nil {
		return e, fmt.Errorf("connect: %w", err)
	}
	if _, err := e.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+e.template); err != nil {
		return e, err
	}
	if _, err := e.admin.Exec(ctx, "CREATE DATABASE "+e.template); err != nil {
		return e, err
	}
	m, err := store.NewMigrator(e.dsnFor(e.template), nil)
	if err != nil {
		return e, err
	}
	err = m.Up()
	return e, errors.Join(err, m.Close())
}

func teardown() {
	if shared == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if shared.admin != nil {
		if shared.server == nil {
			_, _ = shared.admin.Exec(ctx, "DROP DATABASE IF EXISTS "+shared.template+" WITH (FORCE)")
		}
		shared.admin.Close(ctx)
	}
	if shared.server != nil {
		_ = shared.server.Stop(ctx)
		os.RemoveAll(shared.baseDir)
	}
}

// removeStale deletes data directories of earlier test binaries that died
// before cleaning up (their servers died with them).
func removeStale(root string) {
	dirs, _ := filepath.Glob(filepath.Join(root, "groundwork-test-*"))
	for _, dir := range dirs {
		pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(dir), "groundwork-test-"))
		if err == nil && !pgembed.Alive(pid) {
			os.RemoveAll(dir)
		}
	}
}

// withDatabase points a connection string (URL or key=value) at database.
func withDatabase(dsn, database string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + database
		return u.String()
	}
	return dsn + " dbname=" + database
}

package pgembed_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"groundwork/store/pgembed"
	"groundwork/store/storetest"
)

func TestLocatorPrefersPathThenNewestVersion(t *testing.T) {
	root := t.TempDir()
	mkbin := func(dir string, programs ...string) string {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, p := range programs {
			if err := os.WriteFile(filepath.Join(dir, p), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	all := []string{"initdb", "pg_ctl", "postgres"}
	v9 := mkbin(filepath.Join(root, "lib", "9.6", "bin"), all...)
	v16 := mkbin(filepath.Join(root, "lib", "16", "bin"), all...)
	mkbin(filepath.Join(root, "lib", "17", "bin"), "initdb", "pg_ctl") // incomplete: no postgres
	onPath := mkbin(filepath.Join(root, "path"), all...)
	glob := filepath.Join(root, "lib", "*", "bin")
	notFound := func(string) (string, error) { return "", exec.ErrNotFound }

	tests := []struct {
		name     string
		lookPath func(string) (string, error)
		glob     string
		want     string
	}{
		{"PATH wins", func(f string) (string, error) { return filepath.Join(onPath, f), nil }, glob, onPath},
		{"newest complete version", notFound, glob, v16},
		{"only an old version", notFound, filepath.Join(root, "lib", "9*", "bin"), v9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := pgembed.Locator{LookPath: tt.lookPath, Glob: tt.glob}.Find()
			if err != nil || got != tt.want {
				t.Errorf("Find() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}

	_, err := pgembed.Locator{LookPath: notFound, Glob: filepath.Join(root, "none", "*")}.Find()
	if !errors.Is(err, pgembed.ErrNoBinaries) {
		t.Fatalf("Find() with nothing installed: err = %v, want ErrNoBinaries", err)
	}
	if !strings.Contains(err.Error(), "PATH") || !strings.Contains(err.Error(), "pg_config") {
		t.Errorf("error %q does not say where it looked", err)
	}
}

// dataDir returns a directory the postgres user can reach even when the
// tests run as root (t.TempDir is closed to other users).
func dataDir(t *testing.T) string {
	t.Helper()
	base := "/dev/shm"
	if _, err := os.Stat(base); err != nil {
		base = os.TempDir()
	}
	dir, err := os.MkdirTemp(base, "pgembed-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "pg")
}

func start(t *testing.T, dir string, ephemeral bool) *pgembed.Server {
	t.Helper()
	s, err := pgembed.Start(context.Background(), pgembed.Options{Dir: dir, Ephemeral: ephemeral, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if pgembed.Alive(s.PID()) {
			_ = s.Stop(context.Background())
		}
	})
	return s
}

func stop(t *testing.T, s *pgembed.Server) {
	t.Helper()
	pid := s.PID()
	if err := s.Stop(context.Background()); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if pgembed.Alive(pid) {
		t.Errorf("postmaster %d still running after Stop", pid)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid left behind after Stop: %v", err)
	}
}

func query(t *testing.T, dsn, sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var out string
	if err := conn.QueryRow(ctx, sql).Scan(&out); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func TestStartRestartStop(t *testing.T) {
	storetest.RequirePostgres(t)
	dir := dataDir(t)

	s := start(t, dir, false)
	if got := query(t, s.DSN(), "SELECT current_database()"); got != "groundwork" {
		t.Errorf("database = %q, want groundwork", got)
	}
	if got := query(t, s.DSN(), "SHOW listen_addresses"); got != "" {
		t.Errorf("listen_addresses = %q, want '' (no TCP)", got)
	}
	if got := query(t, s.DSN(), "SHOW server_encoding"); got != "UTF8" {
		t.Errorf("server_encoding = %q, want UTF8", got)
	}
	conn, err := pgx.Connect(context.Background(), s.DSN())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(context.Background(), "CREATE TABLE kept AS SELECT 'still here' AS v"); err != nil {
		t.Fatal(err)
	}
	conn.Close(context.Background())
	stop(t, s)

	s = start(t, dir, false)
	if got := query(t, s.DSN(), "SELECT v FROM kept"); got != "still here" {
		t.Errorf("after restart kept = %q, want the row written before", got)
	}
	stop(t, s)
}

// A start cancelled while PostgreSQL is coming up (Ctrl-C during a slow
// first start) leaves no server running behind it.
func TestCancelledStartLeavesNothingRunning(t *testing.T) {
	storetest.RequirePostgres(t)
	dir := dataDir(t)
	stop(t, start(t, dir, false)) // initdb done: the next start only starts

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pidFile := filepath.Join(dir, "postmaster.pid")
	seen := make(chan int, 1)
	go func() {
		// Cancel the moment the postmaster exists.
		for ctx.Err() == nil {
			if b, err := os.ReadFile(pidFile); err == nil {
				if pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])); err == nil && pid > 0 {
					seen <- pid
					cancel()
					return
				}
			}
			time.Sleep(time.Millisecond)
		}
	}()
	s, err := pgembed.Start(ctx, pgembed.Options{Dir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err == nil {
		_ = s.Stop(context.Background())
		t.Fatal("Start succeeded although its context was cancelled while the server came up")
	}
	var pid int
	select {
	case pid = <-seen:
	default:
		t.Fatalf("the postmaster never wrote its pid file: %v", err)
	}
	if pgembed.Alive(pid) {
		t.Errorf("postmaster %d still running after a cancelled Start (%v)", pid, err)
	}
	if _, err := os.Stat(pidFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid left behind: %v", err)
	}
	// And the directory is usable again straight away.
	stop(t, start(t, dir, false))
}

func TestEphemeralStop(t *testing.T) {
	storetest.RequirePostgres(t)
	s := start(t, dataDir(t), true)
	if got := query(t, s.DSN(), "SHOW fsync"); got != "off" {
		t.Errorf("fsync = %q, want off for a throwaway server", got)
	}
	if got := query(t, s.DSN(), "SHOW random_page_cost"); got != "1.1" {
		t.Errorf("random_page_cost = %q, want 1.1", got)
	}
	stop(t, s)
}

func TestSecondProcessIsRefused(t *testing.T) {
	storetest.RequirePostgres(t)
	dir := dataDir(t)
	s := start(t, dir, false)
	defer stop(t, s)
	_, err := pgembed.Start(context.Background(), pgembed.Options{Dir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("second Start on the same directory: err = %v, want 'in use by another process'", err)
	}
}

func TestStalePIDFileIsRemoved(t *testing.T) {
	storetest.RequirePostgres(t)
	dir := dataDir(t)
	stop(t, start(t, dir, false))

	// A crash leaves postmaster.pid behind; after a reboot its pid may belong
	// to an unrelated live process (here: this test binary).
	pidFile := filepath.Join(dir, "postmaster.pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"+dir+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := start(t, dir, false)
	if s.PID() == os.Getpid() {
		t.Fatalf("PID() = our own pid: the stale file was not replaced")
	}
	stop(t, s)
}

// TestOrphanLeftByCrashIsStopped starts a server from a child process that
// then exits without stopping it, as a crashed Groundwork would.
func TestOrphanLeftByCrashIsStopped(t *testing.T) {
	if dir := os.Getenv("PGEMBED_CRASH_DIR"); dir != "" {
		s, err := pgembed.Start(context.Background(), pgembed.Options{Dir: dir, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(2)
		}
		fmt.Println(s.PID())
		os.Exit(0) // no Stop: the "crash"
	}
	storetest.RequirePostgres(t)
	dir := dataDir(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestOrphanLeftByCrashIsStopped$")
	cmd.Env = append(os.Environ(), "PGEMBED_CRASH_DIR="+dir)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("crashing child: %v: %s", err, out)
	}
	orphan, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("child printed %q, want a pid", out)
	}
	if !pgembed.Alive(orphan) {
		t.Fatalf("orphan %d not running: the test does not set up a crash", orphan)
	}

	s := start(t, dir, false)
	deadline := time.Now().Add(5 * time.Second)
	for pgembed.Alive(orphan) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if pgembed.Alive(orphan) {
		t.Errorf("orphaned postmaster %d still running after a new Start", orphan)
	}
	if s.PID() == orphan {
		t.Errorf("new server reused the orphan's pid %d", orphan)
	}
	stop(t, s)
}

func TestRefusesNonEmptyDirectory(t *testing.T) {
	storetest.RequirePostgres(t)
	dir := dataDir(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := pgembed.Start(context.Background(), pgembed.Options{Dir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Start on a directory with other files: err = %v, want a 'not empty' refusal", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "notes.txt")); string(b) != "mine" {
		t.Errorf("the user's file was touched: %q", b)
	}
}

func TestRefusesLongSocketPath(t *testing.T) {
	dir := "/tmp/" + strings.Repeat("d", 100)
	_, err := pgembed.Start(context.Background(), pgembed.Options{Dir: dir, BinDir: "/nonexistent"})
	if err == nil || !strings.Contains(err.Error(), "too long") {
		t.Fatalf("err = %v, want a 'too long' refusal", err)
	}
}

func TestRunningFindsAnotherProcessesServer(t *testing.T) {
	storetest.RequirePostgres(t)
	dir := dataDir(t)
	if _, ok := pgembed.Running(dir, ""); ok {
		t.Fatal("Running reports a server in an empty directory")
	}
	s := start(t, dir, false)
	r, ok := pgembed.Running(dir, "")
	if !ok || r.PID() != s.PID() {
		t.Fatalf("Running = %v, %v; want the server with pid %d", r, ok, s.PID())
	}
	if got := query(t, r.DSN(), "SELECT current_database()"); got != "groundwork" {
		t.Errorf("connected to %q", got)
	}
	stop(t, s)
	if _, ok := pgembed.Running(dir, ""); ok {
		t.Error("Running reports a stopped server")
	}
}

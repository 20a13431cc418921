package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"groundwork/migrations"
	"groundwork/store/pgembed"
	"groundwork/store/storetest"
)

// TestMain doubles as the server: with GW_TEST_MAIN=1 this test binary runs
// main(), so the tests drive the real program as a separate process.
func TestMain(m *testing.M) {
	if os.Getenv("GW_TEST_MAIN") == "1" {
		main()
		return
	}
	storetest.Main(m)
}

// process is a running server.
type process struct {
	cmd    *exec.Cmd
	url    string
	stderr *bytes.Buffer
	exited chan error
}

// command returns the server program with env (KEY=VALUE...) and args.
func command(env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append([]string{"GW_TEST_MAIN=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	return cmd
}

// startServer starts the server and waits for the address it prints.
func startServer(t *testing.T, env ...string) *process {
	t.Helper()
	cmd := command(append([]string{"ADDR=127.0.0.1:0"}, env...))
	p := &process{cmd: cmd, stderr: &bytes.Buffer{}, exited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		p.exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.exited:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
			}
		}
	})
	select {
	case line, ok := <-lines:
		m := regexp.MustCompile(`^Groundwork is running at (http://\S+)$`).FindStringSubmatch(line)
		if !ok || m == nil {
			t.Fatalf("server printed %q, want its address; stderr:\n%s", line, p.stderr)
		}
		p.url = m[1]
	case <-time.After(60 * time.Second):
		t.Fatalf("server printed no address within 60 s; stderr:\n%s", p.stderr)
	}
	return p
}

// stop sends sig and waits for a clean exit.
func (p *process) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	p.cmd.Process.Signal(sig)
	select {
	case err := <-p.exited:
		if err != nil {
			t.Fatalf("server exited with %v; stderr:\n%s", err, p.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("server did not exit within 30 s of %v", sig)
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// reachableDir returns a directory the postgres user can enter when the
// tests run as root.
func reachableDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "groundwork-cmd-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestEmbeddedStartRestartAndCleanStop(t *testing.T) {
	storetest.RequirePostgres(t)
	data := filepath.Join(reachableDir(t), "data")

	began := time.Now()
	p := startServer(t, "DATA_DIR="+data)
	if got := status(t, p.url+"/readyz"); got != http.StatusOK {
		t.Fatalf("GET /readyz = %d after start", got)
	}
	t.Logf("first start (initdb included) to /readyz = 200: %v", time.Since(began).Round(time.Millisecond))
	if got := status(t, p.url+"/"); got != http.StatusOK {
		t.Errorf("GET / = %d", got)
	}
	pid, err := os.ReadFile(filepath.Join(data, "postgres", "postmaster.pid"))
	if err != nil {
		t.Fatalf("no embedded PostgreSQL under DATA_DIR: %v", err)
	}
	pgPID, _ := strconv.Atoi(strings.SplitN(string(pid), "\n", 2)[0])
	if !pgembed.Alive(pgPID) {
		t.Fatalf("postmaster %d not running", pgPID)
	}
	secret, err := os.ReadFile(filepath.Join(data, "session.key"))
	if err != nil || len(bytes.TrimSpace(secret)) < 32 {
		t.Errorf("no generated session secret in DATA_DIR: %q, %v", secret, err)
	}

	// The health check command the Dockerfile uses.
	addr := strings.TrimPrefix(p.url, "http://")
	if out, err := command([]string{"ADDR=" + addr}, "healthcheck").CombinedOutput(); err != nil {
		t.Errorf("server healthcheck against a live server: %v: %s", err, out)
	}

	p.stop(t, syscall.SIGTERM)
	if pgembed.Alive(pgPID) {
		t.Errorf("embedded PostgreSQL %d still running after the server exited", pgPID)
	}
	if !strings.Contains(p.stderr.String(), "embedded PostgreSQL stopped") {
		t.Errorf("log does not report the database stop:\n%s", p.stderr)
	}

	// Warm start on the same data, stopped with Ctrl-C this time.
	began = time.Now()
	p = startServer(t, "DATA_DIR="+data)
	if got := status(t, p.url+"/readyz"); got != http.StatusOK {
		t.Fatalf("GET /readyz = %d after restart", got)
	}
	t.Logf("warm start to /readyz = 200: %v", time.Since(began).Round(time.Millisecond))
	if strings.Contains(p.stderr.String(), "initialising") {
		t.Errorf("restart ran initdb again:\n%s", p.stderr)
	}
	again, _ := os.ReadFile(filepath.Join(data, "session.key"))
	if !bytes.Equal(secret, again) {
		t.Errorf("session secret changed across restarts")
	}
	p.stop(t, syscall.SIGINT)
}

func TestWithDatabaseURLNoEmbeddedServer(t *testing.T) {
	dsn := storetest.DSN(t)
	data := filepath.Join(reachableDir(t), "data")
	p := startServer(t, "DATA_DIR="+data, "DATABASE_URL="+dsn, "SESSION_SECRET="+strings.Repeat("x", 40))
	if got := status(t, p.url+"/readyz"); got != http.StatusOK {
		t.Errorf("GET /readyz = %d", got)
	}
	p.stop(t, syscall.SIGTERM)
	if _, err := os.Stat(filepath.Join(data, "postgres")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an embedded cluster was created although DATABASE_URL was set (stat: %v)", err)
	}
}

func TestConfigErrorExitsNonZeroNamingTheVariable(t *testing.T) {
	out, err := command([]string{"LOG_FORMAT=xml"}).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("exit = %v, want status 1", err)
	}
	if !strings.Contains(string(out), "LOG_FORMAT") {
		t.Errorf("output does not name the variable:\n%s", out)
	}
}

func TestNoPostgresExplainsWhatToInstall(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), &env{
		args:   nil,
		getenv: envOf("ADDR", "127.0.0.1:0", "DATA_DIR", t.TempDir()),
		stdout: &stdout, stderr: &stderr,
		locator: pgembed.Locator{
			LookPath: func(string) (string, error) { return "", exec.ErrNotFound },
			Glob:     filepath.Join(t.TempDir(), "none", "*"),
		},
	})
	if err == nil {
		t.Fatal("serve without PostgreSQL succeeded")
	}
	msg := err.Error()
	for _, want := range []string{"apt-get install postgresql", "DATABASE_URL", "docker compose", "DATA_DIR"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Count(strings.TrimSpace(msg), "\n") != 0 {
		t.Errorf("message is not one paragraph:\n%s", msg)
	}
}

func TestMigrateCommand(t *testing.T) {
	dsn := storetest.DSN(t)
	migrate := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), &env{
			args:   append([]string{"migrate"}, args...),
			getenv: envOf("DATABASE_URL", dsn, "DEV", "true", "LOG_LEVEL", "error"),
			stdout: &out, stderr: io.Discard,
		})
		return strings.TrimSpace(out.String()), err
	}
	ups, _ := fs.Glob(migrations.FS, "*.up.sql")
	latest := fmt.Sprintf("schema version %d", len(ups))
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"version"}, latest},
		{[]string{"down", "1"}, fmt.Sprintf("schema version %d", len(ups)-1)},
		{[]string{"up"}, latest},
	}
	for _, s := range steps {
		if got, err := migrate(s.args...); err != nil || got != s.want {
			t.Errorf("migrate %v = %q, %v; want %q", s.args, got, err, s.want)
		}
	}
	for _, bad := range [][]string{{}, {"sideways"}, {"down"}, {"down", "-1"}, {"down", "x"}, {"up", "2"}} {
		var u usageError
		if _, err := migrate(bad...); !errors.As(err, &u) {
			t.Errorf("migrate %v: err = %v, want a usage error", bad, err)
		}
	}
}

func TestHealthcheckFailsWhenNothingAnswers(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), &env{args: []string{"healthcheck"}, getenv: envOf("ADDR", "127.0.0.1:1"), stdout: &out, stderr: io.Discard})
	if err == nil {
		t.Error("healthcheck with nothing listening succeeded")
	}
}

func TestVersionAndUsage(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), &env{args: []string{"version"}, getenv: envOf(), stdout: &out}); err != nil || !strings.HasPrefix(out.String(), "groundwork ") {
		t.Errorf("version: %q, %v", out.String(), err)
	}
	var u usageError
	if err := run(context.Background(), &env{args: []string{"frobnicate"}, getenv: envOf(), stdout: io.Discard}); !errors.As(err, &u) {
		t.Errorf("unknown command: err = %v, want a usage error", err)
	}
}

package pgembed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Port is the port number PostgreSQL uses to name its socket file
// (.s.PGSQL.5432). No TCP port is ever opened.
const Port = 5432

// maxSocketPath is the longest unix socket path the kernel accepts
// (sizeof(sun_path) - 1 on Linux).
const maxSocketPath = 107

// Options configure a private PostgreSQL server.
type Options struct {
	// Dir is the cluster's data directory, initialised on first start.
	Dir string
	// BinDir holds initdb, pg_ctl and postgres; found by Locator when empty.
	BinDir string
	// Database is created on start when missing; "groundwork" when empty.
	Database string
	// Ephemeral makes a throwaway server for tests: no fsync, and postgres
	// runs as a child of this process that the kernel kills if we die, so a
	// crashed test binary leaves nothing behind. Otherwise the server is
	// started and stopped with pg_ctl.
	Ephemeral bool
	// StartTimeout bounds initdb plus start; one minute when zero.
	StartTimeout time.Duration
	// Logger receives progress messages; slog.Default() when nil.
	Logger *slog.Logger
}

// Server is a running private PostgreSQL server.
type Server struct {
	dir      string
	binDir   string
	database string
	pid      int
	owner    *owner
	lock     *os.File
	log      *slog.Logger

	child     *exec.Cmd     // ephemeral mode only
	childDone chan struct{} // closed when child exits
}

// Start initialises the cluster when needed, starts the server, waits until
// it accepts connections and creates the database. It holds a lock on the
// data directory until Stop, so two processes never share one cluster; a
// server left running by a process that crashed is stopped and restarted,
// and a stale postmaster.pid is removed.
func Start(ctx context.Context, opts Options) (*Server, error) {
	if opts.Dir == "" {
		return nil, errors.New("pgembed: no data directory given")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	if n := len(dir) + len("/.s.PGSQL.5432"); n > maxSocketPath {
		return nil, fmt.Errorf("pgembed: the data directory path %s is too long for a unix socket (%d > %d characters); choose a shorter DATA_DIR", dir, n, maxSocketPath)
	}
	timeout := opts.StartTimeout
	if timeout == 0 {
		timeout = time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	s := &Server{dir: dir, binDir: opts.BinDir, database: opts.Database, log: opts.Logger}
	if s.database == "" {
		s.database = "groundwork"
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.binDir == "" {
		if s.binDir, err = (Locator{}).Find(); err != nil {
			return nil, err
		}
	}
	if s.owner, err = serverOwner(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	if s.lock, err = lockDir(dir + ".lock"); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			s.unlock()
		}
	}()
	if s.owner != nil {
		if err := s.owner.canReach(filepath.Dir(dir)); err != nil {
			return nil, err
		}
	}
	if err := s.initdb(ctx, opts.Ephemeral); err != nil {
		return nil, err
	}
	if err := s.writeConf(opts.Ephemeral); err != nil {
		return nil, err
	}
	if err := s.clearLeftovers(ctx); err != nil {
		return nil, err
	}
	if opts.Ephemeral {
		err = s.startChild(ctx)
	} else {
		err = s.startDaemon(ctx, timeout)
	}
	if err != nil {
		return nil, err
	}
	if s.pid, err = readPID(filepath.Join(dir, "postmaster.pid")); err != nil {
		_ = s.stop(context.Background())
		return nil, err
	}
	if err := s.createDatabase(ctx); err != nil {
		_ = s.stop(context.Background())
		return nil, err
	}
	ok = true
	return s, nil
}

// Running returns a Server for a cluster another process has started and
// still runs (a Groundwork server, typically), so that a command-line tool
// can use it while it runs. ok is false when no server runs in dir. The
// returned Server must not be stopped: it belongs to the other process.
func Running(dir, database string) (s *Server, ok bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false
	}
	pid, err := readPID(filepath.Join(abs, "postmaster.pid"))
	if err != nil || !isPostgres(pid) {
		return nil, false
	}
	if _, err := os.Stat(filepath.Join(abs, fmt.Sprintf(".s.PGSQL.%d", Port))); err != nil {
		return nil, false
	}
	if database == "" {
		database = "groundwork"
	}
	return &Server{dir: abs, database: database, pid: pid}, true
}

// DSN returns a connection string for the server's database.
func (s *Server) DSN() string { return s.DSNFor(s.database) }

// DSNFor returns a connection string for another database on the server.
func (s *Server) DSNFor(database string) string {
	return fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", quote(s.dir), Port, quote(database))
}

// Dir returns the absolute data directory.
func (s *Server) Dir() string { return s.dir }

// PID returns the postmaster's process id.
func (s *Server) PID() int { return s.pid }

// Stop shuts the server down (fast mode: open sessions are disconnected)
// and waits until it has exited, then releases the data directory.
func (s *Server) Stop(ctx context.Context) error {
	defer s.unlock()
	return s.stop(ctx)
}

func (s *Server) stop(ctx context.Context) error {
	if s.child != nil {
		return s.stopChild(ctx)
	}
	return s.stopDaemon(ctx, s.pid)
}

// stopDaemon stops the server that pg_ctl started, process pid, and waits
// until it has exited.
func (s *Server) stopDaemon(ctx context.Context, pid int) error {
	if _, err := s.run(ctx, "pg_ctl", "-D", s.dir, "-m", "fast", "-w", "-t", "60", "-s", "stop"); err != nil {
		return err
	}
	return waitExit(ctx, pid)
}

// waitExit waits until pid has exited: pg_ctl returns once postmaster.pid
// is gone, a moment before the process itself.
func waitExit(ctx context.Context, pid int) error {
	for i := 0; pid > 0 && Alive(pid); i++ {
		if i == 500 {
			return fmt.Errorf("pgembed: postmaster %d still running 10 s after stop", pid)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return nil
}

func (s *Server) unlock() {
	if s.lock != nil {
		_ = syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
		_ = s.lock.Close()
		s.lock = nil
	}
}

// initdb creates the cluster unless the directory already holds one.
func (s *Server) initdb(ctx context.Context, ephemeral bool) error {
	if v, err := os.ReadFile(filepath.Join(s.dir, "PG_VERSION")); err == nil {
		return s.checkVersion(ctx, strings.TrimSpace(string(v)))
	}
	if entries, err := os.ReadDir(s.dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("pgembed: %s is not empty and holds no PostgreSQL cluster; move it away or choose another DATA_DIR", s.dir)
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	if err := s.owner.chown(s.dir); err != nil {
		return err
	}
	s.log.Info("initialising a private PostgreSQL cluster", "dir", s.dir, "bin", s.binDir)
	args := []string{"-D", s.dir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"}
	if ephemeral {
		args = append(args, "--no-sync")
	}
	if _, err := s.run(ctx, "initdb", args...); err != nil {
		return err
	}
	conf := filepath.Join(s.dir, "postgresql.conf")
	f, err := os.OpenFile(conf, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	_, err = f.WriteString("\n# Groundwork's settings (socket only, no TCP), rewritten at every start.\ninclude_if_exists = 'groundwork.conf'\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	return nil
}

// checkVersion refuses a cluster made by another major version, which the
// binaries could not start anyway, with an error that says what to do.
func (s *Server) checkVersion(ctx context.Context, clusterVersion string) error {
	out, err := s.run(ctx, "postgres", "--version")
	if err != nil {
		return err
	}
	// "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
	fields := strings.Fields(out)
	if len(fields) < 3 {
		return nil
	}
	major, _, _ := strings.Cut(fields[2], ".")
	if major != clusterVersion {
		return fmt.Errorf("pgembed: %s was created by PostgreSQL %s but the binaries in %s are version %s; install PostgreSQL %s, or upgrade the cluster with pg_upgrade", s.dir, clusterVersion, s.binDir, major, clusterVersion)
	}
	return nil
}

// writeConf writes the settings Groundwork owns. It runs at every start so a
// moved data directory still gets its socket in the right place.
func (s *Server) writeConf(ephemeral bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "listen_addresses = ''\n")
	fmt.Fprintf(&b, "port = %d\n", Port)
	fmt.Fprintf(&b, "unix_socket_directories = %s\n", quote(s.dir))
	fmt.Fprintf(&b, "unix_socket_permissions = 0700\n")
	// The data lives on this machine's disk and Groundwork's working set
	// stays in memory: price random reads as SSDs and caches make them, or
	// the planner scans small tables (users, organisations) on every page
	// instead of using their keys. Measured: PostgreSQL's CPU per phase page
	// fell by a sixth.
	fmt.Fprintf(&b, "random_page_cost = 1.1\n")
	if ephemeral {
		b.WriteString("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
	}
	path := filepath.Join(s.dir, "groundwork.conf")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	return s.owner.chown(path)
}

// clearLeftovers deals with a postmaster.pid left by an earlier run. We hold
// the directory lock, so no live Groundwork process owns that server: either
// its process is gone (a stale file, removed) or it is an orphaned postgres
// whose parent crashed (stopped, so that we start it with our settings).
func (s *Server) clearLeftovers(ctx context.Context) error {
	pidFile := filepath.Join(s.dir, "postmaster.pid")
	pid, err := readPID(pidFile)
	if err != nil {
		return nil // no pid file, or unreadable: postgres checks it again
	}
	if isPostgres(pid) {
		s.log.Warn("stopping a PostgreSQL server left running by an earlier process", "pid", pid, "dir", s.dir)
		return s.stopDaemon(ctx, pid)
	}
	s.log.Warn("removing a stale postmaster.pid", "pid", pid, "dir", s.dir)
	if err := os.Remove(pidFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("pgembed: %w", err)
	}
	return nil
}

// startDaemon starts the server with pg_ctl in its own process group, so a
// Ctrl-C in the terminal reaches only us and we stop it in order. pg_ctl
// is not killed when ctx ends (the postmaster it launched would run on
// unseen): it is bounded by its own timeout, and whatever it started is
// stopped again when it fails or ctx has ended meanwhile.
func (s *Server) startDaemon(ctx context.Context, timeout time.Duration) error {
	logFile := filepath.Join(s.dir, "server.log")
	secs := strconv.Itoa(int(timeout.Seconds()))
	_, err := s.run(context.Background(), "pg_ctl", "-D", s.dir, "-l", logFile, "-w", "-t", secs, "-s", "start")
	if err == nil && ctx.Err() == nil {
		return nil
	}
	if pid, perr := readPID(filepath.Join(s.dir, "postmaster.pid")); perr == nil && isPostgres(pid) {
		_ = s.stopDaemon(context.Background(), pid)
	}
	if err != nil {
		return fmt.Errorf("%w\n%s", err, tail(logFile))
	}
	return ctx.Err()
}

// createDatabase creates the server's database when it does not exist yet.
func (s *Server) createDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, s.DSNFor("postgres"))
	if err != nil {
		return fmt.Errorf("pgembed: connect: %w", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", s.database).Scan(&exists); err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{s.database}.Sanitize()); err != nil {
		return fmt.Errorf("pgembed: create database %s: %w", s.database, err)
	}
	return nil
}

// run runs one of the PostgreSQL programs as the server's owner and returns
// its combined output; a failure carries that output.
func (s *Server) run(ctx context.Context, program string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(s.binDir, program), args...)
	cmd.Dir = "/" // the caller's working directory may be closed to the postgres user
	cmd.Env = cleanEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: s.owner.credential()}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("pgembed: %s %s: %w: %s", program, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

// cleanEnv drops PG* variables that would steer the programs elsewhere.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

// lockDir takes an exclusive lock that lives as long as this process holds
// the file open: the kernel drops it when the process dies, however it dies.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pgembed: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		return nil, fmt.Errorf("pgembed: %s is in use by another process (pid %s); stop it first or choose another DATA_DIR", strings.TrimSuffix(path, ".lock"), strings.TrimSpace(string(holder)))
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return f, nil
}

// readPID reads the postmaster's pid from the first line of postmaster.pid.
func readPID(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("pgembed: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("pgembed: %s: no pid in first line", path)
	}
	return pid, nil
}

// Alive reports whether a process with this pid exists and is not a zombie
// (an exited process its new parent has not reaped yet).
func Alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	if err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no /proc: trust kill
	}
	// "pid (comm) S ...": the state follows the last parenthesis.
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}

// isPostgres reports whether pid is a live postgres process. After a reboot
// or in a container a stale pid is often reused by an unrelated program,
// which must not be mistaken for our server.
func isPostgres(pid int) bool {
	if !Alive(pid) {
		return false
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return true // no /proc: assume the worst and let pg_ctl decide
	}
	name, _, _ := bytes.Cut(cmdline, []byte{0})
	return strings.HasPrefix(filepath.Base(string(name)), "postgres")
}

// tail returns the end of a log file for error messages.
func tail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return "server log (" + path + "):\n" + string(b)
}

// quote quotes a value for a PostgreSQL connection string or config file.
func quote(v string) string {
	v = strings.ReplaceAll(v, `\`, `\\`)
	return "'" + strings.ReplaceAll(v, "'", `\'`) + "'"
}

// StartTemp starts a private server, quietly, in a new temporary directory
// named after prefix: for the load tools, which need a database of their
// own for one run. stop stops the server and removes the directory.
func StartTemp(ctx context.Context, prefix string, ephemeral bool) (s *Server, stop func(), err error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, nil, err
	}
	os.Chmod(dir, 0o755) // the postgres user must reach its data directory
	s, err = Start(ctx, Options{Dir: filepath.Join(dir, "pg"), Ephemeral: ephemeral, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return s, func() { s.Stop(context.Background()); os.RemoveAll(dir) }, nil
}

package pgembed

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// startChild runs postgres in the foreground as our child. The kernel sends
// it SIGKILL when the thread that started it dies; that thread is locked to a
// goroutine that lives exactly as long as the child, so the signal fires only
// when this whole process is gone (a test binary killed by a timeout, say).
func (s *Server) startChild(ctx context.Context) error {
	logFile := filepath.Join(s.dir, "server.log")
	logf, err := os.OpenFile(logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("pgembed: %w", err)
	}
	started := make(chan error, 1)
	s.childDone = make(chan struct{})
	go func() {
		runtime.LockOSThread()
		defer logf.Close()
		defer close(s.childDone)
		cmd := exec.Command(filepath.Join(s.binDir, "postgres"), "-D", s.dir)
		cmd.Dir = "/"
		cmd.Env = cleanEnv()
		cmd.Stdout = logf
		cmd.Stderr = logf
		cmd.SysProcAttr = &syscall.SysProcAttr{
			Setpgid:   true,
			Pdeathsig: syscall.SIGKILL,
			// The credential is applied before the death signal is set,
			// so the signal survives the switch to the postgres user.
			Credential: s.owner.credential(),
		}
		if err := cmd.Start(); err != nil {
			started <- fmt.Errorf("pgembed: start postgres: %w", err)
			return
		}
		s.child = cmd
		started <- nil
		_ = cmd.Wait()
	}()
	if err := <-started; err != nil {
		return err
	}
	if err := s.waitReady(ctx); err != nil {
		_ = s.stopChild(context.Background())
		return fmt.Errorf("%w\n%s", err, tail(logFile))
	}
	return nil
}

// waitReady polls until the server accepts connections, the child exits, or
// ctx ends.
func (s *Server) waitReady(ctx context.Context) error {
	for {
		conn, err := pgx.Connect(ctx, s.DSNFor("postgres"))
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		select {
		case <-s.childDone:
			return fmt.Errorf("pgembed: postgres exited during start: %w", err)
		case <-ctx.Done():
			return fmt.Errorf("pgembed: postgres not ready: %w", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// stopChild asks for a fast shutdown and escalates to SIGKILL if the server
// has not exited when ctx ends (or after ten seconds).
func (s *Server) stopChild(ctx context.Context) error {
	if s.child == nil || s.child.Process == nil {
		return nil
	}
	_ = s.child.Process.Signal(syscall.SIGINT)
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	select {
	case <-s.childDone:
		return nil
	case <-ctx.Done():
	case <-timer.C:
	}
	_ = s.child.Process.Kill()
	<-s.childDone
	return fmt.Errorf("pgembed: postgres did not stop in time and was killed")
}

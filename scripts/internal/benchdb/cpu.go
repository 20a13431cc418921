package benchdb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// CPU is processor time used so far (user and system) by this process, by
// a server process, by the processes the server started (the browser that
// prints PDFs), and by one PostgreSQL server: its postmaster and every
// process under it, with those that have ended. The other PostgreSQL
// servers a shared machine runs are not counted.
type CPU struct{ Self, Server, Children, Postgres time.Duration }

// Sub is the processor time used between b and c.
func (c CPU) Sub(b CPU) CPU {
	return CPU{c.Self - b.Self, c.Server - b.Server, c.Children - b.Children, c.Postgres - b.Postgres}
}

// Per divides each figure by n.
func (c CPU) Per(n int) CPU {
	if n <= 0 {
		return CPU{}
	}
	d := time.Duration(n)
	return CPU{c.Self / d, c.Server / d, c.Children / d, c.Postgres / d}
}

// CPUNow reads the processor time of this process, of server and what it
// started (0: none; this process when it serves in-process), and of the
// PostgreSQL whose postmaster is postmaster (0: not counted).
func CPUNow(server, postmaster int) CPU {
	var c CPU
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	c.Self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	procs := Processes()
	self := os.Getpid()
	for pid, p := range procs {
		switch {
		case postmaster != 0 && procs.Under(pid, postmaster):
			c.Postgres += p.Own
			if pid == postmaster {
				c.Postgres += p.Reaped // the backends that have ended
			}
		case server != 0 && server != self && pid == server:
			c.Server += p.Own
		case server != 0 && pid != self && procs.Under(pid, server):
			c.Children += p.Own
			if p.PPID == server {
				c.Children += p.Reaped
			}
		}
	}
	if server == self {
		c.Server, c.Self = c.Self, 0
	}
	return c
}

// Proc is one process of /proc/PID/stat: its parent and its processor
// time (user and system), its own and that of its children that have ended.
type Proc struct {
	PPID        int
	Own, Reaped time.Duration
}

// Procs are the machine's processes, by id.
type Procs map[int]Proc

// Processes reads every process of the machine from /proc.
func Processes() Procs {
	procs := Procs{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... utime stime cutime cstime are fields 14-17.
		end := strings.LastIndexByte(string(b), ')')
		if end < 0 {
			continue
		}
		f := strings.Fields(string(b[end+2:]))
		if len(f) < 15 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		procs[pid] = Proc{PPID: ppid, Own: ticks(f[11:13]), Reaped: ticks(f[13:15])}
	}
	return procs
}

// ticks adds up clock ticks given in /proc as text.
func ticks(fields []string) time.Duration {
	var t int64
	for _, v := range fields {
		n, _ := strconv.ParseInt(v, 10, 64)
		t += n
	}
	return time.Duration(t) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// Under says whether pid is root or a process below it.
func (procs Procs) Under(pid, root int) bool {
	for range 64 {
		if pid == root {
			return true
		}
		p, ok := procs[pid]
		if !ok || p.PPID <= 1 {
			return false
		}
		pid = p.PPID
	}
	return false
}

// Postmaster returns the process id of the PostgreSQL server conn talks
// to when it runs on this machine and its data directory can be read
// (from postmaster.pid), or 0.
func Postmaster(ctx context.Context, conn *pgx.Conn) int {
	var dir string
	if err := conn.QueryRow(ctx, `SELECT current_setting('data_directory')`).Scan(&dir); err != nil {
		return 0
	}
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return 0
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return 0
	}
	return pid
}

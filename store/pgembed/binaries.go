// Package pgembed runs a private PostgreSQL server from the PostgreSQL
// binaries installed on the machine: initdb on first use, start, wait, and a
// clean stop. The server listens on a unix socket inside its data directory
// only, never on a TCP port.
package pgembed

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries reports that no PostgreSQL server binaries were found.
var ErrNoBinaries = errors.New("pgembed: no PostgreSQL server binaries found")

// required are the programs a bin directory must hold to be usable.
var required = []string{"initdb", "pg_ctl", "postgres"}

// Locator finds the PostgreSQL server binaries. The zero value looks where a
// normal installation puts them.
type Locator struct {
	// LookPath finds a program on PATH; exec.LookPath when nil.
	LookPath func(file string) (string, error)
	// Glob lists candidate bin directories, newest version wins;
	// "/usr/lib/postgresql/*/bin" when empty.
	Glob string
}

// Find returns the directory holding initdb, pg_ctl and postgres. It tries,
// in order: PATH, `pg_config --bindir`, then the newest
// /usr/lib/postgresql/*/bin. It returns an error wrapping ErrNoBinaries and
// naming every place it looked when none has all three programs.
func (l Locator) Find() (string, error) {
	lookPath := l.LookPath
	if lookPath == nil {
		lookPath = exec.LookPath
	}
	glob := l.Glob
	if glob == "" {
		glob = "/usr/lib/postgresql/*/bin"
	}

	// 1. PATH. Symlinks (Debian links some programs into /usr/bin or
	// /usr/local/bin) are resolved so that all three come from one install.
	if p, err := lookPath("pg_ctl"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			if dir := filepath.Dir(real); hasAll(dir) {
				return dir, nil
			}
		}
		if dir := filepath.Dir(p); hasAll(dir) {
			return dir, nil
		}
	}

	// 2. pg_config --bindir.
	if p, err := lookPath("pg_config"); err == nil {
		out, err := exec.Command(p, "--bindir").Output()
		if dir := strings.TrimSpace(string(out)); err == nil && hasAll(dir) {
			return dir, nil
		}
	}

	// 3. The newest versioned directory.
	dirs, _ := filepath.Glob(glob)
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, dir := range dirs {
		if hasAll(dir) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%w (looked on PATH, in `pg_config --bindir` and in %s)", ErrNoBinaries, glob)
}

// hasAll reports whether dir holds every required program as an executable.
func hasAll(dir string) bool {
	if dir == "" {
		return false
	}
	for _, name := range required {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

// versionOf extracts the major version from a path like
// /usr/lib/postgresql/15/bin; unparsable paths sort last.
func versionOf(binDir string) float64 {
	v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	if err != nil {
		return -1
	}
	return v
}

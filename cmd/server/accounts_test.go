package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"groundwork/store"
	"groundwork/store/storetest"
)

func TestUserAndOrgCommands(t *testing.T) {
	dsn := storetest.DSN(t)
	cli := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := run(context.Background(), &env{
			args: args, getenv: envOf("DATABASE_URL", dsn, "DEV", "true", "LOG_LEVEL", "error"),
			stdin: strings.NewReader(stdin), stdout: &out, stderr: io.Discard,
		})
		return out.String(), err
	}

	out, err := cli("a long admin passphrase\n", "user", "add", "-email", "Root@Example.org", "-name", "First Admin", "-role", "admin")
	if err != nil || !strings.Contains(out, "created Administrator First Admin <root@example.org>") {
		t.Fatalf("user add admin = %q, %v", out, err)
	}
	// It says which database it wrote to, without the password.
	pc, _ := pgconn.ParseConfig(dsn)
	if want := fmt.Sprintf("in the database %q on %s port %d (DATABASE_URL)", pc.Database, pc.Host, pc.Port); !strings.Contains(out, want) {
		t.Errorf("user add output %q does not name the database: want %q", out, want)
	}
	if _, err := cli("", "org", "add", "-slug", "moh-ke", "-name", "Ministry of Health, Kenya", "-platform", "commcare"); err != nil {
		t.Fatalf("org add: %v", err)
	}
	if _, err := cli("manager passphrase!\n", "user", "add", "-email", "pm@example.org", "-name", "PM", "-role", "manager", "-org", "moh-ke"); err != nil {
		t.Fatalf("user add manager: %v", err)
	}

	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.Authenticate(context.Background(), "pm@example.org", "manager passphrase!")
	if err != nil || u.OrganisationSlug != "moh-ke" || u.Role != store.RoleManager {
		t.Errorf("the manager created by the CLI: %+v, %v", u, err)
	}

	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"long enough passphrase\n", []string{"user", "add", "-email", "x@example.org", "-name", "X", "-role", "manager", "-org", "nowhere"}, "no organisation with slug"},
		{"short\n", []string{"user", "add", "-email", "x@example.org", "-name", "X", "-role", "admin"}, "-password: Use at least 12"},
		{"password1234\n", []string{"user", "add", "-email", "x@example.org", "-name", "X", "-role", "admin"}, "-password: This password is too easy to guess: it is, or is built on, one of the most commonly used passwords."},
		{"aaaaaaaaaaaa\n", []string{"user", "add", "-email", "x@example.org", "-name", "X", "-role", "admin"}, "too easy to guess: it repeats characters"},
		{"", []string{"user", "add", "-email", "x@example.org", "-name", "X", "-role", "admin"}, "no password on standard input"},
		{"long enough passphrase\n", []string{"user", "add", "-email", "root@example.org", "-name", "X", "-role", "admin"}, "already has an account"},
		{"", []string{"org", "add", "-slug", "moh-ke", "-name", "Again"}, "is taken"},
		{"", []string{"org", "add", "-slug", "Bad Slug", "-name", "X"}, "-slug: Use 1 to 63"},
	} {
		if _, err := cli(c.stdin, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
	var u2 usageError
	for _, bad := range [][]string{{"user"}, {"user", "add", "-email", "x@example.org"}, {"org", "remove"}, {"user", "add", "-bogus"}} {
		if _, err := cli("", bad...); !errors.As(err, &u2) {
			t.Errorf("%v: err = %v, want a usage error", bad, err)
		}
	}
}

// TestFirstStartSaysHowToCreateAnAdmin runs the server on an empty
// database and reads its log.
func TestFirstStartSaysHowToCreateAnAdmin(t *testing.T) {
	p := startServer(t, "DATABASE_URL="+storetest.DSN(t), "DEV=true", "DATA_DIR="+t.TempDir())
	p.stop(t, syscall.SIGTERM)
	if !strings.Contains(p.stderr.String(), "user add -email you@example.org -name 'Your Name' -role admin") {
		t.Errorf("first start log does not explain how to create the first admin:\n%s", p.stderr)
	}
}

// TestFirstStartNamesTheDataDir: with a DATA_DIR other than the default,
// the command the first-start log prints carries it, so the administrator
// lands in the server's own database.
func TestFirstStartNamesTheDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my data")
	cfg := Config{DataDir: dir}
	if got, want := firstAdminHint(cfg), "DATA_DIR='"+dir+"' go run ./cmd/server user add -email"; !strings.Contains(got, want) {
		t.Errorf("hint = %q, want it to contain %q", got, want)
	}
	if got := firstAdminHint(Config{DataDir: defaultDataDir}); strings.Contains(got, "DATA_DIR=") {
		t.Errorf("with the default DATA_DIR the hint needs none: %q", got)
	}
	if got := firstAdminHint(Config{DataDir: defaultDataDir, DatabaseURL: "postgres://u:secret@db/gw"}); strings.Contains(got, "secret") || !strings.Contains(got, "DATABASE_URL") {
		t.Errorf("with DATABASE_URL the hint must name it but not its password: %q", got)
	}
	if got := describeDatabase(Config{DataDir: dir}, false); !strings.Contains(got, filepath.Join(dir, "postgres")) || !strings.Contains(got, "no server is running on it") {
		t.Errorf("describeDatabase = %q, want the directory and a warning that no server uses it", got)
	}
}

package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"golang.org/x/term"

	"groundwork/handlers"
	"groundwork/store"
)

// withDatabase runs fn with the database a command-line tool should use:
// DATABASE_URL, or the embedded PostgreSQL (a running server's, or one
// started for the command and stopped after it).
// fn also gets where: that database in words, for the command to say
// which one it changed.
func withDatabase(ctx context.Context, e *env, fn func(dsn, where string, log *slog.Logger) error) error {
	cfg, err := LoadConfig(e.getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	log := newLogger(cfg, e.stderr)
	where := describeDatabase(cfg, cfg.DatabaseURL == "" && embeddedRunning(cfg))
	dsn, stopDB, err := database(ctx, e, cfg, log, true)
	if err != nil {
		return err
	}
	defer stopDB()
	return fn(dsn, where, log)
}

// withStore runs fn on a migrated store for a command-line tool.
func withStore(ctx context.Context, e *env, fn func(st *store.Store, where string) error) error {
	return withDatabase(ctx, e, func(dsn, where string, _ *slog.Logger) error {
		if err := migrateUp(dsn, nil); err != nil {
			return err
		}
		st, err := store.Open(ctx, dsn)
		if err != nil {
			return err
		}
		defer st.Close()
		return fn(st, where)
	})
}

// userCmd is `server user add -email E -name N -role R [-org SLUG]`; the
// password comes from standard input (a prompt on a terminal).
func userCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"user needs a subcommand: user add -email E -name N -role admin|advisor|manager|viewer [-org SLUG]"}
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "e-mail address")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "admin, advisor, manager or viewer")
	org := fs.String("org", "", "organisation slug (managers and viewers)")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{"user add: " + err.Error()}
	}
	if *email == "" || *name == "" || *role == "" {
		return usageError{"user add needs -email, -name and -role"}
	}
	password, err := readPassword(e)
	if err != nil {
		return err
	}
	return withStore(ctx, e, func(st *store.Store, where string) error {
		n := store.NewUser{Email: *email, Name: *name, Role: store.Role(*role), Password: password}
		if *org != "" {
			o, err := st.OrganisationBySlugForOperator(ctx, *org)
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("no organisation with slug %q; create it first with: server org add -slug %s -name '...'", *org, *org)
			}
			if err != nil {
				return err
			}
			n.OrganisationID = o.ID
		}
		u, err := st.CreateUser(ctx, n)
		if err := fieldsError("user add", err); err != nil {
			return err
		}
		if errors.Is(err, store.ErrEmailTaken) {
			return fmt.Errorf("user add: %s already has an account", n.Email)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created %s %s <%s> (id %d) in %s\n", u.Role.Label(), u.Name, u.Email, u.ID, where)
		return nil
	})
}

// readPassword reads the password: from a prompt without echo on a
// terminal, else the first line of standard input.
func readPassword(e *env) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Password (at least 12 characters, not easy to guess): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return string(b), err
	}
	if e.stdin == nil {
		return "", errors.New("user add: no password on standard input")
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("user add: no password on standard input (e.g. echo 'a long passphrase' | server user add ...)")
	}
	return line, nil
}

// orgCmd is `server org add -slug S -name N [-platform P]`.
func orgCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError{"org needs a subcommand: org add -slug S -name N [-platform commcare|opencrvs|both]"}
	}
	fs := flag.NewFlagSet("org add", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	slug := fs.String("slug", "", "short name for links")
	name := fs.String("name", "", "name")
	platform := fs.String("platform", "commcare", "commcare, opencrvs or both")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{"org add: " + err.Error()}
	}
	if *slug == "" || *name == "" {
		return usageError{"org add needs -slug and -name"}
	}
	return withStore(ctx, e, func(st *store.Store, where string) error {
		o, err := st.CreateOrganisation(ctx, 0, store.Organisation{Slug: *slug, Name: *name, Platform: *platform})
		if err := fieldsError("org add", err); err != nil {
			return err
		}
		if errors.Is(err, store.ErrSlugTaken) {
			return fmt.Errorf("org add: the slug %q is taken", *slug)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created organisation %s (%s, id %d) in %s\n", o.Name, o.Slug, o.ID, where)
		return nil
	})
}

// fieldsError spells out a store.FieldErrors for the terminal; nil for
// any other error.
func fieldsError(cmd string, err error) error {
	var fe store.FieldErrors
	if !errors.As(err, &fe) {
		return nil
	}
	var msgs []string
	for field, p := range fe {
		msgs = append(msgs, "-"+field+": "+handlers.Words(p))
	}
	sort.Strings(msgs)
	return errors.New(cmd + ": " + strings.Join(msgs, "; "))
}

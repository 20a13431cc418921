// Command server runs the Groundwork portal and its maintenance commands.
//
//	server                      serve the portal (the default)
//	server migrate up|down N|version
//	server user add -email E -name N -role R [-org SLUG]
//	server org add -slug S -name N [-platform P]
//	server sizing commcare|commcare-model|opencrvs ...
//	server healthcheck          exit 0 when /healthz answers
//	server version
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"groundwork/store/pgembed"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	err := run(ctx, &env{
		args:   os.Args[1:],
		getenv: os.Getenv,
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
	})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// env is the process's outside world, so tests can run commands in-process.
type env struct {
	args           []string
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	locator        pgembed.Locator // where to look for PostgreSQL binaries
}

// usageError is a command-line mistake: exit status 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg + "\n\n" + usage }

const usage = `Usage:
  server                        serve the portal (the default; also: server serve)
  server migrate up             apply pending database migrations
  server migrate down N         revert the last N migrations
  server migrate version        print the schema version
  server user add -email E -name N -role admin|advisor|manager|viewer [-org SLUG]
                                create a user; the password is read from standard input
  server org add -slug S -name N [-platform commcare|opencrvs|both]
                                create an organisation
  server sizing commcare --users N [--ha]
                                the CommCare HQ hardware tier for N mobile users
  server sizing commcare-model CONFIG.yml [--format text|csv|xlsx] [-o FILE.xlsx]
         [-s|--summary-dates YYYY-MM,...] [-u|--usage FIELD] [--set NAME] [--service NAME]
                                run a commcare_resource_model config (- reads standard input);
                                -o writes the original's workbook ({name}: one per set)
  server sizing opencrvs --population N --birth-rate B --death-rate D --attachments A
         [--years Y] [--records-per-year R] [--scale poc|pilot|national]
                                OpenCRVS servers and disk
  server healthcheck            exit 0 when the running server's /healthz answers
  server version                print the version

Configuration comes from environment variables: server help lists them.`

// run dispatches a subcommand.
func run(ctx context.Context, e *env) error {
	cmd, args := "serve", e.args
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		if len(args) > 0 {
			return usageError{fmt.Sprintf("serve takes no arguments, got %q", args)}
		}
		return serve(ctx, e)
	case "migrate":
		return migrateCmd(ctx, e, args)
	case "user":
		return userCmd(ctx, e, args)
	case "org":
		return orgCmd(ctx, e, args)
	case "sizing":
		return sizingCmd(ctx, e, args)
	case "healthcheck":
		return healthcheck(ctx, e)
	case "version":
		fmt.Fprintln(e.stdout, "groundwork", version())
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(e.stdout, usage)
		fmt.Fprintln(e.stdout, "\nEnvironment:")
		for _, v := range EnvVars {
			fmt.Fprintf(e.stdout, "  %-15s %s (default %s)\n", v.Name, v.Meaning, v.Default)
		}
		return nil
	default:
		return usageError{fmt.Sprintf("unknown command %q", cmd)}
	}
}

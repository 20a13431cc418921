package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"groundwork/store"
)

// migrateUp applies pending migrations.
func migrateUp(dsn string, log *slog.Logger) error {
	m, err := store.NewMigrator(dsn, log)
	if err != nil {
		return err
	}
	return errors.Join(m.Up(), m.Close())
}

// migrateCmd is `server migrate up|down N|version`.
func migrateCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"migrate needs up, down N or version"}
	}
	steps := 0
	switch args[0] {
	case "up", "version":
		if len(args) != 1 {
			return usageError{fmt.Sprintf("migrate %s takes no arguments", args[0])}
		}
	case "down":
		if len(args) != 2 {
			return usageError{"migrate down needs the number of migrations to revert, e.g. migrate down 1"}
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n <= 0 {
			return usageError{fmt.Sprintf("migrate down: %q is not a positive number", args[1])}
		}
		steps = n
	default:
		return usageError{fmt.Sprintf("unknown migrate command %q", args[0])}
	}

	return withDatabase(ctx, e, func(dsn, _ string, log *slog.Logger) error {
		m, err := store.NewMigrator(dsn, log)
		if err != nil {
			return err
		}
		defer m.Close()
		return runMigrate(m, args[0], steps, e)
	})
}

// runMigrate runs one migrate command and prints the schema version.
func runMigrate(m *store.Migrator, cmd string, steps int, e *env) error {
	var err error
	switch cmd {
	case "up":
		err = m.Up()
	case "down":
		err = m.Down(steps)
	}
	if err != nil {
		return err
	}
	v, dirty, err := m.Version()
	if err != nil {
		return err
	}
	if dirty {
		fmt.Fprintf(e.stdout, "schema version %d (dirty: a migration failed half-way; fix the database by hand, then force the version)\n", v)
		return nil
	}
	fmt.Fprintf(e.stdout, "schema version %d\n", v)
	return nil
}

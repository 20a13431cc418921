package store_test

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"groundwork/migrations"
	"groundwork/store"
	"groundwork/store/storetest"
)

// latest is the number of the newest migration file.
func latest(t *testing.T) uint {
	t.Helper()
	ups, err := fs.Glob(migrations.FS, "*.up.sql")
	if err != nil || len(ups) == 0 {
		t.Fatalf("no up migrations: %v", err)
	}
	var n uint
	fmt.Sscanf(ups[len(ups)-1], "%d_", &n)
	return n
}

func TestEveryMigrationHasADownFile(t *testing.T) {
	ups, _ := fs.Glob(migrations.FS, "*.up.sql")
	for i, up := range ups {
		down := strings.TrimSuffix(up, ".up.sql") + ".down.sql"
		if _, err := fs.Stat(migrations.FS, down); err != nil {
			t.Errorf("%s has no %s", up, down)
		}
		if want := fmt.Sprintf("%06d_", i+1); !strings.HasPrefix(up, want) {
			t.Errorf("migration %d is named %s: want a gapless %stitle sequence", i+1, up, want)
		}
	}
}

func tables(t *testing.T, dsn string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// River's tables (river_*) are its migrations', which migrate down leaves.
	rows, _ := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' AND tablename NOT LIKE 'river\_%' ORDER BY 1`)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestMigrationsUpDownUp(t *testing.T) {
	dsn := storetest.DSN(t) // already migrated up, from the template
	m, err := store.NewMigrator(dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	n := latest(t)
	if v, dirty, err := m.Version(); v != n || dirty || err != nil {
		t.Fatalf("Version() = %d, %v, %v; want %d, false, nil", v, dirty, err, n)
	}
	schema := tables(t, dsn)
	if len(schema) == 0 {
		t.Fatal("no tables after migrating up")
	}

	ups, _ := fs.Glob(migrations.FS, "*.up.sql")
	if err := m.Down(len(ups)); err != nil { // steps, one per file
		t.Fatalf("Down(%d): %v", len(ups), err)
	}
	if v, _, _ := m.Version(); v != 0 {
		t.Errorf("after Down(%d) version = %d, want 0", len(ups), v)
	}
	if got := tables(t, dsn); len(got) != 0 {
		t.Errorf("after migrating all the way down, tables remain: %v", got)
	}

	if err := m.Up(); err != nil {
		t.Fatalf("Up again: %v", err)
	}
	if v, _, _ := m.Version(); v != n {
		t.Errorf("after Up again version = %d, want %d", v, n)
	}
	if got := tables(t, dsn); strings.Join(got, ",") != strings.Join(schema, ",") {
		t.Errorf("after down and up again tables = %v, want %v", got, schema)
	}
	if err := m.Up(); err != nil {
		t.Errorf("Up with nothing to do: %v, want nil", err)
	}
	if err := m.Down(0); err == nil {
		t.Error("Down(0) succeeded, want an error")
	}
}

// TestPoolSettingsInTheURL: DATABASE_URL may carry pgx's pool settings
// (the README's pool_max_conns): migrating must not send them to
// PostgreSQL, which refuses unknown parameters, and the pool honours them.
func TestPoolSettingsInTheURL(t *testing.T) {
	dsn := storetest.DSN(t)
	switch {
	case !strings.Contains(dsn, "://"):
		dsn += " pool_max_conns=3"
	case strings.Contains(dsn, "?"):
		dsn += "&pool_max_conns=3"
	default:
		dsn += "?pool_max_conns=3"
	}
	m, err := store.NewMigrator(dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Up(); err != nil {
		t.Fatalf("Up with pool_max_conns in the URL: %v", err)
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := st.PoolStat().MaxConns(); got != 3 {
		t.Errorf("pool of %d connections, want the URL's 3", got)
	}
}

// TestNotificationEmailMigration: migration 19 carries the daily digest
// over to the three-way choice, and back ('none' becomes one e-mail each,
// the boolean's false).
func TestNotificationEmailMigration(t *testing.T) {
	dsn := storetest.DSN(t)
	m, err := store.NewMigrator(dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	choices := func(column string) string {
		t.Helper()
		rows, _ := conn.Query(ctx, `SELECT email || '=' || `+column+`::text FROM users ORDER BY email`)
		list, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatalf("read %s: %v", column, err)
		}
		return strings.Join(list, " ")
	}

	steps := int(latest(t)) - 18 // back to before 19
	if err := m.Down(steps); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO users (email, name, role, daily_digest) VALUES
		('daily@example.org', 'Daily', 'admin', true), ('each@example.org', 'Each', 'admin', false)`); err != nil {
		t.Fatal(err)
	}
	if err := m.Up(); err != nil {
		t.Fatal(err)
	}
	if got, want := choices("notification_email"), "daily@example.org=daily each@example.org=each"; got != want {
		t.Errorf("after migrating up: %s, want %s", got, want)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO users (email, name, role, notification_email) VALUES ('none@example.org', 'None', 'admin', 'none')`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE users SET notification_email = 'hourly' WHERE email = 'each@example.org'`); err == nil {
		t.Error("an unknown choice was stored")
	}
	if err := m.Down(steps); err != nil {
		t.Fatal(err)
	}
	if got, want := choices("daily_digest"), "daily@example.org=true each@example.org=false none@example.org=false"; got != want {
		t.Errorf("after migrating down: %s, want %s", got, want)
	}
}

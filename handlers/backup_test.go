package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
	"groundwork/store"
	"groundwork/store/storetest"
)

// TestBackupRoundTrip proves the README's backup section: a database with
// answers, evidence files, reviews and their decisions, comments and audit
// events is dumped with pg_dump -Fc and restored with pg_restore, with the
// README's commands: for the embedded default (by socket directory and
// user: dropdb, createdb, pg_restore while the server runs, then a
// restart) and for DATABASE_URL (into an empty database, by URL). A portal started on each restored
// database serves every assessment's export.json (exported_at aside) and
// every evidence file and audit trail byte for byte as the original did.
func TestBackupRoundTrip(t *testing.T) {
	bin := storetest.RequirePostgres(t)
	dsn := storetest.DSN(t)
	pool, err := pgxpool.New(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e := handlerstest.NewEnvOn(t, pool)
	fillForBackup(t, e)
	want := everything(t, e.Srv, e.Pool)

	// The commands, as the README gives them.
	cfg, err := pgconn.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn := []string{"-h", cfg.Host, "-p", strconv.Itoa(int(cfg.Port)), "-U", cfg.User}
	pgenv := append(os.Environ(), "PGPASSWORD="+cfg.Password)
	// connEnv is the connection in the environment instead of flags.
	connEnv := []string{"PGHOST=" + cfg.Host, "PGPORT=" + strconv.Itoa(int(cfg.Port)), "PGUSER=" + cfg.User}
	run := func(env []string, stdout io.Writer, program string, args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(bin, program), args...)
		cmd.Env = append(pgenv, env...)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s", program, strings.Join(args, " "), err, stderr.String())
		}
	}
	dumpPath := filepath.Join(t.TempDir(), "groundwork.dump")
	dump, err := os.Create(dumpPath)
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	// pg_dump -Fc -h "$DATA_DIR/postgres" -U postgres groundwork > groundwork.dump
	run(nil, dump, "pg_dump", append(append([]string{"-Fc"}, conn...), cfg.Database)...)
	dump.Close()
	fi, _ := os.Stat(dumpPath)
	t.Logf("pg_dump: %d bytes in %v", fi.Size(), time.Since(began))

	// The embedded default, while the server runs: the database is dropped
	// (its connections cut), made again empty and restored; then the server
	// is restarted (here: a new portal on the same database).
	began = time.Now()
	// export PGHOST="$DATA_DIR/postgres" PGUSER=postgres
	// dropdb --force groundwork && createdb groundwork
	// pg_restore --no-owner -d groundwork groundwork.dump
	run(connEnv, nil, "dropdb", "--force", cfg.Database)
	run(connEnv, nil, "createdb", cfg.Database)
	run(connEnv, nil, "pg_restore", "--no-owner", "-d", cfg.Database, dumpPath)
	t.Logf("dropdb, createdb, pg_restore: %v", time.Since(began))

	// With DATABASE_URL: into an empty database of the operator's.
	byURL := "gw_restore_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	run(nil, nil, "createdb", append(append([]string{}, conn...), byURL)...)
	t.Cleanup(func() {
		cmd := exec.Command(filepath.Join(bin, "dropdb"), append(append([]string{}, conn...), "--force", byURL)...)
		cmd.Env = pgenv
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("dropdb %s: %v\n%s", byURL, err, out)
		}
	})
	u := url.URL{Scheme: "postgres", User: url.UserPassword(cfg.User, cfg.Password), Path: "/" + byURL,
		RawQuery: url.Values{"host": {cfg.Host}, "port": {strconv.Itoa(int(cfg.Port))}, "sslmode": {"disable"}}.Encode()}
	if cfg.Password == "" {
		u.User = url.User(cfg.User)
	}
	// pg_restore --no-owner -d "$DATABASE_URL" groundwork.dump (pg_restore
	// exits non-zero when any statement failed)
	run(nil, nil, "pg_restore", "--no-owner", "-d", u.String(), dumpPath)

	for _, db := range []string{cfg.Database, byURL} {
		restored, err := pgxpool.New(context.Background(), withDB(u, db))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(restored.Close)
		// The portal on the restored database applies no migration: the
		// schema came back whole.
		srv := httptest.NewUnstartedServer(nil)
		base, _ := url.Parse("http://" + srv.Listener.Addr().String())
		srv.Config.Handler = handlers.New(store.New(restored), handlers.Options{BaseURL: base, Version: "test",
			Logger: e.Opts.Logger, SessionSecret: e.Opts.SessionSecret})
		srv.Start()
		t.Cleanup(srv.Close)
		got := everything(t, srv, restored)
		if len(got) != len(want) {
			t.Fatalf("%s: %d documents and files, want %d", db, len(got), len(want))
		}
		for k, w := range want {
			if g, ok := got[k]; !ok || !bytes.Equal(g, w) {
				t.Errorf("%s: %s differs after the restore:\n got %.400s\nwant %.400s", db, k, g, w)
			}
		}
	}
}

func withDB(u url.URL, db string) string {
	u.Path = "/" + db
	return u.String()
}

// fillForBackup makes two assessments in two organisations: one with
// answers and their history, evidence, a review sent back and approved,
// a comment thread with a reply, an edit and a resolved change request;
// the other with an evidence file holding every byte value.
func fillForBackup(t *testing.T, e *handlerstest.Env) {
	t.Helper()
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	p11 := base + "/phases/1.1"
	form := handlerstest.Phase11()
	handlerstest.AddVersions(t, b, p11, form)
	handlerstest.Posted(t, "fill 1.1", b, p11, form)
	if resp, _ := handlerstest.Upload(t, b, p11+"/checkpoints/architecture_diagram_created/evidence", "diagram.png", []byte("\x89PNG\r\n\x1a\n0000")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload = %d", resp.StatusCode)
	}
	handlerstest.ReviewConversation(t, e, b, base)
	b.Post(base+"/phases/1.2", handlerstest.Phase12("2500"))

	other := e.Browser(t)
	other.SignIn("manager@b.example.org")
	resp, body := other.Post("/assessments", url.Values{"template": {"opencrvs-server-hosted@2"}, "name": {"Civil registration"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start in B = %d\n%.500s", resp.StatusCode, body)
	}
	every := []byte("\x89PNG\r\n\x1a\n") // a PNG's signature, then every byte value
	for i := range 256 {
		every = append(every, byte(i))
	}
	evidenceOn(t, other, resp.Header.Get("Location"), every)
}

// evidenceOn uploads data to the first checkpoint of the assessment's
// first phase.
func evidenceOn(t *testing.T, b *handlerstest.Browser, base string, data []byte) {
	t.Helper()
	_, page := b.Get(base)
	m := regexp.MustCompile(`/phases/([^/"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no phase link on %s", base)
	}
	phase := m[1]
	_, page = b.Get(base + "/phases/" + phase)
	c := regexp.MustCompile(`/checkpoints/([a-z0-9_]+)/evidence`).FindStringSubmatch(page)
	if c == nil {
		t.Fatalf("no evidence form on phase %s", phase)
	}
	checkpoint := c[1]
	if resp, body := handlerstest.Upload(t, b, base+"/phases/"+phase+"/checkpoints/"+checkpoint+"/evidence", "every byte.png", data); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload to %s/%s = %d\n%.500s", phase, checkpoint, resp.StatusCode, body)
	}
}

// everything signs in as the admin and returns every assessment's
// export.json (its exported_at and the server's address blanked), every
// evidence file it lists and its audit trail, and the whole audit log, by
// path.
func everything(t *testing.T, srv *httptest.Server, pool *pgxpool.Pool) map[string][]byte {
	t.Helper()
	b := (&handlerstest.Env{Srv: srv}).Browser(t)
	b.SignIn("admin@example.org")
	rows, err := pool.Query(context.Background(), `SELECT id FROM assessments ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	if rows.Err() != nil || len(ids) < 2 {
		t.Fatalf("assessments %v, %v", ids, rows.Err())
	}
	out := map[string][]byte{}
	exportedAt := regexp.MustCompile(`"exported_at": "[^"]*"`)
	for _, id := range ids {
		path := "/assessments/" + handlerstest.Itoa(id)
		resp, body := b.Get(path + "/export.json")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s/export.json = %d", path, resp.StatusCode)
		}
		for _, csv := range []string{"/audit.csv"} {
			resp, body := b.Get(path + csv)
			if resp.StatusCode != http.StatusOK || strings.Count(body, "\n") < 3 {
				t.Fatalf("%s%s = %d\n%s", path, csv, resp.StatusCode, body)
			}
			out[path+csv] = []byte(body)
		}
		doc := exportedAt.ReplaceAllString(strings.ReplaceAll(body, srv.URL, "BASE"), `"exported_at": ""`)
		out[path+"/export.json"] = []byte(doc)
		var files []string
		collectEvidence(json.RawMessage(body), &files)
		for _, f := range files {
			u, err := url.Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			resp, data := b.Get(u.Path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s = %d", u.Path, resp.StatusCode)
			}
			out[u.Path] = []byte(data)
		}
	}
	resp, body := b.Get("/admin/audit.csv")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/admin/audit.csv = %d", resp.StatusCode)
	}
	out["/admin/audit.csv"] = []byte(body)
	n := 0
	for k := range out {
		if strings.Contains(k, "/evidence/") {
			n++
		}
	}
	if n < 2 {
		t.Fatalf("only %d evidence files found in the exports", n)
	}
	return out
}

// collectEvidence finds the download links of evidence in an export: the
// "url" of every object that also has a "sha256" and a "file".
func collectEvidence(raw json.RawMessage, into *[]string) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		if _, ok := obj["file"]; ok {
			var u string
			if json.Unmarshal(obj["url"], &u) == nil && u != "" {
				*into = append(*into, u)
			}
		}
		for _, v := range obj {
			collectEvidence(v, into)
		}
		return
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) == nil {
		for _, v := range arr {
			collectEvidence(v, into)
		}
	}
}

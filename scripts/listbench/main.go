// Command listbench measures the lists an advisor or an admin opens (the
// dashboard, /assessments, the review queue and the portfolio) with many
// assessments in the database, as issue 14 asks: 500 organisations and
// 50,000 assessments, and the same with 1,000 assessments, each page asked
// for by an advisor of 20 organisations and by an admin; and the manager's
// lists of one more, small organisation with a single assessment.
//
//	go run ./scripts/listbench [-sizes 1000,50000] [-orgs 500] [-runs 3] [-requests 60] [-explain]
//
// Each size gets a fresh private PostgreSQL database, seeded with bulk SQL
// (generate_series). The portal serves in this process and each request is
// timed from the moment it enters the handler to the end of its rendering
// (server-side: middleware, session, queries, templates), one at a time.
// With -explain, each page is asked for once more on connections with
// auto_explain turned on, and the plan of every list query it ran is
// printed as EXPLAIN (ANALYZE, BUFFERS) shows it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/assessment"
	"groundwork/handlers"
	"groundwork/store"
	"groundwork/store/pgembed"
)

// page is one list page and what marks one of its rows in the HTML.
type page struct {
	name, path, row string
}

var pages = []page{
	{"dashboard", "/", `class="card assessment-card"`},
	{"/assessments", "/assessments", `class="card assessment-card"`},
	{"/review", "/review", `class="queue-row"`},
	{"/portfolio", "/portfolio", `class="portfolio-row"`},
	{"  by name", "/portfolio?sort=name", `class="portfolio-row"`},
	{"  by org.", "/portfolio?sort=organisation", `class="portfolio-row"`},
	{"  least ready", "/portfolio?sort=readiness", `class="portfolio-row"`},
	{"  most ready", "/portfolio?sort=readiness&dir=desc", `class="portfolio-row"`},
	{"  page 20", "/portfolio?page=20", `class="portfolio-row"`},
}

const password = "list bench password"

func main() {
	sizes := flag.String("sizes", "1000,50000", "numbers of assessments, one database each")
	orgs := flag.Int("orgs", 500, "organisations the assessments are spread over")
	advisorOrgs := flag.Int("advisor-orgs", 20, "organisations assigned to the advisor")
	runs := flag.Int("runs", 3, "timed runs of each page")
	requests := flag.Int("requests", 60, "requests per run")
	explain := flag.Bool("explain", true, "print the plans of each page's queries")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	pg, stop, err := pgembed.StartTemp(ctx, "groundwork-listbench-", true)
	check(err)
	defer stop()

	var results []result
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		check(err)
		db := fmt.Sprintf("bench%d", n)
		admin, err := pgx.Connect(ctx, pg.DSN())
		check(err)
		_, err = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+db)
		check(err)
		_, err = admin.Exec(ctx, "CREATE DATABASE "+db)
		check(err)
		admin.Close(ctx)
		dsn := pg.DSNFor(db)

		m, err := store.NewMigrator(dsn, nil)
		check(err)
		check(m.Up())
		m.Close()
		st, err := store.Open(ctx, dsn)
		check(err)
		began := time.Now()
		seed(ctx, st, dsn, n, *orgs, *advisorOrgs)
		log.Printf("seeded %d assessments over %d organisations in %v", n, *orgs, time.Since(began).Round(time.Millisecond))

		h := handlers.New(st, handlers.Options{BaseURL: &url.URL{Scheme: "http", Host: "bench"}, Logger: slog.New(slog.DiscardHandler),
			SessionSecret: []byte(strings.Repeat("l", 40))})
		for _, who := range []string{"advisor", "admin", "manager"} {
			cookies := signIn(h, who+"@example.org")
			for _, p := range pages {
				rows, ok := rowsShown(h, cookies, p)
				if !ok {
					log.Printf("%s as %s: not served by this build, skipped", p.name, who)
					continue
				}
				for range 10 { // warm PostgreSQL's buffers and the statement caches
					timed(h, cookies, p.path)
				}
				r := result{size: n, who: who, page: p.name, rows: rows}
				before := cpuNow(pg.PID())
				for range *runs {
					var ds []time.Duration
					for range *requests {
						ds = append(ds, timed(h, cookies, p.path))
					}
					r.runs = append(r.runs, ds)
				}
				after := cpuNow(pg.PID())
				r.cpuGo = (after.self - before.self) / time.Duration(*runs**requests)
				r.cpuPG = (after.postgres - before.postgres) / time.Duration(*runs**requests)
				results = append(results, r)
				fmt.Println(r)
			}
		}
		st.Close()

		if *explain {
			explainPages(ctx, dsn, n)
		}
	}
	summary(results)
}

// result is the timings of one page for one user at one size.
type result struct {
	size         int
	who, page    string
	rows         int
	runs         [][]time.Duration
	cpuGo, cpuPG time.Duration // processor time per request: this process (the server), PostgreSQL
}

func (r result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%6d assessments  %-8s %-13s %3d rows shown ", r.size, r.who, r.page, r.rows)
	for i, ds := range r.runs {
		fmt.Fprintf(&b, " run %d: p50 %6.2f ms p95 %6.2f ms;", i+1, ms(pct(ds, 50)), ms(pct(ds, 95)))
	}
	all := slices.Concat(r.runs...)
	fmt.Fprintf(&b, " all: p50 %6.2f p95 %6.2f; CPU per request: Go %.2f ms, PostgreSQL %.2f ms", ms(pct(all, 50)), ms(pct(all, 95)), ms(r.cpuGo), ms(r.cpuPG))
	return b.String()
}

func (r result) p(q int) time.Duration { return pct(slices.Concat(r.runs...), q) }

// summary prints each page's p50 and p95 at every size, and the ratio of
// the largest size's to the smallest's.
func summary(results []result) {
	fmt.Printf("\n%-8s %-13s %s\n", "who", "page", "size: rows shown, p50 / p95 (ms), CPU per request Go + PostgreSQL (ms); ratios largest/smallest of p50 and of CPU")
	type key struct{ who, page string }
	var keys []key
	by := map[key][]result{}
	for _, r := range results {
		k := key{r.who, r.page}
		if by[k] == nil {
			keys = append(keys, k)
		}
		by[k] = append(by[k], r)
	}
	for _, k := range keys {
		rs := by[k]
		fmt.Printf("%-8s %-13s", k.who, k.page)
		for _, r := range rs {
			fmt.Printf("  %d: %d rows, %.2f / %.2f, CPU %.2f + %.2f", r.size, r.rows, ms(r.p(50)), ms(r.p(95)), ms(r.cpuGo), ms(r.cpuPG))
		}
		if len(rs) > 1 {
			first, last := rs[0], rs[len(rs)-1]
			fmt.Printf("  ratios p50 %.2f, CPU %.2f", float64(last.p(50))/float64(first.p(50)),
				float64(last.cpuGo+last.cpuPG)/float64(first.cpuGo+first.cpuPG))
		}
		fmt.Println()
	}
}

func pct(ds []time.Duration, q int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (len(s)*q + 99) / 100
	return s[max(i-1, 0)]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// timed serves one GET and returns how long the handler took.
func timed(h http.Handler, cookies []*http.Cookie, path string) time.Duration {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	began := time.Now()
	h.ServeHTTP(rec, req)
	d := time.Since(began)
	if rec.Code != http.StatusOK {
		log.Fatalf("GET %s: %d", path, rec.Code)
	}
	return d
}

// rowsShown serves the page once and counts its rows; false when this
// build has no such page.
func rowsShown(h http.Handler, cookies []*http.Cookie, p page) (int, bool) {
	req := httptest.NewRequest(http.MethodGet, p.path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code == http.StatusNotFound {
		return 0, false
	}
	if rec.Code != http.StatusOK {
		log.Fatalf("GET %s: %d", p.path, rec.Code)
	}
	return strings.Count(rec.Body.String(), p.row), true
}

func signIn(h http.Handler, email string) []*http.Cookie {
	form := url.Values{"email": {email}, "password": {password}}
	req := httptest.NewRequest(http.MethodPost, "/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusSeeOther {
		log.Fatalf("sign in as %s: %d", email, rec.Code)
	}
	return rec.Result().Cookies()
}

// explainPages asks for every page once more through a pool whose
// connections run auto_explain, and prints the plans of the queries it
// ran, but the session look-up every page makes.
func explainPages(ctx context.Context, dsn string, n int) {
	cfg, err := pgxpool.ParseConfig(dsn)
	check(err)
	var mu sync.Mutex
	var plans []string
	cfg.ConnConfig.RuntimeParams["session_preload_libraries"] = "auto_explain"
	cfg.ConnConfig.RuntimeParams["auto_explain.log_min_duration"] = "0"
	cfg.ConnConfig.RuntimeParams["auto_explain.log_analyze"] = "on"
	cfg.ConnConfig.RuntimeParams["auto_explain.log_buffers"] = "on"
	cfg.ConnConfig.RuntimeParams["auto_explain.log_timing"] = "on"
	cfg.ConnConfig.RuntimeParams["auto_explain.log_level"] = "notice"
	cfg.ConnConfig.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		mu.Lock()
		plans = append(plans, n.Message)
		mu.Unlock()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	check(err)
	defer pool.Close()
	st := store.New(pool)
	h := handlers.New(st, handlers.Options{BaseURL: &url.URL{Scheme: "http", Host: "bench"}, Logger: slog.New(slog.DiscardHandler),
		SessionSecret: []byte(strings.Repeat("l", 40))})
	for _, who := range []string{"advisor", "admin", "manager"} {
		cookies := signIn(h, who+"@example.org")
		for _, p := range pages {
			if _, ok := rowsShown(h, cookies, p); !ok {
				continue
			}
			for range 6 { // past the plan cache's first custom plans
				timed(h, cookies, p.path)
			}
			mu.Lock()
			plans = plans[:0]
			mu.Unlock()
			timed(h, cookies, p.path)
			mu.Lock()
			fmt.Printf("\n===== EXPLAIN (ANALYZE, BUFFERS): %s as %s, %d assessments =====\n", p.name, who, n)
			for _, plan := range plans {
				if strings.Contains(plan, "FROM sessions") {
					continue // the session look-up every page makes
				}
				fmt.Println(plan)
				fmt.Println("-----")
			}
			mu.Unlock()
		}
	}
}

// seed fills a fresh database: orgs organisations (commcare and opencrvs
// in turn), a program manager each, an admin, an advisor assigned to
// advisorOrgs of them spread over the range, and n assessments spread over
// the organisations, each with phase 1.1 complete and some answers of 1.2;
// 1.1 is approved on a quarter of them, waits for review on one in twenty
// (half of those sent back once before), and has changes requested on one
// in fifty. Every answer and review has its history entry.
func seed(ctx context.Context, st *store.Store, dsn string, n, orgs, advisorOrgs int) {
	conn, err := pgx.Connect(ctx, dsn)
	check(err)
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			log.Fatalf("%v\n%s", err, sql)
		}
	}
	exec(`INSERT INTO organisations (slug, name, platform)
		SELECT 'org-' || i, 'Ministry ' || i, CASE WHEN i % 2 = 1 THEN 'commcare' ELSE 'opencrvs' END
		FROM generate_series(1, $1) i`, orgs)
	for _, u := range []store.NewUser{
		{Email: "admin@example.org", Name: "Admin", Role: store.RoleAdmin, Password: password},
		{Email: "advisor@example.org", Name: "Advisor", Role: store.RoleAdvisor, Password: password},
	} {
		_, err := st.CreateUser(ctx, u)
		check(err)
	}
	exec(`INSERT INTO users (email, name, role, organisation_id)
		SELECT 'manager-' || o.id || '@example.org', 'Manager ' || o.id, 'manager', o.id FROM organisations o`)
	// One more organisation with a single assessment, and its manager: a
	// small organisation's lists must not cost what the big ones hold.
	org, err := st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "small", Name: "Small ministry", Platform: "commcare"})
	check(err)
	_, err = st.CreateUser(ctx, store.NewUser{Email: "manager@example.org", Name: "Manager", Role: store.RoleManager, OrganisationID: org.ID, Password: password})
	check(err)
	exec(`INSERT INTO advisor_assignments (user_id, organisation_id)
		SELECT (SELECT id FROM users WHERE email = 'advisor@example.org'), o.id
		FROM organisations o WHERE o.id % ($1::int / $2::int) = 0 ORDER BY o.id LIMIT $2`, orgs, advisorOrgs)
	// Assessment i belongs to organisation (i mod orgs) + 1; the last
	// activity is spread over a year.
	exec(`INSERT INTO assessments (organisation_id, template_id, template_version, name, sign_off, created_by, updated_by, created_at, updated_at)
		SELECT o.id, CASE o.platform WHEN 'commcare' THEN 'commcare-transition' ELSE 'opencrvs-server-hosted' END,
		       CASE o.platform WHEN 'commcare' THEN 1 ELSE 2 END,
		       'Move ' || i, i % 3 = 0, m.id, m.id,
		       now() - interval '400 days', now() - ((i * 7919) % 525600) * interval '1 minute'
		FROM generate_series(1, $1) i
		JOIN organisations o ON o.slug = 'org-' || ((i % $2) + 1)
		JOIN users m ON m.organisation_id = o.id`, n, orgs)
	exec(`INSERT INTO assessments (organisation_id, template_id, template_version, name, created_by, updated_by, created_at, updated_at)
		SELECT o.id, 'commcare-transition', 1, 'Move ' || ($1::int + 1), m.id, m.id, now() - interval '400 days', now() - interval '300 days'
		FROM organisations o JOIN users m ON m.organisation_id = o.id WHERE o.slug = 'small'`, n)

	type item struct{ tpl, key, value string }
	answers := []item{
		{"commcare-transition", "architecture_diagram_url", "https://example.org/arch.pdf"},
		{"commcare-transition", "environments", `["testing","production"]`},
		{"commcare-transition", "mobile_apps", `[{"name":"CHW app","version":"12","users":1200}]`},
		{"commcare-transition", "collecting_data", "no"},
		{"commcare-transition", "growth_projections", "Double in two years."},
		{"commcare-transition", "expected_users", "2500"},
		{"commcare-transition", "existing_form_submissions", "250000"},
		{"commcare-transition", "forms_per_user_month", "30"},
		{"commcare-transition", "new_cases_per_user_month", "8"},
		{"commcare-transition", "updated_cases_per_user_month", "20"},
		{"opencrvs-server-hosted", "datacenter_name", "National data centre"},
		{"opencrvs-server-hosted", "datacenter_tier", "tier_3"},
		{"opencrvs-server-hosted", "internet_mbps", "100"},
		{"opencrvs-server-hosted", "ups_minutes", "30"},
		{"opencrvs-server-hosted", "safe_shutdown_minutes", "5"},
		{"opencrvs-server-hosted", "project_stage", "pilot"},
	}
	checkpoints := []item{
		{"commcare-transition", "architecture_diagram_created", ""},
		{"commcare-transition", "mobile_app_inventory_documented", ""},
	}
	for _, k := range []string{"tier_2_or_3_datacenter", "uninterrupted_power", "air_conditioning", "security_access", "offsite_backup",
		"failsafe_internet", "security_policies", "vpn_network_staff", "minimum_10_mbps"} {
		checkpoints = append(checkpoints, item{"opencrvs-server-hosted", k, ""})
	}
	cols := func(items []item) (tpls, keys, values []string) {
		for _, it := range items {
			tpls, keys, values = append(tpls, it.tpl), append(keys, it.key), append(values, it.value)
		}
		return
	}
	tpls, keys, values := cols(answers)
	exec(`INSERT INTO answers (assessment_id, question_key, value, version, updated_by, updated_at)
		SELECT a.id, v.key, v.value, 1, a.updated_by, a.updated_at - interval '1 day'
		FROM assessments a JOIN unnest($1::text[], $2::text[], $3::text[]) v(tpl, key, value) ON v.tpl = a.template_id`, tpls, keys, values)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT assessment_id, 'answer', question_key, 1, NULL, value, updated_by, updated_at FROM answers`)
	tpls, keys, _ = cols(checkpoints)
	exec(`INSERT INTO confirmations (assessment_id, checkpoint_key, confirmed, version, updated_by, updated_at)
		SELECT a.id, v.key, true, 1, a.updated_by, a.updated_at - interval '1 day'
		FROM assessments a JOIN unnest($1::text[], $2::text[]) v(tpl, key) ON v.tpl = a.template_id`, tpls, keys)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT assessment_id, 'checkpoint', checkpoint_key, 1, NULL, 'confirmed', updated_by, updated_at FROM confirmations`)
	// Phase 1.1's review, by a hash j of the assessment's number (in its
	// name), so that every organisation has its share.
	exec(`INSERT INTO phase_reviews (assessment_id, phase_key, state, comment, updated_by, updated_at)
		SELECT a.id, '1.1', s.state, CASE s.state WHEN 'changes_requested' THEN 'Say which data centre.' ELSE '' END, a.updated_by, a.updated_at
		FROM assessments a, LATERAL (SELECT hashint4(substr(a.name, 6)::int)::bigint + 2147483648 AS j) n,
		LATERAL (SELECT CASE WHEN n.j % 20 = 0 THEN 'submitted' WHEN n.j % 50 = 3 THEN 'changes_requested'
		                     WHEN n.j % 4 = 1 THEN 'approved' END AS state) s
		WHERE s.state IS NOT NULL`)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT pr.assessment_id, 'phase', '1.1', 0, 'not submitted', 'changes requested: Say which data centre.', pr.updated_by, pr.updated_at - interval '2 days'
		FROM phase_reviews pr JOIN assessments a ON a.id = pr.assessment_id
		WHERE pr.state = 'changes_requested' OR (pr.state = 'submitted' AND (hashint4(substr(a.name, 6)::int)::bigint + 2147483648) % 40 = 0)`)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT pr.assessment_id, 'phase', '1.1', 0, 'not submitted', 'submitted', pr.updated_by,
		       pr.updated_at - CASE pr.state WHEN 'approved' THEN interval '1 hour' ELSE interval '0' END
		FROM phase_reviews pr WHERE pr.state IN ('submitted', 'approved')`)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT pr.assessment_id, 'phase', '1.1', 0, 'submitted', 'approved', pr.updated_by, pr.updated_at
		FROM phase_reviews pr WHERE pr.state = 'approved'`)
	cat, err := assessment.Embedded()
	check(err)
	filled, err := st.FillReadiness(ctx, cat)
	check(err)
	log.Printf("computed the readiness of %d assessments", filled)
	exec(`VACUUM ANALYZE`)
	var a, h int
	check(conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM answers), (SELECT count(*) FROM history)`).Scan(&a, &h))
	log.Printf("%d answers, %d history entries", a, h)
}

// cpu is processor time used so far by this process (which serves the
// pages) and by the PostgreSQL server postmaster with its backends.
type cpu struct{ self, postgres time.Duration }

func cpuNow(postmaster int) cpu {
	var c cpu
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	c.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
		if pid != postmaster && ppid != postmaster {
			continue
		}
		ticks := int64(0)
		fields := f[11:13]
		if pid == postmaster {
			fields = f[11:15] // with the backends that have ended
		}
		for _, v := range fields {
			t, _ := strconv.ParseInt(v, 10, 64)
			ticks += t
		}
		c.postgres += time.Duration(ticks) * 10 * time.Millisecond // USER_HZ is 100 on Linux
	}
	return c
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

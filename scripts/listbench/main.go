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
	"time"

	"github.com/jackc/pgx/v5"

	"groundwork/handlers"
	"groundwork/scripts/internal/benchdb"
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
		benchdb.Seed(ctx, st, dsn, n, *orgs, *advisorOrgs)
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
				before := benchdb.CPUNow(os.Getpid(), pg.PID())
				for range *runs {
					var ds []time.Duration
					for range *requests {
						ds = append(ds, timed(h, cookies, p.path))
					}
					r.runs = append(r.runs, ds)
				}
				used := benchdb.CPUNow(os.Getpid(), pg.PID()).Sub(before).Per(*runs * *requests)
				r.cpuGo, r.cpuPG = used.Server, used.Postgres
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
	form := url.Values{"email": {email}, "password": {benchdb.Password}}
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
	plans, err := benchdb.OpenPlans(ctx, dsn)
	check(err)
	defer plans.Close()
	h := handlers.New(plans.Store, handlers.Options{BaseURL: &url.URL{Scheme: "http", Host: "bench"}, Logger: slog.New(slog.DiscardHandler),
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
			plans.Reset()
			timed(h, cookies, p.path)
			fmt.Printf("\n===== EXPLAIN (ANALYZE, BUFFERS): %s as %s, %d assessments =====\n", p.name, who, n)
			for _, plan := range plans.Take() {
				fmt.Println(plan)
				fmt.Println("-----")
			}
		}
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// Command loadtest drives a mixed workload of signed-in people against the
// real server binary, with 500 organisations and 50,000 assessments in the
// database, and prints throughput, p50/p95/p99 and errors per request
// type, the server's memory, the database connections it held, and the
// processor time each request cost in the server, in PostgreSQL (only the
// processes of the database it started) and in this load generator.
//
//	go run ./scripts/loadtest [-assessments 50000] [-orgs 500] [-clients 32] [-duration 30s] [-solo 4s] [-pdf-every 30s] [-think 0] [-conns 0] [-explain]
//
// Each client is a person signed in on a keep-alive connection of its own,
// sending the next request when the last one is answered (-think adds a
// random pause of that mean between requests, for capacity runs; -conns
// has them share a pool of that many idle connections, as people behind a
// reverse proxy do). One
// client in eight is an advisor; the others are program managers, each of
// an organisation of their own. The mix each of them draws from:
//
//	program manager: 35 % phase view (1.1 or 1.2 of one of their
//	                 organisation's assessments), 30 % autosave (one answer
//	                 of phase 1.2, as the page's htmx sends it; the sizing
//	                 recommendation is computed again), 15 % overview,
//	                 10 % dashboard, 10 % report (HTML)
//	advisor:         40 % review queue, 20 % portfolio (every sort, pages
//	                 1 to 3), 25 % phase view (the review of phase 1.1),
//	                 15 % overview, over the 20 organisations assigned
//	a reader:        one report PDF every -pdf-every, one at a time
//
// The mixed run's first -warmup (2 s) is not counted: its clients start
// together, on new connections, and with -solo 0 on a server just started.
// Before the mixed run, each request type runs alone from -clients
// connections for -solo, and so does /calibration (one trivial query, a
// small page, served by the same binary): each type's throughput is given
// as a ratio to the calibration's, measured minutes apart on the same
// machine, and "phase view, admin walking all" asks for every assessment's
// phase page once in turn, the honest figure for a page just after a
// change (the server keeps no copies; PostgreSQL's buffers hold less).
//
// It starts a private PostgreSQL (fsync on, on disk) unless DATABASE_URL
// is set (an empty database, or one this tool seeded before), seeds it
// with bulk SQL (scripts/internal/benchdb, as listbench does), builds and
// starts the server binary as a separate process (Chromium found on PATH
// prints the PDFs) and drives it over HTTP from this process, on the same
// machine (with -cpuprofile the server runs in this process and is
// profiled). With -explain it then prints the EXPLAIN (ANALYZE, BUFFERS)
// plan of every query each request type runs.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"groundwork/handlers"
	"groundwork/scripts/internal/benchdb"
	"groundwork/store"
	"groundwork/store/pgembed"
)

// kind is a type of request.
type kind int

const (
	phaseView kind = iota
	autosave
	overview
	dashboard
	report
	queue
	portfolio
	pdf
	calibration
	walk // solo only: an admin asking for every assessment's phase page in turn
	nKinds
)

var kindNames = [nKinds]string{"phase view", "autosave", "overview", "dashboard", "report (HTML)", "review queue", "portfolio", "report PDF",
	"calibration", "phase view, admin walking all"}

// share is a kind's part of a person's requests, in per cent.
type share struct {
	kind kind
	pct  int
}

// The mix (see the package comment).
var (
	managerMix   = []share{{phaseView, 35}, {autosave, 30}, {overview, 15}, {dashboard, 10}, {report, 10}}
	advisorMix   = []share{{queue, 40}, {portfolio, 20}, {phaseView, 25}, {overview, 15}}
	advisorEvery = 8 // one client in eight is an advisor
	advisors     = 4 // advisors seeded, each with 20 organisations
)

func main() {
	n := flag.Int("assessments", 50000, "assessments in the database")
	orgs := flag.Int("orgs", 500, "organisations they are spread over")
	clients := flag.Int("clients", 32, "concurrent clients (people), each on a connection of its own")
	duration := flag.Duration("duration", 30*time.Second, "length of the mixed run")
	warmup := flag.Duration("warmup", 2*time.Second, "the mixed run's first moments, not counted: the same clients, just before it")
	solo := flag.Duration("solo", 4*time.Second, "length of each request type's run alone (0: none)")
	pdfEvery := flag.Duration("pdf-every", 30*time.Second, "one report PDF this often during the mixed run (0: none)")
	think := flag.Duration("think", 0, "mean pause of each client between requests in the mixed run (exponential)")
	shared := flag.Int("conns", 0, "idle connections the clients of the mixed run share, as a reverse proxy's upstream keep-alive pool (0: one each)")
	explain := flag.Bool("explain", false, "print the plans of each request type's queries")
	cpuprofile := flag.String("cpuprofile", "", "serve in this process and write a CPU profile of the mixed run (server and load generator) to this file")
	flag.Parse()
	log.SetFlags(0)
	// The load generator shares the machine: keep its own garbage
	// collection light.
	debug.SetGCPercent(400)
	ctx := context.Background()

	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		pg, stop, err := pgembed.StartTemp(ctx, "groundwork-load-", false)
		check(err)
		defer stop()
		dsn = pg.DSN()
		log.Printf("private PostgreSQL in %s (fsync on)", pg.Dir())
	}
	m, err := store.NewMigrator(dsn, nil)
	check(err)
	check(m.Up())
	m.Close()
	db, err := benchdb.Connect(ctx, dsn, "loadtest") // not counted among the server's connections
	check(err)
	defer db.Close(ctx)
	var existing int
	check(db.QueryRow(ctx, `SELECT count(*) FROM assessments`).Scan(&existing))
	if existing == 0 {
		st, err := store.Open(ctx, dsn)
		check(err)
		began := time.Now()
		benchdb.Seed(ctx, st, dsn, *n, *orgs, 20)
		st.Close()
		seedAdvisors(ctx, db, *orgs)
		_, err = db.Exec(ctx, `VACUUM ANALYZE users, advisor_assignments`) // as the seed leaves the rest
		check(err)
		log.Printf("seeded %d assessments over %d organisations in %v", *n, *orgs, time.Since(began).Round(time.Second))
		check(db.QueryRow(ctx, `SELECT count(*) FROM assessments`).Scan(&existing))
	} else {
		log.Printf("using the %d assessments already in the database", existing)
	}
	postmaster := benchdb.Postmaster(ctx, db)
	if postmaster == 0 {
		log.Printf("PostgreSQL's processes are not on this machine or not readable: its processor time is not counted")
	}
	w := loadWork(ctx, db, *clients)

	var base string
	var stop func()
	if *cpuprofile != "" {
		base, stop = startInProcess(ctx, dsn)
	} else {
		base, stop = startServer(dsn)
	}
	defer stop()
	mgrs := signInAll(base, w.managerEmails)
	advs := signInAll(base, w.advisorEmails)
	admin := signInAll(base, []string{"admin@example.org"})[0]
	reader := signInAll(base, w.managerEmails[:1])[0]

	fmt.Printf("\nGroundwork mixed load test: %d assessments in %d organisations, %d clients, %d CPUs, load generator on the same machine\n",
		existing, *orgs, *clients, runtime.NumCPU())
	fmt.Printf("load average before: %s\n\n", loadAverage())

	// managers returns n program managers; when there are more clients
	// than managers, those who share one share out their organisation's
	// assessments, so that no two autosave the same answer.
	managers := func(n int) []*person {
		ps := make([]*person, n)
		parts := (n + len(mgrs) - 1) / len(mgrs)
		for i := range ps {
			ps[i] = newPerson(base, mgrs[i%len(mgrs)], w, i%len(mgrs), false)
			var mine []int64
			for j, id := range ps[i].ids {
				if j%parts == i/len(mgrs) {
					mine = append(mine, id)
				}
			}
			if len(mine) == 0 {
				log.Fatalf("%d clients are too many for the managers' %d assessments", n, len(ps[i].ids))
			}
			ps[i].ids = mine
		}
		return ps
	}
	people := func(k kind) []*person {
		if k != queue && k != portfolio {
			return managers(*clients)
		}
		ps := make([]*person, *clients)
		for i := range ps {
			ps[i] = newPerson(base, advs[i%len(advs)], w, i%len(advs), true)
		}
		return ps
	}
	// Every type once per account, so first-use costs stay out of the runs.
	for _, p := range append(people(phaseView)[:min(*clients, len(mgrs))], people(queue)[:min(*clients, len(advs))]...) {
		for _, k := range []kind{phaseView, autosave, overview, dashboard, report, queue, portfolio} {
			if p.advisor == (k == queue || k == portfolio) {
				_, _, err := p.do(k)
				check(err)
			}
		}
	}
	pdfOK := probePDF(base, reader, w)

	var soloRuns []run
	if *solo > 0 {
		for _, k := range []kind{calibration, phaseView, autosave, overview, dashboard, report, queue, portfolio} {
			soloRuns = append(soloRuns, drive(people(k), kindNames[k], 0, *solo, 0, 0, func(*person) kind { return k }, postmaster, db))
		}
		adminWalk := make([]*person, *clients)
		var next int64
		var mu sync.Mutex
		for i := range adminWalk {
			adminWalk[i] = newPerson(base, admin, w, 0, false)
			adminWalk[i].walk = func() int64 {
				mu.Lock()
				defer mu.Unlock()
				next++
				return w.all[int(next)%len(w.all)]
			}
		}
		soloRuns = append(soloRuns, drive(adminWalk, kindNames[walk], 0, *solo, 0, 0, func(*person) kind { return walk }, postmaster, db))
		soloRuns = append(soloRuns, drive(people(calibration), kindNames[calibration]+" (again)", 0, *solo, 0, 0, func(*person) kind { return calibration }, postmaster, db))
		printSolo(soloRuns, *clients)
	}

	mixed := managers(*clients - *clients/advisorEvery)
	for i := range *clients / advisorEvery {
		mixed = append(mixed, newPerson(base, advs[i%len(advs)], w, i%len(advs), true))
	}
	var pool chan *conn
	if *shared > 0 {
		u, err := url.Parse(base)
		check(err)
		pool = make(chan *conn, *shared)
		for range *shared {
			pool <- &conn{addr: u.Host}
		}
	}
	for i, p := range mixed {
		p.rng = rand.New(rand.NewPCG(uint64(i), 42))
		p.pool = pool
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		check(err)
		check(pprof.StartCPUProfile(f))
	}
	every := *pdfEvery
	if !pdfOK {
		every = 0
	}
	r := drive(mixed, "mixed", *warmup, *duration, *think, every, func(p *person) kind {
		mix := managerMix
		if p.advisor {
			mix = advisorMix
		}
		x := p.rng.IntN(100)
		for _, s := range mix {
			if x < s.pct {
				return s.kind
			}
			x -= s.pct
		}
		return mix[0].kind
	}, postmaster, db, newPerson(base, reader, w, 0, false))
	if *cpuprofile != "" {
		pprof.StopCPUProfile()
	}
	for range cap(pool) {
		(<-pool).close()
	}
	printMixed(r, *clients, *think, *shared)
	fmt.Printf("\nserver memory: %s; the browser that prints PDFs: %s\n", memory(serverPID), childMemory(serverPID))
	fmt.Printf("load average after: %s\n", loadAverage())

	if *explain {
		explainKinds(ctx, dsn, w)
	}
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// seedAdvisors adds advisors 2 to 4 beside the seed's advisor@example.org,
// each assigned to 20 other organisations.
func seedAdvisors(ctx context.Context, conn *pgx.Conn, orgs int) {
	_, err := conn.Exec(ctx, `INSERT INTO users (email, name, role, password_hash)
		SELECT 'advisor-' || i || '@example.org', 'Advisor ' || i, 'advisor', (SELECT password_hash FROM users WHERE email = 'advisor@example.org')
		FROM generate_series(2, $1) i`, advisors)
	check(err)
	_, err = conn.Exec(ctx, `INSERT INTO advisor_assignments (user_id, organisation_id)
		SELECT u.id, o.id FROM generate_series(2, $2) i
		JOIN users u ON u.email = 'advisor-' || i || '@example.org'
		JOIN organisations o ON o.slug LIKE 'org-%' AND (o.id + i - 1) % greatest($1::int / 20, 1) = 0`, orgs, advisors)
	check(err)
}

// work is what the people of the test work on.
type work struct {
	managerEmails []string
	managerOf     [][]int64 // per manager: their organisation's assessments whose phase 1.2 is open
	advisorEmails []string
	advisorOf     [][]int64 // per advisor: assessments of their organisations
	all           []int64   // every assessment, in a shuffled order
}

func loadWork(ctx context.Context, conn *pgx.Conn, clients int) work {
	var w work
	// CommCare organisations' assessments without sign-off: phase 1.1 is
	// complete, so 1.2 is open to their managers unless an advisor sent
	// 1.1 back.
	rows, err := conn.Query(ctx, `SELECT u.email, array_agg(a.id ORDER BY a.id)
		FROM organisations o JOIN users u ON u.organisation_id = o.id AND u.role = 'manager'
		JOIN assessments a ON a.organisation_id = o.id AND NOT a.sign_off AND a.template_id = 'commcare-transition'
		WHERE o.slug LIKE 'org-%' AND NOT EXISTS (SELECT 1 FROM phase_reviews pr
			WHERE pr.assessment_id = a.id AND pr.state = 'changes_requested') -- 1.1 sent back: 1.2 waits
		GROUP BY o.id, u.email ORDER BY o.id LIMIT $1`, clients)
	check(err)
	for rows.Next() {
		var email string
		var ids []int64
		check(rows.Scan(&email, &ids))
		w.managerEmails, w.managerOf = append(w.managerEmails, email), append(w.managerOf, ids)
	}
	check(rows.Err())
	rows, err = conn.Query(ctx, `SELECT u.email, array_agg(a.id ORDER BY a.id)
		FROM users u JOIN advisor_assignments aa ON aa.user_id = u.id JOIN assessments a ON a.organisation_id = aa.organisation_id
		WHERE u.role = 'advisor' GROUP BY u.email ORDER BY u.email`)
	check(err)
	for rows.Next() {
		var email string
		var ids []int64
		check(rows.Scan(&email, &ids))
		w.advisorEmails, w.advisorOf = append(w.advisorEmails, email), append(w.advisorOf, ids)
	}
	check(rows.Err())
	rows, err = conn.Query(ctx, `SELECT id FROM assessments ORDER BY md5(id::text)`)
	check(err)
	w.all, err = pgx.CollectRows(rows, pgx.RowTo[int64])
	check(err)
	if len(w.managerEmails) == 0 || len(w.advisorEmails) == 0 {
		log.Fatal("the database holds no managers or advisors of the seed's kind")
	}
	return w
}

// startServer builds the server and runs it against dsn.
func startServer(dsn string) (string, func()) {
	bin := filepath.Join(os.TempDir(), "groundwork-loadtest-server")
	build := exec.Command("go", "build", "-o", bin, "./cmd/server")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	check(build.Run())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn, "SESSION_SECRET="+strings.Repeat("l", 40), "ADDR="+addr, "LOG_LEVEL=warn", "BASE_URL=http://"+addr)
	cmd.Stderr = os.Stderr
	check(cmd.Start())
	base := "http://" + addr
	for i := 0; ; i++ {
		if resp, err := http.Get(base + "/readyz"); err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if i > 400 {
			log.Fatal("server did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	serverPID = cmd.Process.Pid
	return base, func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }
}

// startInProcess serves the portal from this process, for profiles.
func startInProcess(ctx context.Context, dsn string) (string, func()) {
	st, err := store.Open(ctx, dsn)
	check(err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	base, _ := url.Parse("http://" + ln.Addr().String())
	srv := &http.Server{Handler: handlers.New(st, handlers.Options{BaseURL: base, Logger: slog.New(slog.DiscardHandler), SessionSecret: []byte(strings.Repeat("l", 40))})}
	go srv.Serve(ln)
	serverPID = os.Getpid()
	return base.String(), func() { srv.Close(); st.Close() }
}

// serverPID is the server's process.
var serverPID int

// signInAll signs each in and returns their Cookie headers.
func signInAll(base string, emails []string) []string {
	var out []string
	for _, email := range emails {
		c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := c.PostForm(base+"/signin", url.Values{"email": {email}, "password": {benchdb.Password}})
		check(err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			log.Fatalf("sign in as %s: %d", email, resp.StatusCode)
		}
		var cookies []string
		for _, ck := range resp.Cookies() {
			cookies = append(cookies, ck.Name+"="+ck.Value)
		}
		out = append(out, strings.Join(cookies, "; "))
	}
	return out
}

// person is one client: who they are, what they work on, and their
// connection.
type person struct {
	c        *conn      // the connection in use: its own, or one of pool's
	pool     chan *conn // idle connections shared by everyone, as a proxy's upstream keep-alive pool (nil: its own)
	cookie   string
	addr     string
	advisor  bool
	ids      []int64
	rng      *rand.Rand
	versions map[int64]int // the last version of expected_users seen, per assessment
	i        int
	walk     func() int64
}

func newPerson(base, cookie string, w work, who int, advisor bool) *person {
	u, err := url.Parse(base)
	check(err)
	p := &person{c: &conn{addr: u.Host, cookie: cookie}, cookie: cookie, addr: u.Host, advisor: advisor, versions: map[int64]int{}, rng: rand.New(rand.NewPCG(uint64(who), 7))}
	if advisor {
		p.ids = w.advisorOf[who]
	} else {
		p.ids = w.managerOf[who]
	}
	return p
}

var (
	versionRE = regexp.MustCompile(`id="v-expected_users" value="(\d+)"`)
	sorts     = []string{"", "?sort=name", "?sort=organisation", "?sort=readiness", "?sort=readiness&dir=desc", "?page=2", "?page=3"}
)

// do sends one request of kind k and says how long it took and its
// status: on the person's own connection, or on an idle one of the shared
// pool, or on a new one when none is idle (kept afterwards while the pool
// has room), as a reverse proxy does with its upstream connections.
func (p *person) do(k kind) (time.Duration, int, error) {
	if p.pool == nil {
		return p.send(k)
	}
	var c *conn
	select {
	case c = <-p.pool:
	default: // all busy: another connection, as a proxy opens
		c = &conn{addr: p.addr}
	}
	c.cookie = p.cookie
	p.c = c
	defer func() {
		select {
		case p.pool <- c: // kept for the next request
		default:
			c.close() // beyond the proxy's idle connections
		}
	}()
	return p.send(k)
}

// send sends one request of kind k on p.c.
func (p *person) send(k kind) (time.Duration, int, error) {
	p.i++
	id := p.ids[p.rng.IntN(len(p.ids))]
	a := "/assessments/" + strconv.FormatInt(id, 10)
	switch k {
	case phaseView:
		if p.advisor || p.i%2 == 0 {
			return p.c.get(a + "/phases/1.1")
		}
		return p.c.get(a + "/phases/1.2")
	case autosave:
		v, ok := p.versions[id]
		if !ok {
			d, status, err := p.c.do("GET", a+"/phases/1.2", nil, true)
			if err != nil || status != 200 {
				return d, status, err
			}
			m := versionRE.FindSubmatch(p.c.body)
			if m == nil {
				return 0, 0, fmt.Errorf("no version of expected_users on %s/phases/1.2", a)
			}
			v, _ = strconv.Atoi(string(m[1]))
		}
		form := url.Values{"expected_users": {strconv.Itoa(1000 + p.rng.IntN(4000))}, "_v.expected_users": {strconv.Itoa(v)}}
		d, status, err := p.c.do("POST", a+"/phases/1.2/answers/expected_users", []byte(form.Encode()), true)
		if err == nil && status == 200 {
			if m := versionRE.FindSubmatch(p.c.body); m != nil {
				v, _ = strconv.Atoi(string(m[1]))
				p.versions[id] = v
			} else {
				delete(p.versions, id)
			}
		}
		return d, status, err
	case overview:
		return p.c.get(a)
	case dashboard:
		return p.c.get("/")
	case report:
		return p.c.get(a + "/report")
	case queue:
		return p.c.get("/review")
	case portfolio:
		return p.c.get("/portfolio" + sorts[p.rng.IntN(len(sorts))])
	case pdf:
		return p.c.get(a + "/report.pdf")
	case calibration:
		return p.c.get("/calibration")
	case walk:
		return p.c.get("/assessments/" + strconv.FormatInt(p.walk(), 10) + "/phases/1.1")
	}
	panic("unknown kind")
}

// probePDF asks for one PDF: false when the server has no Chromium.
func probePDF(base, cookie string, w work) bool {
	p := newPerson(base, cookie, w, 0, false)
	_, status, err := p.do(pdf)
	check(err)
	if status != 200 {
		fmt.Printf("report PDFs: not in this run (the server answered %d: no Chromium to print with)\n", status)
		return false
	}
	return true
}

// run is what one timed run measured.
type run struct {
	name     string
	warmup   time.Duration   // the first moments, not counted
	warm     []time.Duration // the requests of the warm-up
	elapsed  time.Duration   // counted
	lat      [nKinds][]time.Duration
	errors   [nKinds]int
	firstErr string
	cpu      benchdb.CPU
	requests int
	rssPeak  int64 // kB, sampled
	dbConns  int   // most connections of the server's seen at once
}

// drive runs people for warmup and then duration, each choosing their
// next request with next, and a PDF reader asking for one PDF every
// pdfEvery when it is not 0. Only the requests that start after the
// warm-up, and the processor time from then on, are counted: at the start
// 32 clients arrive at once at a server that has just started, which opens
// its database connections and grows its heap (p50 87 ms in the first
// quarter second, 38 ms after). It samples the server's memory and its
// database connections throughout.
func drive(people []*person, name string, warmup, duration, think, pdfEvery time.Duration, next func(*person) kind, postmaster int, db *pgx.Conn, reader ...*person) run {
	r := run{name: name, warmup: warmup}
	began := time.Now()
	counted := began.Add(warmup)
	var mu sync.Mutex
	record := func(k kind, start time.Time, d time.Duration, status int, err error) {
		mu.Lock()
		defer mu.Unlock()
		if start.Before(counted) {
			r.warm = append(r.warm, d)
			return
		}
		if err != nil || status != 200 {
			r.errors[k]++
			if r.firstErr == "" {
				r.firstErr = fmt.Sprintf("%s: status %d, %v", kindNames[k], status, err)
			}
			return
		}
		r.lat[k] = append(r.lat[k], d)
	}
	var before benchdb.CPU
	measuring := make(chan struct{})
	time.AfterFunc(warmup, func() {
		before = benchdb.CPUNow(serverPID, postmaster)
		close(measuring)
	})
	deadline := counted.Add(duration)
	done := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		monitor, err := pgx.ConnectConfig(context.Background(), db.Config())
		check(err)
		defer monitor.Close(context.Background())
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if kb := rss(serverPID); kb > r.rssPeak {
				r.rssPeak = kb
			}
			var n int
			if monitor.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()
				AND application_name NOT LIKE 'loadtest%'`).Scan(&n) == nil && n > r.dbConns {
				r.dbConns = n
			}
		}
	})
	var wg sync.WaitGroup
	for _, p := range people {
		wg.Go(func() {
			// People arrive at their own moments, not all at once, and pause
			// between requests; none starts a request after the deadline.
			pause := func(d time.Duration) bool {
				if time.Now().Add(d).After(deadline) {
					return false
				}
				time.Sleep(d)
				return true
			}
			if think > 0 && !pause(time.Duration(p.rng.Float64()*float64(think))) {
				return
			}
			for time.Now().Before(deadline) {
				k := next(p)
				start := time.Now()
				d, status, err := p.do(k)
				record(k, start, d, status, err)
				if think > 0 && !pause(time.Duration(p.rng.ExpFloat64()*float64(think))) {
					return
				}
			}
		})
	}
	if pdfEvery > 0 && len(reader) > 0 {
		wg.Go(func() {
			for t := time.Now(); t.Before(deadline); t = t.Add(pdfEvery) {
				time.Sleep(time.Until(t))
				start := time.Now()
				d, status, err := reader[0].do(pdf)
				record(pdf, start, d, status, err)
			}
		})
	}
	wg.Wait()
	r.elapsed = time.Since(counted)
	<-measuring
	close(done)
	sampler.Wait()
	for _, l := range r.lat {
		r.requests += len(l)
	}
	r.cpu = benchdb.CPUNow(serverPID, postmaster).Sub(before).Per(r.requests - len(r.lat[pdf]))
	for _, p := range append(people, reader...) {
		p.c.close()
	}
	return r
}

func (r run) throughput(k kind) float64 { return float64(len(r.lat[k])) / r.elapsed.Seconds() }

func (r run) total() (n int, errs int) {
	for k := range nKinds {
		n += len(r.lat[k])
		errs += r.errors[k]
	}
	return n, errs
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64)
}

func printSolo(runs []run, clients int) {
	cal := (runs[0].throughput(calibration) + runs[len(runs)-1].throughput(calibration)) / 2
	fmt.Printf("Each type alone, %d connections, %v each (ratio: its throughput to /calibration's, mean of the first and last lines)\n", clients, runs[0].elapsed.Round(time.Second))
	fmt.Printf("%-32s %9s %7s %8s %8s %8s %7s   %s\n", "request", "req/s", "ratio", "p50 ms", "p95 ms", "p99 ms", "errors", "CPU per request: server + PostgreSQL (+ load generator)")
	for _, r := range runs {
		var k kind
		for i := range nKinds {
			if len(r.lat[i]) > 0 || r.errors[i] > 0 {
				k = i
			}
		}
		fmt.Printf("%-32s %9.0f %7.3f %8s %8s %8s %7d   %s + %s (+ %s)\n", r.name, r.throughput(k), r.throughput(k)/cal,
			ms(pct(r.lat[k], .5)), ms(pct(r.lat[k], .95)), ms(pct(r.lat[k], .99)), r.errors[k], ms(r.cpu.Server), ms(r.cpu.Postgres), ms(r.cpu.Self))
		if r.firstErr != "" {
			fmt.Printf("    first error: %s\n", r.firstErr)
		}
	}
	fmt.Println()
}

func printMixed(r run, clients int, think time.Duration, shared int) {
	n, errs := r.total()
	pause := "none"
	if think > 0 {
		pause = "mean " + think.String()
	}
	conns := "a connection each"
	if shared > 0 {
		conns = fmt.Sprintf("through a pool of %d idle connections", shared)
	}
	fmt.Printf("Mixed run: %d clients (%d managers, %d advisors; think time %s; %s) and a PDF reader, %v: %.0f requests/s, %d errors\n",
		clients, clients-clients/advisorEvery, clients/advisorEvery, pause, conns, r.elapsed.Round(time.Second), float64(n)/r.elapsed.Seconds(), errs)
	if n := len(r.warm); n > 0 {
		fmt.Printf("warm-up, not counted: the first %v, %d requests, p50 %s ms, p99 %s ms\n", r.warmup, n, ms(pct(r.warm, .5)), ms(pct(r.warm, .99)))
	}
	fmt.Printf("%-16s %8s %7s %8s %8s %8s %7s\n", "request", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
	for k := range calibration {
		if len(r.lat[k]) == 0 && r.errors[k] == 0 {
			continue
		}
		fmt.Printf("%-16s %8d %7.1f %8s %8s %8s %7d\n", kindNames[k], len(r.lat[k]), r.throughput(k), ms(pct(r.lat[k], .5)), ms(pct(r.lat[k], .95)), ms(pct(r.lat[k], .99)), r.errors[k])
	}
	if r.firstErr != "" {
		fmt.Printf("first error: %s\n", r.firstErr)
	}
	fmt.Printf("CPU per request (PDFs apart): server %s ms, PostgreSQL %s ms, load generator %s ms\n", ms(r.cpu.Server), ms(r.cpu.Postgres), ms(r.cpu.Self))
	if n := len(r.lat[pdf]); n > 0 {
		browser := r.cpu.Children * time.Duration(max(r.requests-n, 1))
		fmt.Printf("CPU of the browser that printed the PDFs: %v in all, %v per PDF\n", browser.Round(time.Millisecond), (browser / time.Duration(n)).Round(time.Millisecond))
	}
	fmt.Printf("server resident memory, sampled every 100 ms: at most %d MB; database connections of the server at once: at most %d\n", r.rssPeak/1024, r.dbConns)
}

// vm reads a memory figure of pid in kB from /proc/PID/status: "VmRSS"
// (resident now) or "VmHWM" (resident at most); 0 when it cannot.
func vm(pid int, key string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

// rss is the resident memory of pid in kB.
func rss(pid int) int64 { return vm(pid, "VmRSS") }

// memory says how much memory process pid holds now and has held at most.
func memory(pid int) string {
	if vm(pid, "VmHWM") == 0 {
		return "gone"
	}
	return fmt.Sprintf("resident %d MB now, %d MB at most", rss(pid)/1024, vm(pid, "VmHWM")/1024)
}

// childMemory is the resident memory of every process under pid.
func childMemory(pid int) string {
	var total int64
	var count int
	procs := benchdb.Processes()
	for p := range procs {
		if p != pid && procs.Under(p, pid) {
			total += rss(p)
			count++
		}
	}
	if count == 0 {
		return "not running"
	}
	return fmt.Sprintf("%d processes, %d MB resident together (shared pages counted in each)", count, total/1024)
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:3], " ")
}

// conn sends requests over one keep-alive connection, written by hand:
// net/http's client costs the shared machine two to three times the
// processor time per request, which would be counted against the server.
// It understands what the portal sends (HTTP/1.1 with Content-Length).
type conn struct {
	addr, cookie string
	nc           net.Conn
	r            *bufio.Reader
	req          []byte
	body         []byte // the last response's body, when kept
}

func (c *conn) get(path string) (time.Duration, int, error) { return c.do("GET", path, nil, false) }

func (c *conn) close() {
	if c != nil && c.nc != nil {
		c.nc.Close()
		c.nc = nil
	}
}

// do sends one request, as htmx does when form is set, and reads the
// answer; keep keeps its body in c.body (POSTs always do).
func (c *conn) do(method, path string, form []byte, keep bool) (d time.Duration, status int, err error) {
	began := time.Now()
	defer func() {
		if err != nil {
			c.close() // start afresh on the next request
		}
	}()
	if c.nc == nil {
		nc, err := net.Dial("tcp", c.addr)
		if err != nil {
			return 0, 0, err
		}
		c.nc, c.r = nc, bufio.NewReaderSize(nc, 64<<10)
	}
	c.req = append(c.req[:0], method...)
	c.req = append(c.req, ' ')
	c.req = append(c.req, path...)
	c.req = append(c.req, " HTTP/1.1\r\nHost: "...)
	c.req = append(c.req, c.addr...)
	c.req = append(c.req, "\r\nCookie: "...)
	c.req = append(c.req, c.cookie...)
	if form != nil {
		c.req = append(c.req, "\r\nHX-Request: true\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "...)
		c.req = strconv.AppendInt(c.req, int64(len(form)), 10)
		keep = true
	}
	c.req = append(c.req, "\r\n\r\n"...)
	c.req = append(c.req, form...)
	if _, err := c.nc.Write(c.req); err != nil {
		return 0, 0, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, 0, err
	}
	f := bytes.Fields(line)
	if len(f) < 2 || !bytes.HasPrefix(f[0], []byte("HTTP/1.1")) {
		return 0, 0, fmt.Errorf("%s %s: %q", method, path, bytes.TrimSpace(line))
	}
	status, _ = strconv.Atoi(string(f[1]))
	length, closing := -1, false
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, status, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			length, err = strconv.Atoi(string(value))
			if err != nil {
				return 0, status, fmt.Errorf("%s %s: Content-Length %q", method, path, value)
			}
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	if length < 0 {
		return 0, status, fmt.Errorf("%s %s: no Content-Length", method, path)
	}
	if keep {
		c.body = slices.Grow(c.body[:0], length)[:length]
		_, err = io.ReadFull(c.r, c.body)
	} else {
		_, err = c.r.Discard(length)
	}
	if err != nil {
		return 0, status, err
	}
	if closing {
		c.close()
	}
	return time.Since(began), status, nil
}

// explainKinds asks for each request type once more in this process,
// through connections that run auto_explain, and prints the plans.
func explainKinds(ctx context.Context, dsn string, w work) {
	plans, err := benchdb.OpenPlans(ctx, dsn)
	check(err)
	defer plans.Close()
	h := handlers.New(plans.Store, handlers.Options{BaseURL: &url.URL{Scheme: "http", Host: "bench"}, Logger: slog.New(slog.DiscardHandler),
		SessionSecret: []byte(strings.Repeat("l", 40))})
	srv := httptest.NewServer(h)
	defer srv.Close()
	mgr := signInAll(srv.URL, w.managerEmails[:1])[0]
	adv := signInAll(srv.URL, w.advisorEmails[:1])[0]
	for _, k := range []kind{calibration, phaseView, autosave, overview, dashboard, report, queue, portfolio} {
		advisor := k == queue || k == portfolio
		cookie := mgr
		if advisor {
			cookie = adv
		}
		p := newPerson(srv.URL, cookie, w, 0, advisor)
		p.rng = rand.New(rand.NewPCG(1, 1))
		for range 6 { // past the plan cache's first custom plans
			_, _, err := p.do(k)
			check(err)
		}
		if k != autosave { // the same assessment again; an autosave of the same value again writes nothing
			p.rng = rand.New(rand.NewPCG(1, 1))
		}
		plans.Reset()
		_, status, err := p.do(k)
		check(err)
		fmt.Printf("\n===== EXPLAIN (ANALYZE, BUFFERS): %s (status %d) =====\n", kindNames[k], status)
		for _, plan := range plans.Take() {
			fmt.Println(plan)
			fmt.Println("-----")
		}
		p.c.close()
	}
}

// Command loadtest measures the assessment workspace under load, as the
// workspace issue asks: phase page GETs from one client and from 32
// concurrent connections, the overview from one client, and answer saves
// per second with fsync on, with 10,000 assessments in the database.
//
//	go run ./scripts/loadtest [-assessments 10000] [-duration 10s] [-conns 32]
//
// It starts a private PostgreSQL (fsync on, on disk under the system's
// temporary directory) unless DATABASE_URL is set, seeds it, builds and
// starts the real server binary as a separate process, and drives it over
// HTTP from this process: the load generator shares the machine, as in the
// targets. Results go to standard output.
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
	"net"
	"net/http"
	"net/http/cookiejar"
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
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"groundwork/handlers"
	"groundwork/store"
	"groundwork/store/pgembed"
)

func main() {
	n := flag.Int("assessments", 10000, "assessments in the database")
	orgs := flag.Int("orgs", 100, "organisations they are spread over")
	duration := flag.Duration("duration", 10*time.Second, "length of each timed run")
	conns := flag.Int("conns", 32, "concurrent connections")
	cpuprofile := flag.String("cpuprofile", "", "serve in this process and write a CPU profile of server and load generator to this file")
	flag.Parse()
	log.SetFlags(0)
	// The load generator shares the machine: keep its own garbage
	// collection light, as the server does.
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
	st, err := store.Open(ctx, dsn)
	check(err)
	began := time.Now()
	ids, all := seed(ctx, st, dsn, *n, *orgs)
	log.Printf("seeded %d assessments over %d organisations in %v", *n, *orgs, time.Since(began).Round(time.Millisecond))
	st.Close()

	var base string
	var stop func()
	if *cpuprofile != "" {
		base, stop = startInProcess(ctx, dsn)
		f, err := os.Create(*cpuprofile)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	} else {
		base, stop = startServer(dsn)
	}
	defer stop()

	g := newGetter(client(base, "load-0@example.org"), base)
	phase := func(i int) string { return fmt.Sprintf("/assessments/%d/phases/1.2", ids[i%len(ids)]) }
	overview := func(i int) string { return fmt.Sprintf("/assessments/%d", ids[i%len(ids)]) }

	fmt.Printf("\nGroundwork load test: %d assessments, %d CPUs (load generator on the same machine)\n\n", *n, runtime.NumCPU())
	warm(g, phase, 200)
	single(g, "phase page, 1 client", phase, 2000)
	single(g, "overview, 1 client", overview, 1000)
	concurrent(base, "calibration: /readyz", *conns, *duration/2, func(int) string { return "/readyz" })
	concurrent(base, "phase page", *conns, *duration, phase)
	// An advisor of every organisation visiting all of them in turn: the
	// server keeps no copies, so the difference from the line above is
	// what PostgreSQL's buffers hold of one organisation against all.
	concurrentAs(base, "load-advisor@example.org", fmt.Sprintf("phase page, all %d in turn", len(all)), *conns, *duration,
		func(i int) string { return fmt.Sprintf("/assessments/%d/phases/1.2", all[i%len(all)]) })
	saves(base, ids, *conns, *duration)
	if serverPID != 0 {
		fmt.Printf("\nserver memory: %s\n", memory(serverPID))
	}
}

// memory says how much memory process pid holds now and has held at most.
func memory(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return err.Error()
	}
	var rss, peak string
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, ":")
		switch k {
		case "VmRSS":
			rss = strings.TrimSpace(v)
		case "VmHWM":
			peak = strings.TrimSpace(v)
		}
	}
	return "resident " + rss + " now, " + peak + " at most"
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// seed creates organisations with a manager each, an advisor assigned to
// all of them, and n assessments with phases 1.1 answered and 1.2 half
// answered. It returns the assessments of the first organisation, the one
// the load test signs in to, and all of them, in a shuffled order.
func seed(ctx context.Context, st *store.Store, dsn string, n, orgs int) (first, all []int64) {
	conn, err := pgx.Connect(ctx, dsn)
	check(err)
	defer conn.Close(ctx)
	var existing int
	check(conn.QueryRow(ctx, `SELECT count(*) FROM assessments`).Scan(&existing))
	if existing == 0 {
		managers, orgIDs := make([]int64, orgs), make([]int64, orgs)
		for o := range orgs {
			org, err := st.CreateOrganisation(ctx, 0, store.Organisation{Slug: fmt.Sprintf("org-%d", o), Name: fmt.Sprintf("Ministry %d", o), Platform: "commcare"})
			check(err)
			orgIDs[o] = org.ID
			u, err := st.CreateUser(ctx, store.NewUser{Email: fmt.Sprintf("load-%d@example.org", o), Name: fmt.Sprintf("Manager %d", o),
				Role: store.RoleManager, OrganisationID: org.ID, Password: "load test password"})
			check(err)
			managers[o] = u.ID
		}
		admin, err := st.CreateUser(ctx, store.NewUser{Email: "load-admin@example.org", Name: "Admin", Role: store.RoleAdmin, Password: "load test password"})
		check(err)
		adv, err := st.CreateUser(ctx, store.NewUser{Email: "load-advisor@example.org", Name: "Advisor", Role: store.RoleAdvisor, Password: "load test password"})
		check(err)
		for o := range orgs {
			check(st.AssignAdvisor(ctx, admin.ID, adv.ID, orgIDs[o]))
		}
		var rows [][]any
		for i := range n {
			rows = append(rows, []any{orgIDs[i%orgs], "commcare-transition", 1, fmt.Sprintf("Move %d", i), false, managers[i%orgs], managers[i%orgs]})
		}
		_, err = conn.CopyFrom(ctx, pgx.Identifier{"assessments"}, []string{"organisation_id", "template_id", "template_version", "name", "sign_off", "created_by", "updated_by"}, pgx.CopyFromRows(rows))
		check(err)
		answers := map[string]string{
			"architecture_diagram_url": "https://example.org/arch.pdf", "environments": `["testing","production"]`,
			"mobile_apps": `[{"name":"CHW app","version":"12","users":1200}]`, "collecting_data": "no",
			"growth_projections": "Double in two years.", "expected_users": "2500", "existing_form_submissions": "250000",
			"forms_per_user_month": "30", "new_cases_per_user_month": "8", "updated_cases_per_user_month": "20",
		}
		var arows, crows [][]any
		r, err := conn.Query(ctx, `SELECT id, created_by FROM assessments ORDER BY id`)
		check(err)
		type pair struct{ id, by int64 }
		var pairs []pair
		for r.Next() {
			var p pair
			check(r.Scan(&p.id, &p.by))
			pairs = append(pairs, p)
		}
		for _, p := range pairs {
			for k, v := range answers {
				arows = append(arows, []any{p.id, k, v, 1, p.by})
			}
			for _, k := range []string{"architecture_diagram_created", "mobile_app_inventory_documented"} {
				crows = append(crows, []any{p.id, k, true, 1, p.by})
			}
		}
		_, err = conn.CopyFrom(ctx, pgx.Identifier{"answers"}, []string{"assessment_id", "question_key", "value", "version", "updated_by"}, pgx.CopyFromRows(arows))
		check(err)
		_, err = conn.CopyFrom(ctx, pgx.Identifier{"confirmations"}, []string{"assessment_id", "checkpoint_key", "confirmed", "version", "updated_by"}, pgx.CopyFromRows(crows))
		check(err)
		_, err = conn.Exec(ctx, `ANALYZE`)
		check(err)
	}
	r, err := conn.Query(ctx, `SELECT a.id FROM assessments a JOIN organisations o ON o.id = a.organisation_id WHERE o.slug = 'org-0' ORDER BY a.id`)
	check(err)
	first, err = pgx.CollectRows(r, pgx.RowTo[int64])
	check(err)
	r, err = conn.Query(ctx, `SELECT id FROM assessments ORDER BY md5(id::text)`)
	check(err)
	all, err = pgx.CollectRows(r, pgx.RowTo[int64])
	check(err)
	return first, all
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
		if i > 200 {
			log.Fatal("server did not become ready")
		}
		time.Sleep(50 * time.Millisecond)
	}
	serverPID = cmd.Process.Pid
	return base, func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }
}

// serverPID is the server's process, 0 when it serves from this one.
var serverPID int

// cpu is processor time used so far, by the server, by all PostgreSQL
// processes, and by this process (the load generator, and the server too
// when it serves in-process).
type cpu struct{ server, postgres, self time.Duration }

func cpuNow() cpu {
	var c cpu
	self := os.Getpid()
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
		// pid (comm) state ... utime stime are fields 14 and 15.
		end := strings.LastIndexByte(string(b), ')')
		start := strings.IndexByte(string(b), '(')
		if end < 0 || start < 0 {
			continue
		}
		comm := string(b[start+1 : end])
		f := strings.Fields(string(b[end+2:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		stt, _ := strconv.ParseInt(f[12], 10, 64)
		d := time.Duration(ut+stt) * 10 * time.Millisecond // USER_HZ is 100 on Linux
		switch {
		case pid == self:
			c.self += d
		case pid == serverPID:
			c.server += d
		case comm == "postgres":
			c.postgres += d
		}
	}
	return c
}

// perRequest says how much processor time each request cost, and where.
func perRequest(before cpu, n int) string {
	if n == 0 {
		return ""
	}
	after := cpuNow()
	per := func(a, b time.Duration) time.Duration { return ((a - b) / time.Duration(n)).Round(time.Microsecond) }
	if serverPID == 0 {
		return fmt.Sprintf("\n%44s CPU per request: server and load generator %v, PostgreSQL %v", "", per(after.self, before.self), per(after.postgres, before.postgres))
	}
	return fmt.Sprintf("\n%44s CPU per request: server %v, PostgreSQL %v, load generator %v", "", per(after.server, before.server), per(after.postgres, before.postgres), per(after.self, before.self))
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
	return base.String(), func() { srv.Close(); st.Close() }
}

// client signs in and returns a client holding the session cookie.
func client(base, email string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 256}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/signin", url.Values{"email": {email}, "password": {"load test password"}})
	check(err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		log.Fatalf("sign in as %s: %d", email, resp.StatusCode)
	}
	return c
}

// getter sends GETs over one keep-alive connection, written by hand:
// net/http's client costs the shared machine two to three times the
// processor time per request, which would be counted against the server.
// It understands what the portal sends (HTTP/1.1 with Content-Length) and
// stops the test on anything else.
type getter struct {
	addr, cookie string
	conn         net.Conn
	r            *bufio.Reader
	req          []byte
}

func newGetter(c *http.Client, base string) *getter {
	u, err := url.Parse(base)
	check(err)
	var cookies []string
	for _, ck := range c.Jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	return &getter{addr: u.Host, cookie: strings.Join(cookies, "; ")}
}

// get fetches path and returns how long it took.
func (g *getter) get(path string) (time.Duration, error) {
	began := time.Now()
	if g.conn == nil {
		conn, err := net.Dial("tcp", g.addr)
		if err != nil {
			return 0, err
		}
		g.conn, g.r = conn, bufio.NewReaderSize(conn, 64<<10)
	}
	g.req = append(g.req[:0], "GET "...)
	g.req = append(g.req, path...)
	g.req = append(g.req, " HTTP/1.1\r\nHost: "...)
	g.req = append(g.req, g.addr...)
	g.req = append(g.req, "\r\nCookie: "...)
	g.req = append(g.req, g.cookie...)
	g.req = append(g.req, "\r\n\r\n"...)
	if _, err := g.conn.Write(g.req); err != nil {
		return 0, err
	}
	status, err := g.r.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
		return 0, fmt.Errorf("GET %s: %q", path, bytes.TrimSpace(status))
	}
	length, closing := -1, false
	for {
		line, err := g.r.ReadSlice('\n')
		if err != nil {
			return 0, err
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
				return 0, fmt.Errorf("GET %s: Content-Length %q", path, value)
			}
		case bytes.EqualFold(name, []byte("Connection")):
			closing = bytes.EqualFold(value, []byte("close"))
		}
	}
	if length < 0 {
		return 0, fmt.Errorf("GET %s: no Content-Length", path)
	}
	if _, err := g.r.Discard(length); err != nil {
		return 0, err
	}
	if closing {
		g.conn.Close()
		g.conn = nil
	}
	return time.Since(began), nil
}

func warm(g *getter, path func(int) string, n int) {
	for i := range n {
		_, err := g.get(path(i))
		check(err)
	}
}

func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

func single(g *getter, name string, path func(int) string, n int) {
	lat := make([]time.Duration, 0, n)
	for i := range n {
		d, err := g.get(path(i))
		check(err)
		lat = append(lat, d)
	}
	fmt.Printf("%-42s p50 %7s  p90 %7s  p99 %7s  (%d requests)\n", name, pct(lat, .5).Round(time.Microsecond), pct(lat, .9).Round(time.Microsecond), pct(lat, .99).Round(time.Microsecond), n)
}

func concurrent(base, name string, conns int, duration time.Duration, path func(int) string) {
	concurrentAs(base, "load-0@example.org", name, conns, duration, path)
}

// concurrentAs GETs path(0), path(1)... over conns connections for
// duration, signed in as email.
func concurrentAs(base, email, name string, conns int, duration time.Duration, path func(int) string) {
	c := client(base, email)
	var mu sync.Mutex
	var all []time.Duration
	var next atomic.Int64
	getters := make([]*getter, conns)
	for i := range getters {
		getters[i] = newGetter(c, base)
	}
	before := cpuNow()
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for _, g := range getters {
		wg.Go(func() {
			var lat []time.Duration
			for time.Now().Before(deadline) {
				d, err := g.get(path(int(next.Add(1))))
				check(err)
				lat = append(lat, d)
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	fmt.Printf("%-42s %6.0f pages/s  p50 %7s  p99 %7s  (%d conns, %v)%s\n", name+fmt.Sprintf(", %d conns", conns), float64(len(all))/duration.Seconds(),
		pct(all, .5).Round(time.Microsecond), pct(all, .99).Round(time.Microsecond), conns, duration, perRequest(before, len(all)))
}

var versionRE = regexp.MustCompile(`id="v-growth_projections" value="(\d+)"`)

// saves autosaves an answer from conns clients, each on an assessment of
// its own, as fast as the server acknowledges.
func saves(base string, ids []int64, conns int, duration time.Duration) {
	c := client(base, "load-0@example.org")
	var count, failed atomic.Int64
	var mu sync.Mutex
	var all []time.Duration
	before := cpuNow()
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Go(func() {
			id := ids[w%len(ids)]
			u := fmt.Sprintf("%s/assessments/%d/phases/1.1/answers/growth_projections", base, id)
			// Start from the version stored now: the database may hold an
			// earlier run's saves.
			resp, err := c.Get(fmt.Sprintf("%s/assessments/%d/phases/1.1", base, id))
			check(err)
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			m := versionRE.FindSubmatch(page)
			if m == nil {
				log.Fatalf("no version of growth_projections on the page of assessment %d", id)
			}
			version, _ := strconv.Atoi(string(m[1]))
			var lat []time.Duration
			for i := 0; time.Now().Before(deadline); i++ {
				form := url.Values{"growth_projections": {fmt.Sprintf("Projection %d-%d", w, i)}, "_v.growth_projections": {strconv.Itoa(version)}}
				req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("HX-Request", "true")
				began := time.Now()
				resp, err := c.Do(req)
				check(err)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
					continue
				}
				lat = append(lat, time.Since(began))
				if m := versionRE.FindSubmatch(body); m != nil {
					version, _ = strconv.Atoi(string(m[1]))
				}
				count.Add(1)
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	fmt.Printf("%-42s %6.0f saves/s  p50 %7s  p99 %7s  (%d conns, %v, fsync on, %d refused)%s\n", "answer autosave", float64(count.Load())/duration.Seconds(),
		pct(all, .5).Round(time.Microsecond), pct(all, .99).Round(time.Microsecond), conns, duration, failed.Load(), perRequest(before, len(all)))
}

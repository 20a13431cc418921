// Command burst measures what bursts of costly requests do to the real
// server's memory: 32 sign-ins at once (argon2id holds 19 MiB per hash)
// and 8 resource-model XLSX downloads at once, each on a freshly started
// server process, while another client keeps asking for a normal page.
// It prints, per run, the server's peak resident memory (VmHWM), the
// answers the burst got, and how the normal page fared meanwhile.
//
//	go run ./scripts/burst               # 3 runs of each burst
//	go run ./scripts/burst -runs 5 -bin /tmp/old-server   # another build
//	go run ./scripts/burst -only 'within budget'         # one kind of burst
//
// It starts its own PostgreSQL unless DATABASE_URL is set.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"groundwork/store"
	"groundwork/store/pgembed"
)

const password = "ledger of quiet harbours"

func main() {
	runs := flag.Int("runs", 3, "runs of each burst, each on a fresh server")
	signins := flag.Int("signins", 32, "concurrent sign-ins")
	models := flag.Int("models", 8, "concurrent XLSX model requests")
	bin := flag.String("bin", "", "server binary to measure; built from ./cmd/server when empty")
	only := flag.String("only", "", "run only the bursts whose name contains this")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	dsn := os.Getenv("DATABASE_URL")
	if dsn == "" {
		pg, stop, err := pgembed.StartTemp(ctx, "groundwork-burst-", false)
		check(err)
		defer stop()
		dsn = pg.DSN()
	}
	m, err := store.NewMigrator(dsn, nil)
	check(err)
	check(m.Up())
	m.Close()
	st, err := store.Open(ctx, dsn)
	check(err)
	for i := range *signins {
		_, err := st.CreateUser(ctx, store.NewUser{Email: fmt.Sprintf("burst-%d@example.org", i), Name: fmt.Sprintf("Burst %d", i), Role: store.RoleAdvisor, Password: password})
		if err != nil && err != store.ErrEmailTaken {
			check(err)
		}
	}
	st.Close()
	if *bin == "" {
		*bin = filepath.Join(os.TempDir(), "groundwork-burst-server")
		build := exec.Command("go", "build", "-o", *bin, "./cmd/server")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		check(build.Run())
	}

	edge := heavyConfig(200, 40, 2, 36)  // at the engine's own limits: refused by the portal's budget
	within := heavyConfig(10, 120, 2, 4) // 50 scenarios × 2 dates × 10 services = 1,000 rows: the budget
	fmt.Printf("server %s, %d runs each; configs: edge %d KB, within budget %d KB\n\n", *bin, *runs, len(edge)>>10, len(within)>>10)
	bursts := []struct {
		name string
		n    int
		req  func(base string, i int) (*http.Request, error)
	}{
		{fmt.Sprintf("%d sign-ins", *signins), *signins, func(base string, i int) (*http.Request, error) {
			form := url.Values{"email": {fmt.Sprintf("burst-%d@example.org", i)}, "password": {password}}
			return formPost(base+"/signin", form)
		}},
		{fmt.Sprintf("%d XLSX models, edge config", *models), *models, func(base string, i int) (*http.Request, error) {
			return http.NewRequest(http.MethodPost, base+"/api/v1/sizing/commcare/model?format=xlsx", strings.NewReader(edge))
		}},
		{fmt.Sprintf("%d XLSX models, within budget", *models), *models, func(base string, i int) (*http.Request, error) {
			return http.NewRequest(http.MethodPost, base+"/api/v1/sizing/commcare/model?format=xlsx", strings.NewReader(within))
		}},
	}
	for _, b := range bursts {
		if !strings.Contains(b.name, *only) {
			continue
		}
		for run := range *runs {
			base, pid, stop := startServer(*bin, dsn)
			idle := status(pid, "VmRSS")
			probe := startProbe(base + "/templates")
			began := time.Now()
			codes := fire(b.n, func(i int) (*http.Request, error) { return b.req(base, i) })
			took := time.Since(began)
			probed := probe()
			peak := status(pid, "VmHWM")
			stop()
			fmt.Printf("%-32s run %d: peak %4d MB (idle %3d MB), answers %v in %v; /templates meanwhile: %s\n",
				b.name, run+1, peak>>10, idle>>10, codes, took.Round(10*time.Millisecond), probed)
		}
	}
}

// fire sends n requests at once and counts their statuses.
func fire(n int, req func(int) (*http.Request, error)) map[int]int {
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := range n {
		wg.Go(func() {
			r, err := req(i)
			check(err)
			<-start
			code := -1 // a transport error
			if resp, err := client.Do(r); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				code = resp.StatusCode
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return codes
}

// startProbe asks for url every 50 ms until the returned function is
// called, which says how it went.
func startProbe(url string) func() string {
	stop := make(chan struct{})
	done := make(chan string)
	go func() {
		var lat []time.Duration
		bad := 0
		for {
			select {
			case <-stop:
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				if len(lat) == 0 {
					done <- "no answer"
					return
				}
				done <- fmt.Sprintf("%d answered (%d not 200), median %v, slowest %v", len(lat), bad,
					lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
				return
			case <-time.After(50 * time.Millisecond):
			}
			t := time.Now()
			resp, err := http.Get(url)
			if err != nil {
				bad++
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			lat = append(lat, time.Since(t))
			if resp.StatusCode != http.StatusOK {
				bad++
			}
		}
	}()
	return func() string { close(stop); return <-done }
}

func formPost(u string, form url.Values) (*http.Request, error) {
	r, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err == nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return r, err
}

// startServer runs the server binary on a free port and waits until it
// is ready.
func startServer(bin, dsn string) (base string, pid int, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dsn, "SESSION_SECRET="+strings.Repeat("b", 40), "ADDR="+addr, "LOG_LEVEL=error", "BASE_URL=http://"+addr)
	cmd.Stderr = os.Stderr
	check(cmd.Start())
	base = "http://" + addr
	for i := 0; ; i++ {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if i > 400 {
			log.Fatal("server did not become ready")
		}
		time.Sleep(25 * time.Millisecond)
	}
	return base, cmd.Process.Pid, func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }
}

// status reads a kB figure (VmRSS, VmHWM) of process pid.
func status(pid int, key string) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	check(err)
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && k == key {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return n
		}
	}
	return 0
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

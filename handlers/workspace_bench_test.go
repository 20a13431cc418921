package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"
)

// benchPage renders a page of a half-done assessment for the signed-in
// manager, through the whole middleware stack and a real database, without
// the network.
func benchPage(b *testing.B, suffix string) {
	e := handlerstest.NewEnv(b)
	br, base := handlerstest.HalfDone(b, e)
	u, _ := url.Parse(e.Srv.URL)
	cookies := br.Client.Jar.Cookies(u)
	b.ReportAllocs()
	var cpu time.Duration
	b.ResetTimer()
	for b.Loop() {
		began := cpuTime()
		req := httptest.NewRequest(http.MethodGet, base+suffix, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", base+suffix, rec.Code)
		}
		cpu += cpuTime() - began
	}
	b.StopTimer()
	// Processor time, unlike ns/op, leaves out the wait for PostgreSQL.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
}

// cpuTime is the processor time this process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPhasePage renders phase 1.2, with its sizing panel.
func BenchmarkPhasePage(b *testing.B) { benchPage(b, "/phases/1.2") }

// BenchmarkOverview renders the overview of all 14 phases.
func BenchmarkOverview(b *testing.B) { benchPage(b, "") }

// BenchmarkPhasePageParallel serves phase 1.2 over loopback HTTP to
// parallel clients, for profiles of the whole path.
func BenchmarkPhasePageParallel(b *testing.B) {
	e := handlerstest.NewEnv(b)
	br, base := handlerstest.HalfDone(b, e)
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if resp, _ := br.Get(base + "/phases/1.2"); resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"syscall"
	"testing"
	"time"
)

// halfDone signs the manager in and starts a CommCare assessment with
// phase 1.1 complete and phase 1.2 answered.
func halfDone(tb testing.TB, e *env) (*browser, string) {
	tb.Helper()
	b := e.browser(tb)
	b.signIn("manager@example.org")
	base := start(tb, b, false)
	// In order: 1.2 opens once 1.1 is complete.
	for _, f := range []struct {
		phase string
		form  url.Values
	}{{"1.1", phase11()}, {"1.2", phase12("2500")}} {
		addVersions(tb, b, base+"/phases/"+f.phase, f.form)
		b.post(base+"/phases/"+f.phase, f.form)
	}
	return b, base
}

// benchPage renders a page of a half-done assessment for the signed-in
// manager, through the whole middleware stack and a real database, without
// the network.
func benchPage(b *testing.B, suffix string) {
	e := newEnv(b)
	br, base := halfDone(b, e)
	u, _ := url.Parse(e.srv.URL)
	cookies := br.client.Jar.Cookies(u)
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
		e.handler.ServeHTTP(rec, req)
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
	e := newEnv(b)
	br, base := halfDone(b, e)
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if resp, _ := br.get(base + "/phases/1.2"); resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// benchPage renders a page of a half-done CommCare assessment for a
// signed-in manager, through the whole middleware stack and a real
// database, without the network.
func benchPage(b *testing.B, suffix string) {
	e := newEnv(b)
	br := e.browser(b)
	br.signIn("manager@example.org")
	base := start(b, br, false)
	form := phase11()
	addVersions(b, br, base+"/phases/1.1", form)
	br.post(base+"/phases/1.1", form)
	p12 := phase12("2500")
	addVersions(b, br, base+"/phases/1.2", p12)
	br.post(base+"/phases/1.2", p12)
	u, _ := url.Parse(e.srv.URL)
	cookies := br.client.Jar.Cookies(u)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, base+suffix, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s = %d", base+suffix, rec.Code)
		}
	}
}

// BenchmarkPhasePage renders phase 1.2, with its sizing panel.
func BenchmarkPhasePage(b *testing.B) { benchPage(b, "/phases/1.2") }

// BenchmarkOverview renders the overview of all 14 phases.
func BenchmarkOverview(b *testing.B) { benchPage(b, "") }

// BenchmarkPhasePageParallel serves phase 1.2 over loopback HTTP to
// parallel clients, for profiles of the whole path.
func BenchmarkPhasePageParallel(b *testing.B) {
	e := newEnv(b)
	br := e.browser(b)
	br.signIn("manager@example.org")
	base := start(b, br, false)
	form := phase11()
	addVersions(b, br, base+"/phases/1.1", form)
	br.post(base+"/phases/1.1", form)
	_, page := br.get(base + "/phases/1.2")
	b.Logf("phase page: %d bytes", len(page))
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, _ := br.get(base + "/phases/1.2")
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

package handlers_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"

	"groundwork/handlers"
	"groundwork/store/storetest"
)

// BenchmarkSizingRequests times one request of each kind through real
// HTTP, middleware included.
func BenchmarkSizingRequests(b *testing.B) {
	srv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + srv.Listener.Addr().String())
	srv.Config.Handler = handlers.New(storetest.Store(b), handlers.Options{
		BaseURL: base, Logger: slog.New(slog.DiscardHandler), SessionSecret: []byte("test secret of at least 32 bytes!"),
	})
	srv.Start()
	b.Cleanup(srv.Close)
	echis, err := os.ReadFile("../assessment/sizing/testdata/echis.yml")
	if err != nil {
		b.Fatal(err)
	}
	const simple = "start_date=2025-01&current_users=500&end_date=2026-12&target_users=5000&existing_forms=1000000" +
		"&forms_per_user_month=100&new_cases_per_user_month=20&updated_cases_per_user_month=60"
	cases := []struct {
		name, method, path string
		body               []byte
		header             string
	}{
		{"tier", "GET", "/api/v1/sizing/commcare?users=2500&ha=true", nil, ""},
		{"opencrvs", "GET", "/api/v1/sizing/opencrvs?" + crvsQuery, nil, ""},
		{"model-echis-json", "POST", "/api/v1/sizing/commcare/model", echis, ""},
		{"model-echis-csv", "POST", "/api/v1/sizing/commcare/model", echis, "text/csv"},
		{"model-echis-xlsx", "POST", "/api/v1/sizing/commcare/model?format=xlsx", echis, ""},
		{"simple-json", "GET", "/api/v1/sizing/commcare/simple?" + simple, nil, ""},
		{"page", "GET", "/sizing", nil, ""},
		{"fragment-tier", "GET", "/sizing/tier?users=2500", nil, "htmx"},
		{"fragment-simple", "GET", "/sizing/simple?" + simple, nil, "htmx"},
	}
	client := srv.Client()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				req, _ := http.NewRequest(c.method, srv.URL+c.path, bytes.NewReader(c.body))
				switch c.header {
				case "text/csv":
					req.Header.Set("Accept", "text/csv")
				case "htmx":
					req.Header.Set("HX-Request", "true")
				}
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", c.path, resp.StatusCode)
				}
			}
		})
	}
}

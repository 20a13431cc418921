package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	yaml "go.yaml.in/yaml/v3"

	"groundwork/handlers"
	"groundwork/handlers/handlerstest"
)

// scrape fetches /metrics and parses it.
func scrape(t *testing.T, b *handlerstest.Browser, header ...string) map[string]*dto.MetricFamily {
	t.Helper()
	start := time.Now()
	resp, body := b.Do(http.MethodGet, "/metrics", nil, header...)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics = %d\n%s", resp.StatusCode, body)
	}
	t.Logf("/metrics: %d bytes in %v", len(body), time.Since(start))
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, body)
	}
	return families
}

// value returns the value of the family's series whose labels include
// labels, or -1 when there is none.
func value(families map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	f := families[name]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.Metric {
		have := map[string]string{}
		for _, l := range m.Label {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if have[labels[i]] != labels[i+1] {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// TestMetrics drives requests of several kinds and checks what /metrics
// says about them: requests by route pattern (never the raw path), the
// pool, the job queue, throttled sign-ins and the build.
func TestMetrics(t *testing.T) {
	e := handlerstest.NewEnv(t)
	ctx := context.Background()
	b := e.Browser(t)
	b.SignIn("manager@example.org")
	base := handlerstest.Start(t, b, true)
	b.Get(base + "/phases/1.1")
	b.Get(base + "/phases/1.1")
	b.Get("/assessments/999999") // 404
	b.Get("/no/such/page")
	b.Do("BREW", "/", nil) // a made-up method

	// Ten failures, then the throttle refuses.
	anon := e.Browser(t)
	wrong := url.Values{"email": {"viewer@example.org"}, "password": {"not the password"}}
	for range 10 {
		anon.Post("/signin", wrong)
	}
	if resp, _ := anon.Post("/signin", wrong); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("11th failure = %d, want 429", resp.StatusCode)
	}

	// Jobs: two due for five minutes, one given up.
	for _, q := range []string{
		`INSERT INTO river_job (args, kind, max_attempts, state, scheduled_at) VALUES ('{}', 'test', 1, 'available', now() - interval '5 minutes')`,
		`INSERT INTO river_job (args, kind, max_attempts, state, scheduled_at) VALUES ('{}', 'test', 1, 'available', now() - interval '1 minute')`,
		`INSERT INTO river_job (args, kind, max_attempts, state, scheduled_at, finalized_at, attempt) VALUES ('{}', 'test', 1, 'discarded', now(), now(), 1)`,
	} {
		if _, err := e.Pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	m := scrape(t, b)
	id := strings.TrimPrefix(base, "/assessments/")
	for _, f := range m {
		for _, s := range f.Metric {
			for _, l := range s.Label {
				if l.GetName() == "method" && l.GetValue() == "BREW" {
					t.Errorf("%s has the made-up method BREW as a label", f.GetName())
				}
				if l.GetName() == "route" && (strings.Contains(l.GetValue(), id) || strings.Contains(l.GetValue(), "no/such")) {
					t.Errorf("%s has the raw path %q as a route", f.GetName(), l.GetValue())
				}
			}
		}
	}
	checks := []struct {
		name   string
		labels []string
		want   func(float64) bool
		says   string
	}{
		{"groundwork_http_requests_total", []string{"method", "GET", "route", "/assessments/{id}/phases/{key}", "code", "200"}, eq(2), "2"},
		{"groundwork_http_request_duration_seconds", []string{"method", "GET", "route", "/assessments/{id}/phases/{key}", "class", "2xx"}, eq(2), "2"},
		{"groundwork_http_requests_total", []string{"route", "/assessments/{id}", "code", "404"}, eq(1), "1"},
		{"groundwork_http_requests_total", []string{"route", "unmatched", "code", "404"}, eq(1), "1"},
		{"groundwork_http_requests_total", []string{"method", "POST", "route", "/signin", "code", "429"}, eq(1), "1"},
		{"groundwork_http_requests_total", []string{"method", "POST", "route", "/signin", "code", "422"}, eq(10), "10"},
		{"groundwork_http_requests_total", []string{"method", "other"}, eq(1), "1"},
		{"groundwork_signin_throttled_total", nil, eq(1), "1"},
		{"groundwork_db_max_connections", nil, atLeast(1), "≥ 1"},
		{"groundwork_db_acquires_total", nil, atLeast(10), "≥ 10"},
		{"groundwork_jobs", []string{"state", "available"}, eq(2), "2"},
		{"groundwork_jobs", []string{"state", "discarded"}, eq(1), "1"},
		{"groundwork_jobs", []string{"state", "retryable"}, eq(0), "0"},
		{"groundwork_jobs_oldest_available_seconds", nil, func(v float64) bool { return v >= 299 && v < 400 }, "about 300"},
		{"groundwork_build_info", []string{"version", "test"}, eq(1), "1"},
		{"groundwork_pdf_renders_total", []string{"result", "ok"}, eq(0), "0"},
		{"go_goroutines", nil, atLeast(1), "≥ 1"},
	}
	for _, c := range checks {
		if got := value(m, c.name, c.labels...); !c.want(got) {
			t.Errorf("%s%v = %v, want %s", c.name, c.labels, got, c.says)
		}
	}
	if value(m, "groundwork_http_requests_total", "code", "404", "route", "/no/such/page") != -1 {
		t.Error("an unknown path became a route label")
	}
}

func eq(want float64) func(float64) bool { return func(v float64) bool { return v == want } }

func atLeast(want float64) func(float64) bool { return func(v float64) bool { return v >= want } }

// TestMetricsToken checks that METRICS_TOKEN closes /metrics to requests
// without it.
func TestMetricsToken(t *testing.T) {
	e := handlerstest.NewEnv(t, func(o *handlers.Options) { o.MetricsToken = "s3cret-token" })
	b := e.Browser(t)
	for _, h := range [][]string{nil, {"Authorization", "Bearer wrong"}, {"Authorization", "s3cret-token"}} {
		resp, body := b.Do(http.MethodGet, "/metrics", nil, h...)
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "groundwork_") || resp.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("/metrics with %q = %d, want 401 with WWW-Authenticate and no metrics", h, resp.StatusCode)
		}
	}
	if m := scrape(t, b, "Authorization", "Bearer s3cret-token"); m["groundwork_build_info"] == nil {
		t.Error("/metrics with the token lacks groundwork_build_info")
	}
}

// TestMonitoringDocs checks that docs/prometheus.yml and docs/alerts.yml
// parse, that the alerts file holds the three rules the README promises,
// and that every metric they name is exposed by /metrics.
func TestMonitoringDocs(t *testing.T) {
	var scrapeCfg struct {
		RuleFiles     []string `yaml:"rule_files"`
		ScrapeConfigs []struct {
			JobName     string `yaml:"job_name"`
			MetricsPath string `yaml:"metrics_path"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, "../docs/prometheus.yml", &scrapeCfg)
	if len(scrapeCfg.ScrapeConfigs) != 1 || scrapeCfg.ScrapeConfigs[0].MetricsPath != "/metrics" || len(scrapeCfg.RuleFiles) != 1 || scrapeCfg.RuleFiles[0] != "alerts.yml" {
		t.Errorf("docs/prometheus.yml = %+v, want one scrape of /metrics and rule_files [alerts.yml]", scrapeCfg)
	}
	var alerts struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
				For   string `yaml:"for"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	readYAML(t, "../docs/alerts.yml", &alerts)
	if len(alerts.Groups) != 1 || len(alerts.Groups[0].Rules) != 3 {
		t.Fatalf("docs/alerts.yml: want one group of three rules, got %+v", alerts)
	}

	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	b.Get("/")
	m := scrape(t, b)
	name := regexp.MustCompile(`\b(groundwork|go|process)_[a-z_]+\b`)
	for _, r := range alerts.Groups[0].Rules {
		if r.Alert == "" || r.Expr == "" || r.For == "" {
			t.Errorf("rule %+v lacks a name, expression or duration", r)
		}
		for _, n := range name.FindAllString(r.Expr, -1) {
			family := n
			if m[family] == nil {
				family = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_count"), "_sum")
			}
			if f := m[family]; f == nil || (family != n && f.GetType() != dto.MetricType_HISTOGRAM) {
				t.Errorf("rule %s uses %s, which /metrics does not expose", r.Alert, n)
			}
		}
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

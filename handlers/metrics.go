package handlers

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"groundwork/store"
)

// metrics are what /metrics exposes, in the Prometheus format. Each portal
// has its own registry (not the process-wide default), so tests can build
// several portals in one process.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	throttled   prometheus.Counter
	pdfs        *prometheus.CounterVec
	pdfDuration prometheus.Histogram
}

// jobStates are River's job states, always exposed (zero when empty) so
// that alert rules and graphs see a series from the first scrape.
var jobStates = []string{"available", "cancelled", "completed", "discarded", "pending", "retryable", "running", "scheduled"}

func newMetrics(st *store.Store, version string, pages *gate) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "groundwork_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status code.",
		}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "groundwork_http_request_duration_seconds",
			Help: "Time to answer HTTP requests, by method, route pattern and status class (2xx, 3xx, 4xx, 5xx).",
			// Pages take a few milliseconds; the targets are 50 and 100 ms.
			Buckets: []float64{.0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route", "class"}),
		throttled: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "groundwork_signin_throttled_total",
			Help: "Sign-in attempts refused because of too many recent failures (per account or address).",
		}),
		pdfs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "groundwork_pdf_renders_total",
			Help: "PDF reports rendered, by result: ok, error or timeout.",
		}, []string{"result"}),
		pdfDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "groundwork_pdf_render_duration_seconds",
			Help:    "Time to render a PDF report, successful or not.",
			Buckets: []float64{.25, .5, 1, 2, 4, 8, 15, 30, 60},
		}),
	}
	for _, r := range []string{"ok", "error", "timeout"} {
		m.pdfs.WithLabelValues(r)
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "groundwork_build_info",
		Help:        "Always 1; the labels name the running version and the Go version that built it.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	build.Set(1)
	waiting := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "groundwork_http_requests_waiting",
		Help: "Signed-in requests waiting for their turn (turns.go): more than a few for long means the server needs more processors or instances.",
	}, func() float64 { return float64(len(pages.waiting)) })
	m.reg.MustRegister(
		m.requests, m.duration, m.throttled, m.pdfs, m.pdfDuration, build, waiting,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		poolCollector{st},
		jobCollector{st},
	)
	return m
}

// observe is the middleware that counts and times every request by chi's
// route pattern, read after routing: never the raw path, whose ids would
// make a series per assessment.
func (m *metrics) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec, ok := w.(*statusRecorder) // accessLog's, when it runs first
		if !ok {
			rec = &statusRecorder{ResponseWriter: w}
			w = rec
		}
		next.ServeHTTP(w, r)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		method := r.Method
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		default:
			method = "other" // a client's made-up methods must not make series
		}
		m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(method, route, strconv.Itoa(status/100)+"xx").Observe(time.Since(start).Seconds())
	})
}

// pdfRendered records one PDF render that took d and ended with err (nil
// when it worked). The PDF renderer calls it.
func (m *metrics) pdfRendered(d time.Duration, err error) {
	result := "ok"
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		result = "timeout"
	case err != nil:
		result = "error"
	}
	m.pdfs.WithLabelValues(result).Inc()
	m.pdfDuration.Observe(d.Seconds())
}

// serveMetrics answers /metrics; with a METRICS_TOKEN, only to requests
// that carry it as a Bearer token.
func (h *handler) serveMetrics() http.Handler {
	prom := promhttp.HandlerFor(h.metrics.reg, promhttp.HandlerOpts{
		// A failing collector (the database is down) leaves the others.
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      promLogger{h},
		Timeout:       10 * time.Second,
	})
	token := []byte("Bearer " + h.opts.MetricsToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.opts.MetricsToken != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), token) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the METRICS_TOKEN as a Bearer token", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		prom.ServeHTTP(w, r)
	})
}

// promLogger sends the exposition's errors to the portal's log.
type promLogger struct{ h *handler }

func (l promLogger) Println(v ...any) { l.h.log.Warn("metrics", "err", v) }

// poolCollector reads the database pool's statistics at scrape time.
type poolCollector struct{ st *store.Store }

var (
	poolConns = prometheus.NewDesc("groundwork_db_connections",
		"Database connections in the pool, by state: acquired (in use), idle, constructing.", []string{"state"}, nil)
	poolMax = prometheus.NewDesc("groundwork_db_max_connections",
		"The pool's maximum number of connections.", nil, nil)
	poolAcquires = prometheus.NewDesc("groundwork_db_acquires_total",
		"Connections acquired from the pool.", nil, nil)
	poolWaited = prometheus.NewDesc("groundwork_db_acquires_waited_total",
		"Acquires that had to wait for a connection to be freed or made.", nil, nil)
	poolWait = prometheus.NewDesc("groundwork_db_acquire_wait_seconds_total",
		"Time spent waiting for a connection from the pool.", nil, nil)
	poolCanceled = prometheus.NewDesc("groundwork_db_acquires_canceled_total",
		"Acquires given up because the request ended first.", nil, nil)
)

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConns, poolMax, poolAcquires, poolWaited, poolWait, poolCanceled} {
		ch <- d
	}
}

func (c poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.st.PoolStat()
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.AcquiredConns()), "acquired")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.IdleConns()), "idle")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.ConstructingConns()), "constructing")
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaited, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWait, prometheus.CounterValue, s.AcquireDuration().Seconds())
	ch <- prometheus.MustNewConstMetric(poolCanceled, prometheus.CounterValue, float64(s.CanceledAcquireCount()))
}

// jobCollector counts River's jobs at scrape time: one small query over
// the job table, shared by every instance.
type jobCollector struct{ st *store.Store }

var (
	jobsDesc = prometheus.NewDesc("groundwork_jobs",
		"Jobs in the queue (e-mails, the daily digest), by state; discarded jobs failed every attempt and were given up.", []string{"state"}, nil)
	jobsOldest = prometheus.NewDesc("groundwork_jobs_oldest_available_seconds",
		"How long the oldest job that is due has waited for a worker; 0 when none waits.", nil, nil)
)

func (jobCollector) Describe(ch chan<- *prometheus.Desc) { ch <- jobsDesc; ch <- jobsOldest }

func (c jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	counts, err := c.st.JobCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(jobsDesc, err)
		return
	}
	for _, s := range jobStates {
		ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(counts.ByState[s]), s)
	}
	ch <- prometheus.MustNewConstMetric(jobsOldest, prometheus.GaugeValue, counts.OldestAvailable.Seconds())
}

package handlers

import (
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"groundwork/store"
)

// New returns the HTTP handler for the whole portal. This file is the table
// of every route and the middleware in front of it.
func New(st *store.Store, opts Options) http.Handler {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.BaseURL == nil {
		opts.BaseURL = &url.URL{Scheme: "http", Host: "localhost:8080"}
	}
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = 30 * time.Second
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	h := &handler{store: st, opts: opts, log: opts.Logger}

	r := chi.NewRouter()
	r.Use(
		h.requestID,
		h.accessLog,
		h.recoverer,
		securityHeaders(opts.BaseURL.Scheme == "https"),
		middleware.GetHead,
		middleware.RedirectSlashes,
		timeout(opts.RequestTimeout),
		h.limitBody(opts.MaxBodyBytes),
		h.crossOriginProtection(opts.BaseURL),
	)
	r.NotFound(h.wrap(func(http.ResponseWriter, *http.Request) error { return errNotFound }))
	r.MethodNotAllowed(h.wrap(func(http.ResponseWriter, *http.Request) error { return errMethodNotAllowed }))

	// Probes and assets: no session, no page chrome.
	r.Get("/healthz", h.healthz)
	r.Get("/readyz", h.readyz)
	r.Get("/static/{file}", h.static)

	// Pages.
	r.Get("/", h.wrap(h.home))
	return r
}

// Package handlers is Groundwork's HTTP layer: the routes, middleware and
// one file per page or action. Handlers return errors; one adapter turns
// them into the central error page (or a JSON error under /api/).
package handlers

import (
	"log/slog"
	"net/url"
	"time"

	"groundwork/store"
	"groundwork/web"
)

// Options configure the HTTP layer.
type Options struct {
	// BaseURL is the public address; its origin is trusted for
	// state-changing requests, and https turns on HSTS.
	BaseURL *url.URL
	// Version is shown in the footer.
	Version string
	// Logger receives access logs and errors.
	Logger *slog.Logger
	// RequestTimeout bounds each request's context; 30 s when zero.
	RequestTimeout time.Duration
	// MaxBodyBytes bounds request bodies; 1 MiB when zero.
	MaxBodyBytes int64
}

// handler holds the dependencies every page and action shares.
type handler struct {
	store *store.Store
	opts  Options
	log   *slog.Logger
}

// page returns the layout data for a page titled title in section.
func (h *handler) page(title, section string) web.Page {
	return web.Page{Title: title, Section: section, Version: h.opts.Version}
}

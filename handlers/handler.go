// Package handlers is Groundwork's HTTP layer: the routes, middleware and
// one file per page or action. Handlers return errors; one adapter turns
// them into the central error page (or a JSON error under /api/).
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/gorilla/securecookie"

	"groundwork/assessment"
	"groundwork/mail"
	"groundwork/pdf"
	"groundwork/store"
	"groundwork/web"
)

// Options configure the HTTP layer.
type Options struct {
	// BaseURL is the public address: links in e-mails start with it, its
	// origin is trusted for state-changing requests, and https turns on
	// HSTS and Secure cookies.
	BaseURL *url.URL
	// Version is shown in the footer.
	Version string
	// Logger receives access logs and errors.
	Logger *slog.Logger
	// RequestTimeout bounds each request's context; 30 s when zero.
	RequestTimeout time.Duration
	// MaxBodyBytes bounds request bodies; 1 MiB when zero.
	MaxBodyBytes int64
	// SessionSecret signs session cookies (at least 32 bytes).
	SessionSecret []byte
	// Sessions are the session lifetimes; 8 h idle, 7 days, 30 days
	// remembered when zero.
	Sessions store.SessionTimes
	// Mailer sends invitations, reset links and notifications, from the
	// job workers (Portal.Start); the log when nil.
	Mailer Mailer
	// TrustedProxies may set X-Forwarded-For; the client address of a
	// request from one of them is taken from that header.
	TrustedProxies []netip.Prefix
	// Catalog holds the assessment templates; the embedded catalog when nil.
	Catalog *assessment.Catalog
	// PDF prints reports to PDF; nil (or a Renderer without a browser)
	// means no PDFs: the pages offer the browser's own print instead.
	// Portal.Stop closes it.
	PDF *pdf.Renderer
	// MetricsToken, when set, must come with every /metrics request as a
	// Bearer token; /metrics is open otherwise.
	MetricsToken string
}

// Mailer sends e-mail: a mail.SMTP, a mail.Log, or a test's mailbox.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// handler holds the dependencies every page and action shares.
type handler struct {
	store      *store.Store
	catalog    *assessment.Catalog
	sessions   *securecookie.SecureCookie // signs session ids into the cookie cookieName
	cookieName string
	mailer     Mailer
	pdf        *pdf.Renderer // nil: no PDFs
	opts       Options
	log        *slog.Logger
	// hashes bounds the password hashes computed at once, models the
	// resource-model runs (see bursts.go).
	hashes *gate
	models *gate
	// pages gives signed-in pages their turns (turns.go).
	pages *gate
	// metrics count requests, throttled sign-ins and PDF renders (metrics.go).
	metrics *metrics
}

// page returns the layout data for a page titled title in section, for the
// request's user, taking the pending flash message.
func (h *handler) page(r *http.Request, title, section string) web.Page {
	p := web.Page{Title: title, Section: section, Version: h.opts.Version}
	if s := sessionFrom(r.Context()); s != nil {
		u := &s.User
		p.User = &web.SignedIn{Name: u.Name, Role: string(u.Role)}
		p.User.OrgSlug = u.OrganisationSlug
		p.User.Unread = s.Unread
		p.User.Waiting = h.waiting(r, u)
		// Warned as the server will end it: the idle timeout of its kind,
		// counted from the session's last-seen time.
		p.IdleSeconds = int(h.opts.Sessions.IdleFor(s.Remember).Seconds())
		p.IdleLeftMs = s.IdleLeft.Milliseconds()
		p.SessionTag = s.tag
	}
	p.Flash = flashFrom(r.Context())
	return p
}

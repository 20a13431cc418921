package handlers

import (
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/gorilla/securecookie"
	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"groundwork/assessment"
	"groundwork/mail"
	"groundwork/store"
)

// Portal is the HTTP handler for the whole portal, and its job workers
// once started (jobs.go).
type Portal struct {
	http.Handler
	h    *handler
	jobs *river.Client[pgx.Tx]
}

// Routes is the route table, for tests that walk it.
func (p *Portal) Routes() chi.Routes { return p.Handler.(chi.Routes) }

// New returns the HTTP handler for the whole portal. This file is the table
// of every route, the middleware in front of it, and who may use it.
func New(st *store.Store, opts Options) *Portal {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	opts.Logger = withRequests(opts.Logger) // lines logged for a request name it (logging.go)
	if opts.BaseURL == nil {
		opts.BaseURL = &url.URL{Scheme: "http", Host: "localhost:8080"}
	}
	if opts.RequestTimeout == 0 {
		opts.RequestTimeout = 30 * time.Second
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.Sessions == (store.SessionTimes{}) {
		opts.Sessions = store.SessionTimes{Idle: 8 * time.Hour, Lifetime: 7 * 24 * time.Hour, Remember: 30 * 24 * time.Hour}
	}
	if opts.Mailer == nil {
		opts.Mailer = mail.Log{Logger: opts.Logger}
	}
	if opts.Catalog == nil {
		cat, err := assessment.Embedded()
		if err != nil {
			panic(err) // the server checks the catalog before this; tests fail loudly
		}
		opts.Catalog = cat
	}
	secure := opts.BaseURL.Scheme == "https"
	h := &handler{
		store:      st,
		catalog:    opts.Catalog,
		sessions:   securecookie.New(opts.SessionSecret, nil).MaxAge(int(opts.Sessions.Remember.Seconds()) + 3600), // an hour past the longest session
		cookieName: "groundwork_session",
		mailer:     opts.Mailer,
		pdf:        opts.PDF,
		opts:       opts,
		log:        opts.Logger,
		hashes:     newHashGate(),
		models:     newModelGate(),
	}
	if st != nil { // nil in tests of the pages that read no data
		h.pages = newPageGate(int(st.PoolStat().MaxConns()))
	} else {
		h.pages = newPageGate(1)
	}
	h.metrics = newMetrics(st, opts.Version, h.pages)
	if secure {
		h.cookieName = "__Host-groundwork_session" // Secure, host-only, path /
	}

	templates := h.newTemplateAPI()

	r := chi.NewRouter()
	r.Use(
		h.requestID,
		h.accessLog,
		h.metrics.observe,
		h.recoverer,
		securityHeaders(secure),
		middleware.GetHead,
		middleware.RedirectSlashes,
		timeout(opts.RequestTimeout),
		h.limitBody(opts.MaxBodyBytes),
		h.crossOriginProtection(opts.BaseURL),
	)
	// The error pages know who is signed in, so that their header is the
	// one of every other page.
	r.NotFound(h.authenticate(h.wrap(func(http.ResponseWriter, *http.Request) error { return errNotFound })).ServeHTTP)
	r.MethodNotAllowed(h.authenticate(h.wrap(func(w http.ResponseWriter, req *http.Request) error {
		return h.methodNotAllowed(w, req, r)
	})).ServeHTTP)

	// Probes and assets: no session, no page chrome.
	r.Get("/healthz", h.healthz)
	r.Get("/readyz", h.readyz)
	r.Get("/calibration", h.wrap(h.calibration))           // scripts/loadtest's yardstick: one query, a small page
	r.Method(http.MethodGet, "/metrics", h.serveMetrics()) // Prometheus; METRICS_TOKEN guards it when set
	r.Get("/static/{file}", h.static)

	r.Group(func(r chi.Router) {
		r.Use(h.authenticate, h.flash)

		// Anyone.
		r.With(h.takeTurn).Get("/", h.wrap(h.home)) // a signed-in user's dashboard
		r.Get("/signin", h.wrap(h.signInForm))
		r.With(h.gated(h.hashes)).Post("/signin", h.wrap(h.signIn))
		r.Get("/password/forgot", h.wrap(h.forgotForm))
		r.Post("/password/forgot", h.wrap(h.forgot))
		r.Get("/password/reset/{token}", h.wrap(h.resetForm))
		r.With(h.gated(h.hashes)).Post("/password/reset/{token}", h.wrap(h.reset))
		r.Get("/invitations/{token}", h.wrap(h.invitationForm))
		r.With(h.gated(h.hashes)).Post("/invitations/{token}", h.wrap(h.acceptInvitation))

		// The sizing calculator and its public API (resource-model runs go
		// through h.models, a few at a time; see bursts.go): nothing here reads or
		// writes stored data.
		r.Get("/sizing", h.wrap(h.sizingPage))
		r.Get("/sizing/tier", h.wrap(h.sizingTierResults))
		r.With(h.gated(h.models)).Get("/sizing/simple", h.wrap(h.sizingSimpleResults))
		r.Get("/sizing/opencrvs", h.wrap(h.sizingCRVSResults))
		r.Get("/sizing/model", h.wrap(h.sizingModelForm))
		r.With(h.gated(h.models)).Post("/sizing/model", h.wrap(h.sizingModel))
		r.Get("/api/v1/sizing/commcare", h.wrap(h.sizingTierAPI))
		r.With(h.gated(h.models)).Post("/api/v1/sizing/commcare/model", h.wrap(h.sizingModelAPI))
		r.With(h.gated(h.models)).Get("/api/v1/sizing/commcare/simple", h.wrap(h.sizingSimpleAPI))
		r.With(h.gated(h.models)).Post("/api/v1/sizing/commcare/simple", h.wrap(h.sizingSimpleAPI))
		r.Get("/api/v1/sizing/opencrvs", h.wrap(h.sizingCRVSAPI))

		// The catalog of transition templates: it holds no personal data,
		// and people read it to decide whether to start.
		r.Get("/templates", h.wrap(h.templateList))
		r.Get("/templates/{id}", h.wrap(h.templateShow))
		r.Get("/api/v1/templates", h.wrap(templates.list))
		r.Get("/api/v1/templates/{id}", h.wrap(templates.show))

		// Signed-in users, any role.
		r.Group(func(r chi.Router) {
			r.Use(h.requireUser, h.takeTurn)
			r.Post("/signout", h.wrap(h.signOut))
			r.Post("/session/keepalive", h.wrap(h.keepAlive))
			r.Get("/account", h.wrap(h.account))
			r.Post("/account", h.wrap(h.accountName))
			r.With(h.gated(h.hashes)).Post("/account/password", h.wrap(h.accountPassword))
			r.Post("/account/notifications", h.wrap(h.accountNotifications))
			// Their own notifications only.
			r.Get("/notifications", h.wrap(h.notifications))
			r.Post("/notifications/read", h.wrap(h.notificationsRead))
			r.Post("/notifications/{id}/read", h.wrap(h.notificationRead))
			// Members, assigned advisors and admins; 404 for anyone else.
			r.Get("/orgs/{slug}", h.wrap(h.organisation))

			// Advisors and admins: the phases waiting for review and the
			// portfolio, across the organisations they see; 404 for others.
			r.Group(func(r chi.Router) {
				r.Use(h.requireRole(store.RoleAdvisor, store.RoleAdmin))
				r.Get("/review", h.wrap(h.reviewQueue))
				r.Get("/portfolio", h.wrap(h.portfolio))
				r.Get("/portfolio.csv", h.wrap(h.portfolioCSV))
			})

			// Assessments: readable by everyone who can see the organisation
			// (404 for others); changed only by its program managers (403
			// for other readers), reviewed by its assigned advisors. The
			// store enforces both, and gating, in every query.
			r.Get("/assessments", h.wrap(h.assessments))
			r.Post("/assessments", h.wrap(h.createAssessment))
			r.Route("/assessments/{id}", func(r chi.Router) {
				r.Get("/", h.wrap(h.overview))
				r.Post("/name", h.wrap(h.assessmentRename))
				r.Post("/archive", h.wrap(h.assessmentArchive))
				r.Post("/restore", h.wrap(h.assessmentRestore))
				r.Get("/export.json", h.wrap(h.exportJSON))
				r.Post("/actions", h.wrap(h.actionSave))
				r.Get("/checkpoints.csv", h.wrap(h.checkpointsCSV))
				r.Get("/report.xlsx", h.wrap(h.reportXLSX))
				r.Get("/evidence.zip", h.wrap(h.evidenceZip))
				r.Get("/report", h.wrap(h.report))
				r.Get("/report.pdf", h.wrap(h.reportPDF))
				r.Get("/history/{kind}/{item}", h.wrap(h.history))
				r.Get("/audit", h.wrap(h.assessmentAudit))
				r.Get("/audit.csv", h.wrap(h.assessmentAuditCSV))
				r.Get("/evidence/{evidence}", h.wrap(h.evidenceDownload))
				r.Post("/evidence/{evidence}/delete", h.wrap(h.evidenceDelete))
				r.Get("/phases/{key}", h.wrap(h.phaseShow))
				r.Post("/phases/{key}", h.wrap(h.phaseSave))
				r.Get("/phases/{key}/answers/{question}", h.wrap(h.answerShow))
				r.Post("/phases/{key}/answers/{question}", h.wrap(h.answerSave))
				r.Get("/phases/{key}/checkpoints/{checkpoint}", h.wrap(h.checkpointShow))
				r.Post("/phases/{key}/checkpoints/{checkpoint}", h.wrap(h.checkpointSave))
				r.Post("/phases/{key}/checkpoints/{checkpoint}/evidence", h.wrap(h.evidenceUpload))
				r.Post("/phases/{key}/submit", h.wrap(h.phaseSubmit))
				r.Post("/phases/{key}/review", h.wrap(h.phaseReview))
				r.Post("/phases/{key}/reopen", h.wrap(h.phaseReopen))
				r.Get("/phases/{key}/revisions/{n}", h.wrap(h.phaseRevision))
				r.Post("/phases/{key}/waive", h.wrap(h.phaseWaive))
				r.Post("/phases/{key}/unwaive", h.wrap(h.phaseUnwaive))
				// Comments: managers, assigned advisors and admins write (403 for
				// viewers); only the author edits; managers and advisors resolve.
				r.Post("/phases/{key}/comments", h.wrap(h.commentAdd))
				r.Post("/phases/{key}/comments/{comment}/replies", h.wrap(h.commentReply))
				r.Post("/phases/{key}/comments/{comment}/edit", h.wrap(h.commentEdit))
				r.Post("/phases/{key}/comments/{comment}/resolve", h.wrap(h.commentResolve))
				r.Post("/phases/{key}/comments/{comment}/reopen", h.wrap(h.commentReopen))
			})
		})

		// Admins only; 404 for everyone else.
		r.Route("/admin", func(r chi.Router) {
			r.Use(h.requireUser, h.requireRole(store.RoleAdmin))
			r.Get("/", func(w http.ResponseWriter, r *http.Request) { // the header's Admin link goes to organisations
				http.Redirect(w, r, "/admin/organisations", http.StatusSeeOther)
			})
			r.Get("/organisations", h.wrap(h.adminOrganisations))
			r.Post("/organisations", h.wrap(h.adminCreateOrganisation))
			r.Get("/organisations/{id}", h.wrap(h.adminOrganisation))
			r.Post("/organisations/{id}", h.wrap(h.adminUpdateOrganisation))
			r.Post("/organisations/{id}/delete", h.wrap(h.adminDeleteOrganisation))
			r.Post("/organisations/{id}/advisors", h.wrap(h.adminAssignAdvisor))
			r.Post("/organisations/{id}/advisors/{user}/remove", h.wrap(h.adminUnassignAdvisor))
			r.Get("/users", h.wrap(h.adminUsers))
			r.Post("/users", h.wrap(h.adminInvite))
			r.Get("/users/{id}", h.wrap(h.adminUser))
			r.Post("/users/{id}/role", h.wrap(h.adminSetRole))
			r.Post("/users/{id}/active", h.wrap(h.adminSetActive))
			r.Post("/users/{id}/invite", h.wrap(h.adminReinvite))
			r.Post("/users/{id}/link", h.wrap(h.adminLink))
			r.Get("/users/{id}/link", h.wrap(h.adminLinkAgain))
			r.Get("/audit", h.wrap(h.adminAudit))
			r.Get("/audit.csv", h.wrap(h.adminAuditCSV))
			r.Get("/import", h.wrap(h.adminImport))
			r.Post("/import", h.wrap(h.adminImportPost))
		})
	})
	return &Portal{Handler: r, h: h}
}

// methodNotAllowed answers a request whose method the address does not
// take. The address of a form refused beside its fields (the account's
// password, a user's role, an assessment's name) stays in the address
// bar; opened again (a restored tab, a bookmark), it leads to the page the
// form is on: the nearest address above it that is one of pages, rather
// than an error, a bare fragment or a download.
func (h *handler) methodNotAllowed(w http.ResponseWriter, r *http.Request, mux *chi.Mux) error {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		for p := path.Dir(r.URL.Path); p != "/" && p != "."; p = path.Dir(p) {
			rctx := chi.NewRouteContext()
			if mux.Match(rctx, http.MethodGet, p) && formPages[strings.TrimSuffix(rctx.RoutePattern(), "/")] {
				return redirect(w, r, p)
			}
		}
	}
	return errMethodNotAllowed
}

// formPages are the pages whose forms post to addresses below them.
var formPages = map[string]bool{
	"/account":                       true,
	"/notifications":                 true,
	"/assessments":                   true,
	"/assessments/{id}":              true,
	"/assessments/{id}/phases/{key}": true,
	"/admin/organisations":           true,
	"/admin/organisations/{id}":      true,
	"/admin/users":                   true,
	"/admin/users/{id}":              true,
}

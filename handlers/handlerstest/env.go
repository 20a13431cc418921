// Package handlerstest builds what the handlers' tests and the browser
// tests (handlers/e2e) share: a portal served over real HTTP on a fresh
// database of its own (storetest), with organisations and one person of
// every role in it (NewEnv), a cookie-keeping HTTP client that signs in as
// one of them (Browser), the e-mails the portal sends (Mailbox), and
// helpers that fill, submit and review phases as those people would.
//
// It is imported by tests only.
package handlerstest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/handlers"
	"groundwork/mail"
	"groundwork/store"
	"groundwork/store/storetest"
)

// Mailbox records the e-mails the portal sends. E-mails go out from the
// job queue: reading the mailbox first starts the portal's job workers
// (once; most tests read no mail and run none) and waits for the queue to
// empty.
type Mailbox struct {
	Mu    sync.Mutex
	Sent  []mail.Message
	Pool  *pgxpool.Pool // the queue's database; nil: the test reads its own mailer
	Start func()        // Env.StartJobs
}

// WaitForJobs waits (up to 20 s) until River's queue holds no job that is
// waiting, running or due for a retry.
func WaitForJobs(pool *pgxpool.Pool) {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var n int
		err := pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE state IN ('available', 'pending', 'running', 'retryable', 'scheduled')`).Scan(&n)
		if err == nil && n == 0 {
			return
		}
	}
}

// Env is a portal on a fresh database with people in it: organisations A
// and B, and one user of every role (the advisor assigned to A).
type Env struct {
	Srv                             *httptest.Server
	Handler                         http.Handler
	St                              *store.Store
	Pool                            *pgxpool.Pool
	Mail                            *Mailbox
	OrgA, OrgB                      store.Organisation
	Admin, Advisor, Manager, Viewer store.User
	ManagerB                        store.User
	Opts                            handlers.Options // what the portal was built with
	Portal                          *handlers.Portal
	jobsOnce                        sync.Once
}

const Password = "correct horse battery staple"

func NewEnv(t testing.TB, configure ...func(*handlers.Options)) *Env {
	t.Helper()
	return NewEnvOn(t, storetest.Pool(t), configure...)
}

// NewEnvOn is NewEnv on a database of the caller's (migrated, empty).
func NewEnvOn(t testing.TB, pool *pgxpool.Pool, configure ...func(*handlers.Options)) *Env {
	t.Helper()
	ctx := context.Background()
	e := &Env{Pool: pool, Mail: &Mailbox{Pool: pool}}
	e.Mail.Start = func() { e.StartJobs(t) }
	e.St = store.New(e.Pool)
	srv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + srv.Listener.Addr().String())
	opts := handlers.Options{
		BaseURL:       base,
		Version:       "test",
		Logger:        slog.New(slog.DiscardHandler),
		SessionSecret: []byte("test secret of at least 32 bytes!"),
		Mailer:        e.Mail,
	}
	for _, c := range configure {
		c(&opts)
	}
	e.Opts = opts
	e.Portal = handlers.New(e.St, opts)
	e.Handler = e.Portal
	srv.Config.Handler = e.Handler
	srv.Start()
	t.Cleanup(srv.Close)
	e.Srv = srv

	var err error
	if e.OrgA, err = e.St.CreateOrganisation(ctx, 0, store.Organisation{Slug: "moh-a", Name: "Ministry A", Platform: "commcare"}); err != nil {
		t.Fatal(err)
	}
	if e.OrgB, err = e.St.CreateOrganisation(ctx, 0, store.Organisation{Slug: "moh-b", Name: "Ministry B", Platform: "opencrvs"}); err != nil {
		t.Fatal(err)
	}
	e.Admin = e.User(t, "admin@example.org", store.RoleAdmin, 0)
	e.Advisor = e.User(t, "advisor@example.org", store.RoleAdvisor, 0)
	e.Manager = e.User(t, "manager@example.org", store.RoleManager, e.OrgA.ID)
	e.Viewer = e.User(t, "viewer@example.org", store.RoleViewer, e.OrgA.ID)
	e.ManagerB = e.User(t, "manager@b.example.org", store.RoleManager, e.OrgB.ID)
	if err := e.St.AssignAdvisor(ctx, e.Admin.ID, e.Advisor.ID, e.OrgA.ID); err != nil {
		t.Fatal(err)
	}
	return e
}

// Browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests see every 303.
type Browser struct {
	T      testing.TB
	Env    *Env
	Client *http.Client
}

func (m *Mailbox) Settle() {
	if m.Pool != nil {
		m.Start()
		WaitForJobs(m.Pool)
	}
}

func (m *Mailbox) Send(_ context.Context, msg mail.Message) error {
	m.Mu.Lock()
	defer m.Mu.Unlock()
	m.Sent = append(m.Sent, msg)
	return nil
}

// Link returns the last link in the last message sent to addr.
func (m *Mailbox) Link(t testing.TB, addr string) string {
	t.Helper()
	m.Settle()
	m.Mu.Lock()
	defer m.Mu.Unlock()
	for i := len(m.Sent) - 1; i >= 0; i-- {
		if m.Sent[i].To == addr {
			links := regexp.MustCompile(`https?://\S+`).FindAllString(m.Sent[i].Body, -1)
			if len(links) > 0 {
				return links[len(links)-1]
			}
		}
	}
	t.Fatalf("no e-mail with a link to %s (sent: %d)", addr, len(m.Sent))
	return ""
}

func (m *Mailbox) Count(addr string) int {
	m.Settle()
	m.Mu.Lock()
	defer m.Mu.Unlock()
	n := 0
	for _, s := range m.Sent {
		if s.To == addr {
			n++
		}
	}
	return n
}

// StartJobs starts the portal's job workers (the e-mails), once; they
// stop when the test ends.
func (e *Env) StartJobs(t testing.TB) {
	e.jobsOnce.Do(func() {
		if err := e.Portal.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			e.Portal.Stop(ctx)
		})
	})
}

func (e *Env) User(t testing.TB, email string, role store.Role, org int64) store.User {
	t.Helper()
	u, err := e.St.CreateUser(context.Background(), store.NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: role, OrganisationID: org, Password: Password})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (e *Env) Browser(t testing.TB) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{T: t, Env: e, Client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *Browser) Do(method, path string, form url.Values, header ...string) (*http.Response, string) {
	b.T.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.Env.Srv.URL+path, body)
	if err != nil {
		b.T.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		b.T.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func (b *Browser) Get(path string) (*http.Response, string) { return b.Do(http.MethodGet, path, nil) }

func (b *Browser) Post(path string, form url.Values) (*http.Response, string) {
	return b.Do(http.MethodPost, path, form)
}

// SignIn signs in and fails the test unless it worked.
func (b *Browser) SignIn(email string) {
	b.T.Helper()
	resp, body := b.Post("/signin", url.Values{"email": {email}, "password": {Password}})
	if resp.StatusCode != http.StatusSeeOther {
		b.T.Fatalf("sign in as %s: %d\n%s", email, resp.StatusCode, body)
	}
}

// Cookie returns the value of a cookie the browser holds for the portal.
func (b *Browser) Cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.Env.Srv.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// NewServer serves the whole portal over real HTTP on a fresh database.
func NewServer(t *testing.T) *httptest.Server {
	t.Helper()
	return Serve(t, storetest.Store(t))
}

func Serve(t *testing.T, st *store.Store) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + srv.Listener.Addr().String())
	srv.Config.Handler = handlers.New(st, handlers.Options{
		BaseURL:       base,
		Version:       "test",
		Logger:        slog.New(slog.DiscardHandler),
		SessionSecret: []byte("test secret of at least 32 bytes!"),
	})
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func Itoa(i int64) string { return strconv.FormatInt(i, 10) }

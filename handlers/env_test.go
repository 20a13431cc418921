package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
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

// mailbox records the e-mails the portal sends. E-mails go out from the
// job queue: reading the mailbox first starts the portal's job workers
// (once; most tests read no mail and run none) and waits for the queue to
// empty.
type mailbox struct {
	mu    sync.Mutex
	sent  []mail.Message
	pool  *pgxpool.Pool // the queue's database; nil: the test reads its own mailer
	start func()        // env.startJobs
}

func (m *mailbox) settle() {
	if m.pool != nil {
		m.start()
		waitForJobs(m.pool)
	}
}

// waitForJobs waits (up to 20 s) until River's queue holds no job that is
// waiting, running or due for a retry.
func waitForJobs(pool *pgxpool.Pool) {
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var n int
		err := pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE state IN ('available', 'pending', 'running', 'retryable', 'scheduled')`).Scan(&n)
		if err == nil && n == 0 {
			return
		}
	}
}

func (m *mailbox) Send(_ context.Context, msg mail.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	return nil
}

// link returns the last link in the last message sent to addr.
func (m *mailbox) link(t testing.TB, addr string) string {
	t.Helper()
	m.settle()
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.sent) - 1; i >= 0; i-- {
		if m.sent[i].To == addr {
			links := regexp.MustCompile(`https?://\S+`).FindAllString(m.sent[i].Body, -1)
			if len(links) > 0 {
				return links[len(links)-1]
			}
		}
	}
	t.Fatalf("no e-mail with a link to %s (sent: %d)", addr, len(m.sent))
	return ""
}

func (m *mailbox) count(addr string) int {
	m.settle()
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, s := range m.sent {
		if s.To == addr {
			n++
		}
	}
	return n
}

// env is a portal on a fresh database with people in it: organisations A
// and B, and one user of every role (the advisor assigned to A).
type env struct {
	srv                             *httptest.Server
	handler                         http.Handler
	st                              *store.Store
	pool                            *pgxpool.Pool
	mail                            *mailbox
	orgA, orgB                      store.Organisation
	admin, advisor, manager, viewer store.User
	managerB                        store.User
	opts                            handlers.Options // what the portal was built with
	portal                          *handlers.Portal
	jobsOnce                        sync.Once
}

const password = "correct horse battery staple"

func newEnv(t testing.TB, configure ...func(*handlers.Options)) *env {
	t.Helper()
	return newEnvOn(t, storetest.Pool(t), configure...)
}

// newEnvOn is newEnv on a database of the caller's (migrated, empty).
func newEnvOn(t testing.TB, pool *pgxpool.Pool, configure ...func(*handlers.Options)) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{pool: pool, mail: &mailbox{pool: pool}}
	e.mail.start = func() { e.startJobs(t) }
	e.st = store.New(e.pool)
	srv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + srv.Listener.Addr().String())
	opts := handlers.Options{
		BaseURL:       base,
		Version:       "test",
		Logger:        slog.New(slog.DiscardHandler),
		SessionSecret: []byte("test secret of at least 32 bytes!"),
		Mailer:        e.mail,
	}
	for _, c := range configure {
		c(&opts)
	}
	e.opts = opts
	e.portal = handlers.New(e.st, opts)
	e.handler = e.portal
	srv.Config.Handler = e.handler
	srv.Start()
	t.Cleanup(srv.Close)
	e.srv = srv

	var err error
	if e.orgA, err = e.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "moh-a", Name: "Ministry A", Platform: "commcare"}); err != nil {
		t.Fatal(err)
	}
	if e.orgB, err = e.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "moh-b", Name: "Ministry B", Platform: "opencrvs"}); err != nil {
		t.Fatal(err)
	}
	e.admin = e.user(t, "admin@example.org", store.RoleAdmin, 0)
	e.advisor = e.user(t, "advisor@example.org", store.RoleAdvisor, 0)
	e.manager = e.user(t, "manager@example.org", store.RoleManager, e.orgA.ID)
	e.viewer = e.user(t, "viewer@example.org", store.RoleViewer, e.orgA.ID)
	e.managerB = e.user(t, "manager@b.example.org", store.RoleManager, e.orgB.ID)
	if err := e.st.AssignAdvisor(ctx, e.admin.ID, e.advisor.ID, e.orgA.ID); err != nil {
		t.Fatal(err)
	}
	return e
}

// startJobs starts the portal's job workers (the e-mails), once; they
// stop when the test ends.
func (e *env) startJobs(t testing.TB) {
	e.jobsOnce.Do(func() {
		if err := e.portal.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			e.portal.Stop(ctx)
		})
	})
}

func (e *env) user(t testing.TB, email string, role store.Role, org int64) store.User {
	t.Helper()
	u, err := e.st.CreateUser(context.Background(), store.NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: role, OrganisationID: org, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects, so tests see every 303.
type browser struct {
	t      testing.TB
	e      *env
	client *http.Client
}

func (e *env) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, client: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (b *browser) do(method, path string, form url.Values, header ...string) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func (b *browser) get(path string) (*http.Response, string) { return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	return b.do(http.MethodPost, path, form)
}

// signIn signs in and fails the test unless it worked.
func (b *browser) signIn(email string) {
	b.t.Helper()
	resp, body := b.post("/signin", url.Values{"email": {email}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: %d\n%s", email, resp.StatusCode, body)
	}
}

// cookie returns the value of a cookie the browser holds for the portal.
func (b *browser) cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.e.srv.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

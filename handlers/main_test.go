package handlers_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"groundwork/handlers"
	"groundwork/handlers/browsertest"
	"groundwork/store"
	"groundwork/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m, browsertest.Close) }

// newServer serves the whole portal over real HTTP on a fresh database.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	return serve(t, storetest.Store(t))
}

func serve(t *testing.T, st *store.Store) *httptest.Server {
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

// get fetches path and returns the response with its body read.
func get(t *testing.T, srv *httptest.Server, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func post(t *testing.T, srv *httptest.Server, path, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

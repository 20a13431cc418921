package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestSecurityHeadersOnEveryKindOfResponse(t *testing.T) {
	srv := handlerstest.NewServer(t)
	_, home := get(t, srv, "/")
	css := regexp.MustCompile(`href="(/static/app\.[0-9a-f]+\.css)"`).FindStringSubmatch(home)
	if css == nil {
		t.Fatalf("home page links no hashed stylesheet:\n%s", home)
	}
	for _, path := range []string{"/", "/healthz", "/readyz", "/no-such-page", css[1]} {
		resp, _ := get(t, srv, path)
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'", "object-src", "base-uri 'none'"} {
			if want == "object-src" {
				continue // covered by default-src 'none'
			}
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline or eval: %q", path, csp)
		}
		if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q", path, got)
		}
		if got := h.Get("Referrer-Policy"); got == "" {
			t.Errorf("%s: no Referrer-Policy", path)
		}
		if got := h.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("%s: X-Frame-Options = %q", path, got)
		}
	}
}

func TestNoInlineScriptOrStyle(t *testing.T) {
	srv := handlerstest.NewServer(t)
	_, body := get(t, srv, "/")
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`), // a script with a body
		regexp.MustCompile(`\sstyle="`),
		regexp.MustCompile(`\son[a-z]+="`),
	} {
		if m := bad.FindString(body); m != "" {
			t.Errorf("home page has inline code the CSP would block: %q", m)
		}
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	srv := handlerstest.NewServer(t)
	tests := []struct {
		name   string
		header []string
		want   int
	}{
		{"fetch metadata says cross-site", []string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden},
		{"origin of another site", []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		// Same origin passes the check and reaches the router, which has
		// no POST / route.
		{"same origin", []string{"Sec-Fetch-Site", "same-origin"}, http.StatusMethodNotAllowed},
		{"no browser headers (curl)", nil, http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := post(t, srv, "/", "x=1", tt.header...)
			if resp.StatusCode != tt.want {
				t.Errorf("POST / = %d, want %d\n%s", resp.StatusCode, tt.want, body)
			}
		})
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	srv := handlerstest.NewServer(t)
	resp, body := post(t, srv, "/", strings.Repeat("x", 2<<20))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB POST = %d, want 413", resp.StatusCode)
	}
	if !strings.Contains(body, "1 MB") {
		t.Errorf("413 page does not state the limit:\n%s", body)
	}
}

// TestSignInNextStaysOnSite: a crafted next= after sign-in, or for someone
// signed in already, never sends the browser to another host, whatever
// http.Redirect's cleaning of the path makes of it ("/a/../\x" cleans to
// "/\x", which browsers follow to the host x).
func TestSignInNextStaysOnSite(t *testing.T) {
	e := handlerstest.NewEnv(t)
	b := e.Browser(t)
	offSite := func(loc string) bool {
		return strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) || strings.Contains(loc, "evil.example")
	}
	resp, _ := b.Post("/signin", url.Values{"email": {"manager@example.org"}, "password": {handlerstest.Password}, "next": {`/a/../\evil.example`}})
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || offSite(loc) {
		t.Errorf("sign-in with a crafted next = %d to %q, want a redirect on this site", resp.StatusCode, loc)
	}
	for _, next := range []string{`/a/../%5Cevil.example`, `/./%5Cevil.example`, `%2F%2Fevil.example`, `/%09/evil.example`} {
		resp, _ := b.Get("/signin?next=" + next)
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || offSite(loc) {
			t.Errorf("signed in, /signin?next=%s = %d to %q, want a redirect on this site", next, resp.StatusCode, loc)
		}
	}
	if resp, _ := b.Get("/signin?next=/account"); resp.Header.Get("Location") != "/account" {
		t.Errorf("signed in, next=/account goes to %q", resp.Header.Get("Location"))
	}
}

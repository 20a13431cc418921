package handlers

import (
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"
)

func TestThrottleWait(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		count int
		ago   time.Duration
		want  time.Duration
	}{
		{0, 0, 0},
		{9, 0, 0},
		{10, 0, time.Minute},
		{10, 30 * time.Second, 30 * time.Second},
		{10, 2 * time.Minute, 0},
		{11, 0, 2 * time.Minute},
		{12, 0, 4 * time.Minute},
		{13, 0, 8 * time.Minute},
		{14, 0, 15 * time.Minute}, // capped at the window
		{500, 0, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := throttleWait(tt.count, 10, now.Add(-tt.ago), now); got != tt.want {
			t.Errorf("throttleWait(%d failures, last %v ago) = %v, want %v", tt.count, tt.ago, got, tt.want)
		}
	}
}

func TestClientAddr(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		remote, xff, want string
	}{
		{"203.0.113.9:5000", "", "203.0.113.9"},
		{"203.0.113.9:5000", "1.2.3.4", "203.0.113.9"},              // untrusted peer: header ignored
		{"10.0.0.2:5000", "198.51.100.7", "198.51.100.7"},           // via the proxy
		{"10.0.0.2:5000", "6.6.6.6, 198.51.100.7", "198.51.100.7"},  // spoofed left entry ignored
		{"10.0.0.2:5000", "198.51.100.7, 10.0.0.3", "198.51.100.7"}, // two proxies
		{"10.0.0.2:5000", "garbage", "10.0.0.2"},
		{"[::ffff:10.0.0.2]:5000", "198.51.100.7", "198.51.100.7"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := clientAddr(r, trusted); got != tt.want {
			t.Errorf("clientAddr(%s, XFF %q) = %s, want %s", tt.remote, tt.xff, got, tt.want)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/account": "/account", "/orgs/x?tab=1": "/orgs/x?tab=1", "": "/", "https://evil.example": "/",
		"//evil.example": "/", "/\\evil.example": "/", "javascript:alert(1)": "/", "account": "/",
		// http.Redirect cleans "/a/../\\x" to "/\\x", which browsers follow to
		// the host x; a backslash anywhere is refused, as are control
		// characters and paths that clean to "//".
		"/a/../\\evil.example": "/", "/./\\evil.example": "/", "/account\\x": "/", "/a\tb": "/",
		"/assessments/1/phases/1.1#q-x": "/assessments/1/phases/1.1#q-x",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

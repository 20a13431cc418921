package handlers_test

import (
	"groundwork/handlers/handlerstest"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestStaticAssetsAreHashedAndImmutable(t *testing.T) {
	srv := handlerstest.NewServer(t)
	_, home := get(t, srv, "/")
	for _, asset := range []struct{ pattern, ctype, content string }{
		{`href="(/static/app\.[0-9a-f]{12}\.css)"`, "text/css", "--brand"},
		{`src="(/static/htmx\.min\.[0-9a-f]{12}\.js)"`, "javascript", "htmx"},
	} {
		m := regexp.MustCompile(asset.pattern).FindStringSubmatch(home)
		if m == nil {
			t.Errorf("home page has no asset matching %s", asset.pattern)
			continue
		}
		resp, body := get(t, srv, m[1])
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", m[1], resp.StatusCode)
			continue
		}
		if !strings.Contains(resp.Header.Get("Content-Type"), asset.ctype) {
			t.Errorf("%s: Content-Type %q, want %s", m[1], resp.Header.Get("Content-Type"), asset.ctype)
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("%s: Cache-Control %q, want a year, immutable", m[1], cc)
		}
		if !strings.Contains(body, asset.content) {
			t.Errorf("%s: body lacks %q", m[1], asset.content)
		}
		etag := resp.Header.Get("ETag")
		again, _ := get(t, srv, m[1], "If-None-Match", etag)
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("%s with If-None-Match %s = %d, want 304", m[1], etag, again.StatusCode)
		}
	}
}

package assessment

import (
	"strings"
	"testing"
)

func TestSyntax(t *testing.T) {
	tests := []struct {
		name  string
		check func(string) bool
		in    string
		want  bool
	}{
		{"url", validURL, "https://example.org", true},
		{"url", validURL, "https://example.org:8443/a", true},
		{"url", validURL, "https://user@example.org/", true},
		{"url", validURL, "http://localhost:8080", true},
		{"url", validURL, "https://example.org:", false},
		{"url", validURL, "https://example.org:123456", false},
		{"url", validURL, "https://example.org:80a", false},
		{"url", validURL, "https://[::1", false},
		{"url", validURL, "https://[zz]/", false},
		{"url", validURL, "https://exa_mple.org", false},
		{"url", validURL, "https://example..org", false},
		{"url", validURL, "https://example.org/\x7f", false},
		{"url", validURL, "javascript:alert(1)", false},
		{"url", validURL, "https://[2001:db8::1]:8443/a", true},
		{"url", validURL, "HTTPS://Example.org/a?b#c", true},
		{"url", validURL, "https://example.org:65536", false},
		{"url", validURL, "https://example.org/a b", false},
		{"url", validURL, "https:example.org", false},
		{"url", validURL, "ftp://example.org", false},
		{"email", validEmail, "first.last+tag@moh.example.org", true},
		{"email", validEmail, ".first@example.org", false},
		{"email", validEmail, "first..last@example.org", false},
		{"email", validEmail, "first last@example.org", false},
		{"email", validEmail, "@example.org", false},
		{"email", validEmail, "josé@example.org", true},
		{"email", validEmail, "first.@example.org", false},
		{"email", validEmail, "Ana <ana@example.org>", false},
		{"email", validEmail, "\"a b\"@example.org", false},
		{"email", validEmail, "ana@localhost", false},
		{"email", validEmail, "ana@[10.0.0.1]", false},
		{"email", validEmail, "ana@exa_mple.org", false},
		{"email", validEmail, strings.Repeat("a", 65) + "@example.org", false},
		{"dsn", validSentryDSN, "https://abc123@o1.ingest.sentry.io/42", true},
		{"dsn", validSentryDSN, "https://abc:secret@sentry.io/42", false},
		{"dsn", validSentryDSN, "https://abc@sentry.io/42?x=1", false},
		{"dsn", validSentryDSN, "https://abc@sentry.io/42#x", false},
		{"dsn", validSentryDSN, "https://abc@[::1]/42", false},
		{"dsn", validSentryDSN, "https://abc@sentry.io/a%2Fb/42", false},
		{"dsn", validSentryDSN, "https://abc@sentry.io/", false},
		{"domain", validDomain, "a.b.example.org", true},
		{"domain", validDomain, "xn--bcher-kva.example", true},
		{"domain", validDomain, "example.org.", false},
		{"domain", validDomain, "1.2.3.4", false},
		{"domain", validDomain, "a-.example.org", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "-12.50", true},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "+1", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "1,5", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, ".5", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "1e3", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "Inf", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "NaN", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "0x10", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "1.", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "-", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "1.2.3", false},
		{"number", func(s string) bool { _, ok := parseNumber(s); return ok }, "1_000", false},
		{"date", func(s string) bool { _, ok := parseDate(s); return ok }, "2024-02-30", false},
		{"date", func(s string) bool { _, ok := parseDate(s); return ok }, "2024-02-29 ", false},
		{"date", func(s string) bool { _, ok := parseDate(s); return ok }, "2000-02-29", true},
		{"date", func(s string) bool { _, ok := parseDate(s); return ok }, "1900-02-29", false},
		{"date", func(s string) bool { _, ok := parseDate(s); return ok }, "1899-12-31", false},
		{"date", func(s string) bool { _, ok := parseDate(s); return ok }, "2024-1-01", false},
		{"json number", isJSONNumber, "-0.5e+10", true},
		{"json number", isJSONNumber, "01", false},
		{"json number", isJSONNumber, "1.", false},
		{"json number", isJSONNumber, "1e", false},
		{"json number", isJSONNumber, "-", false},
	}
	for _, tt := range tests {
		if got := tt.check(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
	d1, _ := parseDate("1970-01-02")
	d2, _ := parseDate("2024-03-01")
	d3, _ := parseDate("2024-02-28")
	if d1 != 1 || d2-d3 != 2 {
		t.Errorf("day numbers: got %d and %d, want 1 and 2", d1, d2-d3)
	}
}

package assessment

import (
	"net/mail"
	"net/netip"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
)

// The checks in this file lean on the standard parsers; what each adds is
// what the parser accepts that an answer should not hold, and says why.

// parseNumber reads a plain decimal number: an optional minus sign, digits,
// and optionally a point and more digits. strconv.ParseFloat alone would also
// take "+1", ".5", "1e3", "0x1p3", "Inf" and "NaN": people do not type them
// and they would make surprising answers, so the shape is checked first.
func parseNumber(s string) (float64, bool) {
	whole, frac, hasPoint := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if len(s) > 40 || !digits(whole) || hasPoint && !digits(frac) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// digits reports whether s is one or more ASCII digits.
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// parseDate reads YYYY-MM-DD from 1900 on and returns the day number since
// 1970-01-01.
func parseDate(s string) (int, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1900 {
		return 0, false
	}
	return int(t.Unix() / 86400), true
}

// webURL parses an absolute http or https address whose host is a host name
// or an IP address, with an optional port.
func webURL(s string) (*url.URL, bool) {
	// url.Parse keeps a space in a path, and takes any host it can escape
	// ("exa_mple.org", "example..org") and any run of digits, or none, as a
	// port; an answer meant as a link has none of these.
	if strings.Contains(s, " ") {
		return nil, false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, false
	}
	if port := u.Port(); port != "" || strings.HasSuffix(u.Host, ":") {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return nil, false
		}
	}
	if strings.HasPrefix(u.Host, "[") {
		_, err := netip.ParseAddr(u.Hostname())
		return u, err == nil
	}
	return u, validHostname(u.Hostname())
}

// validURL accepts absolute http and https addresses with a host; user
// information is allowed, not checked.
func validURL(s string) bool {
	_, ok := webURL(s)
	return ok
}

// validHostname accepts dot-separated labels of letters, digits and
// hyphens (a single label, like "localhost", included). It stays by hand:
// the standard library's check of a host name (net.isDomainName) is not
// exported, and url.Parse and mail.ParseAddress do not check labels.
func validHostname(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if !validLabel(label) {
			return false
		}
	}
	return true
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || c == '-') {
			return false
		}
	}
	return true
}

// validDomain accepts a fully qualified domain name: at least two labels,
// the last not numeric (so an IP address is not a domain).
func validDomain(s string) bool {
	dot := strings.LastIndexByte(s, '.')
	return dot >= 0 && validHostname(s) && !digits(s[dot+1:])
}

// validEmail accepts a bare address, local@domain, as mail.ParseAddress
// reads it (a dot-atom or quoted local part; UTF-8 allowed, as RFC 6531
// does). The address must be all the answer holds (no display name, no
// quotes, which ParseAddress would drop) and its domain a real domain name:
// ParseAddress also takes "a@localhost", "a@[10.0.0.1]" and "a@exa_mple.org".
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at <= 64 && validDomain(s[at+1:])
}

// validIP accepts an IPv4 or IPv6 address; public also refuses addresses
// that cannot be reached from the internet.
func validIP(s string, public bool) bool {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return false
	}
	if !public {
		return true
	}
	a = a.Unmap()
	if a.IsPrivate() || a.IsLoopback() || a.IsUnspecified() || a.IsLinkLocalUnicast() ||
		a.IsMulticast() || a.IsLinkLocalMulticast() || a.IsInterfaceLocalMulticast() {
		return false
	}
	if a.Is4() {
		b := a.As4()
		if b[0] == 100 && b[1]&0xc0 == 64 { // 100.64.0.0/10, carrier-grade NAT
			return false
		}
		if b[0] == 0 || b[0] >= 240 {
			return false
		}
	}
	return true
}

// validSentryDSN accepts https://KEY@HOST/PROJECT_ID (an optional path
// before the numeric project id, as self-hosted Sentry uses): an
// alphanumeric key without a secret, a host name, no query or fragment.
func validSentryDSN(s string) bool {
	u, ok := webURL(s)
	if !ok || u.Scheme != "https" || u.User == nil || strings.HasPrefix(u.Host, "[") ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || u.RawPath != "" {
		return false
	}
	key := u.User.Username()
	if _, hasSecret := u.User.Password(); hasSecret || key == "" || !alphanumeric(key, "") {
		return false
	}
	dir, id := path.Split(u.Path)
	return digits(id) && alphanumeric(dir, "-_/.")
}

// alphanumeric reports whether s holds only ASCII letters, digits and the
// bytes in extra.
func alphanumeric(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}

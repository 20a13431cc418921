package assessment

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// The checks in this file are hand-written rather than regular expressions
// or net/url and net/mail parsers: the gating engine revalidates every answer
// on each evaluation, and these run without allocating.

// parseNumber reads a plain decimal number: an optional minus sign, digits,
// and optionally a point and more digits. Exponents, hex, "Inf" and "NaN",
// which strconv would accept, are refused: people do not type them and they
// would make surprising answers.
func parseNumber(s string) (float64, bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == start {
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == fs {
			return 0, false
		}
	}
	if i != len(s) || len(s) > 40 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// parseDate reads YYYY-MM-DD and returns the day number since 1970-01-01.
func parseDate(s string) (int, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9} {
		if !isDigit(s[i]) {
			return 0, false
		}
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	d := int(s[8]-'0')*10 + int(s[9]-'0')
	if y < 1900 || m < 1 || m > 12 || d < 1 {
		return 0, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, false // e.g. 2025-02-30
	}
	return int(t.Unix() / 86400), true
}

// validURL accepts absolute http and https addresses with a host.
func validURL(s string) bool {
	var rest string
	switch {
	case hasPrefixFold(s, "https://"):
		rest = s[8:]
	case hasPrefixFold(s, "http://"):
		rest = s[7:]
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	host := rest[:end]
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:] // user information is allowed, not checked
	}
	if strings.HasPrefix(host, "[") {
		closeAt := strings.IndexByte(host, ']')
		if closeAt < 0 {
			return false
		}
		if _, err := netip.ParseAddr(host[1:closeAt]); err != nil {
			return false
		}
		return validPort(host[closeAt+1:])
	}
	if c := strings.IndexByte(host, ':'); c >= 0 {
		if !validPort(host[c:]) {
			return false
		}
		host = host[:c]
	}
	return validHostname(host)
}

// validPort accepts "" or ":" followed by 1 to 5 digits.
func validPort(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ':' || len(s) < 2 || len(s) > 6 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// validHostname accepts dot-separated labels of letters, digits and
// hyphens (a single label, like "localhost", included).
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
	if !validHostname(s) {
		return false
	}
	dot := strings.LastIndexByte(s, '.')
	if dot < 0 {
		return false
	}
	for i := dot + 1; i < len(s); i++ {
		if !isDigit(s[i]) {
			return true
		}
	}
	return false
}

// validEmail accepts local@domain with a dot-atom local part.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at > 64 || len(s) > 254 {
		return false
	}
	local := s[:at]
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0 {
			continue
		}
		return false
	}
	return validDomain(s[at+1:])
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
// before the numeric project id, as self-hosted Sentry uses).
func validSentryDSN(s string) bool {
	if !hasPrefixFold(s, "https://") {
		return false
	}
	rest := s[8:]
	at := strings.IndexByte(rest, '@')
	if at <= 0 {
		return false
	}
	for i := 0; i < at; i++ {
		c := rest[i]
		if !(isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z') {
			return false
		}
	}
	rest = rest[at+1:]
	slash := strings.IndexByte(rest, '/')
	if slash <= 0 {
		return false
	}
	host := rest[:slash]
	if c := strings.IndexByte(host, ':'); c >= 0 {
		if !validPort(host[c:]) {
			return false
		}
		host = host[:c]
	}
	if !validHostname(host) {
		return false
	}
	path := rest[slash+1:]
	last := strings.LastIndexByte(path, '/')
	id := path[last+1:]
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !isDigit(id[i]) {
			return false
		}
	}
	for i := 0; i <= last; i++ {
		c := path[i]
		if !(isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'z' || c == '-' || c == '_' || c == '/' || c == '.') {
			return false
		}
	}
	return true
}

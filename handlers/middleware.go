package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
)

// requestID gives every request an id: the proxy's X-Request-ID when it is
// sane, a random one otherwise. It is echoed in the response and named by
// every line logged for the request (logging.go).
func (h *handler) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestLogKey{}, &requestLog{id: id})))
	})
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// statusRecorder remembers what was written, for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// accessLog writes one structured line per request. Probes log at debug
// level so health checks every few seconds do not drown the log.
func (h *handler) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		level := slog.LevelInfo
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			level = slog.LevelDebug
		}
		h.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int("bytes", rec.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr),
		)
	})
}

// recoverer turns a panic into a logged 500 page instead of a dropped
// connection.
func (h *handler) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			h.fail(w, r, fmt.Errorf("panic: %v\n%s", rec, debug.Stack()))
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets a strict Content-Security-Policy (no inline script or
// style, nothing from other origins, no framing) and its companions.
func securityHeaders(https bool) func(http.Handler) http.Handler {
	const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
		"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hdr := w.Header()
			hdr.Set("Content-Security-Policy", csp)
			hdr.Set("X-Content-Type-Options", "nosniff")
			hdr.Set("Referrer-Policy", "same-origin")
			hdr.Set("X-Frame-Options", "DENY")
			hdr.Set("Cross-Origin-Opener-Policy", "same-origin")
			hdr.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
			if https {
				hdr.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// timeout bounds how long a request's work (database queries included) may
// run; the http.Server's write timeout backs it up.
func timeout(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// uploadLimit bounds an evidence upload request: a 10 MB file and the
// form around it.
const uploadLimit = 11 << 20

// limitBody refuses bodies larger than max (uploadLimit for evidence
// uploads, importLimit for imports): at once when the declared length says so, otherwise when
// reading passes the limit.
func (h *handler) limitBody(limit int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			max := limit
			// Refused before it is read, a file too large is named with
			// its own limit, not the request's (the file and its form).
			var tooLarge error = &http.MaxBytesError{Limit: max}
			switch {
			case r.Method != http.MethodPost:
			case strings.HasSuffix(r.URL.Path, "/evidence"):
				max = uploadLimit
				tooLarge = withCode(http.StatusRequestEntityTooLarge, evidenceTooLarge+" Nothing was uploaded: go back, and choose a smaller file or give a link to where it is kept.", nil)
			case r.URL.Path == "/admin/import":
				max = importLimit + 1<<20 // the file and the form around it
				tooLarge = withCode(http.StatusRequestEntityTooLarge, importTooLarge+" Nothing was imported.", nil)
			}
			if r.ContentLength > max {
				h.fail(w, r, tooLarge)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, max)
			next.ServeHTTP(w, r)
		})
	}
}

// crossOriginProtection refuses state-changing requests (POST, PUT, PATCH,
// DELETE) that a browser marks as coming from another origin: Go's
// http.CrossOriginProtection, which needs no tokens. The public origin is
// trusted as well, for proxies that rewrite the Host header.
func (h *handler) crossOriginProtection(base *url.URL) func(http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(base.Scheme + "://" + base.Host); err != nil {
		h.log.Warn("BASE_URL origin not trusted for cross-origin checks", "err", err)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.fail(w, r, withCode(http.StatusForbidden, "This request came from another site, so it was refused to protect your data. Reload the page and try again.", nil))
	}))
	return cop.Handler
}

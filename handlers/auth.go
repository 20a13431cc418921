package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/gorilla/securecookie"

	"groundwork/store"
)

type flashKey struct{}

// sessionKey holds the request's session, loaded with its user
// (store.Session: the user, whether it is a "keep me signed in" one, the
// unread notifications, the time it has left), and its tag.
type sessionKey struct{}

type session struct {
	store.Session
	tag string // sessionTag of its id
}

// sessionFrom returns the request's session, or nil when signed out.
func sessionFrom(ctx context.Context) *session {
	s, _ := ctx.Value(sessionKey{}).(*session)
	return s
}

// sessionTag names a session to its pages, which share its deadline
// between the tabs of a browser under it (app.js): a hash of its id that
// says nothing of the id, so that a deadline heard under an earlier
// session (signed out, or kept for 30 days) is not taken for this one's.
func sessionTag(id string) string {
	sum := sha256.Sum256([]byte("groundwork page tag\x00" + id))
	return hex.EncodeToString(sum[:6])
}

// idleLeftHeader tells the page, on every answer to its own (htmx)
// requests, how long its session stays alive without another request, in
// milliseconds: the server writes the session's last-seen time at most
// every store.SessionTimes.TouchEvery, so a request may leave it less than
// the idle timeout (app.js).
const idleLeftHeader = "Gw-Idle-Left"

// userFrom returns the signed-in user, or nil.
func userFrom(ctx context.Context) *store.User {
	if s := sessionFrom(ctx); s != nil {
		return &s.User
	}
	return nil
}

// authenticate puts the signed-in user, if any, in the request context.
// The session is checked on every request, so a deactivated user or an
// ended session is signed out at once.
func (h *handler) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := h.sessionID(r)
		if id == "" {
			next.ServeHTTP(w, r) // no cookie (or a forged one), no query
			return
		}
		sess, err := h.store.Session(r.Context(), id, h.opts.Sessions)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			h.fail(w, r, err)
			return
		}
		if err == nil {
			if l := requestLogFrom(r.Context()); l != nil {
				l.userID, l.org = sess.User.ID, sess.User.OrganisationSlug
			}
			ctx := context.WithValue(r.Context(), sessionKey{}, &session{Session: sess, tag: sessionTag(id)})
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				ctx = store.RememberScopes(ctx) // a page reads several lists
			}
			if r.Header.Get("HX-Request") == "true" { // a page's own request; a page has it in its meta tag
				w.Header().Set(idleLeftHeader, strconv.FormatInt(sess.IdleLeft.Milliseconds(), 10))
			}
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

// requireUser sends visitors to the sign-in page, and back afterwards.
func (h *handler) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r.Context()) != nil {
			next.ServeHTTP(w, r)
			return
		}
		target := "/signin"
		if r.Method == http.MethodGet && r.URL.Path != "/" {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		if r.Header.Get("HX-Request") == "true" {
			// A page's own request (an autosave): the page stays, with what
			// was typed in it, and says how to sign in again (app.js).
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	})
}

// requireRole answers 404 to users without one of the roles: pages they
// cannot use do not exist for them.
func (h *handler) requireRole(roles ...store.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u := userFrom(r.Context())
			for _, role := range roles {
				if u != nil && u.Role == role {
					next.ServeHTTP(w, r)
					return
				}
			}
			h.fail(w, r, errNotFound)
		})
	}
}

// safeNext returns next when it is a path on this site, else "/": the
// sign-in page must not become an open redirect. Browsers read a
// backslash as a slash, and http.Redirect cleans the path ("/a/../\\x"
// becomes "/\\x", which they read as "//x", another host), so a backslash
// or control character anywhere is refused, and so is a path that cleans
// to two leading slashes.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.ContainsRune(next, '\\') || strings.ContainsFunc(next, unicode.IsControl) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Host != "" || u.Scheme != "" || strings.HasPrefix(path.Clean(u.Path), "//") || strings.HasPrefix(next, "//") {
		return "/"
	}
	return next
}

// flashCookie carries a one-time message across a redirect.
const flashCookie = "gw_flash"

// setFlash shows msg on the next page the user sees.
func (h *handler) setFlash(w http.ResponseWriter, msg string) {
	v, err := h.flashCodec().Encode(flashCookie, msg)
	if err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: v, Path: "/", MaxAge: 60, HttpOnly: true, Secure: h.opts.BaseURL.Scheme == "https", SameSite: http.SameSiteLaxMode})
}

func (h *handler) flashCodec() *securecookie.SecureCookie {
	return securecookie.New(h.opts.SessionSecret, nil).MaxAge(300)
}

// flash moves a pending flash message from its cookie into the request
// context and clears the cookie.
func (h *handler) flash(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(flashCookie)
		if err == nil && r.Method == http.MethodGet && r.Header.Get("HX-Request") != "true" {
			var msg string
			if h.flashCodec().Decode(flashCookie, c.Value, &msg) == nil {
				r = r.WithContext(context.WithValue(r.Context(), flashKey{}, msg))
			}
			http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.opts.BaseURL.Scheme == "https", SameSite: http.SameSiteLaxMode})
		}
		next.ServeHTTP(w, r)
	})
}

func flashFrom(ctx context.Context) string {
	msg, _ := ctx.Value(flashKey{}).(string)
	return msg
}

// redirect answers a form post with 303 See Other.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

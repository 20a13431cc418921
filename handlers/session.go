package handlers

import (
	"net/http"
	"time"
)

// The session cookie holds only the session's random id, signed with the
// session secret; the store keeps the session itself. A cookie that does
// not verify is treated as no cookie.

// sessionID returns the session id the request's cookie carries, or "".
func (h *handler) sessionID(r *http.Request) string {
	c, err := r.Cookie(h.cookieName)
	if err != nil {
		return ""
	}
	var id string
	if err := h.sessions.Decode(h.cookieName, c.Value, &id); err != nil {
		return ""
	}
	return id
}

// setSessionCookie hands the browser session id: a cookie that ends with
// the browser, or one that lasts as long as a remembered session.
func (h *handler) setSessionCookie(w http.ResponseWriter, id string, remember bool) error {
	value, err := h.sessions.Encode(h.cookieName, id)
	if err != nil {
		return err
	}
	c := h.sessionCookie(value)
	if remember {
		c.MaxAge = int(h.opts.Sessions.Remember.Seconds())
		c.Expires = time.Now().Add(h.opts.Sessions.Remember)
	}
	http.SetCookie(w, c)
	return nil
}

// clearSessionCookie tells the browser to forget the session cookie.
func (h *handler) clearSessionCookie(w http.ResponseWriter) {
	c := h.sessionCookie("")
	c.MaxAge = -1
	c.Expires = time.Unix(1, 0)
	http.SetCookie(w, c)
}

// sessionCookie is the session cookie with value: host-only, path /,
// HttpOnly, SameSite=Lax, and Secure when the portal is served over https.
func (h *handler) sessionCookie(value string) *http.Cookie {
	return &http.Cookie{Name: h.cookieName, Value: value, Path: "/", HttpOnly: true,
		Secure: h.opts.BaseURL.Scheme == "https", SameSite: http.SameSiteLaxMode}
}

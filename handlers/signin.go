package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"groundwork/store"
	"groundwork/web"
)

// signInForm shows the sign-in page; signed-in users go home.
func (h *handler) signInForm(w http.ResponseWriter, r *http.Request) error {
	if userFrom(r.Context()) != nil {
		return redirect(w, r, safeNext(r.URL.Query().Get("next")))
	}
	return h.render(w, r, http.StatusOK, web.SignInPage(h.page(r, "Sign in", "signin"), web.Form{}, safeNext(r.URL.Query().Get("next"))))
}

// signIn checks the credentials, throttles failures, and starts a new
// session (a new id: whatever session id the browser had before is dropped,
// so a planted one cannot be ridden).
func (h *handler) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return badRequest("The form could not be read.")
	}
	email := store.NormalizeEmail(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	form := web.Form{
		Values: map[string]string{"email": email, "remember": r.PostFormValue("remember")},
		Errors: map[string]string{},
		Order:  []string{"email", "password"},
	}
	refuse := func() error {
		return h.render(w, r, http.StatusUnprocessableEntity, web.SignInPage(h.page(r, "Sign in", "signin"), form, next))
	}
	if email == "" {
		form.Errors["email"] = "Enter your e-mail address."
	}
	if password == "" {
		form.Errors["password"] = "Enter your password."
	}
	if form.HasErrors() {
		return refuse()
	}

	addr := clientAddr(r, h.opts.TrustedProxies)
	wait, at, err := h.claimSignIn(r.Context(), email, addr)
	if err != nil {
		return err
	}
	if wait > 0 {
		h.metrics.throttled.Inc()
		form.Errors["password"] = "Too many failed attempts. Wait " + waitText(wait) + " and try again, or reset your password."
		if h.mailsToLog() { // no link can be e-mailed: the reset page says to ask the administrator
			form.Errors["password"] = "Too many failed attempts. Wait " + waitText(wait) + " and try again, or ask your administrator for a link to choose a new password."
		}
		w.Header().Set("Retry-After", itoa(int64(wait.Seconds()+1)))
		return h.render(w, r, http.StatusTooManyRequests, web.SignInPage(h.page(r, "Sign in", "signin"), form, next))
	}
	u, err := h.store.Authenticate(r.Context(), email, password)
	if errors.Is(err, store.ErrBadCredentials) {
		// The failure is recorded already: claimSignIn counted it.
		h.log.InfoContext(r.Context(), "sign-in failed", "email", email, "addr", addr)
		form.Errors["password"] = "The e-mail address or password is not right."
		return refuse()
	}
	if errors.Is(err, store.ErrDeactivated) {
		// Said only to whoever typed the right password. The attempt
		// still counts as a failure, as claimSignIn recorded it.
		h.log.InfoContext(r.Context(), "sign-in refused: deactivated", "email", email, "addr", addr)
		form.Errors["password"] = "Your account has been deactivated, so you cannot sign in. Ask your administrator if you need it again."
		return refuse()
	}
	if err != nil {
		return err
	}
	if err := h.rightPassword(r.Context(), email, addr, at); err != nil {
		return err
	}
	if err := h.startSession(w, r, u.ID, r.PostFormValue("remember") == "on"); err != nil {
		return err
	}
	h.log.InfoContext(r.Context(), "signed in", "user", u.ID, "addr", addr)
	return redirect(w, r, next)
}

// startSession signs user id in with a fresh session id, ending the
// session the request came with, if any (no session fixation).
func (h *handler) startSession(w http.ResponseWriter, r *http.Request, userID int64, remember bool) error {
	if old := h.sessionID(r); old != "" {
		if err := h.store.DeleteSession(r.Context(), old); err != nil {
			return err
		}
	}
	id, err := h.store.CreateSession(r.Context(), userID, remember, h.opts.Sessions)
	if err != nil {
		return err
	}
	return h.setSessionCookie(w, id, remember)
}

// signOut ends the session here and on every instance.
func (h *handler) signOut(w http.ResponseWriter, r *http.Request) error {
	if err := h.store.DeleteSession(r.Context(), h.sessionID(r)); err != nil {
		return err
	}
	h.clearSessionCookie(w)
	h.setFlash(w, "You have signed out.")
	return redirect(w, r, "/signin")
}

// keepAlive resets the session's idle timer ("Stay signed in").
func (h *handler) keepAlive(w http.ResponseWriter, r *http.Request) error {
	if err := h.store.TouchSession(r.Context(), h.sessionID(r)); err != nil {
		return err
	}
	w.Header().Set(idleLeftHeader, strconv.FormatInt(h.opts.Sessions.IdleFor(sessionFrom(r.Context()).Remember).Milliseconds(), 10))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// formValues collects posted fields for redisplay.
func formValues(r *http.Request, names ...string) map[string]string {
	v := make(map[string]string, len(names))
	for _, n := range names {
		v[n] = strings.TrimSpace(r.PostFormValue(n))
	}
	return v
}

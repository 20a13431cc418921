package handlers

import (
	"errors"
	"net/http"

	"groundwork/store"
	"groundwork/web"
)

// account shows the signed-in user's own details.
func (h *handler) account(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	return h.renderAccount(w, r, http.StatusOK, web.Form{Values: map[string]string{"name": u.Name}}, web.Form{})
}

func (h *handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, nameForm, pwForm web.Form) error {
	u, err := h.store.UserByID(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	emails, err := h.store.NotificationEmail(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return h.render(w, r, status, web.AccountPage(h.page(r, "Your account", "account"), userRow(u), nameForm, pwForm, string(emails), h.mailsToLog()))
}

// accountNotifications sets how the user gets notification e-mails: one
// each, a daily digest, or none.
func (h *handler) accountNotifications(w http.ResponseWriter, r *http.Request) error {
	emails := store.NotificationEmail(r.PostFormValue("emails"))
	var msg string
	switch emails {
	case store.EmailEach:
		msg = "You will get an e-mail for each notification."
	case store.EmailDaily:
		msg = "You will get one digest e-mail a day, at 07:00 UTC."
	case store.EmailNone:
		msg = "You will get no notification e-mails; your notifications are still listed under Notifications."
	default:
		return badRequest("Choose one e-mail for each notification, a daily digest, or no notification e-mails.")
	}
	if err := h.store.SetNotificationEmail(r.Context(), userFrom(r.Context()).ID, emails); err != nil {
		return err
	}
	h.setFlash(w, msg)
	return redirect(w, r, "/account")
}

// accountName changes the signed-in user's name.
func (h *handler) accountName(w http.ResponseWriter, r *http.Request) error {
	form := web.Form{Values: formValues(r, "name"), Order: []string{"name"}}
	err := h.store.SetUserName(r.Context(), userFrom(r.Context()).ID, form.Values["name"])
	if fieldErrors(err, &form) {
		return h.renderAccount(w, r, http.StatusUnprocessableEntity, form, web.Form{})
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "Your name has been saved.")
	return redirect(w, r, "/account")
}

// accountPassword changes the signed-in user's password and ends their
// other sessions.
func (h *handler) accountPassword(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	form := web.Form{Errors: map[string]string{}, Order: []string{"current", "password", "confirm"}}
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		form.Errors["confirm"] = "The two new passwords are not the same."
	}
	if !form.HasErrors() {
		// A guess at the current password counts as a failed sign-in of
		// the account: a borrowed session must not try passwords freely.
		addr := clientAddr(r, h.opts.TrustedProxies)
		wait, at, err := h.claimSignIn(r.Context(), u.Email, addr)
		if err != nil {
			return err
		}
		if wait > 0 {
			h.metrics.throttled.Inc()
			form.Errors["current"] = "Too many wrong passwords. Wait " + waitText(wait) + " and try again."
			w.Header().Set("Retry-After", itoa(int64(wait.Seconds()+1)))
			return h.renderAccount(w, r, http.StatusTooManyRequests, web.Form{Values: map[string]string{"name": u.Name}}, form)
		}
		err = h.store.ChangePassword(r.Context(), u.ID, r.PostFormValue("current"), r.PostFormValue("password"), []byte(h.sessionID(r)))
		var fe store.FieldErrors
		if wrong := errors.As(err, &fe) && fe["current"] != ""; !wrong {
			// The current password was right: the attempt was no guess.
			if err := h.rightPassword(r.Context(), u.Email, addr, at); err != nil {
				return err
			}
		}
		if err != nil && !fieldErrors(err, &form) {
			return err
		}
	}
	if form.HasErrors() {
		return h.renderAccount(w, r, http.StatusUnprocessableEntity, web.Form{Values: map[string]string{"name": u.Name}}, form)
	}
	h.setFlash(w, "Your password has been changed. Other devices have been signed out.")
	return redirect(w, r, "/account")
}

package handlers

import (
	"context"
	"errors"
	"net/http"
	"time"

	"groundwork/store"
	"groundwork/web"
)

// Lifetimes of the links sent by e-mail.
const (
	inviteTTL = 7 * 24 * time.Hour
	resetTTL  = time.Hour
)

// resetsPerAccount is how many reset e-mails one address gets per
// throttleWindow.
const resetsPerAccount = 3

// forgotForm asks for the address to send a reset link to.
func (h *handler) forgotForm(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, r, http.StatusOK, web.ForgotPasswordPage(h.page(r, "Reset your password", ""), web.Form{}, false, h.mailsToLog()))
}

// forgot sends a reset link when the address belongs to an active
// account, and says the same thing either way.
func (h *handler) forgot(w http.ResponseWriter, r *http.Request) error {
	email := store.NormalizeEmail(r.PostFormValue("email"))
	form := web.Form{Values: map[string]string{"email": email}, Errors: map[string]string{}, Order: []string{"email"}}
	if p := store.CheckEmail(email); p != "" {
		form.Errors["email"] = Words(p)
		return h.render(w, r, http.StatusUnprocessableEntity, web.ForgotPasswordPage(h.page(r, "Reset your password", ""), form, false, false))
	}
	// Reset requests are throttled per address asked for and per client
	// address, so nobody can flood one inbox or many. Past the limits the
	// page says the same; no e-mail goes out.
	addr := clientAddr(r, h.opts.TrustedProxies)
	keys := []string{"reset:" + email, "reset-ip:" + addr}
	limits := []int{resetsPerAccount, addressFailures}
	wait, _, err := h.store.ClaimAttempt(r.Context(), time.Now().Add(-throttleWindow), keys, func(as []store.Attempts) time.Duration {
		for i, a := range as {
			if a.Count >= limits[i] {
				return throttleWindow
			}
		}
		return 0
	})
	if err != nil {
		return err
	}
	if wait == 0 {
		// Queued, not sent here: looking up the account, making a link
		// and talking to the mail server happen in the job, so how long
		// this takes does not tell whether the address has an account.
		if err := h.store.QueueReset(r.Context(), email); err != nil {
			return err
		}
	}
	return h.render(w, r, http.StatusOK, web.ForgotPasswordPage(h.page(r, "Reset your password", ""), form, true, h.mailsToLog()))
}

// sendReset e-mails a reset link to email when it belongs to an active
// account (the reset job).
func (h *handler) sendReset(ctx context.Context, email string) error {
	u, err := h.store.UserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !u.Active) {
		return nil
	}
	if err != nil {
		return err
	}
	token, err := h.store.CreateToken(ctx, u.ID, store.TokenReset, resetTTL)
	if err != nil {
		return err
	}
	return h.mailer.Send(ctx, resetMessage(u, h.opts.BaseURL.String()+"/password/reset/"+token))
}

// resetForm lets the holder of a valid reset link choose a password.
func (h *handler) resetForm(w http.ResponseWriter, r *http.Request) error {
	return h.tokenForm(w, r, store.TokenReset, web.Form{}, http.StatusOK)
}

// reset spends the link, sets the password, signs out every other session
// and signs the user in.
func (h *handler) reset(w http.ResponseWriter, r *http.Request) error {
	return h.useToken(w, r, store.TokenReset, "Your password has been changed.")
}

// invitationForm lets an invited user choose their name and password.
func (h *handler) invitationForm(w http.ResponseWriter, r *http.Request) error {
	return h.tokenForm(w, r, store.TokenInvite, web.Form{}, http.StatusOK)
}

// acceptInvitation spends the invitation and signs the user in.
func (h *handler) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	return h.useToken(w, r, store.TokenInvite, "Welcome to Groundwork.")
}

// tokenForm renders the choose-a-password page for a token, or explains
// why the link no longer works.
func (h *handler) tokenForm(w http.ResponseWriter, r *http.Request, purpose store.TokenPurpose, form web.Form, status int) error {
	token := r.PathValue("token")
	u, err := h.store.TokenUser(r.Context(), token, purpose)
	if errors.Is(err, store.ErrTokenInvalid) {
		if purpose == store.TokenInvite {
			return h.render(w, r, http.StatusGone, web.LinkInvalidPage(h.page(r, "This invitation cannot be used", ""),
				"The link has been used already, has been replaced by a newer invitation, or has expired (invitations last 7 days). Ask your administrator to send a new one, or sign in if you have already chosen a password.",
				"/signin", "Go to sign in"))
		}
		return h.render(w, r, http.StatusGone, web.LinkInvalidPage(h.page(r, "This link cannot be used", ""),
			"Password reset links work once, for one hour, and only the newest one works. Ask for a new one.", "/password/forgot", "Ask for a new link"))
	}
	if err != nil {
		return err
	}
	v := web.SetPasswordView{Action: r.URL.Path, Email: u.Email, Button: "Set password and sign in"}
	if cur := userFrom(r.Context()); cur != nil && cur.ID != u.ID {
		v.SignedInAs = cur.Name
	}
	if purpose == store.TokenInvite {
		v.Heading, v.Intro, v.ShowName = "Welcome to Groundwork", "You have been invited as "+h.invitedAs(r.Context(), u, u.ID)+". Check your name and choose a password.", true
		if form.Values == nil {
			form.Values = map[string]string{"name": u.Name}
		}
	} else {
		v.Heading, v.Intro = "Choose a new password", "Choosing a new password signs you out everywhere else."
	}
	form.Order = []string{"name", "password", "confirm"}
	return h.render(w, r, status, web.SetPasswordPage(h.page(r, v.Heading, ""), v, form))
}

func orgSuffix(u store.User) string {
	if u.OrganisationName == "" {
		return ""
	}
	return " for " + u.OrganisationName
}

// invitedAs says what an invited person is invited as: their role, and
// its organisation, or for an advisor the organisations they review (those
// actorID may see).
func (h *handler) invitedAs(ctx context.Context, u store.User, actorID int64) string {
	as := u.Role.Label() + orgSuffix(u)
	if u.Role != store.RoleAdvisor {
		return as
	}
	orgs, err := h.store.AdvisorOrganisations(ctx, actorID, u.ID)
	if err != nil || len(orgs) == 0 {
		return as
	}
	return as + ", reviewing " + web.JoinWords(orgNames(orgs))
}

func (h *handler) useToken(w http.ResponseWriter, r *http.Request, purpose store.TokenPurpose, welcome string) error {
	form := web.Form{Values: formValues(r, "name"), Errors: map[string]string{}}
	password := r.PostFormValue("password")
	if purpose == store.TokenInvite && form.Values["name"] == "" {
		form.Errors["name"] = "Enter your name."
	}
	if password != r.PostFormValue("confirm") {
		form.Errors["confirm"] = "The two passwords are not the same."
	}
	if form.HasErrors() {
		// Every problem at once: the password's own too, not on the next try.
		if u, err := h.store.TokenUser(r.Context(), r.PathValue("token"), purpose); err == nil {
			if p := store.CheckPassword(password, u.Email, u.Name, form.Values["name"], u.OrganisationName); p != "" {
				form.Errors["password"] = Words(p)
			}
		}
		return h.tokenForm(w, r, purpose, form, http.StatusUnprocessableEntity)
	}
	u, err := h.store.UseToken(r.Context(), r.PathValue("token"), purpose, password, form.Values["name"])
	if fieldErrors(err, &form) {
		return h.tokenForm(w, r, purpose, form, http.StatusUnprocessableEntity)
	}
	if errors.Is(err, store.ErrTokenInvalid) {
		return h.tokenForm(w, r, purpose, form, http.StatusGone)
	}
	if err != nil {
		return err
	}
	if err := h.startSession(w, r, u.ID, false); err != nil {
		return err
	}
	h.setFlash(w, welcome)
	return redirect(w, r, "/")
}

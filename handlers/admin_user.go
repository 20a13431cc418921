package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"groundwork/mail"
	"groundwork/store"
	"groundwork/web"
)

// adminUser shows one user to an admin.
func (h *handler) adminUser(w http.ResponseWriter, r *http.Request) error {
	return h.renderAdminUser(w, r, http.StatusOK, web.Form{}, nil)
}

// targetUser loads the user named in the path.
func (h *handler) targetUser(r *http.Request) (store.User, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return store.User{}, err
	}
	return h.store.UserVisibleTo(r.Context(), userFrom(r.Context()).ID, id)
}

func (h *handler) renderAdminUser(w http.ResponseWriter, r *http.Request, status int, form web.Form, link *web.SignInLink) error {
	actor := userFrom(r.Context())
	u, err := h.targetUser(r)
	if err != nil {
		return err
	}
	sessions, err := h.store.SessionCount(r.Context(), u.ID)
	if err != nil {
		return err
	}
	orgs, err := h.store.Organisations(r.Context(), actor.ID)
	if err != nil {
		return err
	}
	reviews, err := h.store.AdvisorOrganisations(r.Context(), actor.ID, u.ID)
	if err != nil {
		return err
	}
	if form.Values == nil {
		form.Values = map[string]string{"role": string(u.Role), "organisation": itoa(u.OrganisationID)}
	}
	form.Order = []string{"role", "organisation"}
	v := web.AdminUserView{User: userRow(u), Sessions: sessions, IsSelf: u.ID == actor.ID, Form: form, Orgs: orgOptions(orgs), Roles: roleOptions()[1:],
		MailToLog: h.mailsToLog(), Link: link, Reviews: adminOrgLinks(reviews)}
	return h.render(w, r, status, web.AdminUserPage(h.page(r, u.Name, "admin-users"), v))
}

// adminLink makes a single-use link for the admin to pass on to the user
// themselves (no mail server, or mail that does not arrive): an
// invitation, or for someone who has a password, a password reset. The
// page shows it once (render forbids caching); it is not kept anywhere it
// could be read again. Reset links are made only where no mail server sends
// them: elsewhere people reset their own password.
func (h *handler) adminLink(w http.ResponseWriter, r *http.Request) error {
	u, err := h.targetUser(r)
	if err != nil {
		return err
	}
	if u.ID == userFrom(r.Context()).ID {
		return badRequest("Change your own password on your account page.")
	}
	if u.HasPassword && !h.mailsToLog() {
		// Where e-mail works, people reset their own password: an admin
		// holding a reset link could sign in as them.
		return badRequest(u.Name + " can reset their password themselves: “Forgot your password?” on the sign-in page e-mails them a link.")
	}
	token, purpose, err := h.store.AdminLink(r.Context(), userFrom(r.Context()).ID, u.ID, func(p store.TokenPurpose) time.Duration {
		if p == store.TokenReset {
			return resetTTL
		}
		return inviteTTL
	})
	if errors.Is(err, store.ErrInactive) {
		return badRequest(u.Name + " is deactivated: reactivate them first.")
	}
	if err != nil {
		return err
	}
	link := &web.SignInLink{URL: h.opts.BaseURL.String() + "/invitations/" + token, Invitation: true}
	if purpose == store.TokenReset {
		link = &web.SignInLink{URL: h.opts.BaseURL.String() + "/password/reset/" + token}
	}
	return h.renderAdminUser(w, r, http.StatusOK, web.Form{}, link)
}

// adminLinkAgain answers a reload of the page that showed a link (or a
// bookmark of it): the link is not kept, so it cannot be shown again; the
// person's page can make another.
func (h *handler) adminLinkAgain(w http.ResponseWriter, r *http.Request) error {
	u, err := h.targetUser(r)
	if err != nil {
		return err
	}
	h.setFlash(w, "A link is shown only once, when it is made: make a new one below if you need it.")
	return redirect(w, r, "/admin/users/"+itoa(u.ID))
}

// mailsToLog reports whether e-mails go to the server's log (no SMTP_HOST)
// instead of to people.
func (h *handler) mailsToLog() bool {
	_, ok := h.mailer.(mail.Log)
	return ok
}

// adminSetRole changes a user's role and organisation.
func (h *handler) adminSetRole(w http.ResponseWriter, r *http.Request) error {
	u, err := h.targetUser(r)
	if err != nil {
		return err
	}
	form := web.Form{Values: formValues(r, "role", "organisation")}
	if u.ID == userFrom(r.Context()).ID && form.Values["role"] != string(store.RoleAdmin) {
		form.Errors = map[string]string{"role": "You cannot take away your own administrator role; ask another administrator."}
		return h.renderAdminUser(w, r, http.StatusUnprocessableEntity, form, nil)
	}
	orgID, _ := strconv.ParseInt(form.Values["organisation"], 10, 64)
	ended, err := h.store.SetUserRole(r.Context(), userFrom(r.Context()).ID, u.ID, store.Role(form.Values["role"]), orgID)
	if fieldErrors(err, &form) {
		return h.renderAdminUser(w, r, http.StatusUnprocessableEntity, form, nil)
	}
	if err != nil {
		return err
	}
	msg := u.Name + "'s role has been changed."
	if len(ended) > 0 {
		msg += " As they are no longer an advisor, their assignments ended: they no longer review " + web.JoinWords(orgNames(ended)) + "."
	}
	h.setFlash(w, msg)
	return redirect(w, r, "/admin/users/"+itoa(u.ID))
}

// adminSetActive deactivates (ending every session) or reactivates a user.
func (h *handler) adminSetActive(w http.ResponseWriter, r *http.Request) error {
	u, err := h.targetUser(r)
	if err != nil {
		return err
	}
	active := r.PostFormValue("active") == "true"
	if u.ID == userFrom(r.Context()).ID && !active {
		return badRequest("You cannot deactivate your own account.")
	}
	if err := h.store.SetUserActive(r.Context(), userFrom(r.Context()).ID, u.ID, active); err != nil {
		return err
	}
	switch {
	case active && !u.HasPassword:
		// Deactivating ended their invitation's link.
		h.setFlash(w, u.Name+" is active again, but has not accepted an invitation yet: send a new one (the earlier links no longer work).")
	case active:
		h.setFlash(w, u.Name+" can sign in again.")
	default:
		h.setFlash(w, u.Name+" has been deactivated and signed out everywhere.")
	}
	return redirect(w, r, "/admin/users/"+itoa(u.ID))
}

// adminReinvite sends a new invitation to a user who has not accepted.
func (h *handler) adminReinvite(w http.ResponseWriter, r *http.Request) error {
	u, err := h.targetUser(r)
	if err != nil {
		return err
	}
	switch err := h.store.Reinvite(r.Context(), userFrom(r.Context()).ID, u.ID); {
	case errors.Is(err, store.ErrAccepted), errors.Is(err, store.ErrInactive):
		return badRequest("This user has already accepted their invitation, or is deactivated.")
	case err != nil:
		return err
	}
	h.setFlash(w, "A new invitation is on its way to "+u.Email+". Once it goes out, the links of earlier invitations no longer work.")
	return redirect(w, r, "/admin/users/"+itoa(u.ID))
}

package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"groundwork/mail"
	"groundwork/store"
	"groundwork/web"
)

// adminUsers lists every user, with the invitation form.
func (h *handler) adminUsers(w http.ResponseWriter, r *http.Request) error {
	return h.renderAdminUsers(w, r, http.StatusOK, web.Form{})
}

func (h *handler) renderAdminUsers(w http.ResponseWriter, r *http.Request, status int, form web.Form) error {
	actor := userFrom(r.Context()).ID
	users, err := h.store.Users(r.Context(), actor)
	if err != nil {
		return err
	}
	orgs, err := h.store.Organisations(r.Context(), actor)
	if err != nil {
		return err
	}
	form.Order = []string{"name", "email", "role", "organisation"}
	return h.render(w, r, status, web.AdminUsersPage(h.page(r, "Users", "admin-users"), userRows(users), form, roleOptions(), orgOptions(orgs)))
}

// adminInvite creates a user without a password and e-mails them a link
// to choose one.
func (h *handler) adminInvite(w http.ResponseWriter, r *http.Request) error {
	form := web.Form{Values: formValues(r, "name", "email", "role", "organisation")}
	orgID, _ := strconv.ParseInt(form.Values["organisation"], 10, 64)
	u, err := h.store.CreateUser(r.Context(), store.NewUser{
		Email: form.Values["email"], Name: form.Values["name"], Role: store.Role(form.Values["role"]), OrganisationID: orgID,
		By: userFrom(r.Context()).ID,
	})
	if errors.Is(err, store.ErrEmailTaken) {
		err = &fieldError{"email", "Someone already has an account with this address."}
	}
	if fieldErrors(err, &form) {
		return h.renderAdminUsers(w, r, http.StatusUnprocessableEntity, form)
	}
	if err != nil {
		return err
	}
	if err := h.sendInvitation(r, u); err != nil {
		h.log.ErrorContext(r.Context(), "invitation e-mail", "err", err, "user", u.ID)
		h.setFlash(w, "The account was created, but the invitation e-mail could not be sent ("+err.Error()+"). Check the mail settings and send a new invitation.")
	} else {
		h.setFlash(w, "Invitation sent to "+u.Email+".")
	}
	return redirect(w, r, "/admin/users/"+itoa(u.ID))
}

// sendInvitation issues an invitation link and e-mails it.
func (h *handler) sendInvitation(r *http.Request, u store.User) error {
	token, err := h.store.CreateToken(r.Context(), u.ID, store.TokenInvite, inviteTTL)
	if err != nil {
		return err
	}
	inviter := userFrom(r.Context())
	link := h.opts.BaseURL.String() + "/invitations/" + token
	return h.mailer.Send(r.Context(), mail.Message{
		To:      u.Email,
		Subject: "You are invited to Groundwork",
		Body: "Hello " + u.Name + ",\n\n" + inviter.Name + " has invited you to Groundwork as " + u.Role.Label() + orgSuffix(u) + ".\n" +
			"Groundwork tracks the move of CommCare HQ or OpenCRVS onto your own servers, phase by phase.\n\n" +
			"Choose your password here; the link works once, for 7 days:\n\n" + link + "\n",
	})
}

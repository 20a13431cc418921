package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"groundwork/store"
	"groundwork/web"
)

// adminUsers lists every user, with the invitation form.
func (h *handler) adminUsers(w http.ResponseWriter, r *http.Request) error {
	// A link may choose the role and organisation (an organisation's page
	// inviting its first program manager); the form offers only valid ones.
	q := r.URL.Query()
	return h.renderAdminUsers(w, r, http.StatusOK, web.Form{Values: map[string]string{"role": q.Get("role"), "organisation": q.Get("organisation")}})
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
	assigned, err := h.store.AdvisorAssignments(r.Context(), actor)
	if err != nil {
		return err
	}
	rows := userRows(users)
	for i, u := range rows {
		rows[i].Reviews = orgNames(assigned[u.ID])
	}
	form.Order = []string{"name", "email", "role", "organisation"}
	return h.render(w, r, status, web.AdminUsersPage(h.page(r, "Users", "admin-users"), rows, form, roleOptions(), orgOptions(orgs), h.mailsToLog()))
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
	if err := h.store.QueueInvitation(r.Context(), u.ID, userFrom(r.Context()).ID); err != nil {
		return err
	}
	if h.mailsToLog() {
		h.setFlash(w, u.Name+" has an account. This server has no mail server, so no e-mail reaches them: make an invitation link below and send it to them yourself.")
	} else {
		h.setFlash(w, "Invitation sent to "+u.Email+". The e-mail goes out in the background, and is tried again for some hours if the mail server does not take it.")
	}
	return redirect(w, r, "/admin/users/"+itoa(u.ID))
}

// sendInvitation issues an invitation link and e-mails it (the invitation
// job), unless the user has accepted an invitation already or is
// deactivated.
func (h *handler) sendInvitation(ctx context.Context, userID, inviterID int64) error {
	u, err := h.store.UserByID(ctx, userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (u.HasPassword || !u.Active)) {
		return nil
	}
	if err != nil {
		return err
	}
	inviter := "An administrator"
	if by, err := h.store.UserByID(ctx, inviterID); err == nil {
		inviter = by.Name
	}
	token, err := h.store.CreateToken(ctx, u.ID, store.TokenInvite, inviteTTL)
	if err != nil {
		return err
	}
	return h.mailer.Send(ctx, invitationMessage(u, h.invitedAs(ctx, u, inviterID), inviter, h.opts.BaseURL.String()+"/invitations/"+token))
}

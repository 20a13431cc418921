package handlers

import (
	"net/http"

	"groundwork/store"
	"groundwork/web"
)

// notifications lists the signed-in user's notifications, newest first.
func (h *handler) notifications(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	list, err := h.store.Notifications(r.Context(), u.ID)
	if err != nil {
		return err
	}
	emails, err := h.store.NotificationEmail(r.Context(), u.ID)
	if err != nil {
		return err
	}
	v := web.NotificationsView{Max: store.MaxNotifications, Emails: string(emails), NoMail: h.mailsToLog()}
	for _, n := range list {
		v.Rows = append(v.Rows, web.NotificationRow{
			ID: n.ID, Text: h.notificationText(n), Detail: n.Detail, Href: notificationHref(n), When: web.StampOf(n.CreatedAt), Read: n.Read,
		})
	}
	p := h.page(r, "Notifications", "notifications")
	v.Unread = p.User.Unread // counted with the session, as the header shows it
	return h.render(w, r, http.StatusOK, web.NotificationsPage(p, v))
}

// notificationRead marks one notification read.
func (h *handler) notificationRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := h.store.MarkNotificationRead(r.Context(), userFrom(r.Context()).ID, id); err != nil {
		return err
	}
	// Back at the notification, where the message takes the focus
	// (app.js): the keyboard goes on from there, not from the top.
	h.setFlash(w, "Marked as read.")
	return redirect(w, r, "/notifications#n-"+itoa(id))
}

// notificationsRead marks every notification read.
func (h *handler) notificationsRead(w http.ResponseWriter, r *http.Request) error {
	if err := h.store.MarkAllNotificationsRead(r.Context(), userFrom(r.Context()).ID); err != nil {
		return err
	}
	h.setFlash(w, "All notifications are marked as read.")
	return redirect(w, r, "/notifications")
}

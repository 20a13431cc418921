package handlers

import (
	"fmt"
	"strings"

	"groundwork/mail"
	"groundwork/store"
	"groundwork/web"
)

// The words of every e-mail the portal sends, and of notifications on the
// page (notificationText).

// invitationMessage invites u as what invitedAs says.
func invitationMessage(u store.User, as, inviter, link string) mail.Message {
	return mail.Message{
		To:      u.Email,
		Subject: "You are invited to Groundwork",
		Body: "Hello " + u.Name + ",\n\n" + inviter + " has invited you to Groundwork as " + as + ".\n" +
			"Groundwork tracks the move of CommCare HQ or OpenCRVS onto your own servers, phase by phase.\n\n" +
			"Choose your password here; the link works once, for 7 days, and replaces any in an earlier invitation:\n\n" + link + "\n",
	}
}

func resetMessage(u store.User, link string) mail.Message {
	return mail.Message{
		To:      u.Email,
		Subject: "Reset your Groundwork password",
		Body: "Hello " + u.Name + ",\n\nSomeone (hopefully you) asked to reset the password of your Groundwork account.\n" +
			"Choose a new password here; the link works once, for one hour, and replaces any in an earlier e-mail:\n\n" + link +
			"\n\nIf you did not ask for this, ignore this message: your password stays as it is.\n",
	}
}

// phaseTitle names a notification's phase as its template does.
func (h *handler) phaseTitle(n store.Notification) string {
	if tpl, ok := h.catalog.Template(n.TemplateID, n.TemplateVersion); ok {
		if p, ok := tpl.Phase(n.PhaseKey); ok {
			return p.Title
		}
	}
	return n.PhaseKey
}

// notificationText says what happened, in one sentence.
func (h *handler) notificationText(n store.Notification) string {
	who := n.ActorName
	if who == "" {
		who = "Someone"
	}
	what := "“" + h.phaseTitle(n) + "” of " + n.AssessmentName + " (" + n.OrganisationName + ")"
	switch n.Kind {
	case store.NotifySubmitted:
		return who + " submitted " + what + " for review."
	case store.NotifyApproved:
		return who + " approved " + what + "."
	case store.NotifyChangesRequested:
		return who + " asked for changes to " + what + "."
	case store.NotifyMentioned:
		return who + " mentioned you in a comment on " + what + "."
	case store.NotifyWithdrawn:
		return who + " archived " + n.AssessmentName + " (" + n.OrganisationName + "): “" + h.phaseTitle(n) + "” no longer waits for your review."
	}
	return who + " changed " + what + "."
}

// notificationSubject is the subject of a notification's own e-mail.
func (h *handler) notificationSubject(n store.Notification) string {
	what := h.phaseTitle(n) + " · " + n.AssessmentName
	switch n.Kind {
	case store.NotifySubmitted:
		return "Ready for review: " + what
	case store.NotifyApproved:
		return "Approved: " + what
	case store.NotifyChangesRequested:
		return "Changes requested: " + what
	case store.NotifyMentioned:
		return "You were mentioned: " + what
	case store.NotifyWithdrawn:
		return "Withdrawn from review: " + what
	}
	return what
}

// notificationHref is where a notification leads, from the site's root.
func notificationHref(n store.Notification) string {
	href := "/assessments/" + itoa(n.AssessmentID)
	if n.PhaseKey != "" {
		href += "/phases/" + n.PhaseKey
	}
	if n.CommentID != 0 { // the comment itself (web.CommentView.Anchor)
		href += "#cm-" + itoa(n.CommentID)
	}
	return href
}

// notificationEntry is a notification as an e-mail lists it: the
// sentence, the actor's words quoted, the link.
func (h *handler) notificationEntry(b *strings.Builder, n store.Notification) {
	b.WriteString(h.notificationText(n) + "\n")
	if n.Detail != "" {
		b.WriteString("\n    " + strings.ReplaceAll(strings.TrimSpace(n.Detail), "\n", "\n    ") + "\n\n")
	}
	b.WriteString(h.opts.BaseURL.String() + notificationHref(n) + "\n")
}

func (h *handler) notificationMessage(m store.Mailing) mail.Message {
	var b strings.Builder
	b.WriteString("Hello " + m.Name + ",\n\n")
	h.notificationEntry(&b, m.Notification)
	base := h.opts.BaseURL.String()
	b.WriteString("\nAll your notifications: " + base + "/notifications\n" +
		"To get one e-mail a day instead of one for each, choose the daily digest on " + base + "/account\n")
	return mail.Message{To: m.To, Subject: h.notificationSubject(m.Notification), Body: b.String()}
}

func (h *handler) digestMessage(items []store.Mailing) mail.Message {
	var b strings.Builder
	b.WriteString("Hello " + items[0].Name + ",\n\nThis is your daily Groundwork digest: what happened since the last one.\n")
	for _, m := range items {
		b.WriteString("\n" + web.FormatTime(m.CreatedAt) + "\n")
		h.notificationEntry(&b, m.Notification)
	}
	base := h.opts.BaseURL.String()
	b.WriteString("\nAll your notifications: " + base + "/notifications\n" +
		"To get one e-mail for each instead, change your choice on " + base + "/account\n")
	subject := "Your Groundwork digest: 1 notification"
	if len(items) > 1 {
		subject = fmt.Sprintf("Your Groundwork digest: %d notifications", len(items))
	}
	return mail.Message{To: items[0].To, Subject: subject, Body: b.String()}
}

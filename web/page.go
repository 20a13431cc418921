package web

import "strings"

// Page carries what the layout needs on every page.
type Page struct {
	// Title goes in <title> and, for most pages, the <h1>.
	Title string
	// Section marks the current navigation entry ("home", "admin-orgs"...).
	Section string
	// Version is the running server's version, shown in the footer.
	Version string
	// User is the signed-in user, nil for visitors.
	User *SignedIn
	// Flash is a one-time message from the previous action.
	Flash string
	// IdleSeconds is the session's idle timeout, for the expiry warning.
	IdleSeconds int
	// IdleLeftMs is how long the session stays alive without another
	// request, in milliseconds: at most the idle timeout.
	IdleLeftMs int64
	// SessionTag names the session, for the deadline its tabs share.
	SessionTag string
}

// SignedIn is what the layout shows of the signed-in user.
type SignedIn struct {
	Name    string
	Role    string // admin, advisor, manager, viewer
	OrgSlug string // managers and viewers
	Unread  int    // unread notifications, up to 100
	// Waiting is the number of phases waiting in the review queue, for
	// advisors and admins: "" for none, "99+" beyond 99.
	Waiting string
}

// navItem is one entry of the main navigation.
type navItem struct {
	Section, Label, Href string
}

// navFor lists the navigation entries the user can use, in order.
func navFor(u *SignedIn) []navItem {
	items := []navItem{{"home", "Home", "/"}}
	items = append(items, navItem{"templates", "Templates", "/templates"})
	items = append(items, navItem{"sizing", "Sizing", "/sizing"})
	if u == nil {
		return items
	}
	items = append(items[:1], append([]navItem{{"assessments", "Assessments", "/assessments"}}, items[1:]...)...)
	if u.OrgSlug != "" {
		items = append(items, navItem{"org", "My organisation", "/orgs/" + u.OrgSlug})
	}
	if u.Role == "admin" || u.Role == "advisor" {
		items = append(items, navItem{"review", "Review queue", "/review"}, navItem{"portfolio", "Portfolio", "/portfolio"})
	}
	if u.Role == "admin" {
		items = append(items, navItem{"admin", "Admin", "/admin/organisations"})
	}
	return items
}

// adminNav lists the administration pages, which the pages of section
// "admin-…" show under the header (the main navigation has one entry for
// them, so that an admin's fits on one line at 1280 px).
var adminNav = []navItem{
	{"admin-orgs", "Organisations", "/admin/organisations"},
	{"admin-users", "Users", "/admin/users"},
	{"admin-audit", "Audit trail", "/admin/audit"},
}

// navSection is the main navigation's section of a page's: "admin" for
// every administration page.
func navSection(section string) string {
	if strings.HasPrefix(section, "admin-") {
		return "admin"
	}
	return section
}

// navCount is the number shown beside a navigation entry: the phases
// waiting beside the review queue.
func navCount(u *SignedIn, item navItem) string {
	if u == nil || item.Section != "review" {
		return ""
	}
	return u.Waiting
}

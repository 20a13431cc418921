package handlers

import (
	"strconv"

	"groundwork/store"
	"groundwork/web"
)

// userRow converts a user for display.
func userRow(u store.User) web.UserRow {
	last, signedIn := "never", web.Stamp{}
	if u.LastSignInAt != nil {
		last, signedIn = web.FormatTime(*u.LastSignInAt), web.StampOf(*u.LastSignInAt)
	}
	return web.UserRow{
		ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), RoleLabel: u.Role.Label(),
		OrgName: u.OrganisationName, OrgSlug: u.OrganisationSlug, Active: u.Active, HasPassword: u.HasPassword, LastSignIn: last, SignedIn: signedIn,
	}
}

func userRows(users []store.User) []web.UserRow {
	rows := make([]web.UserRow, len(users))
	for i, u := range users {
		rows[i] = userRow(u)
	}
	return rows
}

// orgRow converts an organisation for display.
func orgRow(o store.Organisation) web.OrgRow {
	return web.OrgRow{
		ID: o.ID, Slug: o.Slug, Name: o.Name, Platform: o.Platform, PlatformLabel: store.PlatformLabel(o.Platform),
		Members: o.Members, Advisors: o.Advisors, Created: web.FormatDate(o.CreatedAt),
	}
}

// orgNames are organisations' names, in their order.
func orgNames(orgs []store.Organisation) []string {
	names := make([]string, len(orgs))
	for i, o := range orgs {
		names[i] = o.Name
	}
	return names
}

// adminOrgLinks links organisations to their admin pages.
func adminOrgLinks(orgs []store.Organisation) []web.Link {
	links := make([]web.Link, len(orgs))
	for i, o := range orgs {
		links[i] = web.Link{Text: o.Name, Href: "/admin/organisations/" + itoa(o.ID)}
	}
	return links
}

// platformOptions are the choices of an organisation's platform.
func platformOptions() []web.Option {
	opts := make([]web.Option, len(store.Platforms))
	for i, p := range store.Platforms {
		opts[i] = web.Option{Value: p, Label: store.PlatformLabel(p)}
	}
	return opts
}

// roleOptions are the choices of a user's role.
func roleOptions() []web.Option {
	opts := []web.Option{{Value: "", Label: "Choose a role"}}
	for _, r := range store.Roles {
		opts = append(opts, web.Option{Value: string(r), Label: r.Label()})
	}
	return opts
}

// orgOptions are the organisations an admin can put a user in.
func orgOptions(orgs []store.Organisation) []web.Option {
	opts := []web.Option{{Value: "", Label: "None (administrators and advisors)"}}
	for _, o := range orgs {
		opts = append(opts, web.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
	}
	return opts
}

func itoa(i int64) string { return strconv.FormatInt(i, 10) }

// pathID reads a numeric path parameter; anything else is a 404.
func pathID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

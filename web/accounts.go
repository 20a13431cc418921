package web

import "strings"

// UserRow is a user as pages list them.
type UserRow struct {
	ID          int64
	Name        string
	Email       string
	Role        string // admin, advisor, manager, viewer
	RoleLabel   string
	OrgName     string
	OrgSlug     string
	Active      bool
	HasPassword bool
	LastSignIn  string // "never" or a date
	SignedIn    Stamp  // the last sign-in; zero when never
	// Reviews are the names of the organisations an advisor is assigned
	// to, where the list shows them (the admin's).
	Reviews []string
}

// maxReviewsNamed is how many organisations an advisor's row in a list
// names; beyond, it counts them.
const maxReviewsNamed = 3

// orgText is a user's organisation as a list shows it: a program
// manager's or viewer's own, or the organisations an advisor reviews.
func (u UserRow) orgText() string {
	switch n := len(u.Reviews); {
	case u.OrgName != "" || n == 0:
		return u.OrgName
	case n > maxReviewsNamed:
		return "Reviews " + plural(n, "organisation", "organisations")
	default:
		return "Reviews: " + strings.Join(u.Reviews, ", ")
	}
}

// OrgRow is an organisation as pages list it.
type OrgRow struct {
	ID            int64
	Slug          string
	Name          string
	Platform      string
	PlatformLabel string
	Members       int
	Advisors      int
	Created       string
}

// status returns a user's state in words and its badge class.
func (u UserRow) status() (string, string) {
	switch {
	case !u.Active:
		return "Deactivated", "danger"
	case !u.HasPassword:
		return "Invited", "warn"
	default:
		return "Active", "ok"
	}
}

// AdminUserView is what the page of one user shows.
type AdminUserView struct {
	User     UserRow
	Sessions int
	IsSelf   bool
	Form     Form
	Orgs     []Option
	Roles    []Option
	// MailToLog: the server has no mail server; e-mails go to its log.
	MailToLog bool
	// Link is a sign-in link just made for the admin to pass on.
	Link *SignInLink
	// Reviews are the organisations an advisor is assigned to, each
	// linking to its admin page.
	Reviews []Link
}

// roleChangeWarning says what changing an advisor's role ends: "" for
// anyone else, or an advisor assigned nowhere.
func (v AdminUserView) roleChangeWarning() string {
	if v.User.Role != "advisor" || len(v.Reviews) == 0 {
		return ""
	}
	names := make([]string, len(v.Reviews))
	for i, l := range v.Reviews {
		names[i] = l.Text
	}
	return "Changing the role away from Advisor ends " + v.User.Name + "'s assignments: they will no longer review " + JoinWords(names) + "."
}

// inviteHint says what the invitation link button is for.
func (v AdminUserView) inviteHint() string {
	if v.MailToLog {
		return "To send " + v.User.Name + " yourself. It works once, for 7 days; earlier invitation links stop working."
	}
	return "To send " + v.User.Name + " yourself, for instance when the e-mail does not arrive. It works once, for 7 days; earlier invitation links, e-mailed or made here, stop working."
}

// SignInLink is a single-use link an admin passes on: an invitation, or a
// password reset.
type SignInLink struct {
	URL        string
	Invitation bool
}

// AdminOrgView is what the page of one organisation shows to an admin.
type AdminOrgView struct {
	Org        OrgRow
	Members    []UserRow
	Candidates []Option // advisors not yet assigned
	Advisors   int      // active advisors in the whole portal
	Form       Form     // edit name and platform
	Platforms  []Option
	// People and Assessments: how many belong to it (archived assessments
	// too); an organisation with neither may be deleted.
	People, Assessments int
}

// AdminImportView is what the import page shows: the form, the
// organisations an assessment can move into, and the size limits.
type AdminImportView struct {
	Form             Form
	Organisations    []Option // the first is the empty "Choose" option
	HasOrganisations bool
	Limit            string // the largest upload, in words ("200 MB")
	LimitBytes       int64  // the same in bytes: the page refuses a larger file before sending it
	TooLarge         string // the message for a larger one
	// Earlier is the organisation's import of the same assessment, when
	// the upload was one; OfferAgain shows the box that imports it again.
	Earlier       *Link
	OfferAgain    bool
	EvidenceLimit string // the largest evidence file
}

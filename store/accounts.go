package store

import (
	"errors"
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// Role is what a user may do.
type Role string

// The roles.
const (
	// RoleAdmin manages organisations, users and advisor assignments.
	RoleAdmin Role = "admin"
	// RoleAdvisor reads, comments on, approves or sends back the work of the
	// organisations assigned to them; never edits answers.
	RoleAdvisor Role = "advisor"
	// RoleManager creates and edits the assessments of one organisation.
	RoleManager Role = "manager"
	// RoleViewer reads the assessments of one organisation.
	RoleViewer Role = "viewer"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleAdvisor, RoleManager, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range Roles {
		if r == k {
			return true
		}
	}
	return false
}

// BelongsToOrganisation reports whether users with this role are members of
// exactly one organisation (managers and viewers).
func (r Role) BelongsToOrganisation() bool { return r == RoleManager || r == RoleViewer }

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "Administrator"
	case RoleAdvisor:
		return "Advisor"
	case RoleManager:
		return "Program manager"
	case RoleViewer:
		return "Viewer"
	}
	return string(r)
}

// Platforms an organisation may be interested in.
var Platforms = []string{"commcare", "opencrvs", "both"}

// PlatformLabel names a platform value for people.
func PlatformLabel(p string) string {
	switch p {
	case "commcare":
		return "CommCare HQ"
	case "opencrvs":
		return "OpenCRVS"
	case "both":
		return "CommCare HQ and OpenCRVS"
	}
	return p
}

// User is a person who can sign in.
type User struct {
	ID               int64
	Email            string
	Name             string
	Role             Role
	OrganisationID   int64  // 0 for admins and advisors
	OrganisationName string // "" for admins and advisors
	OrganisationSlug string // "" for admins and advisors
	Active           bool
	HasPassword      bool // false until an invitation is accepted
	LastSignInAt     *time.Time
	CreatedAt        time.Time
}

// Organisation is a ministry, NGO or country programme.
type Organisation struct {
	ID        int64
	Slug      string
	Name      string
	Platform  string
	CreatedAt time.Time
	Members   int // users belonging to it (lists only)
	Advisors  int // advisors assigned to it (lists only)
}

// Errors returned by account methods.
var (
	ErrEmailTaken     = errors.New("store: e-mail address already in use")
	ErrSlugTaken      = errors.New("store: organisation slug already in use")
	ErrBadCredentials = errors.New("store: wrong e-mail address or password")
	// ErrDeactivated refuses the right password of a deactivated account.
	ErrDeactivated  = errors.New("store: the account is deactivated")
	ErrTokenInvalid = errors.New("store: token unknown, used or expired")
)

// Problem names what is wrong with a typed value. The store says what; the
// handlers (and the command line) say it in words.
type Problem string

// The problems the store finds in what people type about accounts and
// organisations.
const (
	NoEmail             Problem = "no e-mail address"
	NotAnEmail          Problem = "not an e-mail address"
	NoName              Problem = "no name"
	NoOwnName           Problem = "no name of one's own"
	NameTooLong         Problem = "name too long"
	NoRole              Problem = "no role"
	NoOrganisation      Problem = "no organisation"
	UnknownOrganisation Problem = "unknown organisation"
	NoOrganisationName  Problem = "no organisation name"
	NoSlug              Problem = "no short name"
	NotASlug            Problem = "not a short name"
	NoPlatform          Problem = "no platform"
	NoPasswordYet       Problem = "no password yet"
	WrongPassword       Problem = "wrong current password"
	PasswordUnchanged   Problem = "new password is the current one"
	PasswordTooShort    Problem = "password too short"
	PasswordTooLong     Problem = "password too long"
	PasswordIsEmail     Problem = "password is the e-mail address"
	PasswordCommon      Problem = "password is a common one"
	PasswordCommonWords Problem = "password is built on common words"
	PasswordPersonal    Problem = "password is built on the person's name or address"
	PasswordRepeats     Problem = "password repeats characters"
	PasswordSequence    Problem = "password follows a sequence"
	PasswordKeyboard    Problem = "password follows the keyboard"
	PasswordDate        Problem = "password is mostly a date"
	PasswordGuessable   Problem = "password is a pattern guessers try"
)

// FieldErrors maps each refused form field to its problem.
type FieldErrors map[string]Problem

func (f FieldErrors) Error() string {
	var parts []string
	for k, v := range f {
		parts = append(parts, k+": "+string(v))
	}
	return "store: invalid input: " + strings.Join(parts, "; ")
}

// CleanName is a person's or an organisation's name as kept: its words
// separated by one space each ("  Grace   W. Wanjiru " as "Grace W.
// Wanjiru").
func CleanName(name string) string { return strings.Join(strings.Fields(name), " ") }

// NormalizeEmail trims and lower-cases an address; e-mail addresses are
// unique without regard to case.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CheckEmail returns the problem when email is not a plain address, or "".
func CheckEmail(email string) Problem {
	a, err := mail.ParseAddress(email)
	if email == "" {
		return NoEmail
	}
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@"):], ".") {
		return NotAnEmail
	}
	return ""
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// CheckSlug returns NoSlug or NotASlug when slug is not a valid
// organisation slug.
func CheckSlug(slug string) Problem {
	if slug == "" {
		return NoSlug
	}
	if !slugPattern.MatchString(slug) {
		return NotASlug
	}
	return ""
}

package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"groundwork/store"
	"groundwork/store/storetest"
)

// fixture is two organisations and one user of every role, the advisor
// assigned to org A only.
type fixture struct {
	st                                 *store.Store
	pool                               *pgxpool.Pool // for aging rows by hand
	orgA, orgB                         store.Organisation
	admin, advisor, manager, viewer, b store.User // b: a manager of org B
}

const testPassword = "correct horse battery"

func newFixture(t *testing.T) fixture { return newFixtureB(t) }

func newFixtureB(t testing.TB) fixture {
	t.Helper()
	ctx := context.Background()
	f := fixture{pool: storetest.Pool(t)}
	f.st = store.New(f.pool)
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f.orgA, err = f.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "moh-a", Name: "Ministry A", Platform: "commcare"})
	must(err)
	f.orgB, err = f.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "moh-b", Name: "Ministry B", Platform: "opencrvs"})
	must(err)
	user := func(email string, role store.Role, org int64) store.User {
		u, err := f.st.CreateUser(ctx, store.NewUser{Email: email, Name: string(role) + " " + email, Role: role, OrganisationID: org, Password: testPassword})
		must(err)
		return u
	}
	f.admin = user("admin@example.org", store.RoleAdmin, 0)
	f.advisor = user("advisor@example.org", store.RoleAdvisor, 0)
	f.manager = user("manager@example.org", store.RoleManager, f.orgA.ID)
	f.viewer = user("viewer@example.org", store.RoleViewer, f.orgA.ID)
	f.b = user("manager@b.example.org", store.RoleManager, f.orgB.ID)
	must(f.st.AssignAdvisor(ctx, f.admin.ID, f.advisor.ID, f.orgA.ID))
	return f
}

func TestCreateUserValidates(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		user  store.NewUser
		field string
	}{
		{"bad e-mail", store.NewUser{Email: "not-an-address", Name: "X", Role: store.RoleAdmin}, "email"},
		{"display-name e-mail", store.NewUser{Email: "X <x@example.org>", Name: "X", Role: store.RoleAdmin}, "email"},
		{"no name", store.NewUser{Email: "x@example.org", Name: "  ", Role: store.RoleAdmin}, "name"},
		{"unknown role", store.NewUser{Email: "x@example.org", Name: "X", Role: "owner"}, "role"},
		{"manager without organisation", store.NewUser{Email: "x@example.org", Name: "X", Role: store.RoleManager}, "organisation"},
		{"viewer of a missing organisation", store.NewUser{Email: "x@example.org", Name: "X", Role: store.RoleViewer, OrganisationID: 999999}, "organisation"},
		{"short password", store.NewUser{Email: "x@example.org", Name: "X", Role: store.RoleAdmin, Password: "short"}, "password"},
		{"password is the e-mail", store.NewUser{Email: "xylophone@example.org", Name: "X", Role: store.RoleAdmin, Password: "Xylophone@example.org"}, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.st.CreateUser(ctx, tt.user)
			var fe store.FieldErrors
			if !errors.As(err, &fe) || fe[tt.field] == "" {
				t.Errorf("CreateUser = %v, want a message for field %q", err, tt.field)
			}
		})
	}

	_, err := f.st.CreateUser(ctx, store.NewUser{Email: " MANAGER@Example.org ", Name: "Dup", Role: store.RoleAdmin})
	if !errors.Is(err, store.ErrEmailTaken) {
		t.Errorf("same address in other case: err = %v, want ErrEmailTaken", err)
	}
	u, err := f.st.CreateUser(ctx, store.NewUser{Email: "Advisor2@Example.ORG", Name: "Ad", Role: store.RoleAdvisor, OrganisationID: f.orgA.ID})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "advisor2@example.org" || u.OrganisationID != 0 || u.HasPassword {
		t.Errorf("created %+v: want a lower-cased address, no organisation for an advisor, no password", u)
	}
	// A name's words are kept one space apart, as when it is changed.
	g, err := f.st.CreateUser(ctx, store.NewUser{Email: "grace@example.org", Name: "  Grace   W.\tWanjiru ", Role: store.RoleAdvisor})
	if err != nil || g.Name != "Grace W. Wanjiru" {
		t.Errorf("created %q, %v; want the name's words one space apart", g.Name, err)
	}
	if err := f.st.SetUserName(ctx, g.ID, "Grace  Wanjiru"); err != nil {
		t.Fatal(err)
	}
	if g, _ := f.st.UserByID(ctx, g.ID); g.Name != "Grace Wanjiru" {
		t.Errorf("renamed %q, want the words one space apart", g.Name)
	}
}

func TestAuthenticate(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u, err := f.st.Authenticate(ctx, "  Manager@Example.org", testPassword)
	if err != nil || u.ID != f.manager.ID {
		t.Fatalf("Authenticate(right password) = %+v, %v", u, err)
	}
	if u.LastSignInAt == nil || time.Since(*u.LastSignInAt) > time.Minute {
		t.Errorf("LastSignInAt = %v, want now", u.LastSignInAt)
	}
	invited, _ := f.st.CreateUser(ctx, store.NewUser{Email: "new@example.org", Name: "New", Role: store.RoleAdmin})
	if err := f.st.SetUserActive(ctx, f.admin.ID, f.viewer.ID, false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, email, password string }{
		{"wrong password", "manager@example.org", "wrong password!!"},
		{"unknown address", "nobody@example.org", testPassword},
		{"deactivated, wrong password", "viewer@example.org", "wrong password!!"},
		{"invited, no password yet", invited.Email, ""},
		{"absurdly long password", "manager@example.org", string(make([]byte, 10000))},
	} {
		if _, err := f.st.Authenticate(ctx, c.email, c.password); !errors.Is(err, store.ErrBadCredentials) {
			t.Errorf("%s: err = %v, want ErrBadCredentials", c.name, err)
		}
	}
	// Only the right password learns that the account is deactivated.
	if _, err := f.st.Authenticate(ctx, "viewer@example.org", testPassword); !errors.Is(err, store.ErrDeactivated) {
		t.Errorf("deactivated, right password: err = %v, want ErrDeactivated", err)
	}
}

func TestOrganisationVisibility(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		actor      store.User
		seesA      bool
		seesB      bool
		orgsListed int
	}{
		{f.admin, true, true, 2},
		{f.advisor, true, false, 1},
		{f.manager, true, false, 1},
		{f.viewer, true, false, 1},
		{f.b, false, true, 1},
	}
	for _, tt := range tests {
		t.Run(string(tt.actor.Role)+" "+tt.actor.Email, func(t *testing.T) {
			for _, c := range []struct {
				org  store.Organisation
				sees bool
			}{{f.orgA, tt.seesA}, {f.orgB, tt.seesB}} {
				_, err := f.st.Organisation(ctx, tt.actor.ID, c.org.ID)
				_, errSlug := f.st.OrganisationBySlug(ctx, tt.actor.ID, c.org.Slug)
				members, _ := f.st.Members(ctx, tt.actor.ID, c.org.ID)
				if c.sees && (err != nil || errSlug != nil || len(members) == 0) {
					t.Errorf("%s: err = %v / %v, %d members; want visible", c.org.Slug, err, errSlug, len(members))
				}
				if !c.sees && (!errors.Is(err, store.ErrNotFound) || !errors.Is(errSlug, store.ErrNotFound) || len(members) != 0) {
					t.Errorf("%s: err = %v / %v, %d members; want ErrNotFound and nothing", c.org.Slug, err, errSlug, len(members))
				}
			}
			orgs, err := f.st.Organisations(ctx, tt.actor.ID)
			if err != nil || len(orgs) != tt.orgsListed {
				t.Errorf("Organisations = %d, %v; want %d", len(orgs), err, tt.orgsListed)
			}
		})
	}

	// Membership includes assigned advisors, and counts add up.
	a, _ := f.st.Organisation(ctx, f.admin.ID, f.orgA.ID)
	if a.Members != 2 || a.Advisors != 1 {
		t.Errorf("org A counts = %d members, %d advisors; want 2, 1", a.Members, a.Advisors)
	}
	members, _ := f.st.Members(ctx, f.manager.ID, f.orgA.ID)
	if len(members) != 3 {
		t.Errorf("org A members seen by its manager = %d, want 3 (manager, viewer, advisor)", len(members))
	}

	// Unassigning, changing role or deactivating takes access away at once.
	if err := f.st.UnassignAdvisor(ctx, f.admin.ID, f.advisor.ID, f.orgA.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Organisation(ctx, f.advisor.ID, f.orgA.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after unassigning, advisor still sees org A: %v", err)
	}
	if err := f.st.SetUserActive(ctx, f.admin.ID, f.manager.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Organisation(ctx, f.manager.ID, f.orgA.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deactivated manager still sees org A: %v", err)
	}
	if _, err := f.st.SetUserRole(ctx, f.admin.ID, f.viewer.ID, store.RoleViewer, f.orgB.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Organisation(ctx, f.viewer.ID, f.orgA.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("viewer moved to org B still sees org A: %v", err)
	}
	if err := f.st.AssignAdvisor(ctx, f.admin.ID, f.viewer.ID, f.orgA.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("assigning a viewer as advisor: err = %v, want ErrNotFound", err)
	}
}

func TestUsersListIsScoped(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	all, _ := f.st.Users(ctx, f.admin.ID)
	if len(all) != 5 {
		t.Errorf("admin sees %d users, want 5", len(all))
	}
	mine, _ := f.st.Users(ctx, f.manager.ID)
	for _, u := range mine {
		if u.OrganisationID != f.orgA.ID {
			t.Errorf("manager of A sees %s of organisation %d", u.Email, u.OrganisationID)
		}
	}
	if _, err := f.st.UserVisibleTo(ctx, f.manager.ID, f.b.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("manager of A reads a user of B: err = %v", err)
	}
	if _, err := f.st.UserVisibleTo(ctx, f.admin.ID, f.b.ID); err != nil {
		t.Errorf("admin reads a user of B: %v", err)
	}
}

func TestOrganisationValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, o := range []store.Organisation{
		{Slug: "Bad Slug", Name: "X", Platform: "commcare"},
		{Slug: "-x", Name: "X", Platform: "commcare"},
		{Slug: "ok", Name: "", Platform: "commcare"},
		{Slug: "ok", Name: "X", Platform: "dhis2"},
	} {
		var fe store.FieldErrors
		if _, err := f.st.CreateOrganisation(ctx, 0, o); !errors.As(err, &fe) {
			t.Errorf("CreateOrganisation(%+v) = %v, want field errors", o, err)
		}
	}
	// No short name at all is asked for, not called malformed.
	var fe store.FieldErrors
	if _, err := f.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: " ", Name: "X", Platform: "commcare"}); !errors.As(err, &fe) || fe["slug"] != store.NoSlug {
		t.Errorf("an empty short name = %v, want NoSlug", err)
	}
	if o, err := f.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "moh-c", Name: " Ministry  of Health  C ", Platform: "commcare"}); err != nil || o.Name != "Ministry of Health C" {
		t.Errorf("created %q, %v; want the name's words one space apart", o.Name, err)
	}
	if _, err := f.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "MOH-A", Name: "Again", Platform: "both"}); !errors.Is(err, store.ErrSlugTaken) {
		t.Errorf("duplicate slug (other case): err = %v, want ErrSlugTaken", err)
	}
	if err := f.st.UpdateOrganisation(ctx, f.admin.ID, store.Organisation{ID: f.orgA.ID, Name: "Ministry of Health A", Platform: "both"}); err != nil {
		t.Fatal(err)
	}
	a, _ := f.st.Organisation(ctx, f.admin.ID, f.orgA.ID)
	if a.Name != "Ministry of Health A" || a.Platform != "both" || a.Slug != "moh-a" {
		t.Errorf("after update: %+v", a)
	}
}

func TestChangePassword(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var fe store.FieldErrors
	if err := f.st.ChangePassword(ctx, f.manager.ID, "wrong current pw", "a brand new passphrase", nil); !errors.As(err, &fe) || fe["current"] == "" {
		t.Errorf("wrong current password: err = %v", err)
	}
	if err := f.st.ChangePassword(ctx, f.manager.ID, testPassword, "short", nil); !errors.As(err, &fe) || fe["password"] == "" {
		t.Errorf("short new password: err = %v", err)
	}
	if err := f.st.ChangePassword(ctx, f.manager.ID, testPassword, testPassword, nil); !errors.As(err, &fe) || fe["password"] != store.PasswordUnchanged {
		t.Errorf("the current password as the new one: err = %v, want PasswordUnchanged", err)
	}
	if err := f.st.ChangePassword(ctx, f.manager.ID, testPassword, "a brand new passphrase", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.Authenticate(ctx, f.manager.Email, "a brand new passphrase"); err != nil {
		t.Errorf("new password does not work: %v", err)
	}
	if _, err := f.st.Authenticate(ctx, f.manager.Email, testPassword); !errors.Is(err, store.ErrBadCredentials) {
		t.Errorf("old password still works: %v", err)
	}
}

func BenchmarkHashPassword(b *testing.B) {
	st := storetest.Store(b)
	ctx := context.Background()
	if _, err := st.CreateUser(ctx, store.NewUser{Email: "bench@example.org", Name: "B", Role: store.RoleAdmin, Password: testPassword}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := st.Authenticate(ctx, "bench@example.org", testPassword); err != nil {
			b.Fatal(err)
		}
	}
}

// Only an active admin manages users, organisations and advisors, whatever
// the caller: the store refuses everyone else itself, and changes nothing.
func TestAdminChangesNeedAnAdmin(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	retired, err := f.st.CreateUser(ctx, store.NewUser{Email: "retired@example.org", Name: "Retired admin", Role: store.RoleAdmin, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetUserActive(ctx, f.admin.ID, retired.ID, false); err != nil {
		t.Fatal(err)
	}
	for name, actor := range map[string]int64{"manager": f.manager.ID, "viewer": f.viewer.ID, "advisor": f.advisor.ID, "deactivated admin": retired.ID, "nobody": 0} {
		for what, err := range map[string]error{
			"make the viewer an admin":    second(f.st.SetUserRole(ctx, actor, f.viewer.ID, store.RoleAdmin, 0)),
			"deactivate the manager":      f.st.SetUserActive(ctx, actor, f.manager.ID, false),
			"rename organisation A":       f.st.UpdateOrganisation(ctx, actor, store.Organisation{ID: f.orgA.ID, Name: "Taken", Platform: "both"}),
			"assign the advisor to B":     f.st.AssignAdvisor(ctx, actor, f.advisor.ID, f.orgB.ID),
			"unassign the advisor from A": f.st.UnassignAdvisor(ctx, actor, f.advisor.ID, f.orgA.ID),
		} {
			if !errors.Is(err, store.ErrForbidden) {
				t.Errorf("%s may %s: %v", name, what, err)
			}
		}
	}
	viewer, _ := f.st.UserByID(ctx, f.viewer.ID)
	manager, _ := f.st.UserByID(ctx, f.manager.ID)
	org, _ := f.st.Organisation(ctx, f.admin.ID, f.orgA.ID)
	if viewer.Role != store.RoleViewer || !manager.Active || org.Name != "Ministry A" {
		t.Errorf("refused changes were made: viewer %s, manager active %v, organisation %q", viewer.Role, manager.Active, org.Name)
	}
	if err := f.st.AssignAdvisor(ctx, f.admin.ID, f.advisor.ID, f.orgB.ID); err != nil {
		t.Errorf("the admin assigns the advisor: %v", err)
	}
	if _, err := f.st.SetUserRole(ctx, f.admin.ID, 999999, store.RoleViewer, f.orgA.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the admin changes an unknown user: %v, want ErrNotFound", err)
	}
	// The advisor still sees only A and B: nothing was unassigned.
	orgs, _ := f.st.Organisations(ctx, f.advisor.ID)
	if len(orgs) != 2 {
		t.Errorf("advisor sees %d organisations, want 2", len(orgs))
	}
}

// Names of organisations and people hold 200 characters, counted as
// characters, as the database counts them: names in Amharic, Arabic or
// French take two or three bytes a letter. One more is refused.
func TestNamesCountCharactersNotBytes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, letter := range []string{"é", "ም", "ص"} {
		name := strings.Repeat(letter, 200)
		o, err := f.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "org-" + strconv.Itoa(len(letter)) + "-" + strconv.Itoa(int([]rune(letter)[0])), Name: name, Platform: "commcare"})
		if err != nil {
			t.Errorf("an organisation named with 200 × %q: %v", letter, err)
			continue
		}
		u, err := f.st.CreateUser(ctx, store.NewUser{Email: "u" + strconv.Itoa(int(o.ID)) + "@example.org", Name: name, Role: store.RoleManager, OrganisationID: o.ID, Password: testPassword})
		if err != nil {
			t.Errorf("a person named with 200 × %q: %v", letter, err)
			continue
		}
		if err := f.st.SetUserName(ctx, u.ID, name); err != nil {
			t.Errorf("renaming to 200 × %q: %v", letter, err)
		}
		var fe store.FieldErrors
		if _, err := f.st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "too-long", Name: name + letter, Platform: "commcare"}); !errors.As(err, &fe) || fe["name"] == "" {
			t.Errorf("201 × %q: err = %v, want the name refused", letter, err)
		}
		if err := f.st.SetUserName(ctx, u.ID, name+letter); !errors.As(err, &fe) || fe["name"] == "" {
			t.Errorf("renaming to 201 × %q: err = %v, want the name refused", letter, err)
		}
	}
}

// An advisor created with an organisation chosen starts assigned to it,
// and the audit trail says so; one created without has none.
func TestAdvisorCreatedWithAnOrganisationIsAssigned(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	adv, err := f.st.CreateUser(ctx, store.NewUser{Email: "first@example.org", Name: "First", Role: store.RoleAdvisor, OrganisationID: f.orgA.ID, Password: testPassword, By: f.admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	if adv.OrganisationID != 0 {
		t.Errorf("the advisor belongs to organisation %d, want none (advisors are assigned)", adv.OrganisationID)
	}
	orgs, err := f.st.OrganisationNames(ctx, adv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 1 || orgs[0].ID != f.orgA.ID {
		t.Errorf("the new advisor sees %+v, want only the organisation chosen", orgs)
	}
	var events int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM history WHERE kind = 'advisor' AND item_key = 'first@example.org' AND new_value = 'assigned'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	if events != 1 {
		t.Errorf("%d audit events of the assignment, want 1", events)
	}
	none, err := f.st.CreateUser(ctx, store.NewUser{Email: "none@example.org", Name: "None", Role: store.RoleAdvisor, Password: testPassword, By: f.admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	if orgs, _ := f.st.OrganisationNames(ctx, none.ID); len(orgs) != 0 {
		t.Errorf("an advisor created without an organisation sees %d", len(orgs))
	}
}

// An advisor given another role is no longer assigned anywhere, and
// SetUserRole says which organisations they stopped reviewing, for the
// admin to be told.
func TestRoleChangeEndsAnAdvisorsAssignments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.st.AssignAdvisor(ctx, f.admin.ID, f.advisor.ID, f.orgB.ID); err != nil {
		t.Fatal(err)
	}
	assigned, err := f.st.AdvisorOrganisations(ctx, f.admin.ID, f.advisor.ID)
	if err != nil || len(assigned) != 2 || assigned[0].Name != "Ministry A" || assigned[1].Name != "Ministry B" {
		t.Fatalf("AdvisorOrganisations = %+v, %v; want Ministry A and Ministry B", assigned, err)
	}
	ended, err := f.st.SetUserRole(ctx, f.admin.ID, f.advisor.ID, store.RoleViewer, f.orgA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ended) != 2 || ended[0].ID != f.orgA.ID || ended[1].ID != f.orgB.ID || ended[1].Name != "Ministry B" {
		t.Errorf("ended = %+v, want Ministry A and Ministry B", ended)
	}
	if assigned, _ := f.st.AdvisorOrganisations(ctx, f.admin.ID, f.advisor.ID); len(assigned) != 0 {
		t.Errorf("still assigned to %+v", assigned)
	}
	// Back to advisor: nothing ended, nothing comes back by itself.
	if ended, err := f.st.SetUserRole(ctx, f.admin.ID, f.advisor.ID, store.RoleAdvisor, 0); err != nil || len(ended) != 0 {
		t.Errorf("back to advisor: ended %+v, %v; want none", ended, err)
	}
	// A role change of someone who was no advisor ends nothing.
	if ended, err := f.st.SetUserRole(ctx, f.admin.ID, f.viewer.ID, store.RoleManager, f.orgA.ID); err != nil || len(ended) != 0 {
		t.Errorf("viewer to manager: ended %+v, %v; want none", ended, err)
	}
}

// second is the error of a call that returns a value and an error.
func second[T any](_ T, err error) error { return err }

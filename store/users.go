package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// NewUser is what creating a user takes. Password may be empty for an
// invited user, who sets it when accepting the invitation.
type NewUser struct {
	Email          string
	Name           string
	Role           Role
	OrganisationID int64 // a manager's or viewer's; an advisor's first assignment
	Password       string
	// By is the administrator creating the account (only an active one
	// may), recorded in the audit trail; 0 for the operator at the
	// command line.
	By int64
}

// Validate normalises the e-mail address and checks every field.
func (n *NewUser) Validate() error {
	n.Email = NormalizeEmail(n.Email)
	n.Name = CleanName(n.Name)
	errs := FieldErrors{}
	if p := CheckEmail(n.Email); p != "" {
		errs["email"] = p
	}
	if n.Name == "" {
		errs["name"] = NoName
	} else if tooLongName(n.Name) {
		errs["name"] = NameTooLong
	}
	switch {
	case !n.Role.Valid():
		errs["role"] = NoRole
	case n.Role.BelongsToOrganisation() && n.OrganisationID == 0:
		errs["organisation"] = NoOrganisation
	case !n.Role.BelongsToOrganisation():
		n.OrganisationID = 0
	}
	if n.Password != "" {
		if p := CheckPassword(n.Password, n.Email, n.Name); p != "" {
			errs["password"] = p
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

const userColumns = `u.id, u.email, u.name, u.role, coalesce(u.organisation_id, 0), coalesce(o.name, ''), coalesce(o.slug, ''),
	u.active, u.password_hash IS NOT NULL, u.last_sign_in_at, u.created_at`

const userFrom = ` FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id `

func scanUser(row pgx.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.OrganisationID, &u.OrganisationName, &u.OrganisationSlug,
		&u.Active, &u.HasPassword, &u.LastSignInAt, &u.CreatedAt)
	return u, err
}

// CreateUser validates and inserts a user: invited when it has no
// password yet. ErrForbidden when n.By is not an active administrator.
func (s *Store) CreateUser(ctx context.Context, n NewUser) (User, error) {
	var assign int64 // an advisor starts assigned to the organisation chosen
	if n.Role == RoleAdvisor {
		assign = n.OrganisationID
	}
	if err := n.Validate(); err != nil {
		return User{}, err
	}
	var hash *string
	if n.Password != "" {
		h, err := hashPassword(n.Password)
		if err != nil {
			return User{}, fmt.Errorf("store: create user: %w", err)
		}
		hash = &h
	}
	var org *int64
	if n.OrganisationID != 0 {
		org = &n.OrganisationID
	}
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var orgName string
		err := tx.QueryRow(ctx, `
			INSERT INTO users (email, name, role, organisation_id, password_hash)
			SELECT $1, $2, $3, $4, $5 WHERE $6 = 0 OR `+isAdmin("$6")+`
			RETURNING id, coalesce((SELECT o.name FROM organisations o WHERE o.id = $4), '')`,
			n.Email, n.Name, n.Role, org, hash, n.By).Scan(&id, &orgName)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrForbidden
		}
		if err != nil {
			return err
		}
		what := "invited as "
		if hash != nil {
			what = "created as "
		}
		if err := logEvent(ctx, tx, n.By, n.OrganisationID, "account", n.Email, nil, what+roleText(n.Role, orgName)); err != nil || assign == 0 {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO advisor_assignments (user_id, organisation_id) VALUES ($1, $2)`, id, assign); err != nil {
			return err
		}
		return logEvent(ctx, tx, n.By, assign, "advisor", n.Email, optional("not assigned", true), "assigned")
	})
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "23505":
		return User{}, ErrEmailTaken
	case errors.As(err, &pgErr) && pgErr.Code == "23503":
		return User{}, FieldErrors{"organisation": UnknownOrganisation}
	case errors.Is(err, ErrForbidden):
		return User{}, err
	case err != nil:
		return User{}, fmt.Errorf("store: create user: %w", err)
	}
	return s.UserByID(ctx, id)
}

// roleText is a role, and the organisation for the roles that have one,
// as the audit trail records them.
func roleText(r Role, orgName string) string {
	if orgName == "" {
		return r.Label()
	}
	return r.Label() + " of " + orgName
}

// UserByID returns a user, active or not.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("store: user %d: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the user with an address, whatever its case.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+userFrom+`WHERE u.email = $1`, NormalizeEmail(email)))
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("store: user by e-mail: %w", err)
	}
	return u, nil
}

// UserVisibleTo returns user id when actor may see them: admins see
// everyone, others see the members of organisations they can see.
func (s *Store) UserVisibleTo(ctx context.Context, actorID, id int64) (User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+userFrom+`
		WHERE u.id = $2 AND (`+actorIsAdmin+` OR (u.organisation_id IS NOT NULL AND `+canSeeOrg("$1", "u.organisation_id")+`))`,
		actorID, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("store: user %d for %d: %w", id, actorID, err)
	}
	return u, nil
}

// actorIsAdmin is true when $1 is an active admin.
const actorIsAdmin = `EXISTS (SELECT 1 FROM users a WHERE a.id = $1 AND a.active AND a.role = 'admin')`

// Users lists the users actor may see (admins: everyone; others: members
// of the organisations they can see), by name.
func (s *Store) Users(ctx context.Context, actorID int64) ([]User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+userFrom+`
		WHERE `+actorIsAdmin+` OR (u.organisation_id IS NOT NULL AND `+canSeeOrg("$1", "u.organisation_id")+`)
		ORDER BY lower(u.name), u.id`, actorID)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return users, nil
}

// Administrators returns up to n active administrators, by name, for a
// signed-in actor to know whom to ask (any active user may see them).
func (s *Store) Administrators(ctx context.Context, actorID int64, n int) ([]User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+userFrom+`
		WHERE u.role = 'admin' AND u.active AND EXISTS (SELECT 1 FROM users act WHERE act.id = $1 AND act.active)
		ORDER BY lower(u.name), u.id LIMIT $2`, actorID, n)
	if err != nil {
		return nil, fmt.Errorf("store: administrators: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("store: administrators: %w", err)
	}
	return users, nil
}

// CountUsers returns how many users exist, for the first-start hint.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// SetUserRole changes a user's role and organisation, for an admin actor;
// ErrForbidden for anyone else. An advisor given another role is no longer
// assigned to any organisation: ended lists those organisations, by name.
func (s *Store) SetUserRole(ctx context.Context, actorID, id int64, role Role, orgID int64) (ended []Organisation, err error) {
	n := NewUser{Email: "x@example.org", Name: "x", Role: role, OrganisationID: orgID}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var org *int64
	if n.OrganisationID != 0 {
		org = &n.OrganisationID
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var was Role
		var email, wasOrgName, orgName string
		var wasOrg int64
		err := tx.QueryRow(ctx, `SELECT u.role, u.email, coalesce(u.organisation_id, 0), coalesce(o.name, '')
			FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
			WHERE u.id = $1 AND `+isAdmin("$2")+` FOR UPDATE OF u`, id, actorID).Scan(&was, &email, &wasOrg, &wasOrgName)
		if errors.Is(err, pgx.ErrNoRows) {
			return s.notAdmin(ctx, tx, actorID)
		}
		if err != nil {
			return fmt.Errorf("store: set role of %d: %w", id, err)
		}
		err = tx.QueryRow(ctx, `UPDATE users SET role = $2, organisation_id = $3 WHERE id = $1
			RETURNING coalesce((SELECT o.name FROM organisations o WHERE o.id = $3), '')`, id, role, org).Scan(&orgName)
		if err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23503" {
				return FieldErrors{"organisation": UnknownOrganisation}
			}
			return fmt.Errorf("store: set role of %d: %w", id, err)
		}
		if was == role && wasOrg == n.OrganisationID {
			return nil
		}
		before := roleText(was, wasOrgName)
		scope := cmp.Or(n.OrganisationID, wasOrg)
		if err := logEvent(ctx, tx, actorID, scope, "role", email, &before, roleText(role, orgName)); err != nil {
			return err
		}
		if role == RoleAdvisor {
			return nil
		}
		// An advisor no more: their assignments end, each in the trail.
		rows, err := tx.Query(ctx, `WITH gone AS (DELETE FROM advisor_assignments WHERE user_id = $1 RETURNING organisation_id)
			SELECT o.id, o.slug, o.name FROM gone JOIN organisations o ON o.id = gone.organisation_id ORDER BY lower(o.name), o.id`, id)
		if err != nil {
			return fmt.Errorf("store: unassign %d: %w", id, err)
		}
		ended, err = pgx.CollectRows(rows, scanOrganisationName)
		if err != nil {
			return fmt.Errorf("store: unassign %d: %w", id, err)
		}
		for _, o := range ended {
			if err := logEvent(ctx, tx, actorID, o.ID, "advisor", email, optional("assigned", true), "not assigned"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ended, nil
}

// SetUserActive activates or deactivates a user, for an admin actor;
// ErrForbidden for anyone else. Deactivation ends every session of theirs
// at once, on every instance, and every unused link.
func (s *Store) SetUserActive(ctx context.Context, actorID, id int64, active bool) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var was bool
		var email string
		var org int64
		err := tx.QueryRow(ctx, `SELECT active, email, coalesce(organisation_id, 0) FROM users
			WHERE id = $1 AND `+isAdmin("$2")+` FOR UPDATE`, id, actorID).Scan(&was, &email, &org)
		if errors.Is(err, pgx.ErrNoRows) {
			return s.notAdmin(ctx, tx, actorID)
		}
		if err != nil {
			return fmt.Errorf("store: set active of %d: %w", id, err)
		}
		if was != active {
			if _, err := tx.Exec(ctx, `UPDATE users SET active = $2 WHERE id = $1`, id, active); err != nil {
				return fmt.Errorf("store: set active of %d: %w", id, err)
			}
			before := activeText(was)
			if err := logEvent(ctx, tx, actorID, org, "active", email, &before, activeText(active)); err != nil {
				return err
			}
		}
		if !active {
			if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
				return fmt.Errorf("store: end sessions of %d: %w", id, err)
			}
			if err := revokeTokens(ctx, tx, id); err != nil {
				return fmt.Errorf("store: revoke links of %d: %w", id, err)
			}
		}
		return nil
	})
}

// activeText is whether a user may sign in, as the audit trail records it.
func activeText(active bool) string {
	if active {
		return "active"
	}
	return "deactivated"
}

// SetUserName changes a user's own name.
func (s *Store) SetUserName(ctx context.Context, id int64, name string) error {
	name = CleanName(name)
	if name == "" {
		return FieldErrors{"name": NoOwnName}
	}
	if tooLongName(name) {
		return FieldErrors{"name": NameTooLong}
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var was, email string
		var org int64
		if err := tx.QueryRow(ctx, `SELECT name, email, coalesce(organisation_id, 0) FROM users WHERE id = $1 FOR UPDATE`, id).Scan(&was, &email, &org); err != nil {
			return fmt.Errorf("store: set name of %d: %w", id, err)
		}
		if was == name {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET name = $2 WHERE id = $1`, id, name); err != nil {
			return fmt.Errorf("store: set name of %d: %w", id, err)
		}
		return logEvent(ctx, tx, id, org, "name", email, &was, name)
	})
}

// ChangePassword replaces a signed-in user's password after checking the
// current one, and ends their other sessions and unused reset links.
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next string, keepSession []byte) error {
	var email, name, orgName string
	var hash *string
	var org int64
	if err := s.pool.QueryRow(ctx, `SELECT u.email, u.name, u.password_hash, coalesce(u.organisation_id, 0), coalesce(o.name, '')
		FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`, id).Scan(&email, &name, &hash, &org, &orgName); err != nil {
		return fmt.Errorf("store: change password of %d: %w", id, err)
	}
	if hash == nil {
		return FieldErrors{"current": NoPasswordYet}
	}
	if ok, _, err := verifyPassword(*hash, current); err != nil || !ok {
		return FieldErrors{"current": WrongPassword}
	}
	if next == current {
		return FieldErrors{"password": PasswordUnchanged}
	}
	if p := CheckPassword(next, email, name, orgName); p != "" {
		return FieldErrors{"password": p}
	}
	newHash, err := hashPassword(next)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, id, newHash); err != nil {
			return fmt.Errorf("store: change password of %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2`, id, sessionHash(string(keepSession))); err != nil {
			return err
		}
		if err := logEvent(ctx, tx, id, org, "password", email, nil, "password changed"); err != nil {
			return err
		}
		return revokeTokens(ctx, tx, id)
	})
}

// Authenticate checks an e-mail address and password. Unknown addresses,
// wrong passwords and accounts without a password all give
// ErrBadCredentials, after the same amount of work. The right password of a
// deactivated account gives ErrDeactivated, after that same work: only
// whoever knows the password learns that the account exists.
func (s *Store) Authenticate(ctx context.Context, email, password string) (User, error) {
	email = NormalizeEmail(email)
	if len(password) > MaxPasswordLength {
		return User{}, ErrBadCredentials
	}
	var id int64
	var hash *string
	var active bool
	err := s.pool.QueryRow(ctx, `SELECT id, password_hash, active FROM users WHERE email = $1`, email).Scan(&id, &hash, &active)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && hash == nil) {
		_, _, _ = verifyPassword(dummyHash, password)
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("store: authenticate: %w", err)
	}
	ok, rehash, err := verifyPassword(*hash, password)
	if err != nil {
		return User{}, fmt.Errorf("store: authenticate %d: %w", id, err)
	}
	if !ok {
		return User{}, ErrBadCredentials
	}
	if !active {
		return User{}, ErrDeactivated
	}
	var newHash *string
	if rehash {
		if h, err := hashPassword(password); err == nil {
			newHash = &h
		}
	}
	if _, err := s.pool.Exec(ctx, `UPDATE users SET last_sign_in_at = now(), password_hash = coalesce($2, password_hash) WHERE id = $1`, id, newHash); err != nil {
		return User{}, fmt.Errorf("store: record sign-in of %d: %w", id, err)
	}
	return s.UserByID(ctx, id)
}

// notAdmin explains a change for admins that touched no row:
// ErrForbidden when the actor is no active admin, else ErrNotFound.
func (s *Store) notAdmin(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, actorID int64) error {
	var admin bool
	if err := q.QueryRow(ctx, `SELECT `+isAdmin("$1"), actorID).Scan(&admin); err != nil {
		return fmt.Errorf("store: check admin %d: %w", actorID, err)
	}
	if !admin {
		return ErrForbidden
	}
	return ErrNotFound
}

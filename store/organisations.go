package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// checkOrganisation normalises and validates an organisation's fields.
func checkOrganisation(o *Organisation) error {
	o.Slug = strings.ToLower(strings.TrimSpace(o.Slug))
	o.Name = CleanName(o.Name)
	errs := FieldErrors{}
	if p := CheckSlug(o.Slug); p != "" {
		errs["slug"] = p
	}
	if o.Name == "" {
		errs["name"] = NoOrganisationName
	} else if tooLongName(o.Name) {
		errs["name"] = NameTooLong
	}
	if !slices.Contains(Platforms, o.Platform) {
		errs["platform"] = NoPlatform
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

const orgColumns = `o.id, o.slug, o.name, o.platform, o.created_at,
	(SELECT count(*) FROM users m WHERE m.organisation_id = o.id),
	(SELECT count(*) FROM advisor_assignments a WHERE a.organisation_id = o.id)`

func scanOrganisation(row pgx.Row) (Organisation, error) {
	var o Organisation
	err := row.Scan(&o.ID, &o.Slug, &o.Name, &o.Platform, &o.CreatedAt, &o.Members, &o.Advisors)
	return o, err
}

// CreateOrganisation validates and inserts an organisation, for an admin
// actor (ErrForbidden for anyone else), or for the operator at the command
// line: actorID 0.
func (s *Store) CreateOrganisation(ctx context.Context, actorID int64, o Organisation) (Organisation, error) {
	if err := checkOrganisation(&o); err != nil {
		return Organisation{}, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO organisations (slug, name, platform)
			SELECT $1, $2, $3 WHERE $4 = 0 OR `+isAdmin("$4")+` RETURNING id, created_at`,
			o.Slug, o.Name, o.Platform, actorID).Scan(&o.ID, &o.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrForbidden
		}
		if err != nil {
			return err
		}
		return logEvent(ctx, tx, actorID, o.ID, "organisation", "", nil, o.Name+" ("+o.Slug+"), "+PlatformLabel(o.Platform))
	})
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "23505":
		return Organisation{}, ErrSlugTaken
	case errors.Is(err, ErrForbidden):
		return Organisation{}, err
	case err != nil:
		return Organisation{}, fmt.Errorf("store: create organisation: %w", err)
	}
	return o, nil
}

// UpdateOrganisation changes an organisation's name and platform, for an
// admin actor; ErrForbidden for anyone else.
func (s *Store) UpdateOrganisation(ctx context.Context, actorID int64, o Organisation) error {
	o.Slug = "keep" // the slug never changes: links and bookmarks use it
	if err := checkOrganisation(&o); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var name, platform string
		err := tx.QueryRow(ctx, `SELECT name, platform FROM organisations WHERE id = $1 AND `+isAdmin("$2")+` FOR UPDATE`, o.ID, actorID).Scan(&name, &platform)
		if errors.Is(err, pgx.ErrNoRows) {
			return s.notAdmin(ctx, tx, actorID)
		}
		if err != nil {
			return fmt.Errorf("store: update organisation %d: %w", o.ID, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE organisations SET name = $2, platform = $3 WHERE id = $1`, o.ID, o.Name, o.Platform); err != nil {
			return fmt.Errorf("store: update organisation %d: %w", o.ID, err)
		}
		// One event per setting changed, each with its before and after.
		if name != o.Name {
			if err := logEvent(ctx, tx, actorID, o.ID, "organisation", "name", &name, o.Name); err != nil {
				return err
			}
		}
		if platform != o.Platform {
			was := PlatformLabel(platform)
			if err := logEvent(ctx, tx, actorID, o.ID, "organisation", "platform", &was, PlatformLabel(o.Platform)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ErrOrganisationInUse refuses to delete an organisation that someone
// belongs to or that has assessments.
var ErrOrganisationInUse = errors.New("store: the organisation has people or assessments")

// organisationUse counts the people who belong to the organisation $1
// and its assessments (archived ones too), for the admin $2.
var organisationUse = `SELECT (SELECT count(*) FROM users u WHERE u.organisation_id = o.id),
	(SELECT count(*) FROM assessments a WHERE a.organisation_id = o.id)
	FROM organisations o WHERE o.id = $1 AND ` + isAdmin("$2")

// OrganisationUse returns how many people belong to an organisation and
// how many assessments it has (archived ones too), for an admin: it may
// be deleted when both are 0.
func (s *Store) OrganisationUse(ctx context.Context, actorID, id int64) (people, assessments int, err error) {
	err = s.pool.QueryRow(ctx, organisationUse, id, actorID).Scan(&people, &assessments)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, s.notAdmin(ctx, s.pool, actorID)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("store: use of organisation %d: %w", id, err)
	}
	return people, assessments, nil
}

// DeleteOrganisation deletes an organisation made by mistake, for an
// admin: one nobody belongs to and with no assessment (ErrOrganisationInUse
// otherwise). Its advisors' assignments go with it; the audit trail keeps
// its name, short name and platform.
func (s *Store) DeleteOrganisation(ctx context.Context, actorID, id int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		// Locked first, counted after: the lock waits for a person or an
		// assessment being added meanwhile (their foreign key's lock), and
		// the count, a statement later, sees them.
		var name, slug, platform string
		err := tx.QueryRow(ctx, `SELECT name, slug, platform FROM organisations WHERE id = $1 AND `+isAdmin("$2")+` FOR UPDATE`,
			id, actorID).Scan(&name, &slug, &platform)
		if errors.Is(err, pgx.ErrNoRows) {
			return s.notAdmin(ctx, tx, actorID)
		}
		if err != nil {
			return fmt.Errorf("store: delete organisation %d: %w", id, err)
		}
		var people, assessments int
		if err := tx.QueryRow(ctx, organisationUse, id, actorID).Scan(&people, &assessments); err != nil {
			return fmt.Errorf("store: delete organisation %d: %w", id, err)
		}
		if people > 0 || assessments > 0 {
			return ErrOrganisationInUse
		}
		if _, err := tx.Exec(ctx, `DELETE FROM organisations WHERE id = $1`, id); err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23503" { // a row added since, by a way the lock does not see
				return ErrOrganisationInUse
			}
			return fmt.Errorf("store: delete organisation %d: %w", id, err)
		}
		was := name + " (" + slug + "), " + PlatformLabel(platform)
		return logEvent(ctx, tx, actorID, id, "organisation", "deleted", &was, "deleted")
	})
}

// Organisations lists the organisations actor may see, by name.
func (s *Store) Organisations(ctx context.Context, actorID int64) ([]Organisation, error) {
	orgs, _, err := s.FirstOrganisations(ctx, actorID, 0)
	return orgs, err
}

// FirstOrganisations lists the first n organisations actor may see, by
// name (all of them when n is 0), and whether more follow.
func (s *Store) FirstOrganisations(ctx context.Context, actorID int64, n int) ([]Organisation, bool, error) {
	sc, err := s.scopeOf(ctx, actorID)
	if err != nil || sc.none() {
		return nil, false, err
	}
	limit := `ALL`
	if n > 0 {
		limit = strconv.Itoa(n + 1)
	}
	q := args{actorID}
	rows, err := s.pool.Query(ctx, `SELECT `+orgColumns+` FROM organisations o
		WHERE `+sc.among(&q, "o.id")+canSeeOrg("$1", "o.id")+` ORDER BY lower(o.name), o.id LIMIT `+limit, q...)
	if err != nil {
		return nil, false, fmt.Errorf("store: organisations: %w", err)
	}
	orgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Organisation, error) { return scanOrganisation(r) })
	if err != nil {
		return nil, false, fmt.Errorf("store: organisations: %w", err)
	}
	if n > 0 && len(orgs) > n {
		return orgs[:n], true, nil
	}
	return orgs, false, nil
}

// OrganisationNames lists the ids and names of the organisations actor
// may see, by name, for choices such as a filter.
func (s *Store) OrganisationNames(ctx context.Context, actorID int64) ([]Organisation, error) {
	sc, err := s.scopeOf(ctx, actorID)
	if err != nil || sc.none() {
		return nil, err
	}
	q := args{actorID}
	rows, err := s.pool.Query(ctx, `SELECT o.id, o.name, o.platform FROM organisations o
		WHERE `+sc.among(&q, "o.id")+canSeeOrg("$1", "o.id")+` ORDER BY lower(o.name), o.id`, q...)
	if err != nil {
		return nil, fmt.Errorf("store: organisation names: %w", err)
	}
	orgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Organisation, error) {
		var o Organisation
		err := r.Scan(&o.ID, &o.Name, &o.Platform)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: organisation names: %w", err)
	}
	return orgs, nil
}

// Organisation returns organisation id when actor may see it, else
// ErrNotFound.
func (s *Store) Organisation(ctx context.Context, actorID, id int64) (Organisation, error) {
	return s.organisationWhere(ctx, actorID, `o.id = $2`, id)
}

// OrganisationBySlug returns an organisation by slug when actor may see it,
// else ErrNotFound.
func (s *Store) OrganisationBySlug(ctx context.Context, actorID int64, slug string) (Organisation, error) {
	return s.organisationWhere(ctx, actorID, `o.slug = $2`, slug)
}

// OrganisationBySlugForOperator looks an organisation up without an acting
// user, for the command line, whose operator has the database anyway.
// Web handlers must use OrganisationBySlug.
func (s *Store) OrganisationBySlugForOperator(ctx context.Context, slug string) (Organisation, error) {
	o, err := scanOrganisation(s.pool.QueryRow(ctx, `SELECT `+orgColumns+` FROM organisations o WHERE o.slug = $1`, slug))
	if errors.Is(err, pgx.ErrNoRows) {
		return Organisation{}, ErrNotFound
	}
	if err != nil {
		return Organisation{}, fmt.Errorf("store: organisation %s: %w", slug, err)
	}
	return o, nil
}

func (s *Store) organisationWhere(ctx context.Context, actorID int64, cond string, arg any) (Organisation, error) {
	o, err := scanOrganisation(s.pool.QueryRow(ctx, `SELECT `+orgColumns+` FROM organisations o
		WHERE `+cond+` AND `+canSeeOrg("$1", "o.id"), actorID, arg))
	if errors.Is(err, pgx.ErrNoRows) {
		return Organisation{}, ErrNotFound
	}
	if err != nil {
		return Organisation{}, fmt.Errorf("store: organisation %v for %d: %w", arg, actorID, err)
	}
	return o, nil
}

// Members lists the users of an organisation and the advisors assigned to
// it, when actor may see it.
func (s *Store) Members(ctx context.Context, actorID, orgID int64) ([]User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+userFrom+`
		WHERE `+canSeeOrg("$1", "$2")+` AND (u.organisation_id = $2 OR EXISTS (
			SELECT 1 FROM advisor_assignments a WHERE a.user_id = u.id AND a.organisation_id = $2))
		ORDER BY u.role, lower(u.name), u.id`, actorID, orgID)
	if err != nil {
		return nil, fmt.Errorf("store: members of %d: %w", orgID, err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("store: members of %d: %w", orgID, err)
	}
	return users, nil
}

// AssignAdvisor gives an advisor access to an organisation, for an admin
// actor; ErrForbidden for anyone else.
func (s *Store) AssignAdvisor(ctx context.Context, actorID, advisorID, orgID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var email string
		err := tx.QueryRow(ctx, `
			INSERT INTO advisor_assignments (user_id, organisation_id)
			SELECT u.id, o.id FROM users u, organisations o
			WHERE u.id = $1 AND u.role = 'advisor' AND o.id = $2 AND `+isAdmin("$3")+`
			ON CONFLICT DO NOTHING
			RETURNING (SELECT u.email FROM users u WHERE u.id = user_id)`, advisorID, orgID, actorID).Scan(&email)
		if err == nil {
			return logEvent(ctx, tx, actorID, orgID, "advisor", email, optional("not assigned", true), "assigned")
		}
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "23503" { // the organisation deleted meanwhile
			return ErrNotFound
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("store: assign advisor %d to %d: %w", advisorID, orgID, err)
		}
		if err := s.notAdmin(ctx, tx, actorID); !errors.Is(err, ErrNotFound) {
			return err // not an admin, or the check failed
		}
		var exists bool // assigned already: nothing to do
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM advisor_assignments WHERE user_id = $1 AND organisation_id = $2)`, advisorID, orgID).Scan(&exists); err != nil {
			return fmt.Errorf("store: assign advisor %d to %d: %w", advisorID, orgID, err)
		}
		if !exists {
			return ErrNotFound
		}
		return nil
	})
}

// UnassignAdvisor removes an advisor's access to an organisation, for an
// admin actor; ErrForbidden for anyone else.
func (s *Store) UnassignAdvisor(ctx context.Context, actorID, advisorID, orgID int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		var email string
		err := tx.QueryRow(ctx, `DELETE FROM advisor_assignments WHERE user_id = $1 AND organisation_id = $2 AND `+isAdmin("$3")+`
			RETURNING (SELECT u.email FROM users u WHERE u.id = user_id)`, advisorID, orgID, actorID).Scan(&email)
		if err == nil {
			return logEvent(ctx, tx, actorID, orgID, "advisor", email, optional("assigned", true), "not assigned")
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("store: unassign advisor %d from %d: %w", advisorID, orgID, err)
		}
		if err := s.notAdmin(ctx, tx, actorID); errors.Is(err, ErrForbidden) {
			return err
		}
		return nil // not assigned: nothing to do
	})
}

// AdvisorOrganisations lists the organisations an advisor is assigned to,
// by name, when actor may see the advisor and the organisation.
func (s *Store) AdvisorOrganisations(ctx context.Context, actorID, advisorID int64) ([]Organisation, error) {
	assigned, err := s.assignments(ctx, actorID, advisorID)
	return assigned[advisorID], err
}

// AdvisorAssignments lists, for every advisor, the organisations they are
// assigned to, by name: those actor may see.
func (s *Store) AdvisorAssignments(ctx context.Context, actorID int64) (map[int64][]Organisation, error) {
	return s.assignments(ctx, actorID, 0)
}

// assignments lists advisor's assignments (everyone's when advisor is 0)
// that actor may see, by advisor.
func (s *Store) assignments(ctx context.Context, actorID, advisorID int64) (map[int64][]Organisation, error) {
	rows, err := s.pool.Query(ctx, `SELECT a.user_id, o.id, o.slug, o.name
		FROM advisor_assignments a JOIN organisations o ON o.id = a.organisation_id
		WHERE ($2 = 0 OR a.user_id = $2) AND `+canSeeOrg("$1", "o.id")+`
		ORDER BY a.user_id, lower(o.name), o.id`, actorID, advisorID)
	if err != nil {
		return nil, fmt.Errorf("store: assignments of %d: %w", advisorID, err)
	}
	assigned := map[int64][]Organisation{}
	var user int64
	var o Organisation
	_, err = pgx.ForEachRow(rows, []any{&user, &o.ID, &o.Slug, &o.Name}, func() error {
		assigned[user] = append(assigned[user], o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: assignments of %d: %w", advisorID, err)
	}
	return assigned, nil
}

// scanOrganisationName reads an organisation's id, slug and name.
func scanOrganisationName(row pgx.CollectableRow) (Organisation, error) {
	var o Organisation
	err := row.Scan(&o.ID, &o.Slug, &o.Name)
	return o, err
}

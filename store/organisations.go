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
	o.Name = strings.TrimSpace(o.Name)
	errs := FieldErrors{}
	if p := CheckSlug(o.Slug); p != "" {
		errs["slug"] = p
	}
	if o.Name == "" {
		errs["name"] = NoOrganisationName
	} else if len(o.Name) > 200 {
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

// CreateOrganisation validates and inserts an organisation.
func (s *Store) CreateOrganisation(ctx context.Context, o Organisation) (Organisation, error) {
	if err := checkOrganisation(&o); err != nil {
		return Organisation{}, err
	}
	err := s.pool.QueryRow(ctx, `INSERT INTO organisations (slug, name, platform) VALUES ($1, $2, $3) RETURNING id, created_at`,
		o.Slug, o.Name, o.Platform).Scan(&o.ID, &o.CreatedAt)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return Organisation{}, ErrSlugTaken
	}
	if err != nil {
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
	tag, err := s.pool.Exec(ctx, `UPDATE organisations SET name = $2, platform = $3 WHERE id = $1 AND `+isAdmin("$4"), o.ID, o.Name, o.Platform, actorID)
	if err != nil {
		return fmt.Errorf("store: update organisation %d: %w", o.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return s.notAdmin(ctx, s.pool, actorID)
	}
	return nil
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
	rows, err := s.pool.Query(ctx, `SELECT o.id, o.name FROM organisations o
		WHERE `+sc.among(&q, "o.id")+canSeeOrg("$1", "o.id")+` ORDER BY lower(o.name), o.id`, q...)
	if err != nil {
		return nil, fmt.Errorf("store: organisation names: %w", err)
	}
	orgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Organisation, error) {
		var o Organisation
		err := r.Scan(&o.ID, &o.Name)
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
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO advisor_assignments (user_id, organisation_id)
		SELECT u.id, o.id FROM users u, organisations o
		WHERE u.id = $1 AND u.role = 'advisor' AND o.id = $2 AND `+isAdmin("$3")+`
		ON CONFLICT DO NOTHING`, advisorID, orgID, actorID)
	if err != nil {
		return fmt.Errorf("store: assign advisor %d to %d: %w", advisorID, orgID, err)
	}
	if tag.RowsAffected() == 0 {
		if err := s.notAdmin(ctx, s.pool, actorID); !errors.Is(err, ErrNotFound) {
			return err // not an admin, or the check failed
		}
		var exists bool
		_ = s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM advisor_assignments WHERE user_id = $1 AND organisation_id = $2)`, advisorID, orgID).Scan(&exists)
		if !exists {
			return ErrNotFound
		}
	}
	return nil
}

// UnassignAdvisor removes an advisor's access to an organisation, for an
// admin actor; ErrForbidden for anyone else.
func (s *Store) UnassignAdvisor(ctx context.Context, actorID, advisorID, orgID int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM advisor_assignments WHERE user_id = $1 AND organisation_id = $2 AND `+isAdmin("$3"), advisorID, orgID, actorID)
	if err != nil {
		return fmt.Errorf("store: unassign advisor %d from %d: %w", advisorID, orgID, err)
	}
	if tag.RowsAffected() == 0 {
		if err := s.notAdmin(ctx, s.pool, actorID); errors.Is(err, ErrForbidden) {
			return err
		}
	}
	return nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Assessment is one organisation's journey through a pinned template
// version.
type Assessment struct {
	ID               int64
	OrganisationID   int64
	OrganisationName string
	OrganisationSlug string
	TemplateID       string
	TemplateVersion  int
	Name             string
	SignOff          bool
	CreatedAt        time.Time
	UpdatedAt        time.Time
	UpdatedBy        string // name of the last person who changed something
	// CanEdit reports whether the actor who loaded it may change answers:
	// a program manager of its organisation.
	CanEdit bool
	// CanReview reports whether the actor may approve or send back phases:
	// an advisor assigned to its organisation.
	CanReview bool
}

// Refusals of a new assessment, for the handlers to put in words beside
// their fields; CreateAssessment joins all that apply.
var (
	ErrNoName      = errors.New("store: the assessment has no name")
	ErrNameTooLong = errors.New("store: the assessment's name is too long")
	ErrNoTemplate  = errors.New("store: no template chosen")
)

// MaxNameChars bounds an assessment's name.
const MaxNameChars = 200

// NewAssessment is what starting an assessment takes.
type NewAssessment struct {
	Name            string
	TemplateID      string
	TemplateVersion int
	SignOff         bool
}

// CreateAssessment starts an assessment in the actor's organisation; only
// program managers may.
func (s *Store) CreateAssessment(ctx context.Context, actorID int64, n NewAssessment) (Assessment, error) {
	n.Name = strings.TrimSpace(n.Name)
	var errs []error
	if n.Name == "" {
		errs = append(errs, ErrNoName)
	} else if len([]rune(n.Name)) > MaxNameChars {
		errs = append(errs, ErrNameTooLong)
	}
	if n.TemplateID == "" || n.TemplateVersion <= 0 {
		errs = append(errs, ErrNoTemplate)
	}
	if len(errs) > 0 {
		return Assessment{}, errors.Join(errs...)
	}
	var id int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var org int64
		err := tx.QueryRow(ctx, `
			INSERT INTO assessments (organisation_id, template_id, template_version, name, sign_off, created_by, updated_by)
			SELECT u.organisation_id, $2, $3, $4, $5, u.id, u.id FROM users u
			WHERE u.id = $1 AND `+canEditOrg("u.id", "u.organisation_id")+`
			RETURNING id, organisation_id`, actorID, n.TemplateID, n.TemplateVersion, n.Name, n.SignOff).Scan(&id, &org)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrForbidden
		}
		if err != nil {
			return fmt.Errorf("store: create assessment: %w", err)
		}
		what := fmt.Sprintf("%s (%s, version %d)", n.Name, n.TemplateID, n.TemplateVersion)
		if n.SignOff {
			what += ", advisor sign-off required"
		}
		_, err = tx.Exec(ctx, insertEvent, id, org, "assessment", "", 0, nil, what, actorID)
		return err
	})
	if err != nil {
		return Assessment{}, err
	}
	return s.Assessment(ctx, actorID, id)
}

func scanAssessment(row pgx.Row) (Assessment, error) {
	var a Assessment
	err := row.Scan(&a.ID, &a.OrganisationID, &a.OrganisationName, &a.OrganisationSlug, &a.TemplateID, &a.TemplateVersion,
		&a.Name, &a.SignOff, &a.CreatedAt, &a.UpdatedAt, &a.UpdatedBy, &a.CanEdit, &a.CanReview)
	return a, err
}

// assessmentSelect reads assessments in scanAssessment's columns for the
// actor $1, joined once as act (see actorSees): a query adds which of the
// ones the actor may see it wants.
var assessmentSelect = `SELECT a.id, a.organisation_id,
	(SELECT o.name FROM organisations o WHERE o.id = a.organisation_id),
	(SELECT o.slug FROM organisations o WHERE o.id = a.organisation_id),
	a.template_id, a.template_version, a.name, a.sign_off, a.created_at, a.updated_at,
	coalesce((SELECT ub.name FROM users ub WHERE ub.id = a.updated_by), ''),
	coalesce(` + actorEdits("a.organisation_id") + `, false), coalesce(` + actorReviews("a.organisation_id") + `, false)
	FROM assessments a JOIN users act ON act.id = $1 AND act.active
	WHERE ` + actorSees("a.organisation_id")

// assessmentByID selects the assessment $2 if the actor $1 may see it. It
// runs on every page of an assessment and in every change to one.
var assessmentByID = assessmentSelect + ` AND a.id = $2`

// Assessment returns an assessment the actor may see, else ErrNotFound.
func (s *Store) Assessment(ctx context.Context, actorID, id int64) (Assessment, error) {
	a, err := scanAssessment(s.pool.QueryRow(ctx, assessmentByID, actorID, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Assessment{}, ErrNotFound
	}
	if err != nil {
		return Assessment{}, fmt.Errorf("store: assessment %d: %w", id, err)
	}
	return a, nil
}

// Assessments lists the assessments the actor may see, most recently
// active first.
func (s *Store) Assessments(ctx context.Context, actorID int64) ([]Assessment, error) {
	rows, err := s.pool.Query(ctx, assessmentSelect+` ORDER BY a.updated_at DESC, a.id DESC LIMIT 500`, actorID)
	if err != nil {
		return nil, fmt.Errorf("store: assessments: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Assessment, error) { return scanAssessment(r) })
	if err != nil {
		return nil, fmt.Errorf("store: assessments: %w", err)
	}
	return list, nil
}

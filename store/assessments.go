package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
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
	// a program manager of its organisation, while it is not archived.
	CanEdit bool
	// CanReview reports whether the actor may approve or send back phases:
	// an advisor assigned to its organisation, while it is not archived.
	CanReview bool
	// CanArchive reports whether the actor may archive or restore it: a
	// program manager of its organisation.
	CanArchive bool
	// ArchivedAt is when it was archived, by ArchivedBy (a name); zero
	// while it is in use. An archived assessment is read only.
	ArchivedAt time.Time
	ArchivedBy string
	// Progress is the evaluation as the last change left it, in lists
	// (Assessments); nil elsewhere, and until FillReadiness computes it for
	// rows from before it was kept.
	Progress *assessment.Progress
}

// Refusals of a new assessment, for the handlers to put in words beside
// their fields; CreateAssessment joins all that apply.
var (
	ErrNoName      = errors.New("store: the assessment has no name")
	ErrNameTooLong = errors.New("store: the assessment's name is too long")
	// ErrNameControls refuses a name holding bidi embedding, override or
	// isolate controls, which make it read as something else ("exe.png").
	ErrNameControls = errors.New("store: the assessment's name holds direction controls")
	ErrNoTemplate   = errors.New("store: no template chosen")
)

// MaxNameChars bounds the name of an assessment, an organisation or a person.
const MaxNameChars = 200

// tooLongName reports whether a name (of an assessment, an organisation or
// a person) has more than MaxNameChars characters, as PostgreSQL's
// length() counts them: "Ministère de la Santé" is 21, not 23 (bytes).
func tooLongName(name string) bool { return utf8.RuneCountInString(name) > MaxNameChars }

// NewAssessment is what starting an assessment takes.
type NewAssessment struct {
	Name            string
	TemplateID      string
	TemplateVersion int
	// TemplateTitle names the template in the audit trail's "Started"
	// event; its id when empty.
	TemplateTitle string
	SignOff       bool
	// Progress is the template's evaluation of an empty assessment, kept
	// for lists; without it lists evaluate the assessment until the next
	// change or start computes it.
	Progress *assessment.Progress
}

// CreateAssessment starts an assessment in the actor's organisation; only
// program managers may.
func (s *Store) CreateAssessment(ctx context.Context, actorID int64, n NewAssessment) (Assessment, error) {
	var errs []error
	var err error
	if n.Name, err = AssessmentName(n.Name); err != nil {
		errs = append(errs, err)
	}
	if n.TemplateID == "" || n.TemplateVersion <= 0 {
		errs = append(errs, ErrNoTemplate)
	}
	if len(errs) > 0 {
		return Assessment{}, errors.Join(errs...)
	}
	var id int64
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		var org int64
		err := tx.QueryRow(ctx, `
			INSERT INTO assessments (organisation_id, template_id, template_version, name, sign_off, created_by, updated_by, readiness, progress)
			SELECT u.organisation_id, $2, $3, $4, $5, u.id, u.id, 0, $6 FROM users u
			WHERE u.id = $1 AND `+canEditOrg("u.id", "u.organisation_id")+`
			RETURNING id, organisation_id`, actorID, n.TemplateID, n.TemplateVersion, n.Name, n.SignOff, n.Progress).Scan(&id, &org)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrForbidden
		}
		if err != nil {
			return fmt.Errorf("store: create assessment: %w", err)
		}
		what := fmt.Sprintf("%s (%s, version %d)", n.Name, cmp.Or(n.TemplateTitle, n.TemplateID), n.TemplateVersion)
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

// AssessmentName is a name as typed, its words one space apart, or why it
// cannot be an assessment's name.
func AssessmentName(name string) (string, error) {
	// Zero-width spaces and the like show nothing: a name of them alone
	// would be a blank link in every list.
	name = CleanName(strings.Map(func(r rune) rune {
		if r == '\u200b' || r == '\u2060' || r == '\ufeff' || r == '\u00ad' {
			return -1
		}
		return r
	}, name))
	switch {
	case strings.ContainsFunc(name, func(r rune) bool { return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' }):
		return name, ErrNameControls
	case name == "":
		return "", ErrNoName
	case tooLongName(name):
		return name, ErrNameTooLong
	}
	return name, nil
}

// RenameAssessment gives an assessment a new name; its program managers
// may. The name is noted in the audit trail; the phases' reviews stand,
// since no answer changed. It returns the old name and the new one, as kept.
func (s *Store) RenameAssessment(ctx context.Context, actorID, id int64, tpl *assessment.Template, name string) (old, kept string, err error) {
	if name, err = AssessmentName(name); err != nil {
		return "", "", err
	}
	_, err = s.change(ctx, actorID, id, tpl, toEdit, func(e *edit) error {
		old = e.st.Name
		if old == name {
			return nil
		}
		e.queue(`UPDATE assessments SET name = $2 WHERE id = $1`, e.st.ID, name)
		e.history("assessment", "name", 0, &old, name)
		e.touch()
		return nil
	})
	return old, name, err
}

// ArchiveAssessment archives the assessment (archive true) or restores it;
// its program managers may. Archiving withdraws the phases waiting for
// review (an advisor cannot review them meanwhile); approvals stand. Both
// are noted in the audit trail.
func (s *Store) ArchiveAssessment(ctx context.Context, actorID, id int64, tpl *assessment.Template, archive bool) error {
	_, err := s.change(ctx, actorID, id, tpl, toArchive, func(e *edit) error {
		if e.st.Archived() == archive {
			return nil
		}
		if !archive {
			e.queue(`UPDATE assessments SET archived_at = NULL, archived_by = NULL WHERE id = $1`, e.st.ID)
			e.history("assessment", "archived", 0, optional("archived", true), "restored")
			e.st.ArchivedAt = time.Time{}
			e.touch()
			return nil
		}
		e.queue(`UPDATE assessments SET archived_at = now(), archived_by = $2 WHERE id = $1`, e.st.ID, e.actor)
		var withdrawn []string
		for _, p := range e.tpl.Phases {
			if e.st.Reviews[p.Key].State == assessment.ReviewSubmitted {
				e.withdraw(p.Key, "withdrawn from review: the assessment was archived")
				withdrawn = append(withdrawn, p.Key)
			}
		}
		if len(withdrawn) > 0 {
			// The advisors are told; their "submitted" notifications of these
			// phases are settled, as nothing waits on them any more.
			// Settled for e-mail too (emailed_at), so that a daily digest
			// does not tell of a submission that no longer waits.
			e.queue(`UPDATE notifications SET read_at = coalesce(read_at, now()), emailed_at = coalesce(emailed_at, now())
				WHERE assessment_id = $1 AND kind = $2 AND phase_key = ANY($3) AND (read_at IS NULL OR emailed_at IS NULL)`,
				e.st.ID, NotifySubmitted, withdrawn)
			advisors, err := e.advisors(ctx)
			if err != nil {
				return err
			}
			for _, phase := range withdrawn {
				if err := e.notify(ctx, NotifyWithdrawn, advisors, phase, "", 0); err != nil {
					return err
				}
			}
		}
		e.history("assessment", "archived", 0, nil, "archived")
		e.st.ArchivedAt = time.Now()
		e.touch()
		return nil
	})
	return err
}

func scanAssessment(row pgx.Row) (Assessment, error) {
	var a Assessment
	var archived *time.Time
	err := row.Scan(&a.ID, &a.OrganisationID, &a.OrganisationName, &a.OrganisationSlug, &a.TemplateID, &a.TemplateVersion,
		&a.Name, &a.SignOff, &a.CreatedAt, &a.UpdatedAt, &a.UpdatedBy, &a.CanEdit, &a.CanReview, &archived, &a.ArchivedBy)
	a.archived(archived)
	return a, err
}

// scanListed scans the columns of a list (listColumns).
func scanListed(row pgx.Row) (Assessment, error) {
	var a Assessment
	var archived *time.Time
	err := row.Scan(&a.ID, &a.OrganisationID, &a.OrganisationName, &a.OrganisationSlug, &a.TemplateID, &a.TemplateVersion,
		&a.Name, &a.SignOff, &a.CreatedAt, &a.UpdatedAt, &a.UpdatedBy, &a.CanEdit, &a.CanReview, &archived, &a.ArchivedBy, &a.Progress)
	a.archived(archived)
	return a, err
}

// archived settles the rights of an assessment archived at (nil: in use):
// its program managers may restore it, and nobody change it meanwhile.
func (a *Assessment) archived(at *time.Time) {
	a.CanArchive = a.CanEdit
	if at != nil {
		a.ArchivedAt = *at
		a.CanEdit, a.CanReview = false, false
	}
}

// Archived reports whether the assessment is archived.
func (a *Assessment) Archived() bool { return !a.ArchivedAt.IsZero() }

// assessmentColumns are scanAssessment's columns, for the actor $1 joined
// once as act (see actorSees) by assessmentFrom.
var assessmentColumns = `SELECT a.id, a.organisation_id,
	(SELECT o.name FROM organisations o WHERE o.id = a.organisation_id),
	(SELECT o.slug FROM organisations o WHERE o.id = a.organisation_id),
	a.template_id, a.template_version, a.name, a.sign_off, a.created_at, a.updated_at,
	coalesce((SELECT ub.name FROM users ub WHERE ub.id = a.updated_by), ''),
	coalesce(` + actorEdits("a.organisation_id") + `, false), coalesce(` + actorReviews("a.organisation_id") + `, false),
	a.archived_at, coalesce((SELECT ua.name FROM users ua WHERE ua.id = a.archived_by), '')`

// listColumns are scanListed's, for a page's rows (a): a list's rows
// carry their progress too.
var listColumns = assessmentColumns + `, a.progress`

const assessmentFrom = ` FROM assessments a JOIN users act ON act.id = $1 AND act.active`

// assessmentSelect reads the assessments the actor $1 may see: a query
// adds which of them it wants.
var assessmentSelect = assessmentColumns + assessmentFrom + ` WHERE ` + actorSees("a.organisation_id")

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

// Sort is an order of lists of assessments.
type Sort string

// The orders, each in its natural direction. Each ends on the assessment's
// id, so that pages do not overlap; each has an index that an admin's list
// follows either way.
const (
	SortActivity     Sort = "activity"     // the most recently active first
	SortName         Sort = "name"         // A to Z, ignoring case
	SortOrganisation Sort = "organisation" // A to Z, each organisation's most recently active first
	SortReadiness    Sort = "readiness"    // the least ready first; not yet computed (see FillReadiness) counts as least ready
)

// Descending reports whether the sort, reversed or not, puts larger values
// first.
func (s Sort) Descending(reverse bool) bool {
	return (s == SortActivity || s == "") != reverse
}

// orderBy is the ORDER BY clause of the sort, reversed or not.
func (s Sort) orderBy(reverse bool) string {
	dir, nulls := " ASC", " NULLS FIRST"
	if s.Descending(reverse) {
		dir, nulls = " DESC", " NULLS LAST"
	}
	switch s {
	case SortName:
		return `lower(a.name)` + dir + `, a.id` + dir
	case SortOrganisation:
		return `lower(so.name)` + dir + `, so.id` + dir + `, a.updated_at DESC, a.id DESC`
	case SortReadiness:
		return `a.readiness` + dir + nulls + `, a.id` + dir
	}
	return `a.updated_at` + dir + `, a.id` + dir
}

// ListOptions choose a page of a list of assessments and its order.
type ListOptions struct {
	TemplateID     string // only assessments on this template (any version), when set
	OrganisationID int64  // only this organisation's, when set
	Search         string // only those whose name holds this, ignoring case
	Archived       bool   // the archived ones only; otherwise those in use
	Sort           Sort   // SortActivity when empty
	Reverse        bool   // the other way than the sort's natural order
	Offset         int
	Limit          int // 50 when zero, at most 500
}

// MaxPage bounds the rows of one page of a list.
const MaxPage = 500

func (o ListOptions) limit() int {
	switch {
	case o.Limit <= 0:
		return 50
	case o.Limit > MaxPage:
		return MaxPage
	}
	return o.Limit
}

// Assessments returns a page of the assessments the actor may see, and
// whether more follow it.
func (s *Store) Assessments(ctx context.Context, actorID int64, opt ListOptions) ([]Assessment, bool, error) {
	sc, err := s.scopeOf(ctx, actorID)
	if err != nil || sc.none() {
		return nil, false, err
	}
	q := args{actorID}
	filters := []string{`a.archived_at IS NULL`}
	if opt.Archived {
		filters[0] = `a.archived_at IS NOT NULL`
	}
	if opt.TemplateID != "" {
		filters = append(filters, `a.template_id = `+q.add(opt.TemplateID))
	}
	if opt.OrganisationID != 0 {
		filters = append(filters, `a.organisation_id = `+q.add(opt.OrganisationID))
	}
	if opt.Search != "" {
		filters = append(filters, `a.name ILIKE `+q.add(containing(opt.Search)))
	}
	limit, offset := opt.limit(), max(opt.Offset, 0)
	order := opt.Sort.orderBy(opt.Reverse)
	// The page is chosen first, from the organisation index, which holds
	// every column a list filters and sorts on: the rows of an advisor's
	// twenty organisations are sorted without reading most of them from
	// the table (only those on pages changed since the last vacuum). Then
	// only the page's rows are read whole. A portfolio page of 1,000
	// candidates read 2,700-5,700 buffers before; now 550 when vacuumed,
	// about 1,200 under scripts/loadtest's autosaves.
	tables, where := `assessments a`, filters
	if !sc.all && (opt.Sort == SortActivity || opt.Sort == "") {
		// Each organisation's first rows in this order, as many as the page
		// needs: the page costs what it shows (times the organisations),
		// whatever they hold.
		cond := ``
		if len(filters) > 0 {
			cond = ` AND ` + strings.Join(filters, ` AND `)
		}
		tables = sc.visible(&q) + ` CROSS JOIN LATERAL (SELECT a.id, a.updated_at FROM assessments a
			WHERE a.organisation_id = scope.org` + cond + ` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(offset+limit+1) + `) a`
		where = nil
	} else {
		join, cond := sc.seen(&q, "a.organisation_id")
		tables, where = tables+join, append(where, cond)
	}
	if opt.Sort == SortOrganisation {
		tables += ` JOIN organisations so ON so.id = a.organisation_id`
	}
	page := `SELECT a.id FROM ` + tables
	if len(where) > 0 {
		page += ` WHERE ` + strings.Join(where, ` AND `)
	}
	// The page's bounds are written into the SQL: as parameters, PostgreSQL
	// planned a generic plan without them, which looked costlier than one
	// for the values at hand, and so planned the list again at every call
	// (0.5 ms, more than the dashboard's list takes to run). A few page
	// sizes and offsets make a few prepared statements.
	page += ` ORDER BY ` + order + ` LIMIT ` + strconv.Itoa(limit+1) + ` OFFSET ` + strconv.Itoa(offset)
	sql := listColumns + ` FROM (` + page + `) page JOIN assessments a ON a.id = page.id JOIN users act ON act.id = $1 AND act.active`
	if opt.Sort == SortOrganisation {
		sql += ` JOIN organisations so ON so.id = a.organisation_id`
	}
	sql += ` ORDER BY ` + order
	rows, err := s.pool.Query(ctx, sql, q...)
	if err != nil {
		return nil, false, fmt.Errorf("store: assessments: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Assessment, error) { return scanListed(r) })
	if err != nil {
		return nil, false, fmt.Errorf("store: assessments: %w", err)
	}
	if len(list) > limit {
		return list[:limit], true, nil
	}
	return list, false, nil
}

// containing is an ILIKE pattern matching text that holds s.
func containing(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.TrimSpace(s)) + "%"
}

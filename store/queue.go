package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
)

// Waiting is a phase that waits on someone: submitted, for the advisor to
// review, or sent back with changes requested, for the program manager.
type Waiting struct {
	AssessmentID     int64
	AssessmentName   string
	OrganisationName string
	OrganisationSlug string
	TemplateID       string
	TemplateVersion  int
	Phase            string
	State            assessment.ReviewState
	// Since is when the phase took its state: submitted or sent back. A
	// change to a submitted phase withdraws it from review (edit.edited),
	// so a waiting phase's row last changed when it took its state.
	Since time.Time
	// SentBack reports whether the advisor asked for changes to the phase
	// before (for a submitted phase: it was resubmitted after changes).
	SentBack bool
}

// QueueFilter chooses a page of the review queue.
type QueueFilter struct {
	States         []assessment.ReviewState // submitted when empty
	OrganisationID int64                    // only this organisation's, when set
	TemplateIDs    []string                 // only assessments on these templates (a platform's), when set
	TemplateID     string                   // with Phase: only this phase of this template
	Phase          string
	Search         string // only assessments whose name holds this, ignoring case
	Offset         int
	Limit          int // 50 when zero, at most MaxPage
}

// sentBack tests whether the phase pr.phase_key of pr.assessment_id was
// ever sent back, from its history (the index on history's item keys).
const sentBack = `EXISTS (SELECT 1 FROM history h WHERE h.assessment_id = pr.assessment_id AND h.kind = 'phase'
	AND h.item_key = pr.phase_key AND h.new_value LIKE 'changes requested%')`

// ReviewQueue returns a page of the phases waiting in the organisations the
// actor sees, the longest waiting first, and whether more follow.
func (s *Store) ReviewQueue(ctx context.Context, actorID int64, f QueueFilter) ([]Waiting, bool, error) {
	sc, err := s.scopeOf(ctx, actorID)
	if err != nil || sc.none() {
		return nil, false, err
	}
	q := args{actorID}
	waiting := waitingIn(f.States)
	// The page is chosen from the waiting reviews first (the assessment
	// joined only for a filter on it, the rule tested once for each
	// organisation), then only its rows are read whole: an advisor's twenty
	// organisations hold about a hundred waiting phases, each of which cost
	// its assessment, organisation and the rule's test before the sort
	// (980 buffers a page, 0.67-0.69 ms; now 810, 0.56-0.63 ms: most of
	// what is left is the page's own rows).
	join, seen := sc.seen(&q, "pr.organisation_id")
	tables, where := `phase_reviews pr`+join, []string{waiting, seen}
	// An archived assessment has no submitted phase (archiving withdraws
	// them, and it cannot be submitted), but a phase sent back stays so:
	// only a list that holds those reads the assessment to leave it out.
	archivable := slices.Contains(f.States, assessment.ReviewChangesRequested)
	if len(f.TemplateIDs) > 0 || f.Phase != "" || f.Search != "" || archivable {
		tables += ` JOIN assessments a ON a.id = pr.assessment_id`
	}
	if archivable {
		where = append(where, `a.archived_at IS NULL`)
	}
	if f.OrganisationID != 0 {
		where = append(where, `pr.organisation_id = `+q.add(f.OrganisationID))
	}
	if len(f.TemplateIDs) > 0 {
		where = append(where, `a.template_id = ANY(`+q.add(f.TemplateIDs)+`)`)
	}
	if f.Phase != "" {
		where = append(where, `a.template_id = `+q.add(f.TemplateID)+` AND pr.phase_key = `+q.add(f.Phase))
	}
	if f.Search != "" {
		where = append(where, `a.name ILIKE `+q.add(containing(f.Search)))
	}
	limit := ListOptions{Limit: f.Limit}.limit()
	// The page's bounds are written into the SQL, as the assessments list
	// does (assessments.go): with LIMIT as a parameter, PostgreSQL's generic
	// plan guessed a tenth of the rows and scanned every organisation's
	// waiting phases in order to stop early, 1,565 buffers for an advisor of
	// 20 of 500 organisations; with the bound known it reads the advisor's
	// organisations from their index, about 110.
	const order = ` ORDER BY pr.updated_at, pr.assessment_id, pr.phase_key`
	page := `SELECT pr.assessment_id, pr.phase_key FROM ` + tables + ` WHERE ` + strings.Join(where, ` AND `) +
		order + ` LIMIT ` + strconv.Itoa(limit+1) + ` OFFSET ` + strconv.Itoa(max(f.Offset, 0))
	sql := `SELECT pr.assessment_id, a.name, o.name, o.slug, a.template_id, a.template_version, pr.phase_key, pr.state, pr.updated_at, ` + sentBack + `
		FROM (` + page + `) page JOIN phase_reviews pr ON pr.assessment_id = page.assessment_id AND pr.phase_key = page.phase_key
		JOIN assessments a ON a.id = pr.assessment_id JOIN organisations o ON o.id = a.organisation_id` + order
	rows, err := s.pool.Query(ctx, sql, q...)
	if err != nil {
		return nil, false, fmt.Errorf("store: review queue: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Waiting, error) {
		var w Waiting
		err := r.Scan(&w.AssessmentID, &w.AssessmentName, &w.OrganisationName, &w.OrganisationSlug, &w.TemplateID, &w.TemplateVersion,
			&w.Phase, &w.State, &w.Since, &w.SentBack)
		return w, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("store: review queue: %w", err)
	}
	if len(list) > limit {
		return list[:limit], true, nil
	}
	return list, false, nil
}

// waitingIn is the condition on pr (phase_reviews) for phases in one of
// the states (submitted when none). The states are written into the SQL,
// not passed as arguments, so that PostgreSQL may use the partial index of
// waiting phases in every plan; one state is an equality, which that index
// returns in order.
func waitingIn(states []assessment.ReviewState) string {
	var in []string
	for _, st := range states {
		switch st {
		case assessment.ReviewSubmitted, assessment.ReviewChangesRequested:
			in = append(in, `'`+string(st)+`'`)
		}
	}
	switch len(in) {
	case 0:
		return `pr.state = 'submitted' AND NOT pr.waived`
	case 1:
		return `pr.state = ` + in[0] + ` AND NOT pr.waived`
	}
	return `pr.state IN (` + strings.Join(in, ", ") + `) AND NOT pr.waived`
}

// WaitingCount counts the submitted phases waiting for review in the
// organisations the actor sees, up to limit: a header shows "99+" rather
// than pay for counting every one. It reads the index of waiting phases
// alone: a review row keeps its assessment's organisation (an assessment
// never moves), and every advisor page shows the count. The rule is tested
// once per organisation (208 -> 138 buffers, 0.19 -> 0.14-0.17 ms for an
// advisor of 20 organisations).
func (s *Store) WaitingCount(ctx context.Context, actorID int64, limit int) (int, error) {
	sc, err := s.scopeOf(ctx, actorID)
	if err != nil || sc.none() {
		return 0, err
	}
	q := args{actorID}
	join, seen := sc.seen(&q, "pr.organisation_id")
	sql := `SELECT count(*) FROM (SELECT 1 FROM phase_reviews pr` + join + ` WHERE ` + seen + ` AND ` + waitingIn(nil) + ` LIMIT ` + strconv.Itoa(limit) + `) w`
	var n int
	if err := s.pool.QueryRow(ctx, sql, q...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: waiting count: %w", err)
	}
	return n, nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"github.com/jackc/pgx/v5"
)

// The rules of who may see and change an organisation's data, as SQL
// conditions that queries embed: authorization is part of every query, and
// PostgreSQL plans it with the query (a SQL function with sub-selects is
// planned again on every call, a PL/pgSQL one still costs a call).
//
// actor and org are SQL expressions: a parameter such as "$1" and a column
// such as "a.organisation_id".

// canSeeOrg: admins see every organisation; managers and viewers their
// own; advisors those assigned to them. Deactivated users see nothing.
func canSeeOrg(actor, org string) string {
	return `EXISTS (SELECT 1 FROM users act WHERE act.id = ` + actor + ` AND act.active AND ` + actorSees(org) + `)`
}

// canEditOrg: only an organisation's own active program managers change
// its assessments.
func canEditOrg(actor, org string) string {
	return `EXISTS (SELECT 1 FROM users act WHERE act.id = ` + actor + ` AND act.active AND ` + actorEdits(org) + `)`
}

// actorSees, actorEdits and actorReviews are the same rules for a query
// that joins the actor's own row as act, active already required:
//
//	FROM assessments a JOIN users act ON act.id = $1 AND act.active
//
// A query about one row reads the actor once that way instead of once per
// rule, and PostgreSQL starts a smaller plan for it on every execution.
// Like any SQL comparison they may be NULL (for an actor without an
// organisation), which WHERE takes as false; select them with coalesce.
func actorSees(org string) string {
	return `(` + actorSeesAll + ` OR act.organisation_id = ` + org + ` OR ` + actorReviews(org) + `)`
}

// actorSeesAll is the part of actorSees that lets an actor see every
// organisation.
const actorSeesAll = `act.role = 'admin'`

func actorEdits(org string) string {
	return `(act.role = 'manager' AND act.organisation_id = ` + org + `)`
}

// actorReviews looks the one assignment up by its key. (OFFSET 0 keeps
// PostgreSQL from turning the EXISTS into a hash of all the advisor's
// assignments, built again on every execution.)
func actorReviews(org string) string {
	return `(act.role = 'advisor' AND EXISTS (SELECT 1 FROM advisor_assignments aa WHERE aa.user_id = act.id AND aa.organisation_id = ` + org + ` OFFSET 0))`
}

// isAdmin: only active admins manage users, organisations and advisor
// assignments. The admin pages check it too; the queries check it again,
// so that no code path can change these for anyone else.
func isAdmin(actor string) string {
	return `EXISTS (SELECT 1 FROM users act WHERE act.id = ` + actor + ` AND act.active AND act.role = 'admin')`
}

// orgScope is the organisations a list query reads: all of them (for an
// admin) or those whose ids are in orgs. A list query resolves it first
// (scopeOf) so that PostgreSQL plans for the actor at hand: an admin's list
// follows an index in the list's order and stops at the end of the page; a
// manager's or an advisor's reads the rows of their organisations from an
// index on the organisation and sorts those, instead of testing actorSees
// on every assessment in the database.
type orgScope struct {
	all  bool
	orgs []int64
}

// scopeOf resolves, with actorSees itself, the organisations the actor
// sees: all for an active admin, else the ids (none for a deactivated or
// unknown user).
func (s *Store) scopeOf(ctx context.Context, actorID int64) (orgScope, error) {
	memo, _ := ctx.Value(scopeMemoKey{}).(*scopeMemo)
	if memo != nil {
		memo.mu.Lock()
		sc, ok := memo.scopes[actorID]
		memo.mu.Unlock()
		if ok {
			return sc, nil
		}
	}
	sc, err := s.resolveScope(ctx, actorID)
	if err == nil && memo != nil {
		memo.mu.Lock()
		memo.scopes[actorID] = sc
		memo.mu.Unlock()
	}
	return sc, err
}

// RememberScopes returns a context in which the store resolves each
// actor's organisations once, however many lists it reads: for a request
// that changes nothing (an advisor's page reads three or four lists: the
// header's count, the filters, the list). The list queries test what the
// actor sees themselves as well, so an organisation unassigned meanwhile
// is not shown.
func RememberScopes(ctx context.Context) context.Context {
	return context.WithValue(ctx, scopeMemoKey{}, &scopeMemo{scopes: map[int64]orgScope{}})
}

type scopeMemoKey struct{}

type scopeMemo struct {
	mu     sync.Mutex
	scopes map[int64]orgScope
}

// resolveScope is scopeOf's query.
func (s *Store) resolveScope(ctx context.Context, actorID int64) (orgScope, error) {
	var sc orgScope
	// Besides admins, actorSees lets an actor see their own organisation
	// and those assigned to them: those are tested, not all.
	err := s.pool.QueryRow(ctx, `SELECT `+actorSeesAll+`,
		ARRAY(SELECT o.id FROM organisations o
			WHERE o.id IN (SELECT act.organisation_id UNION ALL SELECT aa.organisation_id FROM advisor_assignments aa WHERE aa.user_id = act.id)
			AND NOT `+actorSeesAll+` AND `+actorSees("o.id")+` ORDER BY o.id)
		FROM users act WHERE act.id = $1 AND act.active`, actorID).Scan(&sc.all, &sc.orgs)
	if errors.Is(err, pgx.ErrNoRows) {
		return orgScope{}, nil
	}
	if err != nil {
		return orgScope{}, fmt.Errorf("store: organisations of %d: %w", actorID, err)
	}
	return sc, nil
}

// none reports a scope without any organisation: a list query would
// return nothing.
func (sc orgScope) none() bool { return !sc.all && len(sc.orgs) == 0 }

// holds is the condition that col is one of the scope's organisations (not
// an admin's scope). One organisation (a manager's) is passed as itself,
// not as an array: PostgreSQL plans an array parameter as if it held ten,
// so the generic plan of a statement given one looked ten times costlier
// than a plan for the value at hand, and the statement was planned again
// at every call (the dashboard's two lists: 0.46 and 0.33 ms, more than
// they took to run, 8 % of PostgreSQL's time in scripts/loadtest's mix).
func (sc orgScope) holds(q *args, col string) string {
	if len(sc.orgs) == 1 {
		return col + ` = ` + q.add(sc.orgs[0])
	}
	return col + ` = ANY(` + q.add(sc.orgs) + `)`
}

// visible is the scope's organisations that the actor $1 sees, as a
// table scope(org): the rule tested once for each organisation, not on
// each of their rows (a list's candidate rows are an advisor's every
// assessment). One organisation is passed as itself (see holds).
func (sc orgScope) visible(q *args) string {
	var rows string
	if len(sc.orgs) == 1 {
		rows = `(VALUES (` + q.add(sc.orgs[0]) + `::bigint)) AS scope(org)`
	} else {
		rows = `unnest(` + q.add(sc.orgs) + `::bigint[]) AS scope(org)`
	}
	return `(SELECT scope.org FROM ` + rows + ` JOIN users act ON act.id = $1 AND act.active WHERE ` + actorSees("scope.org") + `) scope`
}

// seen is what a list query over a table with an organisation column col
// adds to keep to what the actor $1 sees: for an admin's scope, a join of
// the actor as act and the condition that act is an admin; for anyone
// else's, no join and the condition that col is one of the organisations
// visible returns.
func (sc orgScope) seen(q *args, col string) (join, cond string) {
	if sc.all {
		return ` JOIN users act ON act.id = $1 AND act.active`, actorSeesAll
	}
	return ``, col + ` = ANY(ARRAY(SELECT scope.org FROM ` + sc.visible(q) + `))`
}

// among is the start of a condition, "col = ANY(...) AND " (see holds), that narrows
// a query to the scope's organisations; nothing for an admin's. What
// follows it must test the rule.
func (sc orgScope) among(q *args, col string) string {
	if sc.all {
		return ``
	}
	return sc.holds(q, col) + ` AND `
}

// args collects the arguments of a query built from optional parts.
type args []any

// add appends v and returns its placeholder.
func (q *args) add(v any) string {
	*q = append(*q, v)
	return "$" + strconv.Itoa(len(*q))
}

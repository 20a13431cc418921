package store

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
	return `(act.role = 'admin' OR act.organisation_id = ` + org + ` OR ` + actorReviews(org) + `)`
}

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

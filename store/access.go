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
	return `EXISTS (SELECT 1 FROM users act WHERE act.id = ` + actor + ` AND act.active AND (act.role = 'admin' OR act.organisation_id = ` + org +
		` OR (act.role = 'advisor' AND EXISTS (SELECT 1 FROM advisor_assignments aa WHERE aa.user_id = act.id AND aa.organisation_id = ` + org + `))))`
}

// canEditOrg: only an organisation's own active program managers change
// its assessments.
func canEditOrg(actor, org string) string {
	return `EXISTS (SELECT 1 FROM users act WHERE act.id = ` + actor + ` AND act.active AND act.role = 'manager' AND act.organisation_id = ` + org + `)`
}

// canReviewOrg: advisors assigned to the organisation review its phases.
func canReviewOrg(actor, org string) string {
	return `EXISTS (SELECT 1 FROM advisor_assignments aa JOIN users act ON act.id = aa.user_id
		WHERE aa.user_id = ` + actor + ` AND aa.organisation_id = ` + org + ` AND act.active AND act.role = 'advisor')`
}

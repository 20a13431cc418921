// Package benchdb fills a database for the performance tools in scripts/
// (listbench, loadtest) with bulk SQL, and measures the processor time of
// the processes they drive.
package benchdb

import (
	"context"
	"log"

	"groundwork/assessment"
	"groundwork/store"
)

// Password is every seeded person's password.
const Password = "bench password"

// Seed fills a fresh database: orgs organisations (commcare and opencrvs
// in turn), a program manager each, an admin, an advisor assigned to
// advisorOrgs of them spread over the range, and n assessments spread over
// the organisations, each with phase 1.1 complete and some answers of 1.2;
// 1.1 is approved on a quarter of them, waits for review on one in twenty
// (half of those sent back once before), and has changes requested on one
// in fifty. Every answer and review has its history entry. Everyone signs
// in with Password. It stops the program on any error: it serves the
// command-line tools in scripts/.
func Seed(ctx context.Context, st *store.Store, dsn string, n, orgs, advisorOrgs int) {
	conn, err := Connect(ctx, dsn, "benchdb")
	check(err)
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			log.Fatalf("%v\n%s", err, sql)
		}
	}
	exec(`INSERT INTO organisations (slug, name, platform)
		SELECT 'org-' || i, 'Ministry ' || i, CASE WHEN i % 2 = 1 THEN 'commcare' ELSE 'opencrvs' END
		FROM generate_series(1, $1) i`, orgs)
	for _, u := range []store.NewUser{
		{Email: "admin@example.org", Name: "Admin", Role: store.RoleAdmin, Password: Password},
		{Email: "advisor@example.org", Name: "Advisor", Role: store.RoleAdvisor, Password: Password},
	} {
		_, err := st.CreateUser(ctx, u)
		check(err)
	}
	// The managers sign in with the same password: they share the admin's hash.
	exec(`INSERT INTO users (email, name, role, organisation_id, password_hash)
		SELECT 'manager-' || o.id || '@example.org', 'Manager ' || o.id, 'manager', o.id,
		       (SELECT password_hash FROM users WHERE email = 'admin@example.org')
		FROM organisations o`)
	// One more organisation with a single assessment, and its manager: a
	// small organisation's lists must not cost what the big ones hold.
	org, err := st.CreateOrganisation(ctx, 0, store.Organisation{Slug: "small", Name: "Small ministry", Platform: "commcare"})
	check(err)
	_, err = st.CreateUser(ctx, store.NewUser{Email: "manager@example.org", Name: "Manager", Role: store.RoleManager, OrganisationID: org.ID, Password: Password})
	check(err)
	exec(`INSERT INTO advisor_assignments (user_id, organisation_id)
		SELECT (SELECT id FROM users WHERE email = 'advisor@example.org'), o.id
		FROM organisations o WHERE o.id % ($1::int / $2::int) = 0 ORDER BY o.id LIMIT $2`, orgs, advisorOrgs)
	// Assessment i belongs to organisation (i mod orgs) + 1; the last
	// activity is spread over a year.
	exec(`INSERT INTO assessments (organisation_id, template_id, template_version, name, sign_off, created_by, updated_by, created_at, updated_at)
		SELECT o.id, CASE o.platform WHEN 'commcare' THEN 'commcare-transition' ELSE 'opencrvs-server-hosted' END,
		       CASE o.platform WHEN 'commcare' THEN 1 ELSE 2 END,
		       'Move ' || i, i % 3 = 0, m.id, m.id,
		       now() - interval '400 days', now() - ((i * 7919) % 525600) * interval '1 minute'
		FROM generate_series(1, $1) i
		JOIN organisations o ON o.slug = 'org-' || ((i % $2) + 1)
		JOIN users m ON m.organisation_id = o.id`, n, orgs)
	exec(`INSERT INTO assessments (organisation_id, template_id, template_version, name, created_by, updated_by, created_at, updated_at)
		SELECT o.id, 'commcare-transition', 1, 'Move ' || ($1::int + 1), m.id, m.id, now() - interval '400 days', now() - interval '300 days'
		FROM organisations o JOIN users m ON m.organisation_id = o.id WHERE o.slug = 'small'`, n)

	type item struct{ tpl, key, value string }
	answers := []item{
		{"commcare-transition", "architecture_diagram_url", "https://example.org/arch.pdf"},
		{"commcare-transition", "environments", `["testing","production"]`},
		{"commcare-transition", "mobile_apps", `[{"name":"CHW app","version":"12","users":1200}]`},
		{"commcare-transition", "collecting_data", "no"},
		{"commcare-transition", "growth_projections", "Double in two years."},
		{"commcare-transition", "expected_users", "2500"},
		{"commcare-transition", "existing_form_submissions", "250000"},
		{"commcare-transition", "forms_per_user_month", "30"},
		{"commcare-transition", "new_cases_per_user_month", "8"},
		{"commcare-transition", "updated_cases_per_user_month", "20"},
		{"opencrvs-server-hosted", "datacenter_name", "National data centre"},
		{"opencrvs-server-hosted", "datacenter_tier", "tier_3"},
		{"opencrvs-server-hosted", "internet_mbps", "100"},
		{"opencrvs-server-hosted", "ups_minutes", "30"},
		{"opencrvs-server-hosted", "safe_shutdown_minutes", "5"},
		{"opencrvs-server-hosted", "project_stage", "pilot"},
	}
	checkpoints := []item{
		{"commcare-transition", "architecture_diagram_created", ""},
		{"commcare-transition", "mobile_app_inventory_documented", ""},
	}
	for _, k := range []string{"tier_2_or_3_datacenter", "uninterrupted_power", "air_conditioning", "security_access", "offsite_backup",
		"failsafe_internet", "security_policies", "vpn_network_staff", "minimum_10_mbps"} {
		checkpoints = append(checkpoints, item{"opencrvs-server-hosted", k, ""})
	}
	cols := func(items []item) (tpls, keys, values []string) {
		for _, it := range items {
			tpls, keys, values = append(tpls, it.tpl), append(keys, it.key), append(values, it.value)
		}
		return
	}
	tpls, keys, values := cols(answers)
	exec(`INSERT INTO answers (assessment_id, question_key, value, version, updated_by, updated_at)
		SELECT a.id, v.key, v.value, 1, a.updated_by, a.updated_at - interval '1 day'
		FROM assessments a JOIN unnest($1::text[], $2::text[], $3::text[]) v(tpl, key, value) ON v.tpl = a.template_id`, tpls, keys, values)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT assessment_id, 'answer', question_key, 1, NULL, value, updated_by, updated_at FROM answers`)
	tpls, keys, _ = cols(checkpoints)
	exec(`INSERT INTO confirmations (assessment_id, checkpoint_key, confirmed, version, updated_by, updated_at)
		SELECT a.id, v.key, true, 1, a.updated_by, a.updated_at - interval '1 day'
		FROM assessments a JOIN unnest($1::text[], $2::text[]) v(tpl, key) ON v.tpl = a.template_id`, tpls, keys)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT assessment_id, 'checkpoint', checkpoint_key, 1, NULL, 'confirmed', updated_by, updated_at FROM confirmations`)
	// Phase 1.1's review, by a hash j of the assessment's number (in its
	// name), so that every organisation has its share.
	exec(`INSERT INTO phase_reviews (assessment_id, phase_key, state, comment, updated_by, updated_at)
		SELECT a.id, '1.1', s.state, CASE s.state WHEN 'changes_requested' THEN 'Say which data centre.' ELSE '' END, a.updated_by, a.updated_at
		FROM assessments a, LATERAL (SELECT hashint4(substr(a.name, 6)::int)::bigint + 2147483648 AS j) n,
		LATERAL (SELECT CASE WHEN n.j % 20 = 0 THEN 'submitted' WHEN n.j % 50 = 3 THEN 'changes_requested'
		                     WHEN n.j % 4 = 1 THEN 'approved' END AS state) s
		WHERE s.state IS NOT NULL`)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT pr.assessment_id, 'phase', '1.1', 0, 'not submitted', 'changes requested: Say which data centre.', pr.updated_by, pr.updated_at - interval '2 days'
		FROM phase_reviews pr JOIN assessments a ON a.id = pr.assessment_id
		WHERE pr.state = 'changes_requested' OR (pr.state = 'submitted' AND (hashint4(substr(a.name, 6)::int)::bigint + 2147483648) % 40 = 0)`)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT pr.assessment_id, 'phase', '1.1', 0, 'not submitted', 'submitted', pr.updated_by,
		       pr.updated_at - CASE pr.state WHEN 'approved' THEN interval '1 hour' ELSE interval '0' END
		FROM phase_reviews pr WHERE pr.state IN ('submitted', 'approved')`)
	exec(`INSERT INTO history (assessment_id, kind, item_key, version, old_value, new_value, changed_by, changed_at)
		SELECT pr.assessment_id, 'phase', '1.1', 0, 'submitted', 'approved', pr.updated_by, pr.updated_at
		FROM phase_reviews pr WHERE pr.state = 'approved'`)
	cat, err := assessment.Embedded()
	check(err)
	filled, err := st.FillReadiness(ctx, cat)
	check(err)
	log.Printf("computed the readiness of %d assessments", filled)
	exec(`VACUUM ANALYZE`)
	var a, h int
	check(conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM answers), (SELECT count(*) FROM history)`).Scan(&a, &h))
	log.Printf("%d answers, %d history entries", a, h)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

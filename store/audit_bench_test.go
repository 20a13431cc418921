package store_test

import (
	"context"
	"testing"
	"time"

	"groundwork/store"
)

// BenchmarkAuditEvents reads one page (51 rows) of the audit trail with
// each filter the pages offer, from 1,000,000 events of 50,000 assessments
// in 500 organisations spread over a year. Every page should cost about
// a millisecond, as at a hundred events:
//
//	go test ./store -run '^$' -bench BenchmarkAuditEvents -benchtime 200x
//
// (Seeding takes about 40 s.)
func BenchmarkAuditEvents(b *testing.B) {
	f := newFixtureB(b)
	ctx := context.Background()
	tpl := miniTemplate(b)
	a, err := f.st.CreateAssessment(ctx, f.manager.ID, store.NewAssessment{Name: "Move", TemplateID: tpl.ID, TemplateVersion: tpl.Version})
	if err != nil {
		b.Fatal(err)
	}
	for _, sql := range []string{
		`INSERT INTO organisations (slug, name, platform) SELECT 'o' || g, 'Org ' || g, 'commcare' FROM generate_series(1, 500) g`,
		`INSERT INTO assessments (organisation_id, template_id, template_version, name)
		 SELECT (SELECT min(id) FROM organisations) + g % 500, 'mini', 1, 'A ' || g FROM generate_series(1, 50000) g`,
		`INSERT INTO history (assessment_id, organisation_id, kind, item_key, version, new_value, changed_by, actor_name, changed_at)
		 SELECT a.id, a.organisation_id, (ARRAY['answer', 'checkpoint', 'phase', 'evidence'])[1 + g % 4], 'users', 1, 'v' || g,
		        (SELECT id FROM users WHERE role = 'manager' ORDER BY id LIMIT 1), 'm', now() - (1000000 - g) * interval '30 seconds'
		 FROM generate_series(1, 1000000) g JOIN assessments a ON a.id = (SELECT min(id) FROM assessments) + g % 50000`,
		`ANALYZE`,
	} {
		if _, err := f.pool.Exec(ctx, sql); err != nil {
			b.Fatal(err)
		}
	}
	var middle int64
	if err := f.pool.QueryRow(ctx, `SELECT id FROM history WHERE assessment_id = $1 + 100 ORDER BY id LIMIT 1 OFFSET 10`, a.ID).Scan(&middle); err != nil {
		b.Fatal(err)
	}
	yearAgo := time.Now().AddDate(0, 0, -300)
	for _, bm := range []struct {
		name  string
		actor int64
		f     store.EventFilter
	}{
		{"assessment", f.admin.ID, store.EventFilter{AssessmentID: a.ID + 100}},
		{"assessment-kind", f.admin.ID, store.EventFilter{AssessmentID: a.ID + 100, Kind: "answer"}},
		{"assessment-next-page", f.admin.ID, store.EventFilter{AssessmentID: a.ID + 100, Before: middle}},
		{"assessment-viewer", f.viewer.ID, store.EventFilter{AssessmentID: a.ID}},
		{"admin-newest", f.admin.ID, store.EventFilter{}},
		{"admin-organisation", f.admin.ID, store.EventFilter{OrganisationID: f.orgB.ID + 10}},
		{"admin-person", f.admin.ID, store.EventFilter{ActorID: f.manager.ID}},
		{"admin-rare-kind", f.admin.ID, store.EventFilter{Kind: "advisor"}},
		{"admin-one-day-a-year-ago", f.admin.ID, store.EventFilter{From: yearAgo, Until: yearAgo.AddDate(0, 0, 1)}},
		{"admin-deep-page", f.admin.ID, store.EventFilter{Before: 300000}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			bm.f.Limit = 51
			for b.Loop() {
				if _, err := f.st.Events(ctx, bm.actor, bm.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

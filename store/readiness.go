package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"groundwork/assessment"
)

// An assessment's readiness (assessment.Result.Score) and progress (the
// status of each phase) are kept in its row so that a list can sort by
// the one and show both without evaluating every assessment: every change,
// which goes through Store.change, writes them (edit.readiness); a new
// assessment has nothing done, readiness 0 and the progress its creator
// gives. Rows from before the columns have none until FillReadiness
// computes them.

// readiness queues the readiness and progress the change leaves the
// assessment with.
func (e *edit) readiness() {
	p := e.tpl.Evaluate(e.st.Input(e.tpl)).Progress()
	e.queue(`UPDATE assessments SET readiness = $2, progress = $3
		WHERE id = $1 AND (readiness IS DISTINCT FROM $2 OR progress IS DISTINCT FROM $3)`, e.st.ID, p.Score, p)
}

// FillReadiness computes the readiness and progress of the assessments that have none
// (those started before it was kept), a few hundred at a time, with the
// templates of the catalog. The server runs it at start; assessments on a
// template the catalog lacks keep none. It returns how many it filled.
func (s *Store) FillReadiness(ctx context.Context, cat *assessment.Catalog) (int, error) {
	filled := 0
	var after int64
	for {
		rows, err := s.pool.Query(ctx, `SELECT id, template_id, template_version, sign_off FROM assessments
			WHERE (readiness IS NULL OR progress IS NULL) AND id > $1 ORDER BY id LIMIT 500`, after)
		if err != nil {
			return filled, fmt.Errorf("store: fill readiness: %w", err)
		}
		states, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*State, error) {
			st := &State{}
			err := r.Scan(&st.ID, &st.TemplateID, &st.TemplateVersion, &st.SignOff)
			return st, err
		})
		if err != nil {
			return filled, fmt.Errorf("store: fill readiness: %w", err)
		}
		if len(states) == 0 {
			return filled, nil
		}
		ids := make([]int64, len(states))
		for i, st := range states {
			ids[i] = st.ID
		}
		after = ids[len(ids)-1]
		b := &pgx.Batch{}
		queueItems(b, `x.assessment_id = ANY($1)`, ids)
		br := s.pool.SendBatch(ctx, b)
		err = readItems(br, states...)
		br.Close()
		if err != nil {
			return filled, fmt.Errorf("store: fill readiness: %w", err)
		}
		var done []int64
		var scores []int
		var progress []assessment.Progress
		for _, st := range states {
			if tpl, ok := cat.Template(st.TemplateID, st.TemplateVersion); ok {
				p := tpl.Evaluate(st.Input(tpl)).Progress()
				done, scores, progress = append(done, st.ID), append(scores, p.Score), append(progress, p)
			}
		}
		// A change since the read has written newer values: keep them.
		tag, err := s.pool.Exec(ctx, `UPDATE assessments a SET readiness = v.score, progress = v.progress
			FROM unnest($1::bigint[], $2::int[], $3::jsonb[]) v(id, score, progress)
			WHERE a.id = v.id AND (a.readiness IS NULL OR a.progress IS NULL)`, done, scores, progress)
		if err != nil {
			return filled, fmt.Errorf("store: fill readiness: %w", err)
		}
		filled += int(tag.RowsAffected())
	}
}

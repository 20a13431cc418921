-- Back to migration 6's history: the trigger goes first, so that the events
-- that table cannot hold (account and organisation events, kinds added
-- since, events of assessments no longer there) can be deleted.
DROP TRIGGER history_append_only ON history;
DROP FUNCTION gw_history_append_only();

DROP INDEX history_assessment_idx;
DROP INDEX history_organisation_idx;
DROP INDEX history_actor_idx;
DROP INDEX history_changed_at_idx;
DROP INDEX history_kind_idx;

DELETE FROM history
WHERE assessment_id IS NULL
   OR kind NOT IN ('answer', 'checkpoint', 'phase', 'evidence')
   OR NOT EXISTS (SELECT 1 FROM assessments a WHERE a.id = history.assessment_id);
UPDATE history SET changed_by = NULL
WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = history.changed_by);

ALTER TABLE history
    DROP COLUMN organisation_id,
    DROP COLUMN actor_name,
    DROP COLUMN actor_email;
ALTER TABLE history ALTER COLUMN assessment_id SET NOT NULL;
ALTER TABLE history DROP CONSTRAINT IF EXISTS history_kind_check;
ALTER TABLE history ADD CONSTRAINT history_kind_check CHECK (kind IN ('answer', 'checkpoint', 'phase', 'evidence'));
ALTER TABLE history ADD CONSTRAINT history_assessment_id_fkey
    FOREIGN KEY (assessment_id) REFERENCES assessments (id) ON DELETE CASCADE;
ALTER TABLE history ADD CONSTRAINT history_changed_by_fkey
    FOREIGN KEY (changed_by) REFERENCES users (id) ON DELETE SET NULL;

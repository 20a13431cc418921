-- The history table becomes the audit trail: one append-only log of every
-- change, to assessments (answers, checkpoints, evidence, phase statuses,
-- and later decisions and comments) and to accounts and organisations
-- (invitations, roles, activation, names, passwords, advisor assignments,
-- organisation settings). store/edit.go's e.history and store/audit.go's
-- logEvent are the only writers.
--
-- Foreign keys. Nothing in the application deletes assessments, users or
-- organisations today. With the trigger below, history's old
-- ON DELETE CASCADE (assessment) would make deleting an assessment fail,
-- and ON DELETE SET NULL (changed_by) would be an UPDATE of history, so
-- deleting a user would fail too. An audit trail must outlive what it
-- describes, so the foreign keys go: assessment_id, organisation_id and
-- changed_by are plain ids, and the actor's name and e-mail address are
-- copied into each event when it is written (a later rename, or a deleted
-- account, leaves the record as it was).

ALTER TABLE history DROP CONSTRAINT IF EXISTS history_kind_check;
ALTER TABLE history DROP CONSTRAINT IF EXISTS history_assessment_id_fkey;
ALTER TABLE history DROP CONSTRAINT IF EXISTS history_changed_by_fkey;

-- assessment_id is NULL for account and organisation events;
-- organisation_id scopes every event (NULL only for people of no
-- organisation: administrators and advisors).
ALTER TABLE history ALTER COLUMN assessment_id DROP NOT NULL;
ALTER TABLE history
    ADD COLUMN organisation_id bigint,
    ADD COLUMN actor_name      text NOT NULL DEFAULT '',
    ADD COLUMN actor_email     text NOT NULL DEFAULT '';

UPDATE history h SET organisation_id = a.organisation_id FROM assessments a WHERE a.id = h.assessment_id;
UPDATE history h SET actor_name = u.name, actor_email = u.email FROM users u WHERE u.id = h.changed_by;

-- The audit pages list newest first (changed_at, then id), a page at a
-- time, within one assessment, one organisation, one person's changes, one
-- kind or a date range: each of these indexes hands PostgreSQL the rows of
-- a page in order, so a page costs the same whatever the table holds.
-- history_item_idx stays for the per-item history pages.
CREATE INDEX history_changed_at_idx ON history (changed_at, id);
CREATE INDEX history_assessment_idx ON history (assessment_id, changed_at, id) WHERE assessment_id IS NOT NULL;
CREATE INDEX history_organisation_idx ON history (organisation_id, changed_at, id) WHERE organisation_id IS NOT NULL;
CREATE INDEX history_actor_idx ON history (changed_by, changed_at, id) WHERE changed_by IS NOT NULL;
CREATE INDEX history_kind_idx ON history (kind, changed_at, id);

-- Append-only, whatever role the application connects as (even the
-- table's owner or a superuser): every UPDATE, DELETE or TRUNCATE of
-- history is refused, at statement level so that one touching no row is
-- refused too. Only the owner could drop or disable the trigger, which is
-- a schema change, not something a query of the application does.
CREATE FUNCTION gw_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege', HINT = 'The audit trail keeps every event for good.';
END
$$;

CREATE TRIGGER history_append_only
BEFORE UPDATE OR DELETE OR TRUNCATE ON history
FOR EACH STATEMENT EXECUTE FUNCTION gw_history_append_only();

-- Review decisions and sign-off snapshots.
--
-- Every submission of a phase, every decision of its advisor and every
-- reopening is kept here for good: the table is append-only (the trigger
-- below refuses UPDATE, DELETE and TRUNCATE whatever role the application
-- connects as). An approval or a request for changes carries a snapshot of
-- the phase as it was decided on: its answers, confirmations (who, when) and
-- evidence metadata (file name, size, SHA-256 of each file), with the
-- decider's name and the time, in the canonical encoding that
-- store/snapshot.go defines, and the SHA-256 digest of those bytes.

-- Kinds of history other than the first four are recorded from here on
-- (the audit migration drops this constraint too; IF EXISTS makes both
-- orders work).
ALTER TABLE history DROP CONSTRAINT IF EXISTS history_kind_check;

-- revision counts the phase's sign-offs: reopening an approved phase
-- starts the next one. Decisions name the revision they belong to.
ALTER TABLE phase_reviews ADD COLUMN revision int NOT NULL DEFAULT 1 CHECK (revision > 0);

CREATE TABLE phase_decisions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- No ON DELETE actions: a cascade or SET NULL would change rows the
    -- trigger keeps as they are. Assessments and users are never deleted
    -- (users are deactivated).
    assessment_id bigint NOT NULL REFERENCES assessments (id),
    phase_key     text NOT NULL,
    revision      int NOT NULL CHECK (revision > 0),
    action        text NOT NULL CHECK (action IN ('submitted', 'approved', 'changes_requested', 'reopened')),
    reason        text NOT NULL DEFAULT '',
    -- Question keys the advisor marked as needing change.
    questions     text[] NOT NULL DEFAULT '{}',
    -- The canonical snapshot (UTF-8 JSON text, byte for byte as hashed)
    -- and its SHA-256.
    snapshot      text,
    digest        bytea CHECK (length(digest) = 32),
    decided_by    bigint REFERENCES users (id),
    decided_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((snapshot IS NULL) = (digest IS NULL)),
    CHECK ((action IN ('approved', 'changes_requested')) = (snapshot IS NOT NULL))
);
CREATE INDEX phase_decisions_phase_idx ON phase_decisions (assessment_id, phase_key, id);

CREATE FUNCTION gw_phase_decisions_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'phase_decisions is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER phase_decisions_no_change BEFORE UPDATE OR DELETE ON phase_decisions
FOR EACH ROW EXECUTE FUNCTION gw_phase_decisions_append_only();

CREATE TRIGGER phase_decisions_no_truncate BEFORE TRUNCATE ON phase_decisions
FOR EACH STATEMENT EXECUTE FUNCTION gw_phase_decisions_append_only();

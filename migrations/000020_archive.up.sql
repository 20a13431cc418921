-- An assessment its program managers archived: read only, left out of the
-- lists, the portfolio and the review queue until restored. NULL: in use.
ALTER TABLE assessments
    ADD COLUMN archived_at timestamptz,
    ADD COLUMN archived_by bigint REFERENCES users (id) ON DELETE SET NULL;

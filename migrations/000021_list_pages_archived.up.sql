-- The lists leave archived assessments out (archived_at IS NULL, migration
-- 20). The organisation index, from which a manager's or an advisor's list
-- chooses its page (store.Assessments), did not hold archived_at, so every
-- candidate row was read from the table to test it: an advisor's portfolio
-- read a page of each of twenty organisations from the table again. Holding
-- it makes the choice an index-only scan once more, as migration 15 meant.
DROP INDEX assessments_organisation_idx;
CREATE INDEX assessments_organisation_idx ON assessments (organisation_id, updated_at, id)
    INCLUDE (template_id, readiness, name, archived_at);

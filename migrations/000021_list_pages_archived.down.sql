DROP INDEX assessments_organisation_idx;
CREATE INDEX assessments_organisation_idx ON assessments (organisation_id, updated_at, id)
    INCLUDE (template_id, readiness, name);

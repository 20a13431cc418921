DROP INDEX assessments_organisation_idx;
CREATE INDEX assessments_organisation_idx ON assessments (organisation_id, updated_at DESC);
CREATE INDEX assessments_organisation_template_idx ON assessments (organisation_id, template_id, updated_at);

DROP INDEX phase_reviews_waiting_idx;
DROP INDEX organisations_name_idx;
DROP INDEX assessments_readiness_idx;
DROP INDEX assessments_name_idx;
DROP INDEX assessments_activity_idx;
ALTER TABLE assessments DROP COLUMN readiness;

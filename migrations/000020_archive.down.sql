ALTER TABLE assessments DROP COLUMN archived_by, DROP COLUMN archived_at;

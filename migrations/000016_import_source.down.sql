DROP INDEX assessments_imported_idx;
ALTER TABLE assessments DROP COLUMN imported_from;

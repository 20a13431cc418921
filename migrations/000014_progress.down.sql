ALTER TABLE assessments DROP COLUMN progress;

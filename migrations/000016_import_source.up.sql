-- imported_from names the assessment an import came from (its
-- organisation's slug, its id and when it started, as its export names
-- them), so that importing the same export again into the same
-- organisation asks first instead of making a second copy unnoticed.
ALTER TABLE assessments ADD COLUMN imported_from text;
CREATE INDEX assessments_imported_idx ON assessments (organisation_id, imported_from) WHERE imported_from IS NOT NULL;

-- Brings back migration 5's revision column and the triggers that move it.
ALTER TABLE assessments ADD COLUMN revision bigint NOT NULL DEFAULT 0;

CREATE FUNCTION gw_names_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE assessments SET revision = revision + 1
    WHERE id IN (
        SELECT assessment_id FROM answers WHERE updated_by = OLD.id
        UNION SELECT assessment_id FROM confirmations WHERE updated_by = OLD.id
        UNION SELECT assessment_id FROM phase_reviews WHERE updated_by = OLD.id
        UNION SELECT assessment_id FROM evidence WHERE uploaded_by = OLD.id
    );
    RETURN OLD;
END
$$;

-- A renamed user's name changes on every assessment they edited.
CREATE TRIGGER users_renamed AFTER UPDATE OF name ON users
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION gw_names_changed();

-- A deleted user's name disappears from them (before the delete, while
-- their id is still in updated_by).
CREATE TRIGGER users_deleted BEFORE DELETE ON users
FOR EACH ROW EXECUTE FUNCTION gw_names_changed();

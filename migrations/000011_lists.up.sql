-- Lists read one page of what the actor may see: the dashboard,
-- /assessments, the review queue and the portfolio (store/access.go,
-- orgScope). An advisor's and a manager's lists start from the
-- organisation index (assessments_organisation_idx); an admin's follow
-- these indexes, in either direction, and stop at the page's end.

-- readiness is assessment.Result.Score as the last change left it, so that
-- the portfolio sorts by it; the server fills it in for the assessments
-- that have none (store.FillReadiness).
ALTER TABLE assessments ADD COLUMN readiness smallint CHECK (readiness BETWEEN 0 AND 100);

-- The dashboard and /assessments: the most recently active first.
CREATE INDEX assessments_activity_idx ON assessments (updated_at, id);
-- The portfolio: one template's assessments in each of its orders; for
-- an advisor's, each organisation's most recently active.
CREATE INDEX assessments_template_activity_idx ON assessments (template_id, updated_at, id);
CREATE INDEX assessments_organisation_template_idx ON assessments (organisation_id, template_id, updated_at);
CREATE INDEX assessments_template_name_idx ON assessments (template_id, lower(name), id);
CREATE INDEX assessments_template_readiness_idx ON assessments (template_id, readiness NULLS FIRST, id);
CREATE INDEX organisations_name_idx ON organisations (lower(name), id);

-- The review queue: phases waiting, oldest first. Most reviews are neither
-- submitted nor sent back, and stay out of these indexes. An admin's queue
-- reads the first; an advisor's the second, by organisation, through a
-- copy of the assessment's organisation that a trigger puts in each review
-- (an assessment never changes organisation).
ALTER TABLE phase_reviews ADD COLUMN organisation_id bigint;
UPDATE phase_reviews pr SET organisation_id = a.organisation_id FROM assessments a WHERE a.id = pr.assessment_id;
ALTER TABLE phase_reviews ALTER COLUMN organisation_id SET NOT NULL;

CREATE FUNCTION gw_phase_review_organisation() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.organisation_id := (SELECT a.organisation_id FROM assessments a WHERE a.id = NEW.assessment_id);
    RETURN NEW;
END
$$;

CREATE TRIGGER phase_reviews_organisation BEFORE INSERT ON phase_reviews
FOR EACH ROW EXECUTE FUNCTION gw_phase_review_organisation();

CREATE INDEX phase_reviews_waiting_idx ON phase_reviews (state, updated_at)
    WHERE state IN ('submitted', 'changes_requested');
CREATE INDEX phase_reviews_waiting_org_idx ON phase_reviews (organisation_id, state, updated_at)
    WHERE state IN ('submitted', 'changes_requested');

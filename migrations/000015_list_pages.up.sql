-- A manager's or an advisor's list (the dashboard, /assessments, the
-- portfolio) chooses its page from this index alone, then reads the page's
-- rows (store.Assessments): it holds every column a list filters or sorts
-- on, so that the rows of an advisor's organisations are sorted without
-- reading them from the table. It replaces the two organisation indexes
-- (organisation_id, updated_at DESC) and (organisation_id, template_id,
-- updated_at), which lacked the id that ends each order and the columns of
-- the other orders.
DROP INDEX assessments_organisation_idx;
DROP INDEX assessments_organisation_template_idx;
CREATE INDEX assessments_organisation_idx ON assessments (organisation_id, updated_at, id)
    INCLUDE (template_id, readiness, name);

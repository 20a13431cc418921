-- progress is assessment.Progress as the last change left it: the
-- readiness and each phase's status, complete and passed flags, in
-- template order. Lists (the dashboard, /assessments, the portfolio) read
-- it instead of evaluating every assessment they show from its answers.
-- Rows from before the column get it from the server's start
-- (store.FillReadiness); until then lists evaluate them.
ALTER TABLE assessments ADD COLUMN progress jsonb;

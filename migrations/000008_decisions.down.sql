DROP TABLE phase_decisions;
DROP FUNCTION gw_phase_decisions_append_only();
ALTER TABLE phase_reviews DROP COLUMN revision;
-- history_kind_check stays dropped: the audit migration (000007) drops it
-- too and puts it back in its own down file; adding it here as well would
-- make that fail.

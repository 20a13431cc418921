-- The revision existed for an in-memory cache of assessments, which is
-- gone: every page now reads PostgreSQL, so nothing needs to know whether
-- a copy is current.
DROP TRIGGER users_deleted ON users;
DROP TRIGGER users_renamed ON users;
DROP FUNCTION gw_names_changed();
ALTER TABLE assessments DROP COLUMN revision;

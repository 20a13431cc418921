DROP TRIGGER users_deleted ON users;
DROP TRIGGER users_renamed ON users;
DROP FUNCTION gw_names_changed();
ALTER TABLE assessments DROP COLUMN revision;

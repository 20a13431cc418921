-- Authorization moves into the queries themselves (store/access.go): as
-- LANGUAGE sql functions with sub-selects these could not be inlined, so
-- PostgreSQL planned their bodies again in every query that called them.
DROP FUNCTION gw_can_see_org(bigint, bigint);
DROP FUNCTION gw_can_edit_org(bigint, bigint);

DROP TABLE sign_in_failures;
DROP TABLE user_tokens;
DROP TABLE sessions;
DROP FUNCTION gw_can_see_org(bigint, bigint);
DROP TABLE advisor_assignments;
DROP TABLE users;
DROP TABLE organisations;

DROP TABLE evidence;
DROP TABLE history;
DROP TABLE phase_reviews;
DROP TABLE confirmations;
DROP TABLE answers;
DROP TABLE assessments;
DROP FUNCTION gw_can_edit_org(bigint, bigint);

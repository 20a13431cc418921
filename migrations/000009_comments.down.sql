-- The kind constraint on history is not restored: history may now hold
-- comment entries (and other branches' kinds).
DROP TABLE comment_mentions;
DROP TABLE comment_edits;
DROP TABLE comments;

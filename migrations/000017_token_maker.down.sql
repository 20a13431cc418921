ALTER TABLE user_tokens DROP COLUMN made_by;

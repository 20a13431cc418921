-- made_by names the administrator who made a token for someone to pass on
-- by hand (handlers' adminLink), so that the password it sets is recorded
-- as set with that administrator's link; NULL for links sent by e-mail.
ALTER TABLE user_tokens ADD COLUMN made_by bigint REFERENCES users (id) ON DELETE SET NULL;

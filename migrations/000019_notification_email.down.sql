-- 'none' has no place in the boolean: those users get one e-mail each.
ALTER TABLE users ADD COLUMN daily_digest boolean NOT NULL DEFAULT false;
UPDATE users SET daily_digest = true WHERE notification_email = 'daily';
ALTER TABLE users DROP COLUMN notification_email;

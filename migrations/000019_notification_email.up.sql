-- How a person wants notification e-mails: one per notification ('each'),
-- one daily digest ('daily'), or none ('none': the notifications are
-- listed in the portal only). It replaces daily_digest, a choice of two.
-- A notification whose recipient takes none is marked e-mailed
-- (emailed_at) when its job runs: settled, so that a digest taken later
-- does not list it.
ALTER TABLE users ADD COLUMN notification_email text NOT NULL DEFAULT 'each'
    CHECK (notification_email IN ('each', 'daily', 'none'));
UPDATE users SET notification_email = 'daily' WHERE daily_digest;
ALTER TABLE users DROP COLUMN daily_digest;

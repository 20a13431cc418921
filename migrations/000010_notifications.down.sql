ALTER TABLE users DROP COLUMN daily_digest;
DROP TABLE notifications;

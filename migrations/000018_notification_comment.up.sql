-- comment_id is the comment a mention notification is about, so that its
-- link leads to the comment itself (handlers' notificationHref); NULL for
-- the other kinds, and for mentions notified before this column.
ALTER TABLE notifications ADD COLUMN comment_id bigint REFERENCES comments (id) ON DELETE SET NULL;

-- Notifications: what happened that a person should know about (a phase
-- submitted to its advisors, a decision to its editors, a mention), shown
-- in the portal and e-mailed by a job on River's queue (River's own tables
-- are created by rivermigrate, run after these migrations).

CREATE TABLE notifications (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- kind says what happened: submitted, approved, changes_requested,
    -- mentioned (store/notifications.go); the page words it.
    kind          text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
    assessment_id bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    phase_key     text NOT NULL DEFAULT '',
    -- detail is the person's own words, when there are some: the reason for
    -- changes, the comment that mentions.
    detail        text NOT NULL DEFAULT '',
    actor_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    read_at       timestamptz,
    -- emailed_at is set once the e-mail (or the digest holding it) went out.
    emailed_at    timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_unsent_idx ON notifications (user_id) WHERE emailed_at IS NULL;

-- How a person wants notification e-mails: one per event, or one daily
-- digest.
ALTER TABLE users ADD COLUMN daily_digest boolean NOT NULL DEFAULT false;

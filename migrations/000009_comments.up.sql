-- Comment threads on a phase, or on one question of it: managers, assigned
-- advisors and admins write; everyone who can see the organisation reads.
-- A thread is its first comment (thread_id NULL) and the replies pointing
-- at it. A thread of kind change_request is an advisor sending the phase
-- back: its text is the reason and question_keys the questions marked.
-- Comments are never deleted: an edit keeps the earlier text in
-- comment_edits, and a thread is resolved (or reopened), not removed.

-- Comments go into the history as kind 'comment' (the audit branch drops
-- this constraint too; IF EXISTS makes either order work).
ALTER TABLE history DROP CONSTRAINT IF EXISTS history_kind_check;

CREATE TABLE comments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    phase_key     text NOT NULL,
    question_key  text NOT NULL DEFAULT '', -- '': on the whole phase
    thread_id     bigint REFERENCES comments (id) ON DELETE CASCADE, -- NULL: a thread's first comment
    kind          text NOT NULL DEFAULT 'comment' CHECK (kind IN ('comment', 'change_request')),
    question_keys text[] NOT NULL DEFAULT '{}', -- a change request's marked questions
    body          text NOT NULL CHECK (length(btrim(body)) > 0 AND length(body) <= 5000),
    author_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    edited_at     timestamptz, -- NULL: never edited
    resolved_at   timestamptz, -- threads only; NULL: open
    resolved_by   bigint REFERENCES users (id) ON DELETE SET NULL,
    -- Replies are plain comments: kind, marks and resolution are the thread's.
    CHECK (thread_id IS NULL OR (kind = 'comment' AND question_keys = '{}' AND resolved_at IS NULL)),
    -- A change request is about the phase; it marks questions instead.
    CHECK (kind = 'change_request' OR question_keys = '{}'),
    CHECK (kind = 'comment' OR question_key = '')
);
CREATE INDEX comments_phase_idx ON comments (assessment_id, phase_key, id);
CREATE INDEX comments_thread_idx ON comments (thread_id) WHERE thread_id IS NOT NULL;

-- Every earlier text of an edited comment: body is the text the edit
-- replaced, at replaced_at.
CREATE TABLE comment_edits (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    comment_id  bigint NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    body        text NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comment_edits_comment_idx ON comment_edits (comment_id, id);

-- The people a comment mentions (as its current text does).
CREATE TABLE comment_mentions (
    comment_id bigint NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (comment_id, user_id)
);
CREATE INDEX comment_mentions_user_idx ON comment_mentions (user_id);

-- A phase sent back before threads existed keeps its advisor's comment as
-- an open change request, so it stays on the phase once it is approved.
INSERT INTO comments (assessment_id, phase_key, kind, body, author_id, created_at)
SELECT assessment_id, phase_key, 'change_request', left(comment, 5000), updated_by, updated_at
FROM phase_reviews
WHERE state = 'changes_requested' AND btrim(comment) <> ''
ORDER BY updated_at;

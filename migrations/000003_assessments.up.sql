-- Assessments: one organisation's journey through one pinned template
-- version, with its answers, checkpoint confirmations, evidence, phase
-- reviews, and the history of every change.

-- gw_can_edit_org: only an organisation's own active program managers edit
-- its assessments. Advisors, viewers and admins read (gw_can_see_org).
CREATE FUNCTION gw_can_edit_org(uid bigint, org bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM users u
        WHERE u.id = uid AND u.active AND u.role = 'manager' AND u.organisation_id = org
    )
$$;

CREATE TABLE assessments (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  bigint NOT NULL REFERENCES organisations (id),
    template_id      text NOT NULL,
    template_version int NOT NULL CHECK (template_version > 0),
    name             text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    -- sign_off: every required phase needs the advisor's approval before
    -- the next one opens.
    sign_off         boolean NOT NULL DEFAULT false,
    created_by       bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    updated_by       bigint REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX assessments_organisation_idx ON assessments (organisation_id, updated_at DESC);

-- The current answer to each question, in the question's stored form
-- (assessment.Question.Encode). version counts changes, for optimistic
-- concurrency: a save names the version it started from. An answer cleared
-- by its author keeps its row with an empty value.
CREATE TABLE answers (
    assessment_id bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    question_key  text NOT NULL,
    value         text NOT NULL,
    version       int NOT NULL CHECK (version > 0),
    updated_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assessment_id, question_key)
);

CREATE TABLE confirmations (
    assessment_id  bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    checkpoint_key text NOT NULL,
    confirmed      boolean NOT NULL,
    evidence_url   text NOT NULL DEFAULT '',
    version        int NOT NULL CHECK (version > 0),
    updated_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assessment_id, checkpoint_key)
);

-- Hand-set phase state: the advisor review and, for optional phases, the
-- waiver. The status shown to people is computed from this and the answers.
CREATE TABLE phase_reviews (
    assessment_id bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    phase_key     text NOT NULL,
    state         text NOT NULL DEFAULT '' CHECK (state IN ('', 'submitted', 'approved', 'changes_requested')),
    waived        boolean NOT NULL DEFAULT false,
    reason        text NOT NULL DEFAULT '',
    comment       text NOT NULL DEFAULT '',
    updated_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assessment_id, phase_key)
);

-- Every change, kept: who, when, old value, new value. kind says what
-- changed: an answer, a checkpoint confirmation, or a phase (review or
-- waiver).
CREATE TABLE history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('answer', 'checkpoint', 'phase', 'evidence')),
    item_key      text NOT NULL,
    version       int NOT NULL,
    old_value     text,
    new_value     text NOT NULL,
    changed_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX history_item_idx ON history (assessment_id, kind, item_key, id);

-- Evidence files for checkpoints, kept in the database so that a pg_dump is
-- the whole backup.
CREATE TABLE evidence (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assessment_id  bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    checkpoint_key text NOT NULL,
    filename       text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
    content_type   text NOT NULL,
    size           int NOT NULL CHECK (size > 0 AND size <= 10485760),
    sha256         bytea NOT NULL,
    data           bytea NOT NULL,
    uploaded_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evidence_checkpoint_idx ON evidence (assessment_id, checkpoint_key);

-- The action list's owners and due dates. The list itself is computed
-- (unmet checkpoints, failed rules, open change requests); what people set
-- on it is kept here, one row per item of an assessment, keyed by a stable
-- item key: "checkpoint:<checkpoint key>", "rule:<phase key>/<rule key>"
-- or "thread:<comment id>". An item that drops off the list (its checkpoint
-- confirmed, say) keeps its row, which shows again if it comes back.
-- Program managers set them (store/actions.go); every change goes into the
-- history as kind 'action'.
CREATE TABLE action_items (
    assessment_id bigint NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    item_key      text NOT NULL CHECK (item_key ~ '^(checkpoint|rule|thread):.+$' AND length(item_key) <= 300),
    -- Free text: a person, a team or a hosting provider.
    owner         text NOT NULL DEFAULT '' CHECK (owner = btrim(owner) AND char_length(owner) <= 120),
    due_date      date,
    updated_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (assessment_id, item_key),
    -- A row holds something: clearing both removes it.
    CHECK (owner <> '' OR due_date IS NOT NULL)
);

-- Facts about this installation, shared by every server instance: when the
-- database was first set up, and which version last started against it.
CREATE TABLE app_meta (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

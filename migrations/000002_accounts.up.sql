-- People and access: organisations, users, advisor assignments, sessions,
-- single-use tokens (invitations, password resets) and failed sign-ins.

CREATE TABLE organisations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    platform   text NOT NULL CHECK (platform IN ('commcare', 'opencrvs', 'both')),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Managers and viewers belong to one organisation; admins and advisors to
-- none (advisors reach organisations through assignments).
CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text NOT NULL CHECK (email = lower(btrim(email)) AND email LIKE '%_@_%'),
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    password_hash   text,
    role            text NOT NULL CHECK (role IN ('admin', 'advisor', 'manager', 'viewer')),
    organisation_id bigint REFERENCES organisations (id),
    active          boolean NOT NULL DEFAULT true,
    last_sign_in_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((role IN ('manager', 'viewer')) = (organisation_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_organisation_idx ON users (organisation_id);

CREATE TABLE advisor_assignments (
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX advisor_assignments_organisation_idx ON advisor_assignments (organisation_id);

-- gw_can_see_org is the one definition of "who may see an organisation's
-- data": every query on tenant data filters with it, so authorization is
-- part of the query. It reads the user's current role, so a role change or a
-- deactivation takes effect on the next request.
CREATE FUNCTION gw_can_see_org(uid bigint, org bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM users u
        WHERE u.id = uid AND u.active AND (
            u.role = 'admin'
            OR u.organisation_id = org
            OR (u.role = 'advisor' AND EXISTS (
                SELECT 1 FROM advisor_assignments a WHERE a.user_id = u.id AND a.organisation_id = org))
        )
    )
$$;

-- Sessions live here so that every instance shares them and sign-out or
-- deactivation ends them everywhere. The cookie carries a signed random id;
-- only its SHA-256 is stored.
CREATE TABLE sessions (
    id_hash      bytea PRIMARY KEY,
    user_id      bigint REFERENCES users (id) ON DELETE CASCADE,
    data         jsonb NOT NULL DEFAULT '{}',
    remember     boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Invitation and password-reset tokens: single use, expiring, stored hashed.
CREATE TABLE user_tokens (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id);

-- Failed sign-ins, keyed by account ("email:...") and by address ("ip:..."),
-- for throttling.
CREATE TABLE sign_in_failures (
    key text NOT NULL,
    at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_key_at_idx ON sign_in_failures (key, at);

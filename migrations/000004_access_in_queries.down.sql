CREATE OR REPLACE FUNCTION gw_can_see_org(uid bigint, org bigint) RETURNS boolean
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

CREATE OR REPLACE FUNCTION gw_can_edit_org(uid bigint, org bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (
        SELECT 1 FROM users u
        WHERE u.id = uid AND u.active AND u.role = 'manager' AND u.organisation_id = org
    )
$$;

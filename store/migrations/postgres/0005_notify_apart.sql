-- The two append functions of migrations 3 and 4, unchanged but for two things.
--
-- Their notification is sent only when `p_channel` is given. The store now notifies its commits
-- after they are acknowledged, several at a time, on its listener's connection
-- (`store/src/postgres/listener.rs`), and calls these with NULL. An instance of an earlier version
-- still passes its channel and still notifies inside the transaction, so instances can be
-- upgraded one by one.
--
-- They no longer set `plan_cache_mode` and `enable_seqscan` themselves: a function's own settings
-- are set and undone at every call, which cost a single append 2-9 %. The writer's connection
-- sets both instead (`store/src/postgres/mod.rs`). An instance of an earlier version does not, so
-- while instances are upgraded its calls are planned as PostgreSQL plans by default: the same
-- result, possibly slower.
CREATE OR REPLACE FUNCTION traject_append(
    p_lock_key         BIGINT,
    p_channel          TEXT,
    p_streams          TEXT[],        -- each stream the batch touches, once
    p_last_revisions   BIGINT[],      -- the last revision the batch expects of each; -1: none
    p_offsets          BIGINT[],      -- each row's position after the head: 1, 2, ...
    p_ids              UUID[],
    p_row_streams      TEXT[],
    p_revisions        BIGINT[],
    p_types            TEXT[],
    p_versions         INTEGER[],
    p_recorded         TIMESTAMPTZ[],
    p_data             JSONB[],
    p_metadata         JSONB[],
    p_categories       TEXT[],        -- the notification's categories (NULL: too many to name)
    p_category_offsets BIGINT[]       -- each category's last row, as an offset
) RETURNS BIGINT
LANGUAGE plpgsql
-- Its statements are planned once per connection, for any values (planning them at each call
-- cost more than the rest of the call), and every one of them finds its rows by an index: a plan
-- made while the table was small must not scan it once it has grown. The writer's connection
-- sets both (`plan_cache_mode = force_generic_plan`, `enable_seqscan = off`).
AS $$
DECLARE
    v_head BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock_key);
    IF EXISTS (SELECT 1 FROM events WHERE event_id = ANY(p_ids)) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (
        SELECT 1 FROM unnest(p_streams, p_last_revisions) AS x(s, r)
        WHERE coalesce((SELECT max(e.revision) FROM events e WHERE e.stream = x.s), -1) <> x.r
    ) THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(max(position), 0) INTO v_head FROM events;
    INSERT INTO events (position, event_id, stream, revision, event_type, schema_version,
                        recorded_at, data, metadata)
    SELECT v_head + u.o, u.i, u.s, u.r, u.t, u.v, u.rec, u.d, u.m
    FROM unnest(p_offsets, p_ids, p_row_streams, p_revisions, p_types, p_versions, p_recorded,
                p_data, p_metadata) AS u(o, i, s, r, t, v, rec, d, m);
    IF p_channel IS NOT NULL THEN
        PERFORM pg_notify(p_channel, json_build_object(
            'first', v_head + 1,
            'head', v_head + (SELECT max(o) FROM unnest(p_offsets) AS o),
            'categories', CASE WHEN p_categories IS NULL THEN NULL ELSE (
                SELECT json_agg(json_build_array(k.c, v_head + k.o) ORDER BY k.n)
                FROM unnest(p_categories, p_category_offsets) WITH ORDINALITY AS k(c, o, n)
            ) END
        )::text);
    END IF;
    RETURN v_head;
END
$$;

CREATE OR REPLACE FUNCTION traject_append_one(
    p_lock_key      BIGINT,
    p_channel       TEXT,
    p_stream        TEXT,
    p_last_revision BIGINT,
    p_id            UUID,
    p_revision      BIGINT,
    p_type          TEXT,
    p_version       INTEGER,
    p_recorded      TIMESTAMPTZ,
    p_data          JSONB,
    p_metadata      JSONB,
    p_category      TEXT           -- the notification's category (NULL: too long to name)
) RETURNS BIGINT
LANGUAGE plpgsql
AS $$
DECLARE
    v_head BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock_key);
    IF EXISTS (SELECT 1 FROM events WHERE event_id = p_id) THEN
        RETURN NULL;
    END IF;
    IF coalesce((SELECT max(e.revision) FROM events e WHERE e.stream = p_stream), -1)
       <> p_last_revision THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(max(position), 0) INTO v_head FROM events;
    INSERT INTO events (position, event_id, stream, revision, event_type, schema_version,
                        recorded_at, data, metadata)
    VALUES (v_head + 1, p_id, p_stream, p_revision, p_type, p_version, p_recorded, p_data,
            p_metadata);
    IF p_channel IS NOT NULL THEN
        PERFORM pg_notify(p_channel, json_build_object(
            'first', v_head + 1,
            'head', v_head + 1,
            'categories', CASE WHEN p_category IS NULL THEN NULL
                          ELSE json_build_array(json_build_array(p_category, v_head + 1)) END
        )::text);
    END IF;
    RETURN v_head;
END
$$;

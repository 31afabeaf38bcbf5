-- One round trip for the common batch: every append expects an exact revision (or a stream that
-- does not exist yet), and none of its event ids is stored. The writer plans the batch on that
-- assumption; this function checks it under the writers' lock and, when it holds, writes the rows
-- after the current head and notifies the commit, returning that head. When it does not hold (a
-- retry, a duplicate id, a conflict), it writes nothing and returns NULL, and the writer reads
-- what the store holds and plans the batch again. Called as one statement, it is its own
-- transaction.
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
-- made while the table was small must not scan it once it has grown.
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
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
    PERFORM pg_notify(p_channel, json_build_object(
        'first', v_head + 1,
        'head', v_head + (SELECT max(o) FROM unnest(p_offsets) AS o),
        'categories', CASE WHEN p_categories IS NULL THEN NULL ELSE (
            SELECT json_agg(json_build_array(k.c, v_head + k.o) ORDER BY k.n)
            FROM unnest(p_categories, p_category_offsets) WITH ORDINALITY AS k(c, o, n)
        ) END
    )::text);
    RETURN v_head;
END
$$;

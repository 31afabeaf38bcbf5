-- `traject_append` for a batch of one event, the append of a single coach: the same checks under
-- the same lock, the same row and the same notification, with each value a parameter of its own.
-- Building and unnesting nine arrays of one element each cost PostgreSQL about a tenth of the
-- call. Returns the head the row was written after, or NULL when the batch's assumption did not
-- hold (its event id is stored, or the stream is not at `p_last_revision`; -1: no stream), and
-- then nothing is written.
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
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
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
    PERFORM pg_notify(p_channel, json_build_object(
        'first', v_head + 1,
        'head', v_head + 1,
        'categories', CASE WHEN p_category IS NULL THEN NULL
                      ELSE json_build_array(json_build_array(p_category, v_head + 1)) END
    )::text);
    RETURN v_head;
END
$$;

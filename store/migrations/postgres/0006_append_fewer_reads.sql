-- The batch function of migrations 3 and 5 once more, checking its assumption with fewer reads,
-- beside the one it replaces. That one read the last revision of every stream of the batch (a
-- `max` per stream) and looked up every event id before the insert; those reads took about a
-- third of its time in a batch of 64 events (BENCHMARKS.md). This one looks up one index entry
-- per stream it writes to and leaves the rest to the unique keys the insert checks anyway. The
-- streams a batch only names as conditions (an append without events) get no row that a key
-- could check, so they come apart, in two parameters of their own, and are read as before. It
-- does not notify: the store notifies its commits apart (migration 5), so it has no channel and
-- no categories to notify.
--
-- A stream the batch appends to at any revision (the access log's inbox, in every command's
-- write) is numbered here, after its last revision, so that such a batch takes one round trip
-- too; migration 5's sent it the full way (two round trips).
--
-- The function of migration 5, `traject_append`, stays as it was: an instance of an
-- earlier version still calls it while instances are upgraded one by one.
CREATE FUNCTION traject_append_batch(
    p_lock_key         BIGINT,
    p_streams          TEXT[],        -- each stream the batch writes rows to, once
    p_last_revisions   BIGINT[],      -- the last revision the batch expects of each; -1: none
    p_conditions       TEXT[],        -- each stream the batch only names as a condition, once
    p_condition_revs   BIGINT[],      -- the last revision it expects of each; -1: none
    p_any              TEXT[],        -- each stream the batch appends to at any revision, once
    p_offsets          BIGINT[],      -- each row's position after the head: 1, 2, ...
    p_ids              UUID[],
    p_row_streams      TEXT[],
    p_revisions        BIGINT[],
    p_types            TEXT[],
    p_versions         INTEGER[],
    p_recorded         TIMESTAMPTZ[],
    p_data             JSONB[],
    p_metadata         JSONB[],
    -- The head the rows were written after; NULL when the assumption did not hold (nothing
    -- was written).
    OUT o_head         BIGINT,
    -- For each stream of p_any, the revision of its first row: the batch numbers such a stream's
    -- rows from 0, and they go on after its last revision.
    OUT o_bases        BIGINT[]
)
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
    -- A stream the batch writes to and expects at revision r >= 0 must hold r. That it holds
    -- nothing after r, and that no event id of the batch is stored, the unique keys check as
    -- the rows go in: revisions are gap-free, so a stream that holds r but not r + 1 (the
    -- batch's first revision of it) ends at r. A key the insert finds taken undoes the insert
    -- alone, and the call answers no head, as for any assumption that does not hold.
    IF (SELECT count(*) FROM unnest(p_streams, p_last_revisions) AS x(s, r)
        JOIN events e ON e.stream = x.s AND e.revision = x.r)
       <> (SELECT count(*) FROM unnest(p_last_revisions) AS r WHERE r >= 0) THEN
        RETURN;
    END IF;
    -- A stream named only as a condition gets no row to check it: it must end at r.
    IF EXISTS (
        SELECT 1 FROM unnest(p_conditions, p_condition_revs) AS x(s, r)
        WHERE coalesce((SELECT max(e.revision) FROM events e WHERE e.stream = x.s), -1) <> x.r
    ) THEN
        RETURN;
    END IF;
    SELECT coalesce(max(position), 0) INTO v_head FROM events;
    BEGIN
        IF cardinality(p_any) = 0 THEN
            INSERT INTO events (position, event_id, stream, revision, event_type, schema_version,
                                recorded_at, data, metadata)
            SELECT v_head + u.o, u.i, u.s, u.r, u.t, u.v, u.rec, u.d, u.m
            FROM unnest(p_offsets, p_ids, p_row_streams, p_revisions, p_types, p_versions,
                        p_recorded, p_data, p_metadata) AS u(o, i, s, r, t, v, rec, d, m);
        ELSE
            SELECT array_agg(coalesce((SELECT max(e.revision) FROM events e WHERE e.stream = a.s),
                                      -1) + 1 ORDER BY a.n)
            INTO o_bases
            FROM unnest(p_any) WITH ORDINALITY AS a(s, n);
            INSERT INTO events (position, event_id, stream, revision, event_type, schema_version,
                                recorded_at, data, metadata)
            SELECT v_head + u.o, u.i, u.s, u.r + coalesce(b.base, 0), u.t, u.v, u.rec, u.d, u.m
            FROM unnest(p_offsets, p_ids, p_row_streams, p_revisions, p_types, p_versions,
                        p_recorded, p_data, p_metadata) AS u(o, i, s, r, t, v, rec, d, m)
            LEFT JOIN unnest(p_any, o_bases) AS b(s, base) ON b.s = u.s;
        END IF;
    EXCEPTION WHEN unique_violation THEN
        o_bases := NULL;
        RETURN;
    END;
    o_head := v_head;
END
$$;


CREATE TABLE events (
    position       BIGINT      PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    stream         TEXT        NOT NULL,
    revision       BIGINT      NOT NULL,
    event_type     TEXT        NOT NULL,
    schema_version INTEGER     NOT NULL,
    recorded_at    TIMESTAMPTZ NOT NULL,
    data           JSONB       NOT NULL,
    metadata       JSONB       NOT NULL,
    UNIQUE (stream, revision)
);

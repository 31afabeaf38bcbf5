-- The vault: sealed personal data per client, a tombstone once erased (store/src/kluis).
CREATE TABLE kluis (
    client     UUID        PRIMARY KEY,
    versie     BIGINT      NOT NULL,
    volgnummer BIGINT      NOT NULL UNIQUE,
    sleutel_id TEXT,
    sleutel    BYTEA,
    gegevens   BYTEA,
    gewist_op  TIMESTAMPTZ
);

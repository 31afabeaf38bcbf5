//! The embedded store's schema, as versioned migrations kept in `PRAGMA user_version`.

use rusqlite_migration::{M, Migrations};

/// Every migration, oldest first. Never edit one that has shipped: add the next.
pub(super) fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(
            "CREATE TABLE events (
            position       INTEGER PRIMARY KEY,
            event_id       BLOB    NOT NULL UNIQUE,
            stream         TEXT    NOT NULL,
            revision       INTEGER NOT NULL,
            event_type     TEXT    NOT NULL,
            schema_version INTEGER NOT NULL,
            recorded_at    INTEGER NOT NULL, -- microseconds since the Unix epoch, UTC
            data           TEXT    NOT NULL,
            metadata       TEXT    NOT NULL,
            UNIQUE (stream, revision)
        ) STRICT;",
        ),
        // Version 2 created the vault's table; the vault (crate `traject-kluis`) creates it
        // itself now, so this step does nothing in a new store and stays for the numbering.
        M::up("-- the vault's table is created by traject-kluis"),
        // Version 3: the index of streams is written behind the events (`super::streams`). The
        // unique key (stream, revision) of `events` was an index in the events' own commit; a
        // table's key cannot be dropped, so the table is made again without it (every event
        // copied, once, at the upgrade) and the index becomes a table of its own.
        M::up(
            "CREATE TABLE events_3 (
            position       INTEGER PRIMARY KEY,
            event_id       BLOB    NOT NULL UNIQUE,
            stream         TEXT    NOT NULL,
            revision       INTEGER NOT NULL,
            event_type     TEXT    NOT NULL,
            schema_version INTEGER NOT NULL,
            recorded_at    INTEGER NOT NULL, -- microseconds since the Unix epoch, UTC
            data           TEXT    NOT NULL,
            metadata       TEXT    NOT NULL
        ) STRICT;
        INSERT INTO events_3 SELECT position, event_id, stream, revision, event_type,
            schema_version, recorded_at, data, metadata FROM events ORDER BY position;
        DROP TABLE events;
        ALTER TABLE events_3 RENAME TO events;
        -- Each stream's events: written behind the events, up to the position below.
        CREATE TABLE stream_index (
            stream   TEXT    NOT NULL,
            revision INTEGER NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (stream, revision)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO stream_index SELECT stream, revision, position FROM events
            ORDER BY stream, revision;
        -- One row: every event up to this position is in `stream_index`.
        CREATE TABLE stream_index_upto (position INTEGER NOT NULL) STRICT;
        INSERT INTO stream_index_upto SELECT coalesce(max(position), 0) FROM events;",
        ),
    ])
}

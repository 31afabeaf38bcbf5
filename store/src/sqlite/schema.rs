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
    ])
}

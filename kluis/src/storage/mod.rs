//! The vault's storage: per client one sealed record, in the same database as the events (an
//! embedded store's file, a PostgreSQL schema) but in a table of its own that only this crate
//! knows; the event store knows nothing of it.
//!
//! Storage never sees personal data: a record holds the client's data key wrapped by a master
//! key, that master key's id and, once recorded, the personal data encrypted with the data key.
//! Sealing and opening are [`crate::key`]'s. What storage guarantees:
//!
//! - a record changes only at the version its writer read (a stale write is
//!   [`StorageError::Conflict`], never merged);
//! - erasing destroys key and ciphertext and keeps a tombstone with only the pseudonymous id, so
//!   that an erased client is never filled again ([`StorageError::Gewist`]) and every instance's
//!   index learns of the erasure;
//! - every change gets the next `volgnummer`, in commit order, so that an index can follow the
//!   vault with [`Kluis::wijzigingen`] and miss nothing.

mod postgres;
mod sqlite;

use async_trait::async_trait;
use uuid::Uuid;

pub use postgres::PostgresKluis;
pub use sqlite::SqliteKluis;

/// Why the vault's storage refused or failed an operation.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The client's record was not at the version the writer read; nothing was written.
    #[error(
        "conflict in de kluis voor client {client}: verwacht versie {expected:?}, de kluis heeft {actual:?}"
    )]
    Conflict {
        /// The client (pseudonymous id).
        client: Uuid,
        /// The version the writer read (`None`: no record).
        expected: Option<u64>,
        /// The record's version (`None`: no record).
        actual: Option<u64>,
    },
    /// The client's personal data was erased; nothing may be stored for them again.
    #[error("de persoonsgegevens van client {client} zijn gewist")]
    Gewist {
        /// The client (pseudonymous id).
        client: Uuid,
    },
    /// The vault is held by a running server (for a rotation), or by a rotation (for a server).
    #[error("de kluis is in gebruik: {0}")]
    InGebruik(&'static str),
    /// The database failed; the write, if any, did not happen.
    #[error("databasefout in de kluis: {0}")]
    Database(String),
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        StorageError::Database(e.to_string())
    }
}

impl From<tokio_postgres::Error> for StorageError {
    fn from(e: tokio_postgres::Error) -> Self {
        StorageError::Database(e.to_string())
    }
}

impl From<deadpool_postgres::PoolError> for StorageError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StorageError::Database(e.to_string())
    }
}

/// A client's record while it is not erased: their data key, and their personal data once
/// recorded. A client gets a data key as soon as anything of theirs is sealed: their personal
/// data, or free text in an event of theirs (an employer's name), whichever comes first.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The id of the master key that wrapped the data key.
    pub sleutel_id: String,
    /// The client's data key, wrapped by the master key.
    pub sleutel: Vec<u8>,
    /// The personal data, encrypted with the data key; `None` while none was recorded.
    pub gegevens: Option<Vec<u8>>,
}

impl Sealed {
    /// The record from a row's columns; `None` for a tombstone (no key).
    fn uit_kolommen(
        sleutel_id: Option<String>,
        sleutel: Option<Vec<u8>>,
        gegevens: Option<Vec<u8>>,
    ) -> Option<Self> {
        Some(Self {
            sleutel_id: sleutel_id?,
            sleutel: sleutel?,
            gegevens,
        })
    }

    /// A record's columns (`sleutel_id`, `sleutel`, `gegevens`): all empty for a tombstone.
    fn in_kolommen(inhoud: Option<Self>) -> (Option<String>, Option<Vec<u8>>, Option<Vec<u8>>) {
        match inhoud {
            Some(i) => (Some(i.sleutel_id), Some(i.sleutel), i.gegevens),
            None => (None, None, None),
        }
    }
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealed")
            .field("sleutel_id", &self.sleutel_id)
            .finish_non_exhaustive()
    }
}

/// One client's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KluisRecord {
    /// The client's pseudonymous id.
    pub client: Uuid,
    /// The record's version, from 0; every write and the erasure add one.
    pub versie: u64,
    /// The change's place in the vault's order of changes.
    pub volgnummer: u64,
    /// The key and the sealed data; `None` once erased.
    pub inhoud: Option<Sealed>,
}

/// A hold on the vault, released when dropped: shared by every server that serves it
/// ([`Kluis::in_gebruik`]), exclusive for a master-key rotation ([`Kluis::alleen`]), so that a
/// rotation never runs while a server seals under the old key.
pub struct Gebruik(#[allow(dead_code)] Box<dyn std::any::Any + Send + Sync>);

impl std::fmt::Debug for Gebruik {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Gebruik")
    }
}

/// The contract of the vault's storage, kept by the embedded and the PostgreSQL database.
#[async_trait]
pub trait Kluis: Send + Sync + 'static {
    /// A shared hold for a server that serves the vault, for as long as it runs. Fails with
    /// [`StorageError::InGebruik`] while a rotation holds the vault alone.
    async fn in_gebruik(&self) -> Result<Gebruik, StorageError>;

    /// The vault alone, for a master-key rotation. Fails with [`StorageError::InGebruik`]
    /// while any server (of any process or instance) holds it.
    async fn alleen(&self) -> Result<Gebruik, StorageError>;

    /// The client's record; `None` if the vault never held one.
    async fn read(&self, client: Uuid) -> Result<Option<KluisRecord>, StorageError>;

    /// Up to `limit` records changed after `na`, in the order of their changes, tombstones
    /// included. Each client appears with its latest change only.
    async fn wijzigingen(&self, na: u64, limit: usize) -> Result<Vec<KluisRecord>, StorageError>;

    /// Writes the client's sealed data if its record is at version `verwacht` (`None`: no record
    /// yet) and returns the new version. A stale version is [`StorageError::Conflict`], an
    /// erased client [`StorageError::Gewist`]; nothing is written then.
    async fn write(
        &self,
        client: Uuid,
        verwacht: Option<u64>,
        inhoud: Sealed,
    ) -> Result<u64, StorageError>;

    /// Adds records for clients without one, all in one transaction (the demo data). A client
    /// that has a record already makes the whole call fail with [`StorageError::Conflict`].
    async fn fill(&self, records: Vec<(Uuid, Sealed)>) -> Result<(), StorageError>;

    /// Takes over the records of another vault as they are (their versions, their keys wrapped
    /// by the same master key, tombstones included), in the order given, all in one transaction:
    /// for a copy of a store (`traject kluis rewrite`). A client that has a record already makes
    /// the whole call fail with [`StorageError::Conflict`].
    async fn take_over(&self, records: Vec<KluisRecord>) -> Result<(), StorageError>;

    /// Destroys the client's key and data and leaves a tombstone. `true` if there was data;
    /// `false` if there was none or it was erased already (erasing again changes nothing).
    async fn wis(&self, client: Uuid) -> Result<bool, StorageError>;

    /// Master-key rotation: replaces the wrapped key of every listed client whose record is
    /// still wrapped by `oud`, and records `nieuw` as its master key, in one transaction.
    /// Returns how many were replaced.
    async fn rewrap(
        &self,
        oud: &str,
        nieuw: &str,
        sleutels: Vec<(Uuid, Vec<u8>)>,
    ) -> Result<usize, StorageError>;

    /// The ids of the master keys that wrap the records, each once.
    async fn sleutel_ids(&self) -> Result<Vec<String>, StorageError>;
}

/// The rows `wijzigingen` reads at most per call, whatever the caller asks.
const MAX_WIJZIGINGEN: usize = 10_000;

/// The version a write makes of `huidig`, the client's record as it is now, if the writer read
/// version `verwacht`: the one place both backends decide a write.
fn volgende_versie(
    client: Uuid,
    huidig: Option<KluisRecord>,
    verwacht: Option<u64>,
) -> Result<u64, StorageError> {
    if huidig.as_ref().is_some_and(|r| r.inhoud.is_none()) {
        return Err(StorageError::Gewist { client });
    }
    let actual = huidig.map(|r| r.versie);
    if actual != verwacht {
        return Err(conflict(client, verwacht, actual));
    }
    Ok(actual.map_or(0, |v| v + 1))
}

fn conflict(client: Uuid, expected: Option<u64>, actual: Option<u64>) -> StorageError {
    StorageError::Conflict {
        client,
        expected,
        actual,
    }
}

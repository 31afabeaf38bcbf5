//! The event store of traject: one contract ([`EventStore`]) and its backends.
//!
//! - [`SqliteStore`]: the embedded default, one file, nothing to install.
//! - [`PostgresStore`]: one store shared by several API instances.
//! - `KurrentStore` (feature `kurrentdb`): KurrentDB, the clustered event database.
//! - `testing` (feature `testing`, and in this crate's unit tests): helpers for tests (PostgreSQL,
//!   SQLite files, a cuttable TCP proxy to a database).
//!
//! The contract follows KurrentDB's model, so that a KurrentDB backend fits it too: stream
//! revisions count from 0, every event has a global position, and a catch-up subscription to all
//! streams resumes from a checkpoint. Every backend passes the same contract suite
//! (`store/tests/store/contract.rs`).

mod batch;
mod error;
#[cfg(feature = "kurrentdb")]
mod kurrent;
mod postgres;

mod sqlite;
mod subscription;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod types;
mod writer;

use async_trait::async_trait;

pub use error::StoreError;
#[cfg(feature = "kurrentdb")]
pub use kurrent::KurrentStore;
pub use postgres::{PostgresConfig, PostgresStore};

pub use sqlite::{SqliteStore, quick_check};
pub use subscription::Subscription;
pub use types::{
    AppendResult, Direction, EventJson, ExpectedRevision, MAX_APPEND_BYTES, MAX_APPEND_EVENTS,
    MAX_EVENT_BYTES, Metadata, NewEvent, Position, ReadFrom, RecordedEvent, StreamAppend,
    StreamFilter, StreamName,
};

/// The contract every backend keeps.
///
/// - An append is atomic: all its events are written, or none.
/// - An append is acknowledged only once it is durable.
/// - An append whose event ids are all stored already, in that stream, in that order and with the
///   same content (type, version and data; metadata may differ), is a retry: it returns the
///   original result and writes nothing. The same id with other content is
///   [`StoreError::DuplicateEventId`].
/// - [`EventStore::append_atomic`] writes appends to several streams in one transaction where
///   the backend has them (SQLite, PostgreSQL); KurrentDB writes them one after another, in order
///   (see its module).
/// - Global positions strictly increase in commit order, and a reader never sees a position
///   after a higher one.
#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Appends `events` to `stream` if the stream meets `expected`; otherwise nothing is written
    /// and the error is [`StoreError::WrongExpectedVersion`] with the stream's actual revision.
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedRevision,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError>;

    /// Appends to several streams together: every part meets its expectation and all are
    /// written, or nothing is and the error is [`StoreError::InPart`] naming the part that failed
    /// (a single part fails with its own error). A part that is a retry returns its original
    /// result; a part without events is a condition (its stream must meet the expectation, it
    /// writes nothing); the results come in the parts' order.
    async fn append_atomic(
        &self,
        parts: Vec<StreamAppend>,
    ) -> Result<Vec<AppendResult>, StoreError>;

    /// Up to `limit` events of `stream`, from `from` (inclusive) in `direction`. A stream that
    /// does not exist reads as empty.
    async fn read_stream(
        &self,
        stream: &StreamName,
        from: ReadFrom,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Up to `limit` events of the streams `filter` lets through, in global order, after the
    /// checkpoint `after` (`None`: from the beginning).
    async fn read_all(
        &self,
        after: Option<Position>,
        filter: &StreamFilter,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// The position of the last committed event, `None` for an empty store.
    async fn head(&self) -> Result<Option<Position>, StoreError>;

    /// Checks, before a server serves from the store, that it can be read whole and written;
    /// the error says what is wrong and where. The default trusts the backend's own checks.
    async fn check(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// Called once at a clean stop, after the last write: the backend leaves its files complete
    /// on their own (the embedded store copies its write-ahead log into the database file). The
    /// store stays usable; the default has nothing to do.
    async fn close(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// A catch-up subscription to all streams `filter` lets through, after the checkpoint
    /// `after`: first what is stored, then live events, each committed event exactly once and in
    /// global order.
    fn subscribe_all(&self, after: Option<Position>, filter: StreamFilter) -> Subscription;
}

//! The store's errors. The conflict is first-class: [`StoreError::WrongExpectedVersion`] carries
//! both what the caller expected and what the stream holds.

use uuid::Uuid;

use crate::types::ExpectedRevision;

/// Why the store refused or failed an operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The stream was not at the expected revision; nothing was written.
    #[error("conflict op stream {stream}: verwacht {expected:?}, de stream staat op {actual:?}")]
    WrongExpectedVersion {
        stream: String,
        /// What the caller expected.
        expected: ExpectedRevision,
        /// The stream's last revision (`None`: no stream).
        actual: Option<u64>,
    },
    /// An event id is stored already with other content or in another place; nothing was written.
    #[error("event id {event_id} bestaat al met andere inhoud")]
    DuplicateEventId { event_id: Uuid },
    /// One append of an atomic multi-stream append failed, so none of them was written.
    #[error("deel {part} van een gezamenlijke append: {error}")]
    InPart {
        /// The failed append's index among the parts.
        part: usize,
        /// Why it failed.
        error: Box<StoreError>,
    },
    /// An append without events.
    #[error("een append zonder gebeurtenissen")]
    EmptyAppend,
    /// One event exceeds [`MAX_EVENT_BYTES`](crate::MAX_EVENT_BYTES).
    #[error("gebeurtenis {event_id} is {size} bytes; de grens is {limit}")]
    EventTooLarge {
        event_id: Uuid,
        size: usize,
        limit: usize,
    },
    /// The append as a whole is too large.
    #[error("append te groot: {rule}")]
    AppendTooLarge {
        /// The rule broken.
        rule: &'static str,
    },
    /// A malformed stream name.
    #[error("streamnaam: {rule}")]
    InvalidStreamName {
        /// The rule broken.
        rule: &'static str,
    },
    /// A malformed event.
    #[error("gebeurtenis {event_id}, {field}: {rule}")]
    InvalidEvent {
        event_id: Uuid,
        field: &'static str,
        /// The rule broken.
        rule: &'static str,
    },
    /// The store was closed or its writer stopped.
    #[error("de event store is gesloten")]
    Closed,
    /// Stored data that the store cannot read back.
    #[error("beschadigde gegevens in de event store: {0}")]
    Corrupt(String),
    /// The database failed; the write, if any, was not acknowledged.
    #[error("databasefout: {0}")]
    Database(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

impl From<tokio_postgres::Error> for StoreError {
    fn from(e: tokio_postgres::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

impl From<deadpool_postgres::PoolError> for StoreError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        StoreError::Database(e.to_string())
    }
}

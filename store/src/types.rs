//! The envelope and the arguments of the store's contract, with their validation.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::StoreError;

/// The largest event the store accepts: its `data` and `metadata` serialised, in bytes.
pub const MAX_EVENT_BYTES: usize = 256 * 1024;
/// The largest append the store accepts, all events together, in bytes (KurrentDB's default
/// maximum append size, so that every backend accepts the same appends).
pub const MAX_APPEND_BYTES: usize = 1024 * 1024;
/// The most events in one append.
pub const MAX_APPEND_EVENTS: usize = 1000;

/// A stream's name: 1 to 200 characters from `A-Z a-z 0-9 - _ . :`. (`$`, which KurrentDB
/// reserves for system streams, is not among them.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StreamName(String);

impl StreamName {
    /// Parses a stream name.
    pub fn new(name: impl Into<String>) -> Result<Self, StoreError> {
        let name = name.into();
        if name.is_empty() || name.len() > 200 {
            return Err(StoreError::InvalidStreamName {
                rule: "moet 1 tot 200 tekens lang zijn",
            });
        }
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        {
            return Err(StoreError::InvalidStreamName {
                rule: "mag alleen letters, cijfers en - _ . : bevatten",
            });
        }
        Ok(Self(name))
    }

    /// A name read back from a store, which only ever stored valid names.
    pub(crate) fn trusted(name: String) -> Self {
        Self(name)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StreamName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the caller expects of the stream before its append.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedRevision {
    /// Whatever the stream holds.
    Any,
    /// The stream does not exist yet.
    NoStream,
    /// The stream exists (has at least one event).
    StreamExists,
    /// The stream's last event has exactly this revision (revisions count from 0).
    Exact(u64),
}

impl ExpectedRevision {
    /// The expectation that a command decided on `revisie` has: [`Exact`](Self::Exact), or
    /// [`NoStream`](Self::NoStream) for `None`.
    pub fn from_revision(revisie: Option<u64>) -> Self {
        revisie.map_or(Self::NoStream, Self::Exact)
    }

    /// Whether a stream whose last revision is `actual` meets the expectation.
    pub fn is_met_by(&self, actual: Option<u64>) -> bool {
        match (self, actual) {
            (Self::Any, _) => true,
            (Self::NoStream, None) => true,
            (Self::StreamExists, Some(_)) => true,
            (Self::Exact(e), Some(a)) => *e == a,
            _ => false,
        }
    }
}

/// A position in the global order of all events. Positions strictly increase in that order;
/// the embedded and PostgreSQL backends number them 1, 2, 3, ... without gaps, KurrentDB uses its
/// log position. A checkpoint is the position of the last event processed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub struct Position(pub u64);

/// Who caused an event and in which flow, carried beside the data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The user id of whoever caused the event (never a name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The id that ties together everything one request caused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<Uuid>,
    /// The id of the message (command or event) that caused this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causation_id: Option<Uuid>,
}

/// An event to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// A UUID v7, chosen by the caller before the first attempt and kept on retries.
    pub id: Uuid,
    /// The stable type name.
    pub event_type: String,
    /// The schema version of `data`, from 1.
    pub schema_version: u32,
    /// The event's JSON.
    pub data: serde_json::Value,
    /// Actor, correlation and causation.
    pub metadata: Metadata,
    /// When the event was first recorded, for a copy of a store (`traject herschrijf`) only;
    /// `None` (every other write): now. KurrentDB sets this time itself and refuses one given.
    pub recorded_at: Option<DateTime<Utc>>,
}

/// An event as stored, with its place in its stream and in the global order.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedEvent {
    /// The event id.
    pub id: Uuid,
    pub stream: StreamName,
    /// Its revision in the stream, from 0.
    pub revision: u64,
    /// Its global position.
    pub position: Position,
    /// The stable type name.
    pub event_type: String,
    /// The schema version of `data`.
    pub schema_version: u32,
    /// When the store recorded it.
    pub recorded_at: DateTime<Utc>,
    /// The event's JSON, as text.
    pub data: EventJson,
    /// Actor, correlation and causation.
    pub metadata: Metadata,
}

/// A recorded event's JSON as the store holds it: text, parsed by whoever reads it into the types
/// it needs. The projections read it straight into the domain's events, with no JSON tree in
/// between; building that tree on the reading thread was most of the cost of reading.
///
/// The store does not check the text on the way out. It wrote it itself from a JSON value
/// (PostgreSQL's `jsonb` keeps only valid JSON besides), so text that does not parse means a
/// damaged store, and the reader that parses it reports the event as malformed.
#[derive(Debug, Clone)]
pub struct EventJson(String);

impl EventJson {
    /// The JSON text of `value`.
    pub fn from_value(value: &serde_json::Value) -> Self {
        Self(value.to_string())
    }

    /// JSON text as a store holds it, unchecked (see the type).
    pub fn from_text(text: String) -> Self {
        Self(text)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The JSON parsed into a tree.
    pub fn value(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(&self.0)
    }
}

impl From<serde_json::Value> for EventJson {
    fn from(value: serde_json::Value) -> Self {
        Self::from_value(&value)
    }
}

impl std::fmt::Display for EventJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Equal when the JSON is (backends write the same value as different text: PostgreSQL orders
/// an object's keys and spaces them).
impl PartialEq for EventJson {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 || matches!((self.value(), other.value()), (Ok(a), Ok(b)) if a == b)
    }
}

impl PartialEq<serde_json::Value> for EventJson {
    fn eq(&self, other: &serde_json::Value) -> bool {
        self.value().is_ok_and(|value| &value == other)
    }
}

impl RecordedEvent {
    /// Whether this stored event is the same event as `new` (for idempotent retries): the same
    /// id, stream, type, version and data. Metadata is left out: a retry is a new request, with
    /// its own correlation id, of the same event.
    pub fn same_content(&self, stream: &StreamName, new: &NewEvent) -> bool {
        &self.stream == stream
            && self.id == new.id
            && self.event_type == new.event_type
            && self.schema_version == new.schema_version
            && self.data == new.data
    }
}

/// One stream's share of an atomic multi-stream append ([`crate::EventStore::append_atomic`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StreamAppend {
    pub stream: StreamName,
    /// What the stream must be at.
    pub expected: ExpectedRevision,
    /// The events to append.
    pub events: Vec<NewEvent>,
}

/// The result of a successful append: the revision and global position of its last event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendResult {
    /// The stream's revision after the append.
    pub revision: u64,
    /// The global position of the append's last event.
    pub position: Position,
}

/// Where to start reading a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFrom {
    /// The first event.
    Start,
    /// The last event (for reading backwards).
    End,
    /// This revision, inclusive.
    Revision(u64),
}

/// Which way to read a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Ascending revisions.
    Forwards,
    /// Descending revisions.
    Backwards,
}

/// The revisions a stream read covers, as SQL sees them: the bound (inclusive) and whether the
/// read descends. `None` when nothing can match (forwards from the end).
pub(crate) fn revision_range(from: ReadFrom, direction: Direction) -> Option<(i64, bool)> {
    let revision = |r: u64| r.min(i64::MAX as u64) as i64;
    match (direction, from) {
        (Direction::Forwards, ReadFrom::Start) => Some((0, false)),
        (Direction::Forwards, ReadFrom::Revision(r)) => Some((revision(r), false)),
        (Direction::Forwards, ReadFrom::End) => None,
        (Direction::Backwards, ReadFrom::Start) => Some((0, true)),
        (Direction::Backwards, ReadFrom::Revision(r)) => Some((revision(r), true)),
        (Direction::Backwards, ReadFrom::End) => Some((i64::MAX, true)),
    }
}

/// Which streams a read of all events or a subscription delivers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamFilter {
    prefix: Option<String>,
}

impl StreamFilter {
    /// Every stream.
    pub fn all() -> Self {
        Self::default()
    }

    /// Streams whose name starts with `prefix`.
    pub fn prefix(prefix: impl Into<String>) -> Self {
        Self {
            prefix: Some(prefix.into()).filter(|p| !p.is_empty()),
        }
    }

    /// The prefix, if any.
    pub fn stream_prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }
}

/// Checks an append's events before any backend sees them.
pub(crate) fn validate_append(events: &[NewEvent]) -> Result<(), StoreError> {
    if events.is_empty() {
        return Err(StoreError::EmptyAppend);
    }
    if events.len() > MAX_APPEND_EVENTS {
        return Err(StoreError::AppendTooLarge {
            rule: "een append bevat ten hoogste 1000 gebeurtenissen",
        });
    }
    let mut total = 0;
    for (i, event) in events.iter().enumerate() {
        if event.id.get_version_num() != 7 {
            return Err(StoreError::InvalidEvent {
                event_id: event.id,
                field: "id",
                rule: "moet een UUID v7 zijn",
            });
        }
        if events[..i].iter().any(|e| e.id == event.id) {
            return Err(StoreError::InvalidEvent {
                event_id: event.id,
                field: "id",
                rule: "komt twee keer voor in dezelfde append",
            });
        }
        let type_ok = !event.event_type.is_empty()
            && event.event_type.len() <= 100
            && event
                .event_type
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !type_ok {
            return Err(StoreError::InvalidEvent {
                event_id: event.id,
                field: "event_type",
                rule: "moet 1 tot 100 tekens uit A-Z a-z 0-9 _ . - zijn",
            });
        }
        if event.schema_version == 0 {
            return Err(StoreError::InvalidEvent {
                event_id: event.id,
                field: "schema_version",
                rule: "begint bij 1",
            });
        }
        if event.metadata.actor.as_ref().is_some_and(|a| a.len() > 128) {
            return Err(StoreError::InvalidEvent {
                event_id: event.id,
                field: "metadata.actor",
                rule: "is ten hoogste 128 tekens",
            });
        }
        let size = event_size(event);
        if size > MAX_EVENT_BYTES {
            return Err(StoreError::EventTooLarge {
                event_id: event.id,
                size,
                limit: MAX_EVENT_BYTES,
            });
        }
        total += size;
    }
    if total > MAX_APPEND_BYTES {
        return Err(StoreError::AppendTooLarge {
            rule: "een append is ten hoogste 1 MiB",
        });
    }
    Ok(())
}

/// The size of an event's data and metadata as JSON, counted without writing it anywhere.
fn event_size(event: &NewEvent) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, &event.data)
        .and_then(|()| serde_json::to_writer(&mut counter, &event.metadata))
    {
        Ok(()) => counter.0,
        Err(_) => usize::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_revision_becomes_the_exact_expectation() {
        assert_eq!(
            ExpectedRevision::from_revision(None),
            ExpectedRevision::NoStream
        );
        assert_eq!(
            ExpectedRevision::from_revision(Some(4)),
            ExpectedRevision::Exact(4)
        );
        assert!(ExpectedRevision::from_revision(Some(4)).is_met_by(Some(4)));
        assert!(!ExpectedRevision::from_revision(None).is_met_by(Some(0)));
    }
}

//! The KurrentDB (formerly EventStoreDB) backend, over the official gRPC client (`kurrentdb`),
//! for a clustered store. Behind the cargo feature `kurrentdb`.
//!
//! How the contract maps onto KurrentDB:
//!
//! - **Streams and revisions** are KurrentDB's own: revisions count from 0, and the expected
//!   revision maps one to one (`Any`, `NoStream`, `StreamExists`, `StreamRevision`). A conflict
//!   carries the actual revision KurrentDB reports.
//! - **Positions.** KurrentDB's position in `$all` is a pair of byte offsets in its transaction
//!   log (commit, prepare); without multi-stream transactions both are equal, and [`Position`]
//!   holds the commit position. Positions increase strictly but are not dense: the next event's
//!   position is not this one's plus one.
//! - **Idempotency.** KurrentDB recognises a retried append by its event ids when it comes with
//!   the same expected revision. For an exact expectation (and `NoStream`) this backend also
//!   checks a conflict against what the stream holds after the expected revision, as the SQL
//!   backends do: the same ids with the same content return the original result, the same ids
//!   with other content are [`StoreError::DuplicateEventId`]. An event id stored in another
//!   stream is not detected (KurrentDB has no index by event id).
//! - **The envelope.** Data is the event's JSON; the schema version and the metadata (actor,
//!   correlation, causation) travel as the event's custom metadata (JSON); `recorded_at` is
//!   KurrentDB's `created`.
//! - **Appends to several streams** ([`EventStore::append_atomic`]): the gRPC client has no
//!   multi-stream transaction, so the parts are appended one after another, in order, each
//!   atomic on its own; the first that fails stops the rest and is reported as
//!   [`StoreError::InPart`]. Earlier parts stay written. traject puts the access-log entry first,
//!   so on KurrentDB a stored event always has its entry, while an entry may describe a write that
//!   then failed (the server follows it with an entry that says so, unless it crashed between).
//! - **Subscriptions** are KurrentDB catch-up subscriptions to `$all` from the checkpoint, with a
//!   server-side stream-prefix filter; system streams (`$...`) are never delivered. The
//!   filtered subscription's checkpoint messages move [`Subscription::scanned`] past the events
//!   it leaves out. On a dropped connection the subscription ends with an error and the
//!   consumer subscribes again from its own checkpoint (the projections' runner does), so the
//!   client's own retries never skip or repeat an event for the consumer.

use async_trait::async_trait;
use futures::StreamExt;
use kurrentdb::{
    AppendToStreamOptions, Client, ClientSettings, CurrentRevision, EventData,
    Position as KPosition, ReadAllOptions, ReadStreamOptions, ResolvedEvent, StreamPosition,
    StreamState, SubscribeToAllOptions, SubscriptionEvent, SubscriptionFilter,
};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use crate::EventStore;
use crate::error::StoreError;
use crate::subscription::Subscription;
use crate::types::{
    AppendResult, Direction, EventJson, ExpectedRevision, Metadata, NewEvent, Position, ReadFrom,
    RecordedEvent, StreamAppend, StreamFilter, StreamName, validate_append,
};

/// The KurrentDB event store.
#[derive(Clone)]
pub struct KurrentStore {
    client: Client,
}

impl std::fmt::Debug for KurrentStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The connection string may hold credentials.
        f.write_str("KurrentStore { .. }")
    }
}

impl KurrentStore {
    /// A condition part of [`EventStore::append_atomic`]: the stream's revision read now and
    /// compared with the expectation (on KurrentDB not in one transaction with the other parts).
    async fn voorwaarde(
        &self,
        stream: &StreamName,
        expected: ExpectedRevision,
    ) -> Result<AppendResult, StoreError> {
        let laatste = self
            .read_stream(stream, ReadFrom::End, Direction::Backwards, 1)
            .await?;
        let actual = laatste.first().map(|e| e.revision);
        if !expected.is_met_by(actual) {
            return Err(StoreError::WrongExpectedVersion {
                stream: stream.as_str().to_owned(),
                expected,
                actual,
            });
        }
        Ok(AppendResult {
            revision: actual.unwrap_or(0),
            position: laatste.first().map_or(Position(0), |e| e.position),
        })
    }
}

impl KurrentStore {
    /// Connects to the cluster of a `kurrentdb://` (or `esdb://`) connection string.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let settings: ClientSettings = url
            .parse()
            .map_err(|e| StoreError::Database(format!("KurrentDB-URL: {e}")))?;
        let client = Client::new(settings).map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(Self { client })
    }
}

/// The custom metadata each event carries: its schema version and the envelope's metadata.
#[derive(Serialize, Deserialize)]
struct Envelop {
    schema_version: u32,
    #[serde(flatten)]
    metadata: Metadata,
}

fn fout(e: kurrentdb::Error) -> StoreError {
    match e {
        kurrentdb::Error::ConnectionClosed | kurrentdb::Error::GrpcConnectionError(_) => {
            StoreError::Closed
        }
        other => StoreError::Database(other.to_string()),
    }
}

fn stream_state(expected: ExpectedRevision) -> StreamState {
    match expected {
        ExpectedRevision::Any => StreamState::Any,
        ExpectedRevision::NoStream => StreamState::NoStream,
        ExpectedRevision::StreamExists => StreamState::StreamExists,
        ExpectedRevision::Exact(r) => StreamState::StreamRevision(r),
    }
}

fn position(p: KPosition) -> Position {
    Position(p.commit)
}

fn k_position(p: Position) -> KPosition {
    KPosition {
        commit: p.0,
        prepare: p.0,
    }
}

fn recorded(resolved: &ResolvedEvent) -> Result<RecordedEvent, StoreError> {
    let e = resolved.get_original_event();
    let envelop: Envelop = serde_json::from_slice(&e.custom_metadata)
        .map_err(|err| StoreError::Corrupt(format!("metadata van {}: {err}", e.id)))?;
    Ok(RecordedEvent {
        id: e.id,
        stream: StreamName::trusted(e.stream_id().to_owned()),
        revision: e.revision,
        position: position(e.position),
        event_type: e.event_type.clone(),
        schema_version: envelop.schema_version,
        recorded_at: e.created,
        data: EventJson::from_text(
            String::from_utf8(e.data.to_vec())
                .map_err(|err| StoreError::Corrupt(format!("data van {}: {err}", e.id)))?,
        ),
        metadata: envelop.metadata,
    })
}

fn event_data(event: &NewEvent) -> Result<EventData, StoreError> {
    if event.recorded_at.is_some() {
        return Err(StoreError::InvalidEvent {
            event_id: event.id,
            field: "recorded_at",
            rule: "KurrentDB legt het tijdstip van opname zelf vast",
        });
    }
    let envelop = Envelop {
        schema_version: event.schema_version,
        metadata: event.metadata.clone(),
    };
    EventData::json(&event.event_type, &event.data)
        .and_then(|d| d.id(event.id).metadata_as_json(&envelop))
        .map_err(|e| StoreError::Database(e.to_string()))
}

/// A filter for `$all` that leaves out system streams and, if asked, other prefixes.
fn filter(f: &StreamFilter) -> SubscriptionFilter {
    match f.stream_prefix() {
        Some(prefix) => SubscriptionFilter::on_stream_name().add_prefix(prefix),
        None => SubscriptionFilter::on_stream_name().exclude_system_events(),
    }
}

impl KurrentStore {
    async fn lees_stream(
        &self,
        stream: &StreamName,
        options: &ReadStreamOptions,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let mut read = match self.client.read_stream(stream.as_str(), options).await {
            Ok(read) => read,
            Err(kurrentdb::Error::ResourceNotFound) => return Ok(Vec::new()),
            Err(e) => return Err(fout(e)),
        };
        let mut events = Vec::new();
        loop {
            match read.next().await {
                Ok(Some(e)) => events.push(recorded(&e)?),
                Ok(None) | Err(kurrentdb::Error::ResourceNotFound) => return Ok(events),
                Err(e) => return Err(fout(e)),
            }
        }
    }

    /// After a conflict on an exact expectation: is this append a retry of one that was stored?
    async fn eerder_opgeslagen(
        &self,
        stream: &StreamName,
        expected: ExpectedRevision,
        events: &[NewEvent],
    ) -> Result<Option<AppendResult>, StoreError> {
        let vanaf = match expected {
            ExpectedRevision::Exact(r) => r + 1,
            ExpectedRevision::NoStream => 0,
            _ => return Ok(None),
        };
        let options = ReadStreamOptions::default()
            .forwards()
            .position(StreamPosition::Position(vanaf))
            .max_count(events.len());
        let opgeslagen = self.lees_stream(stream, &options).await?;
        let zelfde_ids = opgeslagen.len() == events.len()
            && opgeslagen.iter().zip(events).all(|(o, n)| o.id == n.id);
        if !zelfde_ids {
            if let Some(n) = events
                .iter()
                .find(|n| opgeslagen.iter().any(|o| o.id == n.id))
            {
                return Err(StoreError::DuplicateEventId { event_id: n.id });
            }
            return Ok(None);
        }
        if let Some((_, n)) = opgeslagen
            .iter()
            .zip(events)
            .find(|(o, n)| !o.same_content(stream, n))
        {
            return Err(StoreError::DuplicateEventId { event_id: n.id });
        }
        let laatste = opgeslagen
            .last()
            .expect("as many as the append, at least one");
        Ok(Some(AppendResult {
            revision: laatste.revision,
            position: laatste.position,
        }))
    }
}

#[async_trait]
impl EventStore for KurrentStore {
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedRevision,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        validate_append(&events)?;
        let data = events
            .iter()
            .map(event_data)
            .collect::<Result<Vec<_>, _>>()?;
        let options = AppendToStreamOptions::default().stream_state(stream_state(expected));
        match self
            .client
            .append_to_stream(stream.as_str(), &options, data)
            .await
        {
            Ok(w) => Ok(AppendResult {
                revision: w.next_expected_version,
                position: position(w.position),
            }),
            Err(kurrentdb::Error::WrongExpectedVersion { current, .. }) => {
                if let Some(eerder) = self.eerder_opgeslagen(stream, expected, &events).await? {
                    return Ok(eerder);
                }
                Err(StoreError::WrongExpectedVersion {
                    stream: stream.as_str().to_owned(),
                    expected,
                    actual: match current {
                        CurrentRevision::Current(r) => Some(r),
                        CurrentRevision::NoStream => None,
                    },
                })
            }
            Err(e) => Err(fout(e)),
        }
    }

    async fn append_atomic(
        &self,
        parts: Vec<StreamAppend>,
    ) -> Result<Vec<AppendResult>, StoreError> {
        if parts.is_empty() {
            return Err(StoreError::EmptyAppend);
        }
        let several = parts.len() > 1;
        let mut results = Vec::with_capacity(parts.len());
        for (i, part) in parts.into_iter().enumerate() {
            let uitkomst = if several && part.events.is_empty() {
                self.voorwaarde(&part.stream, part.expected).await
            } else {
                self.append(&part.stream, part.expected, part.events).await
            };
            match uitkomst {
                Ok(r) => results.push(r),
                Err(e) if several => {
                    return Err(StoreError::InPart {
                        part: i,
                        error: Box::new(e),
                    });
                }
                Err(e) => return Err(e),
            }
        }
        Ok(results)
    }

    async fn read_stream(
        &self,
        stream: &StreamName,
        from: ReadFrom,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let options = ReadStreamOptions::default().max_count(limit);
        let options = match direction {
            Direction::Forwards => options.forwards(),
            Direction::Backwards => options.backwards(),
        };
        let options = match (direction, from) {
            (Direction::Forwards, ReadFrom::End) => return Ok(Vec::new()),
            (_, ReadFrom::Start) => options.position(StreamPosition::Start),
            (_, ReadFrom::End) => options.position(StreamPosition::End),
            (_, ReadFrom::Revision(r)) => options.position(StreamPosition::Position(r)),
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        self.lees_stream(stream, &options).await
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        filter_: &StreamFilter,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let start = after.map_or(StreamPosition::Start, |p| {
            StreamPosition::Position(k_position(p))
        });
        // Reading from a position includes the event at it: one more, then drop it.
        let options = ReadAllOptions::default()
            .forwards()
            .position(start)
            .filter(filter(filter_))
            .max_count(limit.saturating_add(1));
        let mut read = self.client.read_all(&options).await.map_err(fout)?;
        let mut events = Vec::new();
        while let Some(e) = read.next().await.map_err(fout)? {
            let e = recorded(&e)?;
            if after.is_none_or(|a| e.position > a) && events.len() < limit {
                events.push(e);
            }
        }
        Ok(events)
    }

    async fn head(&self) -> Result<Option<Position>, StoreError> {
        let options = ReadAllOptions::default()
            .backwards()
            .position(StreamPosition::End)
            .filter(SubscriptionFilter::on_stream_name().exclude_system_events())
            .max_count(1);
        let mut read = self.client.read_all(&options).await.map_err(fout)?;
        Ok(read
            .next()
            .await
            .map_err(fout)?
            .map(|e| position(e.get_original_event().position)))
    }

    fn subscribe_all(&self, after: Option<Position>, filter_: StreamFilter) -> Subscription {
        let start = after.map_or(StreamPosition::Start, |p| {
            StreamPosition::Position(k_position(p))
        });
        let options = SubscribeToAllOptions::default()
            .position(start)
            .filter(filter(&filter_));
        let client = self.client.clone();
        let (scanned_tx, scanned) = watch::channel(after);
        let events = futures::stream::once(async move { client.subscribe_to_all(&options).await })
            .flat_map(move |sub| {
                let scanned_tx = scanned_tx.clone();
                futures::stream::unfold(Some(sub), move |sub| {
                    let scanned_tx = scanned_tx.clone();
                    async move {
                        let mut sub = sub?;
                        loop {
                            match sub.next_subscription_event().await {
                                Ok(SubscriptionEvent::EventAppeared(e)) => {
                                    let e = recorded(&e);
                                    // After an undecodable event the subscription ends.
                                    let volgende = e.is_ok().then_some(sub);
                                    return Some((e, volgende));
                                }
                                // Every event before a checkpoint message was handed out
                                // before it was read: the checkpoint is how far it looked.
                                Ok(SubscriptionEvent::Checkpoint(p)) => {
                                    scanned_tx.send_if_modified(|s| {
                                        let verder = s.is_none_or(|s| position(p) > s);
                                        if verder {
                                            *s = Some(position(p));
                                        }
                                        verder
                                    });
                                }
                                Ok(_) => {}
                                Err(e) => return Some((Err(fout(e)), None)),
                            }
                        }
                    }
                })
            })
            // The start position itself was handed out before: a catch-up from it repeats it.
            .filter(move |e| {
                let nieuw = !matches!((e, after), (Ok(e), Some(a)) if e.position <= a);
                async move { nieuw }
            })
            .boxed();
        Subscription::from_stream_with_scanned(events, scanned)
    }
}

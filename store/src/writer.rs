//! The queue between a store's callers and its single writer, shared by the SQL backends.
//!
//! Callers hand an append over and wait for its answer; the writer takes whatever is waiting as
//! one batch, writes it in one transaction and answers every caller only after the commit.
//!
//! The writer is one thread or task for all callers, so what can be done before the append is
//! queued is done by the caller, in parallel with the writer: validating, and for a backend that
//! stores JSON as text ([`Encoding::Text`], SQLite) writing each event's data and metadata as
//! text. The answer hands the events back, so that the caller, not the writer, frees them.

use tokio::sync::{mpsc, oneshot};

use crate::batch::Append;
use crate::error::StoreError;
use crate::types::{
    AppendResult, ExpectedRevision, NewEvent, StreamAppend, StreamName, validate_append,
};

/// How many appends may wait before callers wait to hand theirs over.
const QUEUE: usize = 4096;
/// The most appends committed together.
const MAX_BATCH: usize = 512;

/// Whether callers write each event's data and metadata as JSON text before queueing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// The backend binds the values themselves (PostgreSQL's `jsonb`).
    Values,
    /// The backend stores text (SQLite): each event comes with its [`Encoded`] form.
    Text,
}

/// An event's data and metadata as the JSON text a backend stores.
pub(crate) struct Encoded {
    pub data: String,
    pub metadata: String,
}

impl Encoded {
    /// `event`'s data and metadata as JSON text.
    pub(crate) fn of(event: &NewEvent) -> Self {
        Self {
            // Written by serde_json straight into the string: `Value`'s `Display` gives the
            // same text, but passes every piece through the formatting machinery.
            data: serde_json::to_string(&event.data).expect("a JSON value serialises"),
            metadata: serde_json::to_string(&event.metadata).expect("metadata serialises"),
        }
    }
}

/// What a caller hears back: the result, and its events and their text to free.
type Reply = (
    Result<Vec<AppendResult>, StoreError>,
    Vec<StreamAppend>,
    Vec<Vec<Encoded>>,
);

/// One unit waiting for the writer: a caller's append, or several that are written together.
pub(crate) struct Pending {
    parts: Vec<StreamAppend>,
    /// Per part, each event's text ([`Encoding::Text`]); empty otherwise.
    encoded: Vec<Vec<Encoded>>,
    reply: oneshot::Sender<Reply>,
}

/// The callers' end of the queue.
#[derive(Clone)]
pub(crate) struct Submitter {
    sender: mpsc::Sender<Pending>,
    encoding: Encoding,
}

/// What a backend's writer answers for a batch: each append's result, in order.
pub(crate) type BatchResults = Vec<Result<Vec<AppendResult>, StoreError>>;

/// The writer's end of the queue.
pub(crate) struct Queue {
    receiver: mpsc::Receiver<Pending>,
    batch: Vec<Pending>,
}

/// A new queue whose callers encode their events as `encoding` says.
pub(crate) fn queue(encoding: Encoding) -> (Submitter, Queue) {
    let (sender, receiver) = mpsc::channel(QUEUE);
    (
        Submitter { sender, encoding },
        Queue {
            receiver,
            batch: Vec::with_capacity(MAX_BATCH),
        },
    )
}

impl Submitter {
    /// Validates the append, hands it to the writer and waits for the answer, which comes only
    /// after the commit.
    pub(crate) async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedRevision,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        let mut results = self
            .append_atomic(vec![StreamAppend {
                stream: stream.clone(),
                expected,
                events,
            }])
            .await?;
        Ok(results.pop().expect("one result per part"))
    }

    /// Validates every part, hands them to the writer as one unit and waits for the answer:
    /// all parts committed, or none.
    pub(crate) async fn append_atomic(
        &self,
        parts: Vec<StreamAppend>,
    ) -> Result<Vec<AppendResult>, StoreError> {
        if parts.is_empty() {
            return Err(StoreError::EmptyAppend);
        }
        let several = parts.len() > 1;
        if parts.iter().all(|p| p.events.is_empty()) {
            return Err(StoreError::EmptyAppend);
        }
        for (i, part) in parts.iter().enumerate() {
            // Among several parts, one without events is a condition: only its expectation.
            if several && part.events.is_empty() {
                continue;
            }
            validate_append(&part.events).map_err(|e| {
                if several {
                    StoreError::InPart {
                        part: i,
                        error: Box::new(e),
                    }
                } else {
                    e
                }
            })?;
        }
        let encoded = match self.encoding {
            Encoding::Text => parts
                .iter()
                .map(|part| part.events.iter().map(Encoded::of).collect())
                .collect(),
            Encoding::Values => Vec::new(),
        };
        let (reply, answer) = oneshot::channel();
        let pending = Pending {
            parts,
            encoded,
            reply,
        };
        self.sender
            .send(pending)
            .await
            .map_err(|_| StoreError::Closed)?;
        let (result, events, encoded) = answer.await.map_err(|_| StoreError::Closed)?;
        drop((events, encoded));
        result
    }
}

impl Queue {
    /// Waits for the next batch on a blocking thread; `None` once every caller is gone.
    pub(crate) fn next_batch_blocking(&mut self) -> Option<Vec<Vec<Append<'_>>>> {
        let first = self.receiver.blocking_recv()?;
        Some(self.fill(first))
    }

    /// Waits for the next batch; `None` once every caller is gone.
    pub(crate) async fn next_batch(&mut self) -> Option<Vec<Vec<Append<'_>>>> {
        let first = self.receiver.recv().await?;
        Some(self.fill(first))
    }

    fn fill(&mut self, first: Pending) -> Vec<Vec<Append<'_>>> {
        self.batch.clear();
        self.batch.push(first);
        while self.batch.len() < MAX_BATCH {
            match self.receiver.try_recv() {
                Ok(pending) => self.batch.push(pending),
                Err(_) => break,
            }
        }
        self.batch
            .iter()
            .map(|p| {
                p.parts
                    .iter()
                    .enumerate()
                    .map(|(i, part)| Append {
                        stream: &part.stream,
                        expected: part.expected,
                        events: &part.events,
                        encoded: p.encoded.get(i).map_or(&[], Vec::as_slice),
                    })
                    .collect()
            })
            .collect()
    }

    /// Answers every append of the current batch with its result, or all of them with the
    /// batch's failure (then nothing was committed and nothing is acknowledged).
    pub(crate) fn answer(&mut self, outcome: Result<BatchResults, StoreError>) {
        match outcome {
            Ok(results) => {
                for (pending, result) in self.batch.drain(..).zip(results) {
                    // A caller that gave up is no reason to stop.
                    let _ = pending.reply.send((result, pending.parts, pending.encoded));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "event store batch failed; nothing acknowledged");
                for pending in self.batch.drain(..) {
                    let _ = pending.reply.send((
                        Err(StoreError::Database(e.to_string())),
                        pending.parts,
                        pending.encoded,
                    ));
                }
            }
        }
    }
}

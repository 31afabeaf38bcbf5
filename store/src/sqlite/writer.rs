//! The embedded store's single writer: group commit.
//!
//! Appends arrive on a channel. The writer takes every append that is waiting (up to
//! [`MAX_BATCH`]), runs each in a savepoint of one `BEGIN IMMEDIATE` transaction, commits once
//! (in WAL mode with `synchronous=FULL` the commit is fsynced before it returns) and only then
//! answers each caller. Appends thus share an fsync, while each succeeds or fails on its own.

use chrono::Utc;
use rusqlite::{Connection, ErrorCode, OptionalExtension, TransactionBehavior, params};
use tokio::sync::{mpsc, oneshot, watch};

use super::rows::{COLUMNS, from_row};
use crate::error::StoreError;
use crate::types::{
    AppendResult, ExpectedRevision, NewEvent, Position, RecordedEvent, StreamName, retry_result,
};

/// The most appends committed together.
pub(super) const MAX_BATCH: usize = 512;

/// One append waiting for the writer.
pub(super) struct Request {
    pub stream: StreamName,
    pub expected: ExpectedRevision,
    pub events: Vec<NewEvent>,
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
}

/// Runs until every sender of `requests` is gone.
pub(super) fn run(
    mut conn: Connection,
    mut requests: mpsc::Receiver<Request>,
    head: watch::Sender<u64>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = requests.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match requests.try_recv() {
                Ok(request) => batch.push(request),
                Err(_) => break,
            }
        }
        let results = write_batch(&mut conn, &batch);
        let committed = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .map(|r| r.position.0)
            .max();
        if let Some(position) = committed {
            head.send_if_modified(|h| {
                let moved = position > *h;
                *h = (*h).max(position);
                moved
            });
        }
        for (request, result) in batch.drain(..).zip(results) {
            let _ = request.reply.send(result); // a caller that gave up is no reason to stop
        }
    }
}

fn write_batch(conn: &mut Connection, batch: &[Request]) -> Vec<Result<AppendResult, StoreError>> {
    let failed_all = |e: &rusqlite::Error| {
        batch
            .iter()
            .map(|_| Err(StoreError::Database(e.to_string())))
            .collect()
    };
    let mut tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => return failed_all(&e),
    };
    let recorded_at = Utc::now().timestamp_micros();
    let mut results = Vec::with_capacity(batch.len());
    for request in batch {
        let result = tx.savepoint().map_err(StoreError::from).and_then(|sp| {
            let result = append_one(&sp, request, recorded_at)?;
            sp.commit()?;
            Ok(result)
        });
        results.push(result);
    }
    match tx.commit() {
        Ok(()) => results,
        Err(e) => failed_all(&e),
    }
}

fn append_one(
    conn: &Connection,
    request: &Request,
    recorded_at: i64,
) -> Result<AppendResult, StoreError> {
    let stream = &request.stream;
    if find(conn, request.events[0].id)?.is_some() {
        let mut stored = Vec::with_capacity(request.events.len());
        for event in &request.events {
            stored.extend(find(conn, event.id)?);
        }
        return retry_result(stream, &request.events, &stored);
    }
    let actual: Option<u64> = conn
        .prepare_cached("SELECT max(revision) FROM events WHERE stream = ?1")?
        .query_row([stream.as_str()], |r| r.get::<_, Option<i64>>(0))?
        .map(|r| r as u64);
    if !request.expected.is_met_by(actual) {
        return Err(StoreError::WrongExpectedVersion {
            stream: stream.to_string(),
            expected: request.expected,
            actual,
        });
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO events (event_id, stream, revision, event_type, schema_version, recorded_at, data, metadata)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING position",
    )?;
    let mut revision = actual.map_or(0, |a| a + 1);
    let mut position = 0;
    for event in &request.events {
        let metadata = serde_json::to_string(&event.metadata).expect("metadata serialises");
        position = insert
            .query_row(
                params![
                    event.id,
                    stream.as_str(),
                    revision as i64,
                    event.event_type,
                    event.schema_version,
                    recorded_at,
                    event.data.to_string(),
                    metadata,
                ],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| match e.sqlite_error_code() {
                Some(ErrorCode::ConstraintViolation) => {
                    StoreError::DuplicateEventId { event_id: event.id }
                }
                _ => StoreError::from(e),
            })?;
        revision += 1;
    }
    Ok(AppendResult {
        revision: revision - 1,
        position: Position(position as u64),
    })
}

fn find(conn: &Connection, id: uuid::Uuid) -> Result<Option<RecordedEvent>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM events WHERE event_id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

//! The embedded store's single writer: group commit.
//!
//! Appends arrive on a channel, their data and metadata already written as JSON text by their
//! callers ([`crate::writer::Encoding::Text`]). The writer takes every append that is waiting
//! (up to [`MAX_BATCH`]), decides them together ([`crate::batch`]) inside one `BEGIN IMMEDIATE`
//! transaction, commits once (in WAL mode with `synchronous=FULL` the commit is fsynced before
//! it returns) and only then answers each caller. Appends thus share an fsync, while each
//! succeeds or fails on its own. After answering, it lets [`super::checkpoint`] decide whether
//! the WAL needs a checkpoint, so a checkpoint never delays an answer of the batch it follows.

use std::collections::HashSet;

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::watch;

use super::checkpoint::Checkpoints;
use super::rows::{COLUMNS, from_row};
use crate::batch::{Append, Known, Row, plan};
use crate::error::StoreError;
use crate::subscription::Head;
use crate::writer::{BatchResults, Encoded, Queue};

/// Runs on its own thread until every caller is gone. After each commit it publishes the new
/// head with the categories of the streams written, so a filtered subscription can tell whether
/// the commit concerns it without reading.
pub(super) fn run(
    mut conn: Connection,
    mut queue: Queue,
    head: watch::Sender<Head>,
    mut checkpoints: Checkpoints,
) {
    while let Some(appends) = queue.next_batch_blocking() {
        // A copy: the watch must not stay borrowed while `send_replace` below writes to it.
        let mut next = head.borrow().clone();
        let outcome = write_batch(&mut conn, &appends, &mut next).map(|(results, written)| {
            if written {
                head.send_replace(next);
            }
            results
        });
        let committed = outcome.is_ok();
        queue.answer(outcome);
        if committed {
            checkpoints.after_commit(&conn);
        }
    }
}

/// Writes the batch and records what it wrote in `head`; returns each append's result and
/// whether anything was written. `head` is only to be published once this returns `Ok`.
///
/// Almost every batch holds no event id stored before, so it is first planned on that
/// assumption, from the streams' revisions alone. The unique key on `event_id` checks the
/// assumption as the rows go in. When it does not hold (a duplicate id), or when an append
/// fails under it (a conflict may be a retry of an acknowledged append, which its stored ids
/// tell), that transaction is rolled back and the batch planned again from every id the store
/// holds, in a new one.
fn write_batch(
    conn: &mut Connection,
    appends: &[Vec<Append<'_>>],
    head: &mut Head,
) -> Result<(BatchResults, bool), StoreError> {
    for ids in [Ids::Assumed, Ids::Read] {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let plan = plan(appends, known(&tx, appends, ids)?);
        if ids == Ids::Assumed && plan.results.iter().any(Result::is_err) {
            continue; // a conflict may be a retry: its ids decide
        }
        match insert(&tx, &plan.rows) {
            Ok(()) => {}
            Err(e) if ids == Ids::Assumed && is_constraint(&e) => continue, // rolled back
            Err(e) => return Err(e.into()),
        }
        tx.commit()?;
        for row in &plan.rows {
            head.record(row.stream.as_str(), row.position.0);
        }
        return Ok((plan.results, !plan.rows.is_empty()));
    }
    unreachable!("the second plan reads every id")
}

/// Whether the batch's stored event ids are read, or assumed to be none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ids {
    Assumed,
    Read,
}

/// Inserts the planned rows.
fn insert(tx: &Connection, rows: &[Row<'_>]) -> Result<(), rusqlite::Error> {
    let recorded_at = Utc::now().timestamp_micros();
    let mut insert = tx.prepare_cached(
        "INSERT INTO events (position, event_id, stream, revision, event_type, schema_version, recorded_at, data, metadata)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for row in rows {
        let event = row.event;
        // The caller wrote the text (`Encoding::Text`); this store's queue always has it.
        let text;
        let encoded = match row.encoded {
            Some(e) => e,
            None => {
                text = Encoded::of(event);
                &text
            }
        };
        insert.execute(params![
            row.position.0 as i64,
            event.id,
            row.stream.as_str(),
            row.revision as i64,
            event.event_type,
            event.schema_version,
            event
                .recorded_at
                .map_or(recorded_at, |t| t.timestamp_micros()),
            encoded.data,
            encoded.metadata,
        ])?;
    }
    Ok(())
}

/// Whether `e` is a violated constraint (the unique keys of `events`).
fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

/// The highest position stored, 0 when the store is empty.
pub(super) fn current_head(conn: &Connection) -> Result<u64, StoreError> {
    let head: Option<i64> = conn
        .prepare_cached("SELECT max(position) FROM events")?
        .query_row([], |r| r.get(0))?;
    Ok(head.unwrap_or(0) as u64)
}

/// What the store holds of the batch's streams, and of its event ids unless they are
/// [`Ids::Assumed`] to be new.
fn known(conn: &Connection, batch: &[Vec<Append<'_>>], ids: Ids) -> Result<Known, StoreError> {
    let mut known = Known {
        head: current_head(conn)?,
        ..Known::default()
    };
    let mut find =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM events WHERE event_id = ?1"))?;
    let mut revision = conn.prepare_cached("SELECT max(revision) FROM events WHERE stream = ?1")?;
    let mut streams = HashSet::new();
    for request in batch.iter().flatten() {
        for event in request.events.iter().filter(|_| ids == Ids::Read) {
            if let Some(stored) = find.query_row([event.id], from_row).optional()? {
                known.events.insert(stored.id, stored);
            }
        }
        if streams.insert(request.stream.as_str()) {
            let last: Option<i64> = revision.query_row([request.stream.as_str()], |r| r.get(0))?;
            if let Some(last) = last {
                known
                    .revisions
                    .insert(request.stream.as_str().to_owned(), last as u64);
            }
        }
    }
    Ok(known)
}

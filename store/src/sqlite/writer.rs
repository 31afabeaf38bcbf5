//! The embedded store's single writer: group commit.
//!
//! Appends arrive on a channel, their data and metadata already written as JSON text by their
//! callers ([`crate::writer::Encoding::Text`]). The writer takes every append that is waiting
//! (up to [`MAX_BATCH`]), decides them together ([`crate::batch`]) inside a `BEGIN IMMEDIATE`
//! transaction, commits once (in WAL mode with `synchronous=FULL` the commit is fsynced before
//! it returns) and only then answers each caller. A batch is first decided on the assumption
//! that none of its event ids is stored, which the unique key on `event_id` checks; should an
//! append fail under it, the ids are read in the same transaction, and should a row be refused,
//! that transaction is rolled back and the batch decided again in a second one
//! ([`write_batch`]). Appends thus share an fsync, while each succeeds or fails on its own.
//! After answering, it writes the index of streams once [`super::streams::BEHIND`] events wait
//! for it, and lets [`super::checkpoint`] decide whether the WAL needs a checkpoint, so neither
//! delays an answer of the batch it follows. A batch's entries of that index go into its tail in
//! memory before the commit; should another process have written to the file since this
//! writer's last commit, the batch's transaction indexes those events first.

use std::collections::HashSet;

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::watch;

use super::checkpoint::Checkpoints;
use super::rows::{COLUMNS, from_row};
use super::streams::{self, BEHIND, Tail};
use crate::batch::{Append, Known, Plan, Row, plan};
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
    tail: &Tail,
) {
    // When the tail is to be indexed next: after a failed attempt, only once as many events
    // again have come.
    let mut index_at = BEHIND;
    while let Some(appends) = queue.next_batch_blocking() {
        // A copy: the watch must not stay borrowed while `send_replace` below writes to it.
        let mut next = head.borrow().clone();
        let outcome =
            write_batch(&mut conn, &appends, &mut next, tail).map(|(results, written)| {
                if written {
                    head.send_replace(next);
                }
                results
            });
        let committed = outcome.is_ok();
        queue.answer(outcome);
        if committed && tail.len() >= index_at {
            match streams::index(&mut conn, tail) {
                Ok(_) => index_at = BEHIND,
                Err(e) => {
                    tracing::error!(error = %e, "stream index not written; reads use the tail");
                    index_at = tail.len() + BEHIND;
                }
            }
        }
        if committed {
            checkpoints.after_commit(&conn);
        }
    }
}

/// Writes the batch and records what it wrote in `head`; returns each append's result and
/// whether anything was written. `head` is only to be published once this returns `Ok`.
///
/// Almost every batch holds no event id stored before, so it is first planned on that
/// assumption, from the streams' revisions alone. When an append fails under it (a conflict
/// may be a retry of an acknowledged append, which its stored ids tell), the ids are read in the
/// same transaction and the batch planned again before anything is inserted. Otherwise the
/// unique key on `event_id` checks the assumption as the rows go in; when any constraint refuses
/// a row, that transaction is rolled back and the batch planned again from every stored id, in a
/// new one.
fn write_batch(
    conn: &mut Connection,
    appends: &[Vec<Append<'_>>],
    head: &mut Head,
    tail: &Tail,
) -> Result<(BatchResults, bool), StoreError> {
    {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let stored = current_head(&tx)?;
        let others = streams::others_indexed(&tx, stored, head.position)?;
        let assumed = plan(
            appends,
            known(&tx, stored, tail, others, appends, Ids::Assumed)?,
        );
        if assumed.results.iter().any(Result::is_err) {
            return from_stored_ids(tx, stored, tail, others, appends, head);
        }
        match insert(&tx, &assumed.rows) {
            Ok(()) => return commit(tx, tail, others, assumed, head),
            Err(e) if is_constraint(&e) => {} // rolled back as `tx` is dropped
            Err(e) => return Err(e.into()),
        }
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let stored = current_head(&tx)?;
    let others = streams::others_indexed(&tx, stored, head.position)?;
    from_stored_ids(tx, stored, tail, others, appends, head)
}

/// Plans the batch in `tx` from every stored id it touches, inserts and commits it.
fn from_stored_ids(
    tx: rusqlite::Transaction<'_>,
    stored: u64,
    tail: &Tail,
    others: Option<u64>,
    appends: &[Vec<Append<'_>>],
    head: &mut Head,
) -> Result<(BatchResults, bool), StoreError> {
    let read = plan(
        appends,
        known(&tx, stored, tail, others, appends, Ids::Read)?,
    );
    insert(&tx, &read.rows)?;
    commit(tx, tail, others, read, head)
}

/// Commits the planned rows, inserted in `tx`, and records them in `head`. Their entries go
/// into the tail of the stream index first, so a reader that sees the commit finds them
/// ([`streams`]); should the commit fail, they are taken out again. `others`: the position up
/// to which `tx` indexed another process's events ([`streams::others_indexed`]). Then the
/// entries go in only after the commit, once the tail has let go of what `tx` indexed: until
/// then the tail does not reach the file's head, and a reader reads the events from the file.
fn commit(
    tx: rusqlite::Transaction<'_>,
    tail: &Tail,
    others: Option<u64>,
    plan: Plan<'_>,
    head: &mut Head,
) -> Result<(BatchResults, bool), StoreError> {
    let entries = || {
        plan.rows
            .iter()
            .map(|r| (r.stream.as_str(), r.revision, r.position.0))
    };
    if let Some(indexed) = others {
        tx.commit()?;
        tail.indexed_to(indexed);
        let _ = tail.add(entries()); // committed: nothing to take back
        // Their streams are not known here: any subscription may have to read them.
        head.unknown_up_to(indexed);
    } else {
        let added = tail.add(entries());
        if let Err(e) = tx.commit() {
            tail.take_back(added);
            return Err(e.into());
        }
    }
    for row in &plan.rows {
        head.record(row.stream.as_str(), row.position.0);
    }
    Ok((plan.results, !plan.rows.is_empty() || others.is_some()))
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

/// Whether `e` is a violated constraint: a unique key of `events` (the one on `event_id` when a
/// batch was planned on the assumption that its ids are new), or a column's type or `NOT NULL`.
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
/// [`Ids::Assumed`] to be new; `stored`: its head, read in the same transaction.
fn known(
    conn: &Connection,
    stored: u64,
    tail: &Tail,
    others: Option<u64>,
    batch: &[Vec<Append<'_>>],
    ids: Ids,
) -> Result<Known, StoreError> {
    let mut known = Known {
        head: stored,
        ..Known::default()
    };
    let mut find =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM events WHERE event_id = ?1"))?;
    let mut seen = HashSet::new();
    for request in batch.iter().flatten() {
        for event in request.events.iter().filter(|_| ids == Ids::Read) {
            if let Some(stored) = find.query_row([event.id], from_row).optional()? {
                known.events.insert(stored.id, stored);
            }
        }
        let stream = request.stream.as_str();
        if seen.insert(stream)
            && let Some(last) = streams::last_revision(conn, tail, stream, others)?
        {
            known.revisions.insert(stream.to_owned(), last);
        }
    }
    Ok(known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::test_event;
    use crate::types::{AppendResult, ExpectedRevision, NewEvent, StreamName};

    fn append<'a>(
        stream: &'a StreamName,
        expected: ExpectedRevision,
        events: &'a [NewEvent],
    ) -> Append<'a> {
        Append {
            stream,
            expected,
            events,
            encoded: &[],
        }
    }

    fn ok(r: &Result<Vec<AppendResult>, StoreError>) -> Vec<(u64, u64)> {
        r.as_ref()
            .expect("the append succeeds")
            .iter()
            .map(|a| (a.revision, a.position.0))
            .collect()
    }

    /// Every row stored: (position, stream, revision).
    fn stored(conn: &Connection) -> Vec<(i64, String, i64)> {
        let mut s = conn
            .prepare("SELECT position, stream, revision FROM events ORDER BY position")
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// Both ways a batch planned without its ids is planned again, each batch beside new
    /// appends: a retry that the unique key refuses, and appends that fail under the assumption
    /// (a retry with its first expectation, a prefix of a stored append, a stored id in another
    /// stream) beside an atomic unit. Each append is decided as if every id had been read.
    #[test]
    fn a_batch_with_stored_ids_is_decided_as_if_every_id_was_read() {
        let dir = tempfile::tempdir().unwrap();
        let (mut conn, _) = super::super::open_writer(&dir.path().join("e.sqlite")).unwrap();
        let mut head = Head::unknown(0);
        let tail = Tail::new(0);
        let s = |n: &str| StreamName::new(n).unwrap();
        let (a, b, c, d) = (
            s("traject-a"),
            s("traject-b"),
            s("traject-c"),
            s("traject-d"),
        );
        let e = |n: u64| test_event(serde_json::json!({ "n": n }));
        let first = vec![e(0), e(1)];
        let (r, _) = write_batch(
            &mut conn,
            &[vec![append(&a, ExpectedRevision::NoStream, &first)]],
            &mut head,
            &tail,
        )
        .unwrap();
        assert_eq!(ok(&r[0]), [(1, 2)]);

        // The key refuses the retry: planned again in a new transaction.
        let new_b = vec![e(2)];
        let (r, written) = write_batch(
            &mut conn,
            &[
                vec![append(&b, ExpectedRevision::NoStream, &new_b)],
                vec![append(&a, ExpectedRevision::Any, &first)],
            ],
            &mut head,
            &tail,
        )
        .unwrap();
        assert!(written);
        assert_eq!(ok(&r[0]), [(0, 3)], "the new append");
        assert_eq!(ok(&r[1]), [(1, 2)], "the retry's original result");

        // Failing under the assumption: planned again in the same transaction.
        let prefix = vec![first[0].clone()];
        let (new_d, new_a) = (vec![e(3)], vec![e(4)]);
        let (r, written) = write_batch(
            &mut conn,
            &[
                vec![append(&a, ExpectedRevision::NoStream, &first)],
                vec![append(&c, ExpectedRevision::Any, &prefix)],
                vec![
                    append(&d, ExpectedRevision::NoStream, &new_d),
                    append(&a, ExpectedRevision::Exact(1), &new_a),
                ],
                vec![append(&a, ExpectedRevision::NoStream, &prefix)],
            ],
            &mut head,
            &tail,
        )
        .unwrap();
        assert!(written);
        assert_eq!(ok(&r[0]), [(1, 2)], "the retry with its first expectation");
        assert!(
            matches!(&r[1], Err(StoreError::DuplicateEventId { event_id }) if *event_id == first[0].id),
            "{:?}",
            r[1]
        );
        assert_eq!(ok(&r[2]), [(0, 4), (2, 5)], "the atomic unit");
        assert_eq!(ok(&r[3]), [(0, 1)], "a prefix of a stored append");

        let rows = stored(&conn);
        let plek = |n: &str, r: i64| rows.iter().any(|(_, s, rev)| s == n && *rev == r);
        assert_eq!(rows.len(), 5, "{rows:?}");
        assert!(
            rows.iter()
                .zip(1..)
                .all(|((position, _, _), n)| *position == n),
            "positions without a gap: {rows:?}"
        );
        assert!(plek("traject-a", 0) && plek("traject-a", 1) && plek("traject-a", 2));
        assert!(plek("traject-b", 0) && plek("traject-d", 0) && !plek("traject-c", 0));
        assert_eq!(head.position, 5);
    }
}

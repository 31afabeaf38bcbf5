//! The embedded store's index of streams, written behind the events.
//!
//! A stream's events are found by the table `stream_index` (stream, revision → position). Kept
//! in the events' own commit, that index cost every commit one page per stream the batch
//! touched: with 64 coaches appending, some 64 pages of 4 KiB written to the WAL, checksummed
//! and synced for about 31 events (BENCHMARKS.md, the embedded store). A commit now writes the
//! events alone, and the writer adds their entries to the index afterwards, [`BEHIND`] events at
//! a time, in a transaction of its own ([`index`]): the entries of many commits to one stream
//! share a page.
//!
//! Until then an event's entry is in the [`Tail`], in memory: every event after the position the
//! index holds (`stream_index_upto`), by stream. The writer puts a batch's entries there before
//! it commits, so a reader that sees the commit finds them. A reader ([`read_stream`]) reads that
//! position and the head in one snapshot and takes from the tail what lies between. Entries
//! leave the tail only once the index holds them; a reader whose snapshot is older than that
//! reads again. The index is derived from the events alone: opening the store indexes whatever
//! a crash left unindexed, and an index transaction that did not commit is simply done again.

use std::collections::HashMap;
use std::sync::Mutex;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::rows::{COLUMNS, from_row};
use crate::error::StoreError;
use crate::types::RecordedEvent;

/// How many events wait in the tail before the writer indexes them.
pub(super) const BEHIND: usize = 2_048;

/// One event's entry: its stream's revision and its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    revision: u64,
    position: u64,
}

/// The entries of the events the index does not hold yet, shared by the writer and the readers.
#[derive(Debug)]
pub(super) struct Tail {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Every event at or below this position is in the index; its entry may have left the tail.
    indexed: u64,
    /// The highest position whose entry this process added (or `indexed`, if higher): a
    /// snapshot that holds events above it holds another process's.
    added: u64,
    /// Each stream's entries after `indexed`, by rising revision (and position).
    streams: HashMap<String, Vec<Entry>>,
    /// How many entries `streams` holds.
    len: usize,
}

impl Inner {
    /// Keeps the entries `keep` says yes to, and the count with them.
    fn keep(&mut self, keep: impl Fn(&Entry) -> bool) {
        let mut removed = 0;
        self.streams.retain(|_, entries| {
            let before = entries.len();
            entries.retain(&keep);
            removed += before - entries.len();
            !entries.is_empty()
        });
        self.len -= removed;
    }
}

impl Tail {
    /// An empty tail after an index that holds every event up to `indexed`.
    pub(super) fn new(indexed: u64) -> Self {
        Self {
            inner: Mutex::new(Inner {
                indexed,
                added: indexed,
                ..Inner::default()
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().expect("stream tail")
    }

    /// Adds the entries of rows about to be committed: (stream, revision, position), each
    /// stream's in rising order. Returns what to hand [`Self::take_back`] should the commit fail.
    pub(super) fn add<'a>(&self, rows: impl IntoIterator<Item = (&'a str, u64, u64)>) -> Added {
        let mut inner = self.lock();
        let before = Added(inner.added);
        for (stream, revision, position) in rows {
            let entries = match inner.streams.get_mut(stream) {
                Some(e) => e,
                None => inner.streams.entry(stream.to_owned()).or_default(),
            };
            entries.push(Entry { revision, position });
            inner.len += 1;
            inner.added = inner.added.max(position);
        }
        before
    }

    /// Takes out what [`Self::add`] added: its commit failed.
    pub(super) fn take_back(&self, before: Added) {
        let mut inner = self.lock();
        let Added(head) = before;
        inner.added = head;
        inner.keep(|e| e.position <= head);
    }

    /// The stream's last revision if the tail holds any of its events after `after`.
    pub(super) fn last_revision(&self, stream: &str, after: u64) -> Option<u64> {
        self.lock()
            .streams
            .get(stream)
            .and_then(|e| e.last())
            .filter(|e| e.position > after)
            .map(|e| e.revision)
    }

    /// How many entries wait for the index.
    pub(super) fn len(&self) -> usize {
        self.lock().len
    }

    /// The index now holds every event up to `indexed`: their entries leave the tail.
    pub(super) fn indexed_to(&self, indexed: u64) {
        let mut inner = self.lock();
        inner.indexed = inner.indexed.max(indexed);
        inner.added = inner.added.max(indexed);
        inner.keep(|e| e.position > indexed);
    }

    /// The stream's entries after `after` up to `upto`, as a snapshot that holds the index up
    /// to `after` and the events up to `upto` is to read them.
    fn between(&self, stream: &str, after: u64, upto: u64) -> Between {
        let inner = self.lock();
        if inner.indexed > after {
            return Between::Again;
        }
        if upto > inner.added {
            return Between::Unknown;
        }
        Between::Entries(inner.streams.get(stream).map_or_else(Vec::new, |entries| {
            entries
                .iter()
                .filter(|e| e.position > after && e.position <= upto)
                .copied()
                .collect()
        }))
    }
}

/// The highest position added before a [`Tail::add`]: every entry above it is that call's.
#[derive(Debug)]
#[must_use = "a failed commit takes its entries back"]
pub(super) struct Added(u64);

/// What the tail holds for a snapshot.
#[derive(Debug, PartialEq, Eq)]
enum Between {
    /// The stream's entries.
    Entries(Vec<Entry>),
    /// Some may have left the tail already: the snapshot is older than the index's last
    /// transaction. Read again in a newer one.
    Again,
    /// The snapshot holds events another process wrote, which this tail does not know: read the
    /// events after the index from the file.
    Unknown,
}

/// The position up to which the index holds every event.
pub(super) fn indexed_upto(conn: &Connection) -> Result<u64, StoreError> {
    let upto: i64 = conn
        .prepare_cached("SELECT position FROM stream_index_upto")?
        .query_row([], |r| r.get(0))?;
    Ok(upto as u64)
}

/// Adds every event after the index's position to the index, in one transaction on the
/// writer's connection, and takes their entries out of the tail. Returns the position the index
/// then holds: the store's head in that transaction.
pub(super) fn index(conn: &mut Connection, tail: &Tail) -> Result<u64, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let head = index_in(&tx)?;
    tx.commit()?;
    tail.indexed_to(head);
    Ok(head)
}

/// Adds every event after the index's position to the index, in the writer's transaction
/// `tx`; returns the position the index then holds. Once `tx` commits, the caller takes the
/// entries out of the tail ([`Tail::indexed_to`]).
pub(super) fn index_in(tx: &Connection) -> Result<u64, StoreError> {
    let upto = indexed_upto(tx)?;
    let head = super::writer::current_head(tx)?;
    if head > upto {
        // `OR FAIL`: a refused row fails the statement without undoing the rows before it,
        // which spares SQLite a statement journal (a copy of every page the statement changes,
        // 6 % of the writer's time); the whole transaction is rolled back on any error anyway.
        tx.prepare_cached(
            "INSERT OR FAIL INTO stream_index (stream, revision, position)
             SELECT stream, revision, position FROM events WHERE position > ?1
             ORDER BY stream, revision",
        )?
        .execute([upto as i64])?;
        tx.prepare_cached("UPDATE stream_index_upto SET position = ?1")?
            .execute([head as i64])?;
    }
    Ok(head.max(upto))
}

/// After a commit by another process (the server's lock on a data directory keeps that to one
/// program, but a file can be opened by others): in the writer's transaction `tx`, whose
/// store holds events up to `stored`, while this writer last wrote up to `written`, the events
/// it did not write are indexed first, so that their streams' revisions are known. Returns the
/// position indexed, for [`Tail::indexed_to`] once `tx` commits.
pub(super) fn others_indexed(
    tx: &Connection,
    stored: u64,
    written: u64,
) -> Result<Option<u64>, StoreError> {
    if stored == written {
        return Ok(None);
    }
    tracing::warn!(
        stored,
        written,
        "events written by another process: indexed before this batch"
    );
    index_in(tx).map(Some)
}

/// The stream's last revision as the index and the tail hold it, on the writer's connection;
/// `indexed`: the position up to which the writer's transaction indexed the events itself
/// ([`others_indexed`]), beyond which alone the tail counts.
pub(super) fn last_revision(
    conn: &Connection,
    tail: &Tail,
    stream: &str,
    indexed: Option<u64>,
) -> Result<Option<u64>, StoreError> {
    if let Some(r) = tail.last_revision(stream, indexed.unwrap_or(0)) {
        return Ok(Some(r));
    }
    let last: Option<i64> = conn
        .prepare_cached("SELECT max(revision) FROM stream_index WHERE stream = ?1")?
        .query_row([stream], |r| r.get(0))?;
    Ok(last.map(|r| r as u64))
}

/// `COLUMNS` of `events` named as `e`.
fn columns_of_e() -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("e.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads up to `limit` events of `stream` from revision `from` on (or down, if `descending`),
/// on a read connection: from the index and the tail in one snapshot.
pub(super) fn read_stream(
    conn: &Connection,
    tail: &Tail,
    stream: &str,
    from: i64,
    descending: bool,
    limit: i64,
) -> Result<Vec<RecordedEvent>, StoreError> {
    loop {
        // Ends (rolls back) when dropped: a read takes nothing else.
        let snapshot = Transaction::new_unchecked(conn, TransactionBehavior::Deferred)?;
        let upto = indexed_upto(&snapshot)?;
        let head = super::writer::current_head(&snapshot)?;
        let recent = match tail.between(stream, upto, head) {
            Between::Entries(e) => e,
            // The index moved on after this snapshot began: read again in a newer one.
            Between::Again => continue,
            Between::Unknown => unknown(&snapshot, stream, upto)?,
        };
        let read = |recent: Vec<Entry>| {
            // A stream's entries in the tail come after all of its entries in the index.
            let mut recent: Vec<Entry> = recent
                .into_iter()
                .filter(|e| {
                    let r = e.revision.min(i64::MAX as u64) as i64;
                    if descending { r <= from } else { r >= from }
                })
                .collect();
            let mut events = Vec::new();
            let whole = if descending {
                recent.reverse();
                let whole = of_tail(&snapshot, stream, &recent, limit, &mut events)?;
                indexed(&snapshot, stream, from, descending, limit, &mut events)?;
                whole
            } else {
                indexed(&snapshot, stream, from, descending, limit, &mut events)?;
                of_tail(&snapshot, stream, &recent, limit, &mut events)?
            };
            Ok::<_, StoreError>(whole.then_some(events))
        };
        if let Some(events) = read(recent)? {
            return Ok(events);
        }
        // An entry named another event: a commit of this process failed and another process
        // wrote at its positions before the entries were taken back. The file knows.
        return read(unknown(&snapshot, stream, upto)?)?
            .ok_or_else(|| StoreError::Database("stream index: an entry read twice".into()));
    }
}

/// The stream's entries after the index's position `after`, read from the events: another
/// process wrote some of them.
fn unknown(conn: &Connection, stream: &str, after: u64) -> Result<Vec<Entry>, StoreError> {
    let entries = conn
        .prepare_cached(
            "SELECT revision, position FROM events WHERE position > ?1 AND stream = ?2
             ORDER BY position",
        )?
        .query_map(rusqlite::params![after as i64, stream], |r| {
            Ok(Entry {
                revision: r.get::<_, i64>(0)? as u64,
                position: r.get::<_, i64>(1)? as u64,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(entries)
}

/// Adds the events of `entries` to `events`, up to `limit` in all; `false` if an entry's
/// position holds an event other than the stream's at its revision.
fn of_tail(
    conn: &Connection,
    stream: &str,
    entries: &[Entry],
    limit: i64,
    events: &mut Vec<RecordedEvent>,
) -> Result<bool, StoreError> {
    let mut by_position =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM events WHERE position = ?1"))?;
    let rest = usize::try_from(limit)
        .unwrap_or(usize::MAX)
        .saturating_sub(events.len());
    for e in entries.iter().take(rest) {
        let event = by_position.query_row([e.position as i64], from_row)?;
        if event.stream.as_str() != stream || event.revision != e.revision {
            return Ok(false);
        }
        events.push(event);
    }
    Ok(true)
}

/// Adds the stream's events the index holds to `events`, up to `limit` in all.
fn indexed(
    conn: &Connection,
    stream: &str,
    from: i64,
    descending: bool,
    limit: i64,
    events: &mut Vec<RecordedEvent>,
) -> Result<(), StoreError> {
    let rest = limit.saturating_sub(events.len() as i64);
    if rest <= 0 {
        return Ok(());
    }
    let order = if descending {
        "i.revision <= ?2 ORDER BY i.revision DESC"
    } else {
        "i.revision >= ?2 ORDER BY i.revision"
    };
    let rows = conn
        .prepare_cached(&format!(
            "SELECT {} FROM stream_index i JOIN events e ON e.position = i.position
             WHERE i.stream = ?1 AND {order} LIMIT ?3",
            columns_of_e()
        ))?
        .query_map(rusqlite::params![stream, from, rest], from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    events.extend(rows);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

    use super::*;
    use crate::EventStore;
    use crate::sqlite::SqliteStore;
    use crate::testing::test_event;
    use crate::types::{Direction, ExpectedRevision, ReadFrom, StreamName};

    /// The revisions a read returned, after checking each event's stream.
    async fn revisions(
        store: &SqliteStore,
        stream: &StreamName,
        from: ReadFrom,
        direction: Direction,
        limit: usize,
    ) -> Vec<u64> {
        let events = store
            .read_stream(stream, from, direction, limit)
            .await
            .unwrap();
        assert!(events.iter().all(|e| e.stream == *stream));
        events.iter().map(|e| e.revision).collect()
    }

    /// What a read of a stream of `n` events must return.
    fn expected(n: u64, from: ReadFrom, direction: Direction, limit: usize) -> Vec<u64> {
        let all: Vec<u64> = match (direction, from) {
            (Direction::Forwards, ReadFrom::Start) => (0..n).collect(),
            (Direction::Forwards, ReadFrom::Revision(r)) => (r..n).collect(),
            (Direction::Forwards, ReadFrom::End) => Vec::new(),
            (Direction::Backwards, ReadFrom::Start) => (0..n.min(1)).collect(),
            (Direction::Backwards, ReadFrom::Revision(r)) => (0..n.min(r + 1)).rev().collect(),
            (Direction::Backwards, ReadFrom::End) => (0..n).rev().collect(),
        };
        all.into_iter().take(limit).collect()
    }

    /// Reads of a stream of `n` events: from the start, the end and every 61st revision on and
    /// down, with several limits, and from beyond its end.
    fn reads(n: u64) -> Vec<(ReadFrom, Direction, usize)> {
        let mut reads = vec![
            (ReadFrom::Start, Direction::Forwards, usize::MAX),
            (ReadFrom::End, Direction::Backwards, usize::MAX),
            (ReadFrom::End, Direction::Backwards, 1),
            (ReadFrom::End, Direction::Forwards, 5),
            (ReadFrom::Start, Direction::Backwards, 5),
            (ReadFrom::Revision(n + 3), Direction::Backwards, 2),
            (ReadFrom::Revision(n + 3), Direction::Forwards, 2),
        ];
        for r in (0..n).step_by(61) {
            for limit in [1, 5, 300] {
                reads.push((ReadFrom::Revision(r), Direction::Forwards, limit));
                reads.push((ReadFrom::Revision(r), Direction::Backwards, limit));
            }
        }
        reads
    }

    /// Every read of [`reads`] of each stream, of `n` events each, returns what it must.
    async fn every_read_is_right(
        store: &SqliteStore,
        streams: &[StreamName],
        n: &[u64],
        when: &str,
    ) {
        for (stream, n) in streams.iter().zip(n) {
            for (from, direction, limit) in reads(*n) {
                assert_eq!(
                    revisions(store, stream, from, direction, limit).await,
                    expected(*n, from, direction, limit),
                    "{when}: {stream} {from:?} {direction:?} {limit}"
                );
            }
        }
    }

    fn stored(store: &SqliteStore, sql: &str) -> i64 {
        Connection::open(&store.inner.path)
            .unwrap()
            .query_row(sql, [], |r| r.get(0))
            .unwrap()
    }

    /// Three streams written in turn, several times [`BEHIND`] events, while a reader reads one
    /// of them whole again and again: every read is whole and in order, whether its events are
    /// in the index, in the tail or in both, before and after the store is opened again.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn reads_of_a_stream_are_whole_while_its_index_moves() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.sqlite");
        let store = SqliteStore::open(&path).await.unwrap();
        let streams: Vec<StreamName> = ["traject-a", "traject-b", "toegangslog"]
            .into_iter()
            .map(|s| StreamName::new(s).unwrap())
            .collect();
        let klaar = Arc::new(AtomicBool::new(false));
        // How many events of the first stream are acknowledged.
        let bevestigd = Arc::new(AtomicU64::new(0));
        let lezer = tokio::spawn({
            let (store, stream, klaar) = (store.clone(), streams[0].clone(), Arc::clone(&klaar));
            let bevestigd = Arc::clone(&bevestigd);
            async move {
                let (mut gelezen, mut vorige) = (0, 0);
                while !klaar.load(Ordering::Relaxed) {
                    let minstens = bevestigd.load(Ordering::SeqCst);
                    let r = revisions(
                        &store,
                        &stream,
                        ReadFrom::Start,
                        Direction::Forwards,
                        usize::MAX,
                    )
                    .await;
                    assert_eq!(
                        r,
                        (0..r.len() as u64).collect::<Vec<_>>(),
                        "a whole stream, in order"
                    );
                    assert!(r.len() >= vorige, "a later read holds at least as much");
                    assert!(
                        r.len() as u64 >= minstens,
                        "every acknowledged event: {} of {minstens}",
                        r.len()
                    );
                    vorige = r.len();
                    let b =
                        revisions(&store, &stream, ReadFrom::End, Direction::Backwards, 3).await;
                    assert!(b.windows(2).all(|w| w[0] == w[1] + 1), "{b:?}");
                    assert!(
                        b.first().is_none_or(|l| *l + 1 >= vorige as u64),
                        "the last first"
                    );
                    gelezen += 1;
                }
                gelezen
            }
        });
        let per_append = 7;
        let appends = (BEHIND * 2 + 300) / per_append;
        let mut n = vec![0u64; streams.len()];
        for i in 0..appends {
            let s = i % streams.len();
            let events = (0..per_append)
                .map(|k| test_event(serde_json::json!({ "k": k })))
                .collect();
            let expected = if n[s] == 0 {
                ExpectedRevision::NoStream
            } else {
                ExpectedRevision::Exact(n[s] - 1)
            };
            store.append(&streams[s], expected, events).await.unwrap();
            n[s] += per_append as u64;
            if s == 0 {
                bevestigd.store(n[s], Ordering::SeqCst);
            }
            if i % 50 == 0 {
                tokio::task::yield_now().await;
            }
        }
        klaar.store(true, Ordering::Relaxed);
        assert!(lezer.await.unwrap() > 0, "the reader read");

        let head = store.head().await.unwrap().unwrap().0;
        let upto = stored(&store, "SELECT position FROM stream_index_upto") as u64;
        assert!(
            upto > 0 && upto < head,
            "the index moved, and a tail is left ({upto} of {head})"
        );
        assert_eq!(store.inner.tail.len() as u64, head - upto);

        every_read_is_right(&store, &streams, &n, "running").await;
        store.close().await.unwrap();
        drop(store);
        let store = SqliteStore::open(&path).await.unwrap();
        assert_eq!(store.inner.tail.len(), 0, "opening indexes the tail");
        assert_eq!(
            stored(&store, "SELECT position FROM stream_index_upto") as u64,
            head
        );
        every_read_is_right(&store, &streams, &n, "opened again").await;
        // A stale expectation is still a conflict, a right one still writes.
        let stale = store
            .append(
                &streams[0],
                ExpectedRevision::Exact(n[0] - 2),
                vec![test_event(serde_json::json!({}))],
            )
            .await;
        assert!(
            matches!(stale, Err(StoreError::WrongExpectedVersion { .. })),
            "{stale:?}"
        );
        let r = store
            .append(
                &streams[0],
                ExpectedRevision::Exact(n[0] - 1),
                vec![test_event(serde_json::json!({}))],
            )
            .await
            .unwrap();
        assert_eq!(r.revision, n[0]);
    }

    /// Two stores on one file, as when a program opens a data directory a server uses: each
    /// reads the other's events, and a stale expectation is a conflict, never a second event
    /// with the same revision (which the key (stream, revision) of `events` used to refuse).
    #[tokio::test]
    async fn a_second_process_on_the_file_is_neither_missed_nor_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.sqlite");
        let a = SqliteStore::open(&path).await.unwrap();
        let b = SqliteStore::open(&path).await.unwrap();
        let s = StreamName::new("traject-1").unwrap();
        let e = || vec![test_event(serde_json::json!({}))];
        let all = |store: SqliteStore| {
            let s = s.clone();
            async move { revisions(&store, &s, ReadFrom::Start, Direction::Forwards, 10).await }
        };
        a.append(&s, ExpectedRevision::NoStream, e()).await.unwrap();
        assert_eq!(all(b.clone()).await, [0], "b reads a's event");
        let r = b.append(&s, ExpectedRevision::Exact(0), e()).await.unwrap();
        assert_eq!(r.revision, 1);
        assert_eq!(all(a.clone()).await, [0, 1], "a reads b's event");
        let stale = a.append(&s, ExpectedRevision::Exact(0), e()).await;
        assert!(
            matches!(stale, Err(StoreError::WrongExpectedVersion { .. })),
            "{stale:?}"
        );
        let r = a.append(&s, ExpectedRevision::Exact(1), e()).await.unwrap();
        assert_eq!(r.revision, 2);
        assert_eq!(
            revisions(&b, &s, ReadFrom::End, Direction::Backwards, 1).await,
            [2]
        );
        assert_eq!(
            stored(&a, "SELECT count(DISTINCT revision) - count(*) FROM events"),
            0
        );
        assert_eq!(stored(&a, "SELECT count(*) FROM events"), 3);
    }

    /// An entry in memory that names another event (a commit failed and another process wrote
    /// at its positions before the entries were taken back): the read goes to the file.
    #[tokio::test]
    async fn an_entry_naming_another_event_is_not_believed() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap();
        let (x, y) = (
            StreamName::new("traject-x").unwrap(),
            StreamName::new("traject-y").unwrap(),
        );
        for s in [&y, &x] {
            store
                .append(
                    s,
                    ExpectedRevision::NoStream,
                    vec![test_event(serde_json::json!({}))],
                )
                .await
                .unwrap();
        }
        // Position 1 is traject-y's first event, not traject-x's second.
        let _ = store.inner.tail.add([("traject-x", 1, 1)]);
        assert_eq!(
            revisions(&store, &x, ReadFrom::Start, Direction::Forwards, 10).await,
            [0]
        );
        assert_eq!(
            revisions(&store, &x, ReadFrom::End, Direction::Backwards, 10).await,
            [0]
        );
    }

    /// A store of version 2 (the stream's key in `events`) keeps every event through the
    /// upgrade, loses the key and finds its streams in the index.
    #[tokio::test]
    async fn a_store_of_version_2_keeps_its_events_and_finds_its_streams_by_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.sqlite");
        {
            let mut conn = Connection::open(&path).unwrap();
            super::super::schema::migrations()
                .to_version(&mut conn, 2)
                .unwrap();
            let mut insert = conn
                .prepare(
                    "INSERT INTO events (position, event_id, stream, revision, event_type,
                     schema_version, recorded_at, data, metadata)
                     VALUES (?1, ?2, ?3, ?4, 'Test', 1, 0, '{}', '{}')",
                )
                .unwrap();
            for p in 1..=30i64 {
                let stream = ["traject-a", "traject-b", "traject-c"][(p % 3) as usize];
                insert
                    .execute(rusqlite::params![
                        p,
                        uuid::Uuid::now_v7(),
                        stream,
                        (p - 1) / 3
                    ])
                    .unwrap();
            }
        }
        let store = SqliteStore::open(&path).await.unwrap();
        let keys = stored(&store, "SELECT count(*) FROM pragma_index_list('events')");
        assert_eq!(keys, 1, "only the key on event_id is left");
        assert_eq!(stored(&store, "SELECT count(*) FROM events"), 30);
        assert_eq!(stored(&store, "SELECT count(*) FROM stream_index"), 30);
        assert_eq!(stored(&store, "SELECT position FROM stream_index_upto"), 30);
        for (i, s) in ["traject-a", "traject-b", "traject-c"]
            .into_iter()
            .enumerate()
        {
            let stream = StreamName::new(s).unwrap();
            let events = store
                .read_stream(&stream, ReadFrom::Start, Direction::Forwards, 100)
                .await
                .unwrap();
            let positions: Vec<u64> = events.iter().map(|e| e.position.0).collect();
            let verwacht: Vec<u64> = (1..=30u64).filter(|p| p % 3 == i as u64).collect();
            assert_eq!(positions, verwacht, "{s}");
            assert_eq!(
                events.iter().map(|e| e.revision).collect::<Vec<_>>(),
                (0..10).collect::<Vec<_>>()
            );
        }
        let r = store
            .append(
                &StreamName::new("traject-a").unwrap(),
                ExpectedRevision::Exact(9),
                vec![test_event(serde_json::json!({}))],
            )
            .await
            .unwrap();
        assert_eq!((r.revision, r.position.0), (10, 31));
    }

    fn entries(tail: &Tail, stream: &str) -> Vec<(u64, u64)> {
        let indexed = tail.lock().indexed;
        let added = tail.lock().added;
        let Between::Entries(e) = tail.between(stream, indexed, added) else {
            panic!("entries")
        };
        e.into_iter().map(|e| (e.revision, e.position)).collect()
    }

    /// An index transaction that one entry is refused in writes nothing: not the entries before
    /// that one (the statement is `OR FAIL`, which keeps them until the transaction is rolled
    /// back), not the index's position; the tail keeps every entry for the readers.
    #[test]
    fn a_refused_entry_leaves_the_index_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let (mut conn, _) = super::super::open_writer(&dir.path().join("e.sqlite")).unwrap();
        for (position, stream) in [(1, "traject-a"), (2, "traject-b"), (3, "traject-c")] {
            conn.execute(
                "INSERT INTO events (position, event_id, stream, revision, event_type,
                     schema_version, recorded_at, data, metadata)
                 VALUES (?1, randomblob(16), ?2, 0, 'T', 1, 0, '{}', '{}')",
                rusqlite::params![position, stream],
            )
            .unwrap();
        }
        // An entry no event of the store has: the last of the three (in key order) is refused.
        conn.execute(
            "INSERT INTO stream_index (stream, revision, position) VALUES ('traject-c', 0, 99)",
            [],
        )
        .unwrap();
        let tail = Tail::new(0);
        let _ = tail.add([
            ("traject-a", 0, 1),
            ("traject-b", 0, 2),
            ("traject-c", 0, 3),
        ]);

        assert!(index(&mut conn, &tail).is_err());

        let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            count("SELECT count(*) FROM stream_index"),
            1,
            "only the planted entry"
        );
        assert_eq!(count("SELECT position FROM stream_index_upto"), 0);
        assert_eq!(tail.len(), 3);
        assert_eq!(entries(&tail, "traject-a"), [(0, 1)]);
    }

    #[test]
    fn a_failed_commit_leaves_the_tail_as_it_was() {
        let tail = Tail::new(0);
        let _ = tail.add([("a", 0, 1), ("b", 0, 2)]);
        let added = tail.add([("a", 1, 3), ("c", 0, 4)]);
        assert_eq!(tail.lock().added, 4);
        tail.take_back(added);
        assert_eq!(
            tail.lock().added,
            2,
            "a snapshot with positions 3 and 4 reads the file"
        );
        assert_eq!(tail.between("a", 0, 3), Between::Unknown);
        assert_eq!(entries(&tail, "a"), [(0, 1)]);
        assert_eq!(entries(&tail, "c"), []);
        assert_eq!(tail.last_revision("a", 0), Some(0));
        assert_eq!(
            tail.last_revision("a", 1),
            None,
            "indexed by the writer's transaction"
        );
        assert_eq!(tail.last_revision("c", 0), None);
        assert_eq!(tail.len(), 2);
    }

    #[test]
    fn a_snapshot_older_than_the_index_reads_again() {
        let tail = Tail::new(0);
        let _ = tail.add([("a", 0, 1), ("a", 1, 2), ("a", 2, 3)]);
        // A snapshot that saw positions up to 2 and an index up to 0.
        assert_eq!(
            tail.between("a", 0, 2),
            Between::Entries(vec![
                Entry {
                    revision: 0,
                    position: 1
                },
                Entry {
                    revision: 1,
                    position: 2
                }
            ])
        );
        tail.indexed_to(2);
        assert_eq!(tail.len(), 1);
        assert_eq!(
            tail.between("a", 0, 3),
            Between::Again,
            "entries it needs are gone"
        );
        assert!(matches!(tail.between("a", 2, 3), Between::Entries(e) if e.len() == 1));
        assert_eq!(
            tail.between("a", 2, 4),
            Between::Unknown,
            "a snapshot with an event another process wrote"
        );
    }
}

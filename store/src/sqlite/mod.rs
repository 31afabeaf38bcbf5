//! The embedded event store: one SQLite file in WAL mode, created with its schema on first use.
//!
//! Writes go through one writer thread with group commit ([`writer`]); reads use a small pool of
//! read-only connections on blocking threads, so they never wait for the writer. A stream's
//! events are found through an index that the writer writes behind the events, with its newest
//! entries in memory until then ([`streams`]).

mod checkpoint;
mod rows;
mod schema;
mod streams;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::watch;

use crate::EventStore;
use crate::error::StoreError;
use crate::subscription::{Feed, Head, Subscription, catch_up};
use crate::types::{
    AppendResult, Direction, ExpectedRevision, NewEvent, Position, ReadFrom, RecordedEvent,
    StreamAppend, StreamFilter, StreamName, revision_range,
};
use crate::writer::{Encoding, Submitter, queue};
use checkpoint::{Checkpoints, Limits};
use rows::{COLUMNS, from_row};
use streams::Tail;

/// How long a connection waits for a lock another holds before giving up, in milliseconds.
pub(crate) const BUSY_TIMEOUT_MS: u32 = 5_000;

/// Idle read connections kept open.
const IDLE_READERS: usize = 8;

/// How much of the database file a read connection maps into memory (`PRAGMA mmap_size`): its
/// first 2 GiB, SQLite's own ceiling in this build. Rows read from there are not copied into a
/// page cache of the connection's own first: catching up from zero reads every event once, and
/// that page cache was fresh memory filled and thrown away (BENCHMARKS.md, replay). Events
/// beyond it, or still in the WAL, are read as before. SQLite's caveat applies: an I/O error on
/// the mapped file stops the process (a signal) instead of failing one read; an event store on a
/// failing disk is down either way. The writer does not map the file.
const READER_MMAP_BYTES: i64 = 0x7fff_0000;

/// The embedded event store.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<SqliteInner>,
}

struct SqliteInner {
    path: PathBuf,
    writer: Submitter,
    head: watch::Receiver<Head>,
    readers: Mutex<Vec<Connection>>,
    /// The entries of the stream index that the writer has yet to write ([`streams`]).
    tail: Arc<Tail>,
}

impl SqliteStore {
    /// Opens the store in the file at `path`, creating it and migrating its schema as needed.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, Limits::default()).await
    }

    /// Opens the store with the given checkpoint limits.
    pub(crate) async fn open_with(
        path: impl AsRef<Path>,
        limits: Limits,
    ) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let (conn, head, checkpoints) = tokio::task::spawn_blocking({
            let path = path.clone();
            move || {
                let (conn, head) = open_writer(&path)?;
                let checkpoints = Checkpoints::start(&conn, &path, limits)?;
                Ok::<_, StoreError>((conn, head, checkpoints))
            }
        })
        .await
        .map_err(|e| StoreError::Database(e.to_string()))??;
        let (requests, queue) = queue(Encoding::Text);
        let (head_tx, head_rx) = watch::channel(Head::unknown(head));
        // `open_writer` indexed every event stored.
        let tail = Arc::new(Tail::new(head));
        let writers_tail = Arc::clone(&tail);
        std::thread::Builder::new()
            .name("traject-sqlite-writer".to_owned())
            .spawn(move || writer::run(conn, queue, head_tx, checkpoints, &writers_tail))
            .map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(SqliteInner {
                path,
                writer: requests,
                head: head_rx,
                readers: Mutex::new(Vec::new()),
                tail,
            }),
        })
    }
}

/// `PRAGMA quick_check` over every page of the SQLite file at `path` (about a second per
/// gigabyte, more on a cold cache); the error names the file and the first problems. Returns
/// the connection it used. Writes nothing.
pub fn quick_check(path: &Path) -> Result<Connection, StoreError> {
    let fout = |wat: &str, e: &dyn std::fmt::Display| {
        StoreError::Database(format!("{}: {wat}: {e}", path.display()))
    };
    let conn = Connection::open(path).map_err(|e| fout("niet te openen", &e))?;
    configure(&conn).map_err(|e| fout("niet te openen", &e))?;
    let meldingen: Vec<String> = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut s| {
            s.query_map([], |r| r.get::<_, String>(0))?
                .collect::<Result<_, _>>()
        })
        .map_err(|e| fout("beschadigd", &e))?;
    if meldingen != ["ok"] {
        let eerste: Vec<&str> = meldingen.iter().take(3).map(String::as_str).collect();
        return Err(fout("beschadigd", &eerste.join("; ")));
    }
    Ok(conn)
}

/// What every connection of the store gets: the busy timeout, and the query planner stability
/// guarantee. Without the latter SQLite lets a bound value shape a statement's plan (a bound
/// `LIMIT`, for one) and so prepares a cached statement again each time that value is bound
/// anew: for the catch-up subscription's read after every commit that parse cost more than the
/// read itself. The store's queries are plain index lookups and ranges with one good plan.
pub(crate) fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.pragma_update(None, "busy_timeout", BUSY_TIMEOUT_MS)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// A read connection: read-only, configured, the file mapped ([`READER_MMAP_BYTES`]).
fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    configure(&conn)?;
    conn.pragma_update(None, "mmap_size", READER_MMAP_BYTES)?;
    Ok(conn)
}

fn open_writer(path: &Path) -> Result<(Connection, u64), StoreError> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: in WAL mode every commit is fsynced before it returns; NORMAL would survive a
    // process crash but not a power loss.
    conn.pragma_update(None, "synchronous", "FULL")?;
    configure(&conn)?;
    schema::migrations()
        .to_latest(&mut conn)
        .map_err(|e| StoreError::Database(format!("migratie: {e}")))?;
    // What a crash left out of the stream index goes in now, so the tail starts empty. The head
    // is the one that transaction indexed up to: another process may have written since.
    let head = streams::index(&mut conn, &Tail::new(0))?;
    Ok((conn, head))
}

impl SqliteStore {
    /// Runs `f` on a read connection from the pool, on a blocking thread.
    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        {
            tokio::task::spawn_blocking(move || {
                let idle = inner.readers.lock().expect("reader pool").pop();
                let conn = match idle {
                    Some(conn) => conn,
                    None => open_reader(&inner.path)?,
                };
                let result = f(&conn);
                let mut idle = inner.readers.lock().expect("reader pool");
                if idle.len() < IDLE_READERS {
                    idle.push(conn);
                }
                result
            })
            .await
            .map_err(|e| StoreError::Database(e.to_string()))?
        }
    }
}

#[async_trait]
impl Feed for SqliteStore {
    async fn read_after(
        &self,
        after: Option<Position>,
        filter: &StreamFilter,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let filter = filter.clone();
        self.read(move |conn| read_all(conn, after, &filter, limit))
            .await
    }

    fn head_changes(&self) -> watch::Receiver<Head> {
        self.inner.head.clone()
    }
}

/// The query of [`read_all`], with or without a stream prefix.
fn read_all_sql(prefix: bool) -> String {
    if prefix {
        format!(
            "SELECT {COLUMNS} FROM events
             WHERE position > ?1 AND substr(stream, 1, length(?2)) = ?2
             ORDER BY position LIMIT ?3"
        )
    } else {
        format!("SELECT {COLUMNS} FROM events WHERE position > ?1 ORDER BY position LIMIT ?2")
    }
}

fn read_all(
    conn: &Connection,
    after: Option<Position>,
    filter: &StreamFilter,
    limit: usize,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let after = after.map_or(0, |p| p.0 as i64);
    let limit = limit.min(i64::MAX as usize) as i64;
    let events = match filter.stream_prefix() {
        None => conn
            .prepare_cached(&read_all_sql(false))?
            .query_map(rusqlite::params![after, limit], from_row)?
            .collect::<Result<Vec<_>, _>>()?,
        Some(prefix) => conn
            .prepare_cached(&read_all_sql(true))?
            .query_map(rusqlite::params![after, prefix, limit], from_row)?
            .collect::<Result<Vec<_>, _>>()?,
    };
    Ok(events)
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedRevision,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        self.inner.writer.append(stream, expected, events).await
    }

    async fn append_atomic(
        &self,
        parts: Vec<StreamAppend>,
    ) -> Result<Vec<AppendResult>, StoreError> {
        self.inner.writer.append_atomic(parts).await
    }

    async fn read_stream(
        &self,
        stream: &StreamName,
        from: ReadFrom,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let Some((from, descending)) = revision_range(from, direction) else {
            return Ok(Vec::new());
        };
        let stream = stream.as_str().to_owned();
        let limit = limit.min(i64::MAX as usize) as i64;
        let tail = Arc::clone(&self.inner.tail);
        self.read(move |conn| streams::read_stream(conn, &tail, &stream, from, descending, limit))
            .await
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        filter: &StreamFilter,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        self.read_after(after, filter, limit).await
    }

    async fn head(&self) -> Result<Option<Position>, StoreError> {
        Ok(Some(self.inner.head.borrow().position)
            .filter(|h| *h > 0)
            .map(Position))
    }

    /// `PRAGMA quick_check` over every page of the file (about a second per gigabyte), then a
    /// write lock taken and given back, and a file made and removed beside it: a damaged page,
    /// a read-only file or a read-only directory is named with the path.
    async fn check(&self) -> Result<(), StoreError> {
        let path = self.inner.path.clone();
        tokio::task::spawn_blocking(move || {
            let conn = quick_check(&path)?;
            let fout = |wat: &str, e: &dyn std::fmt::Display| {
                StoreError::Database(format!("{}: {wat}: {e}", path.display()))
            };
            conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")
                .map_err(|e| fout("niet schrijfbaar", &e))?;
            let proef = path.with_file_name(".traject-schrijfproef");
            std::fs::write(&proef, b"")
                .and_then(|()| std::fs::remove_file(&proef))
                .map_err(|e| {
                    StoreError::Database(format!(
                        "{}: map niet schrijfbaar: {e}",
                        proef.parent().unwrap_or(&path).display()
                    ))
                })
        })
        .await
        .map_err(|e| StoreError::Database(e.to_string()))?
    }

    /// A TRUNCATE checkpoint: every committed event is copied into the database file and the
    /// WAL file is emptied, so the file alone holds the store (a copy of `events.sqlite` after a
    /// clean stop misses nothing). Waits up to the busy timeout for readers still running.
    async fn close(&self) -> Result<(), StoreError> {
        let path = self.inner.path.clone();
        tokio::task::spawn_blocking(move || {
            let conn = Connection::open(&path)?;
            configure(&conn)?;
            let (bezig, _, _): (i64, i64, i64) =
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
            if bezig != 0 {
                return Err(StoreError::Database(format!(
                    "{}: WAL niet leeg bij afsluiten: een lezer of schrijver was nog bezig",
                    path.display()
                )));
            }
            Ok(())
        })
        .await
        .map_err(|e| StoreError::Database(e.to_string()))?
    }

    fn subscribe_all(&self, after: Option<Position>, filter: StreamFilter) -> Subscription {
        catch_up(Arc::new(self.clone()), after, filter)
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::StatementStatus;

    use super::*;

    async fn append_one(store: &SqliteStore, stream: &str) {
        let event = crate::testing::test_event(serde_json::json!({}));
        store
            .append(
                &StreamName::new(stream).unwrap(),
                ExpectedRevision::Any,
                vec![event],
            )
            .await
            .unwrap();
    }

    /// The catch-up subscription reads after every commit, each time from a new position: its
    /// cached statement must run as prepared, not be parsed and planned again for each read.
    #[tokio::test]
    async fn reading_on_from_new_positions_does_not_prepare_the_statement_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.db");
        let store = SqliteStore::open(&path).await.unwrap();
        for stream in ["traject-1", "toegangslog", "traject-2"] {
            append_one(&store, stream).await;
        }
        let conn = open_reader(&path).unwrap();
        let mapped: i64 = conn
            .pragma_query_value(None, "mmap_size", |r| r.get(0))
            .unwrap();
        assert_eq!(mapped, READER_MMAP_BYTES, "a reader maps the file");
        for filter in [StreamFilter::all(), StreamFilter::prefix("traject-")] {
            let mut gelezen = Vec::new();
            for (after, limit) in [(None, 10), (Some(1), 5), (Some(2), 7), (Some(0), 1)] {
                let events = read_all(&conn, after.map(Position), &filter, limit).unwrap();
                gelezen.push(events.iter().map(|e| e.position.0).collect::<Vec<_>>());
            }
            let verwacht: Vec<Vec<u64>> = match filter.stream_prefix() {
                None => vec![vec![1, 2, 3], vec![2, 3], vec![3], vec![1]],
                Some(_) => vec![vec![1, 3], vec![3], vec![3], vec![1]],
            };
            assert_eq!(gelezen, verwacht);
        }
        let mut herhaald = 0;
        for prefix in [false, true] {
            let statement = conn.prepare_cached(&read_all_sql(prefix)).unwrap();
            herhaald += statement.get_status(StatementStatus::RePrepare);
        }
        assert_eq!(herhaald, 0, "statements prepared again");
    }

    /// The head the writer publishes says which categories of stream each commit wrote, so the
    /// projections' subscription passes the access log's commits without reading; a store just
    /// opened knows nothing of what it holds.
    #[tokio::test]
    async fn the_published_head_names_the_categories_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.db");
        let traject = StreamFilter::prefix("traject-");
        let store = SqliteStore::open(&path).await.unwrap();
        for stream in ["traject-1", "toegangslog", "toegangslog"] {
            append_one(&store, stream).await;
        }
        let head = store.head_changes().borrow().clone();
        assert_eq!(head.position, 3);
        assert!(head.may_have_after(&traject, 0));
        assert!(!head.may_have_after(&traject, 1));
        assert!(head.may_have_after(&StreamFilter::prefix("toegangslog"), 2));
        drop(store);

        let reopened = SqliteStore::open(&path).await.unwrap();
        let head = reopened.head_changes().borrow().clone();
        assert_eq!(head.position, 3);
        assert!(head.may_have_after(&traject, 1));
        assert!(!head.may_have_after(&traject, 3));
    }
}

//! The embedded store's WAL checkpoints, kept out of the writer's commits.
//!
//! SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that commit
//! copies the WAL into the database file and fsyncs it before it returns, and every append
//! waiting behind it waits too. Here the writer's automatic checkpoint is off, and two things
//! take its place:
//!
//! - a checkpoint thread with a connection of its own runs a PASSIVE checkpoint each time the
//!   WAL has grown by [`Limits::step`] pages. It copies frames and fsyncs the database file while
//!   the writer goes on committing;
//! - a passive checkpoint never finishes while writes go on, so the WAL would never start again
//!   from its beginning and would grow without bound. When it holds [`Limits::restart`] pages, the
//!   writer runs a RESTART checkpoint between two batches. That checkpoint only copies what the
//!   checkpoint thread has not copied yet; afterwards the next commit writes the WAL from its
//!   beginning again, so the WAL file stays near `restart` pages. The restart does not wait
//!   while the checkpoint thread is copying or a reader holds an older snapshot: it is tried
//!   again after the next commit, and only from twice `restart` pages on does it wait.
//!
//! The WAL's size comes from SQLite's WAL hook, which runs on the writer's thread at each commit.

use std::cell::Cell;
use std::ffi::c_int;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::time::Instant;

use rusqlite::Connection;
use rusqlite::hooks::Wal;

use crate::error::StoreError;

/// When checkpoints run, in pages of the WAL.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// The WAL's growth, in pages, after which the checkpoint thread runs a passive checkpoint.
    pub step: u32,
    /// The WAL's size, in pages, at which the writer runs a RESTART checkpoint.
    pub restart: u32,
}

impl Default for Limits {
    /// 1,000 pages (4 MiB) as SQLite's own automatic checkpoint; a restart at 16,384 (64 MiB).
    fn default() -> Self {
        Self {
            step: 1_000,
            restart: 16_384,
        }
    }
}

thread_local! {
    /// The WAL's size in pages after the last commit on this thread's connection.
    static WAL_PAGES: Cell<u32> = const { Cell::new(0) };
}

fn note_wal_size(_wal: &Wal, pages: c_int) -> rusqlite::Result<()> {
    WAL_PAGES.set(u32::try_from(pages).unwrap_or(0));
    Ok(())
}

/// The writer's side: watches the WAL's size after each commit and decides what runs.
pub(super) struct Checkpoints {
    limits: Limits,
    /// The WAL's size when the checkpoint thread was last woken.
    woken_at: u32,
    wake: SyncSender<()>,
}

impl Checkpoints {
    /// Turns the writer connection's automatic checkpoint off (the WAL hook replaces it) and
    /// starts the checkpoint thread on a connection of its own to `path`.
    pub(super) fn start(
        writer: &Connection,
        path: &Path,
        limits: Limits,
    ) -> Result<Self, StoreError> {
        writer.wal_hook(Some(note_wal_size));
        let conn = Connection::open(path)?;
        let (wake, woken) = sync_channel(1);
        std::thread::Builder::new()
            .name("traject-sqlite-checkpoint".to_owned())
            .spawn(move || run_passive(conn, woken))
            .map_err(|e| StoreError::Database(e.to_string()))?;
        Ok(Self {
            limits,
            woken_at: 0,
            wake,
        })
    }

    /// Called by the writer after each commit, on the writer's thread.
    pub(super) fn after_commit(&mut self, writer: &Connection) {
        let pages = WAL_PAGES.get();
        if pages < self.woken_at {
            // The WAL started again from its beginning.
            self.woken_at = 0;
        }
        if pages >= self.limits.restart {
            // Up to twice the limit the restart does not wait: while the checkpoint thread is
            // copying, or a reader is on an older snapshot, it gives up at once and is tried
            // again after the next commit (when the checkpoint thread's copy is done, it has
            // little left to copy itself). Waiting there would hold every append meanwhile, in
            // SQLite's busy handler, which sleeps in steps of milliseconds. Beyond twice the
            // limit it waits, so the WAL stays bounded.
            let wachten = pages >= self.limits.restart.saturating_mul(2);
            let begin = Instant::now();
            match restart(writer, wachten) {
                Ok(true) => {
                    let ms = begin.elapsed().as_secs_f64() * 1e3;
                    tracing::debug!(pages, ms, wait = wachten, "WAL restarted by the writer");
                    self.woken_at = 0;
                }
                Ok(false) => tracing::trace!(pages, "WAL restart postponed: busy"),
                Err(e) => tracing::warn!(error = %e, "WAL checkpoint (RESTART) failed"),
            }
        } else if pages - self.woken_at >= self.limits.step {
            match self.wake.try_send(()) {
                Ok(()) | Err(TrySendError::Full(())) => self.woken_at = pages,
                Err(TrySendError::Disconnected(())) => {
                    tracing::warn!("WAL checkpoint thread is gone");
                }
            }
        }
    }
}

/// The checkpoint thread: a passive checkpoint each time it is woken, until the writer is gone.
fn run_passive(conn: Connection, woken: Receiver<()>) {
    while woken.recv().is_ok() {
        let begin = Instant::now();
        match checkpoint(&conn, "PASSIVE") {
            Ok(_) => {
                let ms = begin.elapsed().as_secs_f64() * 1e3;
                tracing::trace!(ms, "WAL checkpoint (PASSIVE)");
            }
            Err(e) => tracing::warn!(error = %e, "WAL checkpoint (PASSIVE) failed"),
        }
    }
}

/// A RESTART checkpoint on the writer's connection; with `wachten` false, without waiting for
/// another checkpoint or a reader (the connection's busy timeout is set aside meanwhile).
/// `false` when it could not finish.
fn restart(writer: &Connection, wachten: bool) -> Result<bool, StoreError> {
    if wachten {
        return checkpoint(writer, "RESTART");
    }
    writer.busy_timeout(std::time::Duration::ZERO)?;
    let uitkomst = checkpoint(writer, "RESTART");
    writer.busy_timeout(std::time::Duration::from_millis(u64::from(
        super::BUSY_TIMEOUT_MS,
    )))?;
    uitkomst
}

/// Runs a checkpoint in `mode`; `false` when it could not finish (SQLite's busy flag).
fn checkpoint(conn: &Connection, mode: &str) -> Result<bool, StoreError> {
    let busy: i64 = conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |row| {
        row.get(0)
    })?;
    Ok(busy == 0)
}

#[cfg(test)]
mod tests {
    use crate::EventStore;
    use crate::sqlite::SqliteStore;
    use crate::types::{Direction, ExpectedRevision, NewEvent, ReadFrom, StreamName};

    use super::Limits;

    const PAGE: u64 = 4096;

    fn event(n: usize) -> NewEvent {
        crate::testing::test_event(serde_json::json!({ "n": n, "opvulling": "x".repeat(200) }))
    }

    /// Sustained single-event commits with readers in between: without the writer's RESTART the
    /// WAL would hold every frame written (thousands of pages); with it, the WAL file never
    /// grows much past twice the restart limit, and every event is there after reopening.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_wal_stays_bounded_under_sustained_writes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("events.db");
        let limits = Limits {
            step: 50,
            restart: 200,
        };
        let store = SqliteStore::open_with(&path, limits).await.unwrap();
        let stream = StreamName::new("traject-wal").unwrap();
        let events = 3_000;
        for n in 0..events {
            store
                .append(&stream, ExpectedRevision::Any, vec![event(n)])
                .await
                .unwrap();
            if n % 100 == 0 {
                store
                    .read_stream(&stream, ReadFrom::Start, Direction::Forwards, 10)
                    .await
                    .unwrap();
            }
        }
        let wal = std::fs::metadata(dir.path().join("events.db-wal"))
            .unwrap()
            .len();
        let written = store.head().await.unwrap().map_or(0, |p| p.0);
        assert_eq!(written, events as u64);
        assert!(
            // The writer waits for its restart from twice the limit on, after a batch.
            wal < 3 * u64::from(limits.restart) * (PAGE + 24),
            "the WAL grew to {wal} bytes ({} pages)",
            wal / (PAGE + 24)
        );
        drop(store);
        let reopened = SqliteStore::open(&path).await.unwrap();
        let read = reopened
            .read_stream(&stream, ReadFrom::Start, Direction::Forwards, events + 1)
            .await
            .unwrap();
        assert_eq!(read.len(), events);
    }
}

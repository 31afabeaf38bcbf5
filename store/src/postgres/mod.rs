//! The PostgreSQL event store, for several API instances sharing one store.
//!
//! Appends go through a group-commit writer ([`writer`]) that keeps the global order gap-free;
//! live subscriptions are woken by LISTEN/NOTIFY ([`listener`]), so every instance sees the
//! others' appends. A notification names the categories of stream its commit wrote
//! ([`notification`]), so a filtered subscription passes over other streams' commits without
//! reading, whichever instance made them.

mod listener;
mod notification;
mod rows;
mod schema;
mod writer;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_postgres::NoTls;

use crate::EventStore;
use crate::error::StoreError;
use crate::subscription::{Feed, Head, Subscription, catch_up};
use crate::types::{
    AppendResult, Direction, ExpectedRevision, NewEvent, Position, ReadFrom, RecordedEvent,
    StreamAppend, StreamFilter, StreamName, revision_range,
};
use crate::writer::{Encoding, Submitter, queue};
use rows::{COLUMNS, from_row};

/// The statement that reads the store's head: the highest position stored, 0 when empty.
const HEAD: &str = "SELECT coalesce(max(position), 0) FROM events";

/// How to reach the database and where the store's tables live.
#[derive(Clone)]
pub struct PostgresConfig {
    /// A `postgres://` URL.
    pub url: String,
    /// The schema that holds the store's tables (created if missing).
    pub schema: String,
    /// The most pooled connections for reading (the writer has one of its own).
    pub pool_size: usize,
}

impl std::fmt::Debug for PostgresConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may hold a password.
        f.debug_struct("PostgresConfig")
            .field("url", &"<verborgen>")
            .field("schema", &self.schema)
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

impl PostgresConfig {
    /// The store at `url`, in the schema `traject`, with a pool of 16 connections.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            schema: "traject".to_owned(),
            pool_size: 16,
        }
    }
}

/// The PostgreSQL event store.
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<PostgresInner>,
}

struct PostgresInner {
    pool: Pool,
    writer: Submitter,
    head: Arc<watch::Sender<Head>>,
    listener: JoinHandle<()>,
}

impl Drop for PostgresInner {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl PostgresStore {
    /// Connects, migrates the schema, and starts the writer and the listener.
    pub async fn connect(config: PostgresConfig) -> Result<Self, StoreError> {
        let schema = &config.schema;
        let valid = !schema.is_empty()
            && schema.len() <= 48
            && schema.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(StoreError::Database(
                "schema: moet 1 tot 48 tekens uit a-z 0-9 _ zijn".to_owned(),
            ));
        }
        let mut pg = tokio_postgres::Config::from_str(&config.url)
            .map_err(|e| StoreError::Database(format!("database-URL: {e}")))?;
        // Statements are prepared once per connection. A prepared statement may get a generic
        // plan after five runs, made while the table was small (a scan rather than the index);
        // on a growing table each read then costs more than the one before. On the readers'
        // connections plans are made for each run's values instead, as for unprepared
        // statements. The writer's connection plans once for any values: its common statement
        // is a call of `traject_append` (or `traject_append_one`), whose plan depends on nothing
        // (planning that call at each append cost a single append about 8 %), and so are the
        // statements inside those functions; none of its statements may scan the table, so that
        // a plan made while the table was small still uses an index once it has grown. Set for
        // the connection, not on the functions: a function's own settings are set and undone at
        // every call, which cost a single append 2-9 % (BENCHMARKS.md). Its other statements
        // ask for plans of their own values in their transaction (see `writer`).
        pg.options(format!("-c search_path={schema}"));
        let mut reading = pg.clone();
        reading.options(format!(
            "-c search_path={schema} -c plan_cache_mode=force_custom_plan"
        ));
        let mut writing = pg.clone();
        writing.options(format!(
            "-c search_path={schema} -c plan_cache_mode=force_generic_plan -c enable_seqscan=off"
        ));
        let lock_key = lock_key("events", schema);
        let channel = format!("traject_events_{schema}");

        let (mut client, connection) = pg.connect(NoTls).await?;
        let driver = tokio::spawn(connection);
        schema::migrate(&mut client, schema, lock_key).await?;
        let head: i64 = client.query_one(HEAD, &[]).await?.get(0);
        drop(client);
        let _ = driver.await;

        let pool_of = |config: &tokio_postgres::Config, size: usize| {
            let manager = Manager::from_config(
                config.clone(),
                NoTls,
                ManagerConfig {
                    recycling_method: RecyclingMethod::Fast,
                },
            );
            Pool::builder(manager)
                .max_size(size)
                .build()
                .map_err(|e| StoreError::Database(e.to_string()))
        };
        let pool = pool_of(&reading, config.pool_size.max(2))?;
        let (head_tx, _) = watch::channel(Head::unknown(head as u64));
        let head = Arc::new(head_tx);
        let (requests, queue) = queue(Encoding::Values);
        let pending = Arc::new(notification::Pending::default());
        // The writer writes one batch at a time, on one connection of its own, which
        // pg_stat_activity shows by its name (whole: at most 15 + 48 of the 63 bytes kept).
        let mut writer_config = writing.clone();
        writer_config.application_name(format!("traject-writer {schema}"));
        let writer = writer::Writer {
            config: writer_config,
            lock_key,
            head: Arc::clone(&head),
            pending: Arc::clone(&pending),
        };
        tokio::spawn(writer.run(queue));
        // The listener reads the head too: with the writer's settings, by the index.
        let listener = tokio::spawn(listener::run(writing, channel, Arc::clone(&head), pending));
        Ok(Self {
            inner: Arc::new(PostgresInner {
                pool,
                writer: requests,
                head,
                listener,
            }),
        })
    }
}

/// How long [`PostgresStore::check`] asks again while the database cannot be reached: long
/// enough for a restart or a failover, short enough that a server which will not get an answer
/// stops and says why.
const CONTROLE_GEDULD: Duration = Duration::from_secs(120);

/// Why [`PostgresStore::check`]'s question got no answer.
enum Vraag {
    /// The database answered with an error: that is its verdict.
    Antwoord(StoreError),
    /// No connection, or one lost or refused while asking (connection errors, SQLSTATE class
    /// 08, and 57P01-57P03: shutting down or starting up): ask again.
    Onbereikbaar(StoreError),
}

impl PostgresStore {
    /// `transaction_read_only` of a connection of the pool.
    async fn vraag_alleen_lezen(&self) -> Result<String, Vraag> {
        let client = self.inner.pool.get().await.map_err(|e| {
            let opnieuw = matches!(&e, deadpool_postgres::PoolError::Backend(e) if onbereikbaar(e));
            if opnieuw {
                Vraag::Onbereikbaar(e.into())
            } else {
                Vraag::Antwoord(e.into())
            }
        })?;
        match client.query_one("SHOW transaction_read_only", &[]).await {
            Ok(rij) => Ok(rij.get(0)),
            Err(e) if onbereikbaar(&e) => Err(Vraag::Onbereikbaar(e.into())),
            Err(e) => Err(Vraag::Antwoord(e.into())),
        }
    }
}

/// Whether `e` says the database could not be reached rather than what it holds: a closed
/// connection, a network error (refused, reset, aborted, cut off, timed out, unreachable),
/// SQLSTATE class 08, or 57P01-57P03 (shutting down, starting up). Any other error, such as a
/// failed authentication or a server refusing writes, is the database's answer.
fn onbereikbaar(e: &tokio_postgres::Error) -> bool {
    use std::error::Error as _;
    use std::io::ErrorKind as K;
    if let Some(code) = e.code() {
        let code = code.code();
        return code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03");
    }
    e.is_closed()
        || e.source()
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .is_some_and(|io| {
                matches!(
                    io.kind(),
                    K::ConnectionRefused
                        | K::ConnectionReset
                        | K::ConnectionAborted
                        | K::BrokenPipe
                        | K::UnexpectedEof
                        | K::TimedOut
                        | K::NotConnected
                        | K::HostUnreachable
                        | K::NetworkUnreachable
                        | K::AddrNotAvailable
                )
            })
}

/// The advisory-lock key of a schema's store: a stable hash of its name (FNV-1a), so that
/// stores in different schemas of one database do not serialise each other.
fn lock_key(kind: &str, schema: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("traject-{kind}:{schema}").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

#[async_trait]
impl Feed for PostgresStore {
    async fn read_after(
        &self,
        after: Option<Position>,
        filter: &StreamFilter,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let client = self.inner.pool.get().await?;
        let after = after.map_or(0, |p| p.0 as i64);
        let limit = limit.min(i64::MAX as usize) as i64;
        let rows = match filter.stream_prefix() {
            None => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2"
                );
                let stmt = client.prepare_cached(&sql).await?;
                client.query(&stmt, &[&after, &limit]).await?
            }
            Some(prefix) => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM events WHERE position > $1 AND starts_with(stream, $2)
                     ORDER BY position LIMIT $3"
                );
                let stmt = client.prepare_cached(&sql).await?;
                client.query(&stmt, &[&after, &prefix, &limit]).await?
            }
        };
        rows.iter().map(from_row).collect()
    }

    fn head_changes(&self) -> watch::Receiver<Head> {
        self.inner.head.subscribe()
    }
}

#[async_trait]
impl EventStore for PostgresStore {
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
        let condition = if descending {
            "revision <= $2 ORDER BY revision DESC"
        } else {
            "revision >= $2 ORDER BY revision"
        };
        let limit = limit.min(i64::MAX as usize) as i64;
        let client = self.inner.pool.get().await?;
        let sql =
            format!("SELECT {COLUMNS} FROM events WHERE stream = $1 AND {condition} LIMIT $3");
        let stmt = client.prepare_cached(&sql).await?;
        let rows = client
            .query(&stmt, &[&stream.as_str(), &from, &limit])
            .await?;
        rows.iter().map(from_row).collect()
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
        let client = self.inner.pool.get().await?;
        let head: i64 = client.query_one(HEAD, &[]).await?.get(0);
        Ok(Some(head as u64).filter(|h| *h > 0).map(Position))
    }

    /// The database answers and takes writes (not a standby in recovery, not read-only).
    ///
    /// Only the database's answer decides: a connection that cannot be made or is lost while
    /// asking is asked again (after 0.1 s, doubling up to 5 s), so that a database that is
    /// briefly away while a server starts does not stop it; meanwhile the server is not ready.
    /// After two minutes without an answer the check fails, naming the last error.
    async fn check(&self) -> Result<(), StoreError> {
        let tot = tokio::time::Instant::now() + CONTROLE_GEDULD;
        let mut wacht = Duration::from_millis(100);
        loop {
            match self.vraag_alleen_lezen().await {
                Ok(alleen_lezen) if alleen_lezen == "on" => {
                    return Err(StoreError::Database(
                        "PostgreSQL: de database neemt geen schrijfacties aan (transaction_read_only; een standby?)"
                            .to_owned(),
                    ));
                }
                Ok(_) => return Ok(()),
                Err(Vraag::Antwoord(e)) => return Err(e),
                Err(Vraag::Onbereikbaar(e)) if tokio::time::Instant::now() >= tot => {
                    return Err(StoreError::Database(format!(
                        "PostgreSQL: na {} s nog onbereikbaar: {e}",
                        CONTROLE_GEDULD.as_secs()
                    )));
                }
                Err(Vraag::Onbereikbaar(e)) => {
                    tracing::warn!(error = %e, retry_ms = wacht.as_millis() as u64, "store check: the database cannot be reached; asking again");
                    tokio::time::sleep(wacht).await;
                    wacht = (wacht * 2).min(Duration::from_secs(5));
                }
            }
        }
    }

    fn subscribe_all(&self, after: Option<Position>, filter: StreamFilter) -> Subscription {
        catch_up(Arc::new(self.clone()), after, filter)
    }
}

//! The PostgreSQL store's writer: group commit with a gap-free global order.
//!
//! Each batch is one transaction that first takes a transaction-level advisory lock and then
//! numbers its events after the highest stored position. PostgreSQL makes a commit visible
//! before it releases the transaction's locks, so the next writer sees every lower position
//! committed: a reader can never receive position P and later a lower position that committed
//! late (the trap with sequences and concurrent transactions). The lock serialises the writers
//! of all API instances; under it the batch is decided in memory ([`crate::batch`]) from two
//! reads and written with one insert.
//!
//! Almost every batch expects exact revisions (or new streams, or appends at any revision) and
//! holds no event id stored before: such a batch is planned on that assumption and written by one
//! call of the function `traject_append_batch` (migration 6), which checks the assumption under
//! the lock and writes only when it holds: one round trip, as a coach's append should cost. It
//! checks a stream it writes to with one index lookup and leaves the rest to the unique keys the
//! insert checks anyway (a key found taken undoes the insert and answers no head); a stream the
//! batch only names as a condition, by reading its last revision; a stream appended to at any
//! revision it numbers itself, after its last revision. A
//! batch of one event, a single coach's append, calls `traject_append_one` (migration 4, as
//! redefined) instead: the same function with a parameter per value rather than arrays of one
//! element. Any other batch, and one whose assumption did not hold (a retry, a duplicate, a
//! conflict), reads what the store holds and is planned again: two round trips, each a pipeline
//! of prepared statements. The commit is not notified in its transaction: once written it moves
//! this instance's head and goes to the listener, which notifies the other instances
//! ([`super::notification::Pending`]).
//!
//! The writer keeps one connection of its own and drives it in its own task ([`Verbinding`]):
//! a statement is sent and its answer read by the task that waits for it. Through a pooled
//! connection, whose driver is a task of its own, every append cost two more hand-overs
//! between tasks, which a single coach's append on two cores feels.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;

use chrono::Utc;
use tokio::sync::watch;
use tokio_postgres::tls::NoTlsStream;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Connection, NoTls, Socket, Statement};

use super::notification::{Commit, Pending, advance};
use super::rows::{COLUMNS, from_row};
use crate::batch::{Append, Known, Plan, Row, plan};
use crate::error::StoreError;
use crate::subscription::Head;
use crate::types::{AppendResult, ExpectedRevision, Position};
use crate::writer::{BatchResults, Queue};

/// What the writer needs to know of its store.
pub(super) struct Writer {
    /// The writer's connection: its own, with the settings of `connect`.
    pub config: tokio_postgres::Config,
    pub lock_key: i64,
    pub head: Arc<watch::Sender<Head>>,
    /// What the listener is to notify.
    pub pending: Arc<Pending>,
}

impl Writer {
    /// Runs until every caller is gone. Connects when a batch comes and there is no
    /// connection; a connection that ends (also while no batch is written) is dropped, and the
    /// next batch connects again. A batch that cannot connect fails, as does one whose
    /// connection is lost while it is written.
    pub(super) async fn run(self, mut queue: Queue) {
        let mut verbinding: Option<Verbinding> = None;
        loop {
            let volgende = match verbinding.as_mut().and_then(|v| v.driver.as_mut()) {
                // Between batches the connection is driven too, so that one the server closed
                // is noticed before a batch is sent on it.
                Some(driver) => tokio::select! {
                    biased;
                    uitkomst = driver.as_mut() => Volgende::Gesloten(uitkomst),
                    b = queue.next_batch() => Volgende::Batch(b),
                },
                None => Volgende::Batch(queue.next_batch().await),
            };
            let appends = match volgende {
                Volgende::Batch(Some(appends)) => appends,
                Volgende::Batch(None) => return,
                Volgende::Gesloten(uitkomst) => {
                    verbinding = None;
                    gesloten(uitkomst);
                    continue;
                }
            };
            let v = match verbinding.as_mut() {
                Some(v) => v,
                None => match self.config.connect(NoTls).await {
                    Ok((client, driver)) => verbinding.insert(Verbinding {
                        client,
                        driver: Some(Box::pin(driver)),
                        statements: Mutex::new(HashMap::new()),
                    }),
                    Err(e) => {
                        queue.answer(Err(e.into()));
                        continue;
                    }
                },
            };
            let Verbinding {
                client,
                driver,
                statements,
            } = v;
            let sessie = Sessie { client, statements };
            let uitkomst = gedreven(driver, self.write_batch(&sessie, &appends)).await;
            let (outcome, written) = match uitkomst {
                Ok((results, commit)) => (Ok(results), commit),
                Err(e) => (Err(e), None),
            };
            if driver.is_none() {
                verbinding = None;
            }
            if let Some(commit) = &written {
                advance(&self.head, commit);
            }
            queue.answer(outcome);
            // The other instances learn of it after the callers here.
            if let Some(commit) = written {
                self.pending.push(commit);
            }
        }
    }

    /// Writes the batch; returns each append's result and the commit, if anything was written.
    ///
    /// The common batch in one round trip ([`Self::in_een_keer`]); any other in two, each a
    /// pipeline of prepared statements sent in one go: `BEGIN`, the plans' setting, the lock and
    /// the three reads; then the insert and `COMMIT`.
    /// (One statement at a time, with a parse per statement, it took fourteen.) Whatever fails,
    /// the transaction is rolled back before the next batch.
    async fn write_batch(
        &self,
        client: &Sessie<'_>,
        appends: &[Vec<Append<'_>>],
    ) -> Result<(BatchResults, Option<Commit>), StoreError> {
        if let Some(eenvoudig) = Eenvoudig::van(appends) {
            match self.in_een_keer(client, &eenvoudig).await {
                Ok(Some((head, bases))) => return Ok(eenvoudig.na(head, &bases)),
                // What the batch assumed did not hold: nothing was written; the full way.
                Ok(None) => {}
                Err(e) => {
                    let _ = client.batch_execute("ROLLBACK").await;
                    return Err(e);
                }
            }
        }
        let uitkomst = self.in_transaction(client, appends).await;
        if uitkomst.is_err() {
            // After a failed statement the transaction is aborted (or already over, when the
            // COMMIT of the pipeline answered for it): end it either way.
            let _ = client.batch_execute("ROLLBACK").await;
        }
        uitkomst
    }

    /// The common batch in one round trip: [`APPEND`], one statement that is its own
    /// transaction. The head the rows were written after and the revision at which each stream
    /// of [`Eenvoudig::any`] went on, or `None` when the batch's assumption did not hold (then
    /// nothing was written).
    async fn in_een_keer(
        &self,
        client: &Sessie<'_>,
        b: &Eenvoudig<'_>,
    ) -> Result<Option<(i64, Vec<i64>)>, StoreError> {
        if let ([row], [last_revision], [], []) = (
            b.plan.rows.as_slice(),
            b.last_revisions.as_slice(),
            b.conditions.as_slice(),
            b.any.as_slice(),
        ) {
            let head = self.een_event(client, row, *last_revision).await?;
            return Ok(head.map(|h| (h, Vec::new())));
        }
        let append = client.prepare_cached(APPEND).await?;
        let k = Kolommen::van(&b.plan.rows, Utc::now());
        let params: [&(dyn ToSql + Sync); 15] = [
            &self.lock_key,
            &b.streams,
            &b.last_revisions,
            &b.conditions,
            &b.condition_revisions,
            &b.any,
            &k.positions,
            &k.ids,
            &k.streams,
            &k.revisions,
            &k.types,
            &k.versions,
            &k.recorded,
            &k.data,
            &k.metadata,
        ];
        // One statement outside a transaction block is its own transaction.
        let row = client.query_one(&append, &params).await?;
        let head: Option<i64> = row.get(0);
        Ok(head.map(|h| (h, row.get::<_, Option<Vec<i64>>>(1).unwrap_or_default())))
    }

    /// [`Self::in_een_keer`] for a batch of one event: [`APPEND_ONE`].
    async fn een_event(
        &self,
        client: &Sessie<'_>,
        row: &Row<'_>,
        last_revision: i64,
    ) -> Result<Option<i64>, StoreError> {
        let append = client.prepare_cached(APPEND_ONE).await?;
        let metadata = serde_json::to_value(&row.event.metadata).expect("metadata serialises");
        let params: [&(dyn ToSql + Sync); 12] = [
            &self.lock_key,
            &NO_CHANNEL,
            &row.stream.as_str(),
            &last_revision,
            &row.event.id,
            &(row.revision as i64),
            &row.event.event_type,
            &(row.event.schema_version as i32),
            &row.event.recorded_at.unwrap_or_else(Utc::now),
            &row.event.data,
            &metadata,
            // The notification's category: none, as there is no notification.
            &NO_CATEGORY,
        ];
        Ok(client.query_one(&append, &params).await?.get(0))
    }

    async fn in_transaction(
        &self,
        client: &Sessie<'_>,
        appends: &[Vec<Append<'_>>],
    ) -> Result<(BatchResults, Option<Commit>), StoreError> {
        let begin = client.prepare_cached("BEGIN").await?;
        // The writer's connection may plan a statement once for any values (see `connect`);
        // these reads are planned for their own values, as the readers' are.
        let own_plans = client
            .prepare_cached("SET LOCAL plan_cache_mode = force_custom_plan")
            .await?;
        let lock = client
            .prepare_cached("SELECT pg_advisory_xact_lock($1)")
            .await?;
        let head = client.prepare_cached(super::HEAD).await?;
        let stored = client
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM events WHERE event_id = ANY($1)"
            ))
            .await?;
        let revisions = client.prepare_cached(LAST_REVISIONS).await?;
        let ids: Vec<uuid::Uuid> = appends
            .iter()
            .flatten()
            .flat_map(|r| r.events.iter().map(|e| e.id))
            .collect();
        let mut streams: Vec<&str> = appends
            .iter()
            .flatten()
            .map(|r| r.stream.as_str())
            .collect();
        streams.sort_unstable();
        streams.dedup();
        // Sent together; PostgreSQL answers in order.
        let lock_params: [&(dyn ToSql + Sync); 1] = [&self.lock_key];
        let id_params: [&(dyn ToSql + Sync); 1] = [&ids];
        let stream_params: [&(dyn ToSql + Sync); 1] = [&streams];
        let (_, _, _, head, stored, revisions) = tokio::try_join!(
            client.execute(&begin, &[]),
            client.execute(&own_plans, &[]),
            client.execute(&lock, &lock_params),
            client.query_one(&head, &[]),
            client.query(&stored, &id_params),
            client.query(&revisions, &stream_params),
        )?;
        let known = known(head.get(0), &stored, &revisions)?;
        let recorded_at = Utc::now();
        let plan = plan(appends, known);
        let commit = Commit::of(plan.rows.iter().map(|r| (r.stream.as_str(), r.position.0)));
        let einde = client.prepare_cached("COMMIT").await?;
        if commit.is_some() {
            let insert = client.prepare_cached(INSERT).await?;
            let k = Kolommen::van(&plan.rows, recorded_at);
            let insert_params: [&(dyn ToSql + Sync); 9] = [
                &k.positions,
                &k.ids,
                &k.streams,
                &k.revisions,
                &k.types,
                &k.versions,
                &k.recorded,
                &k.data,
                &k.metadata,
            ];
            tokio::try_join!(
                client.execute(&insert, &insert_params),
                client.execute(&einde, &[]),
            )?;
        } else {
            client.execute(&einde, &[]).await?;
        }
        Ok((plan.results, commit))
    }
}

/// The driver of the writer's connection: the future that sends what the client queued and
/// hands it the answers.
type Driver = Connection<Socket, NoTlsStream>;

/// The writer's connection and the statements prepared on it.
struct Verbinding {
    client: Client,
    /// `None` once the connection ended (dropped, so that what its client waits for fails).
    driver: Option<Pin<Box<Driver>>>,
    statements: Mutex<HashMap<String, Statement>>,
}

/// What ended the wait between batches.
enum Volgende<B> {
    Batch(Option<B>),
    /// The connection ended, with its driver's outcome.
    Gesloten(Result<(), tokio_postgres::Error>),
}

/// Says why the connection ended.
fn gesloten(uitkomst: Result<(), tokio_postgres::Error>) {
    match uitkomst {
        Ok(()) => tracing::warn!("event store writer: the server closed the connection"),
        Err(e) => tracing::warn!(error = %e, "event store writer: connection lost"),
    }
}

/// The client of the writer's connection for one batch, with its statements prepared once.
struct Sessie<'a> {
    client: &'a Client,
    statements: &'a Mutex<HashMap<String, Statement>>,
}

impl Sessie<'_> {
    /// `sql` prepared on this connection, once.
    async fn prepare_cached(&self, sql: &str) -> Result<Statement, tokio_postgres::Error> {
        if let Some(s) = self.statements.lock().expect("statements").get(sql) {
            return Ok(s.clone());
        }
        let statement = self.client.prepare(sql).await?;
        self.statements
            .lock()
            .expect("statements")
            .insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl Deref for Sessie<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client
    }
}

/// Runs `werk`, which uses the connection's client, while driving the connection in the same
/// task. A connection that ends is dropped (`driver` becomes `None`), so that whatever `werk`
/// still waits for fails as closed rather than waiting for ever.
async fn gedreven<T>(driver: &mut Option<Pin<Box<Driver>>>, werk: impl Future<Output = T>) -> T {
    let mut werk = std::pin::pin!(werk);
    std::future::poll_fn(|cx| {
        // The work queues its statements, the driver sends them and hands over the answers
        // that came, and the work takes them at once: twice, so that a statement sent after an
        // answer goes out in the same turn.
        for _ in 0..2 {
            if let Poll::Ready(t) = werk.as_mut().poll(cx) {
                return Poll::Ready(t);
            }
            if let Some(d) = driver.as_mut()
                && let Poll::Ready(uitkomst) = d.as_mut().poll(cx)
            {
                gesloten(uitkomst);
                *driver = None;
            }
        }
        Poll::Pending
    })
    .await
}

/// A batch's rows as the columns of `events`, one array each, as both ways of writing bind
/// them (positions, or offsets after the head when written by `traject_append_batch`).
struct Kolommen<'a> {
    positions: Vec<i64>,
    ids: Vec<uuid::Uuid>,
    streams: Vec<&'a str>,
    revisions: Vec<i64>,
    types: Vec<&'a str>,
    versions: Vec<i32>,
    recorded: Vec<chrono::DateTime<Utc>>,
    data: Vec<&'a serde_json::Value>,
    metadata: Vec<serde_json::Value>,
}

impl<'a> Kolommen<'a> {
    /// The columns of `rows`; an event without a recording time gets `recorded_at`.
    fn van(rows: &[Row<'a>], recorded_at: chrono::DateTime<Utc>) -> Self {
        Self {
            positions: rows.iter().map(|r| r.position.0 as i64).collect(),
            ids: rows.iter().map(|r| r.event.id).collect(),
            streams: rows.iter().map(|r| r.stream.as_str()).collect(),
            revisions: rows.iter().map(|r| r.revision as i64).collect(),
            types: rows.iter().map(|r| r.event.event_type.as_str()).collect(),
            versions: rows.iter().map(|r| r.event.schema_version as i32).collect(),
            recorded: rows
                .iter()
                .map(|r| r.event.recorded_at.unwrap_or(recorded_at))
                .collect(),
            data: rows.iter().map(|r| &r.event.data).collect(),
            metadata: rows
                .iter()
                .map(|r| serde_json::to_value(&r.event.metadata).expect("metadata serialises"))
                .collect(),
        }
    }
}

/// The append functions' channel: none, so that they do not notify (migration 5).
const NO_CHANNEL: Option<&str> = None;

/// `traject_append_one`'s category for the notification it does not send.
const NO_CATEGORY: Option<&str> = None;

/// The one statement of [`Writer::in_een_keer`]: the function of migration 6.
const APPEND: &str = "SELECT o_head, o_bases
     FROM traject_append_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

/// [`APPEND`] for a batch of one event: the function of migrations 4 and 5, each value a
/// parameter.
const APPEND_ONE: &str =
    "SELECT traject_append_one($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";

/// A batch planned on the assumption that holds for almost every batch: each stream is where
/// its first append expects it (an exact revision, or no stream yet) and no event id is stored.
/// Positions are planned from 0 and become offsets after the head the store has.
struct Eenvoudig<'a> {
    plan: Plan<'a>,
    /// Each stream the batch writes rows to, once, with the last revision assumed (-1: no
    /// stream).
    streams: Vec<&'a str>,
    last_revisions: Vec<i64>,
    /// Each stream the batch only names as a condition (no rows of it), the same way.
    conditions: Vec<&'a str>,
    condition_revisions: Vec<i64>,
    /// Each stream the batch appends to at whatever revision it has, once. Its rows are planned
    /// as if it were new; the function moves them after the stream's last revision and answers
    /// where each such stream went on.
    any: Vec<&'a str>,
    /// Per unit, per append: the index in `any` of its stream, if it is one of those.
    any_of: Vec<Vec<Option<usize>>>,
    /// The commit as planned, with offsets for positions.
    commit: Commit,
}

impl<'a> Eenvoudig<'a> {
    /// The batch so planned, or `None` when it is not of that kind (an append that expects an
    /// existing stream, a condition on a stream at any revision, a stream appended to at any
    /// revision and with an expectation in the same batch, or an append that would fail even
    /// under the assumption).
    fn van(appends: &'a [Vec<Append<'a>>]) -> Option<Self> {
        let mut streams: Vec<&'a str> = Vec::new();
        let mut last_revisions = Vec::new();
        let mut any: Vec<&'a str> = Vec::new();
        let mut known = Known::default();
        for append in appends.iter().flatten() {
            let stream = append.stream.as_str();
            if any.contains(&stream) {
                // Planned as if new: only more appends at any revision keep their meaning.
                if append.expected != ExpectedRevision::Any || append.events.is_empty() {
                    return None;
                }
                continue;
            }
            if streams.contains(&stream) {
                continue;
            }
            let last = match append.expected {
                ExpectedRevision::Exact(r) => Some(r),
                ExpectedRevision::NoStream => None,
                ExpectedRevision::Any if !append.events.is_empty() => {
                    any.push(stream);
                    continue;
                }
                _ => return None,
            };
            streams.push(stream);
            last_revisions.push(last.map_or(-1, |r| r as i64));
            if let Some(r) = last {
                known.revisions.insert(stream.to_owned(), r);
            }
        }
        let plan = plan(appends, known);
        if plan.rows.is_empty() || plan.results.iter().any(Result::is_err) {
            return None;
        }
        let commit = Commit::of(plan.rows.iter().map(|r| (r.stream.as_str(), r.position.0)))?;
        // The function checks a stream it writes to by its rows, and one without rows by reading
        // its last revision (migration 6).
        let with_rows: HashSet<&str> = plan.rows.iter().map(|r| r.stream.as_str()).collect();
        let (written, conditions): (Vec<_>, Vec<_>) = streams
            .into_iter()
            .zip(last_revisions)
            .partition(|(stream, _)| with_rows.contains(stream));
        let (streams, last_revisions) = written.into_iter().unzip();
        let (conditions, condition_revisions) = conditions.into_iter().unzip();
        let any_of = appends
            .iter()
            .map(|unit| {
                unit.iter()
                    .map(|a| any.iter().position(|s| *s == a.stream.as_str()))
                    .collect()
            })
            .collect();
        Some(Self {
            plan,
            streams,
            last_revisions,
            conditions,
            condition_revisions,
            any,
            any_of,
            commit,
        })
    }

    fn na_commit(&self, head: u64) -> Commit {
        Commit {
            first: self.commit.first + head,
            head: self.commit.head + head,
            categories: self
                .commit
                .categories
                .as_ref()
                .map(|c| c.iter().map(|(n, o)| (n.clone(), o + head)).collect()),
        }
    }

    /// The outcome once written after `head`, each stream of [`Self::any`] going on at its
    /// revision in `bases`.
    fn na(self, head: i64, bases: &[i64]) -> (BatchResults, Option<Commit>) {
        let head = head as u64;
        let commit = self.na_commit(head);
        let results = self
            .plan
            .results
            .into_iter()
            .zip(&self.any_of)
            .map(|(r, any_of)| {
                r.map(|unit| {
                    unit.into_iter()
                        .zip(any_of)
                        .map(|(a, any)| AppendResult {
                            revision: a.revision
                                + any.and_then(|i| bases.get(i)).map_or(0, |b| *b as u64),
                            position: Position(a.position.0 + head),
                        })
                        .collect()
                })
            })
            .collect();
        (results, Some(commit))
    }
}

/// The batch's rows, in one statement.
const INSERT: &str = "INSERT INTO events (position, event_id, stream, revision, event_type, schema_version, recorded_at, data, metadata)
     SELECT p, i, s, r, t, v, o, d, m
     FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::int[], $7::timestamptz[], $8::jsonb[], $9::jsonb[])
          AS u(p, i, s, r, t, v, o, d, m)";

/// The last revision of each of the streams `$1` (none for a stream without events). One `max`
/// per stream, which PostgreSQL answers from the end of the (stream, revision) index;
/// `WHERE stream = ANY($1) GROUP BY stream` read every event of each stream instead, so for the
/// access log, which grows with every read, each batch cost more than the one before.
const LAST_REVISIONS: &str = "SELECT s, (SELECT max(revision) FROM events WHERE stream = s)
     FROM unnest($1::text[]) AS s";

/// What the store holds of the batch's event ids and streams, from the reads under the lock:
/// the head, the stored events among the batch's ids and the streams' last revisions.
fn known(
    head: i64,
    stored: &[tokio_postgres::Row],
    revisions: &[tokio_postgres::Row],
) -> Result<Known, StoreError> {
    let mut known = Known {
        head: head as u64,
        ..Known::default()
    };
    for row in stored {
        let event = from_row(row)?;
        known.events.insert(event.id, event);
    }
    for row in revisions {
        if let Some(last) = row.get::<_, Option<i64>>(1) {
            known.revisions.insert(row.get(0), last as u64);
        }
    }
    Ok(known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EventStore, ExpectedRevision, PostgresStore, StreamName};

    /// The rows PostgreSQL read from `events` to run `query`, from its plan as executed.
    fn rows_read(plan: &serde_json::Value) -> f64 {
        let own = if plan["Relation Name"] == "events" {
            plan["Actual Rows"].as_f64().unwrap_or(0.0)
                * plan["Actual Loops"].as_f64().unwrap_or(1.0)
        } else {
            0.0
        };
        let children = plan["Plans"]
            .as_array()
            .map_or(0.0, |ps| ps.iter().map(rows_read).sum());
        own + children
    }

    /// A store in a scratch schema `naam` and a connection of the test's own to its database;
    /// `None` without PostgreSQL.
    async fn store_en_verbinding(
        naam: &str,
    ) -> Option<(
        crate::testing::TestSchema,
        PostgresStore,
        tokio_postgres::Client,
    )> {
        let url = crate::testing::postgres_url()?;
        let schema = crate::testing::TestSchema::new(&url, naam);
        let store = PostgresStore::connect(schema.config()).await.unwrap();
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        Some((schema, store, client))
    }

    #[tokio::test]
    async fn a_streams_last_revision_is_read_without_reading_the_stream() {
        let Some((schema, store, client)) = store_en_verbinding("revisies").await else {
            return;
        };
        let lang = StreamName::new("toegangslog").unwrap();
        for _ in 0..4 {
            let events = (0..500)
                .map(|_| crate::testing::test_event(serde_json::json!({})))
                .collect();
            store
                .append(&lang, ExpectedRevision::Any, events)
                .await
                .unwrap();
        }
        client
            .batch_execute(&format!(
                "SET search_path TO \"{}\"; ANALYZE events",
                schema.name
            ))
            .await
            .unwrap();
        let streams = vec!["toegangslog", "traject-leeg"];
        let rows = client.query(LAST_REVISIONS, &[&streams]).await.unwrap();
        let last: Vec<(String, Option<i64>)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        assert_eq!(
            last,
            vec![
                ("toegangslog".to_owned(), Some(1999)),
                ("traject-leeg".to_owned(), None)
            ]
        );
        let plan: serde_json::Value = client
            .query_one(
                &format!("EXPLAIN (ANALYZE, FORMAT JSON) {LAST_REVISIONS}"),
                &[&streams],
            )
            .await
            .unwrap()
            .get(0);
        let read = rows_read(&plan[0]["Plan"]);
        assert!(
            read <= 2.0,
            "read {read} rows of 2,000 to find one revision: {plan}"
        );
    }

    /// `traject_append_batch` writes only when every stream of the batch ends where the batch
    /// expects it and no id is stored; otherwise it answers no head and writes nothing. Its
    /// checks are one lookup per stream written to, the unique keys, and the last revision of
    /// each stream named only as a condition: each way an expectation can fail is tried here.
    #[tokio::test]
    async fn the_batch_function_writes_only_when_its_assumption_holds() {
        let Some((schema, store, client)) = store_en_verbinding("aanname").await else {
            return;
        };
        let event = || crate::testing::test_event(serde_json::json!({}));
        let stream = StreamName::new("traject-aanname").unwrap();
        let stored = store
            .append(
                &stream,
                ExpectedRevision::NoStream,
                (0..3).map(|_| event()).collect(),
            )
            .await
            .unwrap();
        assert_eq!(stored.revision, 2);
        let voorwaarde = StreamName::new("traject-voorwaarde").unwrap();
        store
            .append(
                &voorwaarde,
                ExpectedRevision::NoStream,
                vec![event(), event()],
            )
            .await
            .unwrap();
        client
            .batch_execute(&format!("SET search_path TO \"{}\"", schema.name))
            .await
            .unwrap();
        let stored_id: uuid::Uuid = client
            .query_one("SELECT event_id FROM events WHERE position = 1", &[])
            .await
            .unwrap()
            .get(0);
        // Two events after `$2` on the stream `$1`, the second with the id `$3`, on the
        // conditions `$4` at `$5`.
        let call = "SELECT o_head FROM traject_append_batch(1, ARRAY[$1::text], ARRAY[$2::bigint],
                $4::text[], $5::bigint[], ARRAY[]::text[], ARRAY[1, 2]::bigint[],
                ARRAY[gen_random_uuid(), $3::uuid],
                ARRAY[$1::text, $1::text], ARRAY[$2 + 1, $2 + 2]::bigint[], ARRAY['T', 'T'],
                ARRAY[1, 1], ARRAY[now(), now()], ARRAY['{}'::jsonb, '{}'::jsonb],
                ARRAY['{}'::jsonb, '{}'::jsonb])";
        let count = || async {
            client
                .query_one("SELECT count(*) FROM events", &[])
                .await
                .unwrap()
                .get::<_, i64>(0)
        };
        let nieuw = uuid::Uuid::now_v7;
        type Case<'a> = (&'a str, &'a str, i64, uuid::Uuid, Vec<&'a str>, Vec<i64>);
        let cases: Vec<Case> = vec![
            (
                "the stream ends before the revision expected",
                "traject-aanname",
                5,
                nieuw(),
                vec![],
                vec![],
            ),
            (
                "the stream goes on after it",
                "traject-aanname",
                1,
                nieuw(),
                vec![],
                vec![],
            ),
            (
                "a new stream is expected where one exists",
                "traject-aanname",
                -1,
                nieuw(),
                vec![],
                vec![],
            ),
            (
                "a stream that does not exist is expected at 0",
                "traject-geen",
                0,
                nieuw(),
                vec![],
                vec![],
            ),
            (
                "an event id is stored",
                "traject-aanname",
                2,
                stored_id,
                vec![],
                vec![],
            ),
            (
                "a condition's stream went on",
                "traject-aanname",
                2,
                nieuw(),
                vec!["traject-voorwaarde"],
                vec![0],
            ),
            (
                "a condition's stream ends before it",
                "traject-aanname",
                2,
                nieuw(),
                vec!["traject-voorwaarde"],
                vec![4],
            ),
            (
                "a condition expects no stream where one exists",
                "traject-aanname",
                2,
                nieuw(),
                vec!["traject-voorwaarde"],
                vec![-1],
            ),
            (
                "a condition's stream does not exist",
                "traject-aanname",
                2,
                nieuw(),
                vec!["traject-niets"],
                vec![0],
            ),
        ];
        for (case, stream, last, second_id, conditions, revisions) in cases {
            let head: Option<i64> = client
                .query_one(call, &[&stream, &last, &second_id, &conditions, &revisions])
                .await
                .unwrap()
                .get(0);
            assert_eq!(head, None, "{case}: written");
            assert_eq!(count().await, 5, "{case}: rows were left");
        }
        let conditions = vec!["traject-voorwaarde", "traject-niets"];
        let revisions = vec![1i64, -1];
        let head: Option<i64> = client
            .query_one(
                call,
                &[&"traject-aanname", &2i64, &nieuw(), &conditions, &revisions],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(head, Some(5));
        assert_eq!(count().await, 7);
        // Streams appended to at any revision: rows numbered from 0 go on after each stream's
        // last revision (a new stream's is none), and the call says where.
        let row = client
            .query_one(
                "SELECT o_head, o_bases FROM traject_append_batch(1, ARRAY[]::text[],
                    ARRAY[]::bigint[], ARRAY[]::text[], ARRAY[]::bigint[],
                    ARRAY['traject-inbox', 'traject-aanname'],
                    ARRAY[1, 2, 3]::bigint[], ARRAY[gen_random_uuid(), gen_random_uuid(),
                    gen_random_uuid()], ARRAY['traject-inbox', 'traject-aanname', 'traject-inbox'],
                    ARRAY[0, 0, 1]::bigint[], ARRAY['T', 'T', 'T'], ARRAY[1, 1, 1],
                    ARRAY[now(), now(), now()], ARRAY['{}'::jsonb, '{}'::jsonb, '{}'::jsonb],
                    ARRAY['{}'::jsonb, '{}'::jsonb, '{}'::jsonb])",
                &[],
            )
            .await
            .unwrap();
        assert_eq!(
            (
                row.get::<_, Option<i64>>(0),
                row.get::<_, Option<Vec<i64>>>(1)
            ),
            (Some(7), Some(vec![0, 5]))
        );
        let stored: Vec<(String, i64, i64)> = client
            .query(
                "SELECT stream, revision, position FROM events WHERE position > 7
                 ORDER BY position",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        assert_eq!(
            stored,
            vec![
                ("traject-inbox".to_owned(), 0, 8),
                ("traject-aanname".to_owned(), 5, 9),
                ("traject-inbox".to_owned(), 1, 10),
            ]
        );
        // Through the store, a batch of two events whose stream is not where it is expected is a
        // conflict, either way.
        for expected in [1, 9] {
            let uitkomst = store
                .append(
                    &stream,
                    ExpectedRevision::Exact(expected),
                    vec![event(), event()],
                )
                .await;
            assert!(
                matches!(
                    uitkomst,
                    Err(crate::StoreError::WrongExpectedVersion { .. })
                ),
                "expected {expected}: {uitkomst:?}"
            );
        }
        assert_eq!(count().await, 10);
    }

    /// Commands written together, each with an event on one inbox at any revision: every inbox
    /// event gets a revision of its own, gap-free, and each caller hears the revision stored.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn appends_at_any_revision_in_one_batch_go_on_after_the_stream() {
        let Some((schema, store, client)) = store_en_verbinding("elke_revisie").await else {
            return;
        };
        let store = std::sync::Arc::new(store);
        let inbox = StreamName::new("toegangslog-inbox").unwrap();
        let event = || crate::testing::test_event(serde_json::json!({}));
        store
            .append(&inbox, ExpectedRevision::NoStream, vec![event(), event()])
            .await
            .unwrap();
        let taken: Vec<_> = (0..32)
            .map(|w| {
                let (store, inbox) = (store.clone(), inbox.clone());
                tokio::spawn(async move {
                    let eigen = StreamName::new(format!("traject-w{w}")).unwrap();
                    let mut gehoord = Vec::new();
                    for n in 0..10u64 {
                        let expected = if n == 0 {
                            ExpectedRevision::NoStream
                        } else {
                            ExpectedRevision::Exact(n - 1)
                        };
                        let r = store
                            .append_atomic(vec![
                                crate::StreamAppend {
                                    stream: inbox.clone(),
                                    expected: ExpectedRevision::Any,
                                    events: vec![crate::testing::test_event(
                                        serde_json::json!({ "w": w, "n": n }),
                                    )],
                                },
                                crate::StreamAppend {
                                    stream: eigen.clone(),
                                    expected,
                                    events: vec![crate::testing::test_event(serde_json::json!({}))],
                                },
                            ])
                            .await
                            .unwrap();
                        assert_eq!(r[1].revision, n);
                        gehoord.push((r[0].revision as i64, r[0].position.0 as i64));
                    }
                    gehoord
                })
            })
            .collect();
        let mut gehoord = Vec::new();
        for t in taken {
            gehoord.extend(t.await.unwrap());
        }
        gehoord.sort_unstable();
        client
            .batch_execute(&format!("SET search_path TO \"{}\"", schema.name))
            .await
            .unwrap();
        let stored: Vec<(i64, i64)> = client
            .query(
                "SELECT revision, position FROM events WHERE stream = 'toegangslog-inbox'
                 AND revision >= 2 ORDER BY revision",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        assert_eq!(stored, gehoord);
        let revisies: Vec<i64> = stored.iter().map(|(r, _)| *r).collect();
        assert_eq!(revisies, (2..2 + 320).collect::<Vec<i64>>());
    }

    #[tokio::test]
    async fn a_batch_of_one_event_is_written_by_its_own_function() {
        let Some((schema, store, client)) = store_en_verbinding("een_event").await else {
            return;
        };
        client
            .batch_execute(&format!(
                "DROP FUNCTION \"{}\".traject_append_one",
                schema.name
            ))
            .await
            .unwrap();
        let event = || crate::testing::test_event(serde_json::json!({}));
        let een = StreamName::new("traject-een").unwrap();
        let fout = store
            .append(&een, ExpectedRevision::NoStream, vec![event()])
            .await;
        assert!(fout.is_err(), "one event went another way: {fout:?}");
        let twee = StreamName::new("traject-twee").unwrap();
        let r = store
            .append(&twee, ExpectedRevision::NoStream, vec![event(), event()])
            .await
            .unwrap();
        assert_eq!((r.revision, r.position.0), (1, 2));
    }

    /// The field `n` of each event of `stream`, in order.
    async fn nummers(store: &PostgresStore, stream: &StreamName) -> Vec<i64> {
        store
            .read_stream(
                stream,
                crate::ReadFrom::Start,
                crate::Direction::Forwards,
                10,
            )
            .await
            .unwrap()
            .iter()
            .map(|e| {
                let data: serde_json::Value = serde_json::from_str(e.data.as_str()).unwrap();
                data["n"].as_i64().unwrap()
            })
            .collect()
    }

    /// The writer's connection, killed by the server between two appends (as a restart or an
    /// operator would), is noticed and replaced: the next append is written on a new connection,
    /// and both appends are read back in order.
    #[tokio::test]
    async fn the_writer_connects_again_after_its_connection_was_killed() {
        let Some((schema, store, client)) = store_en_verbinding("herverbinden").await else {
            return;
        };
        let stream = StreamName::new("traject-herverbinden").unwrap();
        let eerste = crate::testing::test_event(serde_json::json!({"n": 1}));
        store
            .append(&stream, ExpectedRevision::NoStream, vec![eerste])
            .await
            .unwrap();
        let naam = format!("traject-writer {}", schema.name);
        let pid_van = async |client: &tokio_postgres::Client| -> Option<i32> {
            client
                .query_opt(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = $1",
                    &[&naam],
                )
                .await
                .unwrap()
                .map(|r| r.get(0))
        };
        let oud = pid_van(&client)
            .await
            .expect("the writer's connection is named");
        client
            .execute("SELECT pg_terminate_backend($1)", &[&oud])
            .await
            .unwrap();
        let tot = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        while pid_van(&client).await == Some(oud) {
            assert!(
                tokio::time::Instant::now() < tot,
                "the connection was not killed"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        // The server's goodbye reaches the writer while it waits for a batch.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let tweede = crate::testing::test_event(serde_json::json!({"n": 2}));
        let r = store
            .append(&stream, ExpectedRevision::Exact(0), vec![tweede])
            .await
            .expect("the append after the lost connection is written on a new one");
        assert_eq!(r.revision, 1);
        let nieuw = pid_van(&client).await.expect("a new connection, named");
        assert_ne!(nieuw, oud);
        assert_eq!(nummers(&store, &stream).await, [1, 2]);
    }

    /// The writer's connection killed while a batch waits on it (here for the store's lock,
    /// which the test holds): that append fails, rather than waiting for an answer that never
    /// comes, nothing of it is stored, and the next append is written on a new connection.
    #[tokio::test]
    async fn an_append_whose_connection_is_killed_under_it_fails_and_the_next_is_written() {
        let Some((schema, store, client)) = store_en_verbinding("onder_de_batch").await else {
            return;
        };
        let stream = StreamName::new("traject-onder-de-batch").unwrap();
        store
            .append(
                &stream,
                ExpectedRevision::NoStream,
                vec![crate::testing::test_event(serde_json::json!({"n": 1}))],
            )
            .await
            .unwrap();
        let naam = format!("traject-writer {}", schema.name);
        let sleutel = super::super::lock_key("events", &schema.name);
        client
            .execute("SELECT pg_advisory_lock($1)", &[&sleutel])
            .await
            .unwrap();
        let wachtend = {
            let (store, stream) = (store.clone(), stream.clone());
            tokio::spawn(async move {
                let e = crate::testing::test_event(serde_json::json!({"n": 2}));
                store
                    .append(&stream, ExpectedRevision::Exact(0), vec![e])
                    .await
            })
        };
        let tot = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        let pid: i32 = loop {
            assert!(
                tokio::time::Instant::now() < tot,
                "the writer's connection never waited for the lock"
            );
            let rij = client
                .query_opt(
                    "SELECT pid FROM pg_stat_activity \
                     WHERE application_name = $1 AND wait_event_type = 'Lock'",
                    &[&naam],
                )
                .await
                .unwrap();
            if let Some(r) = rij {
                break r.get(0);
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        };
        client
            .execute("SELECT pg_terminate_backend($1)", &[&pid])
            .await
            .unwrap();
        let uitkomst = tokio::time::timeout(std::time::Duration::from_secs(10), wachtend)
            .await
            .expect("the append answers once its connection is gone")
            .unwrap();
        assert!(uitkomst.is_err(), "{uitkomst:?}");
        client
            .execute("SELECT pg_advisory_unlock($1)", &[&sleutel])
            .await
            .unwrap();
        let r = store
            .append(
                &stream,
                ExpectedRevision::Exact(0),
                vec![crate::testing::test_event(serde_json::json!({"n": 3}))],
            )
            .await
            .expect("the next append is written on a new connection");
        assert_eq!(r.revision, 1);
        assert_eq!(nummers(&store, &stream).await, [1, 3]);
    }
}

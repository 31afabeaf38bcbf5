//! The PostgreSQL store's writer: group commit with a gap-free global order.
//!
//! Each batch is one transaction that first takes a transaction-level advisory lock and then
//! numbers its events after the highest stored position. PostgreSQL makes a commit visible
//! before it releases the transaction's locks, so the next writer sees every lower position
//! committed: a reader can never receive position P and later a lower position that committed
//! late (the trap with sequences and concurrent transactions). The lock serialises the writers
//! of all API instances; under it the batch is decided in memory ([`crate::batch`]) from two
//! reads and written with one insert, so a batch costs a fixed number of round trips however
//! many appends it holds. `pg_notify` inside the transaction is delivered on commit; it names the
//! commit's positions and categories of stream ([`super::notification`]).

use std::sync::Arc;

use chrono::Utc;
use deadpool_postgres::Pool;
use tokio::sync::watch;

use super::notification::{Commit, advance};
use super::rows::{COLUMNS, from_row};
use crate::batch::{Append, Known, plan};
use crate::error::StoreError;
use crate::subscription::Head;
use crate::types::AppendResult;
use crate::writer::Queue;

/// What the writer needs to know of its store.
pub(super) struct Writer {
    pub pool: Pool,
    pub lock_key: i64,
    pub channel: String,
    pub head: Arc<watch::Sender<Head>>,
}

type BatchResults = Vec<Result<Vec<AppendResult>, StoreError>>;

impl Writer {
    /// Runs until every caller is gone.
    pub(super) async fn run(self, mut queue: Queue) {
        while let Some(appends) = queue.next_batch().await {
            let outcome = self.write_batch(&appends).await.map(|(results, commit)| {
                if let Some(commit) = commit {
                    advance(&self.head, &commit);
                }
                results
            });
            queue.answer(outcome);
        }
    }

    /// Writes the batch; returns each append's result and the commit, if anything was written.
    async fn write_batch(
        &self,
        appends: &[Vec<Append<'_>>],
    ) -> Result<(BatchResults, Option<Commit>), StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&self.lock_key])
            .await?;
        let known = known(&tx, appends).await?;
        let recorded_at = Utc::now();
        let plan = plan(appends, known);
        let commit = Commit::of(plan.rows.iter().map(|r| (r.stream.as_str(), r.position.0)));
        if let Some(commit) = &commit {
            let rows = &plan.rows;
            let positions: Vec<i64> = rows.iter().map(|r| r.position.0 as i64).collect();
            let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.event.id).collect();
            let streams: Vec<&str> = rows.iter().map(|r| r.stream.as_str()).collect();
            let revisions: Vec<i64> = rows.iter().map(|r| r.revision as i64).collect();
            let types: Vec<&str> = rows.iter().map(|r| r.event.event_type.as_str()).collect();
            let versions: Vec<i32> = rows.iter().map(|r| r.event.schema_version as i32).collect();
            let data: Vec<&serde_json::Value> = rows.iter().map(|r| &r.event.data).collect();
            let recorded: Vec<chrono::DateTime<Utc>> = rows
                .iter()
                .map(|r| r.event.recorded_at.unwrap_or(recorded_at))
                .collect();
            let metadata: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| serde_json::to_value(&r.event.metadata).expect("metadata serialises"))
                .collect();
            tx.execute(
                "INSERT INTO events (position, event_id, stream, revision, event_type, schema_version, recorded_at, data, metadata)
                 SELECT p, i, s, r, t, v, o, d, m
                 FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::int[], $7::timestamptz[], $8::jsonb[], $9::jsonb[])
                      AS u(p, i, s, r, t, v, o, d, m)",
                &[&positions, &ids, &streams, &revisions, &types, &versions, &recorded, &data, &metadata],
            )
            .await?;
            tx.execute(
                "SELECT pg_notify($1, $2)",
                &[&self.channel, &commit.payload()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok((plan.results, commit))
    }
}

/// The last revision of each of the streams `$1` (none for a stream without events). One `max`
/// per stream, which PostgreSQL answers from the end of the (stream, revision) index;
/// `WHERE stream = ANY($1) GROUP BY stream` read every event of each stream instead, so for the
/// access log, which grows with every read, each batch cost more than the one before.
const LAST_REVISIONS: &str = "SELECT s, (SELECT max(revision) FROM events WHERE stream = s)
     FROM unnest($1::text[]) AS s";

/// What the store holds of the batch's event ids and streams, read under the lock.
async fn known(
    tx: &deadpool_postgres::Transaction<'_>,
    batch: &[Vec<Append<'_>>],
) -> Result<Known, StoreError> {
    let head: i64 = tx
        .query_one("SELECT coalesce(max(position), 0) FROM events", &[])
        .await?
        .get(0);
    let ids: Vec<uuid::Uuid> = batch
        .iter()
        .flatten()
        .flat_map(|r| r.events.iter().map(|e| e.id))
        .collect();
    let mut streams: Vec<&str> = batch.iter().flatten().map(|r| r.stream.as_str()).collect();
    streams.sort_unstable();
    streams.dedup();
    let stored = tx
        .query(
            &format!("SELECT {COLUMNS} FROM events WHERE event_id = ANY($1)"),
            &[&ids],
        )
        .await?;
    let revisions = tx.query(LAST_REVISIONS, &[&streams]).await?;
    let mut known = Known {
        head: head as u64,
        ..Known::default()
    };
    for row in &stored {
        let event = from_row(row)?;
        known.events.insert(event.id, event);
    }
    for row in &revisions {
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

    #[tokio::test]
    async fn a_streams_last_revision_is_read_without_reading_the_stream() {
        let Some(url) = crate::testing::postgres_url() else {
            return;
        };
        let schema = crate::testing::TestSchema::new(&url, "revisies");
        let store = PostgresStore::connect(schema.config()).await.unwrap();
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
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
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
}

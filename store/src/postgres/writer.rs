//! The PostgreSQL store's writer: group commit with a gap-free global order.
//!
//! Each batch is one transaction that first takes a transaction-level advisory lock and then
//! numbers its events after the highest stored position. PostgreSQL makes a commit visible
//! before it releases the transaction's locks, so the next writer sees every lower position
//! committed: a reader can never receive position P and later a lower position that committed
//! late (the trap with sequences and concurrent transactions). The lock serialises the writers
//! of all API instances; under it the batch is decided in memory ([`crate::batch`]) from two
//! reads and written with one insert, so a batch costs a fixed number of round trips however
//! many appends it holds. `pg_notify` inside the transaction is delivered on commit.

use std::sync::Arc;

use chrono::Utc;
use deadpool_postgres::Pool;
use tokio::sync::watch;

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

type BatchResults = Vec<Result<AppendResult, StoreError>>;

impl Writer {
    /// Runs until every caller is gone.
    pub(super) async fn run(self, mut queue: Queue) {
        while let Some(appends) = queue.next_batch().await {
            let outcome = self.write_batch(&appends).await.map(|(results, head)| {
                super::advance(&self.head, head);
                results
            });
            queue.answer(outcome);
        }
    }

    async fn write_batch(&self, appends: &[Append<'_>]) -> Result<(BatchResults, u64), StoreError> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&self.lock_key])
            .await?;
        let known = known(&tx, appends).await?;
        let recorded_at = Utc::now();
        let plan = plan(appends, known);
        let head = plan.rows.last().map(|r| r.position.0);
        if !plan.rows.is_empty() {
            let rows = &plan.rows;
            let positions: Vec<i64> = rows.iter().map(|r| r.position.0 as i64).collect();
            let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.event.id).collect();
            let streams: Vec<&str> = rows.iter().map(|r| r.stream.as_str()).collect();
            let revisions: Vec<i64> = rows.iter().map(|r| r.revision as i64).collect();
            let types: Vec<&str> = rows.iter().map(|r| r.event.event_type.as_str()).collect();
            let versions: Vec<i32> = rows.iter().map(|r| r.event.schema_version as i32).collect();
            let data: Vec<&serde_json::Value> = rows.iter().map(|r| &r.event.data).collect();
            let metadata: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| serde_json::to_value(&r.event.metadata).expect("metadata serialises"))
                .collect();
            tx.execute(
                "INSERT INTO events (position, event_id, stream, revision, event_type, schema_version, recorded_at, data, metadata)
                 SELECT p, i, s, r, t, v, $7, d, m
                 FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::int[], $8::jsonb[], $9::jsonb[])
                      AS u(p, i, s, r, t, v, d, m)",
                &[&positions, &ids, &streams, &revisions, &types, &versions, &recorded_at, &data, &metadata],
            )
            .await?;
            let head = head.expect("rows are not empty");
            tx.execute(
                "SELECT pg_notify($1, $2)",
                &[&self.channel, &head.to_string()],
            )
            .await?;
        }
        tx.commit().await?;
        Ok((plan.results, head.unwrap_or(0)))
    }
}

/// What the store holds of the batch's event ids and streams, read under the lock.
async fn known(
    tx: &deadpool_postgres::Transaction<'_>,
    batch: &[Append<'_>],
) -> Result<Known, StoreError> {
    let head: i64 = tx
        .query_one("SELECT coalesce(max(position), 0) FROM events", &[])
        .await?
        .get(0);
    let ids: Vec<uuid::Uuid> = batch
        .iter()
        .flat_map(|r| r.events.iter().map(|e| e.id))
        .collect();
    let streams: Vec<&str> = batch.iter().map(|r| r.stream.as_str()).collect();
    let stored = tx
        .query(
            &format!("SELECT {COLUMNS} FROM events WHERE event_id = ANY($1)"),
            &[&ids],
        )
        .await?;
    let revisions = tx
        .query(
            "SELECT stream, max(revision) FROM events WHERE stream = ANY($1) GROUP BY stream",
            &[&streams],
        )
        .await?;
    let mut known = Known {
        head: head as u64,
        ..Known::default()
    };
    for row in &stored {
        let event = from_row(row)?;
        known.events.insert(event.id, event);
    }
    for row in &revisions {
        known
            .revisions
            .insert(row.get(0), row.get::<_, i64>(1) as u64);
    }
    Ok(known)
}

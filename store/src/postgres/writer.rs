//! The PostgreSQL store's writer: group commit with a gap-free global order.
//!
//! Each batch is one transaction that first takes a transaction-level advisory lock and then
//! numbers its events after the highest stored position. PostgreSQL makes a commit visible
//! before it releases the transaction's locks, so the next writer sees every lower position
//! committed: a reader can never receive position P and later a lower position that committed
//! late (the trap with sequences and concurrent transactions). The lock serialises writers of
//! all API instances; batching keeps that to one transaction per batch. `pg_notify` inside the
//! transaction is delivered on commit.

use std::sync::Arc;

use chrono::Utc;
use deadpool_postgres::{GenericClient, Pool};
use tokio::sync::{mpsc, oneshot, watch};

use super::rows::{COLUMNS, from_row};
use crate::error::StoreError;
use crate::types::{AppendResult, ExpectedRevision, NewEvent, Position, StreamName, retry_result};

/// The most appends committed together.
const MAX_BATCH: usize = 256;

/// One append waiting for the writer.
pub(super) struct Request {
    pub stream: StreamName,
    pub expected: ExpectedRevision,
    pub events: Vec<NewEvent>,
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
}

/// What the writer needs to know of its store.
pub(super) struct Writer {
    pub pool: Pool,
    pub lock_key: i64,
    pub channel: String,
    pub head: Arc<watch::Sender<u64>>,
}

impl Writer {
    /// Runs until every sender of `requests` is gone.
    pub(super) async fn run(self, mut requests: mpsc::Receiver<Request>) {
        let mut batch = Vec::with_capacity(MAX_BATCH);
        while let Some(first) = requests.recv().await {
            batch.push(first);
            while batch.len() < MAX_BATCH {
                match requests.try_recv() {
                    Ok(request) => batch.push(request),
                    Err(_) => break,
                }
            }
            let results = match self.write_batch(&batch).await {
                Ok(results) => results,
                Err(e) => {
                    tracing::error!(error = %e, "event store batch failed; nothing acknowledged");
                    batch
                        .iter()
                        .map(|_| Err(StoreError::Database(e.to_string())))
                        .collect()
                }
            };
            if let Some(position) = results
                .iter()
                .filter_map(|r| r.as_ref().ok())
                .map(|r| r.position.0)
                .max()
            {
                super::advance(&self.head, position);
            }
            for (request, result) in batch.drain(..).zip(results) {
                let _ = request.reply.send(result);
            }
        }
    }

    async fn write_batch(
        &self,
        batch: &[Request],
    ) -> Result<Vec<Result<AppendResult, StoreError>>, StoreError> {
        let mut client = self.pool.get().await?;
        let mut tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&self.lock_key])
            .await?;
        let mut head: i64 = tx
            .query_one("SELECT coalesce(max(position), 0) FROM events", &[])
            .await?
            .get(0);
        let recorded_at = Utc::now();
        let mut results = Vec::with_capacity(batch.len());
        for request in batch {
            let sp = tx.savepoint("append").await?;
            match append_one(&sp, request, head, recorded_at).await {
                Ok(result) => {
                    sp.commit().await?;
                    head = head.max(result.position.0 as i64);
                    results.push(Ok(result));
                }
                Err(e) => {
                    sp.rollback().await?;
                    results.push(Err(e));
                }
            }
        }
        tx.execute(
            "SELECT pg_notify($1, $2)",
            &[&self.channel, &head.to_string()],
        )
        .await?;
        tx.commit().await?;
        Ok(results)
    }
}

async fn append_one(
    tx: &impl GenericClient,
    request: &Request,
    head: i64,
    recorded_at: chrono::DateTime<Utc>,
) -> Result<AppendResult, StoreError> {
    let stream = &request.stream;
    let ids: Vec<uuid::Uuid> = request.events.iter().map(|e| e.id).collect();
    let stored = tx
        .query(
            &format!("SELECT {COLUMNS} FROM events WHERE event_id = ANY($1)"),
            &[&ids],
        )
        .await?;
    if stored
        .iter()
        .any(|row| row.get::<_, uuid::Uuid>(1) == ids[0])
    {
        let stored = stored.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
        return retry_result(stream, &request.events, &stored);
    }
    let actual: Option<i64> = tx
        .query_one(
            "SELECT max(revision) FROM events WHERE stream = $1",
            &[&stream.as_str()],
        )
        .await?
        .get(0);
    let actual = actual.map(|r| r as u64);
    if !request.expected.is_met_by(actual) {
        return Err(StoreError::WrongExpectedVersion {
            stream: stream.to_string(),
            expected: request.expected,
            actual,
        });
    }
    let insert = tx
        .prepare_cached(
            "INSERT INTO events (position, event_id, stream, revision, event_type, schema_version, recorded_at, data, metadata)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .await?;
    let first_revision = actual.map_or(0, |a| a + 1);
    for (i, event) in request.events.iter().enumerate() {
        let metadata = serde_json::to_value(&event.metadata).expect("metadata serialises");
        let schema_version = event.schema_version as i32;
        tx.execute(
            &insert,
            &[
                &(head + 1 + i as i64),
                &event.id,
                &stream.as_str(),
                &((first_revision + i as u64) as i64),
                &event.event_type,
                &schema_version,
                &recorded_at,
                &event.data,
                &metadata,
            ],
        )
        .await
        .map_err(|e| match e.code() {
            Some(code) if *code == tokio_postgres::error::SqlState::UNIQUE_VIOLATION => {
                StoreError::DuplicateEventId { event_id: event.id }
            }
            _ => StoreError::from(e),
        })?;
    }
    let n = request.events.len() as u64;
    Ok(AppendResult {
        revision: first_revision + n - 1,
        position: Position(head as u64 + n),
    })
}

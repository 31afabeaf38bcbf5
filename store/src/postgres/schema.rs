//! The PostgreSQL store's schema: versioned migrations recorded in `schema_migrations`, applied
//! under an advisory lock so that several API instances starting together migrate once.

use tokio_postgres::Client;

use crate::error::StoreError;

/// Every migration, oldest first. Never edit one that has shipped: add the next.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../../migrations/postgres/0001_events.sql")),
    (2, include_str!("../../migrations/postgres/0002_kluis.sql")),
    (3, include_str!("../../migrations/postgres/0003_append.sql")),
    (
        4,
        include_str!("../../migrations/postgres/0004_append_one.sql"),
    ),
    (
        5,
        include_str!("../../migrations/postgres/0005_notify_apart.sql"),
    ),
    (
        6,
        include_str!("../../migrations/postgres/0006_append_fewer_reads.sql"),
    ),
];

/// Creates the schema if needed and applies the migrations it lacks.
pub(super) async fn migrate(
    client: &mut Client,
    schema: &str,
    lock_key: i64,
) -> Result<(), StoreError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&lock_key])
        .await?;
    let result = apply(client, schema).await;
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&lock_key])
        .await?;
    result
}

async fn apply(client: &mut Client, schema: &str) -> Result<(), StoreError> {
    client
        .batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS \"{schema}\";
             SET search_path TO \"{schema}\";
             CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    INTEGER     PRIMARY KEY,
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
             );"
        ))
        .await?;
    let current: i32 = client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            &[],
        )
        .await?
        .get(0);
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let tx = client.transaction().await?;
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version) VALUES ($1)",
            &[version],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

//! The vault in the PostgreSQL store's schema.
//!
//! Writes take a transaction-level advisory lock of their own, so that `volgnummer`s are handed
//! out in commit order (an index that follows them never skips a change that commits late).
//! PostgreSQL keeps earlier row versions until VACUUM and in its WAL: after an erasure those
//! hold the client's data key only wrapped by the master key, which is why erasure reaches such
//! copies (and backups) once the master key has been rotated and the old one destroyed
//! (ARCHITECTURE.md).

use async_trait::async_trait;
use deadpool_postgres::Pool;
use tokio_postgres::Row;
use uuid::Uuid;

use super::StorageError;
use super::{Gebruik, Kluis, KluisRecord, MAX_WIJZIGINGEN, Sealed, conflict, volgende_versie};

/// The vault of a PostgreSQL store.
#[derive(Clone)]
pub struct PostgresKluis {
    pool: Pool,
    lock_key: i64,
    /// The session-level advisory lock servers hold shared and a rotation alone.
    gebruik_key: i64,
}

/// The vault's table, created if missing in the configured schema. (Stores made by earlier
/// versions of traject have it already, from the event store's migrations, in this very form.) A
/// later change of the table is a step of its own here, never an edit of this one.
const TABEL: &str = "CREATE TABLE IF NOT EXISTS kluis (
    client     UUID        PRIMARY KEY,
    versie     BIGINT      NOT NULL,
    volgnummer BIGINT      NOT NULL UNIQUE,
    sleutel_id TEXT,
    sleutel    BYTEA,
    gegevens   BYTEA,
    gewist_op  TIMESTAMPTZ
)";

impl PostgresKluis {
    /// Connects to the vault in `schema` of the database at `url` (the event store's schema, or
    /// one of its own), with a pool of at most `verbindingen` connections, creating the schema and
    /// the table if missing.
    pub async fn connect(
        url: &str,
        schema: &str,
        verbindingen: usize,
    ) -> Result<Self, StorageError> {
        use std::str::FromStr;
        if schema.is_empty()
            || !schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(StorageError::Database(
                "schema: alleen kleine letters, cijfers en _".to_owned(),
            ));
        }
        let mut pg = tokio_postgres::Config::from_str(url)
            .map_err(|e| StorageError::Database(format!("database-URL: {e}")))?;
        pg.options(format!("-c search_path={schema}"));
        let manager = deadpool_postgres::Manager::from_config(
            pg,
            tokio_postgres::NoTls,
            deadpool_postgres::ManagerConfig {
                recycling_method: deadpool_postgres::RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(verbindingen.max(2))
            .build()
            .map_err(|e| StorageError::Database(e.to_string()))?;
        let kluis = Self {
            pool,
            lock_key: lock_key("kluis", schema),
            gebruik_key: lock_key("kluis-gebruik", schema),
        };
        // Under the vault's write lock: instances that start together create the table once.
        let mut conn = kluis.pool.get().await?;
        let tx = conn.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&kluis.lock_key])
            .await?;
        tx.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS \"{schema}\"; {TABEL}"
        ))
        .await?;
        tx.commit().await?;
        Ok(kluis)
    }

    /// Takes the session-level lock on a connection of its own, taken out of the pool: the lock
    /// lives as long as that connection, which closes when the hold is dropped.
    async fn vergrendel(&self, gedeeld: bool) -> Result<Gebruik, StorageError> {
        let object = self.pool.get().await?;
        let client = deadpool_postgres::Object::take(object);
        let sql = if gedeeld {
            "SELECT pg_try_advisory_lock_shared($1)"
        } else {
            "SELECT pg_try_advisory_lock($1)"
        };
        // A lock given back by closing its connection is free only once the server has ended
        // that session, a moment after the close: a refusal is asked again for a short while
        // before it counts.
        let mut gelukt = false;
        for poging in 0..LOCK_ATTEMPTS {
            if poging > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            gelukt = client.query_one(sql, &[&self.gebruik_key]).await?.get(0);
            if gelukt {
                break;
            }
        }
        if gelukt {
            Ok(Gebruik(Box::new(client)))
        } else {
            Err(StorageError::InGebruik(if gedeeld {
                "een rotatie van de hoofdsleutel is bezig"
            } else {
                "een server gebruikt deze store; stop eerst elke server"
            }))
        }
    }
}

/// How often a refused vault lock is asked for, 50 ms apart, before the refusal counts.
const LOCK_ATTEMPTS: usize = 10;

const KOLOMMEN: &str = "client, versie, volgnummer, sleutel_id, sleutel, gegevens";

fn record(row: &Row) -> KluisRecord {
    let sleutel_id: Option<String> = row.get(3);
    let sleutel: Option<Vec<u8>> = row.get(4);
    let gegevens: Option<Vec<u8>> = row.get(5);
    KluisRecord {
        client: row.get(0),
        versie: row.get::<_, i64>(1) as u64,
        volgnummer: row.get::<_, i64>(2) as u64,
        inhoud: Sealed::uit_kolommen(sleutel_id, sleutel, gegevens),
    }
}

async fn read(
    client: &impl deadpool_postgres::GenericClient,
    id: Uuid,
) -> Result<Option<KluisRecord>, StorageError> {
    let sql = format!("SELECT {KOLOMMEN} FROM kluis WHERE client = $1");
    Ok(client.query_opt(&sql, &[&id]).await?.as_ref().map(record))
}

async fn volgende(client: &impl deadpool_postgres::GenericClient) -> Result<i64, StorageError> {
    Ok(client
        .query_one("SELECT coalesce(max(volgnummer), 0) + 1 FROM kluis", &[])
        .await?
        .get(0))
}

#[async_trait]
impl Kluis for PostgresKluis {
    async fn in_gebruik(&self) -> Result<Gebruik, StorageError> {
        self.vergrendel(true).await
    }

    async fn alleen(&self) -> Result<Gebruik, StorageError> {
        self.vergrendel(false).await
    }

    async fn read(&self, client: Uuid) -> Result<Option<KluisRecord>, StorageError> {
        read(&self.pool.get().await?, client).await
    }

    async fn wijzigingen(&self, na: u64, limit: usize) -> Result<Vec<KluisRecord>, StorageError> {
        let client = self.pool.get().await?;
        let sql = format!(
            "SELECT {KOLOMMEN} FROM kluis WHERE volgnummer > $1 ORDER BY volgnummer LIMIT $2"
        );
        let stmt = client.prepare_cached(&sql).await?;
        let limit = limit.min(MAX_WIJZIGINGEN) as i64;
        let rows = client.query(&stmt, &[&(na as i64), &limit]).await?;
        Ok(rows.iter().map(record).collect())
    }

    async fn write(
        &self,
        client: Uuid,
        verwacht: Option<u64>,
        inhoud: Sealed,
    ) -> Result<u64, StorageError> {
        let mut conn = self.pool.get().await?;
        let tx = conn.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&self.lock_key])
            .await?;
        let huidig = read(&tx, client).await?;
        let versie = volgende_versie(client, huidig, verwacht)?;
        tx.execute(
            "INSERT INTO kluis (client, versie, volgnummer, sleutel_id, sleutel, gegevens)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (client) DO UPDATE SET versie = $2, volgnummer = $3,
                 sleutel_id = $4, sleutel = $5, gegevens = $6",
            &[
                &client,
                &(versie as i64),
                &volgende(&tx).await?,
                &inhoud.sleutel_id,
                &inhoud.sleutel,
                &inhoud.gegevens,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(versie)
    }

    async fn fill(&self, records: Vec<(Uuid, Sealed)>) -> Result<(), StorageError> {
        let mut conn = self.pool.get().await?;
        let tx = conn.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&self.lock_key])
            .await?;
        let mut volgnummer = volgende(&tx).await?;
        let insert = tx
            .prepare(
                "INSERT INTO kluis (client, versie, volgnummer, sleutel_id, sleutel, gegevens)
                 VALUES ($1, 0, $2, $3, $4, $5) ON CONFLICT (client) DO NOTHING",
            )
            .await?;
        for (client, inhoud) in records {
            let nieuw = tx
                .execute(
                    &insert,
                    &[
                        &client,
                        &volgnummer,
                        &inhoud.sleutel_id,
                        &inhoud.sleutel,
                        &inhoud.gegevens,
                    ],
                )
                .await?;
            if nieuw == 0 {
                let actual = read(&tx, client).await?.map(|r| r.versie);
                return Err(conflict(client, None, actual));
            }
            volgnummer += 1;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn take_over(&self, records: Vec<KluisRecord>) -> Result<(), StorageError> {
        let mut conn = self.pool.get().await?;
        let tx = conn.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&self.lock_key])
            .await?;
        let mut volgnummer = volgende(&tx).await?;
        let insert = tx
            .prepare(
                "INSERT INTO kluis (client, versie, volgnummer, sleutel_id, sleutel, gegevens, gewist_op)
                 VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $5::bytea IS NULL THEN now() END)
                 ON CONFLICT (client) DO NOTHING",
            )
            .await?;
        for record in records {
            let (sleutel_id, sleutel, gegevens) = Sealed::in_kolommen(record.inhoud);
            let nieuw = tx
                .execute(
                    &insert,
                    &[
                        &record.client,
                        &(record.versie as i64),
                        &volgnummer,
                        &sleutel_id,
                        &sleutel,
                        &gegevens,
                    ],
                )
                .await?;
            if nieuw == 0 {
                let actual = read(&tx, record.client).await?.map(|r| r.versie);
                return Err(conflict(record.client, None, actual));
            }
            volgnummer += 1;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn wis(&self, client: Uuid) -> Result<bool, StorageError> {
        let mut conn = self.pool.get().await?;
        let tx = conn.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&self.lock_key])
            .await?;
        let huidig = read(&tx, client).await?;
        if huidig.as_ref().is_some_and(|r| r.inhoud.is_none()) {
            return Ok(false);
        }
        let had_gegevens = huidig.is_some();
        let versie = huidig.map_or(0, |r| r.versie + 1) as i64;
        tx.execute(
            "INSERT INTO kluis (client, versie, volgnummer, gewist_op) VALUES ($1, $2, $3, now())
             ON CONFLICT (client) DO UPDATE SET versie = $2, volgnummer = $3,
                 sleutel_id = NULL, sleutel = NULL, gegevens = NULL, gewist_op = now()",
            &[&client, &versie, &volgende(&tx).await?],
        )
        .await?;
        tx.commit().await?;
        Ok(had_gegevens)
    }

    async fn rewrap(
        &self,
        oud: &str,
        nieuw: &str,
        sleutels: Vec<(Uuid, Vec<u8>)>,
    ) -> Result<usize, StorageError> {
        let mut conn = self.pool.get().await?;
        let tx = conn.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&self.lock_key])
            .await?;
        let update = tx
            .prepare(
                "UPDATE kluis SET sleutel = $1, sleutel_id = $2
                 WHERE client = $3 AND sleutel_id = $4",
            )
            .await?;
        let mut aantal = 0;
        for (client, sleutel) in sleutels {
            aantal += tx
                .execute(&update, &[&sleutel, &nieuw, &client, &oud])
                .await? as usize;
        }
        tx.commit().await?;
        Ok(aantal)
    }

    async fn sleutel_ids(&self) -> Result<Vec<String>, StorageError> {
        let client = self.pool.get().await?;
        let rows = client
            .query(
                "SELECT DISTINCT sleutel_id FROM kluis WHERE sleutel_id IS NOT NULL ORDER BY 1",
                &[],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

/// The advisory-lock key of a schema's vault: a stable hash of its name (FNV-1a), so that vaults
/// in different schemas of one database do not serialise each other.
fn lock_key(kind: &str, schema: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("traject-{kind}:{schema}").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

//! The vault in the embedded store's SQLite file.
//!
//! One connection of its own, with `secure_delete` on: SQLite overwrites deleted content with
//! zeros instead of leaving it in free space. After an erasure a TRUNCATE checkpoint copies the
//! WAL into the database file and cuts the WAL to zero bytes, so that no earlier version of the
//! erased record stays behind in the WAL either.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use super::{Gebruik, Kluis, KluisRecord, MAX_WIJZIGINGEN, Verzegeld, conflict, volgende_versie};
use crate::error::StoreError;

/// How often the TRUNCATE checkpoint after an erasure is tried while readers hold the WAL.
const TRUNCATE_POGINGEN: usize = 5;

/// The vault of an embedded store.
#[derive(Clone)]
pub struct SqliteKluis {
    conn: Arc<Mutex<Connection>>,
    /// The lock file beside the store file: servers lock it shared, a rotation exclusively.
    slot: PathBuf,
}

impl SqliteKluis {
    /// Opens the vault in the store file at `path`. The store must have been opened there first
    /// (it creates the schema).
    pub(crate) fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(PathBuf::from(path))?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        crate::sqlite::configure(&conn)?;
        let mut slot = path.as_os_str().to_owned();
        slot.push(".kluis-slot");
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            slot: PathBuf::from(slot),
        })
    }

    async fn met<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || f(&mut conn.lock().expect("vault connection")))
            .await
            .map_err(|e| StoreError::Database(e.to_string()))?
    }
}

const KOLOMMEN: &str = "client, versie, volgnummer, sleutel_id, sleutel, gegevens";

fn record(row: &rusqlite::Row<'_>) -> rusqlite::Result<KluisRecord> {
    let client: Uuid = row.get(0)?;
    let sleutel_id: Option<String> = row.get(3)?;
    let sleutel: Option<Vec<u8>> = row.get(4)?;
    let gegevens: Option<Vec<u8>> = row.get(5)?;
    Ok(KluisRecord {
        client,
        versie: row.get::<_, i64>(1)? as u64,
        volgnummer: row.get::<_, i64>(2)? as u64,
        inhoud: Verzegeld::uit_kolommen(sleutel_id, sleutel, gegevens),
    })
}

fn lees(conn: &Connection, client: Uuid) -> Result<Option<KluisRecord>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {KOLOMMEN} FROM kluis WHERE client = ?1"))?
        .query_row([client], record)
        .optional()?)
}

fn volgende(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT coalesce(max(volgnummer), 0) + 1 FROM kluis",
        [],
        |r| r.get(0),
    )?)
}

fn truncate_wal(conn: &Connection) {
    for _ in 0..TRUNCATE_POGINGEN {
        match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
            r.get::<_, i64>(0)
        }) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "WAL checkpoint after an erasure failed");
                return;
            }
        }
    }
    tracing::warn!("WAL checkpoint after an erasure stayed busy; the next one overwrites the WAL");
}

/// Locks the vault's lock file, shared or alone, without waiting.
fn vergrendel(slot: &Path, gedeeld: bool) -> Result<Gebruik, StoreError> {
    let bestand = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(slot)
        .map_err(|e| StoreError::Database(format!("kluis-slot: {e}")))?;
    let gelukt = if gedeeld {
        bestand.try_lock_shared()
    } else {
        bestand.try_lock()
    };
    match gelukt {
        Ok(()) => Ok(Gebruik(Box::new(bestand))),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::KluisInGebruik(if gedeeld {
            "een rotatie van de hoofdsleutel is bezig"
        } else {
            "een server gebruikt deze store; stop eerst elke server"
        })),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(StoreError::Database(format!("kluis-slot: {e}")))
        }
    }
}

#[async_trait]
impl Kluis for SqliteKluis {
    async fn in_gebruik(&self) -> Result<Gebruik, StoreError> {
        vergrendel(&self.slot, true)
    }

    async fn alleen(&self) -> Result<Gebruik, StoreError> {
        vergrendel(&self.slot, false)
    }

    async fn lees(&self, client: Uuid) -> Result<Option<KluisRecord>, StoreError> {
        self.met(move |conn| lees(conn, client)).await
    }

    async fn wijzigingen(&self, na: u64, limit: usize) -> Result<Vec<KluisRecord>, StoreError> {
        let limit = limit.min(MAX_WIJZIGINGEN) as i64;
        self.met(move |conn| {
            let records = conn
                .prepare_cached(&format!(
                    "SELECT {KOLOMMEN} FROM kluis WHERE volgnummer > ?1 ORDER BY volgnummer LIMIT ?2"
                ))?
                .query_map(params![na as i64, limit], record)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(records)
        })
        .await
    }

    async fn schrijf(
        &self,
        client: Uuid,
        verwacht: Option<u64>,
        inhoud: Verzegeld,
    ) -> Result<u64, StoreError> {
        self.met(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let huidig = lees(&tx, client)?;
            let versie = volgende_versie(client, huidig, verwacht)?;
            tx.execute(
                "INSERT INTO kluis (client, versie, volgnummer, sleutel_id, sleutel, gegevens)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (client) DO UPDATE SET versie = ?2, volgnummer = ?3,
                     sleutel_id = ?4, sleutel = ?5, gegevens = ?6",
                params![
                    client,
                    versie as i64,
                    volgende(&tx)?,
                    inhoud.sleutel_id,
                    inhoud.sleutel,
                    inhoud.gegevens
                ],
            )?;
            tx.commit()?;
            Ok(versie)
        })
        .await
    }

    async fn vul(&self, records: Vec<(Uuid, Verzegeld)>) -> Result<(), StoreError> {
        self.met(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut volgnummer = volgende(&tx)?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO kluis (client, versie, volgnummer, sleutel_id, sleutel, gegevens)
                     VALUES (?1, 0, ?2, ?3, ?4, ?5) ON CONFLICT (client) DO NOTHING",
                )?;
                for (client, inhoud) in records {
                    let nieuw = insert.execute(params![
                        client,
                        volgnummer,
                        inhoud.sleutel_id,
                        inhoud.sleutel,
                        inhoud.gegevens
                    ])?;
                    if nieuw == 0 {
                        let actual = lees(&tx, client)?.map(|r| r.versie);
                        return Err(conflict(client, None, actual));
                    }
                    volgnummer += 1;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn wis(&self, client: Uuid) -> Result<bool, StoreError> {
        self.met(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let huidig = lees(&tx, client)?;
            let had_gegevens = huidig.as_ref().is_some_and(|r| r.inhoud.is_some());
            if huidig.as_ref().is_some_and(|r| r.inhoud.is_none()) {
                return Ok(false);
            }
            let versie = huidig.map_or(0, |r| r.versie + 1);
            // Numbered before the delete: the erased row may hold the highest number so far.
            let volgnummer = volgende(&tx)?;
            // The row is deleted and inserted anew as a tombstone, so that secure_delete zeroes
            // the whole old cell rather than relying on an in-place update.
            tx.execute("DELETE FROM kluis WHERE client = ?1", [client])?;
            tx.execute(
                "INSERT INTO kluis (client, versie, volgnummer, gewist_op) VALUES (?1, ?2, ?3, ?4)",
                params![
                    client,
                    versie as i64,
                    volgnummer,
                    Utc::now().timestamp_micros()
                ],
            )?;
            tx.commit()?;
            truncate_wal(conn);
            Ok(had_gegevens)
        })
        .await
    }

    async fn herverpak(
        &self,
        oud: &str,
        nieuw: &str,
        sleutels: Vec<(Uuid, Vec<u8>)>,
    ) -> Result<usize, StoreError> {
        let (oud, nieuw) = (oud.to_owned(), nieuw.to_owned());
        self.met(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut aantal = 0;
            {
                let mut update = tx.prepare_cached(
                    "UPDATE kluis SET sleutel = ?1, sleutel_id = ?2
                     WHERE client = ?3 AND sleutel_id = ?4",
                )?;
                for (client, sleutel) in sleutels {
                    aantal += update.execute(params![sleutel, nieuw, client, oud])?;
                }
            }
            tx.commit()?;
            truncate_wal(conn);
            Ok(aantal)
        })
        .await
    }

    async fn sleutel_ids(&self) -> Result<Vec<String>, StoreError> {
        self.met(|conn| {
            let ids = conn
                .prepare(
                    "SELECT DISTINCT sleutel_id FROM kluis WHERE sleutel_id IS NOT NULL ORDER BY 1",
                )?
                .query_map([], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(ids)
        })
        .await
    }
}

//! The vault in the embedded store's SQLite file.
//!
//! One connection of its own, with `secure_delete` on: SQLite overwrites deleted content with
//! zeros instead of leaving it in free space. After an erasure a TRUNCATE checkpoint copies the
//! WAL into the database file and cuts the WAL to zero bytes, so that no earlier version of the
//! erased record stays behind in the WAL either. Another process that holds a read transaction
//! (a backup tool, a database browser) keeps the WAL from being cut: the erasure does not wait
//! for it; a thread of the vault tries again every [`OPNIEUW`] until the cut succeeds, and every
//! start of the vault begins with one, so that after a crash or a stop the WAL is cut as soon as
//! no reader holds it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use super::StorageError;
use super::{Gebruik, Kluis, KluisRecord, MAX_WIJZIGINGEN, Sealed, conflict, volgende_versie};

/// How long a statement waits for another connection's write lock on the file.
const BUSY_TIMEOUT_MS: u32 = 5_000;

/// The vault's table, created if missing. (Stores made by earlier versions of traject have it
/// already, from the event store's migrations, in this very form.) A later change of the table is
/// a step of its own here, never an edit of this one.
const TABEL: &str = "CREATE TABLE IF NOT EXISTS kluis (
    client     BLOB    PRIMARY KEY,
    versie     INTEGER NOT NULL,
    volgnummer INTEGER NOT NULL UNIQUE,
    sleutel_id TEXT,
    sleutel    BLOB,
    gegevens   BLOB,
    gewist_op  INTEGER -- microseconds since the Unix epoch, UTC
) STRICT;";

/// How long the vault waits before it tries again to cut a WAL that a reader holds.
const OPNIEUW: std::time::Duration = std::time::Duration::from_millis(200);

/// The vault of an embedded store.
#[derive(Clone)]
pub struct SqliteKluis {
    conn: Arc<Mutex<Connection>>,
    /// Whether a thread is trying to cut the WAL.
    opruimer: Arc<std::sync::atomic::AtomicBool>,
    /// The lock file beside the store file: servers lock it shared, a rotation exclusively.
    slot: PathBuf,
}

impl SqliteKluis {
    /// Opens the vault in the SQLite file at `path` (the embedded event store's file, or a file
    /// of its own), creating the file and its table if missing.
    pub fn open(path: &Path) -> Result<Self, StorageError> {
        let conn = Connection::open(PathBuf::from(path))?;
        conn.pragma_update(None, "busy_timeout", BUSY_TIMEOUT_MS)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(TABEL)?;
        let mut slot = path.as_os_str().to_owned();
        slot.push(".kluis-slot");
        let kluis = Self {
            conn: Arc::new(Mutex::new(conn)),
            opruimer: Arc::default(),
            slot: PathBuf::from(slot),
        };
        // A crash or a stop may have left an erased record in the WAL.
        let geknipt = wal_afknippen(&kluis.conn.lock().expect("vault connection"));
        if !geknipt {
            kluis.knip_later();
        }
        Ok(kluis)
    }

    /// Starts a thread that cuts the WAL once no reader holds it, unless one runs already. It
    /// ends when the cut succeeded or the vault is dropped.
    fn knip_later(&self) {
        use std::sync::atomic::Ordering;
        if self.opruimer.swap(true, Ordering::AcqRel) {
            return;
        }
        let conn = Arc::downgrade(&self.conn);
        let opruimer = Arc::clone(&self.opruimer);
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(OPNIEUW);
                let Some(conn) = conn.upgrade() else { break };
                let geknipt = wal_afknippen(&conn.lock().expect("vault connection"));
                if geknipt {
                    tracing::info!("WAL truncated after a wissing");
                    break;
                }
            }
            opruimer.store(false, Ordering::Release);
        });
    }

    /// Whether the WAL is cut: no thread is still trying (for tests and operators).
    pub fn wal_afgeknipt(&self) -> bool {
        !self.opruimer.load(std::sync::atomic::Ordering::Acquire)
    }

    async fn met<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StorageError> + Send + 'static,
    ) -> Result<T, StorageError> {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || f(&mut conn.lock().expect("vault connection")))
            .await
            .map_err(|e| StorageError::Database(e.to_string()))?
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
        inhoud: Sealed::uit_kolommen(sleutel_id, sleutel, gegevens),
    })
}

fn read(conn: &Connection, client: Uuid) -> Result<Option<KluisRecord>, StorageError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {KOLOMMEN} FROM kluis WHERE client = ?1"))?
        .query_row([client], record)
        .optional()?)
}

fn volgende(conn: &Connection) -> Result<i64, StorageError> {
    Ok(conn.query_row(
        "SELECT coalesce(max(volgnummer), 0) + 1 FROM kluis",
        [],
        |r| r.get(0),
    )?)
}

/// One TRUNCATE checkpoint without waiting: `true` when the WAL was copied into the database
/// file and cut to zero bytes, `false` while a reader holds it.
fn wal_afknippen(conn: &Connection) -> bool {
    let _ = conn.busy_timeout(std::time::Duration::ZERO);
    let uitkomst = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
        r.get::<_, i64>(0)
    });
    let _ = conn.busy_timeout(std::time::Duration::from_millis(u64::from(BUSY_TIMEOUT_MS)));
    match uitkomst {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => {
            tracing::warn!(error = %e, "kluis WAL checkpoint failed");
            false
        }
    }
}

/// Locks the vault's lock file, shared or alone, without waiting.
fn vergrendel(slot: &Path, gedeeld: bool) -> Result<Gebruik, StorageError> {
    let bestand = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(slot)
        .map_err(|e| StorageError::Database(format!("kluis-slot: {e}")))?;
    let gelukt = if gedeeld {
        bestand.try_lock_shared()
    } else {
        bestand.try_lock()
    };
    match gelukt {
        Ok(()) => Ok(Gebruik(Box::new(bestand))),
        Err(std::fs::TryLockError::WouldBlock) => Err(StorageError::InGebruik(if gedeeld {
            "een rotatie van de hoofdsleutel is bezig"
        } else {
            "een server gebruikt deze store; stop eerst elke server"
        })),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(StorageError::Database(format!("kluis-slot: {e}")))
        }
    }
}

#[async_trait]
impl Kluis for SqliteKluis {
    async fn in_gebruik(&self) -> Result<Gebruik, StorageError> {
        vergrendel(&self.slot, true)
    }

    async fn alleen(&self) -> Result<Gebruik, StorageError> {
        vergrendel(&self.slot, false)
    }

    async fn read(&self, client: Uuid) -> Result<Option<KluisRecord>, StorageError> {
        self.met(move |conn| read(conn, client)).await
    }

    async fn wijzigingen(&self, na: u64, limit: usize) -> Result<Vec<KluisRecord>, StorageError> {
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

    async fn write(
        &self,
        client: Uuid,
        verwacht: Option<u64>,
        inhoud: Sealed,
    ) -> Result<u64, StorageError> {
        self.met(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let huidig = read(&tx, client)?;
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

    async fn fill(&self, records: Vec<(Uuid, Sealed)>) -> Result<(), StorageError> {
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
                        let actual = read(&tx, client)?.map(|r| r.versie);
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

    async fn take_over(&self, records: Vec<KluisRecord>) -> Result<(), StorageError> {
        self.met(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut volgnummer = volgende(&tx)?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO kluis (client, versie, volgnummer, sleutel_id, sleutel, gegevens, gewist_op)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (client) DO NOTHING",
                )?;
                for record in records {
                    let gewist_op = record
                        .inhoud
                        .is_none()
                        .then(|| Utc::now().timestamp_micros());
                    let (sleutel_id, sleutel, gegevens) = Sealed::in_kolommen(record.inhoud);
                    let nieuw = insert.execute(params![
                        record.client,
                        record.versie as i64,
                        volgnummer,
                        sleutel_id,
                        sleutel,
                        gegevens,
                        gewist_op
                    ])?;
                    if nieuw == 0 {
                        let actual = read(&tx, record.client)?.map(|r| r.versie);
                        return Err(conflict(record.client, None, actual));
                    }
                    volgnummer += 1;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn wis(&self, client: Uuid) -> Result<bool, StorageError> {
        self.met(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let huidig = read(&tx, client)?;
            let had_gegevens = huidig.as_ref().is_some_and(|r| r.inhoud.is_some());
            if huidig.as_ref().is_some_and(|r| r.inhoud.is_none()) {
                return Ok((false, true));
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
            Ok((had_gegevens, wal_afknippen(conn)))
        })
        .await
        .map(|(had_gegevens, geknipt)| {
            if !geknipt {
                tracing::warn!(
                    "a reader holds the WAL: the kluis truncates it once the reader lets go"
                );
                self.knip_later();
            }
            had_gegevens
        })
    }

    async fn rewrap(
        &self,
        oud: &str,
        nieuw: &str,
        sleutels: Vec<(Uuid, Vec<u8>)>,
    ) -> Result<usize, StorageError> {
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
            // The old wrapped keys' pages leave the WAL too.
            Ok((aantal, wal_afknippen(conn)))
        })
        .await
        .map(|(aantal, geknipt)| {
            if !geknipt {
                self.knip_later();
            }
            aantal
        })
    }

    async fn sleutel_ids(&self) -> Result<Vec<String>, StorageError> {
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

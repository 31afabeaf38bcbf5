//! The log in a SQLite file of its own (`toegangslog.sqlite` beside the embedded store's
//! events): its writes never wait for the event store's write lock, nor it for theirs. WAL,
//! `synchronous=FULL`: a commit is on disk when it returns (a read's entry is durable before
//! that, in the journal beside this file: [`crate::journaal`]). One connection writes, one
//! reads; each runs on a blocking thread.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::{Filter, InzageRij, Rij, Soort, Sql};
use crate::LogError;
use crate::keten::{Anker, CHECKPOINT, Mac};

/// The tables, created if missing. A later change is a step of its own, never an edit of these.
const TABELLEN: &str = "
CREATE TABLE IF NOT EXISTS toegangslog_regel (
    nr          INTEGER PRIMARY KEY,
    tijd        INTEGER NOT NULL, -- microseconds since the Unix epoch, UTC
    gebruiker   INTEGER NOT NULL,
    code        INTEGER NOT NULL,
    actie       INTEGER NOT NULL,
    resultaat   INTEGER NOT NULL,
    rol         INTEGER NOT NULL,
    organisatie INTEGER,
    regel       INTEGER NOT NULL,
    bron        INTEGER NOT NULL,
    groep       INTEGER,
    traject     BLOB,
    correlatie  BLOB NOT NULL,
    mac         BLOB NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS toegangslog_regel_gebruiker ON toegangslog_regel (gebruiker, nr);
CREATE INDEX IF NOT EXISTS toegangslog_regel_groep ON toegangslog_regel (groep, nr)
    WHERE groep IS NOT NULL;
CREATE TABLE IF NOT EXISTS toegangslog_woord (
    soort INTEGER NOT NULL,
    nr    INTEGER NOT NULL,
    tekst TEXT NOT NULL,
    PRIMARY KEY (soort, nr),
    UNIQUE (soort, tekst)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS toegangslog_client (
    nr INTEGER PRIMARY KEY,
    id BLOB NOT NULL UNIQUE
) STRICT;
CREATE TABLE IF NOT EXISTS toegangslog_groep (
    nr      INTEGER PRIMARY KEY,
    sleutel BLOB NOT NULL UNIQUE,
    clients BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS toegangslog_client_groep (
    client INTEGER NOT NULL,
    groep  INTEGER NOT NULL,
    PRIMARY KEY (client, groep)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS toegangslog_inzage (
    groep     INTEGER NOT NULL,
    gebruiker INTEGER NOT NULL,
    rol       INTEGER NOT NULL,
    gelukt    INTEGER NOT NULL,
    geweigerd INTEGER NOT NULL,
    eerste    INTEGER NOT NULL,
    laatste   INTEGER NOT NULL,
    codes     INTEGER NOT NULL,
    PRIMARY KEY (groep, gebruiker, rol)
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS toegangslog_checkpoint (
    nr     INTEGER PRIMARY KEY,
    anker  BLOB NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS toegangslog_meta (
    naam   TEXT PRIMARY KEY,
    waarde BLOB NOT NULL
) STRICT, WITHOUT ROWID;
";

/// How long a statement waits for another connection's write lock.
const BUSY_TIMEOUT_MS: u32 = 5_000;

/// The log's SQLite file.
#[derive(Clone)]
pub struct SqliteLog {
    schrijver: Arc<Mutex<Connection>>,
    lezer: Arc<Mutex<Connection>>,
    pad: std::path::PathBuf,
}

impl From<rusqlite::Error> for LogError {
    fn from(e: rusqlite::Error) -> Self {
        LogError::Database(e.to_string())
    }
}

fn verbinding(pad: &Path) -> Result<Connection, LogError> {
    let conn = Connection::open(pad)?;
    conn.pragma_update(None, "busy_timeout", BUSY_TIMEOUT_MS)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(conn)
}

impl SqliteLog {
    /// Opens the log in the file at `pad`, creating the file (readable by its owner only) and
    /// its tables if missing.
    pub fn open(pad: &Path) -> Result<Self, LogError> {
        #[cfg(unix)]
        if !pad.exists() {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(pad)
                .map_err(|e| LogError::Database(format!("{}: {e}", pad.display())))?;
        }
        let schrijver = verbinding(pad)?;
        schrijver.execute_batch(TABELLEN)?;
        let lezer = verbinding(pad)?;
        Ok(Self {
            schrijver: Arc::new(Mutex::new(schrijver)),
            lezer: Arc::new(Mutex::new(lezer)),
            pad: pad.to_owned(),
        })
    }

    /// Runs `werk` in one transaction on the writing (or reading) connection, on a blocking
    /// thread; commits if it succeeds. The commit is flushed only if `flush`
    /// (`synchronous=NORMAL` otherwise: durable with the next commit that is flushed, or a
    /// checkpoint of the WAL): for the journal's mover, whose batches the journal holds until
    /// then.
    pub(crate) async fn transactie_met<T: Send + 'static>(
        &self,
        schrijven: bool,
        flush: bool,
        werk: impl FnOnce(&mut dyn Sql) -> Result<T, LogError> + Send + 'static,
    ) -> Result<T, LogError> {
        let conn = Arc::clone(if schrijven {
            &self.schrijver
        } else {
            &self.lezer
        });
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().expect("log connection");
            // Set before every transaction, never after a commit: a failure then fails a
            // transaction that did nothing.
            if schrijven {
                let stand = if flush { "FULL" } else { "NORMAL" };
                conn.pragma_update(None, "synchronous", stand)?;
            }
            transactie_op(&mut conn, schrijven, werk)
        })
        .await
        .map_err(|e| LogError::Database(e.to_string()))?
    }

    /// The log's file.
    pub(crate) fn pad(&self) -> &Path {
        &self.pad
    }

    /// The bytes the log takes on disk: its file and its WAL (a benchmark's measure).
    pub fn omvang(&self) -> u64 {
        let mut wal = self.pad.as_os_str().to_owned();
        wal.push("-wal");
        [self.pad.clone(), wal.into()]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }

    /// Copies the WAL into the file and cuts it, so that [`Self::omvang`] counts pages only.
    pub fn checkpoint_wal(&self) -> Result<(), LogError> {
        let conn = self.schrijver.lock().expect("log connection");
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

/// Runs `werk` in one transaction on `conn`; commits if it succeeds.
fn transactie_op<T>(
    conn: &mut Connection,
    schrijven: bool,
    werk: impl FnOnce(&mut dyn Sql) -> Result<T, LogError>,
) -> Result<T, LogError> {
    let gedrag = if schrijven {
        TransactionBehavior::Immediate
    } else {
        TransactionBehavior::Deferred
    };
    let mut tx = SqliteTx(conn.transaction_with_behavior(gedrag)?);
    let uit = werk(&mut tx)?;
    tx.0.commit()?;
    Ok(uit)
}

struct SqliteTx<'a>(Transaction<'a>);

fn mac_van(b: Vec<u8>) -> Result<Mac, rusqlite::Error> {
    b.try_into().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(16, rusqlite::types::Type::Blob, "mac".into())
    })
}

fn id16(b: Vec<u8>) -> Result<[u8; 16], rusqlite::Error> {
    mac_van(b)
}

const KOLOMMEN: &str = "nr, tijd, gebruiker, code, actie, resultaat, rol, organisatie, regel, bron, \
    groep, traject, correlatie, mac";

/// A row of the per-client counts (the columns in the order the queries name them).
fn inzage_rij(r: &rusqlite::Row<'_>) -> Result<InzageRij, rusqlite::Error> {
    Ok(InzageRij {
        groep: r.get(0)?,
        gebruiker: r.get(1)?,
        rol: r.get(2)?,
        gelukt: r.get(3)?,
        geweigerd: r.get(4)?,
        eerste: r.get(5)?,
        laatste: r.get(6)?,
        codes: r.get(7)?,
    })
}

fn rij(r: &rusqlite::Row<'_>) -> Result<Rij, rusqlite::Error> {
    Ok(Rij {
        nr: r.get::<_, i64>(0)? as u64,
        tijd: r.get(1)?,
        gebruiker: r.get(2)?,
        code: r.get(3)?,
        actie: r.get::<_, i64>(4)? as u8,
        resultaat: r.get::<_, i64>(5)? as u8,
        rol: r.get(6)?,
        organisatie: r.get(7)?,
        regel: r.get(8)?,
        bron: r.get(9)?,
        groep: r.get(10)?,
        traject: r.get::<_, Option<Vec<u8>>>(11)?.map(id16).transpose()?,
        correlatie: id16(r.get(12)?)?,
        mac: mac_van(r.get(13)?)?,
    })
}

impl Sql for SqliteTx<'_> {
    fn vergrendel(&mut self) -> Result<(), LogError> {
        Ok(()) // BEGIN IMMEDIATE took the file's write lock
    }

    fn kop(&mut self) -> Result<Option<(u64, i64, Mac)>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT nr, tijd, mac FROM toegangslog_regel ORDER BY nr DESC LIMIT 1")?
            .query_row([], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get(1)?, mac_van(r.get(2)?)?))
            })
            .optional()?)
    }

    fn eerste_nr(&mut self) -> Result<Option<u64>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT nr FROM toegangslog_regel ORDER BY nr LIMIT 1")?
            .query_row([], |r| r.get::<_, i64>(0))
            .optional()?
            .map(|n| n as u64))
    }

    fn vanaf_nr(&mut self, nr: u64) -> Result<Option<(u64, i64)>, LogError> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT nr, tijd FROM toegangslog_regel WHERE nr >= ?1 ORDER BY nr LIMIT 1",
            )?
            .query_row([nr as i64], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
            .optional()?)
    }

    fn zoek_woord(&mut self, soort: Soort, tekst: &str) -> Result<Option<i64>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT nr FROM toegangslog_woord WHERE soort = ?1 AND tekst = ?2")?
            .query_row(params![soort as i64, tekst], |r| r.get(0))
            .optional()?)
    }

    fn nieuw_woord(&mut self, soort: Soort, tekst: &str) -> Result<i64, LogError> {
        Ok(self
            .0
            .prepare_cached(
                "INSERT INTO toegangslog_woord (soort, nr, tekst) \
             SELECT ?1, coalesce(max(nr) + 1, 0), ?2 FROM toegangslog_woord WHERE soort = ?1 \
             RETURNING nr",
            )?
            .query_row(params![soort as i64, tekst], |r| r.get(0))?)
    }

    fn woord(&mut self, soort: Soort, nr: i64) -> Result<Option<String>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT tekst FROM toegangslog_woord WHERE soort = ?1 AND nr = ?2")?
            .query_row(params![soort as i64, nr], |r| r.get(0))
            .optional()?)
    }

    fn zoek_client(&mut self, id: &uuid::Uuid) -> Result<Option<i64>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT nr FROM toegangslog_client WHERE id = ?1")?
            .query_row([id.as_bytes().as_slice()], |r| r.get(0))
            .optional()?)
    }

    fn nieuwe_client(&mut self, id: &uuid::Uuid) -> Result<i64, LogError> {
        Ok(self
            .0
            .prepare_cached("INSERT INTO toegangslog_client (id) VALUES (?1) RETURNING nr")?
            .query_row([id.as_bytes().as_slice()], |r| r.get(0))?)
    }

    fn client(&mut self, nr: i64) -> Result<Option<uuid::Uuid>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT id FROM toegangslog_client WHERE nr = ?1")?
            .query_row([nr], |r| id16(r.get(0)?))
            .optional()?
            .map(uuid::Uuid::from_bytes))
    }

    fn zoek_groep(&mut self, sleutel: &[u8; 16]) -> Result<Option<i64>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT nr FROM toegangslog_groep WHERE sleutel = ?1")?
            .query_row([sleutel.as_slice()], |r| r.get(0))
            .optional()?)
    }

    fn nieuwe_groep(
        &mut self,
        sleutel: &[u8; 16],
        inhoud: &[u8],
        clients: &[i64],
    ) -> Result<i64, LogError> {
        let nr: i64 = self
            .0
            .prepare_cached(
                "INSERT INTO toegangslog_groep (sleutel, clients) VALUES (?1, ?2) RETURNING nr",
            )?
            .query_row(params![sleutel.as_slice(), inhoud], |r| r.get(0))?;
        let mut stmt = self.0.prepare_cached(
            "INSERT OR IGNORE INTO toegangslog_client_groep (client, groep) VALUES (?1, ?2)",
        )?;
        for c in clients {
            stmt.execute([*c, nr])?;
        }
        Ok(nr)
    }

    fn groep(&mut self, nr: i64) -> Result<Option<Vec<u8>>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT clients FROM toegangslog_groep WHERE nr = ?1")?
            .query_row([nr], |r| r.get(0))
            .optional()?)
    }

    fn groepen_van(&mut self, client: i64) -> Result<Vec<i64>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT groep FROM toegangslog_client_groep WHERE client = ?1")?
            .query_map([client], |r| r.get(0))?
            .collect::<Result<_, _>>()?)
    }

    fn schrijf_rij(&mut self, rij: &Rij) -> Result<(), LogError> {
        self.0
            .prepare_cached(
                "INSERT INTO toegangslog_regel (nr, tijd, gebruiker, code, actie, resultaat, rol, \
                 organisatie, regel, bron, groep, traject, correlatie, mac) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?
            .execute(params![
                rij.nr as i64,
                rij.tijd,
                rij.gebruiker,
                rij.code,
                rij.actie,
                rij.resultaat,
                rij.rol,
                rij.organisatie,
                rij.regel,
                rij.bron,
                rij.groep,
                rij.traject.as_ref().map(|t| t.as_slice()),
                rij.correlatie.as_slice(),
                rij.mac.as_slice(),
            ])?;
        Ok(())
    }

    fn tel_inzage(&mut self, r: &InzageRij) -> Result<(), LogError> {
        self.0
            .prepare_cached(
                "INSERT INTO toegangslog_inzage \
                 (groep, gebruiker, rol, gelukt, geweigerd, eerste, laatste, codes) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
                 ON CONFLICT (groep, gebruiker, rol) DO UPDATE SET \
                 gelukt = gelukt + excluded.gelukt, geweigerd = geweigerd + excluded.geweigerd, \
                 eerste = min(eerste, excluded.eerste), laatste = max(laatste, excluded.laatste), \
                 codes = codes | excluded.codes",
            )?
            .execute(params![
                r.groep,
                r.gebruiker,
                r.rol,
                r.gelukt,
                r.geweigerd,
                r.eerste,
                r.laatste,
                r.codes
            ])?;
        Ok(())
    }

    fn inzage(&mut self, groepen: &[i64]) -> Result<Vec<InzageRij>, LogError> {
        let mut stmt = self.0.prepare_cached(
            "SELECT groep, gebruiker, rol, gelukt, geweigerd, eerste, laatste, codes \
             FROM toegangslog_inzage WHERE groep = ?1",
        )?;
        let mut uit = Vec::new();
        for g in groepen {
            for r in stmt.query_map([*g], inzage_rij)? {
                uit.push(r?);
            }
        }
        Ok(uit)
    }

    fn inzage_alle(&mut self) -> Result<Vec<InzageRij>, LogError> {
        Ok(self
            .0
            .prepare_cached(
                "SELECT groep, gebruiker, rol, gelukt, geweigerd, eerste, laatste, codes \
                 FROM toegangslog_inzage",
            )?
            .query_map([], inzage_rij)?
            .collect::<Result<_, _>>()?)
    }

    fn wis_inzage(&mut self) -> Result<(), LogError> {
        self.0.execute("DELETE FROM toegangslog_inzage", [])?;
        Ok(())
    }

    fn rijen_af(&mut self, f: &Filter, aantal: usize) -> Result<Vec<Rij>, LogError> {
        let sql = format!(
            "SELECT {KOLOMMEN} FROM toegangslog_regel WHERE nr BETWEEN ?1 AND ?2 \
             AND (?3 IS NULL OR gebruiker = ?3) AND (?4 IS NULL OR rol = ?4) \
             AND (?5 IS NULL OR actie = ?5) AND (?6 IS NULL OR resultaat = ?6) \
             AND (?7 IS NULL OR groep = ?7) ORDER BY nr DESC LIMIT ?8"
        );
        // The planner picks the index by the filter given: one statement per shape.
        let sql = match (f.gebruiker.is_some(), f.groep.is_some()) {
            (true, _) => sql.replace("(?3 IS NULL OR gebruiker = ?3)", "gebruiker = ?3"),
            (false, true) => sql.replace("(?7 IS NULL OR groep = ?7)", "groep = ?7"),
            (false, false) => sql,
        };
        Ok(self
            .0
            .prepare_cached(&sql)?
            .query_map(
                params![
                    f.van as i64,
                    f.tot as i64,
                    f.gebruiker,
                    f.rol,
                    f.actie,
                    f.resultaat,
                    f.groep,
                    aantal as i64
                ],
                rij,
            )?
            .collect::<Result<_, _>>()?)
    }

    fn rijen_op(&mut self, na: u64, aantal: usize) -> Result<Vec<Rij>, LogError> {
        Ok(self
            .0
            .prepare_cached(&format!(
                "SELECT {KOLOMMEN} FROM toegangslog_regel WHERE nr > ?1 ORDER BY nr LIMIT ?2"
            ))?
            .query_map(params![na as i64, aantal as i64], rij)?
            .collect::<Result<_, _>>()?)
    }

    fn meta(&mut self, naam: &str) -> Result<Option<Vec<u8>>, LogError> {
        Ok(self
            .0
            .prepare_cached("SELECT waarde FROM toegangslog_meta WHERE naam = ?1")?
            .query_row([naam], |r| r.get(0))
            .optional()?)
    }

    fn zet_meta(&mut self, naam: &str, waarde: &[u8]) -> Result<(), LogError> {
        self.0
            .prepare_cached(
                "INSERT INTO toegangslog_meta (naam, waarde) VALUES (?1, ?2) \
                 ON CONFLICT (naam) DO UPDATE SET waarde = excluded.waarde",
            )?
            .execute(params![naam, waarde])?;
        Ok(())
    }

    fn schrijf_checkpoint(&mut self, a: &Anker) -> Result<(), LogError> {
        self.0
            .prepare_cached(
                "INSERT OR REPLACE INTO toegangslog_checkpoint (nr, anker) VALUES (?1, ?2)",
            )?
            .execute(params![a.nr as i64, a.als_bytes()])?;
        Ok(())
    }

    fn checkpoints(&mut self, aantal: usize) -> Result<Vec<Anker>, LogError> {
        let bytes: Vec<Vec<u8>> = self
            .0
            .prepare_cached("SELECT anker FROM toegangslog_checkpoint ORDER BY nr DESC LIMIT ?1")?
            .query_map([aantal as i64], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        bytes
            .iter()
            .map(|b| Anker::uit_bytes(CHECKPOINT, b).ok_or(LogError::Onleesbaar("checkpoint")))
            .collect()
    }

    fn checkpoint(&mut self, nr: u64) -> Result<Option<Anker>, LogError> {
        self.0
            .prepare_cached("SELECT anker FROM toegangslog_checkpoint WHERE nr = ?1")?
            .query_row([nr as i64], |r| r.get::<_, Vec<u8>>(0))
            .optional()?
            .map(|b| Anker::uit_bytes(CHECKPOINT, &b).ok_or(LogError::Onleesbaar("checkpoint")))
            .transpose()
    }

    fn omvang(&mut self) -> Result<u64, LogError> {
        let paginas: i64 = self.0.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        let grootte: i64 = self.0.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        Ok((paginas * grootte) as u64)
    }

    fn verwijder_tot(&mut self, nr: u64) -> Result<(), LogError> {
        self.0
            .execute("DELETE FROM toegangslog_regel WHERE nr <= ?1", [nr as i64])?;
        self.0.execute(
            "DELETE FROM toegangslog_checkpoint WHERE nr < ?1",
            [nr as i64],
        )?;
        Ok(())
    }
}

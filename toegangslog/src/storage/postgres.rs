//! The log in PostgreSQL, in the event store's schema (or one of its own), for several servers
//! on one database. Every writing transaction first takes a transaction-level advisory lock, so
//! the servers chain one after another; reads run in REPEATABLE READ, so a page sees one
//! moment of the log. Two connections of its own (one writes, one reads), driven by the
//! synchronous `postgres` client on blocking threads (the operations in [`super`] are written
//! once, for both backends), each made again when the database closed it.

use std::str::FromStr;
use std::sync::{Arc, Mutex};

use postgres::{Client, IsolationLevel, NoTls, Transaction};

use super::{Filter, InzageRij, Rij, Soort, Sql};
use crate::LogError;
use crate::keten::{Anker, CHECKPOINT, Mac};

const TABELLEN: &str = "
CREATE TABLE IF NOT EXISTS toegangslog_regel (
    nr          BIGINT PRIMARY KEY,
    tijd        BIGINT NOT NULL,
    gebruiker   BIGINT NOT NULL,
    code        BIGINT NOT NULL,
    actie       SMALLINT NOT NULL,
    resultaat   SMALLINT NOT NULL,
    rol         BIGINT NOT NULL,
    organisatie BIGINT,
    regel       BIGINT NOT NULL,
    bron        BIGINT NOT NULL,
    groep       BIGINT,
    traject     BYTEA,
    correlatie  BYTEA NOT NULL,
    mac         BYTEA NOT NULL
);
CREATE INDEX IF NOT EXISTS toegangslog_regel_gebruiker ON toegangslog_regel (gebruiker, nr);
CREATE INDEX IF NOT EXISTS toegangslog_regel_groep ON toegangslog_regel (groep, nr)
    WHERE groep IS NOT NULL;
CREATE TABLE IF NOT EXISTS toegangslog_woord (
    soort SMALLINT NOT NULL,
    nr    BIGINT NOT NULL,
    tekst TEXT NOT NULL,
    PRIMARY KEY (soort, nr),
    UNIQUE (soort, tekst)
);
CREATE TABLE IF NOT EXISTS toegangslog_client (
    nr BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id BYTEA NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS toegangslog_groep (
    nr      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sleutel BYTEA NOT NULL UNIQUE,
    clients BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS toegangslog_client_groep (
    client BIGINT NOT NULL,
    groep  BIGINT NOT NULL,
    PRIMARY KEY (client, groep)
);
CREATE TABLE IF NOT EXISTS toegangslog_inzage (
    groep     BIGINT NOT NULL,
    gebruiker BIGINT NOT NULL,
    rol       BIGINT NOT NULL,
    gelukt    BIGINT NOT NULL,
    geweigerd BIGINT NOT NULL,
    eerste    BIGINT NOT NULL,
    laatste   BIGINT NOT NULL,
    codes     BIGINT NOT NULL,
    PRIMARY KEY (groep, gebruiker, rol)
);
CREATE TABLE IF NOT EXISTS toegangslog_checkpoint (
    nr    BIGINT PRIMARY KEY,
    anker BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS toegangslog_meta (
    naam   TEXT PRIMARY KEY,
    waarde BYTEA NOT NULL
);
";

/// The log in a PostgreSQL schema.
#[derive(Clone)]
pub struct PostgresLog {
    schrijver: Arc<Mutex<Verbinding>>,
    lezer: Arc<Mutex<Verbinding>>,
    slot: i64,
    /// To connect again after a lost connection.
    config: Arc<postgres::Config>,
}

/// A connection of the synchronous client. Closing one blocks on its own runtime, which a
/// thread of the server's runtime may not do: the last owner closes it on a thread of its own.
struct Verbinding(Option<Client>);

impl Drop for Verbinding {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            std::thread::spawn(move || drop(c));
        }
    }
}

impl From<postgres::Error> for LogError {
    fn from(e: postgres::Error) -> Self {
        LogError::Database(e.to_string())
    }
}

/// The advisory lock's key of the log in `schema`.
fn slot(schema: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("traject-toegangslog:{schema}").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}

impl PostgresLog {
    /// Connects to the log in `schema` of the database at `url`, creating the schema and the
    /// tables if missing.
    pub async fn connect(url: &str, schema: &str) -> Result<Self, LogError> {
        if schema.is_empty()
            || !schema
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(LogError::Database(
                "schema: alleen kleine letters, cijfers en _".to_owned(),
            ));
        }
        let mut config = postgres::Config::from_str(url)
            .map_err(|e| LogError::Database(format!("database-URL: {e}")))?;
        config.options(&format!("-c search_path={schema}"));
        let slot = slot(schema);
        let schema = schema.to_owned();
        tokio::task::spawn_blocking(move || {
            let mut schrijver = config.connect(NoTls)?;
            let lezer = config.connect(NoTls)?;
            let mut tx = schrijver.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&slot])?;
            tx.batch_execute(&format!(
                "CREATE SCHEMA IF NOT EXISTS \"{schema}\"; {TABELLEN}"
            ))?;
            tx.commit()?;
            Ok(Self {
                schrijver: Arc::new(Mutex::new(Verbinding(Some(schrijver)))),
                lezer: Arc::new(Mutex::new(Verbinding(Some(lezer)))),
                slot,
                config: Arc::new(config),
            })
        })
        .await
        .map_err(|e| LogError::Database(e.to_string()))?
    }

    /// Runs `werk` in one transaction, on a blocking thread; commits if it succeeds.
    pub(crate) async fn transactie<T: Send + 'static>(
        &self,
        schrijven: bool,
        werk: impl FnOnce(&mut dyn Sql) -> Result<T, LogError> + Send + 'static,
    ) -> Result<T, LogError> {
        let conn = Arc::clone(if schrijven {
            &self.schrijver
        } else {
            &self.lezer
        });
        let slot = self.slot;
        let config = Arc::clone(&self.config);
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().expect("log connection");
            // A connection the database closed (a restart, a cut network) is made again, so the
            // log works again as soon as the database does: the synchronous client learns of a
            // closing only when it uses the connection, so a BEGIN that finds it closed is sent
            // once more on a new connection (nothing was done on the old one). The old one is
            // closed on a thread of its own (`Verbinding`'s drop).
            let niveau = if schrijven {
                IsolationLevel::ReadCommitted
            } else {
                IsolationLevel::RepeatableRead
            };
            let mut werk = Some(werk);
            let mut gesloten = false;
            for poging in 0..2 {
                if gesloten || conn.0.as_ref().is_none_or(Client::is_closed) {
                    *conn = Verbinding(Some(config.connect(NoTls)?));
                }
                let client = conn.0.as_mut().expect("a connection until dropped");
                let tx = match client.build_transaction().isolation_level(niveau).start() {
                    Ok(tx) => tx,
                    Err(e) if poging == 0 && e.is_closed() => {
                        gesloten = true;
                        continue;
                    }
                    Err(e) => return Err(e.into()),
                };
                let mut tx = PostgresTx { tx, slot };
                let uit = (werk.take().expect("once"))(&mut tx)?;
                tx.tx.commit()?;
                return Ok(uit);
            }
            Err(LogError::Database("geen verbinding".to_owned()))
        })
        .await
        .map_err(|e| LogError::Database(e.to_string()))?
    }
}

struct PostgresTx<'a> {
    tx: Transaction<'a>,
    slot: i64,
}

fn mac_van(b: Vec<u8>) -> Result<Mac, LogError> {
    b.try_into().map_err(|_| LogError::Onleesbaar("mac"))
}

const KOLOMMEN: &str = "nr, tijd, gebruiker, code, actie, resultaat, rol, organisatie, regel, bron, \
    groep, traject, correlatie, mac";

/// A row of the per-client counts (the columns in the order the queries name them).
fn inzage_rij(r: &postgres::Row) -> InzageRij {
    InzageRij {
        groep: r.get(0),
        gebruiker: r.get(1),
        rol: r.get(2),
        gelukt: r.get(3),
        geweigerd: r.get(4),
        eerste: r.get(5),
        laatste: r.get(6),
        codes: r.get(7),
    }
}

fn rij(r: &postgres::Row) -> Result<Rij, LogError> {
    Ok(Rij {
        nr: r.get::<_, i64>(0) as u64,
        tijd: r.get(1),
        gebruiker: r.get(2),
        code: r.get(3),
        actie: r.get::<_, i16>(4) as u8,
        resultaat: r.get::<_, i16>(5) as u8,
        rol: r.get(6),
        organisatie: r.get(7),
        regel: r.get(8),
        bron: r.get(9),
        groep: r.get(10),
        traject: r.get::<_, Option<Vec<u8>>>(11).map(mac_van).transpose()?,
        correlatie: mac_van(r.get(12))?,
        mac: mac_van(r.get(13))?,
    })
}

impl Sql for PostgresTx<'_> {
    fn vergrendel(&mut self) -> Result<(), LogError> {
        self.tx
            .execute("SELECT pg_advisory_xact_lock($1)", &[&self.slot])?;
        Ok(())
    }

    fn omvang(&mut self) -> Result<u64, LogError> {
        let n: i64 = self
            .tx
            .query_one(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname = current_schema() AND c.relkind = 'r' \
                 AND c.relname LIKE 'toegangslog_%'",
                &[],
            )?
            .get(0);
        Ok(n as u64)
    }

    fn kop(&mut self) -> Result<Option<(u64, i64, Mac)>, LogError> {
        self.tx
            .query_opt(
                "SELECT nr, tijd, mac FROM toegangslog_regel ORDER BY nr DESC LIMIT 1",
                &[],
            )?
            .map(|r| Ok((r.get::<_, i64>(0) as u64, r.get(1), mac_van(r.get(2))?)))
            .transpose()
    }

    fn eerste_nr(&mut self) -> Result<Option<u64>, LogError> {
        Ok(self
            .tx
            .query_opt("SELECT nr FROM toegangslog_regel ORDER BY nr LIMIT 1", &[])?
            .map(|r| r.get::<_, i64>(0) as u64))
    }

    fn vanaf_nr(&mut self, nr: u64) -> Result<Option<(u64, i64)>, LogError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT nr, tijd FROM toegangslog_regel WHERE nr >= $1 ORDER BY nr LIMIT 1",
                &[&(nr as i64)],
            )?
            .map(|r| (r.get::<_, i64>(0) as u64, r.get(1))))
    }

    fn zoek_woord(&mut self, soort: Soort, tekst: &str) -> Result<Option<i64>, LogError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT nr FROM toegangslog_woord WHERE soort = $1 AND tekst = $2",
                &[&(soort as i16), &tekst],
            )?
            .map(|r| r.get(0)))
    }

    fn nieuw_woord(&mut self, soort: Soort, tekst: &str) -> Result<i64, LogError> {
        Ok(self
            .tx
            .query_one(
                "INSERT INTO toegangslog_woord (soort, nr, tekst) \
                 SELECT $1, coalesce(max(nr) + 1, 0), $2 FROM toegangslog_woord WHERE soort = $1 \
                 RETURNING nr",
                &[&(soort as i16), &tekst],
            )?
            .get(0))
    }

    fn woord(&mut self, soort: Soort, nr: i64) -> Result<Option<String>, LogError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT tekst FROM toegangslog_woord WHERE soort = $1 AND nr = $2",
                &[&(soort as i16), &nr],
            )?
            .map(|r| r.get(0)))
    }

    fn zoek_client(&mut self, id: &uuid::Uuid) -> Result<Option<i64>, LogError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT nr FROM toegangslog_client WHERE id = $1",
                &[&id.as_bytes().as_slice()],
            )?
            .map(|r| r.get(0)))
    }

    fn nieuwe_client(&mut self, id: &uuid::Uuid) -> Result<i64, LogError> {
        Ok(self
            .tx
            .query_one(
                "INSERT INTO toegangslog_client (id) VALUES ($1) RETURNING nr",
                &[&id.as_bytes().as_slice()],
            )?
            .get(0))
    }

    fn client(&mut self, nr: i64) -> Result<Option<uuid::Uuid>, LogError> {
        self.tx
            .query_opt("SELECT id FROM toegangslog_client WHERE nr = $1", &[&nr])?
            .map(|r| mac_van(r.get(0)).map(uuid::Uuid::from_bytes))
            .transpose()
    }

    fn zoek_groep(&mut self, sleutel: &[u8; 16]) -> Result<Option<i64>, LogError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT nr FROM toegangslog_groep WHERE sleutel = $1",
                &[&sleutel.as_slice()],
            )?
            .map(|r| r.get(0)))
    }

    fn nieuwe_groep(
        &mut self,
        sleutel: &[u8; 16],
        inhoud: &[u8],
        clients: &[i64],
    ) -> Result<i64, LogError> {
        let nr: i64 = self
            .tx
            .query_one(
                "INSERT INTO toegangslog_groep (sleutel, clients) VALUES ($1, $2) RETURNING nr",
                &[&sleutel.as_slice(), &inhoud],
            )?
            .get(0);
        self.tx.execute(
            "INSERT INTO toegangslog_client_groep (client, groep) \
             SELECT unnest($1::bigint[]), $2 ON CONFLICT DO NOTHING",
            &[&clients, &nr],
        )?;
        Ok(nr)
    }

    fn groep(&mut self, nr: i64) -> Result<Option<Vec<u8>>, LogError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT clients FROM toegangslog_groep WHERE nr = $1",
                &[&nr],
            )?
            .map(|r| r.get(0)))
    }

    fn groepen_van(&mut self, client: i64) -> Result<Vec<i64>, LogError> {
        Ok(self
            .tx
            .query(
                "SELECT groep FROM toegangslog_client_groep WHERE client = $1",
                &[&client],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect())
    }

    fn schrijf_rij(&mut self, rij: &Rij) -> Result<(), LogError> {
        self.tx.execute(
            "INSERT INTO toegangslog_regel (nr, tijd, gebruiker, code, actie, resultaat, rol, \
             organisatie, regel, bron, groep, traject, correlatie, mac) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            &[
                &(rij.nr as i64),
                &rij.tijd,
                &rij.gebruiker,
                &rij.code,
                &i16::from(rij.actie),
                &i16::from(rij.resultaat),
                &rij.rol,
                &rij.organisatie,
                &rij.regel,
                &rij.bron,
                &rij.groep,
                &rij.traject.as_ref().map(|t| t.as_slice()),
                &rij.correlatie.as_slice(),
                &rij.mac.as_slice(),
            ],
        )?;
        Ok(())
    }

    fn tel_inzage(&mut self, r: &InzageRij) -> Result<(), LogError> {
        self.tx.execute(
            "INSERT INTO toegangslog_inzage AS i \
             (groep, gebruiker, rol, gelukt, geweigerd, eerste, laatste, codes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (groep, gebruiker, rol) DO UPDATE SET \
             gelukt = i.gelukt + excluded.gelukt, geweigerd = i.geweigerd + excluded.geweigerd, \
             eerste = least(i.eerste, excluded.eerste), \
             laatste = greatest(i.laatste, excluded.laatste), codes = i.codes | excluded.codes",
            &[
                &r.groep,
                &r.gebruiker,
                &r.rol,
                &r.gelukt,
                &r.geweigerd,
                &r.eerste,
                &r.laatste,
                &r.codes,
            ],
        )?;
        Ok(())
    }

    fn inzage(&mut self, groepen: &[i64]) -> Result<Vec<InzageRij>, LogError> {
        Ok(self
            .tx
            .query(
                "SELECT groep, gebruiker, rol, gelukt, geweigerd, eerste, laatste, codes \
                 FROM toegangslog_inzage WHERE groep = ANY($1)",
                &[&groepen],
            )?
            .iter()
            .map(inzage_rij)
            .collect())
    }

    fn inzage_alle(&mut self) -> Result<Vec<InzageRij>, LogError> {
        Ok(self
            .tx
            .query(
                "SELECT groep, gebruiker, rol, gelukt, geweigerd, eerste, laatste, codes \
                 FROM toegangslog_inzage",
                &[],
            )?
            .iter()
            .map(inzage_rij)
            .collect())
    }

    fn wis_inzage(&mut self) -> Result<(), LogError> {
        self.tx.execute("DELETE FROM toegangslog_inzage", &[])?;
        Ok(())
    }

    fn rijen_af(&mut self, f: &Filter, aantal: usize) -> Result<Vec<Rij>, LogError> {
        let sql = format!(
            "SELECT {KOLOMMEN} FROM toegangslog_regel WHERE nr BETWEEN $1 AND $2 \
             AND ($3::bigint IS NULL OR gebruiker = $3) AND ($4::bigint IS NULL OR rol = $4) \
             AND ($5::smallint IS NULL OR actie = $5) \
             AND ($6::smallint IS NULL OR resultaat = $6) \
             AND ($7::bigint IS NULL OR groep = $7) ORDER BY nr DESC LIMIT $8"
        );
        let sql = match (f.gebruiker.is_some(), f.groep.is_some()) {
            (true, _) => sql.replace("($3::bigint IS NULL OR gebruiker = $3)", "gebruiker = $3"),
            (false, true) => sql.replace("($7::bigint IS NULL OR groep = $7)", "groep = $7"),
            (false, false) => sql,
        };
        self.tx
            .query(
                &sql,
                &[
                    &(f.van as i64),
                    &(f.tot as i64),
                    &f.gebruiker,
                    &f.rol,
                    &f.actie.map(i16::from),
                    &f.resultaat.map(i16::from),
                    &f.groep,
                    &(aantal as i64),
                ],
            )?
            .iter()
            .map(rij)
            .collect()
    }

    fn rijen_op(&mut self, na: u64, aantal: usize) -> Result<Vec<Rij>, LogError> {
        self.tx
            .query(
                &format!(
                    "SELECT {KOLOMMEN} FROM toegangslog_regel WHERE nr > $1 ORDER BY nr LIMIT $2"
                ),
                &[&(na as i64), &(aantal as i64)],
            )?
            .iter()
            .map(rij)
            .collect()
    }

    fn meta(&mut self, naam: &str) -> Result<Option<Vec<u8>>, LogError> {
        Ok(self
            .tx
            .query_opt(
                "SELECT waarde FROM toegangslog_meta WHERE naam = $1",
                &[&naam],
            )?
            .map(|r| r.get(0)))
    }

    fn zet_meta(&mut self, naam: &str, waarde: &[u8]) -> Result<(), LogError> {
        self.tx.execute(
            "INSERT INTO toegangslog_meta (naam, waarde) VALUES ($1, $2) \
             ON CONFLICT (naam) DO UPDATE SET waarde = excluded.waarde",
            &[&naam, &waarde],
        )?;
        Ok(())
    }

    fn schrijf_checkpoint(&mut self, a: &Anker) -> Result<(), LogError> {
        self.tx.execute(
            "INSERT INTO toegangslog_checkpoint (nr, anker) VALUES ($1, $2) \
             ON CONFLICT (nr) DO UPDATE SET anker = excluded.anker",
            &[&(a.nr as i64), &a.als_bytes()],
        )?;
        Ok(())
    }

    fn checkpoints(&mut self, aantal: usize) -> Result<Vec<Anker>, LogError> {
        self.tx
            .query(
                "SELECT anker FROM toegangslog_checkpoint ORDER BY nr DESC LIMIT $1",
                &[&(aantal as i64)],
            )?
            .iter()
            .map(|r| {
                Anker::uit_bytes(CHECKPOINT, &r.get::<_, Vec<u8>>(0))
                    .ok_or(LogError::Onleesbaar("checkpoint"))
            })
            .collect()
    }

    fn checkpoint(&mut self, nr: u64) -> Result<Option<Anker>, LogError> {
        self.tx
            .query_opt(
                "SELECT anker FROM toegangslog_checkpoint WHERE nr = $1",
                &[&(nr as i64)],
            )?
            .map(|r| {
                Anker::uit_bytes(CHECKPOINT, &r.get::<_, Vec<u8>>(0))
                    .ok_or(LogError::Onleesbaar("checkpoint"))
            })
            .transpose()
    }

    fn verwijder_tot(&mut self, nr: u64) -> Result<(), LogError> {
        self.tx.execute(
            "DELETE FROM toegangslog_regel WHERE nr <= $1",
            &[&(nr as i64)],
        )?;
        self.tx.execute(
            "DELETE FROM toegangslog_checkpoint WHERE nr < $1",
            &[&(nr as i64)],
        )?;
        Ok(())
    }
}

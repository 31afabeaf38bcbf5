//! The access log of traject (product.md, "Personal data"; NEN 7513): one entry for every read,
//! search, write or refusal that touches person-level data, kept so that a client can be told
//! who looked at their file, and so that nobody, a database administrator included, can change
//! or remove an entry unnoticed.
//!
//! - [`toegang`]: an entry (what, when, who, in which role, under which rule, on which clients).
//! - [`vorm`]: its stored forms, versioned: the canonical bytes the chain covers, and the inbox
//!   form of a write's entry.
//! - [`keten`]: the keyed chain (HMAC under a key kept outside the database), signed checkpoints
//!   and verification that names the first broken entry.
//! - [`storage`]: the tables, in SQLite or PostgreSQL: compact rows (about 70 bytes), the clients
//!   of a list read stored once per distinct list, and indexes per client and per user.
//! - [`quota`]: the per-user limit on person-level reads; [`signalen`]: unusual access;
//!   [`archief`]: old entries moved to a signed file.
//!
//! # Two ways in, one chain
//! A read is logged by the writer task: it takes what is queued, makes it durable in one write
//! and answers every caller then, so no data leaves without its entry. On PostgreSQL that write
//! is the transaction that chains the entries onto the log. On the embedded backend it is an
//! append to the log's [`journaal`] with one flush; a second task chains the journal's batches
//! onto the log in larger transactions, and recording how far it got in the same transaction,
//! so the tables' pages are not written and flushed again for every few requests.
//! A write of person-level data cannot share a transaction with a log in another file, so its
//! entry goes into the stream `toegangslog` of the event store, in the same transaction as the
//! write ([`Toegangslog::write_with`]); a task moves those entries into the chain (the "inbox"),
//! recording in the same log transaction how far it got, so each is moved exactly once, also
//! after a crash. Entries that earlier versions wrote to that stream are moved the same way on
//! the first start. Queries wait until the inbox is moved up to the store's head, and the
//! journal up to what was acknowledged when they began.

pub mod archief;
pub mod journaal;
pub mod keten;
pub mod quota;
pub mod signalen;
pub mod storage;
pub mod toegang;
pub mod vorm;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, mpsc, oneshot, watch};
use traject_domain::value::ClientId;
use traject_store::{
    AppendResult, Direction, EventStore, ExpectedRevision, ReadFrom, StoreError, StreamAppend,
    StreamName,
};

pub use keten::{Anker, Breuk, LogKey, Volger};
pub use quota::ReadQuota;
pub use signalen::{Drempels, Signaal};
pub use storage::postgres::PostgresLog;
pub use storage::sqlite::SqliteLog;
pub use toegang::{Actie, Logregel, Resultaat, Toegang};

use storage::{Cache, Sql};

/// The event store's stream that holds the entries of writes until they are in the chain.
pub const INBOX: &str = "toegangslog";
/// The rule named in the entry of a read refused by the quota.
pub const QUOTUM_REGEL: &str = "inzagequotum";
/// The most entries one transaction of the writer takes.
const MAX_BATCH: usize = 1_000;
/// About the most bytes of entries one batch of the writer takes (an entry of many clients is
/// large); a batch takes one entry at least.
const MAX_BATCH_BYTES: usize = 4 << 20;
/// The most entries one transaction of the journal's mover takes.
const MAX_VERHUIS: usize = 10_000;
/// How often the writer lets the runtime run before it closes a batch (see `schrijver`): under
/// load a commit then takes about three times the entries: a third of the flushes, about 0.6 of
/// the bytes written and less work a request, at the same throughput
/// (docs/benchmarks-history.md, "Issue 33, the thirty-sixth session").
const OPHAALRONDES: usize = 2;
/// How long a query waits for the inbox to be moved before it answers UNAVAILABLE.
const BIJ_WACHTTIJD: Duration = Duration::from_secs(5);
/// How often the inbox is looked at without a write of this server (other servers' writes).
const INBOX_ELKE: Duration = Duration::from_secs(1);

/// Why an entry could not be written or the log not be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LogError {
    /// The log's database failed.
    #[error("toegangslog: {0}")]
    Database(String),
    /// The event store (the inbox) failed.
    #[error("toegangslog: store: {0}")]
    Store(String),
    /// The writer task has stopped.
    #[error("toegangslog: de schrijver is gestopt")]
    Gestopt,
    /// Something stored does not read as what it should be.
    #[error("toegangslog: onleesbaar ({0})")]
    Onleesbaar(&'static str),
    /// The log was written with another key.
    #[error(
        "toegangslog: deze log is met een andere sleutel geschreven (sleutel-id {verwacht}); start met die sleutel"
    )]
    AndereSleutel {
        /// The id stored in the log.
        verwacht: String,
    },
    /// The entries of recent writes are not in the chain yet and did not get there in time.
    #[error("toegangslog: de regels van recente wijzigingen zijn nog niet verwerkt")]
    NietBij,
}

impl From<StoreError> for LogError {
    fn from(e: StoreError) -> Self {
        Self::Store(e.to_string())
    }
}

/// Why a write with its entry ([`Toegangslog::write_with`]) failed.
#[derive(Debug)]
pub enum AppendError {
    /// The write itself was refused or failed; its entry is logged as refused (or failed).
    Store(StoreError),
    /// The entry could not be written; neither was the write.
    Log(LogError),
}

/// What a search asks for; every filter is optional.
#[derive(Debug, Clone, Default)]
pub struct Zoekopdracht {
    /// Only entries touching this client.
    pub client: Option<ClientId>,
    /// Only this user's.
    pub gebruiker: Option<String>,
    /// Only in this role.
    pub rol: Option<String>,
    /// Only this action.
    pub actie: Option<Actie>,
    /// Only this result.
    pub resultaat: Option<Resultaat>,
    /// From this moment on.
    pub van: Option<DateTime<Utc>>,
    /// Before this moment.
    pub tot: Option<DateTime<Utc>>,
    /// The cursor: only entries numbered below it (the `volgende` of the previous page).
    pub voor: Option<u64>,
    /// How many entries at most.
    pub aantal: usize,
}

/// A page of a search, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagina {
    /// The entries.
    pub regels: Vec<Logregel>,
    /// The cursor of the next page, if there are more.
    pub volgende: Option<u64>,
}

/// Who accessed one client's file: one line per user and role, most recent first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inzager {
    /// The user id.
    pub gebruiker: String,
    /// The role they acted in.
    pub rol: String,
    /// How many accesses were allowed.
    pub gelukt: u64,
    /// How many were refused or failed.
    pub geweigerd: u64,
    /// The first access.
    pub eerste: DateTime<Utc>,
    /// The last access.
    pub laatste: DateTime<Utc>,
    /// The kinds of access (event codes), sorted.
    pub codes: Vec<String>,
}

/// The outcome of a verification of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Controle {
    /// Whether everything checked out (so far, while not `klaar`).
    pub intact: bool,
    /// Whether the check is done; if not, it goes on in the background and `tot` is how far it
    /// got.
    pub klaar: bool,
    /// The number before the first live entry (0, or the last archived).
    pub van: u64,
    /// The last entry that checked out.
    pub tot: u64,
    /// How many entries were checked this time (from the last verified place on).
    pub nieuw_gecontroleerd: u64,
    /// Where and why it broke.
    pub breuk: Option<Breuk>,
    /// Whether a full check found the per-client counts different from the entries and built
    /// them again.
    pub overzicht_hersteld: bool,
}

impl Controle {
    fn gebroken(van: u64, tot: u64, breuk: Breuk) -> Self {
        Self {
            intact: false,
            klaar: true,
            van,
            tot,
            nieuw_gecontroleerd: 0,
            breuk: Some(breuk),
            overzicht_hersteld: false,
        }
    }
}

/// A check of the chain that runs in the background.
#[derive(Default)]
struct ControleTaak {
    /// The running check and how far it got.
    lopend: Option<(LopendeControle, Arc<std::sync::atomic::AtomicU64>)>,
}

/// The task of a running check.
type LopendeControle = tokio::task::JoinHandle<Result<Controle, LogError>>;

/// How long a request waits for a check before it answers with the progress.
const CONTROLE_WACHTTIJD: Duration = Duration::from_secs(2);
/// How many entries a check reads per read transaction.
const CONTROLE_PAGINA: usize = 20_000;

/// Where the log's tables are.
#[derive(Clone)]
pub enum Storage {
    /// A SQLite file.
    Sqlite(SqliteLog),
    /// A PostgreSQL schema.
    Postgres(PostgresLog),
}

impl Storage {
    /// Whether this log was written with `sleutel` (or is new); writes nothing.
    pub async fn past(&self, sleutel: &LogKey) -> Result<(), LogError> {
        let id = sleutel.id().to_owned();
        self.transactie(false, move |sql| {
            storage::controleer_id_zonder_schrijven(sql, &id)
        })
        .await
    }

    /// Whether this log holds no entries.
    pub async fn is_empty(&self) -> Result<bool, LogError> {
        Ok(self.transactie(false, |sql| sql.kop()).await?.is_none())
    }

    /// Runs `werk` in one transaction (on the writing connection if `schrijven`).
    async fn transactie<T: Send + 'static>(
        &self,
        schrijven: bool,
        werk: impl FnOnce(&mut dyn Sql) -> Result<T, LogError> + Send + 'static,
    ) -> Result<T, LogError> {
        self.transactie_met(schrijven, true, werk).await
    }

    /// [`Self::transactie`], on SQLite flushed only if `flush` (for the journal's mover);
    /// PostgreSQL's commits are always flushed.
    async fn transactie_met<T: Send + 'static>(
        &self,
        schrijven: bool,
        flush: bool,
        werk: impl FnOnce(&mut dyn Sql) -> Result<T, LogError> + Send + 'static,
    ) -> Result<T, LogError> {
        match self {
            Storage::Sqlite(s) => s.transactie_met(schrijven, flush, werk).await,
            Storage::Postgres(p) => p.transactie(schrijven, werk).await,
        }
    }
}

/// Who else writes a log in a SQLite file, which decides whether this process keeps its journal
/// (one process at a time may).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schrijvers {
    /// Nobody: this process holds the lock of the directory the log is in. It keeps the
    /// journal, and first chains what the journal holds.
    Alleen,
    /// A server that keeps the journal runs beside this command: no journal, the entries of
    /// this process are chained in its own flushed transactions, and the server moves the inbox
    /// (after the reads it acknowledged before). Its queries see the server's entries once the
    /// server has chained them, milliseconds after they were acknowledged.
    NaastServer,
    /// Several processes may write the log and none holds it (a vault directory that servers
    /// of one PostgreSQL or KurrentDB store share): no journal, each moves the inbox.
    Gedeeld,
}

/// An entry handed to the writer ([`Toegangslog::dien_in`]), not yet known to be durable.
#[must_use = "an entry is only durable once `duurzaam` returned"]
pub struct Ingediend(Option<oneshot::Receiver<Result<(), LogError>>>);

impl Ingediend {
    /// Waits until the entry is durable (at once for a read the log leaves out); an error if it
    /// could not be written.
    pub async fn duurzaam(self) -> Result<(), LogError> {
        match self.0 {
            Some(rx) => rx.await.map_err(|_| LogError::Gestopt)?,
            None => Ok(()),
        }
    }
}

/// One entry for the writer.
struct Verzoek {
    toegang: Toegang,
    antwoord: oneshot::Sender<Result<(), LogError>>,
}

/// How far the journal's batches are (embedded backend).
#[derive(Clone)]
struct Voortgang {
    /// How many batches the writer has acknowledged since the log was opened.
    geschreven: watch::Receiver<u64>,
    /// How many of them are in the tables.
    verhuisd: watch::Receiver<u64>,
}

/// A handle to the log.
#[derive(Clone)]
pub struct Toegangslog {
    opslag: Storage,
    sleutel: Arc<LogKey>,
    cache: Arc<Mutex<Cache>>,
    verzoeken: mpsc::Sender<Verzoek>,
    store: Arc<dyn EventStore>,
    inbox_wekker: Arc<Notify>,
    /// How far the inbox is in the chain, as far as this server knows.
    inbox_stand: watch::Receiver<Option<u64>>,
    quotum: Arc<ReadQuota>,
    controle: Arc<tokio::sync::Mutex<ControleTaak>>,
    /// Whether allowed reads are logged (always, but in a benchmark's comparison).
    leeslog: bool,
    /// The journal's progress (embedded backend).
    voortgang: Option<Voortgang>,
}

impl Toegangslog {
    /// Opens the log in `opslag` with `sleutel` (refused if the log was written with another),
    /// and starts its writer and the task that moves writes' entries from `store`'s inbox. On
    /// SQLite the log's [`journaal`] is this process's alone ([`Schrijvers::Alleen`]): first
    /// chains what it holds.
    pub async fn open(
        opslag: Storage,
        sleutel: LogKey,
        store: Arc<dyn EventStore>,
        quotum: ReadQuota,
    ) -> Result<Self, LogError> {
        Self::open_met(opslag, sleutel, store, quotum, Schrijvers::Alleen).await
    }

    /// [`Self::open`], saying who else writes the log ([`Schrijvers`]; on PostgreSQL it makes
    /// no difference).
    pub async fn open_met(
        opslag: Storage,
        sleutel: LogKey,
        store: Arc<dyn EventStore>,
        quotum: ReadQuota,
        schrijvers: Schrijvers,
    ) -> Result<Self, LogError> {
        let met_journaal = schrijvers == Schrijvers::Alleen;
        let sleutel = Arc::new(sleutel);
        let s = Arc::clone(&sleutel);
        opslag
            .transactie(true, move |sql| storage::controleer_sleutel(sql, &s))
            .await?;
        let (verzoeken, rx) = mpsc::channel(4096);
        let (stand, inbox_stand) = watch::channel(None);
        let log = Self {
            opslag,
            sleutel,
            cache: Arc::default(),
            verzoeken,
            store,
            inbox_wekker: Arc::new(Notify::new()),
            inbox_stand,
            quotum: Arc::new(quotum),
            controle: Arc::default(),
            leeslog: true,
            voortgang: None,
        };
        let log = match log.opslag.clone() {
            Storage::Sqlite(s) if met_journaal => {
                let j = log.herstel_journaal(&s).await?;
                let (geschreven_tx, geschreven) = watch::channel(0);
                let (verhuisd_tx, verhuisd) = watch::channel(0);
                let log = Self {
                    voortgang: Some(Voortgang {
                        geschreven,
                        verhuisd: verhuisd.clone(),
                    }),
                    ..log
                };
                let (batches, batches_rx) = mpsc::unbounded_channel();
                tokio::spawn(journaal_schrijver(
                    log.opslag.clone(),
                    rx,
                    j,
                    geschreven_tx,
                    batches,
                    verhuisd,
                ));
                tokio::spawn(journaal_verhuizer(log.clone(), batches_rx, verhuisd_tx));
                log
            }
            _ => {
                tokio::spawn(schrijver(log.clone(), rx));
                log
            }
        };
        // Beside a server on SQLite the server moves the inbox, after the reads it acknowledged
        // before (a command here would not know them).
        if schrijvers != Schrijvers::NaastServer || matches!(log.opslag, Storage::Postgres(_)) {
            tokio::spawn(inbox_verhuizer(log.clone(), stand));
        }
        Ok(log)
    }

    /// Chains what the journal holds beyond the recorded progress onto the log (what a server
    /// stopped before it moved) and starts the journal's next generation.
    async fn herstel_journaal(&self, s: &SqliteLog) -> Result<journaal::Journaal, LogError> {
        let pad = journaal::pad_naast(s.pad());
        let p = pad.clone();
        let inhoud = tokio::task::spawn_blocking(move || journaal::lees(&p))
            .await
            .map_err(|e| LogError::Database(e.to_string()))?
            .map_err(journaal_fout)?;
        let generatie = inhoud.generatie;
        let (hoogste, hersteld) = self
            .transactie(true, move |sql, cache, sleutel| {
                let stand = journaal_stand(sql)?;
                let rest = inhoud.na(stand);
                let hoogste = stand.map_or(0, |s| s.generatie).max(generatie);
                // The generation about to begin, in this flushed commit: a changed value, so the
                // commit writes and flushes the WAL, and with it the mover's earlier commits (a
                // crash may have left them unflushed) before the new generation hides the
                // journal's batches.
                sql.zet_meta(journaal::META_BEGONNEN, &(hoogste + 1).to_be_bytes())?;
                let Some(eind) = rest.last().map(|b| b.eind) else {
                    return Ok((hoogste, 0));
                };
                let toegangen: Vec<Toegang> = rest.into_iter().flat_map(|b| b.toegangen).collect();
                let aantal = toegangen.len();
                storage::voeg_toe(sql, cache, sleutel, toegangen, None)?;
                sql.zet_meta(
                    journaal::META,
                    &journaal::Stand { generatie, eind }.als_bytes(),
                )?;
                Ok((hoogste, aantal))
            })
            .await?;
        if hersteld > 0 {
            tracing::info!(
                entries = hersteld,
                "toegangslog: entries from the journal chained onto the log"
            );
        }
        tokio::task::spawn_blocking(move || journaal::Journaal::begin(&pad, hoogste + 1))
            .await
            .map_err(|e| LogError::Database(e.to_string()))?
            .map_err(journaal_fout)
    }

    /// Waits until every entry acknowledged so far is in the tables (at a server's stop).
    pub async fn close(&self) -> Result<(), LogError> {
        self.journaal_bij().await
    }

    /// Waits until every batch of the journal acknowledged so far is in the tables.
    async fn journaal_bij(&self) -> Result<(), LogError> {
        let Some(v) = &self.voortgang else {
            return Ok(());
        };
        let doel = *v.geschreven.borrow();
        let mut verhuisd = v.verhuisd.clone();
        match tokio::time::timeout(BIJ_WACHTTIJD, verhuisd.wait_for(|n| *n >= doel)).await {
            Ok(Ok(_)) => Ok(()),
            _ => Err(LogError::NietBij),
        }
    }

    /// The quota on person-level reads.
    pub fn quotum(&self) -> &ReadQuota {
        &self.quotum
    }

    /// The key's id.
    pub fn sleutel_id(&self) -> &str {
        self.sleutel.id()
    }

    async fn transactie<T: Send + 'static>(
        &self,
        schrijven: bool,
        werk: impl FnOnce(&mut dyn Sql, &mut Cache, &LogKey) -> Result<T, LogError> + Send + 'static,
    ) -> Result<T, LogError> {
        self.transactie_met(schrijven, true, werk).await
    }

    /// [`Self::transactie`], flushed only if `flush` ([`Storage::transactie_met`]).
    async fn transactie_met<T: Send + 'static>(
        &self,
        schrijven: bool,
        flush: bool,
        werk: impl FnOnce(&mut dyn Sql, &mut Cache, &LogKey) -> Result<T, LogError> + Send + 'static,
    ) -> Result<T, LogError> {
        let cache = Arc::clone(&self.cache);
        let sleutel = Arc::clone(&self.sleutel);
        let uit = self
            .opslag
            .transactie_met(schrijven, flush, move |sql| {
                let mut cache = cache.lock().expect("log cache");
                let uit = werk(sql, &mut cache, &sleutel);
                if uit.is_err() {
                    // Numbers given in a transaction that is rolled back are not numbers.
                    cache.clear();
                }
                uit
            })
            .await;
        if uit.is_err() && schrijven {
            self.cache.lock().expect("log cache").clear();
        }
        uit
    }

    /// This log without entries for allowed reads: only for measuring what logging reads costs
    /// (the server accepts it in development mode only). Refusals and writes are still logged.
    pub fn without_read_log(mut self) -> Self {
        self.leeslog = false;
        self
    }

    /// Writes one entry; returns once it is durable (at once for an allowed read that
    /// [`Self::without_read_log`] leaves out). Its number is given when it is chained: a query
    /// begun after this returns sees it.
    pub async fn write(&self, toegang: Toegang) -> Result<(), LogError> {
        self.dien_in(toegang).await?.duurzaam().await
    }

    /// Hands one entry to the writer, which makes it durable while the caller goes on; the
    /// caller lets nothing of the data it logs leave before [`Ingediend::duurzaam`] returned.
    /// [`Self::write`] is both at once; a request that still has work to do that shows no one
    /// anything (its response's bytes) does it in between, not after being woken.
    pub async fn dien_in(&self, toegang: Toegang) -> Result<Ingediend, LogError> {
        if !self.leeslog && toegang.actie == Actie::R && toegang.resultaat == Resultaat::Gelukt {
            return Ok(Ingediend(None));
        }
        let (antwoord, rx) = oneshot::channel();
        self.verzoeken
            .send(Verzoek { toegang, antwoord })
            .await
            .map_err(|_| LogError::Gestopt)?;
        Ok(Ingediend(Some(rx)))
    }

    /// Writes `toegang` and the appends `delen` together, in one transaction of the event store:
    /// both are stored or neither is. If the appends are refused or fail, nothing of them is
    /// stored and the entry is logged alone with the result [`Resultaat::Geweigerd`] (or
    /// [`Resultaat::Fout`]), and the refusal returned. Returns the appends' results.
    ///
    /// On KurrentDB the parts are written one after the other: the entry first, so that a write
    /// is never stored without it.
    pub async fn write_with(
        &self,
        mut toegang: Toegang,
        delen: Vec<StreamAppend>,
    ) -> Result<Vec<AppendResult>, AppendError> {
        let mut parts = vec![StreamAppend {
            stream: StreamName::new(INBOX).expect("a valid stream name"),
            expected: ExpectedRevision::Any,
            events: vec![vorm::inbox_event(&toegang)],
        }];
        parts.extend(delen);
        match self.store.append_atomic(parts).await {
            Ok(mut r) => {
                let inbox = r.remove(0).revision;
                // Into the chain before the caller hears back, so that the chain keeps the order
                // in which a user did things. The entry is durable already: should the move take
                // too long, it follows later.
                self.inbox_wekker.notify_one();
                let mut stand = self.inbox_stand.clone();
                let binnen = tokio::time::timeout(
                    BIJ_WACHTTIJD,
                    stand.wait_for(|s| s.is_some_and(|s| s >= inbox)),
                )
                .await;
                if !matches!(binnen, Ok(Ok(_))) {
                    tracing::warn!(inbox, "toegangslog: a write's entry not in the chain yet");
                }
                Ok(r)
            }
            Err(StoreError::InPart { part, error }) if part > 0 => {
                toegang.resultaat = match *error {
                    StoreError::WrongExpectedVersion { .. }
                    | StoreError::DuplicateEventId { .. } => Resultaat::Geweigerd,
                    _ => Resultaat::Fout,
                };
                self.write(toegang).await.map_err(AppendError::Log)?;
                Err(AppendError::Store(*error))
            }
            Err(e) => Err(AppendError::Log(LogError::from(e))),
        }
    }

    /// Waits until every entry of a write stored so far, and every entry acknowledged so far,
    /// is in the chain.
    async fn bij(&self) -> Result<(), LogError> {
        self.journaal_bij().await?;
        let laatste = self
            .store
            .read_stream(
                &StreamName::new(INBOX).expect("a valid stream name"),
                ReadFrom::End,
                Direction::Backwards,
                1,
            )
            .await?
            .first()
            .map(|e| e.revision);
        let Some(laatste) = laatste else {
            return Ok(());
        };
        let tot = tokio::time::Instant::now() + BIJ_WACHTTIJD;
        loop {
            let verhuisd = self
                .transactie(false, |sql, _, _| storage::inbox(sql))
                .await?;
            if verhuisd.is_some_and(|v| v >= laatste) {
                return Ok(());
            }
            if tokio::time::Instant::now() >= tot {
                return Err(LogError::NietBij);
            }
            self.inbox_wekker.notify_one();
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// A page of entries, newest first.
    pub async fn search(&self, z: Zoekopdracht) -> Result<Pagina, LogError> {
        self.bij().await?;
        self.transactie(false, move |sql, cache, _| storage::zoek(sql, cache, &z))
            .await
    }

    /// Every live entry, oldest first, read a page at a time (memory grows with the log: for
    /// tools and tests on small logs, not for a server's requests).
    pub async fn alle(&self) -> Result<Vec<Logregel>, LogError> {
        let mut z = Zoekopdracht {
            aantal: 5_000,
            ..Default::default()
        };
        let mut uit = Vec::new();
        loop {
            let p = self.search(z.clone()).await?;
            uit.extend(p.regels);
            match p.volgende {
                Some(v) => z.voor = Some(v),
                None => break,
            }
        }
        uit.reverse();
        Ok(uit)
    }

    /// Who accessed `client`'s file, per user and role. Counts every entry ever written,
    /// archived ones included.
    pub async fn inzagers(&self, client: ClientId) -> Result<Vec<Inzager>, LogError> {
        self.bij().await?;
        self.transactie(false, move |sql, cache, _| {
            storage::inzagers(sql, cache, client)
        })
        .await
    }

    /// Verifies the chain from the last verified place (`volledig`: from the start of the live
    /// log, and the per-client counts too), every stored checkpoint and the exported checkpoints
    /// `extra`. The check runs in the background, a page per read transaction, so it neither
    /// holds up the writer nor depends on a request's time limit: this answers with its outcome
    /// when it is done within a moment, else with how far it got (`klaar: false`); asked again,
    /// it answers about the same check until that is done. A break found is stored and reported
    /// by every later check until a full one finds the chain whole again.
    pub async fn verify(&self, volledig: bool, extra: Vec<Anker>) -> Result<Controle, LogError> {
        self.bij().await?;
        let mut taak = self.controle.lock().await;
        if taak.lopend.is_none() {
            let voortgang = Arc::new(std::sync::atomic::AtomicU64::new(0));
            let log = self.clone();
            let v = Arc::clone(&voortgang);
            let handle =
                tokio::spawn(async move { log.voer_controle_uit(volledig, extra, v).await });
            taak.lopend = Some((handle, voortgang));
        }
        let (handle, voortgang) = taak.lopend.as_mut().expect("a check runs");
        match tokio::time::timeout(CONTROLE_WACHTTIJD, &mut *handle).await {
            Ok(uitkomst) => {
                taak.lopend = None;
                uitkomst.map_err(|e| LogError::Database(e.to_string()))?
            }
            Err(_) => Ok(Controle {
                intact: true,
                klaar: false,
                van: 0,
                tot: voortgang.load(std::sync::atomic::Ordering::Relaxed),
                nieuw_gecontroleerd: 0,
                breuk: None,
                overzicht_hersteld: false,
            }),
        }
    }

    async fn voer_controle_uit(
        &self,
        volledig: bool,
        extra: Vec<Anker>,
        voortgang: Arc<std::sync::atomic::AtomicU64>,
    ) -> Result<Controle, LogError> {
        let begin = self
            .transactie(false, move |sql, _, sleutel| {
                storage::controle_begin(sql, sleutel, volledig)
            })
            .await?;
        if let Some(b) = begin.breuk {
            return Ok(Controle::gebroken(begin.start.nr, begin.volger.nr, b));
        }
        // A cache of its own: what the check reads must come from the tables, not from what
        // this server remembers of them.
        type Staat = (Volger, Option<storage::Sommen>, Option<Breuk>, Cache);
        let mut staat: Staat = (
            begin.volger.clone(),
            volledig.then(storage::Sommen::new),
            None,
            Cache::default(),
        );
        loop {
            let sleutel = Arc::clone(&self.sleutel);
            let (nieuw, meer) = self
                .opslag
                .transactie(false, move |sql| {
                    let (mut volger, mut sommen, _, mut cache) = staat;
                    let (breuk, meer) = storage::controleer_pagina(
                        sql,
                        &mut cache,
                        &sleutel,
                        &mut volger,
                        sommen.as_mut(),
                        CONTROLE_PAGINA,
                    )?;
                    Ok(((volger, sommen, breuk, cache), meer))
                })
                .await?;
            staat = nieuw;
            voortgang.store(staat.0.nr, std::sync::atomic::Ordering::Relaxed);
            if staat.2.is_some() || !meer {
                break;
            }
        }
        let sleutel = Arc::clone(&self.sleutel);
        self.opslag
            .transactie(true, move |sql| {
                let (volger, sommen, breuk, mut cache) = staat;
                storage::controle_slot(
                    sql, &mut cache, &sleutel, &begin, volger, sommen, breuk, &extra,
                )
            })
            .await
    }

    /// A checkpoint of the head to export (stored first if the head has none).
    pub async fn checkpoint(&self) -> Result<Option<Anker>, LogError> {
        self.bij().await?;
        self.transactie(true, storage::checkpoint_nu).await
    }

    /// Unusual access in a period ([`signalen`]).
    pub async fn signalen(
        &self,
        van: DateTime<Utc>,
        tot: DateTime<Utc>,
        drempels: Drempels,
        eigen_caseload: fn(&str) -> bool,
    ) -> Result<Vec<Signaal>, LogError> {
        self.bij().await?;
        self.transactie(false, move |sql, cache, _| {
            signalen::bereken(sql, cache, van, tot, &drempels, eigen_caseload)
        })
        .await
    }

    /// The bytes the log's tables and indexes take.
    pub async fn omvang(&self) -> Result<u64, LogError> {
        self.transactie(false, |sql, _, _| sql.omvang()).await
    }

    /// Moves the entries before `tot` to an archive file at `naar` ([`archief`]).
    pub async fn archive(
        &self,
        tot: DateTime<Utc>,
        naar: std::path::PathBuf,
    ) -> Result<archief::Gearchiveerd, LogError> {
        self.bij().await?;
        let (laatste, begin) = self
            .transactie(false, move |sql, _, sleutel| {
                let begin = storage::begin(sql, sleutel)?;
                Ok((archief::laatste_voor(sql, tot)?, (begin.nr, begin.mac)))
            })
            .await?;
        let Some(laatste) = laatste else {
            return Ok(archief::Gearchiveerd::default());
        };
        let log = self.clone();
        let anker = archief::write(&naar, &self.sleutel, begin, laatste, |na, aantal| {
            let log = log.clone();
            async move {
                log.transactie(false, move |sql, cache, _| {
                    storage::regels_op(sql, cache, na, aantal)
                })
                .await
            }
        })
        .await?;
        let Some(anker) = anker else {
            return Ok(archief::Gearchiveerd::default());
        };
        let tot_anker = anker.1;
        self.transactie(true, move |sql, _, sleutel| {
            storage::knip_af(sql, sleutel, &tot_anker)
        })
        .await?;
        Ok(archief::Gearchiveerd {
            regels: anker.0,
            tot: Some(tot_anker),
        })
    }

    /// Whether the live log continues where the verified archive `a` ends.
    pub async fn continues_from(&self, a: archief::Archief) -> Result<bool, LogError> {
        self.transactie(false, move |sql, _, sleutel| {
            archief::continues_from(sql, sleutel, &a)
        })
        .await
    }
}

/// The journal of the log in the SQLite file at `log` ([`journaal`]): part of an embedded store.
pub fn journal_path(log: &std::path::Path) -> std::path::PathBuf {
    journaal::pad_naast(log)
}

/// Copies the journal of the log at `log` (the entries acknowledged, whether or not in the log's
/// tables yet) to a new file at `naar`, for a backup: copied before the log's file, it holds
/// every entry acknowledged before then that the copy of the log may not. Whether there was one.
pub fn copy_journal(log: &std::path::Path, naar: &std::path::Path) -> Result<bool, LogError> {
    journaal::kopieer(&journaal::pad_naast(log), naar).map_err(journaal_fout)
}

/// Copies the whole log from `van` into the empty log `naar` (a store copy, `traject kluis
/// rewrite`): the same entries under the same numbers, chained again under the same key, so
/// every MAC is the original's (which the copy checks); the start of the live log and how far
/// the inbox was moved come along, so the copied inbox is not moved twice. Entries in `van`'s
/// journal that its tables lack are chained behind them. Writes nothing to `van`. Returns the
/// number of entries.
pub async fn copy(van: &Storage, naar: &Storage, sleutel: LogKey) -> Result<u64, LogError> {
    let sleutel = Arc::new(sleutel);
    let s = Arc::clone(&sleutel);
    let (meta, kop, stand) = van
        .transactie(false, move |sql| {
            storage::controleer_sleutel_zonder_schrijven(sql, &s)?;
            Ok((
                storage::meta_voor_kopie(sql)?,
                sql.kop()?,
                journaal_stand(sql)?,
            ))
        })
        .await?;
    // Entries acknowledged that the tables lack (the server was stopped before it chained
    // them) come along after the tables' entries, as a start on the old store would chain them.
    let onverwerkt: Vec<Toegang> = match van {
        Storage::Sqlite(s) => journaal::lees(&journaal::pad_naast(s.pad()))
            .map_err(journaal_fout)?
            .na(stand)
            .into_iter()
            .flat_map(|b| b.toegangen)
            .collect(),
        Storage::Postgres(_) => Vec::new(),
    };
    let s = Arc::clone(&sleutel);
    naar.transactie(true, move |sql| {
        if sql.kop()?.is_some() {
            return Err(LogError::Database(
                "naar: de toegangslog van de nieuwe store is niet leeg".to_owned(),
            ));
        }
        storage::controleer_sleutel(sql, &s)?;
        storage::zet_meta_na_kopie(sql, &meta)
    })
    .await?;
    let mut van_cache = Cache::default();
    let mut naar_cache = Cache::default();
    let mut na = 0u64;
    let mut aantal = 0u64;
    loop {
        let (pagina, c) = van
            .transactie(false, move |sql| {
                let r = storage::zoek_op(sql, &mut van_cache, na, 5_000);
                r.map(|p| (p, van_cache))
            })
            .await?;
        van_cache = c;
        let Some(laatste) = pagina.last().map(|r| r.nr) else {
            break;
        };
        aantal += pagina.len() as u64;
        na = laatste;
        let s = Arc::clone(&sleutel);
        let (geschreven, c) = naar
            .transactie(true, move |sql| {
                let toegangen = pagina.into_iter().map(|r| r.toegang).collect();
                storage::voeg_toe(sql, &mut naar_cache, &s, toegangen, None)
                    .map(|r| (r, naar_cache))
            })
            .await?;
        naar_cache = c;
        if geschreven.last().map(|r| r.nr) != Some(laatste) {
            return Err(LogError::Onleesbaar(
                "de kopie nummert anders dan het origineel",
            ));
        }
    }
    let nieuw = naar.transactie(false, |sql| sql.kop()).await?;
    if nieuw.map(|k| k.2) != kop.map(|k| k.2) {
        return Err(LogError::Onleesbaar(
            "de kopie heeft een andere keten dan het origineel",
        ));
    }
    if !onverwerkt.is_empty() {
        aantal += onverwerkt.len() as u64;
        naar.transactie(true, move |sql| {
            storage::voeg_toe(sql, &mut naar_cache, &sleutel, onverwerkt, None).map(|_| ())
        })
        .await?;
    }
    Ok(aantal)
}

/// The entry `eerste` and what is queued behind it, up to a batch.
async fn verzamel(rx: &mut mpsc::Receiver<Verzoek>, eerste: Verzoek) -> Vec<Verzoek> {
    let grootte = |v: &Verzoek| 256 + 16 * v.toegang.clients.len();
    let mut bytes = grootte(&eerste);
    let mut batch = vec![eerste];
    for ronde in 0..=OPHAALRONDES {
        if ronde > 0 {
            // Lets the runtime run what is ready (and poll its sockets) first: requests about
            // to log join this batch instead of waiting for a write of their own. Nothing waits
            // when nothing is ready.
            tokio::task::yield_now().await;
        }
        while batch.len() < MAX_BATCH && bytes < MAX_BATCH_BYTES {
            match rx.try_recv() {
                Ok(v) => {
                    bytes += grootte(&v);
                    batch.push(v);
                }
                Err(_) => break,
            }
        }
    }
    batch
}

/// Takes what is queued and chains it onto the log, one transaction per batch (PostgreSQL, and
/// a command beside a server).
async fn schrijver(log: Toegangslog, mut rx: mpsc::Receiver<Verzoek>) {
    while let Some(eerste) = rx.recv().await {
        let batch = verzamel(&mut rx, eerste).await;
        let (toegangen, antwoorden): (Vec<Toegang>, Vec<_>) =
            batch.into_iter().map(|v| (v.toegang, v.antwoord)).unzip();
        let uitkomst = log
            .transactie(true, move |sql, cache, sleutel| {
                storage::voeg_toe(sql, cache, sleutel, toegangen, None)
            })
            .await;
        beantwoord(antwoorden, uitkomst.map(|_| ()));
    }
}

/// Answers the callers of a batch (a caller that gave up is no reason to stop).
fn beantwoord(
    antwoorden: Vec<oneshot::Sender<Result<(), LogError>>>,
    uitkomst: Result<(), LogError>,
) {
    if let Err(e) = &uitkomst {
        tracing::error!(error = %e, "toegangslog: entries not written");
    }
    for antwoord in antwoorden {
        let _ = antwoord.send(uitkomst.clone());
    }
}

fn journaal_fout(e: std::io::Error) -> LogError {
    LogError::Database(format!("journaal: {e}"))
}

/// The journal's progress recorded in the log.
fn journaal_stand(sql: &mut dyn Sql) -> Result<Option<journaal::Stand>, LogError> {
    sql.meta(journaal::META)?
        .map(|b| journaal::Stand::uit_bytes(&b).ok_or(LogError::Onleesbaar("journaalstand")))
        .transpose()
}

/// Takes what is queued, appends it to the journal with one flush, answers its callers and
/// hands the batch to the mover (embedded backend).
async fn journaal_schrijver(
    opslag: Storage,
    mut rx: mpsc::Receiver<Verzoek>,
    j: journaal::Journaal,
    geschreven: watch::Sender<u64>,
    mover: mpsc::UnboundedSender<(journaal::Stand, Vec<Toegang>)>,
    mut verhuisd: watch::Receiver<u64>,
) {
    let j = Arc::new(Mutex::new(j));
    while let Some(eerste) = rx.recv().await {
        let batch = verzamel(&mut rx, eerste).await;
        let (toegangen, antwoorden): (Vec<Toegang>, Vec<_>) = batch
            .into_iter()
            .map(|v| (vorm::genormaliseerd(v.toegang), v.antwoord))
            .unzip();
        match schrijf_in_journaal(&opslag, &j, &toegangen, &geschreven, &mut verhuisd).await {
            Ok(stand) => {
                // Counted before the callers hear back: a query they begin then waits for it.
                geschreven.send_modify(|n| *n += 1);
                let _ = mover.send((stand, toegangen));
                beantwoord(antwoorden, Ok(()));
            }
            Err(e) => beantwoord(antwoorden, Err(e)),
        }
    }
}

/// Appends `toegangen` to the journal durably; where the batch ends. When the ring is full,
/// first waits until every batch in it is in the tables, flushes them (the mover's commits are
/// not) and starts a new generation.
async fn schrijf_in_journaal(
    opslag: &Storage,
    j: &Arc<Mutex<journaal::Journaal>>,
    toegangen: &[Toegang],
    geschreven: &watch::Sender<u64>,
    verhuisd: &mut watch::Receiver<u64>,
) -> Result<journaal::Stand, LogError> {
    let generatie = j.lock().expect("journal").generatie();
    let mut bytes = journaal::batch_bytes(generatie, toegangen);
    if !journaal::Journaal::past_ooit(bytes.len() as u64) {
        return Err(LogError::Database(
            "journaal: een regel is groter dan de journaal".to_owned(),
        ));
    }
    if !j.lock().expect("journal").past(bytes.len() as u64) {
        let doel = *geschreven.borrow();
        match tokio::time::timeout(BIJ_WACHTTIJD, verhuisd.wait_for(|n| *n >= doel)).await {
            Ok(Ok(_)) => {}
            _ => return Err(LogError::NietBij),
        }
        // A flushed commit that writes (the generation about to begin: a changed value), so the
        // WAL and with it the mover's earlier commits are flushed.
        let volgende = j.lock().expect("journal").generatie() + 1;
        opslag
            .transactie(true, move |sql| {
                sql.zet_meta(journaal::META_BEGONNEN, &volgende.to_be_bytes())
            })
            .await?;
        let j2 = Arc::clone(j);
        tokio::task::spawn_blocking(move || j2.lock().expect("journal").nieuwe_generatie())
            .await
            .map_err(|e| LogError::Database(e.to_string()))?
            .map_err(journaal_fout)?;
        bytes = journaal::batch_bytes(j.lock().expect("journal").generatie(), toegangen);
    }
    let j2 = Arc::clone(j);
    tokio::task::spawn_blocking(move || {
        let mut j = j2.lock().expect("journal");
        let eind = j.schrijf(&bytes)?;
        Ok(journaal::Stand {
            generatie: j.generatie(),
            eind,
        })
    })
    .await
    .map_err(|e| LogError::Database(e.to_string()))?
    .map_err(journaal_fout)
}

/// Chains the journal's batches onto the log, as many as are waiting in one transaction that
/// records how far it got; counts them moved once that is committed. A failed transaction is
/// tried again (queries wait meanwhile, and answer UNAVAILABLE after a while).
async fn journaal_verhuizer(
    log: Toegangslog,
    mut rx: mpsc::UnboundedReceiver<(journaal::Stand, Vec<Toegang>)>,
    verhuisd: watch::Sender<u64>,
) {
    let mut wachtend: Vec<(journaal::Stand, Vec<Toegang>)> = Vec::new();
    let mut regels = 0;
    loop {
        if wachtend.is_empty() {
            match rx.recv().await {
                Some(b) => {
                    regels = b.1.len();
                    wachtend.push(b);
                }
                None => return,
            }
        }
        while regels < MAX_VERHUIS {
            match rx.try_recv() {
                Ok(b) => {
                    regels += b.1.len();
                    wachtend.push(b);
                }
                Err(_) => break,
            }
        }
        let stand = wachtend.last().expect("a batch waits").0;
        let aantal = wachtend.len() as u64;
        let toegangen: Vec<Toegang> = wachtend.iter().flat_map(|b| b.1.iter().cloned()).collect();
        // Not flushed: the journal holds the batches until a flushed commit (a new generation
        // waits for one).
        let uitkomst = log
            .transactie_met(true, false, move |sql, cache, sleutel| {
                storage::voeg_toe(sql, cache, sleutel, toegangen, None)?;
                sql.zet_meta(journaal::META, &stand.als_bytes())
            })
            .await;
        match uitkomst {
            Ok(()) => {
                wachtend.clear();
                regels = 0;
                verhuisd.send_modify(|n| *n += aantal);
            }
            Err(e) => {
                tracing::error!(error = %e, "toegangslog: the journal's entries not chained yet");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// How many inbox entries one move takes.
const INBOX_PAGINA: usize = 1_000;

/// Moves writes' entries from the event store's inbox into the chain: woken by a write of this
/// server, and every [`INBOX_ELKE`] for other servers' writes.
async fn inbox_verhuizer(log: Toegangslog, stand: watch::Sender<Option<u64>>) {
    let stream = StreamName::new(INBOX).expect("a valid stream name");
    loop {
        match verhuis(&log, &stream, &stand).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "toegangslog: inbox not processed"),
        }
        let _ = tokio::time::timeout(INBOX_ELKE, log.inbox_wekker.notified()).await;
    }
}

/// Moves one page of the inbox; whether there may be more.
async fn verhuis(
    log: &Toegangslog,
    stream: &StreamName,
    stand: &watch::Sender<Option<u64>>,
) -> Result<bool, LogError> {
    let al = log
        .transactie(false, |sql, _, _| storage::inbox(sql))
        .await?;
    stand.send_if_modified(|s| {
        let nieuw = *s < al;
        if nieuw {
            *s = al;
        }
        nieuw
    });
    let from = al.map_or(ReadFrom::Start, |r| ReadFrom::Revision(r + 1));
    let events = log
        .store
        .read_stream(stream, from, Direction::Forwards, INBOX_PAGINA)
        .await?;
    let Some(laatste) = events.last().map(|e| e.revision) else {
        return Ok(false);
    };
    let mut regels = Vec::with_capacity(events.len());
    for e in &events {
        let toegang = vorm::uit_inbox(e).map_err(|_| LogError::Onleesbaar("inbox"))?;
        regels.push((e.revision, toegang));
    }
    let meer = events.len() == INBOX_PAGINA;
    // Reads acknowledged before these writes go into the chain before them.
    log.journaal_bij().await?;
    log.transactie(true, move |sql, cache, sleutel| {
        sql.vergrendel()?;
        // Another server may have moved some meanwhile.
        let al = storage::inbox(sql)?;
        let nieuw: Vec<Toegang> = regels
            .into_iter()
            .filter(|(r, _)| al.is_none_or(|a| *r > a))
            .map(|(_, t)| t)
            .collect();
        if nieuw.is_empty() {
            return Ok(());
        }
        storage::voeg_toe(sql, cache, sleutel, nieuw, Some(laatste)).map(|_| ())
    })
    .await?;
    stand.send_if_modified(|s| {
        let nieuw = *s < Some(laatste);
        if nieuw {
            *s = Some(laatste);
        }
        nieuw
    });
    Ok(meer)
}

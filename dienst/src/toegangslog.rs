//! The access log (product.md, "Personal data"; NEN 7513): one entry for every read, search,
//! write or refusal that touches person-level data.
//!
//! It lives in the store's database as the stream `toegangslog`, so every backend keeps it with
//! the same guarantees as events: append-only, durable before it is acknowledged. Entries form a
//! hash chain: each carries the SHA-256 of the previous entry's hash and its own content, so a
//! changed, removed or inserted entry breaks the chain ([`verifieer`]).
//!
//! One task writes: it takes what is queued, chains it onto the stream's last entry and appends
//! with that entry's revision as the expectation. If another instance appended meanwhile, the
//! append is a conflict; the task reads the new tail and chains again. A caller is answered only
//! after its entry is durable, so no data leaves the server without its log entry.
//!
//! A write of person-level data hands its appends to the writer with its entry
//! ([`Toegangslog::schrijf_met`]): the entry and the write are committed in one transaction
//! ([`EventStore::append_atomic`]), so no write is stored without its entry. When the write is
//! refused (a stale revision, a reused event id), nothing of it is stored and its entry is
//! written alone, as refused.
//!
//! The log grows with every read, so it is never read into memory whole: the beheerder's newest
//! entries are read backwards from its end until enough are found, and the per-client overview
//! and the chain check go through it a page at a time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use traject_domain::value::{ClientId, TrajectId};
use traject_store::{
    AppendResult, Direction, EventStore, ExpectedRevision, Metadata, NewEvent, ReadFrom,
    RecordedEvent, StoreError, StreamAppend, StreamName,
};

/// The stream that holds the log.
pub const STREAM: &str = "toegangslog";
const EVENT_TYPE: &str = "ToegangGelogd";
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const MAX_BATCH: usize = 500;

/// What was done (NEN 7513 action codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actie {
    /// Create.
    C,
    /// Read (including search and list).
    R,
    /// Update.
    U,
    /// Delete.
    D,
    /// Execute (for example an export); an erasure is logged as D, a deletion.
    E,
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resultaat {
    /// Done.
    Gelukt,
    /// Refused by the authorisation rules or the domain's rules.
    Geweigerd,
    /// Failed.
    Fout,
}

/// One entry, without its chain hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toegang {
    /// The event code: what kind of access (for example `traject.lezen`).
    pub gebeurteniscode: String,
    /// The action.
    pub actie: Actie,
    /// When (UTC).
    pub tijd: DateTime<Utc>,
    /// The result.
    pub resultaat: Resultaat,
    /// The user id (never a name).
    pub gebruiker: String,
    /// The role the access was made in.
    pub rol: String,
    /// On whose behalf, if not the user's own.
    pub namens: Option<String>,
    /// The organisation the user acted for, as their token names it. Left out of the stored
    /// form when absent, so entries written before it existed keep their hashes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisatie: Option<String>,
    /// The pseudonymous clients whose data was touched.
    pub clients: Vec<ClientId>,
    /// The trajectory, if one.
    pub traject: Option<TrajectId>,
    /// The authorisation rule that applied.
    pub regel: String,
    /// The source system.
    pub bron: String,
    /// The request's correlation id.
    pub correlatie: uuid::Uuid,
}

/// An entry as stored: the access and its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRegel {
    /// The access.
    #[serde(flatten)]
    pub toegang: Toegang,
    /// The previous entry's hash (zeros for the first).
    pub vorige_hash: String,
    /// SHA-256 over `vorige_hash` and the access.
    pub hash: String,
}

/// Why an entry could not be written or the log not read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LogFout {
    /// The store failed.
    #[error("toegangslog: {0}")]
    Store(String),
    /// The writer task has stopped.
    #[error("toegangslog: de schrijver is gestopt")]
    Gestopt,
    /// An entry does not read as one.
    #[error("toegangslog: regel {revisie} is onleesbaar")]
    Onleesbaar {
        /// Its revision.
        revisie: u64,
    },
}

/// Why a write with its entry ([`Toegangslog::schrijf_met`]) failed.
#[derive(Debug)]
pub enum SchrijfFout {
    /// The write itself was refused or failed; its entry is written as refused (or failed).
    Schrijven(StoreError),
    /// The entry could not be written; neither was the write.
    Log(LogFout),
}

impl From<StoreError> for LogFout {
    fn from(e: StoreError) -> Self {
        Self::Store(e.to_string())
    }
}

fn hash(vorige: &str, toegang: &Toegang) -> String {
    let mut hasher = Sha256::new();
    hasher.update(vorige.as_bytes());
    hasher.update(serde_json::to_vec(toegang).expect("an entry always serialises"));
    hex::encode(hasher.finalize())
}

/// One entry for the writer, with the appends of the write it logs (none for a read).
struct Verzoek {
    toegang: Toegang,
    delen: Vec<StreamAppend>,
    antwoord: oneshot::Sender<Result<Vec<AppendResult>, SchrijfFout>>,
}

/// A handle to the log's writer.
#[derive(Clone)]
pub struct Toegangslog {
    verzoeken: mpsc::Sender<Verzoek>,
    store: Arc<dyn EventStore>,
}

impl Toegangslog {
    /// Starts the writer on `store`.
    pub fn start(store: Arc<dyn EventStore>) -> Self {
        let (verzoeken, rx) = mpsc::channel(4096);
        tokio::spawn(schrijver(Arc::clone(&store), rx));
        Self { verzoeken, store }
    }

    /// Writes one entry; returns once it is durable.
    pub async fn schrijf(&self, toegang: Toegang) -> Result<(), LogFout> {
        match self.schrijf_met(toegang, Vec::new()).await {
            Ok(_) => Ok(()),
            Err(SchrijfFout::Log(e)) => Err(e),
            Err(SchrijfFout::Schrijven(e)) => Err(LogFout::from(e)),
        }
    }

    /// Writes `toegang` and the appends `delen` together, in one transaction: both are stored or
    /// neither is. If the appends are refused, the entry is stored alone with the result
    /// [`Resultaat::Geweigerd`] (or [`Resultaat::Fout`] for a failure) and the refusal returned.
    /// Returns the appends' results once everything is durable.
    pub async fn schrijf_met(
        &self,
        toegang: Toegang,
        delen: Vec<StreamAppend>,
    ) -> Result<Vec<AppendResult>, SchrijfFout> {
        let (antwoord, rx) = oneshot::channel();
        self.verzoeken
            .send(Verzoek {
                toegang,
                delen,
                antwoord,
            })
            .await
            .map_err(|_| SchrijfFout::Log(LogFout::Gestopt))?;
        rx.await.map_err(|_| SchrijfFout::Log(LogFout::Gestopt))?
    }

    /// The newest `aantal` entries, newest first, optionally only those touching `client`. The
    /// log is read backwards from its end, a page at a time, until enough are found: without a
    /// client this costs `aantal` entries however long the log is.
    pub async fn nieuwste(
        &self,
        client: Option<ClientId>,
        aantal: usize,
    ) -> Result<Vec<LogRegel>, LogFout> {
        let pagina = if client.is_some() {
            PAGINA
        } else {
            aantal.clamp(1, PAGINA)
        };
        let mut uit = Vec::new();
        let mut from = ReadFrom::End;
        loop {
            let batch = self
                .store
                .read_stream(&stream(), from, Direction::Backwards, pagina)
                .await?;
            for e in &batch {
                let regel = regel_van(e)?;
                if client.is_none_or(|c| regel.toegang.clients.contains(&c)) {
                    uit.push(regel);
                    if uit.len() >= aantal {
                        return Ok(uit);
                    }
                }
            }
            match batch.last().and_then(|e| e.revision.checked_sub(1)) {
                Some(verder) if batch.len() == pagina => from = ReadFrom::Revision(verder),
                _ => return Ok(uit),
            }
        }
    }

    /// Who accessed `client`'s file ([`inzagers`]), counted over the whole log a page at a time,
    /// so memory does not grow with the log.
    pub async fn inzagers(&self, client: ClientId) -> Result<Vec<Inzager>, LogFout> {
        let mut telling = Telling::default();
        per_pagina(self.store.as_ref(), |regel| {
            telling.tel(&regel.toegang, client)
        })
        .await?;
        Ok(telling.lijst())
    }

    /// Whether the chain is intact; the revision of the first broken entry if not. Read a page
    /// at a time.
    pub async fn verifieer(&self) -> Result<Result<usize, u64>, LogFout> {
        let mut keten = Keten::default();
        per_pagina(self.store.as_ref(), |regel| keten.volg(&regel)).await?;
        Ok(keten.uitkomst())
    }
}

/// How many entries the log is read by at a time.
const PAGINA: usize = 4096;

/// Who accessed one client's file: one line per user and role, most recent first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inzager {
    /// The user id.
    pub gebruiker: String,
    /// The role they acted in.
    pub rol: String,
    /// How many accesses were allowed.
    pub gelukt: usize,
    /// How many were refused or failed.
    pub geweigerd: usize,
    /// The first access.
    pub eerste: DateTime<Utc>,
    /// The last access.
    pub laatste: DateTime<Utc>,
    /// The kinds of access (event codes), sorted.
    pub codes: Vec<String>,
}

/// The per-client overview (GDPR art. 15, NEN 7513): who touched `client`'s file, how often,
/// when first and last, and how. An entry that lists several clients (a caseload page) counts for
/// each of them.
pub fn inzagers(regels: &[LogRegel], client: ClientId) -> Vec<Inzager> {
    let mut telling = Telling::default();
    for regel in regels {
        telling.tel(&regel.toegang, client);
    }
    telling.lijst()
}

/// [`inzagers`] counted one entry at a time.
#[derive(Default)]
struct Telling {
    per: std::collections::BTreeMap<(String, String), Inzager>,
}

impl Telling {
    /// Counts `t` if it touched `client`.
    fn tel(&mut self, t: &Toegang, client: ClientId) {
        if !t.clients.contains(&client) {
            return;
        }
        let inzager = self
            .per
            .entry((t.gebruiker.clone(), t.rol.clone()))
            .or_insert_with(|| Inzager {
                gebruiker: t.gebruiker.clone(),
                rol: t.rol.clone(),
                gelukt: 0,
                geweigerd: 0,
                eerste: t.tijd,
                laatste: t.tijd,
                codes: vec![],
            });
        match t.resultaat {
            Resultaat::Gelukt => inzager.gelukt += 1,
            Resultaat::Geweigerd | Resultaat::Fout => inzager.geweigerd += 1,
        }
        inzager.eerste = inzager.eerste.min(t.tijd);
        inzager.laatste = inzager.laatste.max(t.tijd);
        if !inzager.codes.contains(&t.gebeurteniscode) {
            inzager.codes.push(t.gebeurteniscode.clone());
        }
    }

    /// One line per user and role, most recent first.
    fn lijst(self) -> Vec<Inzager> {
        let mut lijst: Vec<Inzager> = self.per.into_values().collect();
        for i in &mut lijst {
            i.codes.sort();
        }
        lijst.sort_by(|a, b| {
            b.laatste
                .cmp(&a.laatste)
                .then(a.gebruiker.cmp(&b.gebruiker))
        });
        lijst
    }
}

/// Checks the chain: `Ok(number of entries)` or `Err(revision of the first broken entry)`.
pub fn verifieer(regels: &[LogRegel]) -> Result<usize, u64> {
    let mut keten = Keten::default();
    for regel in regels {
        keten.volg(regel);
    }
    keten.uitkomst()
}

/// [`verifieer`] one entry at a time.
struct Keten {
    /// The hash of the last entry that checked out.
    vorige: String,
    /// How many entries checked out: the revision of the first broken one, once broken.
    aantal: usize,
    gebroken: bool,
}

impl Default for Keten {
    fn default() -> Self {
        Self {
            vorige: GENESIS.to_owned(),
            aantal: 0,
            gebroken: false,
        }
    }
}

impl Keten {
    /// Checks the next entry against the one before it.
    fn volg(&mut self, regel: &LogRegel) {
        if self.gebroken {
            return;
        }
        if regel.vorige_hash != self.vorige || regel.hash != hash(&self.vorige, &regel.toegang) {
            self.gebroken = true;
            return;
        }
        self.vorige.clone_from(&regel.hash);
        self.aantal += 1;
    }

    fn uitkomst(self) -> Result<usize, u64> {
        if self.gebroken {
            Err(self.aantal as u64)
        } else {
            Ok(self.aantal)
        }
    }
}

fn stream() -> StreamName {
    StreamName::new(STREAM).expect("a valid stream name")
}

/// Every entry in the store's log, oldest first.
pub async fn regels(store: &dyn EventStore) -> Result<Vec<LogRegel>, LogFout> {
    let mut regels = Vec::new();
    per_pagina(store, |regel| regels.push(regel)).await?;
    Ok(regels)
}

/// Hands every entry of the log to `elk`, oldest first, reading [`PAGINA`] at a time.
async fn per_pagina(store: &dyn EventStore, mut elk: impl FnMut(LogRegel)) -> Result<(), LogFout> {
    let mut from = ReadFrom::Start;
    loop {
        let batch = store
            .read_stream(&stream(), from, Direction::Forwards, PAGINA)
            .await?;
        for e in &batch {
            elk(regel_van(e)?);
        }
        match batch.last() {
            Some(last) if batch.len() == PAGINA => from = ReadFrom::Revision(last.revision + 1),
            _ => return Ok(()),
        }
    }
}

/// The entry an event of the log holds.
fn regel_van(e: &RecordedEvent) -> Result<LogRegel, LogFout> {
    LogRegel::deserialize(&e.data).map_err(|_| LogFout::Onleesbaar {
        revisie: e.revision,
    })
}

async fn staart(store: &dyn EventStore) -> Result<(Option<u64>, String), LogFout> {
    let last = store
        .read_stream(&stream(), ReadFrom::End, Direction::Backwards, 1)
        .await?;
    match last.first() {
        None => Ok((None, GENESIS.to_owned())),
        Some(e) => Ok((Some(e.revision), regel_van(e)?.hash)),
    }
}

/// The log's last revision and hash, as far as this writer knows (`None`: read it again).
type Staart = Option<(Option<u64>, String)>;

async fn schrijver(store: Arc<dyn EventStore>, mut rx: mpsc::Receiver<Verzoek>) {
    let mut staart_nu: Staart = None;
    while let Some(eerste) = rx.recv().await {
        let mut batch = vec![eerste];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(v) => batch.push(v),
                Err(_) => break,
            }
        }
        // Units of entries, each closed by at most one write: a write's transaction holds the
        // entries queued before it and its own.
        let mut eenheid = Vec::new();
        for verzoek in batch {
            let schrijft = !verzoek.delen.is_empty();
            eenheid.push(verzoek);
            if schrijft {
                schrijf_eenheid(store.as_ref(), &mut staart_nu, std::mem::take(&mut eenheid)).await;
            }
        }
        if !eenheid.is_empty() {
            schrijf_eenheid(store.as_ref(), &mut staart_nu, eenheid).await;
        }
    }
}

/// Chains the unit's entries onto the log and appends them, with the last entry's write if it
/// has one, in one transaction; answers every caller of the unit.
async fn schrijf_eenheid(
    store: &dyn EventStore,
    staart_nu: &mut Staart,
    mut eenheid: Vec<Verzoek>,
) {
    let mut delen = eenheid
        .last_mut()
        .map(|v| std::mem::take(&mut v.delen))
        .unwrap_or_default();
    let mut geweigerd: Option<StoreError> = None;
    let uitkomst = loop {
        let (revisie, vorige) = match staart_nu.take() {
            Some(s) => s,
            None => match staart(store).await {
                Ok(s) => s,
                Err(e) => break Err(e),
            },
        };
        let (events, hash_nu) = keten_aan(&eenheid, &vorige);
        let mut parts = vec![StreamAppend {
            stream: stream(),
            expected: ExpectedRevision::from_revision(revisie),
            events,
        }];
        let met_schrijven = !delen.is_empty();
        parts.append(&mut delen.clone());
        match store.append_atomic(parts).await {
            Ok(mut resultaten) => {
                let log = resultaten.remove(0);
                *staart_nu = Some((Some(log.revision), hash_nu));
                break Ok(resultaten);
            }
            Err(StoreError::WrongExpectedVersion { .. }) => {
                // Another instance wrote: chain onto its tail (staart_nu stays empty).
            }
            Err(StoreError::InPart { part: 0, error })
                if matches!(*error, StoreError::WrongExpectedVersion { .. }) => {}
            Err(StoreError::InPart { error, .. }) if met_schrijven => {
                // The write was refused: nothing was stored (on KurrentDB the entry may have
                // been; chaining again then finds that out). Its entry is written alone, as
                // refused, and the refusal goes back to the caller.
                *staart_nu = Some((revisie, vorige));
                let laatste = eenheid.last_mut().expect("a unit has an entry");
                laatste.toegang.resultaat = match *error {
                    StoreError::WrongExpectedVersion { .. }
                    | StoreError::DuplicateEventId { .. } => Resultaat::Geweigerd,
                    _ => Resultaat::Fout,
                };
                geweigerd = Some(*error);
                delen.clear();
            }
            Err(e) => break Err(LogFout::from(e)),
        }
    };
    // Only the unit's last entry carries a write: it gets the write's results or refusal.
    let laatste = eenheid.pop();
    for verzoek in eenheid {
        let antwoord = match &uitkomst {
            Ok(_) => Ok(Vec::new()),
            Err(e) => Err(SchrijfFout::Log(e.clone())),
        };
        let _ = verzoek.antwoord.send(antwoord); // a caller that gave up is no reason to stop
    }
    if let Some(verzoek) = laatste {
        let antwoord = match (uitkomst, geweigerd) {
            (Err(e), _) => Err(SchrijfFout::Log(e)),
            (Ok(_), Some(weigering)) => Err(SchrijfFout::Schrijven(weigering)),
            (Ok(resultaten), None) => Ok(resultaten),
        };
        let _ = verzoek.antwoord.send(antwoord);
    }
}

/// The unit's entries as events chained onto `vorige`, and the last hash.
fn keten_aan(eenheid: &[Verzoek], vorige: &str) -> (Vec<NewEvent>, String) {
    let mut hash_nu = vorige.to_owned();
    let events = eenheid
        .iter()
        .map(|v| {
            let toegang = &v.toegang;
            let nieuw = hash(&hash_nu, toegang);
            let regel = LogRegel {
                toegang: toegang.clone(),
                vorige_hash: std::mem::replace(&mut hash_nu, nieuw.clone()),
                hash: nieuw,
            };
            NewEvent {
                id: uuid::Uuid::now_v7(),
                event_type: EVENT_TYPE.to_owned(),
                schema_version: 1,
                data: serde_json::to_value(&regel).expect("an entry always serialises"),
                metadata: Metadata {
                    actor: Some(toegang.gebruiker.clone()),
                    correlation_id: Some(toegang.correlatie),
                    causation_id: None,
                },
                recorded_at: None,
            }
        })
        .collect();
    (events, hash_nu)
}

#[cfg(test)]
mod tests {
    use super::*;
    use traject_store::SqliteStore;

    /// A log on a fresh embedded store (the directory lives as long as the first value).
    async fn nieuw_log() -> (tempfile::TempDir, Arc<dyn EventStore>, Toegangslog) {
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn EventStore> = Arc::new(
            SqliteStore::open(dir.path().join("e.sqlite"))
                .await
                .unwrap(),
        );
        let log = Toegangslog::start(Arc::clone(&store));
        (dir, store, log)
    }

    fn toegang(i: usize, client: ClientId) -> Toegang {
        Toegang {
            gebeurteniscode: if i.is_multiple_of(3) {
                "traject.lezen"
            } else {
                "caseload.lezen"
            }
            .to_owned(),
            actie: Actie::R,
            tijd: DateTime::from_timestamp(1_700_000_000 + i as i64, 0).unwrap(),
            resultaat: if i.is_multiple_of(7) {
                Resultaat::Geweigerd
            } else {
                Resultaat::Gelukt
            },
            gebruiker: format!("coach-{}", (i / 10) % 4),
            rol: "coach".to_owned(),
            namens: None,
            organisatie: None,
            clients: vec![client],
            traject: None,
            regel: "eigen-client".to_owned(),
            bron: "traject".to_owned(),
            correlatie: uuid::Uuid::now_v7(),
        }
    }

    /// More entries than a page holds, for two clients: what is read a page at a time (newest
    /// first, or counted) equals what the whole log in memory gives.
    #[tokio::test]
    async fn the_log_read_a_page_at_a_time_equals_the_whole_log() {
        let (_dir, store, log) = nieuw_log().await;
        let (a, b) = (
            ClientId::new(uuid::Uuid::now_v7()).unwrap(),
            ClientId::new(uuid::Uuid::now_v7()).unwrap(),
        );
        let totaal = 2 * PAGINA + 100;
        // Only every tenth entry is b's: finding 500 of them goes through every page.
        let schrijven = (0..totaal).map(|i| {
            let log = log.clone();
            async move {
                log.schrijf(toegang(i, if i % 10 == 0 { b } else { a }))
                    .await
            }
        });
        for uitkomst in futures::future::join_all(schrijven).await {
            uitkomst.unwrap();
        }
        let alle = regels(store.as_ref()).await.unwrap();
        assert_eq!(alle.len(), totaal);
        let nieuwste_eerst = |client: Option<ClientId>, aantal: usize| -> Vec<LogRegel> {
            alle.iter()
                .rev()
                .filter(|r| client.is_none_or(|c| r.toegang.clients.contains(&c)))
                .take(aantal)
                .cloned()
                .collect()
        };
        for (client, aantal) in [
            (None, 1),
            (None, 100),
            (None, PAGINA + 1),
            (None, totaal + 5),
            (Some(a), 100),
            (Some(b), 500),
            (Some(b), totaal),
        ] {
            let gelezen = log.nieuwste(client, aantal).await.unwrap();
            assert_eq!(
                gelezen,
                nieuwste_eerst(client, aantal),
                "{client:?} {aantal}"
            );
        }
        assert_eq!(
            log.nieuwste(Some(b), totaal).await.unwrap().len(),
            totaal.div_ceil(10)
        );
        for client in [a, b] {
            let geteld = log.inzagers(client).await.unwrap();
            assert_eq!(geteld, inzagers(&alle, client));
            assert_eq!(geteld.len(), 4, "four coaches");
        }
        assert_eq!(log.verifieer().await.unwrap(), Ok(totaal));
        assert_eq!(verifieer(&alle), Ok(totaal));
    }

    #[test]
    fn a_broken_chain_names_its_first_broken_entry() {
        let client = ClientId::new(uuid::Uuid::now_v7()).unwrap();
        let mut vorige = GENESIS.to_owned();
        let mut regels: Vec<LogRegel> = (0..5)
            .map(|i| {
                let t = toegang(i, client);
                let h = hash(&vorige, &t);
                LogRegel {
                    toegang: t,
                    vorige_hash: std::mem::replace(&mut vorige, h.clone()),
                    hash: h,
                }
            })
            .collect();
        assert_eq!(verifieer(&regels), Ok(5));
        regels[3].toegang.gebruiker = "iemand-anders".to_owned();
        assert_eq!(verifieer(&regels), Err(3));
        regels.remove(3);
        assert_eq!(verifieer(&regels), Err(3));
        regels.remove(1);
        assert_eq!(verifieer(&regels), Err(1));
    }

    /// Writes with their entries, among reads: each stored write has its entry, a refused write
    /// stores nothing but its entry (as refused), and the chain holds.
    #[tokio::test]
    async fn a_write_is_stored_with_its_entry_or_not_at_all() {
        let (_dir, store, log) = nieuw_log().await;
        let client = ClientId::new(uuid::Uuid::now_v7()).unwrap();
        let traject = StreamName::new("traject-schrijven").unwrap();
        let write = |expected: ExpectedRevision| {
            vec![StreamAppend {
                stream: traject.clone(),
                expected,
                events: vec![traject_store::testing::test_event(serde_json::json!({}))],
            }]
        };
        let mut taken = Vec::new();
        for i in 0..40usize {
            let log = log.clone();
            let delen = match i % 4 {
                0 => write(ExpectedRevision::Any),
                1 => write(ExpectedRevision::Exact(10_000)), // stale: refused
                _ => Vec::new(),
            };
            let mut t = toegang(i, client);
            t.resultaat = Resultaat::Gelukt;
            taken.push(tokio::spawn(async move { log.schrijf_met(t, delen).await }));
        }
        let mut geschreven = 0;
        let mut geweigerd = 0;
        for (i, taak) in taken.into_iter().enumerate() {
            match (i % 4, taak.await.unwrap()) {
                (0, Ok(r)) => {
                    assert_eq!(r.len(), 1);
                    geschreven += 1;
                }
                (1, Err(SchrijfFout::Schrijven(StoreError::WrongExpectedVersion { .. }))) => {
                    geweigerd += 1
                }
                (_, Ok(r)) => assert!(r.is_empty()),
                (k, other) => panic!("{k}: {other:?}"),
            }
        }
        assert_eq!((geschreven, geweigerd), (10, 10));
        let events = store
            .read_stream(&traject, ReadFrom::Start, Direction::Forwards, 100)
            .await
            .unwrap();
        assert_eq!(events.len(), 10, "only the accepted writes are stored");
        let alle = regels(store.as_ref()).await.unwrap();
        assert_eq!(alle.len(), 40, "every request has exactly one entry");
        let refused = alle
            .iter()
            .filter(|r| r.toegang.resultaat == Resultaat::Geweigerd)
            .count();
        assert_eq!(refused, 10);
        assert_eq!(verifieer(&alle), Ok(40));
    }

    /// Entries written before the organisation was logged have no such field: an entry without
    /// one is stored, and hashed, exactly as they were, so the chain over old entries holds.
    #[test]
    fn an_entry_without_an_organisation_is_stored_as_before() {
        let client = ClientId::new(uuid::Uuid::now_v7()).unwrap();
        let mut t = toegang(1, client);
        let tekst = serde_json::to_string(&t).unwrap();
        assert!(!tekst.contains("organisatie"), "{tekst}");
        let terug: Toegang = serde_json::from_str(&tekst).unwrap();
        assert_eq!(hash(GENESIS, &terug), hash(GENESIS, &t));
        t.organisatie = Some("org-a".to_owned());
        assert!(
            serde_json::to_string(&t)
                .unwrap()
                .contains("\"organisatie\":\"org-a\"")
        );
    }
}

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
    Direction, EventStore, ExpectedRevision, Metadata, NewEvent, ReadFrom, RecordedEvent,
    StoreError, StreamName,
};

/// The stream that holds the log.
pub const STREAM: &str = "toegangslog";
const EVENT_TYPE: &str = "ToegangGelogd";
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const MAX_BATCH: usize = 500;

/// What was done (NEN 7513 action codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
pub enum Actie {
    /// Create.
    C,
    /// Read (including search and list).
    R,
    /// Update.
    U,
    /// Delete.
    D,
    /// Execute (for example an export or an erasure).
    E,
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
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

type Verzoek = (Toegang, oneshot::Sender<Result<(), LogFout>>);

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
        let (tx, rx) = oneshot::channel();
        self.verzoeken
            .send((toegang, tx))
            .await
            .map_err(|_| LogFout::Gestopt)?;
        rx.await.map_err(|_| LogFout::Gestopt)?
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

async fn schrijver(store: Arc<dyn EventStore>, mut rx: mpsc::Receiver<Verzoek>) {
    let mut staat: Option<(Option<u64>, String)> = None;
    while let Some(eerste) = rx.recv().await {
        let mut batch = vec![eerste];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(v) => batch.push(v),
                Err(_) => break,
            }
        }
        let uitkomst = loop {
            let (revisie, vorige) = match &staat {
                Some(s) => s.clone(),
                None => match staart(store.as_ref()).await {
                    Ok(s) => s,
                    Err(e) => break Err(e),
                },
            };
            let mut hash_nu = vorige;
            let events: Vec<NewEvent> = batch
                .iter()
                .map(|(toegang, _)| {
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
                    }
                })
                .collect();
            match store
                .append(&stream(), ExpectedRevision::from_revision(revisie), events)
                .await
            {
                Ok(r) => {
                    staat = Some((Some(r.revision), hash_nu));
                    break Ok(());
                }
                Err(StoreError::WrongExpectedVersion { .. }) => {
                    staat = None; // another instance wrote: chain onto its tail
                }
                Err(e) => {
                    staat = None;
                    break Err(LogFout::from(e));
                }
            }
        };
        for (_, antwoord) in batch {
            let _ = antwoord.send(uitkomst.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use traject_store::SqliteStore;

    fn toegang(i: usize, client: ClientId) -> Toegang {
        Toegang {
            gebeurteniscode: if i % 3 == 0 {
                "traject.lezen"
            } else {
                "caseload.lezen"
            }
            .to_owned(),
            actie: Actie::R,
            tijd: DateTime::from_timestamp(1_700_000_000 + i as i64, 0).unwrap(),
            resultaat: if i % 7 == 0 {
                Resultaat::Geweigerd
            } else {
                Resultaat::Gelukt
            },
            gebruiker: format!("coach-{}", (i / 10) % 4),
            rol: "coach".to_owned(),
            namens: None,
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
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn EventStore> = Arc::new(
            SqliteStore::open(dir.path().join("e.sqlite"))
                .await
                .unwrap(),
        );
        let log = Toegangslog::start(Arc::clone(&store));
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
}

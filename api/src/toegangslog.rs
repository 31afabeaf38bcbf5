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

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};
use traject_domain::value::{ClientId, TrajectId};
use traject_store::{
    Direction, EventStore, ExpectedRevision, Metadata, NewEvent, ReadFrom, StoreError, StreamName,
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

    /// Every entry, oldest first, optionally only those touching `client`.
    pub async fn lees(&self, client: Option<ClientId>) -> Result<Vec<LogRegel>, LogFout> {
        let regels = regels(self.store.as_ref()).await?;
        Ok(regels
            .into_iter()
            .filter(|r| client.is_none_or(|c| r.toegang.clients.contains(&c)))
            .collect())
    }

    /// Whether the chain is intact; the revision of the first broken entry if not.
    pub async fn verifieer(&self) -> Result<Result<usize, u64>, LogFout> {
        Ok(verifieer(&regels(self.store.as_ref()).await?))
    }
}

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
    let mut per: std::collections::BTreeMap<(&str, &str), Inzager> = Default::default();
    for t in regels
        .iter()
        .map(|r| &r.toegang)
        .filter(|t| t.clients.contains(&client))
    {
        let inzager = per
            .entry((t.gebruiker.as_str(), t.rol.as_str()))
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
    let mut lijst: Vec<Inzager> = per.into_values().collect();
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

/// Checks the chain: `Ok(number of entries)` or `Err(revision of the first broken entry)`.
pub fn verifieer(regels: &[LogRegel]) -> Result<usize, u64> {
    let mut vorige = GENESIS.to_owned();
    for (i, regel) in regels.iter().enumerate() {
        if regel.vorige_hash != vorige || regel.hash != hash(&vorige, &regel.toegang) {
            return Err(i as u64);
        }
        vorige.clone_from(&regel.hash);
    }
    Ok(regels.len())
}

fn stream() -> StreamName {
    StreamName::new(STREAM).expect("a valid stream name")
}

/// Every entry in the store's log, oldest first.
pub async fn regels(store: &dyn EventStore) -> Result<Vec<LogRegel>, LogFout> {
    let mut regels = Vec::new();
    let mut from = ReadFrom::Start;
    loop {
        let batch = store
            .read_stream(&stream(), from, Direction::Forwards, 4096)
            .await?;
        let Some(last) = batch.last() else { break };
        from = ReadFrom::Revision(last.revision + 1);
        for e in &batch {
            regels.push(serde_json::from_value(e.data.clone()).map_err(|_| {
                LogFout::Onleesbaar {
                    revisie: e.revision,
                }
            })?);
        }
        if batch.len() < 4096 {
            break;
        }
    }
    Ok(regels)
}

async fn staart(store: &dyn EventStore) -> Result<(Option<u64>, String), LogFout> {
    let last = store
        .read_stream(&stream(), ReadFrom::End, Direction::Backwards, 1)
        .await?;
    match last.first() {
        None => Ok((None, GENESIS.to_owned())),
        Some(e) => {
            let regel: LogRegel =
                serde_json::from_value(e.data.clone()).map_err(|_| LogFout::Onleesbaar {
                    revisie: e.revision,
                })?;
            Ok((Some(e.revision), regel.hash))
        }
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

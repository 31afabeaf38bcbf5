//! `traject kluis rewrite`: a copy of a whole store (events and vault) into a new, empty one, in
//! which no free text is in clear any more.
//!
//! Stores written before free text was sealed hold employers' names and job titles in clear in
//! their events, and events are never changed in place. So a store is migrated by copying it:
//! every event in global order, with its id, stream, revision, metadata and the time it was first
//! recorded, so that the copy's order, positions and access-log chain are the original's. The
//! vault's records are taken over as they are (same master key). On the way each clear employer
//! name and job title is sealed with its client's key, made where the client had none yet; the
//! text of a client erased before the copy is sealed with a key that is thrown away at once, so
//! it reads as erased, like every erased client's text. The old store is then to be destroyed
//! with its backups: it still holds the clear text, which no key protects.
//!
//! The copy holds both vaults alone for as long as it runs: no server writes to the old store
//! meanwhile (a write after the copy began would not reach the copy), and none serves the new
//! one before it is complete (its read models would miss what the copy wrote). It refuses an
//! old store without events (a mistyped path), a new store that is not empty, and a master key
//! that does not open the old vault's records, before it writes anything. Should it fail later,
//! the new store holds part of the copy: delete it and run the copy again.

use std::collections::HashMap;
use std::sync::Arc;

use traject_domain::EventData;
use traject_domain::event::VrijeTekst;
use traject_domain::value::{ClientId, Verzegeling};
use traject_kluis::KluisError;
use traject_kluis::key::{ClientKey, MasterKey};
use traject_kluis::storage::{Kluis, StorageError};
use traject_store::{
    EventStore, ExpectedRevision, NewEvent, RecordedEvent, StoreError, StreamAppend, StreamFilter,
};

/// Events read from the old store at a time.
const LEES: usize = 2_000;
/// The most events, and bytes of data, one append of the copy carries.
const PARTIJ_EVENTS: usize = 500;
const PARTIJ_BYTES: usize = 512 * 1024;

/// Why the copy stopped. Nothing is ever written to the old store.
#[derive(Debug, thiserror::Error)]
pub enum RewriteError {
    /// The new store or its vault is not empty.
    #[error("naar: de nieuwe store moet leeg zijn ({0})")]
    NietLeeg(&'static str),
    /// The old store holds no events: a mistyped path, most likely.
    #[error("van: de oude store bevat geen gebeurtenissen (bestaat het pad wel?)")]
    Leeg,
    /// The master key does not open the old vault's records.
    #[error(
        "kluis-key: de records van de oude kluis zijn verpakt met hoofdsleutel(s) {gevonden:?}, niet met {gegeven}"
    )]
    AndereSleutel {
        /// The given key's id.
        gegeven: String,
        /// The ids in the old vault.
        gevonden: Vec<String>,
    },
    /// An event store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A vault failed (the old one in use by a server among them).
    #[error(transparent)]
    Kluis(#[from] KluisError),
    /// An event of the old store could not be read.
    #[error("gebeurtenis {0}: {1}")]
    Onleesbaar(uuid::Uuid, String),
}

impl From<StorageError> for RewriteError {
    fn from(e: StorageError) -> Self {
        RewriteError::Kluis(e.into())
    }
}

/// What the copy did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verslag {
    /// Events copied.
    pub events: u64,
    /// Vault records taken over (tombstones included).
    pub kluisrecords: u64,
    /// Free-text fields that were in clear and are sealed now.
    pub verzegeld: u64,
    /// Of those, the fields of erased clients: sealed with a key thrown away.
    pub onleesbaar_gemaakt: u64,
}

/// Copies the store `van` with its vault `van_kluis` into the empty store `naar` and vault
/// `naar_kluis`, sealing every clear free-text field on the way (see the module). `sleutel` is
/// the master key of the old vault, which the new one keeps. `voortgang` is told the events
/// copied so far after every append.
pub async fn rewrite(
    van: &dyn EventStore,
    van_kluis: Arc<dyn Kluis>,
    naar: &dyn EventStore,
    naar_kluis: Arc<dyn Kluis>,
    sleutel: MasterKey,
    mut voortgang: impl FnMut(u64),
) -> Result<Verslag, RewriteError> {
    // No server on either store while it is copied.
    let _van_alleen = van_kluis.alleen().await?;
    let _naar_alleen = naar_kluis.alleen().await?;
    if van.head().await?.is_none() {
        return Err(RewriteError::Leeg);
    }
    if naar.head().await?.is_some() {
        return Err(RewriteError::NietLeeg(
            "de event store bevat gebeurtenissen",
        ));
    }
    if !naar_kluis.wijzigingen(0, 1).await?.is_empty() {
        return Err(RewriteError::NietLeeg("de kluis bevat records"));
    }
    let gevonden = van_kluis.sleutel_ids().await?;
    if gevonden.iter().any(|id| id != sleutel.id()) {
        return Err(RewriteError::AndereSleutel {
            gegeven: sleutel.id().to_owned(),
            gevonden,
        });
    }
    let mut verslag = Verslag::default();

    let mut records = Vec::new();
    loop {
        let deel = van_kluis
            .wijzigingen(
                records
                    .last()
                    .map_or(0, |r: &traject_kluis::storage::KluisRecord| r.volgnummer),
                10_000,
            )
            .await?;
        let klaar = deel.is_empty();
        records.extend(deel);
        if klaar {
            break;
        }
    }
    verslag.kluisrecords = records.len() as u64;
    // Every client's key, from the records taken over; `None` for an erased client.
    let mut sleutels: HashMap<uuid::Uuid, Option<Arc<ClientKey>>> = HashMap::new();
    for record in &records {
        let sleutel = match &record.inhoud {
            Some(inhoud) => Some(Arc::new(
                sleutel
                    .unwrap_key(record.client, inhoud)
                    .map_err(KluisError::from)?,
            )),
            None => None,
        };
        sleutels.insert(record.client, sleutel);
    }
    naar_kluis.take_over(records).await?;
    let mut kluis = Sleutels {
        sleutels,
        opslag: naar_kluis,
        hoofd: sleutel,
    };

    let mut clients: HashMap<String, ClientId> = HashMap::new();
    let mut na = None;
    let mut partij = Partij::default();
    loop {
        let gelezen = van.read_all(na, &StreamFilter::all(), LEES).await?;
        let Some(laatste) = gelezen.last() else { break };
        na = Some(laatste.position);
        for recorded in gelezen {
            let event = kopie(recorded, &mut clients, &mut kluis, &mut verslag).await?;
            if let Some(vol) = partij.voeg_toe(event) {
                verslag.events += write_parts(naar, vol).await?;
                voortgang(verslag.events);
            }
        }
    }
    verslag.events += write_parts(naar, partij.delen).await?;
    voortgang(verslag.events);
    Ok(verslag)
}

/// One event of the old store as the copy writes it.
struct Kopie {
    stream: traject_store::StreamName,
    revisie: u64,
    event: NewEvent,
}

/// The clients' keys of the new vault during the copy (which holds it alone, so no service of
/// the vault can run on it meanwhile).
struct Sleutels {
    sleutels: HashMap<uuid::Uuid, Option<Arc<ClientKey>>>,
    opslag: Arc<dyn Kluis>,
    hoofd: MasterKey,
}

impl Sleutels {
    /// The client's key, made and stored if they have none; `None` for an erased client.
    async fn van(&mut self, client: uuid::Uuid) -> Result<Option<Arc<ClientKey>>, RewriteError> {
        if let Some(bekend) = self.sleutels.get(&client) {
            return Ok(bekend.clone());
        }
        let nieuw = ClientKey::random();
        self.opslag
            .write(client, None, self.hoofd.wrap(client, &nieuw))
            .await?;
        let nieuw = Arc::new(nieuw);
        self.sleutels.insert(client, Some(Arc::clone(&nieuw)));
        Ok(Some(nieuw))
    }
}

async fn kopie(
    recorded: RecordedEvent,
    clients: &mut HashMap<String, ClientId>,
    kluis: &mut Sleutels,
    verslag: &mut Verslag,
) -> Result<Kopie, RewriteError> {
    let mut data = recorded
        .data
        .value()
        .map_err(|e| RewriteError::Onleesbaar(recorded.id, e.to_string()))?;
    let mut schema_version = recorded.schema_version;
    if recorded
        .stream
        .as_str()
        .starts_with(traject_domain::value::TrajectId::STREAM_PREFIX)
    {
        let onleesbaar = |e: String| RewriteError::Onleesbaar(recorded.id, e);
        let id = traject_domain::value::EventId::new(recorded.id)
            .map_err(|e| onleesbaar(e.to_string()))?;
        let mut event =
            traject_domain::stored::decode_parts(id, &recorded.event_type, schema_version, &data)
                .map_err(|e| onleesbaar(e.to_string()))?;
        if let EventData::TrajectAangemeld(a) = &event.data {
            clients.insert(recorded.stream.as_str().to_owned(), a.client_id);
        }
        let open = event
            .data
            .vrije_tekst()
            .iter()
            .filter(|(_, t)| matches!(t, VrijeTekst::Open(_)))
            .count() as u64;
        if open > 0 {
            let client = *clients
                .get(recorded.stream.as_str())
                .ok_or_else(|| onleesbaar("een traject zonder aanmelding".to_owned()))?;
            let client = client.as_uuid();
            let sleutel = match kluis.van(client).await? {
                Some(s) => s,
                None => {
                    // Erased before the copy: sealed with a key no one keeps.
                    verslag.onleesbaar_gemaakt += open;
                    Arc::new(ClientKey::random())
                }
            };
            let id = recorded.id;
            event
                .data
                .seal(|veld, tekst| Verzegeling::new(sleutel.seal_text(client, id, veld, tekst)));
            verslag.verzegeld += open;
            let stored = traject_domain::stored::encode(&event);
            data = stored.data;
            schema_version = stored.schema_version;
        }
    }
    Ok(Kopie {
        stream: recorded.stream,
        revisie: recorded.revision,
        event: NewEvent {
            id: recorded.id,
            event_type: recorded.event_type,
            schema_version,
            data,
            metadata: recorded.metadata,
            recorded_at: Some(recorded.recorded_at),
        },
    })
}

/// The appends one atomic write of the copy carries: consecutive events of a stream together,
/// and each stream at most once, so that the copy keeps the global order.
#[derive(Default)]
struct Partij {
    delen: Vec<StreamAppend>,
    events: usize,
    bytes: usize,
}

impl Partij {
    /// Adds `kopie`; returns the full batch to write first when it does not fit.
    fn voeg_toe(&mut self, kopie: Kopie) -> Option<Vec<StreamAppend>> {
        let bytes = kopie.event.data.to_string().len();
        let verder = self.delen.last().is_some_and(|d| d.stream == kopie.stream);
        let stream_al_in_partij = !verder && self.delen.iter().any(|d| d.stream == kopie.stream);
        let vol = stream_al_in_partij
            || self.events + 1 > PARTIJ_EVENTS
            || self.bytes + bytes > PARTIJ_BYTES;
        let klaar = vol.then(|| std::mem::take(self).delen);
        let verder = verder && !vol;
        if verder {
            if let Some(d) = self.delen.last_mut() {
                d.events.push(kopie.event);
            }
        } else {
            self.delen.push(StreamAppend {
                stream: kopie.stream,
                expected: match kopie.revisie {
                    0 => ExpectedRevision::NoStream,
                    r => ExpectedRevision::Exact(r - 1),
                },
                events: vec![kopie.event],
            });
        }
        self.events += 1;
        self.bytes += bytes;
        klaar
    }
}

async fn write_parts(naar: &dyn EventStore, delen: Vec<StreamAppend>) -> Result<u64, RewriteError> {
    if delen.is_empty() {
        return Ok(0);
    }
    let aantal = delen.iter().map(|d| d.events.len() as u64).sum();
    naar.append_atomic(delen).await?;
    Ok(aantal)
}

//! The vault: clients' personal data, sealed per client ([`key`]), stored in a table of its
//! own beside the events ([`storage`]), with an in-memory name index for the caseload ([`index`]).
//!
//! [`Kluisdienst`] is what the application layer uses. Authorisation and the access log are the
//! application layer's (as for every person-level field); this crate only seals, opens, stores
//! and keeps the index current. The event store knows nothing of it.

pub mod index;
pub mod key;
pub mod storage;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use storage::{Gebruik, Kluis, KluisRecord, StorageError};
use traject_domain::event::VrijeTekst;
use traject_domain::value::Persoonsgegevens;
use uuid::Uuid;

use index::{NaamIndex, Wijziging, Zoekterm};
use key::{ClientKey, KeyError, MasterKey};

/// How many records one read of the vault's changes takes.
const PARTIJ: usize = 5_000;
/// How old the index may be before a caseload query reads the vault's changes again. This
/// instance's own changes are in the index at once; another instance's show within this time.
const HOOGSTENS_OUD: Duration = Duration::from_secs(1);

/// Why the vault could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum KluisError {
    /// The storage refused or failed (a conflict and an erased client among them).
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A record does not open, or the key file failed.
    #[error(transparent)]
    Sleutel(#[from] KeyError),
    /// Records in the vault are wrapped by another master key than the configured one.
    #[error(
        "de kluis bevat gegevens onder hoofdsleutel(s) {gevonden:?}, maar de geconfigureerde sleutel is {geconfigureerd}; start met de juiste --kluis-key, of roteer eerst met traject kluis rotate"
    )]
    AndereHoofdsleutel {
        /// The configured key's id.
        geconfigureerd: String,
        /// The ids found in the vault.
        gevonden: Vec<String>,
    },
}

/// One client's entry in the vault, as a user sees it.
#[derive(Debug, Clone)]
pub struct Persoon {
    /// The record's version (`None`: the vault never held data for this client).
    pub versie: Option<u64>,
    /// The data; `None` if there is none or it was erased.
    pub gegevens: Option<Persoonsgegevens>,
    /// Whether the client's data was erased.
    pub gewist: bool,
}

/// What a reader of a client's events can do with their free text.
#[derive(Debug, Clone)]
pub enum TextKey {
    /// The client's key: sealed text opens.
    Sleutel(Arc<ClientKey>),
    /// The client was erased: no text of theirs is shown, sealed or (from events of earlier
    /// versions) in clear.
    Gewist,
    /// The client never had a key: only clear text of earlier versions exists.
    Geen,
}

impl TextKey {
    /// The text of field `veld` of `client`'s event `event` as a reader may see it; `None`
    /// once the client is erased.
    pub fn read(
        &self,
        client: Uuid,
        event: Uuid,
        veld: &str,
        tekst: VrijeTekst<'_>,
    ) -> Option<String> {
        match (self, tekst) {
            (TextKey::Gewist, _) => None,
            (_, VrijeTekst::Open(t)) => Some(t.to_owned()),
            (TextKey::Sleutel(s), VrijeTekst::Sealed(v)) => {
                s.open_text(client, event, veld, v.bytes())
            }
            (TextKey::Geen, VrijeTekst::Sealed(_)) => None,
        }
    }
}

/// The vault as the resolvers use it.
pub struct Kluisdienst {
    opslag: Arc<dyn Kluis>,
    sleutel: MasterKey,
    index: NaamIndex,
    /// Every client's data key as the vault had it at the last read of its changes: `None` for
    /// an erased client. Free text in events is sealed and opened with these.
    sleutels: RwLock<HashMap<Uuid, Option<Arc<ClientKey>>>>,
    verversen: tokio::sync::Mutex<()>,
    ververst_op: Mutex<Instant>,
    /// The shared hold on the vault while this service runs: no rotation meanwhile.
    _gebruik: Gebruik,
}

impl std::fmt::Debug for Kluisdienst {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kluisdienst")
            .field("sleutel", &self.sleutel)
            .finish_non_exhaustive()
    }
}

impl Kluisdienst {
    /// Checks that the vault is wrapped by `sleutel` and builds the name index from every
    /// record.
    pub async fn start(opslag: Arc<dyn Kluis>, sleutel: MasterKey) -> Result<Self, KluisError> {
        // Held first: a rotation that runs now would rewrap keys under this service's feet.
        let gebruik = opslag.in_gebruik().await?;
        let gevonden = opslag.sleutel_ids().await?;
        if gevonden.iter().any(|id| id != sleutel.id()) {
            return Err(KluisError::AndereHoofdsleutel {
                geconfigureerd: sleutel.id().to_owned(),
                gevonden,
            });
        }
        let dienst = Self {
            opslag,
            sleutel,
            index: NaamIndex::default(),
            sleutels: RwLock::default(),
            verversen: tokio::sync::Mutex::new(()),
            ververst_op: Mutex::new(Instant::now()),
            _gebruik: gebruik,
        };
        let begin = std::time::Instant::now();
        dienst.refresh().await?;
        let ms = begin.elapsed().as_millis() as u64;
        tracing::info!(names = dienst.index.len(), ms, "kluis index built");
        Ok(dienst)
    }

    /// Brings the index up to date if it is older than `HOOGSTENS_OUD` and no other request
    /// is doing so already: what a caseload query calls, so that reading names costs no database
    /// read per request.
    pub async fn refresh_if_stale(&self) -> Result<(), KluisError> {
        let oud = self.ververst_op.lock().expect("refresh time").elapsed() > HOOGSTENS_OUD;
        if !oud {
            return Ok(());
        }
        let Ok(_een_tegelijk) = self.verversen.try_lock() else {
            return Ok(());
        };
        self.read_changes().await
    }

    /// Brings the name index up to date with the vault (other instances' changes included).
    pub async fn refresh(&self) -> Result<(), KluisError> {
        let _een_tegelijk = self.verversen.lock().await;
        self.read_changes().await
    }

    async fn read_changes(&self) -> Result<(), KluisError> {
        let begin = Instant::now();
        loop {
            let records = self.opslag.wijzigingen(self.index.tot(), PARTIJ).await?;
            let klaar = records.len() < PARTIJ;
            let mut sleutels = Vec::with_capacity(records.len());
            let wijzigingen = records
                .into_iter()
                .map(|r| {
                    let sleutel = match &r.inhoud {
                        Some(inhoud) => Some(Arc::new(self.sleutel.unwrap_key(r.client, inhoud)?)),
                        None => None,
                    };
                    let wijziging = self.wijziging(&r, sleutel.as_deref())?;
                    sleutels.push((r.client, sleutel));
                    Ok(wijziging)
                })
                .collect::<Result<Vec<_>, KluisError>>()?;
            self.sleutels.write().expect("client keys").extend(sleutels);
            self.index.pas_toe(wijzigingen);
            if klaar {
                *self.ververst_op.lock().expect("refresh time") = begin;
                return Ok(());
            }
        }
    }

    fn wijziging(
        &self,
        record: &KluisRecord,
        sleutel: Option<&ClientKey>,
    ) -> Result<Wijziging, KluisError> {
        let gegevens = record.inhoud.as_ref().and_then(|i| i.gegevens.as_ref());
        let naam = match (sleutel, gegevens) {
            (Some(sleutel), Some(gegevens)) => Some(
                sleutel
                    .open_gegevens(record.client, gegevens)?
                    .naam
                    .as_str()
                    .to_owned(),
            ),
            _ => None,
        };
        Ok(Wijziging {
            client: record.client,
            volgnummer: record.volgnummer,
            naam,
        })
    }

    /// The client's entry, opened.
    pub async fn read(&self, client: Uuid) -> Result<Persoon, KluisError> {
        Ok(match self.opslag.read(client).await? {
            None => Persoon {
                versie: None,
                gegevens: None,
                gewist: false,
            },
            Some(record) => Persoon {
                versie: Some(record.versie),
                gewist: record.inhoud.is_none(),
                gegevens: match &record.inhoud {
                    Some(inhoud) => self.sleutel.open(client, inhoud)?,
                    None => None,
                },
            },
        })
    }

    /// Stores `gegevens` for `client` if the record is at `verwacht` (`None`: no personal data
    /// was recorded yet, so also a record that holds only the client's key); returns the new
    /// version. The client's data key stays the one their free text was sealed with.
    pub async fn leg_vast(
        &self,
        client: Uuid,
        verwacht: Option<u64>,
        gegevens: &Persoonsgegevens,
    ) -> Result<u64, KluisError> {
        let (verzegeld, verwacht) = match self.opslag.read(client).await? {
            Some(KluisRecord {
                inhoud: Some(inhoud),
                versie,
                ..
            }) => {
                let sleutel = self.sleutel.unwrap_key(client, &inhoud)?;
                let alleen_sleutel = inhoud.gegevens.is_none();
                let verzegeld = storage::Sealed {
                    gegevens: Some(sleutel.seal_gegevens(client, gegevens)),
                    ..inhoud
                };
                // A record with only the key holds nothing the caller could have read.
                let verwacht = match verwacht {
                    None if alleen_sleutel => Some(versie),
                    v => v,
                };
                (verzegeld, verwacht)
            }
            // New, or erased (which the storage refuses).
            _ => (self.sleutel.seal(client, gegevens), verwacht),
        };
        let versie = self.opslag.write(client, verwacht, verzegeld).await?;
        self.refresh().await?;
        Ok(versie)
    }

    /// The client's data key for sealing free text in their events, made and stored first if
    /// they have none yet. An erased client is [`StorageError::Gewist`]: nothing of theirs may
    /// be stored again.
    pub async fn sleutel_voor_tekst(&self, client: Uuid) -> Result<Arc<ClientKey>, KluisError> {
        // Another instance's erasure reaches this one's memory within a second.
        self.refresh_if_stale().await?;
        if let Some(Some(sleutel)) = self.sleutels.read().expect("client keys").get(&client) {
            return Ok(Arc::clone(sleutel));
        }
        for _ in 0..3 {
            match self.opslag.read(client).await? {
                Some(KluisRecord { inhoud: None, .. }) => {
                    return Err(StorageError::Gewist { client }.into());
                }
                Some(KluisRecord {
                    inhoud: Some(inhoud),
                    ..
                }) => return Ok(self.onthoud(client, self.sleutel.unwrap_key(client, &inhoud)?)),
                None => {
                    let sleutel = ClientKey::random();
                    let record = self.sleutel.wrap(client, &sleutel);
                    match self.opslag.write(client, None, record).await {
                        Ok(_) => return Ok(self.onthoud(client, sleutel)),
                        // Another request made the key first: use theirs.
                        Err(StorageError::Conflict { .. }) => continue,
                        Err(e) => return Err(e.into()),
                    }
                }
            }
        }
        Err(StorageError::Database("de sleutel van een client bleef wisselen".to_owned()).into())
    }

    fn onthoud(&self, client: Uuid, sleutel: ClientKey) -> Arc<ClientKey> {
        let sleutel = Arc::new(sleutel);
        self.sleutels
            .write()
            .expect("client keys")
            .insert(client, Some(Arc::clone(&sleutel)));
        sleutel
    }

    /// The client's data key as this service knows it now, without reading the storage: `None`
    /// for an erased client or one it does not know (yet).
    pub fn sleutel_in_geheugen(&self, client: Uuid) -> Option<Arc<ClientKey>> {
        self.sleutels
            .read()
            .expect("client keys")
            .get(&client)
            .cloned()
            .flatten()
    }

    /// The client's data key for opening their free text: from memory, or else from the
    /// storage (another instance may have made it a moment ago).
    pub async fn tekstsleutel(&self, client: Uuid) -> Result<TextKey, KluisError> {
        // Another instance's erasure reaches this one's memory within a second.
        self.refresh_if_stale().await?;
        if let Some(bekend) = self.sleutels.read().expect("client keys").get(&client) {
            return Ok(match bekend {
                Some(s) => TextKey::Sleutel(Arc::clone(s)),
                None => TextKey::Gewist,
            });
        }
        Ok(match self.opslag.read(client).await? {
            Some(KluisRecord {
                inhoud: Some(inhoud),
                ..
            }) => TextKey::Sleutel(self.onthoud(client, self.sleutel.unwrap_key(client, &inhoud)?)),
            Some(KluisRecord { inhoud: None, .. }) => TextKey::Gewist,
            None => TextKey::Geen,
        })
    }

    /// Adds the data of many new clients at once (the demo data).
    pub async fn fill(&self, personen: Vec<(Uuid, Persoonsgegevens)>) -> Result<(), KluisError> {
        let records = personen
            .iter()
            .map(|(client, gegevens)| (*client, self.sleutel.seal(*client, gegevens)))
            .collect();
        self.opslag.fill(records).await?;
        self.refresh().await
    }

    /// Destroys the client's data key and data, and removes the name from the index. `true` if
    /// there was data to destroy.
    pub async fn wis(&self, client: Uuid) -> Result<bool, KluisError> {
        let had = self.opslag.wis(client).await?;
        self.refresh().await?;
        Ok(had)
    }

    /// The client's name from the index (call [`Self::refresh_if_stale`] once per request first).
    pub fn naam(&self, client: Uuid) -> Option<String> {
        self.index.naam(client)
    }

    /// Whether the client's name matches the search.
    pub fn past(&self, client: Uuid, term: &Zoekterm) -> bool {
        self.index.past(client, term)
    }

    /// Whether the vault holds no records at all.
    pub async fn is_empty(&self) -> Result<bool, KluisError> {
        Ok(self.opslag.wijzigingen(0, 1).await?.is_empty())
    }
}

/// Rewraps every data key of `opslag` from `oud` to `nieuw` in one transaction; returns how many.
/// Refused while any server holds the vault ([`Kluis::alleen`]): a server would go on sealing
/// under the old key. Records already wrapped by `nieuw` are left as they are, so a rotation can
/// be run again; a record under any third key stops the rotation before anything is written.
pub async fn rotate(
    opslag: &dyn Kluis,
    oud: &MasterKey,
    nieuw: &MasterKey,
) -> Result<usize, KluisError> {
    let _alleen = opslag.alleen().await?;
    let onbekend: Vec<String> = opslag
        .sleutel_ids()
        .await?
        .into_iter()
        .filter(|id| id != oud.id() && id != nieuw.id())
        .collect();
    if !onbekend.is_empty() {
        return Err(KluisError::AndereHoofdsleutel {
            geconfigureerd: oud.id().to_owned(),
            gevonden: onbekend,
        });
    }
    let mut sleutels = Vec::new();
    let mut na = 0;
    loop {
        let records = opslag.wijzigingen(na, PARTIJ).await?;
        let klaar = records.len() < PARTIJ;
        for record in records {
            na = record.volgnummer;
            if let Some(inhoud) = record.inhoud.filter(|i| i.sleutel_id == oud.id()) {
                sleutels.push((record.client, oud.rewrap(nieuw, record.client, &inhoud)?));
            }
        }
        if klaar {
            break;
        }
    }
    Ok(opslag.rewrap(oud.id(), nieuw.id(), sleutels).await?)
}

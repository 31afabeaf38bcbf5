//! Publishing the anonymised regional figures (product.md, "Figures for regions"): one protected
//! table for every publication, kept consistent over time.
//!
//! Every publication protects the whole national table, from the first quarter with data up to
//! the peildatum's quarter, and then shows the part its reader may see (a region, or all of them)
//! for the quarters asked. So exports for different regions or ranges are parts of one protected
//! table, and cannot be laid side by side to recompute a cell one of them hides.
//!
//! What a publication hid is kept in the store, in the stream `publicaties`: each publication
//! appends the cells it hid that no earlier one had (with the reason), and every later
//! publication hides them again ([`bescherm`]). The append expects the revision read before
//! computing; if another instance published meanwhile, the publication is computed again on top
//! of what that one hid. A publication is handed out only after its hidden cells are durable.
//!
//! The same store position, peildatum and publication history give the same [`Uitgave`]: it is
//! kept and handed out again until one of them moves.

pub mod formaat;
pub mod http;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use traject_projections::Projecties;
use traject_projections::bescherming::tabel::Reden;
use traject_projections::bescherming::{Maat, Publicatie, Regels, Sleutel, bescherm};
use traject_projections::cijfers::{Kwartaal, regiocijfers};
use traject_store::{
    Direction, EventStore, ExpectedRevision, Metadata, NewEvent, Position, ReadFrom, StoreError,
    StreamName,
};

/// The stream of publications.
pub const STREAM: &str = "publicaties";
const EVENT_TYPE: &str = "CijfersGepubliceerd";
/// Cells per event: about 35 bytes each, so an event stays near 70 KiB.
const PER_EVENT: usize = 2_000;
/// Events per append: about 280 KiB.
const PER_APPEND: usize = 4;

/// How figures are published: the disclosure-control rules and the yearly target.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct CijferConfig {
    /// The threshold T: every count 1 <= n < T is hidden. At least 5.
    #[arg(long, env = "TRAJECT_DREMPEL", default_value_t = 10)]
    pub drempel: u64,
    /// Round every published count to a multiple of 5.
    #[arg(long, env = "TRAJECT_AFRONDEN")]
    pub afronden: bool,
    /// Started trajectories (intake completed) a region aims for per year.
    #[arg(long, env = "TRAJECT_JAARDOEL", default_value_t = 100)]
    pub jaardoel: u64,
}

impl Default for CijferConfig {
    fn default() -> Self {
        Self {
            drempel: 10,
            afronden: false,
            jaardoel: 100,
        }
    }
}

impl CijferConfig {
    /// The rules, or which setting breaks which rule.
    pub fn regels(&self) -> Result<Regels, String> {
        let mut regels = Regels::new(self.drempel)?;
        regels.afronden = self.afronden;
        Ok(regels)
    }
}

/// One protected table, and what every file made of it states.
#[derive(Debug, Clone, PartialEq)]
pub struct Uitgave {
    /// The protected cells and medians.
    pub publicatie: Publicatie,
    /// The rules applied.
    pub regels: Regels,
    /// Started trajectories a region aims for per year.
    pub jaardoel: u64,
    /// The duurzaam policy version the figures were measured with.
    pub beleidsversie: String,
    /// The store position of the last trajectory event counted (`None`: an empty store).
    pub positie: Option<Position>,
    /// The day the figures are as of, and the day they were made.
    pub peildatum: NaiveDate,
}

/// What a publication appends: the cells it hid that no earlier publication had.
#[derive(Debug, Serialize, Deserialize)]
struct Gepubliceerd {
    drempel: u64,
    afronden: bool,
    beleidsversie: String,
    positie: Option<u64>,
    peildatum: NaiveDate,
    /// The measures, in the order of the codes below.
    maten: Vec<String>,
    /// Per cell (`regio/periode/methode`), one letter per measure: `.` not newly hidden, else
    /// the reason (`p` primair, `s` secundair, `e` eerder, `k` kleine groep). About 35 bytes a
    /// cell, so the national table of ten years records in a few hundred KiB.
    verborgen: Vec<(String, String)>,
}

fn letter(reden: Reden) -> char {
    match reden {
        Reden::Primair => 'p',
        Reden::Secundair => 's',
        Reden::Eerder => 'e',
        Reden::KleineGroep => 'k',
    }
}

fn uit_letter(letter: char) -> Option<Reden> {
    Reden::ALLE.into_iter().find(|r| self::letter(*r) == letter)
}

/// The newly hidden cells as records of at most [`PER_EVENT`] cells each.
fn records(nieuw: &[(Sleutel, Reden)], kop: &Gepubliceerd) -> Vec<Gepubliceerd> {
    let maten: Vec<Maat> = Maat::alle();
    let mut per_cel: BTreeMap<String, Vec<char>> = BTreeMap::new();
    for (sleutel, reden) in nieuw {
        let tekst = sleutel.als_tekst();
        let cel = tekst.rsplit_once('/').map_or(tekst.as_str(), |(c, _)| c);
        let codes = per_cel
            .entry(cel.to_owned())
            .or_insert_with(|| vec!['.'; maten.len()]);
        let k = maten
            .iter()
            .position(|m| *m == sleutel.maat)
            .expect("listed");
        codes[k] = letter(*reden);
    }
    let cellen: Vec<(String, String)> = per_cel
        .into_iter()
        .map(|(cel, codes)| (cel, codes.into_iter().collect()))
        .collect();
    cellen
        .chunks(PER_EVENT)
        .map(|deel| Gepubliceerd {
            drempel: kop.drempel,
            afronden: kop.afronden,
            beleidsversie: kop.beleidsversie.clone(),
            positie: kop.positie,
            peildatum: kop.peildatum,
            maten: maten.iter().map(Maat::naam).collect(),
            verborgen: deel.to_vec(),
        })
        .collect()
}

/// The hidden cells a record names.
fn gelezen(record: Gepubliceerd) -> Result<Vec<(Sleutel, Reden)>, String> {
    let mut uit = Vec::new();
    for (cel, codes) in &record.verborgen {
        if codes.chars().count() != record.maten.len() {
            return Err(format!(
                "cel {cel}: {} codes voor {} maten",
                codes.len(),
                record.maten.len()
            ));
        }
        for (maat, code) in record.maten.iter().zip(codes.chars()) {
            if code == '.' {
                continue;
            }
            let reden =
                uit_letter(code).ok_or_else(|| format!("cel {cel}: code '{code}' is onbekend"))?;
            uit.push((Sleutel::parse(&format!("{cel}/{maat}"))?, reden));
        }
    }
    Ok(uit)
}

/// Why a publication could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PublicatieFout {
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// A stored publication cannot be read: refusing is safer than revealing what it hid.
    #[error("publicatie op revisie {revisie} is onleesbaar: {reden}")]
    Onleesbaar {
        /// Its revision in the stream.
        revisie: u64,
        /// What is wrong.
        reden: String,
    },
    /// Some hidden cells could not be shown protected: nothing is published.
    #[error("{0} verborgen cellen zijn niet aantoonbaar beschermd; er wordt niets gepubliceerd")]
    Onzeker(usize),
    /// The computation panicked.
    #[error("berekening mislukt")]
    Berekening,
}

/// Makes publications for one store and its projections.
pub struct Publicaties {
    store: Arc<dyn EventStore>,
    projecties: Arc<Projecties>,
    regels: Regels,
    jaardoel: u64,
    /// One publication at a time in this instance.
    staat: tokio::sync::Mutex<Staat>,
}

#[derive(Default)]
struct Staat {
    /// The revision of the last publication read.
    gelezen: Option<u64>,
    /// Every cell an earlier publication hid.
    eerder: BTreeMap<Sleutel, Reden>,
    /// The last publication, handed out again while nothing it depends on moved.
    laatste: Option<Laatste>,
}

struct Laatste {
    /// The projections' position it was computed at.
    positie: Option<Position>,
    peildatum: NaiveDate,
    /// The revision of the last publication it was protected on top of (or recorded).
    revisie: Option<u64>,
    uitgave: Arc<Uitgave>,
}

impl Publicaties {
    /// Publications of `projecties` (following `store`) under `config`.
    pub fn new(
        store: Arc<dyn EventStore>,
        projecties: Arc<Projecties>,
        config: &CijferConfig,
    ) -> Result<Self, String> {
        Ok(Self {
            store,
            projecties,
            regels: config.regels()?,
            jaardoel: config.jaardoel,
            staat: tokio::sync::Mutex::default(),
        })
    }

    /// The protected table as of `peildatum`, at the projections' current position. Its hidden
    /// cells are durable in the store before it is returned.
    pub async fn publiceer(&self, peildatum: NaiveDate) -> Result<Arc<Uitgave>, PublicatieFout> {
        let mut staat = self.staat.lock().await;
        loop {
            self.lees_bij(&mut staat).await?;
            if let Some(laatste) = &staat.laatste
                && laatste.positie == self.projecties.positie()
                && laatste.peildatum == peildatum
                && laatste.revisie == staat.gelezen
            {
                return Ok(Arc::clone(&laatste.uitgave));
            }
            let projecties = Arc::clone(&self.projecties);
            let regels = self.regels.clone();
            let eerder = staat.eerder.clone();
            let (publicatie, positie, beleidsversie) = tokio::task::spawn_blocking(move || {
                let model = projecties.lees();
                let van = model
                    .kenmerken()
                    .map(|k| k.aanmelding)
                    .min()
                    .map_or(Kwartaal::van(peildatum), Kwartaal::van);
                let cijfers = regiocijfers(&model, peildatum, van, Kwartaal::van(peildatum));
                (
                    bescherm(&cijfers, &regels, &eerder),
                    model.checkpoint(),
                    model.beleid().versie().to_owned(),
                )
            })
            .await
            .map_err(|_| PublicatieFout::Berekening)?;
            if !publicatie.onzeker.is_empty() {
                return Err(PublicatieFout::Onzeker(publicatie.onzeker.len()));
            }
            let nieuw: Vec<(Sleutel, Reden)> = publicatie
                .verborgen()
                .into_iter()
                .filter(|(s, _)| !staat.eerder.contains_key(s))
                .collect();
            if !nieuw.is_empty() {
                let kop = Gepubliceerd {
                    drempel: self.regels.drempel(),
                    afronden: self.regels.afronden,
                    beleidsversie: beleidsversie.clone(),
                    positie: positie.map(|p| p.0),
                    peildatum,
                    maten: Vec::new(),
                    verborgen: Vec::new(),
                };
                // A few records per append, each append below the store's size limits. Should
                // the process stop between appends, the cells recorded so far stay hidden in
                // later publications: more than needed, never less.
                let mut conflict = false;
                let mut revisie = staat.gelezen;
                for deel in records(&nieuw, &kop).chunks(PER_APPEND) {
                    let events: Vec<NewEvent> = deel
                        .iter()
                        .map(|record| NewEvent {
                            id: uuid::Uuid::now_v7(),
                            event_type: EVENT_TYPE.to_owned(),
                            schema_version: 1,
                            data: serde_json::to_value(record).expect("a record always serialises"),
                            metadata: Metadata::default(),
                            recorded_at: None,
                        })
                        .collect();
                    let verwacht = ExpectedRevision::from_revision(revisie);
                    match self.store.append(&stream(), verwacht, events).await {
                        Ok(r) => revisie = Some(r.revision),
                        // Another instance published meanwhile: protect again on top of it.
                        Err(StoreError::WrongExpectedVersion { .. }) => {
                            conflict = true;
                            break;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                // What was appended is read back on the next round, like anyone's.
                self.lees_bij(&mut staat).await?;
                if conflict {
                    continue;
                }
            }
            let uitgave = Arc::new(Uitgave {
                publicatie,
                regels: self.regels.clone(),
                jaardoel: self.jaardoel,
                beleidsversie,
                positie,
                peildatum,
            });
            staat.laatste = Some(Laatste {
                positie,
                peildatum,
                revisie: staat.gelezen,
                uitgave: Arc::clone(&uitgave),
            });
            return Ok(uitgave);
        }
    }

    /// Reads the publications appended since the last one read.
    async fn lees_bij(&self, staat: &mut Staat) -> Result<(), PublicatieFout> {
        loop {
            let from = staat
                .gelezen
                .map_or(ReadFrom::Start, |r| ReadFrom::Revision(r + 1));
            let batch = self
                .store
                .read_stream(&stream(), from, Direction::Forwards, 256)
                .await?;
            for event in &batch {
                let onleesbaar = |reden: String| PublicatieFout::Onleesbaar {
                    revisie: event.revision,
                    reden,
                };
                let record: Gepubliceerd = serde_json::from_value(event.data.clone())
                    .map_err(|e| onleesbaar(e.to_string()))?;
                for (sleutel, reden) in gelezen(record).map_err(onleesbaar)? {
                    staat.eerder.entry(sleutel).or_insert(reden);
                }
                staat.gelezen = Some(event.revision);
            }
            if batch.len() < 256 {
                return Ok(());
            }
        }
    }
}

fn stream() -> StreamName {
    StreamName::new(STREAM).expect("a valid stream name")
}

//! Releases of the anonymised regional figures (product.md, "Figures for regions"): figures leave
//! the system only as deliberate releases of closed quarters, and reading never writes.
//!
//! - **A release** ([`Vrijgaven::vrijgeef`]) is made by the landelijk role (or a beheerder, or
//!   the operator's CLI) for one quarter once it has closed plus a lag for late registrations.
//!   It protects that quarter's table (every region and the nation, every method and the total,
//!   every measure; relations regions -> national, methods -> total, reasons -> closings) and
//!   stores the published values themselves, with the store position, policy version and rules
//!   they were made with, in the stream `vrijgave-<kwartaal>`. Every later read of the quarter,
//!   by anyone, gives exactly those values; the same release gives byte-identical files.
//! - **A correction** is a new numbered release of the same quarter, at most
//!   [`Vrijgaven::max_correcties`] of them. It is protected jointly with the earlier releases:
//!   what an earlier release hid stays hidden, and a cell whose value moved by less than T since
//!   a release that published it is hidden too, so that two releases cannot be subtracted to
//!   reveal a few events.
//! - **Reading** ([`Vrijgaven::uitgave`]) assembles the latest release of every quarter asked
//!   and writes nothing. Provisional figures of quarters not released yet are computed with the
//!   same protection on request, for the landelijk role only, marked as provisional, and never
//!   stored.
//! - A hidden cell carries one marker; the reason it is hidden is not published (it would let a
//!   reader narrow the value), and is not stored either.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use traject_projections::Projecties;
pub mod audit;
pub mod bescherming;
pub mod businesscase;
pub mod kwaliteit;

use bescherming::tabel::Reden;
use bescherming::{Maat, Publicatie, Regels, Sleutel, Waarde, bescherm, bescherm_voor_vrijgave};
use traject_projections::cijfers::{Cel, Kwartaal, Periode, regiocijfers};
use traject_store::{
    Direction, EventStore, ExpectedRevision, Metadata, NewEvent, Position, ReadFrom, StoreError,
    StreamName,
};

/// The prefix of the release streams: `vrijgave-2025Q3`.
pub const STREAM_PREFIX: &str = "vrijgave-";
const EVENT_TYPE: &str = "CijfersVrijgegeven";

/// What a release says about itself (the file's header states it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VrijgaveKop {
    /// The quarter.
    pub kwartaal: Kwartaal,
    /// 1 for the first release, then each correction the next.
    pub nummer: u32,
    /// The day the figures are as of: the day of the release.
    pub peildatum: NaiveDate,
    /// The store position of the last trajectory event counted (`None`: an empty store).
    pub positie: Option<Position>,
    /// The duurzaam policy version the figures were measured with.
    pub beleidsversie: String,
    /// The threshold T applied.
    pub drempel: u64,
    /// Whether published counts were rounded to multiples of 5.
    pub afronden: bool,
    /// The smallest group broken down by closing reason.
    pub min_uitsplitsing: u64,
    /// How many hidden cells the linear-programming audit proved protected ([`audit`]).
    pub geaudit: u64,
}

/// A release as stored: its header and the published values (`None`: hidden).
#[derive(Debug, Clone, PartialEq)]
pub struct Vrijgave {
    /// What it says about itself.
    pub kop: VrijgaveKop,
    /// Every cell of the quarter: the value, or `None` when hidden.
    pub cellen: BTreeMap<Sleutel, Option<u64>>,
    /// The publishable medians.
    pub medianen: BTreeMap<Cel, f64>,
}

/// The stored form. Version 2 breaks closings down by outcome ([`bescherming::Uitkomst`]);
/// version 1, the same shape, by closing reason (read as outcomes).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Opgeslagen {
    kwartaal: String,
    nummer: u32,
    peildatum: NaiveDate,
    positie: Option<u64>,
    beleidsversie: String,
    drempel: u64,
    afronden: bool,
    min_uitsplitsing: u64,
    geaudit: u64,
    /// The measures, in the order of each cell's values.
    maten: Vec<String>,
    /// Per cell (`regio/periode/methode`) one value per measure, `null` when hidden.
    cellen: Vec<(String, Vec<Option<u64>>)>,
    /// Per cell the median days to first employer contact, where publishable.
    medianen: Vec<(String, f64)>,
}

fn cel_tekst(cel: &Cel) -> String {
    let tekst = Sleutel {
        cel: *cel,
        maat: Maat::Gestart,
    }
    .als_tekst();
    tekst
        .rsplit_once('/')
        .map_or(tekst.clone(), |(c, _)| c.to_owned())
}

impl Vrijgave {
    fn opgeslagen(&self) -> Opgeslagen {
        let maten = Maat::alle();
        let mut per_cel: BTreeMap<Cel, Vec<Option<u64>>> = BTreeMap::new();
        for (sleutel, waarde) in &self.cellen {
            let k = maten
                .iter()
                .position(|m| *m == sleutel.maat)
                .expect("every measure is listed");
            per_cel
                .entry(sleutel.cel)
                .or_insert_with(|| vec![None; maten.len()])[k] = *waarde;
        }
        Opgeslagen {
            kwartaal: self.kop.kwartaal.to_string(),
            nummer: self.kop.nummer,
            peildatum: self.kop.peildatum,
            positie: self.kop.positie.map(|p| p.0),
            beleidsversie: self.kop.beleidsversie.clone(),
            drempel: self.kop.drempel,
            afronden: self.kop.afronden,
            min_uitsplitsing: self.kop.min_uitsplitsing,
            geaudit: self.kop.geaudit,
            maten: maten.iter().map(Maat::naam).collect(),
            cellen: per_cel
                .iter()
                .map(|(cel, waarden)| (cel_tekst(cel), waarden.clone()))
                .collect(),
            medianen: self
                .medianen
                .iter()
                .map(|(cel, m)| (cel_tekst(cel), *m))
                .collect(),
        }
    }

    fn uit(opgeslagen: Opgeslagen) -> Result<Self, String> {
        let kwartaal: Kwartaal = opgeslagen
            .kwartaal
            .parse()
            .map_err(|_| "kwartaal onleesbaar".to_owned())?;
        let maten: Vec<Maat> = opgeslagen
            .maten
            .iter()
            .map(|m| maat_van(m).ok_or_else(|| format!("maat {m} onbekend")))
            .collect::<Result<_, _>>()?;
        let cel = |tekst: &str| Sleutel::parse(&format!("{tekst}/gestart")).map(|s| s.cel);
        let mut cellen: BTreeMap<Sleutel, Option<u64>> = BTreeMap::new();
        for (tekst, waarden) in &opgeslagen.cellen {
            if waarden.len() != maten.len() {
                return Err(format!("cel {tekst}: {} waarden", waarden.len()));
            }
            let cel = cel(tekst)?;
            for (maat, waarde) in maten.iter().zip(waarden) {
                // A release of version 1 has a measure per closing reason: the reasons of one
                // outcome add up to it, hidden when one of them is.
                cellen
                    .entry(Sleutel { cel, maat: *maat })
                    .and_modify(|som| *som = som.zip(*waarde).map(|(a, b)| a + b))
                    .or_insert(*waarde);
            }
        }
        let medianen = opgeslagen
            .medianen
            .iter()
            .map(|(tekst, m)| Ok((cel(tekst)?, *m)))
            .collect::<Result<_, String>>()?;
        Ok(Self {
            kop: VrijgaveKop {
                kwartaal,
                nummer: opgeslagen.nummer,
                peildatum: opgeslagen.peildatum,
                positie: opgeslagen.positie.map(Position),
                beleidsversie: opgeslagen.beleidsversie,
                drempel: opgeslagen.drempel,
                afronden: opgeslagen.afronden,
                min_uitsplitsing: opgeslagen.min_uitsplitsing,
                geaudit: opgeslagen.geaudit,
            },
            cellen,
            medianen,
        })
    }
}

/// What a reader gets: the latest release of each quarter asked (or, on request, provisional
/// figures of quarters not released yet), as one table.
#[derive(Debug, Clone, PartialEq)]
pub struct Uitgave {
    /// The cells of every quarter included. A hidden cell is [`Waarde::Verborgen`]; its reason
    /// is always [`Reden::Eerder`] and never shown.
    pub publicatie: Publicatie,
    /// The rules in force now (each release states its own in [`Self::vrijgaven`]).
    pub regels: Regels,
    /// Started trajectories a region aims for per year.
    pub jaardoel: u64,
    /// The releases included, in quarter order.
    pub vrijgaven: Vec<VrijgaveKop>,
    /// The quarters asked that have no release (and are not included, unless provisional).
    pub niet_vrijgegeven: Vec<Kwartaal>,
    /// Provisional figures of the quarters not released: as of this day and store position.
    pub voorlopig: Option<Voorlopig>,
}

/// Provisional figures: what they are as of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voorlopig {
    /// The day.
    pub peildatum: NaiveDate,
    /// The store position of the last trajectory event counted.
    pub positie: Option<Position>,
    /// The duurzaam policy version.
    pub beleidsversie: String,
}

/// Why a release was refused or could not be made; reading fails only on the store.
#[derive(Debug, thiserror::Error)]
pub enum VrijgaveError {
    /// The quarter has not closed plus the lag yet.
    #[error(
        "{kwartaal} kan pas vanaf {vanaf} worden vrijgegeven (na afloop plus {dagen} dagen voor late registraties)"
    )]
    TeVroeg {
        /// The quarter.
        kwartaal: Kwartaal,
        /// The first day it may be released.
        vanaf: NaiveDate,
        /// The lag in days.
        dagen: u32,
    },
    /// The quarter was released and corrected the most times allowed.
    #[error("{kwartaal} is al {keer} keer vrijgegeven; meer correcties zijn niet toegestaan")]
    TeveelCorrecties {
        /// The quarter.
        kwartaal: Kwartaal,
        /// How many releases it has.
        keer: u32,
    },
    /// The year's business case is not closed plus the lag yet.
    #[error(
        "de businesscase van {jaar} kan pas vanaf {vanaf} worden vrijgegeven (na afloop van het jaar plus {dagen} dagen voor late registraties)"
    )]
    BusinesscaseTeVroeg {
        /// The year.
        jaar: i32,
        /// The first day it may be released.
        vanaf: NaiveDate,
        /// The lag in days.
        dagen: u32,
    },
    /// The year's business case was released: it is released once.
    #[error(
        "de businesscase van {jaar} is al vrijgegeven; die wordt één keer vrijgegeven, omdat een correctie de late registraties zou tonen"
    )]
    BusinesscaseAlVrijgegeven {
        /// The year.
        jaar: i32,
    },
    /// Another release of the quarter was made at the same time.
    #[error("{kwartaal} werd tegelijk door een ander vrijgegeven (vrijgave {nummer})")]
    Tegelijk {
        /// The quarter.
        kwartaal: Kwartaal,
        /// The number that was taken.
        nummer: u32,
    },
    /// Some hidden cells could not be shown protected: nothing is released.
    #[error("{0} verborgen cellen zijn niet aantoonbaar beschermd; er wordt niets vrijgegeven")]
    Onzeker(usize),
    /// The audit found hidden cells a reader could narrow to fewer than T values: nothing is
    /// released.
    #[error(
        "de audit vond {0} verborgen cellen die tot minder dan T waarden te herleiden zijn; er wordt niets vrijgegeven"
    )]
    AuditMislukt(usize),
    /// A stored release cannot be read: refusing is safer than showing something else.
    #[error("vrijgave {kwartaal} op revisie {revisie} is onleesbaar: {reden}")]
    Onleesbaar {
        /// Its quarter.
        kwartaal: Kwartaal,
        /// Its revision in the stream.
        revisie: u64,
        /// What is wrong.
        reden: String,
    },
    /// A quality report covers a calendar year: reports over four quarters that overlap
    /// without being the same could be subtracted to give one quarter's counts.
    #[error(
        "een kwaliteitsrapport beslaat een kalenderjaar ({jaar} of {jaar}Q4), niet de vier kwartalen tot {kwartaal}: rapporten over perioden die elkaar overlappen zijn van elkaar af te trekken tot de aantallen van één kwartaal",
        jaar = .0.jaar,
        kwartaal = .0
    )]
    GeenKalenderjaar(Kwartaal),
    /// A quality report needs the releases of its four quarters.
    #[error("eerst moeten deze kwartalen worden vrijgegeven: {}", .0.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", "))]
    KwartalenNietVrijgegeven(Vec<Kwartaal>),
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// The computation panicked.
    #[error("berekening mislukt")]
    Berekening,
}

impl VrijgaveError {
    /// A stable code for a refusal by the release rules; `None` for a failure.
    pub fn regel(&self) -> Option<&'static str> {
        match self {
            VrijgaveError::TeVroeg { .. } => Some("kwartaal_nog_niet_vrij_te_geven"),
            VrijgaveError::TeveelCorrecties { .. } => Some("te_veel_correcties"),
            VrijgaveError::BusinesscaseTeVroeg { .. } => Some("jaar_nog_niet_vrij_te_geven"),
            VrijgaveError::BusinesscaseAlVrijgegeven { .. } => Some("businesscase_al_vrijgegeven"),
            VrijgaveError::Onzeker(_) => Some("niet_aantoonbaar_beschermd"),
            VrijgaveError::AuditMislukt(_) => Some("audit_mislukt"),
            VrijgaveError::KwartalenNietVrijgegeven(_) => Some("kwartalen_niet_vrijgegeven"),
            VrijgaveError::GeenKalenderjaar(_) => Some("kalenderjaar"),
            _ => None,
        }
    }
}

/// The releases of one store, and provisional figures of its projections.
pub struct Vrijgaven {
    store: Arc<dyn EventStore>,
    projecties: Arc<Projecties>,
    regels: Regels,
    jaardoel: u64,
    /// Days after a quarter's end before it may be released.
    pub wachttijd_dagen: u32,
    /// Corrections allowed after the first release of a quarter.
    pub max_correcties: u32,
    /// The releases read so far per quarter (they never change once stored).
    gelezen: Mutex<BTreeMap<Kwartaal, Vec<Arc<Vrijgave>>>>,
    /// The quality reports' releases read so far, per last quarter.
    kwaliteit_gelezen: Mutex<BTreeMap<Kwartaal, Vec<Arc<kwaliteit::KwaliteitVrijgave>>>>,
}

impl Vrijgaven {
    /// Releases of `projecties` (following `store`) under `regels`.
    pub fn new(
        store: Arc<dyn EventStore>,
        projecties: Arc<Projecties>,
        regels: Regels,
        jaardoel: u64,
        wachttijd_dagen: u32,
        max_correcties: u32,
    ) -> Self {
        Self {
            store,
            projecties,
            regels,
            jaardoel,
            wachttijd_dagen,
            max_correcties,
            gelezen: Mutex::default(),
            kwaliteit_gelezen: Mutex::default(),
        }
    }

    /// The rules in force.
    pub fn regels(&self) -> &Regels {
        &self.regels
    }

    /// Started trajectories a region aims for per year.
    pub fn jaardoel(&self) -> u64 {
        self.jaardoel
    }

    /// The releases of `kwartaal`, oldest first, read from the store (only those not read yet).
    pub async fn van(&self, kwartaal: Kwartaal) -> Result<Vec<Arc<Vrijgave>>, VrijgaveError> {
        let bekend = self
            .gelezen
            .lock()
            .expect("releases")
            .get(&kwartaal)
            .cloned()
            .unwrap_or_default();
        let nieuw = lees_vrijgaven(
            self.store.as_ref(),
            &stream(kwartaal),
            bekend.len(),
            EVENT_TYPE,
            1..=2,
            kwartaal,
            |data| {
                let opgeslagen: Opgeslagen =
                    serde_json::from_value(data).map_err(|e| e.to_string())?;
                Vrijgave::uit(opgeslagen).map(Arc::new)
            },
        )
        .await?;
        let mut gelezen = self.gelezen.lock().expect("releases");
        Ok(aanvullen(
            gelezen.entry(kwartaal).or_default(),
            bekend.len(),
            nieuw,
        ))
    }

    /// Releases `kwartaal` as of `vandaag`, made by `door` (a user id, or `cli`): the first
    /// release of the quarter or its next correction. Returns what it says about itself.
    pub async fn vrijgeef(
        &self,
        kwartaal: Kwartaal,
        vandaag: NaiveDate,
        door: &str,
    ) -> Result<VrijgaveKop, VrijgaveError> {
        let vanaf = kwartaal.laatste_dag() + chrono::Days::new(u64::from(self.wachttijd_dagen) + 1);
        if vandaag < vanaf {
            return Err(VrijgaveError::TeVroeg {
                kwartaal,
                vanaf,
                dagen: self.wachttijd_dagen,
            });
        }
        let eerdere = self.van(kwartaal).await?;
        let keer = eerdere.len() as u32;
        if keer > self.max_correcties {
            return Err(VrijgaveError::TeveelCorrecties { kwartaal, keer });
        }
        let projecties = Arc::clone(&self.projecties);
        let regels = self.regels.clone();
        let eerdere_voor_berekening = eerdere.clone();
        let (publicatie, positie, beleidsversie, bevindingen, geaudit) =
            tokio::task::spawn_blocking(move || {
                let (cijfers, positie, beleidsversie) = {
                    let model = projecties.read();
                    (
                        kwartaalcijfers(&model, kwartaal, vandaag),
                        model.checkpoint(),
                        model.beleid().versie().to_owned(),
                    )
                };
                // Every hidden cell is proved protected (the audit in `bescherm_voor_vrijgave`,
                // jointly with the earlier releases for a correction) before anything leaves.
                let eerdere: Vec<(&BTreeMap<Sleutel, Option<u64>>, bool)> = eerdere_voor_berekening
                    .iter()
                    .map(|v| (&v.cellen, v.kop.afronden))
                    .collect();
                let publicatie = bescherm_voor_vrijgave(&cijfers, &regels, &eerdere);
                let (bevindingen, geaudit) = (publicatie.afgekeurd.len(), publicatie.geaudit);
                (publicatie, positie, beleidsversie, bevindingen, geaudit)
            })
            .await
            .map_err(|_| VrijgaveError::Berekening)?;
        if !publicatie.onzeker.is_empty() {
            return Err(VrijgaveError::Onzeker(publicatie.onzeker.len()));
        }
        if bevindingen > 0 {
            return Err(VrijgaveError::AuditMislukt(bevindingen));
        }
        let vrijgave = Vrijgave {
            kop: VrijgaveKop {
                kwartaal,
                nummer: keer + 1,
                peildatum: vandaag,
                positie,
                beleidsversie,
                drempel: self.regels.drempel(),
                afronden: self.regels.afronden,
                min_uitsplitsing: self.regels.min_uitsplitsing,
                geaudit: geaudit as u64,
            },
            cellen: publicatie
                .cellen
                .iter()
                .map(|(s, w)| {
                    (
                        *s,
                        match w {
                            Waarde::Getal(n) => Some(*n),
                            Waarde::Verborgen(_) => None,
                        },
                    )
                })
                .collect(),
            medianen: publicatie.medianen.clone(),
        };
        let event = NewEvent {
            id: uuid::Uuid::now_v7(),
            event_type: EVENT_TYPE.to_owned(),
            schema_version: 2,
            data: serde_json::to_value(vrijgave.opgeslagen()).expect("a release serialises"),
            metadata: Metadata {
                actor: Some(door.to_owned()),
                ..Metadata::default()
            },
            recorded_at: None,
        };
        let verwacht = ExpectedRevision::from_revision(keer.checked_sub(1).map(u64::from));
        match self
            .store
            .append(&stream(kwartaal), verwacht, vec![event])
            .await
        {
            Ok(_) => {}
            Err(StoreError::WrongExpectedVersion { .. }) => {
                return Err(VrijgaveError::Tegelijk {
                    kwartaal,
                    nummer: keer + 1,
                });
            }
            Err(e) => return Err(e.into()),
        }
        let kop = vrijgave.kop.clone();
        self.van(kwartaal).await?;
        Ok(kop)
    }

    /// The figures of the quarters `van` to `tot`: the latest release of each; with
    /// `voorlopig`, the quarters without a release computed now (as of `vandaag`) with the same
    /// protection, marked provisional. Writes nothing.
    pub async fn uitgave(
        &self,
        van: Kwartaal,
        tot: Kwartaal,
        voorlopig: bool,
        vandaag: NaiveDate,
    ) -> Result<Uitgave, VrijgaveError> {
        let mut cellen = BTreeMap::new();
        let mut medianen = BTreeMap::new();
        let mut vrijgaven = Vec::new();
        let mut niet_vrijgegeven = Vec::new();
        let mut kwartaal = van;
        while kwartaal <= tot {
            match self.van(kwartaal).await?.last() {
                Some(v) => {
                    for (s, w) in &v.cellen {
                        cellen.insert(*s, waarde(*w));
                    }
                    medianen.extend(v.medianen.iter().map(|(c, m)| (*c, *m)));
                    vrijgaven.push(v.kop.clone());
                }
                None => niet_vrijgegeven.push(kwartaal),
            }
            kwartaal = kwartaal.volgende();
        }
        let mut uitgave = Uitgave {
            publicatie: Publicatie {
                cellen,
                medianen,
                onzeker: Vec::new(),
                afgekeurd: Vec::new(),
                geaudit: 0,
            },
            regels: self.regels.clone(),
            jaardoel: self.jaardoel,
            vrijgaven,
            niet_vrijgegeven,
            voorlopig: None,
        };
        let open: Vec<Kwartaal> = uitgave
            .niet_vrijgegeven
            .iter()
            .copied()
            .filter(|k| k.eerste_dag() <= vandaag)
            .collect();
        if voorlopig && !open.is_empty() {
            let projecties = Arc::clone(&self.projecties);
            let regels = self.regels.clone();
            let (delen, positie, beleidsversie) = tokio::task::spawn_blocking(move || {
                let model = projecties.read();
                let delen: Vec<Publicatie> = open
                    .iter()
                    .map(|k| {
                        bescherm(
                            &kwartaalcijfers(&model, *k, vandaag),
                            &regels,
                            &BTreeMap::new(),
                        )
                    })
                    .collect();
                (
                    delen,
                    model.checkpoint(),
                    model.beleid().versie().to_owned(),
                )
            })
            .await
            .map_err(|_| VrijgaveError::Berekening)?;
            for deel in delen {
                if !deel.onzeker.is_empty() {
                    return Err(VrijgaveError::Onzeker(deel.onzeker.len()));
                }
                for (s, w) in deel.cellen {
                    let w = match w {
                        Waarde::Getal(n) => Some(n),
                        Waarde::Verborgen(_) => None,
                    };
                    uitgave.publicatie.cellen.insert(s, waarde(w));
                }
                uitgave.publicatie.medianen.extend(deel.medianen);
            }
            uitgave.voorlopig = Some(Voorlopig {
                peildatum: vandaag,
                positie,
                beleidsversie,
            });
        }
        Ok(uitgave)
    }
}

/// The measure named `naam` in a stored release: its own name, or (version 1) a closing
/// reason's, which counts towards the reason's outcome.
fn maat_van(naam: &str) -> Option<Maat> {
    Maat::parse(naam).or_else(|| {
        let reden = naam.strip_prefix("afgesloten_")?;
        let reden = traject_domain::value::AfsluitingsReden::parse(reden).ok()?;
        Some(Maat::AfgeslotenAls(bescherming::Uitkomst::van(reden)))
    })
}

fn waarde(w: Option<u64>) -> Waarde {
    w.map_or(Waarde::Verborgen(Reden::Eerder), Waarde::Getal)
}

/// The releases stored in `stream` from revision `vanaf` on, oldest first. Each must be an
/// `event_type` event of a version in `versies`, and `lees` reads its data; one that cannot be
/// read refuses the whole read ([`VrijgaveError::Onleesbaar`], named by `kwartaal`): refusing is
/// safer than showing something else.
async fn lees_vrijgaven<T>(
    store: &dyn EventStore,
    stream: &StreamName,
    vanaf: usize,
    event_type: &str,
    versies: std::ops::RangeInclusive<u32>,
    kwartaal: Kwartaal,
    lees: impl Fn(serde_json::Value) -> Result<T, String>,
) -> Result<Vec<T>, VrijgaveError> {
    let mut uit = Vec::new();
    loop {
        let batch = store
            .read_stream(
                stream,
                ReadFrom::Revision((vanaf + uit.len()) as u64),
                Direction::Forwards,
                16,
            )
            .await?;
        for event in &batch {
            let onleesbaar = |reden: String| VrijgaveError::Onleesbaar {
                kwartaal,
                revisie: event.revision,
                reden,
            };
            if event.event_type != event_type || !versies.contains(&event.schema_version) {
                return Err(onleesbaar(format!(
                    "{} versie {}",
                    event.event_type, event.schema_version
                )));
            }
            let data = event.data.value().map_err(|e| onleesbaar(e.to_string()))?;
            uit.push(lees(data).map_err(onleesbaar)?);
        }
        if batch.len() < 16 {
            return Ok(uit);
        }
    }
}

/// Adds to `lijst` (the releases read so far) those of `nieuw`, read after the first `bekend`,
/// that another request has not added meanwhile; returns the list.
fn aanvullen<T: Clone>(lijst: &mut Vec<T>, bekend: usize, nieuw: Vec<T>) -> Vec<T> {
    let al = lijst.len().saturating_sub(bekend);
    lijst.extend(nieuw.into_iter().skip(al));
    lijst.clone()
}

fn stream(kwartaal: Kwartaal) -> StreamName {
    StreamName::new(format!("{STREAM_PREFIX}{kwartaal}")).expect("a valid stream name")
}

/// The unprotected counts of one quarter as of `vandaag`, its cells only (no year).
fn kwartaalcijfers(
    model: &traject_projections::ReadModel,
    kwartaal: Kwartaal,
    vandaag: NaiveDate,
) -> BTreeMap<Cel, traject_projections::cijfers::Cijfers> {
    regiocijfers(model, vandaag, kwartaal, kwartaal)
        .into_iter()
        .filter(|(cel, _)| cel.periode == Periode::Kwartaal(kwartaal))
        .collect()
}

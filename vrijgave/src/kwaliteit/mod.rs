//! The quality report (kwaliteitsrapport) as a release: an organisation's, a region's or the
//! nation's results over four quarters beside the national value and the median of the
//! regions.
//!
//! - **Released**, as every figure that leaves the system: [`Vrijgaven::vrijgeef_kwaliteit`]
//!   counts a calendar year's four quarters from the read models
//!   (`traject_projections::kwaliteit::per_regio`), protects them ([`bescherming`]) jointly with
//!   the four quarters' releases, earlier releases of the same report and the cohorts of the
//!   neighbouring years' reports, audits them, and stores the published values in the stream
//!   `kwaliteit-<jaar>Q4`. Only calendar years: overlapping periods could be subtracted.
//! - **Read** ([`Vrijgaven::kwaliteit`]) from the stored release only: every reader sees the same
//!   values, and reading writes nothing.
//! - **An organisation's own figures** are not part of a release: its teamleider may see every
//!   trajectory of the organisation, so its own small counts tell them nothing they may not
//!   know. They are counted from the read models on the release's peildatum and shown to that
//!   teamleider only ([`rapport::Rapport::eigen_organisatie`]).

pub mod bescherming;
pub mod rapport;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use traject_domain::value::Regio;
use traject_projections::cijfers::{Cel, Kwartaal, Periode, regiocijfers};
use traject_projections::kwaliteit::{Rapportperiode, per_regio};
use traject_store::{ExpectedRevision, Metadata, NewEvent, Position, StoreError, StreamName};

use crate::bescherming::Sleutel;
use crate::{VrijgaveError, VrijgaveKop, Vrijgaven};
use bescherming::{Kwaliteitsleutel, Kwartaalpublicatie, Kwartaalwaarden, Onderwerp, bescherm};

/// The prefix of the report's release streams: `kwaliteit-2025Q4`.
pub const STREAM_PREFIX: &str = "kwaliteit-";
const EVENT_TYPE: &str = "KwaliteitVrijgegeven";

/// A released report: what it says about itself, and the published values of every region and
/// the nation.
#[derive(Debug, Clone, PartialEq)]
pub struct KwaliteitVrijgave {
    /// Its header; `kwartaal` is the last of the four quarters.
    pub kop: VrijgaveKop,
    /// Every published cell: the value, or `None` when hidden.
    pub cellen: BTreeMap<Kwaliteitsleutel, Option<u64>>,
    /// The medians that may be published.
    pub medianen: BTreeMap<Kwaliteitsleutel, f64>,
}

impl KwaliteitVrijgave {
    /// The four quarters it covers.
    pub fn periode(&self) -> Rapportperiode {
        Rapportperiode {
            tot: self.kop.kwartaal,
        }
    }
}

/// The stored form, version 1.
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
    /// The codes, in the order of each subject's values.
    maten: Vec<String>,
    /// Per subject (`NL` or a region's code) one value per code, `null` when hidden.
    cellen: Vec<(String, Vec<Option<u64>>)>,
    /// Per subject and code a publishable median.
    medianen: Vec<(String, String, f64)>,
}

fn onderwerp_tekst(o: Onderwerp) -> &'static str {
    o.map_or("NL", |r| r.code())
}

fn onderwerp_van(tekst: &str) -> Result<Onderwerp, String> {
    match tekst {
        "NL" => Ok(None),
        code => Regio::parse(code).map(Some).map_err(|e| e.to_string()),
    }
}

impl KwaliteitVrijgave {
    fn opgeslagen(&self) -> Opgeslagen {
        let maten: Vec<String> = self
            .cellen
            .keys()
            .filter(|s| s.onderwerp.is_none())
            .map(|s| s.code.clone())
            .collect();
        let mut per: BTreeMap<Onderwerp, Vec<Option<u64>>> = BTreeMap::new();
        for (s, w) in &self.cellen {
            per.entry(s.onderwerp).or_default().push(*w);
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
            maten,
            cellen: per
                .into_iter()
                .map(|(o, w)| (onderwerp_tekst(o).to_owned(), w))
                .collect(),
            medianen: self
                .medianen
                .iter()
                .map(|(s, m)| (onderwerp_tekst(s.onderwerp).to_owned(), s.code.clone(), *m))
                .collect(),
        }
    }

    fn uit(o: Opgeslagen) -> Result<Self, String> {
        let kwartaal: Kwartaal = o.kwartaal.parse()?;
        let mut cellen = BTreeMap::new();
        for (tekst, waarden) in &o.cellen {
            if waarden.len() != o.maten.len() {
                return Err(format!("{tekst}: {} waarden", waarden.len()));
            }
            let onderwerp = onderwerp_van(tekst)?;
            for (code, w) in o.maten.iter().zip(waarden) {
                cellen.insert(
                    Kwaliteitsleutel {
                        onderwerp,
                        code: code.clone(),
                    },
                    *w,
                );
            }
        }
        let medianen = o
            .medianen
            .iter()
            .map(|(tekst, code, m)| {
                Ok((
                    Kwaliteitsleutel {
                        onderwerp: onderwerp_van(tekst)?,
                        code: code.clone(),
                    },
                    *m,
                ))
            })
            .collect::<Result<_, String>>()?;
        Ok(Self {
            kop: VrijgaveKop {
                kwartaal,
                nummer: o.nummer,
                peildatum: o.peildatum,
                positie: o.positie.map(Position),
                beleidsversie: o.beleidsversie,
                drempel: o.drempel,
                afronden: o.afronden,
                min_uitsplitsing: o.min_uitsplitsing,
                geaudit: o.geaudit,
            },
            cellen,
            medianen,
        })
    }
}

fn stream(kwartaal: Kwartaal) -> StreamName {
    StreamName::new(format!("{STREAM_PREFIX}{kwartaal}")).expect("a valid stream name")
}

impl Vrijgaven {
    /// The releases of the report up to `tot`, oldest first: those read before (they never
    /// change once stored) and any new ones from the store.
    pub async fn kwaliteit_vrijgaven(
        &self,
        tot: Kwartaal,
    ) -> Result<Vec<Arc<KwaliteitVrijgave>>, VrijgaveError> {
        let bekend = self
            .kwaliteit_gelezen
            .lock()
            .expect("quality reports")
            .get(&tot)
            .cloned()
            .unwrap_or_default();
        let nieuw = crate::lees_vrijgaven(
            self.store.as_ref(),
            &stream(tot),
            bekend.len(),
            EVENT_TYPE,
            1..=1,
            tot,
            |data| {
                let o: Opgeslagen = serde_json::from_value(data).map_err(|e| e.to_string())?;
                KwaliteitVrijgave::uit(o).map(Arc::new)
            },
        )
        .await?;
        let mut gelezen = self.kwaliteit_gelezen.lock().expect("quality reports");
        Ok(crate::aanvullen(
            gelezen.entry(tot).or_default(),
            bekend.len(),
            nieuw,
        ))
    }

    /// The latest release of the report up to `tot`, if any. Writes nothing.
    pub async fn kwaliteit(
        &self,
        tot: Kwartaal,
    ) -> Result<Option<Arc<KwaliteitVrijgave>>, VrijgaveError> {
        Ok(self.kwaliteit_vrijgaven(tot).await?.pop())
    }

    /// Releases the report over the calendar year ending with `tot` (a fourth quarter) as of
    /// `vandaag`, made by `door`: its first release or its next correction. Every quarter of
    /// its cohorts (its own four and the year before) must have been released: the report is
    /// protected jointly with what their releases published, with its own earlier releases,
    /// and with the cohorts the reports of the years before and after published (and any
    /// stored report over other four quarters that shares a cohort with it).
    ///
    /// Only calendar years: two reports over different but overlapping four quarters differ by
    /// a quarter's counts (a report up to 2017Q4 minus one up to 2017Q3 is 2017Q4 minus
    /// 2016Q4), which no release publishes broken down by financier, contact or contract.
    pub async fn vrijgeef_kwaliteit(
        &self,
        tot: Kwartaal,
        vandaag: NaiveDate,
        door: &str,
    ) -> Result<VrijgaveKop, VrijgaveError> {
        if tot.nummer != 4 {
            return Err(VrijgaveError::GeenKalenderjaar(tot));
        }
        let periode = Rapportperiode { tot };
        let mut gepubliceerd = Kwartaalpublicatie::new();
        let mut ontbrekend = Vec::new();
        // The cohorts' quarters, the period's four last: what their latest releases published
        // (a cell a release has no row for is a structural zero, published as 0). Every one
        // must have been released: a cohort's size is its quarter's intakes, so a quarter
        // released after the report would publish what the report may have hidden to protect
        // another cell.
        for k in periode.cohorten() {
            match self.van(k).await?.last() {
                Some(v) => {
                    for (code, maat, methode, _) in bescherming::gedeelde_maten() {
                        for o in std::iter::once(None).chain(Regio::ALL.iter().map(|r| Some(*r))) {
                            let sleutel = Sleutel {
                                cel: Cel {
                                    regio: o,
                                    periode: Periode::Kwartaal(k),
                                    methode,
                                },
                                maat,
                            };
                            let w = v.cellen.get(&sleutel).copied().unwrap_or(Some(0));
                            gepubliceerd.insert((o, k, code.clone()), w);
                        }
                    }
                }
                None => ontbrekend.push(k),
            }
        }
        if !ontbrekend.is_empty() {
            return Err(VrijgaveError::KwartalenNietVrijgegeven(ontbrekend));
        }
        let eerdere = self.kwaliteit_vrijgaven(tot).await?;
        let keer = eerdere.len() as u32;
        if keer > self.max_correcties {
            return Err(VrijgaveError::TeveelCorrecties {
                kwartaal: tot,
                keer,
            });
        }
        // The years before and after share four cohorts with this one: what their reports
        // published or hid of those cohorts counts as for a correction (the other cells are
        // other periods' and relate to this report only through the quarters' releases). So
        // does any report over other four quarters stored before only calendar years were
        // released: every report ending within seven quarters of this one shares a cohort.
        let mut buren: Vec<BTreeMap<Kwaliteitsleutel, Option<u64>>> = Vec::new();
        let einden = std::iter::successors(Some(periode.cohorten()[0]), |k| Some(k.volgende()))
            .take(15)
            .filter(|eind| *eind != tot);
        for eind in einden {
            for v in self.kwaliteit_vrijgaven(eind).await? {
                buren.push(
                    v.cellen
                        .iter()
                        .filter(|(s, _)| s.code.starts_with(bescherming::COHORT_PREFIX))
                        .map(|(s, w)| (s.clone(), *w))
                        .collect(),
                );
            }
        }
        let projecties = Arc::clone(&self.projecties);
        let regels = self.regels.clone();
        let eerder = eerdere.clone();
        let (beschermd, positie, beleidsversie) = tokio::task::spawn_blocking(move || {
            let model = projecties.read();
            let cijfers = per_regio(&model, vandaag, periode);
            let kwartalen = kwartaalwaarden(&model, vandaag, periode);
            let positie = model.checkpoint();
            let beleidsversie = model.beleid().versie().to_owned();
            drop(model);
            let eerder: Vec<&BTreeMap<Kwaliteitsleutel, Option<u64>>> = buren
                .iter()
                .chain(eerder.iter().map(|v| &v.cellen))
                .collect();
            let beschermd = bescherm(
                &cijfers,
                periode,
                vandaag,
                &regels,
                &kwartalen,
                &gepubliceerd,
                &eerder,
            );
            (beschermd, positie, beleidsversie)
        })
        .await
        .map_err(|_| VrijgaveError::Berekening)?;
        if !beschermd.afgekeurd.is_empty() {
            tracing::warn!(cells = ?beschermd.afgekeurd, "kwaliteitsrapport: audit failed");
            return Err(VrijgaveError::AuditMislukt(beschermd.afgekeurd.len()));
        }
        let vrijgave = KwaliteitVrijgave {
            kop: VrijgaveKop {
                kwartaal: tot,
                nummer: keer + 1,
                peildatum: vandaag,
                positie,
                beleidsversie,
                drempel: self.regels.drempel(),
                afronden: self.regels.afronden,
                min_uitsplitsing: self.regels.min_uitsplitsing,
                geaudit: beschermd.geaudit as u64,
            },
            cellen: beschermd.cellen,
            medianen: beschermd.medianen,
        };
        let event = NewEvent {
            id: uuid::Uuid::now_v7(),
            event_type: EVENT_TYPE.to_owned(),
            schema_version: 1,
            data: serde_json::to_value(vrijgave.opgeslagen()).expect("a report serialises"),
            metadata: Metadata {
                actor: Some(door.to_owned()),
                ..Metadata::default()
            },
            recorded_at: None,
        };
        let verwacht = ExpectedRevision::from_revision(keer.checked_sub(1).map(u64::from));
        match self.store.append(&stream(tot), verwacht, vec![event]).await {
            Ok(_) => Ok(vrijgave.kop),
            Err(StoreError::WrongExpectedVersion { .. }) => Err(VrijgaveError::Tegelijk {
                kwartaal: tot,
                nummer: keer + 1,
            }),
            Err(e) => Err(e.into()),
        }
    }
}

/// Per subject, the four quarters' counts of the shared codes now.
fn kwartaalwaarden(
    model: &traject_projections::ReadModel,
    vandaag: NaiveDate,
    periode: Rapportperiode,
) -> BTreeMap<Onderwerp, Kwartaalwaarden> {
    let eerste = periode.cohorten()[0];
    let cellen = regiocijfers(model, vandaag, eerste, periode.tot);
    let mut uit: BTreeMap<Onderwerp, Kwartaalwaarden> = BTreeMap::new();
    for (cel, c) in &cellen {
        let Periode::Kwartaal(k) = cel.periode else {
            continue;
        };
        for (code, maat, methode, _) in bescherming::gedeelde_maten() {
            if methode == cel.methode {
                uit.entry(cel.regio)
                    .or_default()
                    .insert((k, code), maat.van(c));
            }
        }
    }
    uit
}

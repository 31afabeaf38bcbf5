//! The counts behind the societal business case as a release: per region and the nation, one
//! calendar year's trajectory-months and months in work
//! (`traject_projections::businesscase::Tellingen`), released by the landelijk role once the
//! year has closed plus the lag, stored in the stream `businesscase-<jaar>`, and read by
//! everyone the same. The money is computed from them on reading (crate `businesscase`), so a
//! region's assumptions and a what-if never write anything.
//!
//! Disclosure control: a region's counts are published only when every count behind its money
//! is 0 or at least T (the trajectories per method and financier, those with work per method and
//! benefit, those in GGZ treatment with work per method, and of each of these groups those in
//! work on the year's last day). The regions that fail
//! are withheld together with as many of the smallest others as it takes for their sum to pass
//! the same rule too, so that the nation minus the published regions shows nothing small either.
//! A region withheld once stays withheld in a correction. Trajectory-months are published to two
//! decimals.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use traject_domain::value::{Financier, Methode, Regio, Uitkering};
use traject_projections::businesscase::{Tellingen, Werk, Werkgroep, per_regio};
use traject_store::{ExpectedRevision, Metadata, NewEvent, Position, StoreError, StreamName};

use crate::{VrijgaveError, Vrijgaven};

/// The prefix of the streams: `businesscase-2025`.
pub const STREAM_PREFIX: &str = "businesscase-";
const EVENT_TYPE: &str = "BusinesscaseVrijgegeven";

/// What a release says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinesscaseKop {
    /// The year.
    pub jaar: i32,
    /// 1 for the first release, then each correction the next.
    pub nummer: u32,
    /// The day of the release.
    pub peildatum: NaiveDate,
    /// The store position of the last event counted.
    pub positie: Option<Position>,
    /// The duurzaam policy version of the read models.
    pub beleidsversie: String,
    /// The threshold T.
    pub drempel: u64,
}

/// A release: per region (and `None`, the nation) the counts, or `None` when withheld.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinesscaseVrijgave {
    /// What it says about itself.
    pub kop: BusinesscaseKop,
    /// The counts per region and the nation; `None`: withheld.
    pub tellingen: BTreeMap<Option<Regio>, Option<Tellingen>>,
}

/// Whether every count behind `t`'s money is 0 or at least `drempel`.
pub fn toonbaar(t: &Tellingen, drempel: u64) -> bool {
    let goed = |n: u64| n == 0 || n >= drempel;
    t.trajecten_per_financier.values().all(|n| goed(*n))
        && t.werkenden.values().all(|n| goed(*n))
        && t.werkenden_ggz.values().all(|n| goed(*n))
        && t.werk.values().all(|w| goed(w.aan_het_werk_eind))
        && t.ggz.values().all(|w| goed(w.aan_het_werk_eind))
}

/// The regions withheld: those not [`toonbaar`] (and `eerder` withheld), then the smallest others
/// until their sum is.
pub fn achtergehouden(
    per: &BTreeMap<Option<Regio>, Tellingen>,
    drempel: u64,
    eerder: &BTreeSet<Regio>,
) -> BTreeSet<Regio> {
    let mut weg: BTreeSet<Regio> = Regio::ALL
        .iter()
        .copied()
        .filter(|r| eerder.contains(r) || per.get(&Some(*r)).is_some_and(|t| !toonbaar(t, drempel)))
        .collect();
    if weg.is_empty() {
        return weg;
    }
    let jaar = per.values().next().map_or(0, |t| t.jaar);
    let som = |weg: &BTreeSet<Regio>| {
        let mut s = Tellingen::leeg(jaar);
        for r in weg {
            if let Some(t) = per.get(&Some(*r)) {
                s.voeg_toe(t);
            }
        }
        s
    };
    let omvang = |r: &Regio| {
        per.get(&Some(*r))
            .map_or(0, |t| t.trajecten.values().sum::<u64>())
    };
    while !toonbaar(&som(&weg), drempel) {
        let Some(volgende) = Regio::ALL
            .iter()
            .filter(|r| !weg.contains(r))
            .min_by_key(|r| (omvang(r), **r))
        else {
            break;
        };
        weg.insert(*volgende);
    }
    weg
}

fn twee_decimalen(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Rounds the months to two decimals, as published.
fn afgerond(t: &Tellingen) -> Tellingen {
    let mut t = t.clone();
    for m in t.trajectmaanden.values_mut() {
        m.iter_mut().for_each(|x| *x = twee_decimalen(*x));
    }
    for w in t.werk.values_mut().chain(t.ggz.values_mut()) {
        w.maanden.iter_mut().for_each(|x| *x = twee_decimalen(*x));
        w.urenmaanden
            .iter_mut()
            .for_each(|x| *x = twee_decimalen(*x));
        w.uren_eind = twee_decimalen(w.uren_eind);
    }
    t
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Opgeslagen {
    jaar: i32,
    nummer: u32,
    peildatum: NaiveDate,
    positie: Option<u64>,
    beleidsversie: String,
    drempel: u64,
    /// Per region (`NL` for the nation) its counts, `null` when withheld.
    regios: Vec<(String, Option<OpgeslagenTellingen>)>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpgeslagenTellingen {
    trajecten: Vec<(Methode, u64)>,
    trajectmaanden: Vec<(Methode, Financier, [f64; 12])>,
    werk: Vec<(Methode, Uitkering, OpgeslagenWerk)>,
    ggz: Vec<(Methode, OpgeslagenWerk)>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpgeslagenWerk {
    maanden: [f64; 12],
    urenmaanden: [f64; 12],
    aan_het_werk_eind: u64,
    uren_eind: f64,
}

impl OpgeslagenTellingen {
    fn van(t: &Tellingen) -> Self {
        Self {
            trajecten: t.trajecten.iter().map(|(m, n)| (*m, *n)).collect(),
            trajectmaanden: t
                .trajectmaanden
                .iter()
                .map(|((m, f), w)| (*m, *f, *w))
                .collect(),
            werk: t
                .werk
                .iter()
                .map(|(g, w)| (g.methode, g.uitkering, OpgeslagenWerk::van(w)))
                .collect(),
            ggz: t
                .ggz
                .iter()
                .map(|(m, w)| (*m, OpgeslagenWerk::van(w)))
                .collect(),
        }
    }

    /// The counts as read back: what a release publishes (the numbers of trajectories per
    /// financier and of those with work are not published).
    fn uit(self, jaar: i32) -> Tellingen {
        let mut t = Tellingen::leeg(jaar);
        t.trajecten = self.trajecten.into_iter().collect();
        t.trajectmaanden = self
            .trajectmaanden
            .into_iter()
            .map(|(m, f, w)| ((m, f), w))
            .collect();
        t.werk = self
            .werk
            .into_iter()
            .map(|(methode, uitkering, w)| (Werkgroep { methode, uitkering }, w.uit()))
            .collect();
        t.ggz = self.ggz.into_iter().map(|(m, w)| (m, w.uit())).collect();
        t
    }
}

impl OpgeslagenWerk {
    fn van(w: &Werk) -> Self {
        Self {
            maanden: w.maanden,
            urenmaanden: w.urenmaanden,
            aan_het_werk_eind: w.aan_het_werk_eind,
            uren_eind: w.uren_eind,
        }
    }

    fn uit(self) -> Werk {
        Werk {
            maanden: self.maanden,
            urenmaanden: self.urenmaanden,
            aan_het_werk_eind: self.aan_het_werk_eind,
            uren_eind: self.uren_eind,
        }
    }
}

fn stream(jaar: i32) -> StreamName {
    StreamName::new(format!("{STREAM_PREFIX}{jaar}")).expect("a valid stream name")
}

impl Vrijgaven {
    /// The releases of `jaar`'s counts, oldest first.
    pub async fn businesscase_vrijgaven(
        &self,
        jaar: i32,
    ) -> Result<Vec<Arc<BusinesscaseVrijgave>>, VrijgaveError> {
        let kwartaal = traject_projections::cijfers::Kwartaal { jaar, nummer: 4 };
        crate::lees_vrijgaven(
            self.store.as_ref(),
            &stream(jaar),
            0,
            EVENT_TYPE,
            1..=1,
            kwartaal,
            |data| {
                let o: Opgeslagen = serde_json::from_value(data).map_err(|e| e.to_string())?;
                let mut tellingen = BTreeMap::new();
                for (code, t) in o.regios {
                    let regio = match code.as_str() {
                        "NL" => None,
                        c => Some(Regio::parse(c).map_err(|e| e.to_string())?),
                    };
                    tellingen.insert(regio, t.map(|t| t.uit(o.jaar)));
                }
                Ok(Arc::new(BusinesscaseVrijgave {
                    kop: BusinesscaseKop {
                        jaar: o.jaar,
                        nummer: o.nummer,
                        peildatum: o.peildatum,
                        positie: o.positie.map(Position),
                        beleidsversie: o.beleidsversie,
                        drempel: o.drempel,
                    },
                    tellingen,
                }))
            },
        )
        .await
    }

    /// The latest release of `jaar`'s counts, if any. Writes nothing.
    pub async fn businesscase(
        &self,
        jaar: i32,
    ) -> Result<Option<Arc<BusinesscaseVrijgave>>, VrijgaveError> {
        Ok(self.businesscase_vrijgaven(jaar).await?.pop())
    }

    /// Releases `jaar`'s counts as of `vandaag`, made by `door`, once the year has closed plus
    /// the lag: the first release or the next correction.
    pub async fn vrijgeef_businesscase(
        &self,
        jaar: i32,
        vandaag: NaiveDate,
        door: &str,
    ) -> Result<BusinesscaseKop, VrijgaveError> {
        let kwartaal = traject_projections::cijfers::Kwartaal { jaar, nummer: 4 };
        let vanaf = kwartaal.laatste_dag() + chrono::Days::new(u64::from(self.wachttijd_dagen) + 1);
        if vandaag < vanaf {
            return Err(VrijgaveError::TeVroeg {
                kwartaal,
                vanaf,
                dagen: self.wachttijd_dagen,
            });
        }
        let eerdere = self.businesscase_vrijgaven(jaar).await?;
        let keer = eerdere.len() as u32;
        if keer > self.max_correcties {
            return Err(VrijgaveError::TeveelCorrecties { kwartaal, keer });
        }
        let eerder: BTreeSet<Regio> = eerdere
            .iter()
            .flat_map(|v| v.tellingen.iter())
            .filter_map(|(r, t)| match (r, t) {
                (Some(r), None) => Some(*r),
                _ => None,
            })
            .collect();
        let drempel = self.regels.drempel();
        let projecties = Arc::clone(&self.projecties);
        let (per, positie, beleidsversie) = tokio::task::spawn_blocking(move || {
            let model = projecties.read();
            (
                per_regio(&model, vandaag, jaar),
                model.checkpoint(),
                model.beleid().versie().to_owned(),
            )
        })
        .await
        .map_err(|_| VrijgaveError::Berekening)?;
        let weg = achtergehouden(&per, drempel, &eerder);
        let tellingen: BTreeMap<Option<Regio>, Option<Tellingen>> = per
            .iter()
            .map(|(r, t)| {
                let withheld = match r {
                    Some(r) => weg.contains(r),
                    None => !toonbaar(t, drempel),
                };
                (*r, (!withheld).then(|| afgerond(t)))
            })
            .collect();
        let vrijgave = BusinesscaseVrijgave {
            kop: BusinesscaseKop {
                jaar,
                nummer: keer + 1,
                peildatum: vandaag,
                positie,
                beleidsversie,
                drempel,
            },
            tellingen,
        };
        let opgeslagen = Opgeslagen {
            jaar,
            nummer: vrijgave.kop.nummer,
            peildatum: vandaag,
            positie: vrijgave.kop.positie.map(|p| p.0),
            beleidsversie: vrijgave.kop.beleidsversie.clone(),
            drempel,
            regios: vrijgave
                .tellingen
                .iter()
                .map(|(r, t)| {
                    (
                        r.map_or("NL", |r| r.code()).to_owned(),
                        t.as_ref().map(OpgeslagenTellingen::van),
                    )
                })
                .collect(),
        };
        let event = NewEvent {
            id: uuid::Uuid::now_v7(),
            event_type: EVENT_TYPE.to_owned(),
            schema_version: 1,
            data: serde_json::to_value(opgeslagen).expect("a release serialises"),
            metadata: Metadata {
                actor: Some(door.to_owned()),
                ..Metadata::default()
            },
            recorded_at: None,
        };
        let verwacht = ExpectedRevision::from_revision(keer.checked_sub(1).map(u64::from));
        match self
            .store
            .append(&stream(jaar), verwacht, vec![event])
            .await
        {
            Ok(_) => Ok(vrijgave.kop),
            Err(StoreError::WrongExpectedVersion { .. }) => Err(VrijgaveError::Tegelijk {
                kwartaal,
                nummer: keer + 1,
            }),
            Err(e) => Err(e.into()),
        }
    }
}

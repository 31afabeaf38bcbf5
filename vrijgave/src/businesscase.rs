//! The counts behind the societal business case as a release: per region and the nation, one
//! calendar year's trajectory-months and months in work
//! (`traject_projections::businesscase::Tellingen`), released by the landelijk role once the
//! year has closed plus the lag, stored in the stream `businesscase-<jaar>`, and read by
//! everyone the same. The money is computed from them on reading (crate `businesscase`), so a
//! region's assumptions and a what-if never write anything.
//!
//! Disclosure control, per method and row ([`Rij`]): the trajectory-months over the financiers,
//! the work over the benefits at intake, and the work of clients in GGZ treatment. Every region
//! publishes a row's totals; it publishes its own split of the row only when no published
//! region has a group of 1 to T - 1 clients in it and the withheld regions together have none
//! either. Otherwise every region's split of that row is the nation's over its own totals
//! ([`geschat`]; every output lists the row). The row is the same for all regions, so that which
//! region has the small group stays unknown. Only a region whose totals themselves are small (a
//! method's trajectories; those with work, or in work at the year's end) is withheld whole, with
//! the smallest others until their sum passes, and sees the nation's counts with its own
//! assumptions. A group of fewer than T clients in the nation's own split is counted with the
//! row's largest (a small GGZ row is left out), under a rule every output states, so that a 0
//! there means 0 to T - 1.
//!
//! Each month's own numbers do not leave (a what-if could isolate one and read the few clients
//! open or in work in it, and their days): a release holds each group's yearly total, whole,
//! and the months are that total spread evenly. A year is released once: a correction would
//! differ from the first release by the few trajectories registered late, and show them.

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
    /// The release's number: 1 (a year is released once).
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
    /// The rows whose split is the nation's for every published region.
    pub geschat: BTreeSet<Rij>,
}

/// One method's row of counts behind the money: the groups whose split a region publishes, or
/// takes from the nation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rij {
    /// The trajectory-months over the financiers.
    Kosten(Methode),
    /// The work over the benefits at intake.
    Werk(Methode),
    /// The work of clients in GGZ treatment at intake: one group, whose totals are the work
    /// row's.
    Ggz(Methode),
}

impl Rij {
    /// Every row, per method.
    pub fn alle() -> impl Iterator<Item = Rij> {
        Methode::ALL
            .iter()
            .flat_map(|m| [Rij::Kosten(*m), Rij::Werk(*m), Rij::Ggz(*m)])
    }

    /// The counts of clients behind the row's groups (for the work: per benefit those with work,
    /// then those in work at the year's end).
    pub fn cellen(&self, t: &Tellingen) -> Vec<u64> {
        match *self {
            Rij::Kosten(m) => Financier::ALL
                .iter()
                .map(|f| {
                    t.trajecten_per_financier
                        .get(&(m, *f))
                        .copied()
                        .unwrap_or(0)
                })
                .collect(),
            Rij::Werk(m) => Uitkering::ALL
                .iter()
                .flat_map(|u| {
                    let g = Werkgroep {
                        methode: m,
                        uitkering: *u,
                    };
                    [
                        t.werkenden.get(&g).copied().unwrap_or(0),
                        t.werk.get(&g).map_or(0, |w| aantal(w.aan_het_werk_eind)),
                    ]
                })
                .collect(),
            Rij::Ggz(m) => vec![
                t.werkenden_ggz.get(&m).copied().unwrap_or(0),
                t.ggz.get(&m).map_or(0, |w| aantal(w.aan_het_werk_eind)),
            ],
        }
    }

    /// The counts a region publishes of the row when its split is the nation's.
    pub fn totalen(&self, t: &Tellingen) -> Vec<u64> {
        match *self {
            Rij::Kosten(m) => vec![t.trajecten.get(&m).copied().unwrap_or(0)],
            Rij::Werk(_) => {
                let c = self.cellen(t);
                vec![c.iter().step_by(2).sum(), c.iter().skip(1).step_by(2).sum()]
            }
            Rij::Ggz(m) => Rij::Werk(m).totalen(t),
        }
    }

    fn methode(&self) -> Methode {
        match *self {
            Rij::Kosten(m) | Rij::Werk(m) | Rij::Ggz(m) => m,
        }
    }
}

impl Rij {
    /// In words, for every output: that the row's split is the nation's.
    pub fn schatting(&self) -> String {
        let wat = match self {
            Rij::Kosten(_) => "de trajectmaanden per financier zijn",
            Rij::Werk(_) => "het werk per uitkering bij intake is",
            Rij::Ggz(_) => "het werk van cliënten in GGZ-behandeling is",
        };
        format!(
            "{}: {wat} geschat met de landelijke verdeling over de eigen totalen, omdat de verdeling niet voor elke regio getoond kan worden",
            crate::kwaliteit::rapport::methode_naam(self.methode())
        )
    }
}

fn aantal(x: f64) -> u64 {
    x.round().max(0.0) as u64
}

fn goed(n: u64, drempel: u64) -> bool {
    n == 0 || n >= drempel
}

/// Whether every count behind `t`'s money is 0 or at least `drempel`: every row's split shown.
pub fn toonbaar(t: &Tellingen, drempel: u64) -> bool {
    Rij::alle().all(|r| r.cellen(t).iter().all(|n| goed(*n, drempel)))
}

/// Whether every row's totals are 0 or at least `drempel`: the counts can be shown, each split
/// its own or the nation's.
pub fn totalen_toonbaar(t: &Tellingen, drempel: u64) -> bool {
    Rij::alle().all(|r| r.totalen(t).iter().all(|n| goed(*n, drempel)))
}

fn som<'a>(jaar: i32, tellingen: impl Iterator<Item = &'a Tellingen>) -> Tellingen {
    let mut s = Tellingen::leeg(jaar);
    for t in tellingen {
        s.voeg_toe(t);
    }
    s
}

/// The regions withheld whole: those whose totals are small ([`totalen_toonbaar`]), then the
/// smallest others until their sum is not.
pub fn achtergehouden(per: &BTreeMap<Option<Regio>, Tellingen>, drempel: u64) -> BTreeSet<Regio> {
    let mut weg: BTreeSet<Regio> = Regio::ALL
        .iter()
        .copied()
        .filter(|r| {
            per.get(&Some(*r))
                .is_some_and(|t| !totalen_toonbaar(t, drempel))
        })
        .collect();
    if weg.is_empty() {
        return weg;
    }
    let jaar = per.values().next().map_or(0, |t| t.jaar);
    let omvang = |r: &Regio| {
        per.get(&Some(*r))
            .map_or(0, |t| t.trajecten.values().sum::<u64>())
    };
    while !totalen_toonbaar(
        &som(jaar, weg.iter().filter_map(|r| per.get(&Some(*r)))),
        drempel,
    ) {
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

/// The rows whose split is the nation's for every published region: those where a published
/// region has a small group, or the withheld regions (`weg`) together have one.
pub fn geschat(
    per: &BTreeMap<Option<Regio>, Tellingen>,
    drempel: u64,
    weg: &BTreeSet<Regio>,
) -> BTreeSet<Rij> {
    let jaar = per.values().next().map_or(0, |t| t.jaar);
    let achter = som(jaar, weg.iter().filter_map(|r| per.get(&Some(*r))));
    Rij::alle()
        .filter(|rij| {
            let klein = |t: &Tellingen| rij.cellen(t).iter().any(|n| !goed(*n, drempel));
            (!weg.is_empty() && klein(&achter))
                || Regio::ALL
                    .iter()
                    .filter(|r| !weg.contains(r))
                    .filter_map(|r| per.get(&Some(*r)))
                    .any(klein)
        })
        .collect()
}

/// A row's numbers per group, flat: what a split divides.
fn groepen(t: &Tellingen, rij: Rij) -> Vec<Vec<f64>> {
    fn werk(w: Option<&Werk>) -> Vec<f64> {
        let w = w.cloned().unwrap_or_default();
        w.maanden
            .iter()
            .chain(&w.urenmaanden)
            .copied()
            .chain([w.aan_het_werk_eind, w.uren_eind])
            .collect()
    }
    match rij {
        Rij::Kosten(m) => Financier::ALL
            .iter()
            .map(|f| {
                t.trajectmaanden
                    .get(&(m, *f))
                    .map_or(vec![0.0; 12], |w| w.to_vec())
            })
            .collect(),
        Rij::Werk(m) => Uitkering::ALL
            .iter()
            .map(|u| {
                werk(t.werk.get(&Werkgroep {
                    methode: m,
                    uitkering: *u,
                }))
            })
            .collect(),
        Rij::Ggz(m) => vec![werk(t.ggz.get(&m))],
    }
}

/// Puts a row's numbers per group back (groups all 0 are left out).
fn zet(t: &mut Tellingen, rij: Rij, waarden: Vec<Vec<f64>>) {
    fn werk(v: &[f64]) -> Werk {
        let mut w = Werk::default();
        w.maanden.copy_from_slice(&v[..12]);
        w.urenmaanden.copy_from_slice(&v[12..24]);
        w.aan_het_werk_eind = v[24];
        w.uren_eind = v[25];
        w
    }
    let leeg = |v: &[f64]| v.iter().all(|x| *x == 0.0);
    match rij {
        Rij::Kosten(m) => {
            for (f, v) in Financier::ALL.iter().zip(waarden) {
                t.trajectmaanden.remove(&(m, *f));
                if !leeg(&v) {
                    let mut w = [0.0; 12];
                    w.copy_from_slice(&v);
                    t.trajectmaanden.insert((m, *f), w);
                }
            }
        }
        Rij::Werk(m) => {
            for (u, v) in Uitkering::ALL.iter().zip(waarden) {
                let g = Werkgroep {
                    methode: m,
                    uitkering: *u,
                };
                t.werk.remove(&g);
                if !leeg(&v) {
                    t.werk.insert(g, werk(&v));
                }
            }
        }
        Rij::Ggz(m) => {
            t.ggz.remove(&m);
            if let Some(v) = waarden.first().filter(|v| !leeg(v)) {
                t.ggz.insert(m, werk(v));
            }
        }
    }
}

fn optellen(groepen: &[Vec<f64>]) -> Vec<f64> {
    let mut som = vec![0.0; groepen.first().map_or(0, Vec::len)];
    for g in groepen {
        for (a, b) in som.iter_mut().zip(g) {
            *a += b;
        }
    }
    som
}

/// The nation's counts as published: each row whose split has a small group with that group
/// counted with the largest (a small GGZ row left out).
fn landelijk_gepubliceerd(t: &Tellingen, drempel: u64) -> Tellingen {
    let mut uit = t.clone();
    for rij in Rij::alle() {
        let cellen = rij.cellen(t);
        if cellen.iter().all(|n| goed(*n, drempel)) {
            continue;
        }
        let mut waarden = groepen(t, rij);
        if let Rij::Ggz(_) = rij {
            waarden.iter_mut().for_each(|v| v.fill(0.0));
            zet(&mut uit, rij, waarden);
            continue;
        }
        // Per group the counts behind it (the work: two per benefit).
        let per_groep = cellen.len() / waarden.len();
        let klein_groep: Vec<bool> = cellen
            .chunks(per_groep)
            .map(|c| c.iter().any(|n| !goed(*n, drempel)))
            .collect();
        let grootste = cellen
            .chunks(per_groep)
            .enumerate()
            .max_by_key(|(i, c)| (c[0], std::cmp::Reverse(*i)))
            .map_or(0, |(i, _)| i);
        let mut samen = vec![0_u64; per_groep];
        // The largest group with the small ones; if that is still small, the whole row as one.
        for (i, c) in cellen.chunks(per_groep).enumerate() {
            if i == grootste || klein_groep[i] {
                for (a, b) in samen.iter_mut().zip(c) {
                    *a += b;
                }
            }
        }
        let alles = samen.iter().any(|n| !goed(*n, drempel));
        let mut doel = vec![0.0; waarden[0].len()];
        for (i, v) in waarden.iter_mut().enumerate() {
            if alles || i == grootste || klein_groep[i] {
                for (a, b) in doel.iter_mut().zip(v.iter()) {
                    *a += b;
                }
                v.fill(0.0);
            }
        }
        waarden[grootste] = doel;
        zet(&mut uit, rij, waarden);
    }
    uit
}

/// Replaces `eigen`'s split of `rij` by the nation's (`landelijk`, as published) over its own
/// totals, number by number. The GGZ row takes the nation's share of the work row.
fn schat(eigen: &mut Tellingen, landelijk: &Tellingen, rij: Rij) {
    let (totaal, land) = match rij {
        Rij::Ggz(m) => (
            optellen(&groepen(eigen, Rij::Werk(m))),
            (
                optellen(&groepen(landelijk, Rij::Werk(m))),
                groepen(landelijk, rij),
            ),
        ),
        _ => (
            optellen(&groepen(eigen, rij)),
            (optellen(&groepen(landelijk, rij)), groepen(landelijk, rij)),
        ),
    };
    let (land_totaal, land_groepen) = land;
    let waarden = land_groepen
        .iter()
        .map(|g| {
            g.iter()
                .zip(&land_totaal)
                .zip(&totaal)
                .map(|((deel, geheel), eigen)| {
                    if *geheel > 0.0 {
                        eigen * deel / geheel
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    zet(eigen, rij, waarden);
}

fn twee_decimalen(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A year's months as published: the year's total, whole, spread evenly over its months. No
/// month's own number leaves: it would show the few clients open or in work in that month, and
/// to two decimals their days.
fn per_jaar(maanden: &[f64; 12]) -> [f64; 12] {
    [maanden.iter().sum::<f64>().round() / 12.0; 12]
}

/// The counts as published: every month the year's whole total spread evenly, those in work at
/// the year's end to two decimals (whole where counted), their hours whole.
fn afgerond(t: &Tellingen) -> Tellingen {
    let mut t = t.clone();
    for m in t.trajectmaanden.values_mut() {
        *m = per_jaar(m);
    }
    for w in t.werk.values_mut().chain(t.ggz.values_mut()) {
        w.maanden = per_jaar(&w.maanden);
        w.urenmaanden = per_jaar(&w.urenmaanden);
        w.aan_het_werk_eind = twee_decimalen(w.aan_het_werk_eind);
        w.uren_eind = w.uren_eind.round();
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
    /// The rows whose split is the nation's for every published region.
    geschat: Vec<Rij>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpgeslagenTellingen {
    trajecten: Vec<(Methode, u64)>,
    /// The year's trajectory-months (spread evenly over its months when read).
    trajectmaanden: Vec<(Methode, Financier, f64)>,
    werk: Vec<(Methode, Uitkering, OpgeslagenWerk)>,
    ggz: Vec<(Methode, OpgeslagenWerk)>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpgeslagenWerk {
    /// The year's months in work.
    maanden: f64,
    /// The year's hour-months.
    urenmaanden: f64,
    aan_het_werk_eind: f64,
    uren_eind: f64,
}

impl OpgeslagenTellingen {
    fn van(t: &Tellingen) -> Self {
        Self {
            trajecten: t.trajecten.iter().map(|(m, n)| (*m, *n)).collect(),
            trajectmaanden: t
                .trajectmaanden
                .iter()
                .map(|((m, f), w)| (*m, *f, w.iter().sum()))
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
            .map(|(m, f, totaal)| ((m, f), [totaal / 12.0; 12]))
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
            maanden: w.maanden.iter().sum(),
            urenmaanden: w.urenmaanden.iter().sum(),
            aan_het_werk_eind: w.aan_het_werk_eind,
            uren_eind: w.uren_eind,
        }
    }

    fn uit(self) -> Werk {
        Werk {
            maanden: [self.maanden / 12.0; 12],
            urenmaanden: [self.urenmaanden / 12.0; 12],
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
                    geschat: o.geschat.into_iter().collect(),
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
    /// the lag, and only once.
    pub async fn vrijgeef_businesscase(
        &self,
        jaar: i32,
        vandaag: NaiveDate,
        door: &str,
    ) -> Result<BusinesscaseKop, VrijgaveError> {
        let kwartaal = traject_projections::cijfers::Kwartaal { jaar, nummer: 4 };
        let vanaf = kwartaal.laatste_dag() + chrono::Days::new(u64::from(self.wachttijd_dagen) + 1);
        if vandaag < vanaf {
            return Err(VrijgaveError::BusinesscaseTeVroeg {
                jaar,
                vanaf,
                dagen: self.wachttijd_dagen,
            });
        }
        // Once: a correction would differ from the first by the few trajectories registered
        // late, and show them.
        if !self.businesscase_vrijgaven(jaar).await?.is_empty() {
            return Err(VrijgaveError::BusinesscaseAlVrijgegeven { jaar });
        }
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
        let weg = achtergehouden(&per, drempel);
        let geschat = geschat(&per, drempel, &weg);
        let nl = per
            .get(&None)
            .cloned()
            .unwrap_or_else(|| Tellingen::leeg(jaar));
        let landelijk = landelijk_gepubliceerd(&nl, drempel);
        let getoond = totalen_toonbaar(&nl, drempel);
        let mut tellingen: BTreeMap<Option<Regio>, Option<Tellingen>> = BTreeMap::new();
        tellingen.insert(None, getoond.then(|| afgerond(&landelijk)));
        for (r, t) in per.iter().filter_map(|(r, t)| r.map(|r| (r, t))) {
            if weg.contains(&r) || !getoond {
                tellingen.insert(Some(r), None);
                continue;
            }
            let mut eigen = t.clone();
            for rij in &geschat {
                schat(&mut eigen, &landelijk, *rij);
            }
            tellingen.insert(Some(r), Some(afgerond(&eigen)));
        }
        let vrijgave = BusinesscaseVrijgave {
            kop: BusinesscaseKop {
                jaar,
                nummer: 1,
                peildatum: vandaag,
                positie,
                beleidsversie,
                drempel,
            },
            tellingen,
            geschat,
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
            geschat: vrijgave.geschat.iter().copied().collect(),
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
        let verwacht = ExpectedRevision::NoStream;
        match self
            .store
            .append(&stream(jaar), verwacht, vec![event])
            .await
        {
            Ok(_) => Ok(vrijgave.kop),
            Err(StoreError::WrongExpectedVersion { .. }) => Err(VrijgaveError::Tegelijk {
                kwartaal,
                nummer: 1,
            }),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nations_small_groups_are_counted_with_the_largest() {
        let m = Methode::Ips;
        let mut t = Tellingen::leeg(2025);
        t.trajecten.insert(m, 60);
        for (f, n, maanden) in [
            (Financier::Gemeente, 50, 40.0),
            (Financier::Uwv, 6, 5.0),
            (Financier::Anders, 4, 3.0),
        ] {
            t.trajecten_per_financier.insert((m, f), n);
            t.trajectmaanden.insert((m, f), [maanden; 12]);
        }
        let ggz = Werk {
            maanden: [2.0; 12],
            urenmaanden: [40.0; 12],
            aan_het_werk_eind: 2.0,
            uren_eind: 30.0,
        };
        t.werkenden_ggz.insert(m, 4);
        t.ggz.insert(m, ggz);

        let p = landelijk_gepubliceerd(&t, 10);
        assert_eq!(p.trajectmaanden[&(m, Financier::Gemeente)], [48.0; 12]);
        assert!(!p.trajectmaanden.contains_key(&(m, Financier::Uwv)));
        assert!(!p.trajectmaanden.contains_key(&(m, Financier::Anders)));
        assert!(!p.ggz.contains_key(&m), "a small GGZ row is left out");

        // A region estimated with it: its own total, the nation's (merged) split.
        let mut eigen = Tellingen::leeg(2025);
        eigen.trajectmaanden.insert((m, Financier::Uwv), [1.0; 12]);
        eigen
            .trajectmaanden
            .insert((m, Financier::Gemeente), [2.0; 12]);
        schat(&mut eigen, &p, Rij::Kosten(m));
        assert_eq!(eigen.trajectmaanden[&(m, Financier::Gemeente)], [3.0; 12]);
        assert_eq!(eigen.trajectmaanden.len(), 1);
    }

    #[test]
    fn a_row_whose_groups_pass_is_left_as_it_is() {
        let m = Methode::Jobcoaching;
        let mut t = Tellingen::leeg(2025);
        t.trajecten.insert(m, 30);
        for (f, n) in [(Financier::Gemeente, 20), (Financier::Uwv, 10)] {
            t.trajecten_per_financier.insert((m, f), n);
            t.trajectmaanden.insert((m, f), [n as f64 / 2.0; 12]);
        }
        assert_eq!(landelijk_gepubliceerd(&t, 10), t);
    }
}

//! A trajectory's status on a reference date (peildatum) under a duurzaam policy.
//!
//! The status is a function of the events that count and of time: the same events give
//! "geplaatst" today and "duurzaam" three months later. Only events dated on or before the
//! peildatum are taken into account, in order of their domain date.
//!
//! How duurzaam is measured (decisions written down in ARCHITECTURE.md):
//! - a day of qualifying work is a day on which the policy's work runs (v1: one paid, regular
//!   placement of at least the minimum hours; v2: paid, regular placements whose hours add up to
//!   the minimum; each from its start up to and including its last day of work, with its hours
//!   as changed by `UrenGewijzigd`) while the trajectory is open (up to and including its closing
//!   date; after a heropening again from that date);
//! - a run of such days continues across a gap of at most `max_onderbreking_dagen` days without
//!   qualifying work, and ends at a longer gap;
//! - duurzaam is reached on the first day of qualifying work in the run that lies on or after the
//!   last day of the policy's period, counted from the run's first day; once reached, it stays.

use chrono::NaiveDate;
use serde::Serialize;

use crate::event::EventData;
use crate::policy::DuurzaamBeleid;
use crate::traject::{Ondersteuning, Traject, VolgendeActie, fold};
use crate::value::PlaatsingId;

/// The phase of a trajectory on a peildatum, in the order a trajectory passes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Fase {
    /// Referred, intake not yet completed.
    Aangemeld,
    /// Intake completed, no placement running.
    Zoekend,
    /// At least one placement running, support intensive.
    Geplaatst,
    /// Support at waakvlam.
    Waakvlam,
    /// Closed.
    Afgesloten,
}

/// Whether support is intensive or at waakvlam, for the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Intensiteit {
    /// Regular support.
    Intensief,
    /// Low-intensity support.
    Waakvlam,
}

/// What a trajectory looked like on a peildatum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Status {
    /// The reference date.
    pub peildatum: NaiveDate,
    /// The duurzaam policy the status was computed under.
    pub beleid: String,
    /// The phase.
    pub fase: Fase,
    /// The intensity of support.
    pub ondersteuning: Intensiteit,
    /// The placements running on the peildatum.
    pub lopende_plaatsingen: Vec<PlaatsingId>,
    /// The first day of the current run of uninterrupted qualifying work, if one is going on.
    pub werk_sinds: Option<NaiveDate>,
    /// Whether the peildatum itself is a day of qualifying work.
    pub in_kwalificerend_werk: bool,
    /// The first day of qualifying work in the trajectory, if there was one by the peildatum.
    pub eerste_kwalificerend_werk: Option<NaiveDate>,
    /// Days of work in the current run up to and including the peildatum: the days of its
    /// stretches of qualifying work, not the gaps between them that the run allows (0 without a
    /// current run).
    pub dagen_ononderbroken_werk: u32,
    /// The last day of the policy's period for the current run: from that day on, working
    /// means duurzaam.
    pub duurzaam_vanaf: Option<NaiveDate>,
    /// The day duurzaam was reached, if it was by the peildatum.
    pub duurzaam_bereikt_op: Option<NaiveDate>,
    /// The next action planned by the peildatum, while the trajectory is open.
    pub volgende_actie: Option<VolgendeActie>,
}

/// The trajectory's status on `peildatum`; `None` if it had not been referred by then.
pub fn status(traject: &Traject, peildatum: NaiveDate, beleid: &DuurzaamBeleid) -> Option<Status> {
    let mut events: Vec<_> = traject
        .geldende_events()
        .filter(|e| e.datum.date() <= peildatum)
        .collect();
    events.sort_by_key(|e| e.datum); // stable: stream order within a day

    let mut toestand = None;
    let mut open_sinds = None;
    let mut open_periodes = Vec::new();
    for event in &events {
        fold(&mut toestand, event);
        match &event.data {
            EventData::TrajectAangemeld(_) | EventData::TrajectHeropend(_) => {
                open_sinds = Some(event.datum.date());
            }
            EventData::TrajectAfgesloten(_) => {
                if let Some(sinds) = open_sinds.take() {
                    open_periodes.push((sinds, event.datum.date()));
                }
            }
            _ => {}
        }
    }
    let toestand = toestand?;
    if let Some(sinds) = open_sinds {
        open_periodes.push((sinds, peildatum));
    }

    let mut werk: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for (start, einde) in beleid.kwalificerend_werk(&toestand.plaatsingen, peildatum) {
        for &(open, dicht) in &open_periodes {
            let (van, tot) = (start.max(open), einde.min(dicht));
            if van <= tot {
                werk.push((van, tot));
            }
        }
    }
    let in_kwalificerend_werk = werk
        .iter()
        .any(|&(van, tot)| van <= peildatum && peildatum <= tot);
    let reeksen = reeksen(werk, beleid.max_onderbreking_dagen());

    let duurzaam_bereikt_op = reeksen.iter().find_map(|reeks| reeks.duurzaam_op(beleid));
    let huidige = reeksen.last().filter(|reeks| {
        toestand.is_open()
            && (peildatum - reeks.laatste_dag()).num_days()
                <= i64::from(beleid.max_onderbreking_dagen())
    });
    let werk_sinds = huidige.map(|r| r.eerste_dag());
    let lopende_plaatsingen = toestand
        .plaatsingen
        .iter()
        .filter(|p| p.loopt_op(peildatum))
        .map(|p| p.gestart.plaatsing_id)
        .collect::<Vec<_>>();
    let ondersteuning = match toestand.ondersteuning {
        Ondersteuning::Intensief => Intensiteit::Intensief,
        Ondersteuning::Waakvlam { .. } => Intensiteit::Waakvlam,
    };
    let fase = if !toestand.is_open() {
        Fase::Afgesloten
    } else if ondersteuning == Intensiteit::Waakvlam {
        Fase::Waakvlam
    } else if !lopende_plaatsingen.is_empty() {
        Fase::Geplaatst
    } else if toestand.intake.is_some() {
        Fase::Zoekend
    } else {
        Fase::Aangemeld
    };
    Some(Status {
        peildatum,
        beleid: beleid.versie().to_owned(),
        fase,
        ondersteuning,
        lopende_plaatsingen,
        werk_sinds,
        in_kwalificerend_werk,
        eerste_kwalificerend_werk: reeksen.first().map(Reeks::eerste_dag),
        dagen_ononderbroken_werk: huidige.map_or(0, |r| r.werkdagen_tot(peildatum)),
        duurzaam_vanaf: werk_sinds.map(|sinds| beleid.einde_periode(sinds)),
        duurzaam_bereikt_op,
        volgende_actie: toestand.volgende_actie,
    })
}

/// Whether closing the trajectory on `datum` for `reden` agrees with its status under `beleid`:
/// closing as DuurzaamAanHetWerk needs duurzaam reached by that day. The caller decides whether
/// the coach may confirm it anyway (the closing itself is a fact the coach records).
pub fn afsluiting_klopt(
    traject: &Traject,
    datum: crate::value::Datum,
    reden: crate::value::AfsluitingsReden,
    beleid: &DuurzaamBeleid,
) -> Result<(), crate::DomainError> {
    if reden != crate::value::AfsluitingsReden::DuurzaamAanHetWerk {
        return Ok(());
    }
    let bereikt = status(traject, datum.date(), beleid)
        .and_then(|s| s.duurzaam_bereikt_op)
        .is_some();
    if bereikt {
        Ok(())
    } else {
        Err(crate::DomainError::DuurzaamNietBereikt { datum })
    }
}

/// A run of qualifying work: disjoint, sorted stretches of work days, each gap between them at
/// most the policy's maximum.
struct Reeks(Vec<(NaiveDate, NaiveDate)>);

impl Reeks {
    fn eerste_dag(&self) -> NaiveDate {
        self.0[0].0
    }

    fn laatste_dag(&self) -> NaiveDate {
        self.0[self.0.len() - 1].1
    }

    /// The days of its stretches up to and including `peildatum`; a gap between two jobs counts
    /// no days.
    fn werkdagen_tot(&self, peildatum: NaiveDate) -> u32 {
        self.0
            .iter()
            .filter(|&&(van, _)| van <= peildatum)
            .map(|&(van, tot)| (tot.min(peildatum) - van).num_days() as u32 + 1)
            .sum()
    }

    fn duurzaam_op(&self, beleid: &DuurzaamBeleid) -> Option<NaiveDate> {
        let drempel = beleid.einde_periode(self.eerste_dag());
        self.0
            .iter()
            .find(|&&(_, tot)| tot >= drempel)
            .map(|&(van, _)| van.max(drempel))
    }
}

/// Groups stretches of work days into runs: overlapping or adjacent stretches merge, and a gap of
/// at most `max_gap` days without work keeps the run going.
fn reeksen(mut werk: Vec<(NaiveDate, NaiveDate)>, max_gap: u32) -> Vec<Reeks> {
    werk.sort();
    let mut reeksen: Vec<Reeks> = Vec::new();
    for (van, tot) in werk {
        let Some(reeks) = reeksen.last_mut() else {
            reeksen.push(Reeks(vec![(van, tot)]));
            continue;
        };
        let laatste = reeks.0.last_mut().expect("a run is never empty");
        let gap = (van - laatste.1).num_days() - 1;
        if gap <= 0 {
            laatste.1 = laatste.1.max(tot);
        } else if gap <= i64::from(max_gap) {
            reeks.0.push((van, tot));
        } else {
            reeksen.push(Reeks(vec![(van, tot)]));
        }
    }
    reeksen
}

//! The counts and durations the societal business case (crate `businesscase`) is computed from,
//! per region (and the nation) and calendar year, from the trajectories' facts ([`Kenmerken`]):
//! no money and nothing about a single person leaves here, only sums over groups.
//!
//! - **Trajectory-months** per method and financier, per month: the days a trajectory was open
//!   in the month over the month's days. What the trajectories cost is paid per month of support.
//! - **Work** per method and benefit at intake, and per method for the clients in GGZ treatment
//!   at intake: per month the months in paid work (days with a paid placement running while the
//!   trajectory was open, over the month's days) and the hour-months (the same weighted by the
//!   hours per week of the placements running that day, added up and capped at [`MAX_UREN`]);
//!   and on the year's last day how many were in paid work, with their hours. The two tables
//!   are margins, not a cross: fewer and larger groups, all the money needs.
//! - **Trajectories** open on some day of the year, per method: what a what-if scales.
//!
//! Days after the peildatum are not counted: a year still running has the months so far.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use traject_domain::value::{Financier, Methode, Regio, Uitkering};

use crate::kenmerken::Kenmerken;
use crate::model::ReadModel;

/// The most hours per week counted for one client on one day.
pub const MAX_UREN: f64 = 40.0;

/// A group of clients whose work saves the same benefit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Werkgroep {
    /// The trajectory's method.
    pub methode: Methode,
    /// The benefit at intake.
    pub uitkering: Uitkering,
}

/// The work of one group in a year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Werk {
    /// Per month: months in paid work.
    pub maanden: [f64; 12],
    /// Per month: months in paid work times hours per week.
    pub urenmaanden: [f64; 12],
    /// In paid work on the year's last day (or the peildatum): a number of clients, whole as
    /// counted here; a release may estimate a region's share of a group, which need not be.
    pub aan_het_werk_eind: f64,
    /// Their hours per week then, added up.
    pub uren_eind: f64,
}

impl Werk {
    fn voeg_toe(&mut self, ander: &Werk) {
        for m in 0..12 {
            self.maanden[m] += ander.maanden[m];
            self.urenmaanden[m] += ander.urenmaanden[m];
        }
        self.aan_het_werk_eind += ander.aan_het_werk_eind;
        self.uren_eind += ander.uren_eind;
    }

    fn dag(&mut self, maand: usize, deel: f64, uren: f64, laatste: bool) {
        self.maanden[maand] += deel;
        self.urenmaanden[maand] += uren * deel;
        if laatste {
            self.aan_het_werk_eind += 1.0;
            self.uren_eind += uren;
        }
    }
}

/// The counts of one region (or the nation) in one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Tellingen {
    /// The year.
    pub jaar: i32,
    /// Trajectories open on some day of the year, per method.
    pub trajecten: BTreeMap<Methode, u64>,
    /// Per method and financier, per month: trajectory-months.
    pub trajectmaanden: BTreeMap<(Methode, Financier), [f64; 12]>,
    /// Per method and financier: the trajectories behind those months.
    pub trajecten_per_financier: BTreeMap<(Methode, Financier), u64>,
    /// Per group: the work.
    pub werk: BTreeMap<Werkgroep, Werk>,
    /// Per group: the trajectories with work in the year.
    pub werkenden: BTreeMap<Werkgroep, u64>,
    /// Per method: the work of clients in GGZ treatment at intake (whose care costs work
    /// lowers).
    pub ggz: BTreeMap<Methode, Werk>,
    /// Per method: the trajectories of clients in GGZ treatment with work in the year.
    pub werkenden_ggz: BTreeMap<Methode, u64>,
}

impl Tellingen {
    /// Nothing counted yet in `jaar`.
    pub fn leeg(jaar: i32) -> Self {
        Self {
            jaar,
            trajecten: Methode::ALL.iter().map(|m| (*m, 0)).collect(),
            trajectmaanden: BTreeMap::new(),
            trajecten_per_financier: BTreeMap::new(),
            werk: BTreeMap::new(),
            werkenden: BTreeMap::new(),
            ggz: BTreeMap::new(),
            werkenden_ggz: BTreeMap::new(),
        }
    }

    /// Adds the counts of `ander` (another region, of the same year).
    pub fn voeg_toe(&mut self, ander: &Tellingen) {
        for (m, n) in &ander.trajecten {
            *self.trajecten.entry(*m).or_default() += n;
        }
        for (k, n) in &ander.trajecten_per_financier {
            *self.trajecten_per_financier.entry(*k).or_default() += n;
        }
        for (g, n) in &ander.werkenden {
            *self.werkenden.entry(*g).or_default() += n;
        }
        for (m, n) in &ander.werkenden_ggz {
            *self.werkenden_ggz.entry(*m).or_default() += n;
        }
        for (m, w) in &ander.ggz {
            self.ggz.entry(*m).or_default().voeg_toe(w);
        }
        for (k, maanden) in &ander.trajectmaanden {
            let eigen = self.trajectmaanden.entry(*k).or_insert([0.0; 12]);
            for (a, b) in eigen.iter_mut().zip(maanden) {
                *a += b;
            }
        }
        for (g, w) in &ander.werk {
            self.werk.entry(*g).or_default().voeg_toe(w);
        }
    }

    /// Adds one trajectory's months of `jaar` up to `laatste` (the year's last day or the
    /// peildatum).
    fn tel(&mut self, k: &Kenmerken, laatste: NaiveDate) {
        let eerste = NaiveDate::from_ymd_opt(self.jaar, 1, 1).expect("a valid year");
        if k.aanmelding > laatste || laatste < eerste {
            return;
        }
        let mut open_in_jaar = false;
        let maanden = self
            .trajectmaanden
            .entry((k.methode, k.financier))
            .or_insert([0.0; 12]);
        for periode in &k.open {
            let van = periode.van.max(eerste);
            let tot = periode
                .tot
                .map_or(laatste, |t| t.pred_opt().unwrap_or(t))
                .min(laatste);
            if tot < van {
                continue;
            }
            open_in_jaar = true;
            for (m, maand) in maanden.iter_mut().enumerate() {
                let begin = NaiveDate::from_ymd_opt(self.jaar, m as u32 + 1, 1).expect("a month");
                let eind = begin
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .expect("a month's last day");
                let dagen = (tot.min(eind) - van.max(begin)).num_days() + 1;
                if dagen > 0 {
                    *maand += dagen as f64 / dagen_in_maand(begin);
                }
            }
        }
        if open_in_jaar {
            *self.trajecten.entry(k.methode).or_default() += 1;
            *self
                .trajecten_per_financier
                .entry((k.methode, k.financier))
                .or_default() += 1;
        } else if maanden.iter().all(|m| *m == 0.0) {
            self.trajectmaanden.remove(&(k.methode, k.financier));
        }
        let Some((uitkering, in_ggz)) = k.bij_intake else {
            return;
        };
        let betaald: Vec<_> = k
            .plaatsingen
            .iter()
            .filter(|p| {
                p.betaald && p.start <= laatste && p.laatste_werkdag.is_none_or(|l| l >= eerste)
            })
            .collect();
        if betaald.is_empty() {
            return;
        }
        let mut dag = betaald
            .iter()
            .map(|p| p.start)
            .min()
            .expect("not empty")
            .max(eerste);
        let mut gewerkt = None;
        while dag <= laatste {
            let uren: f64 = betaald
                .iter()
                .filter(|p| p.loopt_op(dag))
                .map(|p| p.uren_per_week.hours())
                .sum::<f64>()
                .min(MAX_UREN);
            if uren > 0.0 && k.open_op(dag) {
                let groep = Werkgroep {
                    methode: k.methode,
                    uitkering,
                };
                gewerkt = Some(groep);
                let (m, deel) = (dag.month0() as usize, 1.0 / dagen_in_maand(dag));
                self.werk
                    .entry(groep)
                    .or_default()
                    .dag(m, deel, uren, dag == laatste);
                if in_ggz {
                    self.ggz
                        .entry(k.methode)
                        .or_default()
                        .dag(m, deel, uren, dag == laatste);
                }
            }
            dag = dag.succ_opt().expect("a date before the end of time");
        }
        if let Some(groep) = gewerkt {
            *self.werkenden.entry(groep).or_default() += 1;
            if in_ggz {
                *self.werkenden_ggz.entry(groep.methode).or_default() += 1;
            }
        }
    }
}

fn dagen_in_maand(dag: NaiveDate) -> f64 {
    let eerste = dag.with_day(1).expect("day 1 exists");
    let volgende = eerste
        .checked_add_months(chrono::Months::new(1))
        .expect("a date before the end of time");
    (volgende - eerste).num_days() as f64
}

/// The counts of every region and of the nation (`None`) in `jaar`, as known on `peildatum`.
pub fn per_regio(
    model: &ReadModel,
    peildatum: NaiveDate,
    jaar: i32,
) -> BTreeMap<Option<Regio>, Tellingen> {
    let laatste = NaiveDate::from_ymd_opt(jaar, 12, 31)
        .expect("a valid year")
        .min(peildatum);
    let mut uit: BTreeMap<Option<Regio>, Tellingen> = Regio::ALL
        .iter()
        .map(|r| (Some(*r), Tellingen::leeg(jaar)))
        .collect();
    for k in model.kenmerken() {
        if let Some(t) = uit.get_mut(&Some(k.regio)) {
            t.tel(k, laatste);
        }
    }
    let mut landelijk = Tellingen::leeg(jaar);
    for t in uit.values() {
        landelijk.voeg_toe(t);
    }
    uit.insert(None, landelijk);
    uit
}

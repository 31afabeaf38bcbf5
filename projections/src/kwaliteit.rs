//! The figures of the quality report (kwaliteitsrapport): an organisation's, a region's or the
//! nation's results over four quarters, counted from the trajectories' facts
//! ([`Kenmerken`]) on a peildatum, never from the events. Unprotected: disclosure control is
//! applied where they leave the system (crate `vrijgave`).
//!
//! - **Instroom**: intakes in the four quarters (the yearly target counts these), by method and
//!   by financier.
//! - **Cohorts** of the quarter of intake, the eight quarters up to the last: how many reached
//!   qualifying work, and how many duurzaam, within 6, 12 and 18 months of their intake, as far
//!   as known on the peildatum ([`Rapportperiode::rijp`] says when a horizon has passed for every
//!   member of a cohort).
//! - **Werkgeverscontact**: for the intakes in the four quarters, the days to the first employer
//!   contact (by the peildatum) and how many within [`CONTACT_NORM_DAGEN`].
//! - **Caseload**: per coach, the open trajectories on the last day of the four quarters (or the
//!   peildatum), against the IPS norm of [`IPS_NORM`]. A coach counts for a region with at least
//!   one of those trajectories there, with all of them as their caseload; for an organisation,
//!   with those in the organisation only.
//!   The coach is the one responsible now: the facts keep no history of assignments.
//! - **Plaatsingen** started in the four quarters, by form of contract and by hours at the start.
//! - **Afsluitingen** in the four quarters, by reason of the last closing.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Months, NaiveDate};
use traject_domain::value::{AfsluitingsReden, CoachId, Financier, Methode, OrganisatieId, Regio};

use crate::cijfers::Kwartaal;
use crate::kenmerken::Kenmerken;
use crate::model::ReadModel;

/// The horizons of the cohorts, in months after intake.
pub const HORIZONNEN: [u32; 3] = [6, 12, 18];

/// How many quarters of intake the cohorts cover, up to the report's last quarter.
pub const COHORTEN: usize = 8;

/// The most open trajectories an IPS coach carries (the IPS fidelity scale).
pub const IPS_NORM: u64 = 20;

/// The days from intake to first employer contact IPS asks for at most.
pub const CONTACT_NORM_DAGEN: i64 = 30;

/// The classes of hours per week at a placement's start: name and lower bound in minutes
/// (each class runs up to the next one's bound).
pub const UREN_KLASSEN: [(&str, u16); 4] = [
    ("tot_12", 0),
    ("12_tot_20", 12 * 60),
    ("20_tot_32", 20 * 60),
    ("32_en_meer", 32 * 60),
];

/// The four quarters a report covers, up to and including `tot`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rapportperiode {
    /// The last quarter.
    pub tot: Kwartaal,
}

impl Rapportperiode {
    /// The first of the four quarters.
    pub fn van(&self) -> Kwartaal {
        terug(self.tot, 3)
    }

    /// The first day.
    pub fn eerste_dag(&self) -> NaiveDate {
        self.van().eerste_dag()
    }

    /// The last day.
    pub fn laatste_dag(&self) -> NaiveDate {
        self.tot.laatste_dag()
    }

    /// The quarters of intake of the cohorts, oldest first.
    pub fn cohorten(&self) -> Vec<Kwartaal> {
        (0..COHORTEN)
            .rev()
            .map(|n| terug(self.tot, n as u32))
            .collect()
    }

    /// Whether `maanden` after intake have passed on `peildatum` for every intake of `cohort`.
    pub fn rijp(cohort: Kwartaal, maanden: u32, peildatum: NaiveDate) -> bool {
        plus_maanden(cohort.laatste_dag(), maanden) <= peildatum
    }

    /// Whether the report covers a calendar year.
    pub fn is_jaar(&self) -> bool {
        self.tot.nummer == 4
    }
}

fn terug(mut k: Kwartaal, n: u32) -> Kwartaal {
    for _ in 0..n {
        k = if k.nummer == 1 {
            Kwartaal {
                jaar: k.jaar - 1,
                nummer: 4,
            }
        } else {
            Kwartaal {
                jaar: k.jaar,
                nummer: k.nummer - 1,
            }
        };
    }
    k
}

/// `dag` plus `maanden` calendar months (the last day of a shorter month where needed).
pub fn plus_maanden(dag: NaiveDate, maanden: u32) -> NaiveDate {
    dag.checked_add_months(Months::new(maanden))
        .unwrap_or(NaiveDate::MAX)
}

/// One cohort: the intakes of a quarter and what they reached within each horizon.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cohort {
    /// Intakes in the quarter (by the peildatum).
    pub grootte: u64,
    /// Per horizon of [`HORIZONNEN`]: reached qualifying work within it (by the peildatum).
    pub werk: [u64; 3],
    /// Per horizon: reached duurzaam within it (by the peildatum).
    pub duurzaam: [u64; 3],
}

/// The figures of one organisation, region or the nation.
#[derive(Debug, Clone, PartialEq)]
pub struct KwaliteitCijfers {
    /// Intakes in the four quarters.
    pub gestart: u64,
    /// Intakes by method (every method, 0 included).
    pub per_methode: BTreeMap<Methode, u64>,
    /// Intakes by financier (every financier).
    pub per_financier: BTreeMap<Financier, u64>,
    /// The cohorts, by quarter of intake ([`Rapportperiode::cohorten`]).
    pub cohorten: BTreeMap<Kwartaal, Cohort>,
    /// Intakes in the four quarters with a first employer contact by the peildatum.
    pub met_contact: u64,
    /// Of those, the contacts within [`CONTACT_NORM_DAGEN`] of the intake.
    pub contact_binnen_norm: u64,
    /// Their days from intake to first contact, ascending.
    pub dagen_tot_contact: Vec<i64>,
    /// Per coach counted, their open trajectories on the last day, ascending.
    pub caseloads: Vec<u64>,
    /// Placements started in the four quarters.
    pub plaatsingen: u64,
    /// Those by form of contract (every form of `Contract::VORMEN`).
    pub per_contract: BTreeMap<&'static str, u64>,
    /// Those by class of hours at the start (every class of [`UREN_KLASSEN`]).
    pub per_urenklasse: BTreeMap<&'static str, u64>,
    /// Closed in the four quarters (by the reason of the last closing in them).
    pub afgesloten: u64,
    /// Those by reason (every reason).
    pub per_reden: BTreeMap<AfsluitingsReden, u64>,
}

impl KwaliteitCijfers {
    /// Zero figures for `periode`: every breakdown's keys present.
    pub fn leeg(periode: Rapportperiode) -> Self {
        Self {
            gestart: 0,
            per_methode: Methode::ALL.iter().map(|m| (*m, 0)).collect(),
            per_financier: Financier::ALL.iter().map(|f| (*f, 0)).collect(),
            cohorten: periode
                .cohorten()
                .into_iter()
                .map(|k| (k, Cohort::default()))
                .collect(),
            met_contact: 0,
            contact_binnen_norm: 0,
            dagen_tot_contact: Vec::new(),
            caseloads: Vec::new(),
            plaatsingen: 0,
            per_contract: traject_domain::event::Contract::VORMEN
                .iter()
                .map(|v| (*v, 0))
                .collect(),
            per_urenklasse: UREN_KLASSEN.iter().map(|(k, _)| (*k, 0)).collect(),
            afgesloten: 0,
            per_reden: AfsluitingsReden::ALL.iter().map(|r| (*r, 0)).collect(),
        }
    }

    /// Coaches counted whose caseload is above [`IPS_NORM`].
    pub fn coaches_boven_norm(&self) -> u64 {
        self.caseloads.iter().filter(|c| **c > IPS_NORM).count() as u64
    }

    /// The median caseload.
    pub fn mediaan_caseload(&self) -> Option<f64> {
        let waarden: Vec<i64> = self.caseloads.iter().map(|c| *c as i64).collect();
        crate::ips::mediaan(&waarden)
    }

    /// The median days to first employer contact.
    pub fn mediaan_dagen_tot_contact(&self) -> Option<f64> {
        crate::ips::mediaan(&self.dagen_tot_contact)
    }

    /// Adds what one trajectory contributes (everything but the caseloads).
    fn tel(&mut self, k: &Kenmerken, periode: Rapportperiode, peildatum: NaiveDate) {
        let eerste = periode.eerste_dag();
        let laatste = periode.laatste_dag().min(peildatum);
        let binnen = |d: NaiveDate| eerste <= d && d <= laatste;
        if let Some(intake) = k.intake.filter(|d| *d <= peildatum) {
            if binnen(intake) {
                self.gestart += 1;
                *self.per_methode.entry(k.methode).or_default() += 1;
                *self.per_financier.entry(k.financier).or_default() += 1;
                if let Some(contact) = k.eerste_werkgeverscontact.filter(|c| *c <= peildatum) {
                    let dagen = (contact - intake).num_days().max(0);
                    self.met_contact += 1;
                    if dagen <= CONTACT_NORM_DAGEN {
                        self.contact_binnen_norm += 1;
                    }
                    self.dagen_tot_contact.push(dagen);
                }
            }
            if let Some(cohort) = self.cohorten.get_mut(&Kwartaal::van(intake)) {
                cohort.grootte += 1;
                for (h, maanden) in HORIZONNEN.iter().enumerate() {
                    let grens = plus_maanden(intake, *maanden).min(peildatum);
                    if k.eerste_kwalificerende_plaatsing
                        .is_some_and(|d| d <= grens)
                    {
                        cohort.werk[h] += 1;
                    }
                    if k.duurzaam_op.is_some_and(|d| d <= grens) {
                        cohort.duurzaam[h] += 1;
                    }
                }
            }
        }
        for p in k.plaatsingen.iter().filter(|p| binnen(p.start)) {
            self.plaatsingen += 1;
            *self.per_contract.entry(p.contract).or_default() += 1;
            let minuten = p.uren_bij_start.minutes();
            let klasse = UREN_KLASSEN
                .iter()
                .rev()
                .find(|(_, vanaf)| minuten >= *vanaf)
                .map_or(UREN_KLASSEN[0].0, |(naam, _)| naam);
            *self.per_urenklasse.entry(klasse).or_default() += 1;
        }
        if let Some((_, reden)) = k.afsluitingen.iter().rev().find(|(d, _)| binnen(*d)) {
            self.afgesloten += 1;
            *self.per_reden.entry(*reden).or_default() += 1;
        }
    }

    fn voeg_toe(&mut self, ander: &KwaliteitCijfers) {
        // Taken apart whole, so that a new field cannot be forgotten here.
        let KwaliteitCijfers {
            gestart,
            per_methode,
            per_financier,
            cohorten,
            met_contact,
            contact_binnen_norm,
            dagen_tot_contact,
            caseloads: _, // per coach: merged by the caller, a coach may count in several
            plaatsingen,
            per_contract,
            per_urenklasse,
            afgesloten,
            per_reden,
        } = ander;
        self.gestart += gestart;
        for (m, n) in per_methode {
            *self.per_methode.entry(*m).or_default() += n;
        }
        for (f, n) in per_financier {
            *self.per_financier.entry(*f).or_default() += n;
        }
        for (k, c) in cohorten {
            let eigen = self.cohorten.entry(*k).or_default();
            eigen.grootte += c.grootte;
            for h in 0..HORIZONNEN.len() {
                eigen.werk[h] += c.werk[h];
                eigen.duurzaam[h] += c.duurzaam[h];
            }
        }
        self.met_contact += met_contact;
        self.contact_binnen_norm += contact_binnen_norm;
        self.dagen_tot_contact.extend(dagen_tot_contact);
        self.plaatsingen += plaatsingen;
        for (v, n) in per_contract {
            *self.per_contract.entry(v).or_default() += n;
        }
        for (u, n) in per_urenklasse {
            *self.per_urenklasse.entry(u).or_default() += n;
        }
        self.afgesloten += afgesloten;
        for (r, n) in per_reden {
            *self.per_reden.entry(*r).or_default() += n;
        }
    }
}

/// The day stocks (the caseloads) are taken on.
fn peildag(periode: Rapportperiode, peildatum: NaiveDate) -> NaiveDate {
    periode.laatste_dag().min(peildatum)
}

/// The figures of every region and of the nation (`None`), in one pass over the facts.
pub fn per_regio(
    model: &ReadModel,
    peildatum: NaiveDate,
    periode: Rapportperiode,
) -> BTreeMap<Option<Regio>, KwaliteitCijfers> {
    let dag = peildag(periode, peildatum);
    let mut per: Vec<KwaliteitCijfers> = Regio::ALL
        .iter()
        .map(|_| KwaliteitCijfers::leeg(periode))
        .collect();
    let mut caseload: HashMap<&CoachId, u64> = HashMap::new();
    let mut coaches: Vec<HashSet<&CoachId>> = vec![HashSet::new(); Regio::ALL.len()];
    for k in model.kenmerken() {
        if k.aanmelding > peildatum {
            continue;
        }
        let r = regio_index(k.regio);
        per[r].tel(k, periode, peildatum);
        if let Some(coach) = k.coach.as_ref().filter(|_| k.open_op(dag)) {
            *caseload.entry(coach).or_default() += 1;
            coaches[r].insert(coach);
        }
    }
    let mut landelijk = KwaliteitCijfers::leeg(periode);
    for (r, cijfers) in per.iter_mut().enumerate() {
        landelijk.voeg_toe(cijfers);
        cijfers.caseloads = coaches[r].iter().map(|c| caseload[c]).collect();
    }
    landelijk.caseloads = caseload.into_values().collect();
    let mut uit: BTreeMap<Option<Regio>, KwaliteitCijfers> = Regio::ALL
        .iter()
        .map(|r| Some(*r))
        .zip(per)
        .chain([(None, landelijk)])
        .collect();
    for cijfers in uit.values_mut() {
        cijfers.sorteer();
    }
    uit
}

/// The figures of one region, counted on their own (as [`per_regio`] counts them).
pub fn van_regio(
    model: &ReadModel,
    peildatum: NaiveDate,
    periode: Rapportperiode,
    regio: Regio,
) -> KwaliteitCijfers {
    let dag = peildag(periode, peildatum);
    let mut cijfers = KwaliteitCijfers::leeg(periode);
    let mut coaches: HashSet<&CoachId> = HashSet::new();
    for k in model
        .kenmerken()
        .filter(|k| k.regio == regio && k.aanmelding <= peildatum)
    {
        cijfers.tel(k, periode, peildatum);
        if let Some(coach) = k.coach.as_ref().filter(|_| k.open_op(dag)) {
            coaches.insert(coach);
        }
    }
    cijfers.caseloads = coaches
        .into_iter()
        .map(|c| caseload_op(model, c, dag))
        .collect();
    cijfers.sorteer();
    cijfers
}

/// The figures of one organisation (through the model's index of organisations). A coach's
/// caseload here is their open trajectories in the organisation only: an organisation's own
/// report shows nothing of another's.
pub fn van_organisatie(
    model: &ReadModel,
    peildatum: NaiveDate,
    periode: Rapportperiode,
    organisatie: &OrganisatieId,
) -> KwaliteitCijfers {
    let dag = peildag(periode, peildatum);
    let mut cijfers = KwaliteitCijfers::leeg(periode);
    let mut caseload: HashMap<&CoachId, u64> = HashMap::new();
    for k in model
        .van_organisatie(organisatie)
        .filter_map(|e| e.kenmerken.as_ref())
        .filter(|k| k.aanmelding <= peildatum)
    {
        cijfers.tel(k, periode, peildatum);
        if let Some(coach) = k.coach.as_ref().filter(|_| k.open_op(dag)) {
            *caseload.entry(coach).or_default() += 1;
        }
    }
    cijfers.caseloads = caseload.into_values().collect();
    cijfers.sorteer();
    cijfers
}

/// A coach's open trajectories on `dag`, in every region and organisation.
fn caseload_op(model: &ReadModel, coach: &CoachId, dag: NaiveDate) -> u64 {
    model
        .van_coach(coach)
        .filter_map(|e| e.kenmerken.as_ref())
        .filter(|k| k.open_op(dag))
        .count() as u64
}

impl KwaliteitCijfers {
    /// The same facts give the same figures, whatever order the model holds them in.
    fn sorteer(&mut self) {
        self.dagen_tot_contact.sort_unstable();
        self.caseloads.sort_unstable();
    }
}

fn regio_index(regio: Regio) -> usize {
    Regio::ALL
        .iter()
        .position(|r| *r == regio)
        .expect("every region is in ALL")
}

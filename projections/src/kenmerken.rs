//! The facts of one trajectory that every read model needs, computed from the domain once per
//! change so that queries for any peildatum are interval look-ups.
//!
//! Time-dependent facts are kept as periods and dates "if nothing changes": the duurzaam date is
//! the domain's status at the end of time, which equals the status on any later peildatum once
//! reached (the domain's property tests pin that). A query counts a date only when it lies on or
//! before its peildatum.

use chrono::NaiveDate;
use traject_domain::event::EventData;
use traject_domain::traject::Toestand;
use traject_domain::value::{
    AfsluitingsReden, ClientId, CoachId, Datum, Financier, Methode, OrganisatieId, PlaatsingId,
    Regio, TrajectId, Uitkering, UrenPerWeek,
};
use traject_domain::{DuurzaamBeleid, Traject, status};

/// A stretch of days (open, or at waakvlam) from a day up to (not including) another, or
/// open-ended. Not a period of the figures (`cijfers::Periode`, a quarter or a year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tijdvak {
    /// The first day.
    pub van: NaiveDate,
    /// The first day no longer in the period; `None` while it lasts.
    pub tot: Option<NaiveDate>,
}

impl Tijdvak {
    /// Whether `dag` lies in the period.
    pub fn bevat(&self, dag: NaiveDate) -> bool {
        self.van <= dag && self.tot.is_none_or(|tot| dag < tot)
    }
}

/// One placement as the read models see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaatsingFeit {
    /// The placement.
    pub id: PlaatsingId,
    /// First day of work.
    pub start: NaiveDate,
    /// Last day of work, if known (recorded end or end of a fixed-term contract).
    pub laatste_werkdag: Option<NaiveDate>,
    /// Paid work.
    pub betaald: bool,
    /// Paid and regular (competitive labour market).
    pub regulier_betaald: bool,
    /// Counts towards qualifying work under the duurzaam policy (v2: paid and regular; v1: also
    /// the minimum hours on some day of it).
    pub kwalificeert: bool,
    /// Contractual hours per week as last recorded (at the start or by the latest change).
    pub uren_per_week: UrenPerWeek,
    /// Contractual hours per week at the start.
    pub uren_bij_start: UrenPerWeek,
    /// The form of contract (`Contract::vorm`: Vast, Tijdelijk, ...).
    pub contract: &'static str,
}

impl PlaatsingFeit {
    /// Whether the client works in it on `dag`.
    pub fn loopt_op(&self, dag: NaiveDate) -> bool {
        self.start <= dag && self.laatste_werkdag.is_none_or(|l| dag <= l)
    }
}

/// The facts of one trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kenmerken {
    /// The trajectory.
    pub traject_id: TrajectId,
    /// The pseudonymous client.
    pub client_id: ClientId,
    /// Its region.
    pub regio: Regio,
    /// Its method.
    pub methode: Methode,
    /// Who pays for it.
    pub financier: Financier,
    /// Its organisation.
    pub organisatie: OrganisatieId,
    /// The coach now responsible.
    pub coach: Option<CoachId>,
    /// The aanmelding's date.
    pub aanmelding: NaiveDate,
    /// The intake's date.
    pub intake: Option<NaiveDate>,
    /// The client's benefit at intake, and whether they were in GGZ treatment then.
    pub bij_intake: Option<(Uitkering, bool)>,
    /// The first employer contact's date.
    pub eerste_werkgeverscontact: Option<NaiveDate>,
    /// The first day of qualifying work under the policy (v1: the start of the first qualifying
    /// placement, or the day its hours reached the minimum; v2: also the day concurrent jobs
    /// first added up to it).
    pub eerste_kwalificerende_plaatsing: Option<NaiveDate>,
    /// The day duurzaam is reached if nothing changes (count it only up to the peildatum).
    pub duurzaam_op: Option<NaiveDate>,
    /// The periods the trajectory was open (a closing day is no longer open).
    pub open: Vec<Tijdvak>,
    /// The periods support was at waakvlam.
    pub waakvlam: Vec<Tijdvak>,
    /// Every placement.
    pub plaatsingen: Vec<PlaatsingFeit>,
    /// The dates of the opschalingen.
    pub opschalingen: Vec<NaiveDate>,
    /// Every closing, with its reason.
    pub afsluitingen: Vec<(NaiveDate, AfsluitingsReden)>,
    /// The latest domain date among the events that count.
    pub laatste_gebeurtenis: NaiveDate,
}

impl Kenmerken {
    /// The facts of a referred trajectory; `None` before its aanmelding.
    pub fn van(id: TrajectId, traject: &Traject, beleid: &DuurzaamBeleid) -> Option<Self> {
        let toestand = traject.toestand()?;
        let mut events: Vec<_> = traject.geldende_events().collect();
        events.sort_by_key(|e| e.datum); // stable: stream order within a day
        let mut open = Vec::new();
        let mut waakvlam = Vec::new();
        let mut opschalingen = Vec::new();
        let mut afsluitingen = Vec::new();
        let mut eerste_contact = None;
        for event in &events {
            let dag = event.datum.date();
            match &event.data {
                EventData::TrajectAangemeld(_) | EventData::TrajectHeropend(_) => {
                    begin(&mut open, dag)
                }
                EventData::TrajectAfgesloten(a) => {
                    eind(&mut open, dag);
                    afsluitingen.push((dag, a.reden));
                }
                EventData::WaakvlamIngezet(_) => begin(&mut waakvlam, dag),
                EventData::Opgeschaald(_) => {
                    eind(&mut waakvlam, dag);
                    opschalingen.push(dag);
                }
                EventData::WerkgeverContactGelegd(_) => {
                    eerste_contact.get_or_insert(dag);
                }
                _ => {}
            }
        }
        let tot_nu = status(traject, Datum::MAX, beleid);
        Some(Self {
            traject_id: id,
            client_id: toestand.aangemeld.client_id,
            regio: toestand.aangemeld.regio,
            methode: toestand.aangemeld.methode,
            financier: toestand.aangemeld.financier,
            organisatie: toestand.aangemeld.organisatie.clone(),
            coach: toestand.coach.clone(),
            aanmelding: toestand.aanmelding.date(),
            intake: toestand.intake.as_ref().map(|(d, _)| d.date()),
            bij_intake: toestand
                .intake
                .as_ref()
                .map(|(_, i)| (i.uitkering, i.in_ggz_behandeling)),
            eerste_werkgeverscontact: eerste_contact,
            eerste_kwalificerende_plaatsing: tot_nu
                .as_ref()
                .and_then(|s| s.eerste_kwalificerend_werk),
            duurzaam_op: tot_nu.and_then(|s| s.duurzaam_bereikt_op),
            open,
            waakvlam,
            plaatsingen: plaatsingen(toestand, beleid),
            opschalingen,
            afsluitingen,
            laatste_gebeurtenis: toestand.laatste_datum.date(),
        })
    }

    /// Whether the trajectory is open on `dag`.
    pub fn open_op(&self, dag: NaiveDate) -> bool {
        self.open.iter().any(|p| p.bevat(dag))
    }

    /// Whether support is at waakvlam on `dag` (while open).
    pub fn waakvlam_op(&self, dag: NaiveDate) -> bool {
        self.open_op(dag) && self.waakvlam.iter().any(|p| p.bevat(dag))
    }

    /// Whether the client is in paid work on `dag` while the trajectory is open.
    pub fn betaald_werk_op(&self, dag: NaiveDate) -> bool {
        self.open_op(dag)
            && self
                .plaatsingen
                .iter()
                .any(|p| p.betaald && p.loopt_op(dag))
    }
}

fn begin(periodes: &mut Vec<Tijdvak>, dag: NaiveDate) {
    if periodes.last().is_none_or(|p| p.tot.is_some()) {
        periodes.push(Tijdvak {
            van: dag,
            tot: None,
        });
    }
}

fn eind(periodes: &mut [Tijdvak], dag: NaiveDate) {
    if let Some(p) = periodes.last_mut().filter(|p| p.tot.is_none()) {
        p.tot = Some(dag);
    }
}

fn plaatsingen(toestand: &Toestand, beleid: &DuurzaamBeleid) -> Vec<PlaatsingFeit> {
    toestand
        .plaatsingen
        .iter()
        .map(|p| PlaatsingFeit {
            id: p.gestart.plaatsing_id,
            start: p.start.date(),
            laatste_werkdag: p.laatste_werkdag(),
            betaald: p.gestart.betaald,
            regulier_betaald: p.gestart.betaald && p.gestart.regulier,
            kwalificeert: beleid.telt_mee(p, Datum::MAX),
            uren_per_week: p
                .urenwijzigingen
                .last()
                .map_or(p.gestart.uren_per_week, |&(_, uren)| uren),
            uren_bij_start: p.gestart.uren_per_week,
            contract: p.gestart.contract.vorm(),
        })
        .collect()
}

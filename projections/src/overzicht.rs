//! One trajectory: its status on a peildatum, its key dates, and its timeline with retracted
//! events marked.

use chrono::{DateTime, NaiveDate, Utc};
use traject_domain::value::{CoachId, EventId, Methode, OrganisatieId, Regio, TrajectId};
use traject_domain::{EventData, Status, status};

use crate::kenmerken::PlaatsingFeit;
use crate::model::ReadModel;

/// One trajectory as a coach sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrajectOverzicht {
    /// The trajectory.
    pub traject_id: TrajectId,
    /// The stream revision a command must be decided on.
    pub revisie: Option<u64>,
    /// Its status on the peildatum (`None` if it had not been referred by then).
    pub status: Option<Status>,
    /// The coach now responsible.
    pub coach: Option<CoachId>,
    /// Its method.
    pub methode: Methode,
    /// Its region.
    pub regio: Regio,
    /// Its organisation.
    pub organisatie: OrganisatieId,
    /// The placements running on the peildatum.
    pub lopende_plaatsingen: Vec<PlaatsingFeit>,
    /// The key dates, each only if it lies on or before the peildatum.
    pub data: Sleuteldata,
    /// Every event in stream order.
    pub tijdlijn: Vec<TijdlijnRegel>,
}

/// The key dates of a trajectory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sleuteldata {
    pub aanmelding: Option<NaiveDate>,
    pub intake: Option<NaiveDate>,
    /// First employer contact.
    pub eerste_werkgeverscontact: Option<NaiveDate>,
    /// Start of the first qualifying placement.
    pub eerste_kwalificerende_plaatsing: Option<NaiveDate>,
    /// Duurzaam reached.
    pub duurzaam_bereikt: Option<NaiveDate>,
    /// The closing, if closed on the peildatum.
    pub afsluiting: Option<NaiveDate>,
}

/// One event on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TijdlijnRegel {
    pub event_id: EventId,
    /// Its stream revision.
    pub revisie: u64,
    /// The day it happened.
    pub datum: NaiveDate,
    /// When it was recorded.
    pub opgenomen_op: DateTime<Utc>,
    /// What happened.
    pub data: EventData,
    /// Whether a later event retracted it.
    pub ingetrokken: bool,
}

/// The overview of trajectory `id` on `peildatum`.
pub fn overzicht(
    model: &ReadModel,
    id: TrajectId,
    peildatum: NaiveDate,
) -> Option<TrajectOverzicht> {
    let entry = model.traject(id)?;
    let k = entry.kenmerken.as_ref()?;
    let op = |d: Option<NaiveDate>| d.filter(|d| *d <= peildatum);
    let tijdlijn = entry
        .traject
        .events()
        .iter()
        .zip(entry.opgenomen.iter())
        .enumerate()
        .map(|(revisie, (event, opgenomen_op))| TijdlijnRegel {
            event_id: event.id,
            revisie: revisie as u64,
            datum: event.datum.date(),
            opgenomen_op: *opgenomen_op,
            data: event.data.clone(),
            ingetrokken: entry.traject.is_ingetrokken(event.id),
        })
        .collect();
    Some(TrajectOverzicht {
        traject_id: id,
        revisie: entry.traject.revisie(),
        status: status(&entry.traject, peildatum, model.beleid()),
        coach: k.coach.clone(),
        methode: k.methode,
        regio: k.regio,
        organisatie: k.organisatie.clone(),
        lopende_plaatsingen: k
            .plaatsingen
            .iter()
            .filter(|p| p.loopt_op(peildatum))
            .cloned()
            .collect(),
        data: Sleuteldata {
            aanmelding: op(Some(k.aanmelding)),
            intake: op(k.intake),
            eerste_werkgeverscontact: op(k.eerste_werkgeverscontact),
            eerste_kwalificerende_plaatsing: op(k.eerste_kwalificerende_plaatsing),
            duurzaam_bereikt: op(k.duurzaam_op),
            afsluiting: if k.open_op(peildatum) {
                None
            } else {
                k.afsluitingen
                    .iter()
                    .rev()
                    .map(|(d, _)| *d)
                    .find(|d| *d <= peildatum)
            },
        },
        tijdlijn,
    })
}

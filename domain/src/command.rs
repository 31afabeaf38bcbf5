//! Commands: what a coach asks traject to record.
//!
//! A command carries the stream revision it was decided on, the domain date, and the id the
//! resulting event will get. The caller chooses that id (a UUID v7) before deciding, so that a
//! retried append carries the same id and the store can recognise the retry.

use crate::event::{
    ActieGepland, CoachToegewezen, EventData, GebeurtenisIngetrokken, IntakeAfgerond, Opgeschaald,
    PersoonsgegevensGewist, PlaatsingBeeindigd, PlaatsingGestart, TrajectAangemeld,
    TrajectAfgesloten, TrajectHeropend, UrenGewijzigd, WaakvlamIngezet, WerkgeverContactGelegd,
};
use crate::value::{Datum, EventId};

/// A request to record one event on a trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The id the recorded event will get.
    pub event_id: EventId,
    /// The revision of the trajectory's stream the user saw when deciding; `None` for a new
    /// trajectory (no stream yet).
    pub revisie: Option<u64>,
    /// The day it happened.
    pub datum: Datum,
    /// What to record.
    pub kind: CommandKind,
}

/// What a command asks for, one variant per event of the catalogue. Each carries the fields of
/// the event it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandKind {
    Aanmelden(TrajectAangemeld),
    IntakeAfronden(IntakeAfgerond),
    CoachToewijzen(CoachToegewezen),
    WerkgeverContactLeggen(WerkgeverContactGelegd),
    PlaatsingStarten(PlaatsingGestart),
    PlaatsingBeeindigen(PlaatsingBeeindigd),
    UrenWijzigen(UrenGewijzigd),
    WaakvlamInzetten,
    Opschalen(Opgeschaald),
    Afsluiten(TrajectAfgesloten),
    Heropenen(TrajectHeropend),
    ActiePlannen(ActieGepland),
    Intrekken(GebeurtenisIngetrokken),
    /// Recorded by the erasure of a client, never by a coach.
    PersoonsgegevensWissen(PersoonsgegevensGewist),
}

impl CommandKind {
    /// The event this command records if it is accepted.
    pub fn into_event_data(self) -> EventData {
        match self {
            CommandKind::Aanmelden(e) => EventData::TrajectAangemeld(e),
            CommandKind::IntakeAfronden(e) => EventData::IntakeAfgerond(e),
            CommandKind::CoachToewijzen(e) => EventData::CoachToegewezen(e),
            CommandKind::WerkgeverContactLeggen(e) => EventData::WerkgeverContactGelegd(e),
            CommandKind::PlaatsingStarten(e) => EventData::PlaatsingGestart(e),
            CommandKind::PlaatsingBeeindigen(e) => EventData::PlaatsingBeeindigd(e),
            CommandKind::UrenWijzigen(e) => EventData::UrenGewijzigd(e),
            CommandKind::WaakvlamInzetten => EventData::WaakvlamIngezet(WaakvlamIngezet {}),
            CommandKind::Opschalen(e) => EventData::Opgeschaald(e),
            CommandKind::Afsluiten(e) => EventData::TrajectAfgesloten(e),
            CommandKind::Heropenen(e) => EventData::TrajectHeropend(e),
            CommandKind::ActiePlannen(e) => EventData::ActieGepland(e),
            CommandKind::Intrekken(e) => EventData::GebeurtenisIngetrokken(e),
            CommandKind::PersoonsgegevensWissen(e) => EventData::PersoonsgegevensGewist(e),
        }
    }
}

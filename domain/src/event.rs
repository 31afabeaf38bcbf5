//! The events of a trajectory: the catalogue of product.md, with `UrenGewijzigd` (a change of
//! a running placement's hours) added for duurzaam policy v2 and `ActieGepland` (the next action
//! a coach plans, with its date).
//!
//! Events are facts in the past tense. They carry a pseudonymous client id and closed lists, never
//! a client's name, contact details, BSN or free text about health.

use serde::{Deserialize, Serialize};

use crate::value::{
    ActieSoort, Afgeschermd, AfsluitingsReden, BeeindigingsReden, ClientId, CoachId, Datum,
    EventId, Financier, Functie, HeropeningsReden, IntrekkingsReden, Methode, OpschalingsReden,
    OrganisatieId, PlaatsingId, Regio, Uitkering, UrenPerWeek, Verwijzer, Verzegeling, Werkgever,
    WisReden,
};

/// One event of a trajectory: its id, its domain date and what happened.
///
/// Its serde form is for in-process caches of the current version (the projections' snapshot);
/// what is stored in an event store is the [`crate::stored`] form, which has its own versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The event's id; a [`GebeurtenisIngetrokken`] refers to it.
    pub id: EventId,
    /// The day it happened (which may lie before the day it was recorded).
    pub datum: Datum,
    /// What happened.
    pub data: EventData,
}

/// What happened, one variant per event type of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data")]
// each variant is documented on its payload
pub enum EventData {
    TrajectAangemeld(TrajectAangemeld),
    IntakeAfgerond(IntakeAfgerond),
    CoachToegewezen(CoachToegewezen),
    WerkgeverContactGelegd(WerkgeverContactGelegd),
    PlaatsingGestart(PlaatsingGestart),
    PlaatsingBeeindigd(PlaatsingBeeindigd),
    UrenGewijzigd(UrenGewijzigd),
    WaakvlamIngezet(WaakvlamIngezet),
    Opgeschaald(Opgeschaald),
    TrajectAfgesloten(TrajectAfgesloten),
    TrajectHeropend(TrajectHeropend),
    ActieGepland(ActieGepland),
    GebeurtenisIngetrokken(GebeurtenisIngetrokken),
    PersoonsgegevensGewist(PersoonsgegevensGewist),
}

/// One free-text field of an event as it is held: in clear, or sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VrijeTekst<'a> {
    /// In clear.
    Open(&'a str),
    /// Sealed with the client's key.
    Sealed(&'a Verzegeling),
}

fn vrij<T: AsRef<str>>(veld: &Afgeschermd<T>) -> VrijeTekst<'_> {
    match veld {
        Afgeschermd::Open(t) => VrijeTekst::Open(t.as_ref()),
        Afgeschermd::Sealed(v) => VrijeTekst::Sealed(v),
    }
}

fn seal_field<T: AsRef<str>>(
    naam: &'static str,
    veld: &mut Afgeschermd<T>,
    seal: &mut impl FnMut(&'static str, &str) -> Verzegeling,
) {
    if let Afgeschermd::Open(t) = veld {
        *veld = Afgeschermd::Sealed(seal(naam, t.as_ref()));
    }
}

fn open_field<T>(
    naam: &'static str,
    veld: &mut Afgeschermd<T>,
    parse: fn(&str) -> Result<T, crate::value::ValueError>,
    open: &mut impl FnMut(&'static str, &Verzegeling) -> Option<String>,
) -> bool {
    let Afgeschermd::Sealed(v) = veld else {
        return true;
    };
    match open(naam, v).and_then(|t| parse(&t).ok()) {
        Some(t) => {
            *veld = Afgeschermd::Open(t);
            true
        }
        None => false,
    }
}

impl EventData {
    /// The event's free-text fields that can identify the client, by their stored names.
    pub fn vrije_tekst(&self) -> Vec<(&'static str, VrijeTekst<'_>)> {
        match self {
            EventData::WerkgeverContactGelegd(c) => vec![("werkgever", vrij(&c.werkgever))],
            EventData::PlaatsingGestart(p) => vec![
                ("werkgever", vrij(&p.werkgever)),
                ("functie", vrij(&p.functie)),
            ],
            _ => Vec::new(),
        }
    }

    /// Seals every free-text field still in clear with `seal(field, text)`.
    pub fn seal(&mut self, mut seal: impl FnMut(&'static str, &str) -> Verzegeling) {
        match self {
            EventData::WerkgeverContactGelegd(c) => {
                seal_field("werkgever", &mut c.werkgever, &mut seal);
            }
            EventData::PlaatsingGestart(p) => {
                seal_field("werkgever", &mut p.werkgever, &mut seal);
                seal_field("functie", &mut p.functie, &mut seal);
            }
            _ => {}
        }
    }

    /// Opens every sealed free-text field with `open(field, sealed)`; `false` if one did not
    /// open (the key is gone, or the text is not a valid value of its field).
    pub fn open(
        &mut self,
        mut open: impl FnMut(&'static str, &Verzegeling) -> Option<String>,
    ) -> bool {
        match self {
            EventData::WerkgeverContactGelegd(c) => {
                open_field("werkgever", &mut c.werkgever, Werkgever::parse, &mut open)
            }
            EventData::PlaatsingGestart(p) => {
                let w = open_field("werkgever", &mut p.werkgever, Werkgever::parse, &mut open);
                let f = open_field("functie", &mut p.functie, Functie::parse, &mut open);
                w && f
            }
            _ => true,
        }
    }

    /// The stable type name under which the event is stored.
    pub fn event_type(&self) -> &'static str {
        match self {
            EventData::TrajectAangemeld(_) => "TrajectAangemeld",
            EventData::IntakeAfgerond(_) => "IntakeAfgerond",
            EventData::CoachToegewezen(_) => "CoachToegewezen",
            EventData::WerkgeverContactGelegd(_) => "WerkgeverContactGelegd",
            EventData::PlaatsingGestart(_) => "PlaatsingGestart",
            EventData::PlaatsingBeeindigd(_) => "PlaatsingBeeindigd",
            EventData::UrenGewijzigd(_) => "UrenGewijzigd",
            EventData::WaakvlamIngezet(_) => "WaakvlamIngezet",
            EventData::Opgeschaald(_) => "Opgeschaald",
            EventData::TrajectAfgesloten(_) => "TrajectAfgesloten",
            EventData::TrajectHeropend(_) => "TrajectHeropend",
            EventData::ActieGepland(_) => "ActieGepland",
            EventData::GebeurtenisIngetrokken(_) => "GebeurtenisIngetrokken",
            EventData::PersoonsgegevensGewist(_) => "PersoonsgegevensGewist",
        }
    }
}

/// The client was referred: the first event of every trajectory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrajectAangemeld {
    pub client_id: ClientId,
    pub methode: Methode,
    pub regio: Regio,
    pub organisatie: OrganisatieId,
    pub verwijzer: Verwijzer,
    pub financier: Financier,
}

/// The intake was completed by a coach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeAfgerond {
    pub coach: CoachId,
    pub uitkering: Uitkering,
    pub in_ggz_behandeling: bool,
}

/// Another coach took over the trajectory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoachToegewezen {
    pub coach: CoachId,
}

/// Contact was made with an employer on the client's behalf.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WerkgeverContactGelegd {
    /// The employer organisation (sealed once stored: it can name the client).
    pub werkgever: Afgeschermd<Werkgever>,
    /// Whether the contact was face to face.
    pub persoonlijk: bool,
}

/// The form of an employment contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "vorm", deny_unknown_fields)]
pub enum Contract {
    /// Permanent.
    Vast,
    /// Fixed term, ending on `einddatum` (the last day of the contract).
    Tijdelijk {
        /// The contract's last day.
        einddatum: Datum,
    },
    /// Through a temporary-work agency.
    Uitzend,
    /// On call.
    Oproep,
    /// Self-employed.
    Zelfstandig,
}

impl Contract {
    /// The names of the forms, as stored in `vorm`, in catalogue order.
    pub const VORMEN: [&'static str; 5] = ["Vast", "Tijdelijk", "Uitzend", "Oproep", "Zelfstandig"];

    /// The form's name, as stored in `vorm`.
    pub fn vorm(&self) -> &'static str {
        match self {
            Contract::Vast => "Vast",
            Contract::Tijdelijk { .. } => "Tijdelijk",
            Contract::Uitzend => "Uitzend",
            Contract::Oproep => "Oproep",
            Contract::Zelfstandig => "Zelfstandig",
        }
    }
}

/// A placement in a job started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaatsingGestart {
    /// Identifies the placement within the trajectory.
    pub plaatsing_id: PlaatsingId,
    /// The employer organisation (sealed once stored: it can name the client).
    pub werkgever: Afgeschermd<Werkgever>,
    /// The job title (sealed once stored).
    pub functie: Afgeschermd<Functie>,
    /// Contractual hours per week.
    pub uren_per_week: UrenPerWeek,
    /// The form of the contract.
    pub contract: Contract,
    /// Paid work.
    pub betaald: bool,
    /// Work on the competitive labour market: not beschut werk, not werken met behoud van
    /// uitkering, not volunteering.
    pub regulier: bool,
}

/// A placement ended; its `datum` is the last day of work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaatsingBeeindigd {
    pub plaatsing_id: PlaatsingId,
    pub reden: BeeindigingsReden,
}

/// The contractual hours of a running placement changed, from its `datum` on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UrenGewijzigd {
    /// The placement.
    pub plaatsing_id: PlaatsingId,
    /// The contractual hours per week from the event's date on.
    pub uren_per_week: UrenPerWeek,
}

/// Support went down from intensive to the low-intensity waakvlam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaakvlamIngezet {}

/// Support was scaled up again from waakvlam to intensive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opgeschaald {
    pub reden: OpschalingsReden,
}

/// The trajectory was closed; its `datum` is the last day of measurement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrajectAfgesloten {
    pub reden: AfsluitingsReden,
}

/// A closed trajectory was opened again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrajectHeropend {
    pub reden: HeropeningsReden,
}

/// The coach planned the trajectory's next action; its `datum` is the day it was planned. The
/// latest planned action is the next one until another is planned or the trajectory closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActieGepland {
    /// What kind of action.
    pub actie: ActieSoort,
    /// The day it is planned for (on or after the day it was planned).
    pub op: Datum,
}

/// An earlier event of this stream no longer counts. Mistakes are corrected by retracting and
/// recording again; nothing is ever rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GebeurtenisIngetrokken {
    pub event_id: EventId,
    pub reden: IntrekkingsReden,
}

/// The client's personal data was erased (right to erasure): the marker that the case history
/// stays, anonymous. It counts for nothing in the trajectory's status, may follow any event,
/// also of a closed trajectory, comes at most once and cannot be retracted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersoonsgegevensGewist {
    pub reden: WisReden,
}

//! Given events / when command / then events or error, and builders for the catalogue's events.

use chrono::NaiveDate;
use traject_domain::event::*;
use traject_domain::value::*;
use traject_domain::{Command, CommandKind, DomainError, Event, EventData, Traject, apply, decide};

/// The "today" every scenario is decided on, unless a test says otherwise.
pub const TODAY: &str = "2026-06-30";

pub fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

pub fn datum(text: &str) -> Datum {
    Datum::parse(text).expect("test datum")
}

pub fn new_event_id() -> EventId {
    EventId::new(uuid::Uuid::new_v4()).expect("random uuid is not nil")
}

pub fn new_plaatsing_id() -> PlaatsingId {
    PlaatsingId::new(uuid::Uuid::new_v4()).expect("random uuid is not nil")
}

/// A scenario: the events so far, applied through the domain's own `apply`.
#[derive(Clone)]
pub struct Given {
    pub traject: Traject,
}

pub fn given(events: &[(&str, EventData)]) -> Given {
    let mut traject = Traject::default();
    for (d, data) in events {
        let event = Event {
            id: new_event_id(),
            datum: datum(d),
            data: data.clone(),
        };
        apply(&mut traject, event.clone()).unwrap_or_else(|e| panic!("given event refused: {e}"));
    }
    Given { traject }
}

pub fn nothing() -> Given {
    Given {
        traject: Traject::default(),
    }
}

impl Given {
    /// Records further events (after the given ones) and keeps the ids, for retraction tests.
    pub fn and(mut self, d: &str, data: EventData) -> (Self, EventId) {
        let event = Event {
            id: new_event_id(),
            datum: datum(d),
            data,
        };
        apply(&mut self.traject, event.clone())
            .unwrap_or_else(|e| panic!("given event refused: {e}"));
        (self, event.id)
    }

    /// Decides the command that records `data` on `d`, on the current revision.
    pub fn when(&self, d: &str, data: EventData) -> Then {
        let command = Command {
            event_id: new_event_id(),
            revisie: self.traject.revisie(),
            datum: datum(d),
            kind: command_for(data),
        };
        self.when_command(command)
    }

    pub fn when_command(&self, command: Command) -> Then {
        let expected = Event {
            id: command.event_id,
            datum: command.datum,
            data: command.kind.clone().into_event_data(),
        };
        let result = decide(&self.traject, command, date(TODAY));
        Then {
            traject: self.traject.clone(),
            expected,
            result,
        }
    }
}

pub struct Then {
    traject: Traject,
    expected: Event,
    result: Result<Vec<Event>, DomainError>,
}

impl Then {
    /// The command was accepted and recorded exactly its event, which `apply` takes.
    pub fn accepted(self) -> Traject {
        let events = self
            .result
            .unwrap_or_else(|e| panic!("expected the command to be accepted, refused: {e}"));
        assert_eq!(events, vec![self.expected]);
        let mut traject = self.traject;
        for event in &events {
            apply(&mut traject, event.clone()).expect("an accepted event applies");
        }
        traject
    }

    /// The command was refused; returns why.
    pub fn refused(self) -> DomainError {
        match self.result {
            Ok(events) => panic!("expected a refusal, got {events:?}"),
            Err(e) => e,
        }
    }

    /// The command was refused under the rule with this code.
    pub fn refused_by(self, regel: &str) -> DomainError {
        let error = self.refused();
        assert_eq!(error.regel(), regel, "refused by another rule: {error}");
        error
    }
}

/// The command that records `data`.
pub fn command_for(data: EventData) -> CommandKind {
    match data {
        EventData::TrajectAangemeld(e) => CommandKind::Aanmelden(e),
        EventData::IntakeAfgerond(e) => CommandKind::IntakeAfronden(e),
        EventData::CoachToegewezen(e) => CommandKind::CoachToewijzen(e),
        EventData::WerkgeverContactGelegd(e) => CommandKind::WerkgeverContactLeggen(e),
        EventData::PlaatsingGestart(e) => CommandKind::PlaatsingStarten(e),
        EventData::PlaatsingBeeindigd(e) => CommandKind::PlaatsingBeeindigen(e),
        EventData::UrenGewijzigd(e) => CommandKind::UrenWijzigen(e),
        EventData::WaakvlamIngezet(_) => CommandKind::WaakvlamInzetten,
        EventData::Opgeschaald(e) => CommandKind::Opschalen(e),
        EventData::TrajectAfgesloten(e) => CommandKind::Afsluiten(e),
        EventData::TrajectHeropend(e) => CommandKind::Heropenen(e),
        EventData::ActieGepland(e) => CommandKind::ActiePlannen(e),
        EventData::GebeurtenisIngetrokken(e) => CommandKind::Intrekken(e),
        EventData::PersoonsgegevensGewist(e) => CommandKind::PersoonsgegevensWissen(e),
    }
}

// Builders of the catalogue's events, with plausible defaults.

pub fn aangemeld() -> EventData {
    EventData::TrajectAangemeld(TrajectAangemeld {
        client_id: ClientId::new(uuid::Uuid::new_v4()).unwrap(),
        methode: Methode::Ips,
        regio: Regio::Am03,
        organisatie: OrganisatieId::parse("ggz-drenthe").unwrap(),
        verwijzer: Verwijzer::Ggz,
        financier: Financier::Gemeente,
    })
}

pub fn intake(coach: &str) -> EventData {
    EventData::IntakeAfgerond(IntakeAfgerond {
        coach: CoachId::parse(coach).unwrap(),
        uitkering: Uitkering::Participatiewet,
        in_ggz_behandeling: true,
    })
}

pub fn coach(coach: &str) -> EventData {
    EventData::CoachToegewezen(CoachToegewezen {
        coach: CoachId::parse(coach).unwrap(),
    })
}

pub fn contact() -> EventData {
    EventData::WerkgeverContactGelegd(WerkgeverContactGelegd {
        werkgever: Werkgever::parse("Bakkerij De Korenschoof").unwrap().into(),
        persoonlijk: true,
    })
}

/// A placement with the given hours, contract, paid and regular flags.
pub fn plaatsing_met(
    id: PlaatsingId,
    uren: f64,
    contract: Contract,
    betaald: bool,
    regulier: bool,
) -> EventData {
    EventData::PlaatsingGestart(PlaatsingGestart {
        plaatsing_id: id,
        werkgever: Werkgever::parse("Bakkerij De Korenschoof").unwrap().into(),
        functie: Functie::parse("Medewerker productie").unwrap().into(),
        uren_per_week: UrenPerWeek::from_hours(uren).unwrap(),
        contract,
        betaald,
        regulier,
    })
}

/// A qualifying placement: 24 hours, permanent, paid, regular.
pub fn plaatsing(id: PlaatsingId) -> EventData {
    plaatsing_met(id, 24.0, Contract::Vast, true, true)
}

pub fn beeindigd(id: PlaatsingId) -> EventData {
    EventData::PlaatsingBeeindigd(PlaatsingBeeindigd {
        plaatsing_id: id,
        reden: BeeindigingsReden::OntslagWerknemer,
    })
}

/// The hours of placement `id` changed to `uren` a week.
pub fn uren(id: PlaatsingId, uren: f64) -> EventData {
    EventData::UrenGewijzigd(UrenGewijzigd {
        plaatsing_id: id,
        uren_per_week: UrenPerWeek::from_hours(uren).unwrap(),
    })
}

pub fn waakvlam() -> EventData {
    EventData::WaakvlamIngezet(WaakvlamIngezet {})
}

pub fn opgeschaald() -> EventData {
    EventData::Opgeschaald(Opgeschaald {
        reden: OpschalingsReden::Werkproblemen,
    })
}

pub fn actie(soort: ActieSoort, op: &str) -> EventData {
    EventData::ActieGepland(ActieGepland {
        actie: soort,
        op: datum(op),
    })
}

pub fn afgesloten() -> EventData {
    EventData::TrajectAfgesloten(TrajectAfgesloten {
        reden: AfsluitingsReden::Uitval,
    })
}

pub fn heropend() -> EventData {
    EventData::TrajectHeropend(TrajectHeropend {
        reden: HeropeningsReden::NieuweHulpvraag,
    })
}

pub fn ingetrokken(event_id: EventId) -> EventData {
    EventData::GebeurtenisIngetrokken(GebeurtenisIngetrokken {
        event_id,
        reden: IntrekkingsReden::Invoerfout,
    })
}

pub fn gewist() -> EventData {
    EventData::PersoonsgegevensGewist(PersoonsgegevensGewist {
        reden: WisReden::VerzoekClient,
    })
}

/// A referred trajectory with a completed intake, the start of most scenarios.
pub fn met_intake() -> Given {
    given(&[
        ("2024-01-02", aangemeld()),
        ("2024-01-10", intake("coach-anna")),
    ])
}

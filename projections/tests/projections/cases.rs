//! Hand-made cases: quarter boundaries, duurzaam across a boundary, a closed and reopened
//! trajectory, and a retraction that changes a past quarter.

use traject_domain::event::*;
use traject_domain::value::*;
use traject_domain::{Event, EventData};
use traject_projections::ReadModel;
use traject_projections::cijfers::{Cel, Cijfers, Kwartaal, Periode, regiocijfers};

use crate::helpers::{date, model_of};

pub fn id() -> EventId {
    EventId::new(uuid::Uuid::now_v7()).unwrap()
}

pub fn ev(datum: &str, data: EventData) -> Event {
    Event {
        id: id(),
        datum: Datum::parse(datum).unwrap(),
        data,
    }
}

pub fn aangemeld() -> EventData {
    EventData::TrajectAangemeld(TrajectAangemeld {
        client_id: ClientId::new(uuid::Uuid::now_v7()).unwrap(),
        methode: Methode::Ips,
        regio: Regio::Am03,
        organisatie: OrganisatieId::parse("org-a").unwrap(),
        verwijzer: Verwijzer::Ggz,
        financier: Financier::Gemeente,
    })
}

pub fn intake() -> EventData {
    EventData::IntakeAfgerond(IntakeAfgerond {
        coach: CoachId::parse("coach-a").unwrap(),
        uitkering: Uitkering::Wia,
        in_ggz_behandeling: true,
    })
}

pub fn plaatsing(p: PlaatsingId) -> EventData {
    EventData::PlaatsingGestart(PlaatsingGestart {
        plaatsing_id: p,
        werkgever: Werkgever::parse("Bakkerij").unwrap().into(),
        functie: Functie::parse("Bakker").unwrap().into(),
        uren_per_week: UrenPerWeek::from_hours(24.0).unwrap(),
        contract: Contract::Vast,
        betaald: true,
        regulier: true,
    })
}

pub fn afgesloten(reden: AfsluitingsReden) -> EventData {
    EventData::TrajectAfgesloten(TrajectAfgesloten { reden })
}

pub fn traject(events: Vec<Event>) -> (TrajectId, Vec<Event>) {
    (TrajectId::new(uuid::Uuid::now_v7()).unwrap(), events)
}

fn cel(model: &ReadModel, peildatum: &str, periode: &str) -> Cijfers {
    let cellen = regiocijfers(
        model,
        date(peildatum),
        "2023Q1".parse().unwrap(),
        "2026Q4".parse().unwrap(),
    );
    let periode = if periode.contains('Q') {
        Periode::Kwartaal(periode.parse::<Kwartaal>().unwrap())
    } else {
        Periode::Jaar(periode.parse().unwrap())
    };
    cellen
        .get(&Cel {
            regio: Some(Regio::Am03),
            periode,
            methode: Some(Methode::Ips),
        })
        .cloned()
        .unwrap_or_default()
}

#[test]
fn quarter_boundaries() {
    let model = model_of(&[
        traject(vec![
            ev("2024-03-31", aangemeld()),
            ev("2024-03-31", afgesloten(AfsluitingsReden::GeenWerkwens)),
        ]),
        traject(vec![
            ev("2024-03-31", aangemeld()),
            ev("2024-04-01", afgesloten(AfsluitingsReden::Uitval)),
        ]),
        traject(vec![ev("2024-04-01", aangemeld())]),
    ]);
    let q1 = cel(&model, "2024-12-31", "2024Q1");
    assert_eq!(q1.aangemeld, 2);
    assert_eq!(
        q1.lopend, 1,
        "closed on the quarter's last day is no longer open at its end"
    );
    assert_eq!(q1.afgesloten.get(&AfsluitingsReden::GeenWerkwens), Some(&1));
    let q2 = cel(&model, "2024-12-31", "2024Q2");
    assert_eq!(q2.aangemeld, 1);
    assert_eq!(q2.lopend, 1);
    assert_eq!(q2.afgesloten.get(&AfsluitingsReden::Uitval), Some(&1));
    let jaar = cel(&model, "2024-12-31", "2024");
    assert_eq!((jaar.aangemeld, jaar.lopend), (3, 1));
}

#[test]
fn duurzaam_reached_across_a_quarter_boundary_counts_when_time_has_passed() {
    let p = PlaatsingId::new(uuid::Uuid::now_v7()).unwrap();
    let model = model_of(&[traject(vec![
        ev("2023-12-01", aangemeld()),
        ev("2023-12-05", intake()),
        ev("2024-01-15", plaatsing(p)),
    ])]);
    // Started in Q1, duurzaam on 14 July (Q3), without any new event.
    assert_eq!(cel(&model, "2024-06-30", "2024Q1").eerste_plaatsing, 1);
    assert_eq!(
        cel(&model, "2024-06-30", "2024Q3"),
        Cijfers::default(),
        "Q3 is not computed yet"
    );
    assert_eq!(cel(&model, "2024-07-13", "2024Q3").duurzaam_bereikt, 0);
    assert_eq!(cel(&model, "2024-07-14", "2024Q3").duurzaam_bereikt, 1);
    assert_eq!(cel(&model, "2024-09-30", "2024Q3").met_betaald_werk, 1);
    assert_eq!(cel(&model, "2025-06-30", "2024").duurzaam_bereikt, 1);
}

#[test]
fn a_closed_and_reopened_trajectory() {
    let model = model_of(&[traject(vec![
        ev("2024-01-10", aangemeld()),
        ev("2024-02-10", afgesloten(AfsluitingsReden::Uitval)),
        ev(
            "2024-05-01",
            EventData::TrajectHeropend(TrajectHeropend {
                reden: HeropeningsReden::NieuweHulpvraag,
            }),
        ),
    ])]);
    let q1 = cel(&model, "2024-12-31", "2024Q1");
    assert_eq!(
        (q1.lopend, q1.afgesloten.get(&AfsluitingsReden::Uitval)),
        (0, Some(&1))
    );
    let q2 = cel(&model, "2024-12-31", "2024Q2");
    assert_eq!((q2.lopend, q2.afgesloten.len()), (1, 0));
    let jaar = cel(&model, "2024-12-31", "2024");
    assert_eq!((jaar.lopend, jaar.aangemeld), (1, 1));
}

#[test]
fn a_retraction_changes_a_past_quarter() {
    let p = PlaatsingId::new(uuid::Uuid::now_v7()).unwrap();
    let start = ev("2024-02-01", plaatsing(p));
    let mut events = vec![
        ev("2024-01-10", aangemeld()),
        ev("2024-01-12", intake()),
        start.clone(),
    ];
    let before = model_of(&[(
        TrajectId::new(uuid::Uuid::now_v7()).unwrap(),
        events.clone(),
    )]);
    assert_eq!(cel(&before, "2024-12-31", "2024Q1").eerste_plaatsing, 1);
    assert_eq!(cel(&before, "2024-12-31", "2024Q3").duurzaam_bereikt, 1);
    events.push(ev(
        "2024-11-01",
        EventData::GebeurtenisIngetrokken(GebeurtenisIngetrokken {
            event_id: start.id,
            reden: IntrekkingsReden::Invoerfout,
        }),
    ));
    let after = model_of(&[(TrajectId::new(uuid::Uuid::now_v7()).unwrap(), events)]);
    assert_eq!(cel(&after, "2024-12-31", "2024Q1").eerste_plaatsing, 0);
    assert_eq!(cel(&after, "2024-12-31", "2024Q3").duurzaam_bereikt, 0);
}

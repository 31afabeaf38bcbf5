//! Retraction: the state is the fold of the remaining events, and a retraction that would leave
//! an invalid history is refused.

use traject_domain::DomainError;
use traject_domain::event::EventData;

use crate::harness::*;

#[test]
fn a_retracted_event_no_longer_counts() {
    let p = new_plaatsing_id();
    let (g, start) = met_intake().and("2024-02-01", plaatsing(p));
    let t = g.when("2024-02-10", ingetrokken(start)).accepted();
    let toestand = t.toestand().unwrap();
    assert!(toestand.plaatsingen.is_empty());
    assert!(t.is_ingetrokken(start));
    assert_eq!(
        t.events().len(),
        4,
        "nothing is rewritten: all events remain"
    );
    assert_eq!(t.revisie(), Some(3));
}

#[test]
fn a_retracted_placement_can_be_recorded_again_with_its_id() {
    let p = new_plaatsing_id();
    let (g, start) = met_intake().and("2024-02-01", plaatsing(p));
    let (g, _) = g.and("2024-02-10", ingetrokken(start));
    g.when("2024-02-03", plaatsing(p)).accepted();
}

#[test]
fn retracting_a_start_whose_end_remains_is_refused() {
    let p = new_plaatsing_id();
    let (g, start) = met_intake().and("2024-02-01", plaatsing(p));
    let (g, _) = g.and("2024-03-01", beeindigd(p));
    let error = g
        .when("2024-03-02", ingetrokken(start))
        .refused_by("intrekking_maakt_geschiedenis_ongeldig");
    match error {
        DomainError::IntrekkingMaaktGeschiedenisOngeldig { event_id, reden } => {
            assert_eq!(event_id, start);
            assert_eq!(*reden, DomainError::PlaatsingOnbekend(p));
        }
        other => panic!("unexpected {other}"),
    }
}

#[test]
fn retracting_the_intake_under_later_events_is_refused() {
    let g = met_intake();
    let intake_id = g.traject.events()[1].id;
    let (g, _) = g.and("2024-01-20", contact());
    g.when("2024-01-21", ingetrokken(intake_id))
        .refused_by("intrekking_maakt_geschiedenis_ongeldig");
}

#[test]
fn retracting_an_unknown_event_or_twice_is_refused() {
    met_intake()
        .when("2024-01-21", ingetrokken(new_event_id()))
        .refused_by("gebeurtenis_onbekend");
    let (g, contact_id) = met_intake().and("2024-01-20", contact());
    let (g, _) = g.and("2024-01-21", ingetrokken(contact_id));
    g.when("2024-01-22", ingetrokken(contact_id))
        .refused_by("al_ingetrokken");
}

#[test]
fn a_retraction_is_not_retracted() {
    let (g, contact_id) = met_intake().and("2024-01-20", contact());
    let (g, retraction) = g.and("2024-01-21", ingetrokken(contact_id));
    g.when("2024-01-22", ingetrokken(retraction))
        .refused_by("intrekking_van_intrekking");
}

#[test]
fn a_mistaken_closing_is_retracted_while_closed_but_nothing_else_is() {
    let (g, contact_id) = met_intake().and("2024-01-20", contact());
    let (g, closing) = g.and("2024-02-01", afgesloten());
    g.when("2024-02-02", ingetrokken(contact_id))
        .refused_by("traject_afgesloten");
    let t = g.when("2024-02-02", ingetrokken(closing)).accepted();
    assert!(t.toestand().unwrap().is_open());
}

#[test]
fn retracting_waakvlam_restores_intensive_support_and_refuses_a_dependent_opschaling() {
    let p = new_plaatsing_id();
    let (g, _) = met_intake().and("2024-02-01", plaatsing(p));
    let (g, waakvlam_id) = g.and("2024-05-01", waakvlam());
    let t = g.when("2024-05-02", ingetrokken(waakvlam_id)).accepted();
    assert_eq!(
        t.toestand().unwrap().ondersteuning,
        traject_domain::traject::Ondersteuning::Intensief
    );
    let (g, _) = g.and("2024-06-01", opgeschaald());
    g.when("2024-06-02", ingetrokken(waakvlam_id))
        .refused_by("intrekking_maakt_geschiedenis_ongeldig");
}

#[test]
fn replaying_the_stream_gives_the_same_state() {
    let p = new_plaatsing_id();
    let (g, start) = met_intake().and("2024-02-01", plaatsing(p));
    let (g, _) = g.and("2024-02-02", ingetrokken(start));
    let (g, _) = g.and("2024-02-03", plaatsing(p));
    let replayed = traject_domain::Traject::from_events(g.traject.events()).unwrap();
    assert_eq!(replayed, g.traject);
    assert!(matches!(
        replayed.events().last().unwrap().data,
        EventData::PlaatsingGestart(_)
    ));
}

/// The aanmelding starts the trajectory: retracting it is refused with its own rule, also when
/// nothing followed it (before, that retraction was stored and left a stream that no longer read
/// as a trajectory). A trajectory that does not go on is closed.
#[test]
fn the_aanmelding_cannot_be_retracted() {
    let (g, aanmelding) = nothing().and("2024-01-01", aangemeld());
    let error = g
        .when("2024-01-02", ingetrokken(aanmelding))
        .refused_by("aanmelding_niet_intrekbaar");
    assert_eq!(error.veld(), Some("event_id"));
    let (g, _) = g.and("2024-01-10", intake("coach-1"));
    g.when("2024-01-11", ingetrokken(aanmelding))
        .refused_by("aanmelding_niet_intrekbaar");
}

/// The rule is one of deciding, not of the replay: a stream in which an earlier version stored
/// the retraction of a bare aanmelding still replays, so the read models do not stop on it.
#[test]
fn a_stream_with_a_retracted_aanmelding_from_an_earlier_version_still_replays() {
    let (g, aanmelding) = nothing().and("2024-01-01", aangemeld());
    let (g, _) = g.and("2024-01-02", ingetrokken(aanmelding));
    assert_eq!(g.traject.events().len(), 2);
}

//! The erasure marker: it may follow anything, comes once, cannot be retracted and changes
//! nothing else about the trajectory.

use crate::harness::*;

#[test]
fn an_erasure_marker_is_accepted_on_an_open_trajectory_and_changes_nothing_else() {
    let voor = met_intake().traject;
    let na = met_intake().when("2024-03-01", gewist()).accepted();
    let (voor, na) = (voor.toestand().unwrap(), na.toestand().unwrap());
    assert_eq!(na.gewist, Some(datum("2024-03-01")));
    assert_eq!(na.laatste_datum, voor.laatste_datum);
    assert_eq!(na.coach, voor.coach);
    assert!(na.is_open());
}

#[test]
fn an_erasure_marker_is_accepted_on_a_closed_trajectory() {
    let (g, _) = met_intake().and("2024-02-01", afgesloten());
    let t = g.when("2024-03-01", gewist()).accepted();
    assert!(!t.toestand().unwrap().is_open());
}

#[test]
fn an_erasure_marker_needs_an_aanmelding() {
    nothing()
        .when("2024-03-01", gewist())
        .refused_by("niet_aangemeld");
}

#[test]
fn a_client_is_erased_once() {
    let (g, _) = met_intake().and("2024-03-01", gewist());
    g.when("2024-03-02", gewist()).refused_by("al_gewist");
}

#[test]
fn an_erasure_cannot_be_retracted() {
    let (g, marker) = met_intake().and("2024-03-01", gewist());
    let error = g
        .when("2024-03-02", ingetrokken(marker))
        .refused_by("wissing_niet_intrekbaar");
    assert_eq!(error.veld(), Some("event_id"));
}

#[test]
fn closing_after_an_erasure_is_dated_by_the_trajectory_not_by_the_marker() {
    let (g, _) = met_intake().and("2024-06-01", gewist());
    g.when("2024-02-01", afgesloten()).accepted();
}

#[test]
fn a_retraction_after_an_erasure_replays_with_the_marker() {
    let p = new_plaatsing_id();
    let (g, start) = met_intake().and("2024-02-01", plaatsing(p));
    let (g, _) = g.and("2024-03-01", gewist());
    let t = g.when("2024-03-02", ingetrokken(start)).accepted();
    assert_eq!(t.toestand().unwrap().gewist, Some(datum("2024-03-01")));
}

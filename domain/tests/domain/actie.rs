//! The next action (`ActieGepland`): planned on or after the day it is planned and at most a year
//! ahead, the latest planned is the next one, a closing clears it, a retraction takes it back,
//! and it changes nothing of what duurzaam or the phase measure.

use traject_domain::value::ActieSoort;
use traject_domain::{DuurzaamBeleid, status};

use crate::harness::*;

fn basis() -> Given {
    given(&[
        ("2026-01-05", aangemeld()),
        ("2026-01-12", intake("coach-anna")),
    ])
}

#[test]
fn an_action_is_planned_for_a_later_day_and_becomes_the_next_action() {
    let t = basis()
        .when(
            "2026-06-01",
            actie(ActieSoort::Werkgeverscontact, "2026-07-15"),
        )
        .accepted();
    let s = status(&t, date("2026-06-30"), &DuurzaamBeleid::v2()).unwrap();
    let volgende = s.volgende_actie.expect("a next action");
    assert_eq!(volgende.actie.actie, ActieSoort::Werkgeverscontact);
    assert_eq!(volgende.actie.op, datum("2026-07-15"));
    assert_eq!(volgende.gepland, datum("2026-06-01"));
    // Before it was planned there was none.
    let eerder = status(&t, date("2026-05-31"), &DuurzaamBeleid::v2()).unwrap();
    assert_eq!(eerder.volgende_actie, None);
}

#[test]
fn an_action_for_the_same_day_is_allowed_an_earlier_day_or_beyond_a_year_is_not() {
    basis()
        .when("2026-06-01", actie(ActieSoort::Gesprek, "2026-06-01"))
        .accepted();
    let fout = basis()
        .when("2026-06-01", actie(ActieSoort::Gesprek, "2026-05-31"))
        .refused_by("actie_voor_planning");
    assert_eq!(fout.veld(), Some("op"));
    // 366 days ahead is the furthest (a leap year's length).
    basis()
        .when("2026-06-01", actie(ActieSoort::Evaluatie, "2027-06-02"))
        .accepted();
    let fout = basis()
        .when("2026-06-01", actie(ActieSoort::Evaluatie, "2027-06-03"))
        .refused_by("actie_te_ver_vooruit");
    assert_eq!(fout.veld(), Some("op"));
}

#[test]
fn the_latest_planned_action_is_the_next_one_and_a_retraction_brings_back_the_one_before() {
    let (g, _) = basis().and("2026-03-01", actie(ActieSoort::Gesprek, "2026-03-10"));
    let (g, tweede) = g.and(
        "2026-03-10",
        actie(ActieSoort::AfstemmingBehandelaar, "2026-04-01"),
    );
    let volgende = |t: &traject_domain::Traject| {
        status(t, date("2026-06-30"), &DuurzaamBeleid::v2())
            .unwrap()
            .volgende_actie
            .map(|v| v.actie.actie)
    };
    assert_eq!(
        volgende(&g.traject),
        Some(ActieSoort::AfstemmingBehandelaar)
    );
    let t = g.when("2026-03-11", ingetrokken(tweede)).accepted();
    assert_eq!(volgende(&t), Some(ActieSoort::Gesprek));
}

#[test]
fn a_closing_clears_the_next_action_and_a_closed_trajectory_plans_nothing() {
    let (g, _) = basis().and("2026-03-01", actie(ActieSoort::Gesprek, "2026-03-10"));
    let (g, _) = g.and("2026-03-05", afgesloten());
    let s = status(&g.traject, date("2026-06-30"), &DuurzaamBeleid::v2()).unwrap();
    assert_eq!(s.volgende_actie, None);
    g.when("2026-03-06", actie(ActieSoort::Gesprek, "2026-03-20"))
        .refused_by("traject_afgesloten");
    // After a heropening none is planned until the coach plans one.
    let (g, _) = g.and("2026-04-01", heropend());
    let s = status(&g.traject, date("2026-06-30"), &DuurzaamBeleid::v2()).unwrap();
    assert_eq!(s.volgende_actie, None);
}

#[test]
fn planning_changes_neither_the_phase_nor_duurzaam() {
    let zonder = basis().traject;
    let met = basis()
        .when(
            "2026-02-01",
            actie(ActieSoort::Werkgeverscontact, "2026-02-10"),
        )
        .accepted();
    for beleid in [DuurzaamBeleid::v1(), DuurzaamBeleid::v2()] {
        let a = status(&zonder, date("2026-06-30"), &beleid).unwrap();
        let b = status(&met, date("2026-06-30"), &beleid).unwrap();
        assert_eq!(a.fase, b.fase);
        assert_eq!(a.duurzaam_bereikt_op, b.duurzaam_bereikt_op);
        assert_eq!(a.werk_sinds, b.werk_sinds);
    }
}

#[test]
fn a_planned_action_before_the_intake_is_allowed_it_is_how_an_intake_gets_planned() {
    given(&[("2026-01-05", aangemeld())])
        .when("2026-01-05", actie(ActieSoort::Gesprek, "2026-01-12"))
        .accepted();
}

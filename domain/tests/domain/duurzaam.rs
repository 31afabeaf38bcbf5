//! The duurzaam rule on hand-computed cases, and the status on a peildatum.

use traject_domain::event::Contract;
use traject_domain::{DuurzaamBeleid, Fase, Status, Telwijze, Traject, status};

use crate::harness::*;

fn on(traject: &Traject, peildatum: &str) -> Status {
    status(traject, date(peildatum), &DuurzaamBeleid::default()).expect("referred by then")
}

fn duurzaam_op(traject: &Traject, peildatum: &str) -> Option<String> {
    on(traject, peildatum)
        .duurzaam_bereikt_op
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// Referred and intake in 2022, so that every placement below may start when it likes.
fn traject(events: &[(&str, traject_domain::EventData)]) -> Traject {
    let mut all = vec![
        ("2022-01-03", aangemeld()),
        ("2022-01-10", intake("coach-anna")),
    ];
    all.extend(events.iter().cloned());
    given(&all).traject
}

#[test]
fn six_calendar_months_from_the_first_of_the_month() {
    let t = traject(&[("2024-01-01", plaatsing(new_plaatsing_id()))]);
    assert_eq!(duurzaam_op(&t, "2024-06-29"), None);
    assert_eq!(duurzaam_op(&t, "2024-06-30").as_deref(), Some("2024-06-30"));
    assert_eq!(duurzaam_op(&t, "2025-01-01").as_deref(), Some("2024-06-30"));
}

#[test]
fn thirty_first_of_august_plus_six_months_is_the_end_of_february() {
    let leap = traject(&[("2023-08-31", plaatsing(new_plaatsing_id()))]);
    assert_eq!(duurzaam_op(&leap, "2024-02-28"), None);
    assert_eq!(
        duurzaam_op(&leap, "2024-02-29").as_deref(),
        Some("2024-02-29")
    );
    let common = traject(&[("2024-08-31", plaatsing(new_plaatsing_id()))]);
    assert_eq!(duurzaam_op(&common, "2025-02-27"), None);
    assert_eq!(
        duurzaam_op(&common, "2025-02-28").as_deref(),
        Some("2025-02-28")
    );
}

#[test]
fn a_fixed_term_contract_of_exactly_six_months_is_enough() {
    let p = plaatsing_met(
        new_plaatsing_id(),
        24.0,
        Contract::Tijdelijk {
            einddatum: datum("2024-06-30"),
        },
        true,
        true,
    );
    let t = traject(&[("2024-01-01", p)]);
    assert_eq!(duurzaam_op(&t, "2024-12-31").as_deref(), Some("2024-06-30"));
    // The contract's end counts as the end of work even without a PlaatsingBeeindigd.
    let later = on(&t, "2024-07-15");
    assert!(later.lopende_plaatsingen.is_empty());
    assert_eq!(later.fase, Fase::Zoekend);
}

#[test]
fn a_job_to_job_gap_of_28_days_continues_and_29_days_restarts() {
    // A ends on 31 January 2023; February 2023 has 28 days.
    let (a, b) = (new_plaatsing_id(), new_plaatsing_id());
    let gap_28 = traject(&[
        ("2023-01-01", plaatsing(a)),
        ("2023-01-31", beeindigd(a)),
        ("2023-03-01", plaatsing(b)),
    ]);
    assert_eq!(
        duurzaam_op(&gap_28, "2023-12-31").as_deref(),
        Some("2023-06-30")
    );
    let s = on(&gap_28, "2023-03-01");
    assert_eq!(s.werk_sinds, Some(date("2023-01-01")));

    let (a, b) = (new_plaatsing_id(), new_plaatsing_id());
    let gap_29 = traject(&[
        ("2023-01-01", plaatsing(a)),
        ("2023-01-31", beeindigd(a)),
        ("2023-03-02", plaatsing(b)),
    ]);
    assert_eq!(duurzaam_op(&gap_29, "2023-08-31"), None);
    assert_eq!(
        duurzaam_op(&gap_29, "2023-09-01").as_deref(),
        Some("2023-09-01")
    );
    assert_eq!(
        on(&gap_29, "2023-03-02").werk_sinds,
        Some(date("2023-03-02"))
    );
}

#[test]
fn during_a_gap_the_run_is_alive_for_28_days() {
    let a = new_plaatsing_id();
    let t = traject(&[("2023-01-01", plaatsing(a)), ("2023-01-31", beeindigd(a))]);
    assert_eq!(on(&t, "2023-02-28").werk_sinds, Some(date("2023-01-01")));
    assert_eq!(on(&t, "2023-03-01").werk_sinds, None);
    assert_eq!(on(&t, "2023-03-01").dagen_ononderbroken_werk, 0);
}

#[test]
fn when_the_threshold_falls_in_a_gap_duurzaam_is_reached_on_the_next_working_day() {
    let (a, b) = (new_plaatsing_id(), new_plaatsing_id());
    let t = traject(&[
        ("2024-01-01", plaatsing(a)),
        ("2024-06-20", beeindigd(a)),
        ("2024-07-05", plaatsing(b)),
    ]);
    assert_eq!(duurzaam_op(&t, "2024-07-04"), None);
    assert_eq!(duurzaam_op(&t, "2024-07-05").as_deref(), Some("2024-07-05"));
}

#[test]
fn eleven_and_a_half_hours_do_not_qualify_twelve_do() {
    let t = traject(&[(
        "2024-01-01",
        plaatsing_met(new_plaatsing_id(), 11.5, Contract::Vast, true, true),
    )]);
    assert_eq!(duurzaam_op(&t, "2025-06-30"), None);
    assert_eq!(on(&t, "2024-03-01").fase, Fase::Geplaatst);
    assert_eq!(on(&t, "2024-03-01").dagen_ononderbroken_werk, 0);
    let t = traject(&[(
        "2024-01-01",
        plaatsing_met(new_plaatsing_id(), 12.0, Contract::Vast, true, true),
    )]);
    assert_eq!(duurzaam_op(&t, "2024-06-30").as_deref(), Some("2024-06-30"));
}

#[test]
fn unpaid_or_non_regular_work_does_not_qualify() {
    for (betaald, regulier) in [(false, true), (true, false)] {
        let t = traject(&[(
            "2024-01-01",
            plaatsing_met(new_plaatsing_id(), 32.0, Contract::Vast, betaald, regulier),
        )]);
        assert_eq!(
            duurzaam_op(&t, "2025-06-30"),
            None,
            "betaald {betaald} regulier {regulier}"
        );
    }
}

#[test]
fn closing_before_six_months_stops_the_measurement() {
    let t = traject(&[
        ("2024-01-01", plaatsing(new_plaatsing_id())),
        ("2024-05-31", afgesloten()),
    ]);
    let s = on(&t, "2024-12-31");
    assert_eq!(s.duurzaam_bereikt_op, None);
    assert_eq!(s.fase, Fase::Afgesloten);
    assert_eq!(s.werk_sinds, None);
}

#[test]
fn closing_on_the_day_duurzaam_is_reached_still_counts_that_day() {
    let t = traject(&[
        ("2024-01-01", plaatsing(new_plaatsing_id())),
        ("2024-06-30", afgesloten()),
    ]);
    assert_eq!(duurzaam_op(&t, "2024-12-31").as_deref(), Some("2024-06-30"));
}

#[test]
fn a_short_closed_period_is_a_gap_like_any_other() {
    let t = traject(&[
        ("2024-01-01", plaatsing(new_plaatsing_id())),
        ("2024-03-31", afgesloten()),
        ("2024-04-10", heropend()),
    ]);
    assert_eq!(on(&t, "2024-04-10").werk_sinds, Some(date("2024-01-01")));
    assert_eq!(duurzaam_op(&t, "2024-06-30").as_deref(), Some("2024-06-30"));
}

#[test]
fn two_overlapping_placements_of_which_one_ends() {
    let (a, b) = (new_plaatsing_id(), new_plaatsing_id());
    let t = traject(&[
        ("2024-01-01", plaatsing(a)),
        ("2024-02-01", plaatsing(b)),
        ("2024-03-31", beeindigd(b)),
    ]);
    assert_eq!(duurzaam_op(&t, "2024-06-30").as_deref(), Some("2024-06-30"));
    assert_eq!(on(&t, "2024-03-15").lopende_plaatsingen.len(), 2);
    assert_eq!(on(&t, "2024-04-01").lopende_plaatsingen, vec![a]);

    let (a, b) = (new_plaatsing_id(), new_plaatsing_id());
    let handover = traject(&[
        ("2024-01-01", plaatsing(a)),
        ("2024-03-01", plaatsing(b)),
        ("2024-04-30", beeindigd(a)),
    ]);
    assert_eq!(
        duurzaam_op(&handover, "2024-06-30").as_deref(),
        Some("2024-06-30")
    );
}

/// "Dagen werk" counts the days worked in the current run, not the gap between two jobs that
/// the run allows: on the day after a contract ended it stays at the days worked, and the next
/// job adds its own days.
#[test]
fn days_of_work_do_not_grow_in_a_gap_between_jobs() {
    let (a, b) = (new_plaatsing_id(), new_plaatsing_id());
    let (g, _) = met_intake().and("2024-02-01", plaatsing(a));
    let (g, _) = g.and("2024-03-01", beeindigd(a));
    let (g, _) = g.and("2024-03-15", plaatsing(b));
    let t = g.traject;
    // February 1 to March 1 worked (the ending's date is the last day of work): 30 days.
    assert_eq!(on(&t, "2024-02-29").dagen_ononderbroken_werk, 29);
    let werkdagen = 30;
    assert_eq!(on(&t, "2024-03-01").dagen_ononderbroken_werk, werkdagen);
    assert_eq!(on(&t, "2024-03-02").dagen_ononderbroken_werk, werkdagen);
    assert_eq!(on(&t, "2024-03-14").dagen_ononderbroken_werk, werkdagen);
    assert_eq!(on(&t, "2024-03-15").dagen_ononderbroken_werk, werkdagen + 1);
    assert_eq!(on(&t, "2024-03-14").werk_sinds, Some(date("2024-02-01")));
}

#[test]
fn a_retracted_placement_does_not_count() {
    let p = new_plaatsing_id();
    let (g, start) = met_intake().and("2024-02-01", plaatsing(p));
    let (g, _) = g.and("2024-02-05", ingetrokken(start));
    let s = on(&g.traject, "2024-12-31");
    assert_eq!(s.duurzaam_bereikt_op, None);
    assert_eq!(s.dagen_ononderbroken_werk, 0);
    assert_eq!(s.fase, Fase::Zoekend);
}

#[test]
fn the_status_before_and_after_the_duurzaam_date() {
    let t = traject(&[("2024-01-01", plaatsing(new_plaatsing_id()))]);
    let before = on(&t, "2024-03-01");
    assert_eq!(before.fase, Fase::Geplaatst);
    assert_eq!(before.werk_sinds, Some(date("2024-01-01")));
    assert_eq!(before.dagen_ononderbroken_werk, 61); // 31 + 29 + 1
    assert_eq!(before.duurzaam_vanaf, Some(date("2024-06-30")));
    assert_eq!(before.duurzaam_bereikt_op, None);
    assert_eq!(before.beleid, "duurzaam-v2");
    let after = on(&t, "2024-07-01");
    assert_eq!(after.duurzaam_bereikt_op, Some(date("2024-06-30")));
}

#[test]
fn once_reached_duurzaam_stays_when_the_job_ends() {
    let p = new_plaatsing_id();
    let t = traject(&[("2024-01-01", plaatsing(p)), ("2024-08-31", beeindigd(p))]);
    let s = on(&t, "2025-03-01");
    assert_eq!(s.duurzaam_bereikt_op, Some(date("2024-06-30")));
    assert_eq!(s.fase, Fase::Zoekend);
    assert_eq!(s.werk_sinds, None);
}

#[test]
fn the_phase_follows_the_trajectory() {
    let p = new_plaatsing_id();
    let t = traject(&[
        ("2024-01-01", plaatsing(p)),
        ("2024-03-01", waakvlam()),
        ("2024-04-01", opgeschaald()),
        ("2024-05-01", afgesloten()),
    ]);
    assert!(status(&t, date("2022-01-02"), &DuurzaamBeleid::default()).is_none());
    assert_eq!(on(&t, "2022-01-03").fase, Fase::Aangemeld);
    assert_eq!(on(&t, "2022-01-10").fase, Fase::Zoekend);
    assert_eq!(on(&t, "2024-01-01").fase, Fase::Geplaatst);
    assert_eq!(on(&t, "2024-03-01").fase, Fase::Waakvlam);
    assert_eq!(on(&t, "2024-04-01").fase, Fase::Geplaatst);
    assert_eq!(on(&t, "2024-05-01").fase, Fase::Afgesloten);
}

#[test]
fn events_recorded_late_count_from_their_own_date() {
    // The end is recorded after a contact that happened later.
    let p = new_plaatsing_id();
    let t = traject(&[
        ("2024-01-01", plaatsing(p)),
        ("2024-03-10", contact()),
        ("2024-02-29", beeindigd(p)),
    ]);
    assert_eq!(on(&t, "2024-02-15").fase, Fase::Geplaatst);
    assert_eq!(on(&t, "2024-03-01").fase, Fase::Zoekend);
}

#[test]
fn a_policy_with_other_thresholds_states_its_own_version() {
    use traject_domain::value::UrenPerWeek;
    let beleid = DuurzaamBeleid::new(
        "proef-3m",
        UrenPerWeek::from_hours(8.0).unwrap(),
        3,
        14,
        Telwijze::PerPlaatsing,
    )
    .unwrap();
    let t = traject(&[(
        "2024-01-01",
        plaatsing_met(new_plaatsing_id(), 8.0, Contract::Vast, true, true),
    )]);
    let s = status(&t, date("2024-04-01"), &beleid).unwrap();
    assert_eq!(s.beleid, "proef-3m");
    assert_eq!(s.duurzaam_bereikt_op, Some(date("2024-03-31")));
    assert!(
        DuurzaamBeleid::new(
            "x",
            UrenPerWeek::from_hours(8.0).unwrap(),
            0,
            14,
            Telwijze::Opgeteld
        )
        .is_err()
    );
    assert!(
        DuurzaamBeleid::new(
            "",
            UrenPerWeek::from_hours(8.0).unwrap(),
            6,
            14,
            Telwijze::Opgeteld
        )
        .is_err()
    );
}

//! Duurzaam policy v2 on hand-computed cases: the hours of concurrent paid, regular placements
//! add up, and a change of hours (`UrenGewijzigd`) moves the run of qualifying work; v1 on the
//! same events, for contrast; and the rules of a change of hours.

use traject_domain::event::Contract;
use traject_domain::value::AfsluitingsReden;
use traject_domain::{DuurzaamBeleid, Status, Traject, afsluiting_klopt, status};

use crate::harness::*;

fn on(traject: &Traject, peildatum: &str, beleid: &DuurzaamBeleid) -> Status {
    status(traject, date(peildatum), beleid).expect("referred by then")
}

fn duurzaam(traject: &Traject, peildatum: &str, beleid: &DuurzaamBeleid) -> Option<String> {
    on(traject, peildatum, beleid)
        .duurzaam_bereikt_op
        .map(|d| d.format("%Y-%m-%d").to_string())
}

fn traject(events: &[(&str, traject_domain::EventData)]) -> Traject {
    let mut all = vec![
        ("2023-01-02", aangemeld()),
        ("2023-01-09", intake("coach-anna")),
    ];
    all.extend(events.iter().cloned());
    given(&all).traject
}

fn klein(id: traject_domain::value::PlaatsingId, uren: f64) -> traject_domain::EventData {
    plaatsing_met(id, uren, Contract::Vast, true, true)
}

#[test]
fn two_jobs_of_8_hours_count_together_from_the_day_the_second_starts() {
    let (a, b) = (new_plaatsing_id(), new_plaatsing_id());
    let t = traject(&[("2024-01-01", klein(a, 8.0)), ("2024-02-01", klein(b, 8.0))]);
    let v2 = DuurzaamBeleid::v2();
    // 16 hours from 1 February; six calendar months end on 31 July.
    let s = on(&t, "2024-03-01", &v2);
    assert_eq!(s.werk_sinds, Some(date("2024-02-01")));
    assert_eq!(s.dagen_ononderbroken_werk, 30); // 29 days of February + 1 March
    assert!(s.in_kwalificerend_werk);
    assert_eq!(s.duurzaam_vanaf, Some(date("2024-07-31")));
    assert_eq!(duurzaam(&t, "2024-07-30", &v2), None);
    assert_eq!(
        duurzaam(&t, "2024-07-31", &v2).as_deref(),
        Some("2024-07-31")
    );
    assert_eq!(on(&t, "2024-08-01", &v2).beleid, "duurzaam-v2");
    // Under v1 neither job counts on its own.
    let v1 = DuurzaamBeleid::v1();
    assert_eq!(duurzaam(&t, "2025-06-30", &v1), None);
    assert_eq!(on(&t, "2024-03-01", &v1).werk_sinds, None);
}

#[test]
fn hours_of_work_that_is_not_regular_or_not_paid_do_not_add_up() {
    let (a, b, c) = (new_plaatsing_id(), new_plaatsing_id(), new_plaatsing_id());
    let t = traject(&[
        ("2024-01-01", klein(a, 8.0)),
        // Beschut werk (not regular) and volunteering (not paid) beside it.
        (
            "2024-01-01",
            plaatsing_met(b, 8.0, Contract::Vast, true, false),
        ),
        (
            "2024-01-01",
            plaatsing_met(c, 8.0, Contract::Vast, false, true),
        ),
    ]);
    assert_eq!(duurzaam(&t, "2025-06-30", &DuurzaamBeleid::v2()), None);
}

#[test]
fn a_drop_below_12_hours_interrupts_and_a_rise_within_28_days_continues() {
    let p = new_plaatsing_id();
    let v2 = DuurzaamBeleid::v2();
    // 24 hours from 1 January 2024, 10 hours from 1 March, 20 hours again from 20 March: the 19
    // days at 10 hours are a gap the run allows.
    let kort = traject(&[
        ("2024-01-01", klein(p, 24.0)),
        ("2024-03-01", uren(p, 10.0)),
        ("2024-03-20", uren(p, 20.0)),
    ]);
    let tussen = on(&kort, "2024-03-10", &v2);
    assert!(!tussen.in_kwalificerend_werk);
    assert_eq!(tussen.werk_sinds, Some(date("2024-01-01")));
    assert_eq!(tussen.dagen_ononderbroken_werk, 60); // January and February, not the gap
    assert_eq!(
        duurzaam(&kort, "2024-06-30", &v2).as_deref(),
        Some("2024-06-30")
    );
    // The same with the rise on 15 April: 45 days at 10 hours break the run; a new one starts
    // on 15 April and ends its six months on 14 October.
    let lang = traject(&[
        ("2024-01-01", klein(p, 24.0)),
        ("2024-03-01", uren(p, 10.0)),
        ("2024-04-15", uren(p, 20.0)),
    ]);
    assert_eq!(on(&lang, "2024-04-01", &v2).werk_sinds, None);
    assert_eq!(
        on(&lang, "2024-04-15", &v2).werk_sinds,
        Some(date("2024-04-15"))
    );
    assert_eq!(duurzaam(&lang, "2024-10-13", &v2), None);
    assert_eq!(
        duurzaam(&lang, "2024-10-14", &v2).as_deref(),
        Some("2024-10-14")
    );
    // v1 follows a change of hours the same way for a single job.
    assert_eq!(
        duurzaam(&lang, "2024-10-14", &DuurzaamBeleid::v1()).as_deref(),
        Some("2024-10-14")
    );
}

#[test]
fn a_job_ending_while_the_other_continues() {
    let (a, b, c) = (new_plaatsing_id(), new_plaatsing_id(), new_plaatsing_id());
    let v2 = DuurzaamBeleid::v2();
    // 8 + 8 hours from 1 January; A ends on 31 March, B goes on alone at 8 hours; C of 6 hours
    // starts on 20 April: 19 days below 12 hours, the run continues.
    let binnen = traject(&[
        ("2024-01-01", klein(a, 8.0)),
        ("2024-01-01", klein(b, 8.0)),
        ("2024-03-31", beeindigd(a)),
        ("2024-04-20", klein(c, 6.0)),
    ]);
    let s = on(&binnen, "2024-04-10", &v2);
    assert!(!s.in_kwalificerend_werk);
    assert_eq!(s.lopende_plaatsingen.len(), 1);
    assert_eq!(
        duurzaam(&binnen, "2024-06-30", &v2).as_deref(),
        Some("2024-06-30")
    );
    // C from 1 May: 30 days below 12 hours; the new run from 1 May ends on 31 October.
    let buiten = traject(&[
        ("2024-01-01", klein(a, 8.0)),
        ("2024-01-01", klein(b, 8.0)),
        ("2024-03-31", beeindigd(a)),
        ("2024-05-01", klein(c, 6.0)),
    ]);
    assert_eq!(duurzaam(&buiten, "2024-10-30", &v2), None);
    assert_eq!(
        duurzaam(&buiten, "2024-10-31", &v2).as_deref(),
        Some("2024-10-31")
    );
    assert_eq!(duurzaam(&buiten, "2025-06-30", &DuurzaamBeleid::v1()), None);
}

#[test]
fn retracting_a_change_of_hours_puts_the_run_back() {
    let p = new_plaatsing_id();
    let (given, wijziging) = met_intake()
        .and("2024-01-15", klein(p, 24.0))
        .0
        .and("2024-02-01", uren(p, 8.0));
    let v2 = DuurzaamBeleid::v2();
    assert_eq!(duurzaam(&given.traject, "2024-07-14", &v2), None);
    let hersteld = given.when("2024-02-10", ingetrokken(wijziging)).accepted();
    assert_eq!(
        duurzaam(&hersteld, "2024-07-14", &v2).as_deref(),
        Some("2024-07-14")
    );
}

#[test]
fn a_change_of_hours_needs_a_running_placement_of_the_trajectory() {
    let p = new_plaatsing_id();
    let g = met_intake().and("2024-01-15", klein(p, 24.0)).0;
    g.when("2024-02-01", uren(new_plaatsing_id(), 8.0))
        .refused_by("plaatsing_onbekend");
    g.when("2024-01-14", uren(p, 8.0))
        .refused_by("urenwijziging_buiten_plaatsing");
    g.when("2024-02-01", uren(p, 24.0))
        .refused_by("uren_ongewijzigd");
    let (g, _) = g.and("2024-03-01", uren(p, 16.0));
    g.when("2024-02-01", uren(p, 8.0))
        .refused_by("urenwijziging_voor_vorige");
    g.when("2024-02-20", beeindigd(p))
        .refused_by("einde_voor_urenwijziging");
    let (g, _) = g.and("2024-04-30", beeindigd(p));
    g.when("2024-05-01", uren(p, 8.0))
        .refused_by("urenwijziging_buiten_plaatsing");
    // Recorded late, inside the placement's days, it is accepted.
    g.when("2024-04-01", uren(p, 8.0)).accepted();
    // A fixed-term contract ends on its end date.
    let q = new_plaatsing_id();
    let tijdelijk = plaatsing_met(
        q,
        24.0,
        Contract::Tijdelijk {
            einddatum: datum("2024-06-30"),
        },
        true,
        true,
    );
    let g = met_intake().and("2024-01-15", tijdelijk).0;
    g.when("2024-07-01", uren(q, 8.0))
        .refused_by("urenwijziging_buiten_plaatsing");
}

#[test]
fn closing_as_duurzaam_aan_het_werk_agrees_with_the_status() {
    let p = new_plaatsing_id();
    let t = traject(&[("2024-01-01", klein(p, 24.0))]);
    let v2 = DuurzaamBeleid::v2();
    let fout = afsluiting_klopt(
        &t,
        datum("2024-06-29"),
        AfsluitingsReden::DuurzaamAanHetWerk,
        &v2,
    )
    .unwrap_err();
    assert_eq!(fout.regel(), "duurzaam_niet_bereikt");
    assert_eq!(fout.veld(), Some("reden"));
    assert!(
        afsluiting_klopt(
            &t,
            datum("2024-06-30"),
            AfsluitingsReden::DuurzaamAanHetWerk,
            &v2
        )
        .is_ok()
    );
    assert!(afsluiting_klopt(&t, datum("2024-03-01"), AfsluitingsReden::Uitval, &v2).is_ok());
}

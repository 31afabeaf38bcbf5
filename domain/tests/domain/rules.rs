//! Every rule of the catalogue: one test that accepts, one that refuses.

use traject_domain::event::Contract;
use traject_domain::{Command, CommandKind, DomainError};

use crate::harness::*;

#[test]
fn aanmelden_starts_a_trajectory_once() {
    nothing().when("2024-01-02", aangemeld()).accepted();
    given(&[("2024-01-02", aangemeld())])
        .when("2024-01-03", aangemeld())
        .refused_by("al_aangemeld");
}

#[test]
fn the_first_event_must_be_the_aanmelding() {
    nothing()
        .when("2024-01-02", intake("coach-anna"))
        .refused_by("niet_aangemeld");
}

#[test]
fn a_command_on_a_stale_revision_is_a_conflict() {
    let g = met_intake(); // revisions 0 and 1
    let stale = Command {
        event_id: new_event_id(),
        revisie: Some(0),
        datum: datum("2024-01-11"),
        kind: command_for(contact()),
    };
    assert_eq!(
        g.when_command(stale).refused(),
        DomainError::Conflict {
            expected: Some(0),
            actual: Some(1)
        }
    );
    let current = Command {
        event_id: new_event_id(),
        revisie: Some(1),
        datum: datum("2024-01-11"),
        kind: command_for(contact()),
    };
    g.when_command(current).accepted();
}

#[test]
fn a_new_trajectory_must_be_decided_on_no_stream() {
    let on_revision = Command {
        event_id: new_event_id(),
        revisie: Some(0),
        datum: datum("2024-01-02"),
        kind: command_for(aangemeld()),
    };
    assert_eq!(
        nothing().when_command(on_revision).refused(),
        DomainError::Conflict {
            expected: Some(0),
            actual: None
        }
    );
    let without_revision = Command {
        event_id: new_event_id(),
        revisie: None,
        datum: datum("2024-01-11"),
        kind: command_for(contact()),
    };
    assert!(matches!(
        met_intake().when_command(without_revision).refused(),
        DomainError::Conflict {
            expected: None,
            actual: Some(1)
        }
    ));
}

#[test]
fn no_event_is_dated_after_today() {
    let error = nothing()
        .when("2026-07-01", aangemeld())
        .refused_by("datum_in_de_toekomst");
    assert_eq!(error.veld(), Some("datum"));
    nothing().when(TODAY, aangemeld()).accepted();
}

#[test]
fn no_event_is_dated_before_the_aanmelding() {
    given(&[("2024-01-02", aangemeld())])
        .when("2024-01-01", intake("coach-anna"))
        .refused_by("datum_voor_begin");
    given(&[("2024-01-02", aangemeld())])
        .when("2024-01-02", intake("coach-anna"))
        .accepted();
}

#[test]
fn an_event_id_is_used_once() {
    let g = met_intake();
    let used = g.traject.events()[0].id;
    let command = Command {
        event_id: used,
        revisie: g.traject.revisie(),
        datum: datum("2024-01-11"),
        kind: command_for(contact()),
    };
    assert_eq!(
        g.when_command(command).refused(),
        DomainError::EventIdAlGebruikt(used)
    );
}

#[test]
fn intake_is_completed_once() {
    given(&[("2024-01-02", aangemeld())])
        .when("2024-01-10", intake("coach-anna"))
        .accepted();
    met_intake()
        .when("2024-01-11", intake("coach-anna"))
        .refused_by("intake_al_afgerond");
}

#[test]
fn coach_toewijzen_any_time_while_open_but_not_the_same_coach() {
    given(&[("2024-01-02", aangemeld())])
        .when("2024-01-03", coach("coach-bram"))
        .accepted();
    let t = met_intake()
        .when("2024-02-01", coach("coach-bram"))
        .accepted();
    assert_eq!(
        t.toestand().unwrap().coach.as_ref().unwrap().as_str(),
        "coach-bram"
    );
    let error = met_intake()
        .when("2024-02-01", coach("coach-anna"))
        .refused_by("coach_al_toegewezen");
    assert_eq!(error.veld(), Some("coach"));
}

#[test]
fn werkgeverscontact_after_intake() {
    given(&[("2024-01-02", aangemeld())])
        .when("2024-01-05", contact())
        .refused_by("intake_niet_afgerond");
    met_intake()
        .when("2024-01-09", contact())
        .refused_by("datum_voor_intake");
    met_intake().when("2024-01-10", contact()).accepted();
}

#[test]
fn plaatsing_after_intake_and_several_may_run_at_once() {
    given(&[("2024-01-02", aangemeld())])
        .when("2024-01-05", plaatsing(new_plaatsing_id()))
        .refused_by("intake_niet_afgerond");
    met_intake()
        .when("2024-01-09", plaatsing(new_plaatsing_id()))
        .refused_by("datum_voor_intake");
    let (g, _) = met_intake().and("2024-02-01", plaatsing(new_plaatsing_id()));
    let t = g
        .when("2024-02-05", plaatsing(new_plaatsing_id()))
        .accepted();
    assert_eq!(t.toestand().unwrap().plaatsingen.len(), 2);
}

#[test]
fn a_plaatsing_id_is_used_once() {
    let p = new_plaatsing_id();
    let (g, _) = met_intake().and("2024-02-01", plaatsing(p));
    assert_eq!(
        g.when("2024-02-05", plaatsing(p)).refused(),
        DomainError::PlaatsingBestaatAl(p)
    );
}

#[test]
fn a_fixed_term_contract_ends_on_or_after_its_start() {
    let tijdelijk = |einde: &str| {
        plaatsing_met(
            new_plaatsing_id(),
            24.0,
            Contract::Tijdelijk {
                einddatum: datum(einde),
            },
            true,
            true,
        )
    };
    let error = met_intake()
        .when("2024-02-01", tijdelijk("2024-01-31"))
        .refused_by("contract_einde_voor_start");
    assert_eq!(error.veld(), Some("contract.einddatum"));
    met_intake()
        .when("2024-02-01", tijdelijk("2024-02-01"))
        .accepted();
}

#[test]
fn plaatsing_beeindigen_needs_a_running_placement_and_no_earlier_end() {
    let p = new_plaatsing_id();
    met_intake()
        .when("2024-02-01", beeindigd(p))
        .refused_by("plaatsing_onbekend");
    let (g, _) = met_intake().and("2024-02-01", plaatsing(p));
    g.when("2024-01-31", beeindigd(p))
        .refused_by("einde_voor_start");
    g.when("2024-02-01", beeindigd(p)).accepted();
    let (ended, _) = g.clone().and("2024-03-01", beeindigd(p));
    ended
        .when("2024-03-05", beeindigd(p))
        .refused_by("plaatsing_loopt_niet");
}

#[test]
fn waakvlam_needs_intensive_support_and_a_running_placement() {
    met_intake()
        .when("2024-02-01", waakvlam())
        .refused_by("geen_lopende_plaatsing");
    let p = new_plaatsing_id();
    let (g, _) = met_intake().and("2024-02-01", plaatsing(p));
    g.when("2024-01-31", waakvlam())
        .refused_by("geen_lopende_plaatsing");
    let (g2, _) = g.clone().and("2024-05-01", beeindigd(p));
    g2.when("2024-05-02", waakvlam())
        .refused_by("geen_lopende_plaatsing");
    g2.when("2024-04-01", waakvlam()).accepted(); // recorded late: it ran on that day
    let (g3, _) = g.and("2024-05-01", waakvlam());
    g3.when("2024-06-01", waakvlam()).refused_by("al_waakvlam");
}

#[test]
fn opschalen_needs_waakvlam_and_not_before_it() {
    let p = new_plaatsing_id();
    let (g, _) = met_intake().and("2024-02-01", plaatsing(p));
    g.when("2024-05-01", opgeschaald())
        .refused_by("niet_in_waakvlam");
    let (g, _) = g.and("2024-05-01", waakvlam());
    g.when("2024-04-30", opgeschaald())
        .refused_by("datum_voor_waakvlam");
    let t = g.when("2024-06-01", opgeschaald()).accepted();
    assert_eq!(
        t.toestand().unwrap().ondersteuning,
        traject_domain::traject::Ondersteuning::Intensief
    );
}

/// Waakvlam periods do not overlap: a waakvlam recorded late, on a day inside an earlier period
/// (which ended with an opschaling), is refused; on or after the day that period ended it is a
/// new period. Before, the late one was accepted and the screen showed intensive support while a
/// new waakvlam was refused as "al op waakvlam".
#[test]
fn a_waakvlam_cannot_fall_inside_an_earlier_waakvlam_period() {
    let p = new_plaatsing_id();
    let (g, _) = met_intake().and("2024-02-01", plaatsing(p));
    let (g, _) = g.and("2024-03-01", waakvlam());
    let (g, _) = g.and("2024-05-01", opgeschaald());
    let error = g
        .when("2024-04-01", waakvlam())
        .refused_by("waakvlam_overlapt");
    assert_eq!(error.veld(), Some("datum"));
    g.when("2024-03-01", waakvlam())
        .refused_by("waakvlam_overlapt");
    g.when("2024-05-01", waakvlam()).accepted();
    g.when("2024-06-01", waakvlam()).accepted();
}

#[test]
fn afsluiten_when_open_and_not_before_the_last_event() {
    let (g, _) = met_intake().and("2024-03-01", contact());
    g.when("2024-02-28", afgesloten())
        .refused_by("afsluiting_voor_laatste_gebeurtenis");
    let t = g.when("2024-03-01", afgesloten()).accepted();
    assert!(!t.toestand().unwrap().is_open());
}

#[test]
fn a_closed_trajectory_takes_no_event_but_heropenen() {
    let (g, _) = met_intake().and("2024-03-01", afgesloten());
    for data in [
        contact(),
        intake("coach-bram"),
        coach("coach-bram"),
        afgesloten(),
    ] {
        g.when("2024-03-02", data).refused_by("traject_afgesloten");
    }
    g.when("2024-03-02", heropend()).accepted();
}

#[test]
fn heropenen_only_when_closed_and_not_before_the_closing() {
    met_intake()
        .when("2024-03-02", heropend())
        .refused_by("traject_niet_afgesloten");
    let (g, _) = met_intake().and("2024-03-01", afgesloten());
    g.when("2024-02-28", heropend())
        .refused_by("heropening_voor_afsluiting");
    let (reopened, _) = g.and("2024-04-01", heropend());
    // After a heropening no event may fall in the closed period.
    reopened
        .when("2024-03-15", contact())
        .refused_by("datum_voor_begin");
    reopened.when("2024-04-01", contact()).accepted();
}

#[test]
fn refusals_name_their_rule_and_field() {
    let error = met_intake().when("2024-01-09", contact()).refused();
    assert_eq!(error.regel(), "datum_voor_intake");
    assert_eq!(error.veld(), Some("datum"));
    assert!(error.to_string().contains("2024-01-09"), "{error}");
    let unknown = CommandKind::PlaatsingBeeindigen(match beeindigd(new_plaatsing_id()) {
        traject_domain::EventData::PlaatsingBeeindigd(b) => b,
        _ => unreachable!(),
    });
    let g = met_intake();
    let error = g
        .when_command(Command {
            event_id: new_event_id(),
            revisie: g.traject.revisie(),
            datum: datum("2024-02-01"),
            kind: unknown,
        })
        .refused();
    assert_eq!(error.veld(), Some("plaatsing_id"));
}

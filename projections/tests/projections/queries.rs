//! The queries on hand-made trajectories: attention signals at their thresholds, the IPS
//! indicators, the overview's timeline, and the caseload's filters.

use traject_domain::event::*;
use traject_domain::value::*;
use traject_domain::{EventData, Fase};
use traject_projections::ReadModel;
use traject_projections::caseload::{
    Bereik, CaseloadError, CaseloadVraag, Signaal, Sortering, caseload, stempel,
};
use traject_projections::ips::ips;
use traject_projections::overzicht::overzicht;

use crate::cases::{aangemeld, afgesloten, ev, intake, plaatsing, traject};
use crate::helpers::{date, model_of};

fn org() -> OrganisatieId {
    OrganisatieId::parse("org-a").unwrap()
}

fn coach() -> CoachId {
    CoachId::parse("coach-a").unwrap()
}

fn vraag(peildatum: &str) -> CaseloadVraag {
    CaseloadVraag::new(Bereik::Coach(coach(), org()), date(peildatum))
}

fn signalen(model: &ReadModel, peildatum: &str) -> Vec<Signaal> {
    let page = caseload(model, &vraag(peildatum)).unwrap();
    assert_eq!(page.regels.len(), 1);
    page.regels[0].signalen.clone()
}

fn contact() -> EventData {
    EventData::WerkgeverContactGelegd(WerkgeverContactGelegd {
        werkgever: Werkgever::parse("Bakkerij").unwrap().into(),
        persoonlijk: true,
    })
}

#[test]
fn no_employer_contact_and_no_event_after_thirty_days() {
    let model = model_of(&[traject(vec![
        ev("2024-01-02", aangemeld()),
        ev("2024-01-10", intake()),
    ])]);
    assert_eq!(signalen(&model, "2024-02-09"), vec![]); // 30 days: not yet
    assert_eq!(
        signalen(&model, "2024-02-10"),
        vec![
            Signaal::GeenGebeurtenis { dagen: 31 },
            Signaal::GeenWerkgeverscontact { dagen: 31 }
        ]
    );
}

#[test]
fn a_qualifying_placement_of_five_months_not_yet_duurzaam() {
    let p = PlaatsingId::new(uuid::Uuid::now_v7()).unwrap();
    let model = model_of(&[traject(vec![
        ev("2024-01-02", aangemeld()),
        ev("2024-01-10", intake()),
        ev("2024-01-11", contact()),
        ev("2024-01-15", plaatsing(p)),
        ev("2024-06-10", contact()),
    ])]);
    assert_eq!(signalen(&model, "2024-06-14"), vec![]);
    assert_eq!(
        signalen(&model, "2024-06-15"),
        vec![Signaal::PlaatsingNogNietDuurzaam {
            sinds: date("2024-01-15")
        }]
    );
    // Once duurzaam (14 July), the signal is gone.
    let rest: Vec<_> = signalen(&model, "2024-07-14")
        .into_iter()
        .filter(|s| matches!(s, Signaal::PlaatsingNogNietDuurzaam { .. }))
        .collect();
    assert!(rest.is_empty());
}

#[test]
fn waakvlam_without_any_event_for_sixty_days() {
    let p = PlaatsingId::new(uuid::Uuid::now_v7()).unwrap();
    let model = model_of(&[traject(vec![
        ev("2024-01-02", aangemeld()),
        ev("2024-01-10", intake()),
        ev("2024-01-11", contact()),
        ev("2024-01-15", plaatsing(p)),
        ev("2024-08-01", EventData::WaakvlamIngezet(WaakvlamIngezet {})),
    ])]);
    let has = |s: &[Signaal]| {
        s.iter()
            .any(|s| matches!(s, Signaal::WaakvlamZonderContact { .. }))
    };
    assert!(!has(&signalen(&model, "2024-09-30"))); // 60 days
    assert!(has(&signalen(&model, "2024-10-01"))); // 61 days
    let mut other = vraag("2024-10-01");
    other.drempels.waakvlam_dagen = 90;
    assert!(
        !has(&caseload(&model, &other).unwrap().regels[0].signalen),
        "thresholds are configurable"
    );
}

fn actie(soort: ActieSoort, op: &str) -> EventData {
    EventData::ActieGepland(ActieGepland {
        actie: soort,
        op: Datum::parse(op).unwrap(),
    })
}

#[test]
fn the_next_action_is_on_every_row_and_a_signal_from_its_day_until_another_is_planned() {
    let model = model_of(&[traject(vec![
        ev("2024-01-02", aangemeld()),
        ev("2024-01-10", intake()),
        ev("2024-01-11", contact()),
        ev("2024-01-12", actie(ActieSoort::Gesprek, "2024-01-20")),
    ])]);
    let regel = |p: &str| caseload(&model, &vraag(p)).unwrap().regels[0].clone();
    let v = regel("2024-01-15").volgende_actie.expect("planned");
    assert_eq!(v.actie.op.date(), date("2024-01-20"));
    assert_eq!(signalen(&model, "2024-01-19"), vec![]);
    let due = Signaal::ActieTeDoen {
        actie: ActieSoort::Gesprek,
        op: date("2024-01-20"),
    };
    assert_eq!(signalen(&model, "2024-01-20"), vec![due]);
    assert!(
        signalen(&model, "2024-02-05").contains(&due),
        "overdue stays"
    );
    // Before it was planned the row has none.
    assert_eq!(regel("2024-01-11").volgende_actie, None);

    // Planning the next one replaces it; closing clears it.
    let model = model_of(&[traject(vec![
        ev("2024-01-02", aangemeld()),
        ev("2024-01-10", intake()),
        ev("2024-01-11", contact()),
        ev("2024-01-12", actie(ActieSoort::Gesprek, "2024-01-20")),
        ev("2024-01-20", actie(ActieSoort::Evaluatie, "2024-03-01")),
        ev("2024-01-25", afgesloten(AfsluitingsReden::Verhuisd)),
    ])]);
    assert_eq!(signalen(&model, "2024-01-21"), vec![]);
    let mut gesloten = vraag("2024-02-01");
    gesloten.fasen = vec![Fase::Afgesloten];
    let regels = caseload(&model, &gesloten).unwrap().regels;
    assert_eq!(regels[0].volgende_actie, None);
    assert!(regels[0].signalen.is_empty());
}

#[test]
fn a_fixed_term_contract_signals_from_thirty_days_before_its_end() {
    let p = PlaatsingId::new(uuid::Uuid::now_v7()).unwrap();
    let tijdelijk = match plaatsing(p) {
        EventData::PlaatsingGestart(g) => EventData::PlaatsingGestart(PlaatsingGestart {
            contract: Contract::Tijdelijk {
                einddatum: Datum::parse("2024-06-30").unwrap(),
            },
            ..g
        }),
        _ => unreachable!(),
    };
    let model = model_of(&[traject(vec![
        ev("2024-01-02", aangemeld()),
        ev("2024-01-10", intake()),
        ev("2024-01-11", contact()),
        ev("2024-01-15", tijdelijk),
        ev("2024-05-30", contact()),
    ])]);
    let eindigt = |s: &[Signaal]| {
        s.iter().any(|s| {
            *s == Signaal::ContractEindigt {
                op: date("2024-06-30"),
            }
        })
    };
    let regel = caseload(&model, &vraag("2024-05-30")).unwrap().regels[0].clone();
    assert_eq!(regel.contract_eindigt_op, Some(date("2024-06-30")));
    assert!(!eindigt(&regel.signalen)); // 31 days ahead
    assert!(eindigt(&signalen(&model, "2024-05-31"))); // 30 days
    assert!(eindigt(&signalen(&model, "2024-06-30"))); // the last day
    let na = caseload(&model, &vraag("2024-07-01")).unwrap().regels[0].clone();
    assert_eq!(na.contract_eindigt_op, None);
}

#[test]
fn the_first_employer_contact_is_due_thirty_days_after_the_intake_until_there_is_one() {
    let model = model_of(&[traject(vec![
        ev("2024-01-02", aangemeld()),
        ev("2024-01-10", intake()),
        ev("2024-02-01", contact()),
    ])]);
    let uiterlijk =
        |p: &str| caseload(&model, &vraag(p)).unwrap().regels[0].werkgeverscontact_uiterlijk;
    assert_eq!(uiterlijk("2024-01-09"), None); // before the intake
    assert_eq!(uiterlijk("2024-01-15"), Some(date("2024-02-09")));
    assert_eq!(uiterlijk("2024-02-01"), None); // the contact was made
}

#[test]
fn ips_indicators_of_a_coach() {
    let (p1, p2, p3) = (
        PlaatsingId::new(uuid::Uuid::now_v7()).unwrap(),
        PlaatsingId::new(uuid::Uuid::now_v7()).unwrap(),
        PlaatsingId::new(uuid::Uuid::now_v7()).unwrap(),
    );
    let onbetaald = EventData::PlaatsingGestart(PlaatsingGestart {
        plaatsing_id: p3,
        werkgever: Werkgever::parse("Kringloop").unwrap().into(),
        functie: Functie::parse("Vrijwilliger").unwrap().into(),
        uren_per_week: UrenPerWeek::from_hours(8.0).unwrap(),
        contract: Contract::Oproep,
        betaald: false,
        regulier: false,
    });
    let model = model_of(&[
        traject(vec![
            ev("2024-01-02", aangemeld()),
            ev("2024-01-10", intake()),
            ev("2024-01-20", contact()),
            ev("2024-02-01", plaatsing(p1)),
        ]),
        traject(vec![
            ev("2024-01-02", aangemeld()),
            ev("2024-01-10", intake()),
            ev("2024-01-30", contact()),
            ev("2024-02-01", plaatsing(p2)),
        ]),
        traject(vec![
            ev("2024-01-02", aangemeld()),
            ev("2024-01-10", intake()),
            ev("2024-02-19", contact()),
            ev("2024-02-20", onbetaald),
        ]),
        traject(vec![
            ev("2024-01-02", aangemeld()),
            ev("2024-01-10", intake()),
            ev(
                "2024-01-12",
                EventData::TrajectAfgesloten(TrajectAfgesloten {
                    reden: AfsluitingsReden::Verhuisd,
                }),
            ),
        ]),
    ]);
    let i = ips(&model, &Bereik::Coach(coach(), org()), date("2024-03-01"));
    assert_eq!(i.actieve_caseload, 3);
    assert_eq!(i.mediaan_dagen_tot_werkgeverscontact, Some(20.0)); // 10, 20, 40
    assert_eq!((i.plaatsingen, i.regulier_betaald), (3, 2));
    assert!((i.aandeel_regulier_betaald.unwrap() - 2.0 / 3.0).abs() < 1e-9);
    let org = ips(
        &model,
        &Bereik::Organisatie(OrganisatieId::parse("org-a").unwrap()),
        date("2024-01-25"),
    );
    assert_eq!((org.actieve_caseload, org.plaatsingen), (3, 0));
    assert_eq!(org.mediaan_dagen_tot_werkgeverscontact, Some(10.0)); // only one contact by then
}

#[test]
fn the_overview_marks_retracted_events_and_dates_up_to_the_peildatum() {
    let wrong = ev("2024-01-20", contact());
    let (id, mut events) = traject(vec![
        ev("2024-01-02", aangemeld()),
        ev("2024-01-10", intake()),
        wrong.clone(),
    ]);
    events.push(ev(
        "2024-01-25",
        EventData::GebeurtenisIngetrokken(GebeurtenisIngetrokken {
            event_id: wrong.id,
            reden: IntrekkingsReden::VerkeerdTraject,
        }),
    ));
    let model = model_of(&[(id, events)]);
    let o = overzicht(&model, id, date("2024-03-01")).unwrap();
    assert_eq!(o.revisie, Some(3));
    assert_eq!(
        o.tijdlijn.iter().map(|r| r.ingetrokken).collect::<Vec<_>>(),
        vec![false, false, true, false]
    );
    assert_eq!(o.data.intake, Some(date("2024-01-10")));
    assert_eq!(
        o.data.eerste_werkgeverscontact, None,
        "the retracted contact does not count"
    );
    assert_eq!(o.status.unwrap().fase, Fase::Zoekend);
    let early = overzicht(&model, id, date("2024-01-05")).unwrap();
    assert_eq!(
        (early.data.aanmelding, early.data.intake),
        (Some(date("2024-01-02")), None)
    );
}

#[test]
fn caseload_filters_pages_and_refusals() {
    let p = PlaatsingId::new(uuid::Uuid::now_v7()).unwrap();
    let model = model_of(&[
        traject(vec![
            ev("2024-01-02", aangemeld()),
            ev("2024-01-10", intake()),
        ]),
        traject(vec![
            ev("2024-01-03", aangemeld()),
            ev("2024-01-10", intake()),
            ev("2024-01-12", plaatsing(p)),
        ]),
        traject(vec![
            ev("2024-01-04", aangemeld()),
            ev("2024-01-10", intake()),
            ev("2024-02-25", contact()),
        ]),
    ]);
    let mut v = vraag("2024-03-01");
    v.fasen = vec![Fase::Geplaatst];
    assert_eq!(caseload(&model, &v).unwrap().totaal, 1);
    v.fasen = vec![];
    v.methode = Some(Methode::Jobcoaching);
    assert_eq!(caseload(&model, &v).unwrap().totaal, 0);
    v.methode = None;
    v.alleen_aandacht = true;
    assert_eq!(
        caseload(&model, &v).unwrap().totaal,
        2,
        "the one with a recent contact needs no attention"
    );
    v.alleen_aandacht = false;
    let alle = caseload(&model, &v).unwrap();
    v.clients = Some([alle.regels[1].client_id].into_iter().collect());
    let gezocht = caseload(&model, &v).unwrap();
    assert_eq!(gezocht.totaal, 1, "only the clients a name search found");
    assert_eq!(gezocht.regels[0].client_id, alle.regels[1].client_id);
    let van_client: Vec<_> = model.van_client(&alle.regels[1].client_id).collect();
    assert_eq!(van_client.len(), 1, "the per-client index");
    assert_eq!(
        van_client[0].kenmerken.as_ref().unwrap().traject_id,
        alle.regels[1].traject_id
    );
    v.clients = Some(Default::default());
    assert_eq!(caseload(&model, &v).unwrap().totaal, 0);
    v.clients = None;
    v.aantal = 2;
    let first = caseload(&model, &v).unwrap();
    assert_eq!((first.regels.len(), first.totaal), (2, 3));
    v.na = first.volgende.clone();
    let second = caseload(&model, &v).unwrap();
    assert_eq!((second.regels.len(), second.volgende.clone()), (1, None));
    assert!(second.regels[0].aanmelding > first.regels[1].aanmelding);
    v.sortering = Sortering::LaatsteGebeurtenis;
    assert_eq!(caseload(&model, &v).unwrap_err(), CaseloadError::Cursor);
    v.na = None;
    v.aantal = 0;
    assert_eq!(caseload(&model, &v).unwrap_err(), CaseloadError::Aantal);
}

/// A cursor continues only the query that made it: with another filter, scope or reference date
/// it would page from its place in another list and leave rows out without saying so.
#[test]
fn a_cursor_belongs_to_the_query_that_made_it() {
    let p = PlaatsingId::new(uuid::Uuid::now_v7()).unwrap();
    let model = model_of(&[
        traject(vec![ev("2024-01-02", aangemeld())]),
        traject(vec![
            ev("2024-01-03", aangemeld()),
            ev("2024-01-10", intake()),
            ev("2024-01-12", plaatsing(p)),
        ]),
        traject(vec![
            ev("2024-01-04", aangemeld()),
            ev("2024-01-10", intake()),
        ]),
    ]);
    let mut v = vraag("2024-03-01");
    v.aantal = 1;
    let eerste = caseload(&model, &v).unwrap();
    let cursor = eerste.volgende.clone().expect("a next page");
    type Wijziging = fn(&mut CaseloadVraag);
    let gewijzigd: [(&str, Wijziging); 6] = [
        ("phases", |v| v.fasen = vec![Fase::Geplaatst]),
        ("method", |v| v.methode = Some(Methode::Jobcoaching)),
        ("attention only", |v| v.alleen_aandacht = true),
        ("the clients of a name search", |v| {
            v.clients = Some(Default::default())
        }),
        ("scope", |v| v.bereik = Bereik::Organisatie(org())),
        ("sorting", |v| v.sortering = Sortering::LaatsteGebeurtenis),
    ];
    for (wat, wijzig) in gewijzigd {
        let mut andere = vraag("2024-03-01");
        wijzig(&mut andere);
        andere.na = Some(cursor.clone());
        assert_eq!(
            caseload(&model, &andere).unwrap_err(),
            CaseloadError::Cursor,
            "another {wat}"
        );
    }
    // The phases in another order, and another page size, are the same query.
    let mut zelfde = vraag("2024-03-01");
    zelfde.fasen = vec![
        Fase::Zoekend,
        Fase::Aangemeld,
        Fase::Geplaatst,
        Fase::Waakvlam,
    ];
    zelfde.aantal = 1;
    let met_fasen = caseload(&model, &zelfde).unwrap();
    zelfde.na = met_fasen.volgende.clone();
    zelfde.fasen.reverse();
    zelfde.aantal = 5;
    let verder = caseload(&model, &zelfde).unwrap();
    assert_eq!((verder.regels.len(), verder.volgende.clone()), (1, None));
    assert!(verder.regels[0].aanmelding > met_fasen.regels[0].aanmelding);
    // The next day (the default date of a list walked across midnight) goes on where it was.
    let mut morgen = vraag("2024-03-02");
    morgen.na = Some(cursor.clone());
    let na_middernacht = caseload(&model, &morgen).unwrap();
    assert_eq!(na_middernacht.regels.len(), 1);
    assert!(na_middernacht.regels[0].aanmelding > eerste.regels[0].aanmelding);
    // A cursor edited by hand is refused too.
    let mut v = vraag("2024-03-01");
    v.na = Some(cursor.replacen("a:", "a:0", 1));
    assert_eq!(caseload(&model, &v).unwrap_err(), CaseloadError::Cursor);
}

#[test]
fn the_fingerprint_follows_every_trajectory_in_scope_and_nothing_else() {
    let eigen: Vec<_> = (0..60)
        .map(|_| {
            traject(vec![
                ev("2024-01-02", aangemeld()),
                ev("2024-01-10", intake()),
            ])
        })
        .collect();
    let ander = CoachId::parse("coach-b").unwrap();
    let vreemd = traject(vec![
        ev("2024-01-02", aangemeld()),
        ev(
            "2024-01-10",
            EventData::IntakeAfgerond(IntakeAfgerond {
                coach: ander.clone(),
                uitkering: Uitkering::Geen,
                in_ggz_behandeling: false,
            }),
        ),
    ]);
    let bereik = Bereik::Coach(coach(), org());
    let mut alles = eigen.clone();
    alles.push(vreemd.clone());
    let basis = stempel(&model_of(&alles), &bereik);
    assert_eq!(basis, stempel(&model_of(&alles), &bereik), "deterministic");

    // The last of 60 is beyond the first page of 50; an event on it still shows.
    let mut later = alles.clone();
    later[59].1.push(ev("2024-02-01", contact()));
    let page = caseload(&model_of(&later), &vraag("2024-03-01")).unwrap();
    assert!(page.regels.iter().all(|r| r.traject_id != later[59].0));
    assert_ne!(basis, stempel(&model_of(&later), &bereik));

    // Another coach's trajectory changes: this coach's fingerprint does not.
    let mut elders = alles.clone();
    elders[60].1.push(ev("2024-02-01", contact()));
    assert_eq!(basis, stempel(&model_of(&elders), &bereik));
    assert_ne!(
        stempel(&model_of(&alles), &Bereik::Coach(ander.clone(), org())),
        stempel(&model_of(&elders), &Bereik::Coach(ander, org()))
    );

    // One leaves the scope.
    assert_ne!(basis, stempel(&model_of(&alles[1..]), &bereik));
}

//! A business case computed by hand for a small region, checked to the euro: two trajectories
//! with known months of support, work and benefits, through the read model's counts and the
//! computation; and the nation's case as the sum of the regions' where the assumptions agree.

use std::collections::BTreeMap;

use traject_businesscase::{Aannames, Bereik, Partij, Scenario, bereken};
use traject_domain::event::*;
use traject_domain::value::*;
use traject_domain::{DuurzaamBeleid, Event, EventData};
use traject_projections::ReadModel;
use traject_projections::businesscase::per_regio;

fn ev(datum: &str, data: EventData) -> Event {
    Event {
        id: EventId::new(uuid::Uuid::now_v7()).unwrap(),
        datum: Datum::parse(datum).unwrap(),
        data,
    }
}

fn aangemeld(regio: Regio, methode: Methode, financier: Financier) -> EventData {
    EventData::TrajectAangemeld(TrajectAangemeld {
        client_id: ClientId::new(uuid::Uuid::now_v7()).unwrap(),
        methode,
        regio,
        organisatie: OrganisatieId::parse("org-a").unwrap(),
        verwijzer: Verwijzer::Ggz,
        financier,
    })
}

fn intake(uitkering: Uitkering, in_ggz: bool) -> EventData {
    EventData::IntakeAfgerond(IntakeAfgerond {
        coach: CoachId::parse("coach-a").unwrap(),
        uitkering,
        in_ggz_behandeling: in_ggz,
    })
}

fn plaatsing(uren: f64) -> EventData {
    EventData::PlaatsingGestart(PlaatsingGestart {
        plaatsing_id: PlaatsingId::new(uuid::Uuid::now_v7()).unwrap(),
        werkgever: Werkgever::parse("Bakkerij").unwrap().into(),
        functie: Functie::parse("Bakker").unwrap().into(),
        uren_per_week: UrenPerWeek::from_hours(uren).unwrap(),
        contract: Contract::Vast,
        betaald: true,
        regulier: true,
    })
}

fn traject(events: Vec<Event>) -> (TrajectId, Vec<Event>) {
    (TrajectId::new(uuid::Uuid::now_v7()).unwrap(), events)
}

/// Round figures, one value per range, so that the sums can be done by hand.
fn aannames() -> Aannames {
    let mut a = Aannames::standaard();
    a.versie = "handberekend".to_owned();
    for per in a.kosten_per_trajectmaand.values_mut() {
        for b in per.values_mut() {
            *b = Bereik::vast(300.0);
        }
    }
    a.kosten_per_trajectmaand
        .get_mut(&Methode::Ips)
        .unwrap()
        .insert(Financier::Gemeente, Bereik::vast(400.0));
    a.uitkering_per_maand
        .insert(Uitkering::Participatiewet, Bereik::vast(1_300.0));
    a.afbouw_per_uur
        .insert(Uitkering::Participatiewet, Bereik::van(0.02, 0.025, 0.025));
    a.zorgkosten_per_maand = Bereik::vast(600.0);
    a.zorgkosten_effect_werk = Bereik::van(0.25, 0.5, 0.5);
    a.behoud_per_jaar = Bereik::vast(0.5);
    a
}

#[test]
fn a_small_region_by_hand() {
    let model = ReadModel::uit_trajecten(
        DuurzaamBeleid::default(),
        &[
            // Open all of 2025; Participatiewet, in GGZ treatment; 24 hours a week from 1 July.
            traject(vec![
                ev(
                    "2024-11-01",
                    aangemeld(Regio::Am23, Methode::Ips, Financier::Gemeente),
                ),
                ev("2024-12-01", intake(Uitkering::Participatiewet, true)),
                ev("2025-07-01", plaatsing(24.0)),
            ]),
            // Open January to June 2025 (closed on 1 July); WIA; no work.
            traject(vec![
                ev(
                    "2025-01-01",
                    aangemeld(Regio::Am23, Methode::Jobcoaching, Financier::Uwv),
                ),
                ev("2025-01-01", intake(Uitkering::Wia, false)),
                ev(
                    "2025-07-01",
                    EventData::TrajectAfgesloten(TrajectAfgesloten {
                        reden: AfsluitingsReden::GeenWerkwens,
                    }),
                ),
            ]),
        ],
    )
    .unwrap();
    let tellingen = per_regio(
        &model,
        chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        2025,
    );
    let regio = &tellingen[&Some(Regio::Am23)];
    let a = aannames();

    // Middle scenario, one year.
    // Costs: 12 months x 400 (IPS, gemeente) = 4,800; 6 months x 300 (jobcoaching, UWV) = 1,800.
    // Benefit saved: 6 months x 1,300 x 0.025 per hour x 24 hours = 4,680, for the gemeente.
    // Care avoided: 6 months x 600 x 0.5 = 1,800, for the zorgverzekeraar.
    let u = bereken(regio, &a, Scenario::Midden, 1);
    let euro = |p: Partij| {
        let b = &u.per_partij[&p];
        (
            b.kosten_totaal().round() as i64,
            b.baten_totaal().round() as i64,
        )
    };
    assert_eq!(euro(Partij::Gemeente), (4_800, 4_680));
    assert_eq!(euro(Partij::Uwv), (1_800, 0));
    assert_eq!(euro(Partij::Zorgverzekeraar), (0, 1_800));
    for p in [
        Partij::GgzAanbieder,
        Partij::Werkgever,
        Partij::Rijk,
        Partij::Overig,
    ] {
        assert_eq!(euro(p), (0, 0), "{p:?}");
    }
    let totaal = u.totaal();
    assert_eq!(totaal.netto().round() as i64, 4_680 + 1_800 - 6_600);
    // Cumulative costs by December: 12 x 400 + 6 x 300 = 6,600; returns 6 x (780 + 300) =
    // 6,480: not even within the year.
    assert_eq!(totaal.break_even_maand(), None);
    assert_eq!(u.aannames_versie, "handberekend");

    // Two years: the client in work on 31 December goes on, half as likely a year later: month
    // 12 + k adds 0.5^(k/12) months of 780 + 300.
    let u2 = bereken(regio, &a, Scenario::Midden, 2);
    let verder: f64 = (1..=12).map(|k| 0.5f64.powf(k as f64 / 12.0)).sum();
    assert_eq!(
        u2.per_partij[&Partij::Gemeente].baten_totaal().round() as i64,
        (4_680.0 + 780.0 * verder).round() as i64
    );
    // January of the second year: 6,480 + 1,080 x 0.5^(1/12) = 7,499 >= 6,600.
    assert_eq!(u2.totaal().break_even_maand(), Some(13));

    // Low scenario: the lowest returns (0.02 per hour, a quarter of the care costs).
    let laag = bereken(regio, &a, Scenario::Laag, 1);
    assert_eq!(
        laag.per_partij[&Partij::Gemeente].baten_totaal().round() as i64,
        6 * 1_300 * 24 * 2 / 100
    );
    assert_eq!(
        laag.per_partij[&Partij::Zorgverzekeraar]
            .baten_totaal()
            .round() as i64,
        900
    );

    // Taxes and premiums, where the assumptions include them: 6 months x 24 hours x 52/12 weeks
    // x 5 euros = 3,120.
    let mut met_rijk = a.clone();
    met_rijk.belasting_premies_per_uur = Bereik::vast(5.0);
    let r = bereken(regio, &met_rijk, Scenario::Midden, 1);
    assert_eq!(
        r.per_partij[&Partij::Rijk].baten_totaal().round() as i64,
        3_120
    );
}

#[test]
fn the_nations_case_is_the_sum_of_the_regions_where_the_assumptions_agree() {
    let mut trajecten = Vec::new();
    for (n, regio) in Regio::ALL.iter().enumerate().take(6) {
        let methode = Methode::ALL[n % 3];
        let financier = Financier::ALL[n % 5];
        let uitkering = [Uitkering::Participatiewet, Uitkering::Wia, Uitkering::Ww][n % 3];
        trajecten.push(traject(vec![
            ev("2025-02-03", aangemeld(*regio, methode, financier)),
            ev("2025-02-10", intake(uitkering, n % 2 == 0)),
            ev("2025-04-14", plaatsing(12.0 + n as f64 * 4.0)),
        ]));
    }
    let model = ReadModel::uit_trajecten(DuurzaamBeleid::default(), &trajecten).unwrap();
    let tellingen = per_regio(
        &model,
        chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        2025,
    );
    let a = Aannames::standaard();
    for scenario in Scenario::ALLE {
        for horizon in [1, 2, 5] {
            let landelijk = bereken(&tellingen[&None], &a, scenario, horizon);
            let mut som: BTreeMap<Partij, (f64, f64)> = BTreeMap::new();
            for (regio, t) in &tellingen {
                if regio.is_none() {
                    continue;
                }
                for (p, b) in bereken(t, &a, scenario, horizon).per_partij {
                    let e = som.entry(p).or_default();
                    e.0 += b.kosten_totaal();
                    e.1 += b.baten_totaal();
                }
            }
            for (p, b) in &landelijk.per_partij {
                let (k, r) = som[p];
                assert!((b.kosten_totaal() - k).abs() < 0.01, "{p:?} {scenario:?}");
                assert!((b.baten_totaal() - r).abs() < 0.01, "{p:?} {scenario:?}");
            }
            assert!(landelijk.totaal().baten_totaal() > 0.0);
        }
    }
}

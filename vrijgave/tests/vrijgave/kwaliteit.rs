//! The quality report as a release, on demo data in an embedded store: refused before its
//! cohorts' quarters are released and for four quarters that are not a calendar year; then
//! protected (no count, shown or derivable, from 1 to T - 1), equal to the unprotected figures
//! where shown, the same for every reader, kept hidden in a correction and in the year before's
//! report; and its rows computed from the release.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use traject_demo::{DemoOpties, load};
use traject_domain::DuurzaamBeleid;
use traject_domain::value::Regio;
use traject_projections::Projecties;
use traject_projections::cijfers::Kwartaal;
use traject_projections::kwaliteit::{HORIZONNEN, Rapportperiode, per_regio};
use traject_store::{EventStore, ExpectedRevision, Metadata, NewEvent, SqliteStore, StreamName};
use traject_vrijgave::bescherming::Regels;
use traject_vrijgave::kwaliteit::bescherming::{Kwaliteitsleutel, cohort_code, openbare_waarden};
use traject_vrijgave::kwaliteit::rapport::{MIN_REGIOS_MEDIAAN, Status, Wie, rapport};
use traject_vrijgave::{VrijgaveError, Vrijgaven};

use crate::helpers::date;

pub(crate) struct Omgeving {
    _dir: tempfile::TempDir,
    pub(crate) vrijgaven: Vrijgaven,
    pub(crate) projecties: Arc<Projecties>,
    store: Arc<dyn EventStore>,
}

pub(crate) async fn omgeving(trajecten: usize) -> Omgeving {
    omgeving_met(DemoOpties {
        seed: 36,
        trajecten,
        jaren: 4,
        vandaag: date("2026-06-30"),
    })
    .await
}

pub(crate) async fn omgeving_met(opties: DemoOpties) -> Omgeving {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(
        SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap(),
    );
    load(store.as_ref(), &opties, None, |_| {}).await.unwrap();
    let projecties = Projecties::new(DuurzaamBeleid::default());
    tokio::spawn(Arc::clone(&projecties).follow(Arc::clone(&store)));
    let head = store.head().await.unwrap().unwrap();
    projecties
        .wait_for(head, Duration::from_secs(300))
        .await
        .unwrap();
    let vrijgaven = Vrijgaven::new(
        Arc::clone(&store),
        Arc::clone(&projecties),
        Regels::default(),
        100,
        42,
        3,
    );
    Omgeving {
        _dir: dir,
        vrijgaven,
        projecties,
        store,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quality_report_is_released_protected_and_read_the_same_by_everyone() {
    let o = omgeving(4_000).await;
    let vandaag = date("2026-06-30");
    let tot: Kwartaal = "2025Q4".parse().unwrap();
    let periode = Rapportperiode { tot };
    let t = o.vrijgaven.regels().drempel();

    // Not before the quarters of its eight cohorts are released.
    o.vrijgaven
        .vrijgeef("2025Q4".parse().unwrap(), vandaag, "test")
        .await
        .unwrap();
    match o.vrijgaven.vrijgeef_kwaliteit(tot, vandaag, "test").await {
        Err(VrijgaveError::KwartalenNietVrijgegeven(k)) => assert_eq!(
            k.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3"
            ]
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(o.vrijgaven.kwaliteit(tot).await.unwrap().is_none());
    for k in [
        "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3",
    ] {
        o.vrijgaven
            .vrijgeef(k.parse().unwrap(), vandaag, "test")
            .await
            .unwrap();
    }
    let kop = o
        .vrijgaven
        .vrijgeef_kwaliteit(tot, vandaag, "test")
        .await
        .unwrap();
    assert_eq!(kop.nummer, 1);
    assert!(
        kop.geaudit > 0,
        "a report of 4,000 trajectories hides cells"
    );

    let vrijgave = o.vrijgaven.kwaliteit(tot).await.unwrap().unwrap();
    let ongeschermd = {
        let model = o.projecties.read();
        per_regio(&model, vandaag, periode)
    };
    let mut verborgen = 0;
    for (onderwerp, cijfers) in &ongeschermd {
        let waar = openbare_waarden(cijfers, periode, vandaag);
        let gepubliceerd = |code: &str| {
            vrijgave.cellen[&Kwaliteitsleutel {
                onderwerp: *onderwerp,
                code: code.to_owned(),
            }]
        };
        for (code, w) in &waar {
            match gepubliceerd(code) {
                Some(p) => {
                    assert_eq!(p, *w, "{onderwerp:?} {code}");
                    if !code.starts_with("coaches") {
                        assert!(!(1..t).contains(&p), "{onderwerp:?} {code} = {p} shown");
                    }
                }
                None => verborgen += 1,
            }
        }
        // What a reader can subtract is never a small count either.
        let verschil = |a: &str, b: &str| match (gepubliceerd(a), gepubliceerd(b)) {
            (Some(a), Some(b)) => Some(a - b),
            _ => None,
        };
        let mut paren = vec![
            ("gestart".to_owned(), "met_contact".to_owned()),
            ("met_contact".to_owned(), "contact_binnen_norm".to_owned()),
        ];
        for cohort in periode.cohorten() {
            let mut vorige = cohort_code(cohort, "grootte");
            for uitkomst in ["werk", "duurzaam"] {
                for maanden in HORIZONNEN.iter().rev() {
                    let code = cohort_code(cohort, &format!("{uitkomst}_{maanden}m"));
                    if waar.contains_key(&code) {
                        paren.push((vorige.clone(), code.clone()));
                        vorige = code;
                    }
                }
                vorige = cohort_code(cohort, "grootte");
            }
        }
        for (a, b) in &paren {
            if let Some(d) = verschil(a, b) {
                assert!(!(1..t).contains(&d), "{onderwerp:?} {a} - {b} = {d}");
            }
        }
    }
    assert!(verborgen > 0);
    // The coaches' median caseload is shown with their other figures or not at all: hidden on
    // its own it would say it was small.
    let mut coaches_getoond = 0;
    for (onderwerp, cijfers) in &ongeschermd {
        let sleutel = |code: &str| Kwaliteitsleutel {
            onderwerp: *onderwerp,
            code: code.to_owned(),
        };
        let getoond = vrijgave.cellen[&sleutel("coaches")].is_some();
        coaches_getoond += usize::from(getoond);
        assert_eq!(
            vrijgave.medianen.contains_key(&sleutel("mediaan_caseload")),
            getoond && !cijfers.caseloads.is_empty(),
            "{onderwerp:?}"
        );
    }
    assert!(coaches_getoond > 1, "{coaches_getoond}");
    // A cohort's size is its quarter's intakes: what the quarter's release hid, the report
    // hides; what it published, the report shows the same or hides (so that the nation minus
    // the other regions shows nothing either release hid).
    let mut vergeleken = 0;
    for k in ["2025Q1", "2025Q2", "2025Q3", "2025Q4"] {
        let k: Kwartaal = k.parse().unwrap();
        let release = o.vrijgaven.van(k).await.unwrap().last().unwrap().clone();
        for onderwerp in std::iter::once(None).chain(Regio::ALL.iter().map(|r| Some(*r))) {
            let sleutel = traject_vrijgave::bescherming::Sleutel {
                cel: traject_projections::cijfers::Cel {
                    regio: onderwerp,
                    periode: traject_projections::cijfers::Periode::Kwartaal(k),
                    methode: None,
                },
                maat: traject_vrijgave::bescherming::Maat::Gestart,
            };
            let in_release = release.cellen.get(&sleutel).copied().unwrap_or(Some(0));
            let in_rapport = vrijgave.cellen[&Kwaliteitsleutel {
                onderwerp,
                code: cohort_code(k, "grootte"),
            }];
            match (in_release, in_rapport) {
                (None, Some(v)) => panic!("{onderwerp:?} {k}: hidden in its release, {v} here"),
                (Some(a), Some(b)) => {
                    assert_eq!(a, b, "{onderwerp:?} {k}");
                    vergeleken += 1;
                }
                _ => {}
            }
        }
    }
    assert!(vergeleken > 0);
    // Some cohort shows results at 18 months, and some region reached work.
    let nl18 = vrijgave.cellen[&Kwaliteitsleutel {
        onderwerp: None,
        code: cohort_code("2024Q1".parse().unwrap(), "werk_18m"),
    }];
    assert!(nl18.is_some_and(|n| n > 0), "{nl18:?}");

    // Every reader gets the same values; reading writes nothing.
    let positie = o.store.head().await.unwrap();
    let regio = Regio::Am13;
    let a = rapport(&vrijgave, Wie::Regio(regio), None, 100);
    let b = rapport(
        &o.vrijgaven.kwaliteit(tot).await.unwrap().unwrap(),
        Wie::Regio(regio),
        None,
        100,
    );
    assert_eq!(a, b);
    assert_eq!(o.store.head().await.unwrap(), positie);
    // A share is its numerator over its denominator; the median of the regions is over the
    // regions shown.
    for regel in &a.regels {
        if let (Some(teller), Some(noemer)) = (regel.eigen.teller, regel.eigen.noemer) {
            assert_eq!(regel.eigen.waarde, Some(teller as f64 / noemer as f64));
        }
        let per_regio: Vec<f64> = Regio::ALL
            .iter()
            .filter_map(|r| {
                rapport(&vrijgave, Wie::Regio(*r), None, 100)
                    .regels
                    .into_iter()
                    .find(|g| g.code == regel.code && g.omschrijving == regel.omschrijving)
                    .and_then(|g| g.eigen.waarde)
            })
            .collect();
        assert_eq!(regel.regios_met_waarde as usize, per_regio.len());
        // Over one or two regions the median would be a region's value, or solvable from
        // one's own: shown from three.
        assert_eq!(
            regel.mediaan_regios.is_some(),
            per_regio.len() >= MIN_REGIOS_MEDIAAN as usize,
            "{}",
            regel.code
        );
    }
    let gestart = a.regels.iter().find(|r| r.code == "gestart").unwrap();
    assert_eq!(gestart.norm, Some(100.0));
    // The youngest cohort's 18 months have not passed.
    let jong = a
        .regels
        .iter()
        .find(|r| r.code == cohort_code(tot, "werk_18m"))
        .unwrap();
    assert_eq!(jong.eigen.status, Status::NogNietBekend);

    // A correction keeps hidden what the first release hid (the data have not changed, so
    // everything else is published the same).
    let kop2 = o
        .vrijgaven
        .vrijgeef_kwaliteit(tot, vandaag, "test")
        .await
        .unwrap();
    assert_eq!(kop2.nummer, 2);
    let tweede = o.vrijgaven.kwaliteit(tot).await.unwrap().unwrap();
    let verborgen_in = |v: &BTreeMap<Kwaliteitsleutel, Option<u64>>| {
        v.iter()
            .filter(|(_, w)| w.is_none())
            .map(|(s, _)| s.clone())
            .collect::<Vec<_>>()
    };
    for s in verborgen_in(&vrijgave.cellen) {
        assert_eq!(tweede.cellen[&s], None, "{s:?} shown in the correction");
    }

    // Late registrations, then a correction: no cell shown in both moved by 1 to T - 1 (a
    // cohort's size that moved by 3 was shown, found from outside), and what was hidden stays
    // hidden.
    load(
        o.store.as_ref(),
        &DemoOpties {
            seed: 37,
            trajecten: 60,
            jaren: 4,
            vandaag,
        },
        None,
        |_| {},
    )
    .await
    .unwrap();
    let head = o.store.head().await.unwrap().unwrap();
    o.projecties
        .wait_for(head, Duration::from_secs(300))
        .await
        .unwrap();
    o.vrijgaven
        .vrijgeef_kwaliteit(tot, vandaag, "test")
        .await
        .unwrap();
    let derde = o.vrijgaven.kwaliteit(tot).await.unwrap().unwrap();
    let mut bewogen = 0;
    for (s, w) in &derde.cellen {
        match (tweede.cellen.get(s).copied().flatten(), *w) {
            (Some(oud), Some(nieuw)) => {
                assert!(
                    oud == nieuw || oud.abs_diff(nieuw) >= t,
                    "{s:?}: {oud} then {nieuw}"
                );
                bewogen += usize::from(oud != nieuw);
            }
            (None, Some(nieuw)) => assert!(
                !tweede.cellen.contains_key(s),
                "{s:?} hidden, then shown as {nieuw}"
            ),
            _ => {}
        }
    }
    assert!(bewogen > 0, "the late trajectories moved some shown cell");

    // Only calendar years: a report up to 2026Q1 overlaps 2025's, and the two would differ by
    // one quarter's counts.
    let positie = o.store.head().await.unwrap();
    match o
        .vrijgaven
        .vrijgeef_kwaliteit("2026Q1".parse().unwrap(), vandaag, "test")
        .await
    {
        Err(e @ VrijgaveError::GeenKalenderjaar(_)) => {
            assert_eq!(e.regel(), Some("kalenderjaar"));
        }
        other => panic!("expected the calendar-year rule, got {other:?}"),
    }
    assert_eq!(o.store.head().await.unwrap(), positie);

    // The year before shares four cohorts with 2025: what 2025's report hid of them stays
    // hidden, and what both show moved by 0 or from T (a cohort's size shown where its
    // quarter's release published it is the exception: it is public).
    for k in ["2023Q1", "2023Q2", "2023Q3", "2023Q4"] {
        o.vrijgaven
            .vrijgeef(k.parse().unwrap(), vandaag, "test")
            .await
            .unwrap();
    }
    // A report over other four quarters, stored before only calendar years were released,
    // shares cohorts too: one up to 2024Q2 that hid the nation's 2023Q2 cohort at 6 months
    // (a cohort 2025's report does not hold).
    let gedeeld_met_oud = Kwaliteitsleutel {
        onderwerp: None,
        code: cohort_code("2023Q2".parse().unwrap(), "werk_6m"),
    };
    o.store
        .append(
            &StreamName::new("kwaliteit-2024Q2").unwrap(),
            ExpectedRevision::from_revision(None),
            vec![NewEvent {
                id: uuid::Uuid::now_v7(),
                event_type: "KwaliteitVrijgegeven".to_owned(),
                schema_version: 1,
                data: serde_json::json!({
                    "kwartaal": "2024Q2", "nummer": 1, "peildatum": "2024-09-01",
                    "positie": null, "beleidsversie": "2", "drempel": t, "afronden": false,
                    "min_uitsplitsing": 20, "geaudit": 1, "maten": [gedeeld_met_oud.code],
                    "cellen": [["NL", [null]]], "medianen": []
                }),
                metadata: Metadata::default(),
                recorded_at: None,
            }],
        )
        .await
        .unwrap();
    let vorig_jaar: Kwartaal = "2024Q4".parse().unwrap();
    o.vrijgaven
        .vrijgeef_kwaliteit(vorig_jaar, vandaag, "test")
        .await
        .unwrap();
    let vorig = o.vrijgaven.kwaliteit(vorig_jaar).await.unwrap().unwrap();
    let (mut gedeeld, mut verborgen_gebleven) = (0, 0);
    for (s, w) in &vorig.cellen {
        // Other cells of the same code are other periods' (`gestart` is 2024's there).
        let Some(in_2025) = derde
            .cellen
            .get(s)
            .filter(|_| s.code.starts_with("cohort_"))
        else {
            continue;
        };
        assert!(s.code.starts_with("cohort_2024"), "{s:?} in both reports");
        gedeeld += 1;
        match (*in_2025, *w) {
            (Some(a), Some(b)) => assert!(a == b || a.abs_diff(b) >= t, "{s:?}: {a} and {b}"),
            (None, Some(b)) => {
                let kwartaal: Kwartaal = s.code["cohort_".len().."cohort_".len() + 6]
                    .parse()
                    .unwrap();
                let release = o.vrijgaven.van(kwartaal).await.unwrap();
                let sleutel = traject_vrijgave::bescherming::Sleutel {
                    cel: traject_projections::cijfers::Cel {
                        regio: s.onderwerp,
                        periode: traject_projections::cijfers::Periode::Kwartaal(kwartaal),
                        methode: None,
                    },
                    maat: traject_vrijgave::bescherming::Maat::Gestart,
                };
                let gepubliceerd = release
                    .last()
                    .unwrap()
                    .cellen
                    .get(&sleutel)
                    .copied()
                    .unwrap_or(Some(0));
                assert!(
                    s.code.ends_with("_grootte") && gepubliceerd == Some(b),
                    "{s:?} hidden in 2025's report, {b} in 2024's"
                );
            }
            (None, None) => verborgen_gebleven += 1,
            (Some(_), None) => {}
        }
    }
    assert!(
        gedeeld > 0 && verborgen_gebleven > 0,
        "{gedeeld} {verborgen_gebleven}"
    );
    let waarde = per_regio(
        &o.projecties.read(),
        vandaag,
        Rapportperiode { tot: vorig_jaar },
    )[&None]
        .cohorten[&"2023Q2".parse::<Kwartaal>().unwrap()]
        .werk[0];
    assert!(waarde >= t, "a count the protection would show: {waarde}");
    assert_eq!(
        vorig.cellen[&gedeeld_met_oud], None,
        "shown after the old report hid it"
    );
}

/// The national demo data as the demo server has it: the report of the last closed year passes
/// its audit (a hidden cell whose relations held no visible cell to hide with it once
/// made the release fail).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_servers_report_passes_its_audit() {
    let vandaag = date("2026-12-04");
    let mut opties = DemoOpties::landelijk(vandaag);
    opties.trajecten = 6_000;
    let o = omgeving_met(opties).await;
    for k in [
        "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4",
    ] {
        o.vrijgaven
            .vrijgeef(k.parse().unwrap(), vandaag, "test")
            .await
            .unwrap();
    }
    let kop = o
        .vrijgaven
        .vrijgeef_kwaliteit("2025Q4".parse().unwrap(), vandaag, "test")
        .await
        .unwrap();
    assert_eq!(kop.nummer, 1);
}

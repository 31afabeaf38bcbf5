//! Disclosure control of the counts behind the business case, on demo data of two sizes (500
//! and 6,700 trajectories a year): every region published shows no count behind its money from
//! 1 to T - 1 (a row where some region has a small group is the nation's split over each
//! region's own totals, for every region alike), and the regions withheld whole show none,
//! together or in a row's split. Then the release itself: every row keeps the region's own
//! totals, a row shown as its own split is its own, the nation is the sum (its case the sum of
//! the regions' cases under the same assumptions), no month's own
//! number leaves, and a year is released once.

use traject_domain::value::Regio;
use traject_projections::businesscase::{Tellingen, per_regio};
use traject_vrijgave::VrijgaveError;
use traject_vrijgave::businesscase::{Rij, achtergehouden, geschat, toonbaar, totalen_toonbaar};

use crate::helpers::{date, demo, model_of, pairs};
use crate::kwaliteit::omgeving_met;
use traject_demo::DemoOpties;

const T: u64 = 10;

fn goed(n: u64) -> bool {
    n == 0 || n >= T
}

#[test]
fn published_regions_and_the_hidden_together_show_no_small_count() {
    for (trajecten, seed) in [(3_000, 5), (40_000, 6)] {
        let (_, data) = demo(trajecten, seed);
        let model = model_of(&pairs(&data));
        let per = per_regio(&model, date("2026-06-30"), 2025);
        let weg = achtergehouden(&per, T);
        let geschatte = geschat(&per, T, &weg);
        let mut som = Tellingen::leeg(2025);
        for r in Regio::ALL {
            let t = &per[&Some(r)];
            if weg.contains(&r) {
                som.voeg_toe(t);
                continue;
            }
            assert!(totalen_toonbaar(t, T), "{r:?} published with a small total");
            for rij in Rij::alle() {
                let eigen = rij.cellen(t).iter().all(|n| goed(*n));
                let schat = geschatte.contains(&rij);
                assert!(eigen || schat, "{r:?} {rij:?} published with a small group");
                assert!(rij.totalen(t).iter().all(|n| goed(*n)));
            }
        }
        assert!(
            weg.is_empty() || totalen_toonbaar(&som, T) || weg.len() == Regio::ALL.len(),
            "the withheld regions together show a small total"
        );
        // A row whose split every region shows as its own: the withheld regions' split of it
        // (the nation minus the published) shows no small group either.
        for rij in Rij::alle().filter(|r| !geschatte.contains(r)) {
            assert!(
                rij.cellen(&som).iter().all(|n| goed(*n)),
                "{rij:?}: the withheld regions' split shows a small group"
            );
        }
        let eigen = Rij::alle().filter(|r| !geschatte.contains(r)).count();
        if trajecten >= 40_000 {
            // About 6,700 trajectories a year: every region sees its own case, where
            // withholding a region for any small group would withhold most.
            assert!(
                totalen_toonbaar(&per[&None], T),
                "the nation's counts are shown"
            );
            assert!(weg.is_empty(), "{} regions withheld", weg.len());
            let heel = Regio::ALL
                .iter()
                .filter(|r| toonbaar(&per[&Some(**r)], T))
                .count();
            assert!(heel < Regio::ALL.len() / 2, "{heel} regions wholly shown");
            assert!(eigen > 0, "no row shows the regions' own split");
        }
        println!(
            "{trajecten} trajectories: {} of 35 regions withheld, {eigen} of 9 rows the regions' own split",
            weg.len(),
        );
    }
}

fn maanden(t: &Tellingen, rij: Rij) -> f64 {
    match rij {
        Rij::Kosten(m) => t
            .trajectmaanden
            .iter()
            .filter(|((mm, _), _)| *mm == m)
            .flat_map(|(_, w)| w.iter())
            .sum(),
        Rij::Werk(m) => t
            .werk
            .iter()
            .filter(|(g, _)| g.methode == m)
            .flat_map(|(_, w)| w.urenmaanden.iter())
            .sum(),
        Rij::Ggz(m) => t.ggz.get(&m).map_or(0.0, |w| w.maanden.iter().sum()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_release_keeps_each_regions_totals_and_estimates_only_the_split() {
    // About 12,000 trajectories a year: every region shown, some splits the nation's.
    let vandaag = date("2026-06-30");
    let o = omgeving_met(DemoOpties {
        seed: 37,
        trajecten: 24_000,
        jaren: 2,
        vandaag,
    })
    .await;
    o.vrijgaven
        .vrijgeef_businesscase(2025, vandaag, "test")
        .await
        .unwrap();
    let v = o.vrijgaven.businesscase(2025).await.unwrap().unwrap();
    let per = {
        let model = o.projecties.read();
        per_regio(&model, vandaag, 2025)
    };
    let nl = v.tellingen[&None].as_ref().expect("the nation is shown");
    assert!(!v.geschat.is_empty(), "some rows are estimated");
    for r in Regio::ALL {
        let Some(t) = v.tellingen[&Some(r)].as_ref() else {
            continue;
        };
        let eigen = &per[&Some(r)];
        for rij in Rij::alle() {
            let geschat = v.geschat.contains(&rij);
            // The row's total is the region's own, estimated or not, each group's year rounded
            // to whole (the GGZ row, estimated, is the nation's share of the work).
            if !matches!((rij, geschat), (Rij::Ggz(_), true)) {
                let (a, b) = (maanden(t, rij), maanden(eigen, rij));
                assert!(
                    (a - b).abs() <= 0.5 * 7.0,
                    "{r:?} {rij:?}: {a} published, {b} counted"
                );
            }
            if !geschat {
                assert!(rij.cellen(eigen).iter().all(|n| goed(*n)), "{r:?} {rij:?}");
            }
        }
        // A row shown as the region's own split is its own: each group's year, whole.
        for ((m, f), w) in &t.trajectmaanden {
            if !v.geschat.contains(&Rij::Kosten(*m)) {
                let eigen_jaar: f64 = eigen.trajectmaanden[&(*m, *f)].iter().sum();
                assert!((w.iter().sum::<f64>() - eigen_jaar.round()).abs() < 1e-6);
            }
        }
        assert_eq!(
            t.trajecten, eigen.trajecten,
            "{r:?}: the trajectories per method"
        );
    }
    // The nation's totals are the sum of the regions' own.
    for rij in Rij::alle().filter(|r| !matches!(r, Rij::Ggz(_))) {
        let som: f64 = Regio::ALL
            .iter()
            .map(|r| maanden(&per[&Some(*r)], rij))
            .sum();
        assert!((maanden(nl, rij) - som).abs() <= 0.5 * 7.0, "{rij:?}");
    }

    // The nation's case is the sum of the regions' under the same assumptions, every region
    // shown: the estimated rows are the nation's split over totals that add up to the nation's.
    assert!(
        v.tellingen.values().all(Option::is_some),
        "a region is withheld at 12,000 trajectories a year"
    );
    let aannames = traject_businesscase::Aannames::standaard();
    for scenario in traject_businesscase::Scenario::ALLE {
        let uitkomst = |t: &Tellingen| traject_businesscase::bereken(t, &aannames, scenario, 5);
        let landelijk = uitkomst(nl);
        for partij in traject_businesscase::Partij::ALLE {
            let som: (f64, f64) = Regio::ALL
                .iter()
                .map(|r| {
                    let b = &uitkomst(v.tellingen[&Some(*r)].as_ref().unwrap()).per_partij[&partij];
                    (b.kosten_totaal(), b.baten_totaal())
                })
                .fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
            let b = &landelijk.per_partij[&partij];
            // Each group's months are rounded to whole: within half a percent.
            for (naam, nl, regios) in [
                ("kosten", b.kosten_totaal(), som.0),
                ("baten", b.baten_totaal(), som.1),
            ] {
                assert!(
                    (nl - regios).abs() <= 0.005 * nl.abs().max(1_000.0),
                    "{scenario:?} {partij:?} {naam}: the nation {nl}, the regions {regios}"
                );
            }
        }
    }

    // No month's own number: each group's months are its year's whole total, spread evenly.
    for t in v.tellingen.values().flatten() {
        let maanden = t
            .trajectmaanden
            .values()
            .chain(t.werk.values().flat_map(|w| [&w.maanden, &w.urenmaanden]))
            .chain(t.ggz.values().flat_map(|w| [&w.maanden, &w.urenmaanden]));
        for m in maanden {
            let jaar: f64 = m.iter().sum();
            assert!((jaar - jaar.round()).abs() < 1e-6, "{jaar}");
            assert!(m.iter().all(|x| (x - m[0]).abs() < 1e-9), "{m:?}");
        }
    }

    // Once: a second release would differ from the first by the trajectories registered late.
    match o
        .vrijgaven
        .vrijgeef_businesscase(2025, vandaag, "test")
        .await
    {
        Err(VrijgaveError::BusinesscaseAlVrijgegeven { jaar: 2025 }) => {}
        other => panic!("a second release: {other:?}"),
    }
    assert_eq!(
        o.vrijgaven
            .businesscase_vrijgaven(2025)
            .await
            .unwrap()
            .len(),
        1
    );
}

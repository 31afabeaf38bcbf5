//! The demo-data generator: valid, deterministic, plausible.

use std::collections::HashMap;

use traject_demo::{DemoOpties, traject};
use traject_domain::{DuurzaamBeleid, EventData, Traject, status};

use crate::helpers::{date, demo};

#[test]
fn every_generated_command_is_accepted_and_the_data_is_deterministic() {
    let (opties, data) = demo(3000, 7);
    assert!(
        data.iter().all(|t| t.geweigerd == 0),
        "the domain refused generated commands"
    );
    let (_, again) = demo(3000, 7);
    for (a, b) in data.iter().zip(&again) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.events, b.events);
    }
    let (_, other) = demo(10, 8);
    assert_ne!(data[0].id, other[0].id, "another seed gives other data");
    // Any single trajectory can be made on its own.
    assert_eq!(traject(&opties, 1234).events, data[1234].events);
}

#[test]
fn the_proportions_are_plausible() {
    let (opties, data) = demo(4000, 11);
    let events: usize = data.iter().map(|t| t.events.len()).sum();
    let per_traject = events as f64 / data.len() as f64;
    assert!(
        (18.0..=32.0).contains(&per_traject),
        "{per_traject} events per trajectory"
    );

    let beleid = DuurzaamBeleid::default();
    let mut count = HashMap::<&str, usize>::new();
    for t in &data {
        let traject = Traject::from_events(&t.events).unwrap();
        let s = status(&traject, opties.vandaag, &beleid).unwrap();
        let mut seen = |k| *count.entry(k).or_default() += 1;
        if traject
            .geldende_events()
            .any(|e| matches!(&e.data, EventData::PlaatsingGestart(p) if p.betaald))
        {
            seen("betaald werk");
        }
        if s.duurzaam_bereikt_op.is_some() {
            seen("duurzaam");
        }
        for (kind, name) in [
            ("WaakvlamIngezet", "waakvlam"),
            ("Opgeschaald", "opgeschaald"),
            ("CoachToegewezen", "coachwissel"),
            ("GebeurtenisIngetrokken", "intrekking"),
            ("TrajectHeropend", "heropend"),
        ] {
            if traject.events().iter().any(|e| e.data.event_type() == kind) {
                seen(name);
            }
        }
    }
    let share = |k: &str| count.get(k).copied().unwrap_or(0) as f64 / data.len() as f64;
    println!("{per_traject:.1} events per trajectory; shares: {:?}", {
        let mut v: Vec<_> = count
            .keys()
            .map(|k| (*k, (share(k) * 1000.0).round() / 10.0))
            .collect();
        v.sort_by(|a, b| a.0.cmp(b.0));
        v
    });
    assert!(
        (0.33..=0.48).contains(&share("betaald werk")),
        "paid work {}",
        share("betaald werk")
    );
    assert!(
        share("intrekking") < 0.10,
        "retractions {}",
        share("intrekking")
    );
    assert!(share("duurzaam") > 0.15, "duurzaam {}", share("duurzaam"));
    for k in [
        "waakvlam",
        "opgeschaald",
        "coachwissel",
        "intrekking",
        "heropend",
    ] {
        assert!(share(k) > 0.0, "no trajectory has {k}");
    }
}

#[test]
fn coaches_carry_caseloads_around_twenty() {
    let opties = DemoOpties {
        seed: 3,
        trajecten: 20_000,
        jaren: 10,
        vandaag: date("2026-06-30"),
    };
    let data: Vec<_> = traject_demo::generate(&opties).collect();
    let model = crate::helpers::model_of(&crate::helpers::pairs(&data));
    let mut per_coach = HashMap::new();
    for k in model.kenmerken().filter(|k| k.open_op(opties.vandaag)) {
        if let Some(c) = &k.coach {
            *per_coach.entry(c.clone()).or_insert(0usize) += 1;
        }
    }
    let mut sizes: Vec<usize> = per_coach.values().copied().collect();
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    assert!(
        (12..=28).contains(&median),
        "median open caseload {median}, sizes {sizes:?}"
    );
}

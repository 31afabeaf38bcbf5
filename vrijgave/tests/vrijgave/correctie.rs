//! Differencing: a correction of a released quarter after one more trajectory, audited jointly
//! with the first release (the joint linear-programming audit of successive releases).

use std::collections::BTreeMap;

use traject_domain::value::{AfsluitingsReden, Methode};
use traject_projections::cijfers::{Cel, Cijfers, Kwartaal, Periode, regiocijfers};
use traject_vrijgave::audit::{Gepubliceerd, gezamenlijk, gezamenlijk_volledig};
use traject_vrijgave::bescherming::tabel::Reden;
use traject_vrijgave::bescherming::{
    Maat, Publicatie, Regels, Sleutel, Waarde, als_tabel, bescherm_voor_vrijgave,
};

use crate::helpers::{date, demo, model_of, pairs};

fn gepubliceerd(p: &Publicatie) -> BTreeMap<Sleutel, Option<u64>> {
    p.cellen
        .iter()
        .map(|(s, w)| {
            (
                *s,
                match w {
                    Waarde::Getal(n) => Some(*n),
                    Waarde::Verborgen(_) => None,
                },
            )
        })
        .collect()
}

#[test]
fn one_more_trajectory_is_not_shown_by_subtracting_a_correction_from_its_release() {
    let (_, data) = demo(3000, 71);
    let model = model_of(&pairs(&data));
    let k: Kwartaal = "2025Q2".parse().unwrap();
    let een: BTreeMap<Cel, Cijfers> = regiocijfers(&model, date("2026-06-30"), k, k)
        .into_iter()
        .filter(|(cel, _)| cel.periode == Periode::Kwartaal(k))
        .collect();
    let regels = Regels::default();
    let t = regels.drempel();
    let eerste = bescherm_voor_vrijgave(&een, &regels, &[]);
    assert!(eerste.afgekeurd.is_empty() && eerste.onzeker.is_empty());
    assert!(eerste.geaudit > 0);
    let eerste_waarden = gepubliceerd(&eerste);

    // One more trajectory, referred, started and closed as overleden within the quarter, in the
    // region with the most referrals (its counts are published).
    let regio = een
        .iter()
        .filter(|(cel, _)| cel.regio.is_some() && cel.methode.is_none())
        .max_by_key(|(_, c)| c.aangemeld)
        .and_then(|(cel, _)| cel.regio)
        .unwrap();
    let mut twee = een.clone();
    for (r, m) in [
        (Some(regio), Some(Methode::Ips)),
        (Some(regio), None),
        (None, Some(Methode::Ips)),
        (None, None),
    ] {
        let c = twee
            .entry(Cel {
                regio: r,
                periode: Periode::Kwartaal(k),
                methode: m,
            })
            .or_default();
        c.aangemeld += 1;
        c.gestart += 1;
        *c.afgesloten.entry(AfsluitingsReden::Overleden).or_default() += 1;
    }
    let landelijk_aangemeld = Sleutel {
        cel: Cel {
            regio: None,
            periode: Periode::Kwartaal(k),
            methode: None,
        },
        maat: Maat::Aangemeld,
    };
    assert!(
        eerste_waarden[&landelijk_aangemeld].is_some(),
        "the national referrals are published"
    );

    // Released again as if for the first time, each release passes its own audit, but the
    // joint audit sees the one trajectory in the difference.
    let naief = bescherm_voor_vrijgave(&twee, &regels, &[]);
    assert!(naief.afgekeurd.is_empty());
    let (tabel, sleutels, _) = als_tabel(&twee);
    let verborgen: Vec<Option<Reden>> = sleutels
        .iter()
        .map(|s| match naief.cellen[s] {
            Waarde::Verborgen(r) => Some(r),
            Waarde::Getal(_) => None,
        })
        .collect();
    let eerdere = vec![Gepubliceerd {
        waarden: sleutels
            .iter()
            .map(|s| eerste_waarden.get(s).copied().flatten())
            .collect(),
        afgerond: false,
    }];
    let groeit: Vec<bool> = sleutels.iter().map(|s| s.maat.groeit()).collect();
    let (bevindingen, _) = gezamenlijk(&eerdere, &tabel, &verborgen, false, &groeit, t);
    let gevonden: Vec<Sleutel> = bevindingen.iter().map(|b| sleutels[b.cel]).collect();
    assert!(
        gevonden.contains(&landelijk_aangemeld),
        "the joint audit misses the difference: {gevonden:?}"
    );

    // The correction as made: protected jointly, nothing hidden before is shown, and no cell
    // both publish differs by 1 to T - 1.
    let correctie = bescherm_voor_vrijgave(&twee, &regels, &[(&eerste_waarden, false)]);
    assert!(
        correctie.afgekeurd.is_empty() && correctie.onzeker.is_empty(),
        "{:?}",
        correctie.afgekeurd
    );
    let tweede_waarden = gepubliceerd(&correctie);
    for (s, oud) in &eerste_waarden {
        match (oud, tweede_waarden[s]) {
            (None, nieuw) => assert_eq!(nieuw, None, "{s:?} shown after being hidden"),
            (Some(a), Some(b)) => {
                let verschil = a.abs_diff(b);
                assert!(verschil == 0 || verschil >= t, "{s:?}: {a} then {b}");
            }
            (Some(_), None) => {}
        }
    }
    assert_eq!(tweede_waarden[&landelijk_aangemeld], None);
    // Auditing the published correction jointly again (as a reader would combine them) finds
    // nothing.
    let verborgen: Vec<Option<Reden>> = sleutels
        .iter()
        .map(|s| tweede_waarden[s].is_none().then_some(Reden::Eerder))
        .collect();
    let (bevindingen, geaudit) = gezamenlijk(&eerdere, &tabel, &verborgen, false, &groeit, t);
    assert!(bevindingen.is_empty(), "{bevindingen:?}");
    assert!(geaudit > verborgen.iter().filter(|v| v.is_some()).count());
}

/// The figures of quarter `k` of a read model, as of `vandaag`.
fn kwartaal(model: &traject_projections::ReadModel, k: Kwartaal) -> BTreeMap<Cel, Cijfers> {
    regiocijfers(model, date("2026-06-30"), k, k)
        .into_iter()
        .filter(|(cel, _)| cel.periode == Periode::Kwartaal(k))
        .collect()
}

/// A release's published values in the order of `sleutels`, as the joint audit reads them.
fn als_gepubliceerd(
    p: &BTreeMap<Sleutel, Option<u64>>,
    sleutels: &[Sleutel],
    afgerond: bool,
) -> Gepubliceerd {
    Gepubliceerd {
        waarden: sleutels
            .iter()
            .map(|s| p.get(s).copied().flatten())
            .collect(),
        afgerond,
    }
}

/// A release, then a correction after many late registrations (a second set of trajectories in
/// the same quarters), with and without rounding: the correction is made (the protection hides
/// what the joint audit asks for), hides again all the first hid, and a reader combining both
/// releases narrows nothing, by the joint audit with every component programmed.
#[test]
fn a_correction_after_many_late_trajectories_is_protected_jointly() {
    let (_, data) = demo(1500, 71);
    let (_, laat) = demo(400, 72);
    let k: Kwartaal = "2025Q4".parse().unwrap();
    let een = kwartaal(&model_of(&pairs(&data)), k);
    let mut alles = pairs(&data);
    alles.extend(pairs(&laat));
    let twee = kwartaal(&model_of(&alles), k);
    assert_ne!(een, twee, "the late trajectories change the quarter");
    for afronden in [false, true] {
        let mut regels = Regels::default();
        regels.afronden = afronden;
        let t = regels.drempel();
        let eerste = bescherm_voor_vrijgave(&een, &regels, &[]);
        assert!(eerste.afgekeurd.is_empty() && eerste.onzeker.is_empty());
        let eerste_waarden = gepubliceerd(&eerste);
        let correctie = bescherm_voor_vrijgave(&twee, &regels, &[(&eerste_waarden, afronden)]);
        assert!(
            correctie.afgekeurd.is_empty() && correctie.onzeker.is_empty(),
            "afronden {afronden}: {:?}",
            correctie.afgekeurd
        );
        let tweede_waarden = gepubliceerd(&correctie);
        // A second correction without new data: it publishes what the first did.
        let derde = bescherm_voor_vrijgave(
            &twee,
            &regels,
            &[(&eerste_waarden, afronden), (&tweede_waarden, afronden)],
        );
        assert!(
            derde.afgekeurd.is_empty() && derde.onzeker.is_empty(),
            "afronden {afronden}, the second correction: {:?}",
            derde.afgekeurd
        );
        assert_eq!(gepubliceerd(&derde), tweede_waarden);
        for (s, oud) in &eerste_waarden {
            if oud.is_none() {
                assert_eq!(tweede_waarden[s], None, "{s:?} shown after being hidden");
            }
        }
        let (tabel, sleutels, _) = als_tabel(&twee);
        let verborgen: Vec<Option<Reden>> = sleutels
            .iter()
            .map(|s| tweede_waarden[s].is_none().then_some(Reden::Eerder))
            .collect();
        let groeit: Vec<bool> = sleutels.iter().map(|s| s.maat.groeit()).collect();
        let eerdere = vec![als_gepubliceerd(&eerste_waarden, &sleutels, afronden)];
        let (bevindingen, _) =
            gezamenlijk_volledig(&eerdere, &tabel, &verborgen, afronden, &groeit, t);
        assert!(
            bevindingen.is_empty(),
            "afronden {afronden}: {bevindingen:?}"
        );
    }
}

/// The joint audit programs only what changed between releases; on the same table it finds
/// what the audit programming every component finds, and counts as many cells audited.
#[test]
fn the_joint_audit_skipping_unchanged_components_finds_what_the_full_one_finds() {
    let (_, data) = demo(1500, 73);
    let (_, laat) = demo(30, 74);
    let k: Kwartaal = "2025Q4".parse().unwrap();
    let een = kwartaal(&model_of(&pairs(&data)), k);
    let mut alles = pairs(&data);
    alles.extend(pairs(&laat));
    let twee = kwartaal(&model_of(&alles), k);
    let regels = Regels::default();
    let t = regels.drempel();
    let eerste = gepubliceerd(&bescherm_voor_vrijgave(&een, &regels, &[]));
    let (tabel, sleutels, _) = als_tabel(&twee);
    let groeit: Vec<bool> = sleutels.iter().map(|s| s.maat.groeit()).collect();
    let eerdere = vec![als_gepubliceerd(&eerste, &sleutels, false)];
    // Hidden as the first release hid, and as a release made anew would (which the joint
    // audit refuses in places): both answers must agree either way.
    let opnieuw = gepubliceerd(&bescherm_voor_vrijgave(&twee, &regels, &[]));
    for verborgen in [
        sleutels
            .iter()
            .map(|s| eerste[s].is_none().then_some(Reden::Eerder))
            .collect::<Vec<_>>(),
        sleutels
            .iter()
            .map(|s| opnieuw[s].is_none().then_some(Reden::Eerder))
            .collect::<Vec<_>>(),
    ] {
        let snel = gezamenlijk(&eerdere, &tabel, &verborgen, false, &groeit, t);
        let volledig = gezamenlijk_volledig(&eerdere, &tabel, &verborgen, false, &groeit, t);
        assert_eq!(snel.1, volledig.1, "cells audited");
        let cellen = |b: &[traject_vrijgave::audit::Bevinding]| -> Vec<usize> {
            b.iter().map(|b| b.cel).collect()
        };
        assert_eq!(cellen(&snel.0), cellen(&volledig.0));
    }
}

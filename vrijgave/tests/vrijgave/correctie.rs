//! Differencing: a correction of a released quarter after one more trajectory, audited jointly
//! with the first release (the joint linear-programming audit of successive releases).

use std::collections::BTreeMap;

use traject_domain::value::{AfsluitingsReden, Methode};
use traject_projections::cijfers::{Cel, Cijfers, Kwartaal, Periode, regiocijfers};
use traject_vrijgave::audit::gezamenlijk;
use traject_vrijgave::bescherming::tabel::Reden;
use traject_vrijgave::bescherming::{
    Maat, Publicatie, Regels, Sleutel, Waarde, als_tabel, bescherm_voor_vrijgave, eerder_verborgen,
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
    let eerste = bescherm_voor_vrijgave(&een, &regels, &BTreeMap::new(), &[]);
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
    let naief = bescherm_voor_vrijgave(&twee, &regels, &BTreeMap::new(), &[]);
    assert!(naief.afgekeurd.is_empty());
    let (tabel, sleutels, _) = als_tabel(&twee);
    let verborgen: Vec<Option<Reden>> = sleutels
        .iter()
        .map(|s| match naief.cellen[s] {
            Waarde::Verborgen(r) => Some(r),
            Waarde::Getal(_) => None,
        })
        .collect();
    let eerdere = vec![
        sleutels
            .iter()
            .map(|s| eerste_waarden.get(s).copied().flatten())
            .collect::<Vec<_>>(),
    ];
    let groeit: Vec<bool> = sleutels.iter().map(|s| s.maat.groeit()).collect();
    let (bevindingen, _) = gezamenlijk(&eerdere, &tabel, &verborgen, &groeit, t);
    let gevonden: Vec<Sleutel> = bevindingen.iter().map(|b| sleutels[b.cel]).collect();
    assert!(
        gevonden.contains(&landelijk_aangemeld),
        "the joint audit misses the difference: {gevonden:?}"
    );

    // The correction as made: protected jointly, nothing hidden before is shown, and no cell
    // both publish differs by 1 to T - 1.
    let eerder = eerder_verborgen(&twee, &[(&eerste_waarden, false)], &regels);
    let correctie = bescherm_voor_vrijgave(&twee, &regels, &eerder, &[&eerste_waarden]);
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
    let (bevindingen, geaudit) = gezamenlijk(&eerdere, &tabel, &verborgen, &groeit, t);
    assert!(bevindingen.is_empty(), "{bevindingen:?}");
    assert!(geaudit > verborgen.iter().filter(|v| v.is_some()).count());
}

//! Disclosure control of the counts behind the business case: every region published shows no
//! count behind its money from 1 to T - 1, and neither do the withheld regions taken together
//! (the nation minus the published ones) unless every region is, on demo data of two sizes.

use std::collections::BTreeSet;

use traject_domain::value::Regio;
use traject_projections::businesscase::{Tellingen, per_regio};
use traject_vrijgave::businesscase::{achtergehouden, toonbaar};

use crate::helpers::{date, demo, model_of, pairs};

#[test]
fn published_regions_and_the_withheld_together_show_no_small_count() {
    for (trajecten, seed) in [(3_000, 5), (12_000, 6)] {
        let (_, data) = demo(trajecten, seed);
        let model = model_of(&pairs(&data));
        let per = per_regio(&model, date("2026-06-30"), 2025);
        let weg = achtergehouden(&per, 10, &BTreeSet::new());
        let mut som = Tellingen::leeg(2025);
        for r in Regio::ALL {
            let t = &per[&Some(r)];
            if weg.contains(&r) {
                som.voeg_toe(t);
            } else {
                assert!(toonbaar(t, 10), "{r:?} published with a small count");
            }
        }
        // Together they pass, or every region is withheld (and the nation, failing too, with
        // them).
        assert!(
            weg.is_empty() || toonbaar(&som, 10) || weg.len() == Regio::ALL.len(),
            "the withheld regions together show a small count"
        );
        // Withheld before, withheld again.
        let eerder = BTreeSet::from([Regio::ALL[0]]);
        assert!(achtergehouden(&per, 10, &eerder).contains(&Regio::ALL[0]));
        if trajecten >= 12_000 {
            assert!(toonbaar(&per[&None], 10), "the nation's counts are shown");
        }
        println!(
            "{trajecten} trajectories: {} of 35 regions withheld",
            weg.len()
        );
    }
}

//! The business case of one region (or the nation) in one year: per party the costs it pays and
//! the returns it receives, month by month over a horizon, from the projections' counts
//! ([`Tellingen`]) and the assumptions ([`Aannames`]).
//!
//! - **Costs**: each trajectory-month of the year at the price of its method and financier, paid
//!   by the financier's party (Anders: [`Partij::Overig`]).
//! - **Benefits saved**: each month in work, the benefit at intake times the share that stops per
//!   hour worked times the hours (linear, so the nation's case is the sum of the regions'):
//!   Participatiewet for the gemeente, WIA, Wajong, WW and ZW for UWV.
//! - **Care costs avoided**, for clients in GGZ treatment at intake: the care costs per month
//!   times the share work avoids, for the zorgverzekeraar.
//! - **Taxes and premiums** per hour worked for the state ([`Partij::Rijk`]) and the employer's
//!   gain per hour, where the assumptions include them.
//! - **After the year**: those in work on its last day go on working, fewer each month at the
//!   yearly retention, until the horizon; the year's costs are all the costs.
//!
//! The scenarios: low takes the highest costs and the lowest returns of every range, high the
//! other way round. Amounts are euros, not rounded; the break-even month is the first month
//! whose cumulative returns reach the cumulative costs.

use std::collections::BTreeMap;

use traject_domain::value::{Financier, Methode, Uitkering};
use traject_projections::businesscase::Tellingen;

use crate::aannames::{Aannames, Bereik};

/// Hours per month for an hour per week.
pub const WEKEN_PER_MAAND: f64 = 52.0 / 12.0;

/// A party that pays or receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Partij {
    /// The municipality.
    Gemeente,
    /// UWV.
    Uwv,
    /// The health insurer.
    Zorgverzekeraar,
    /// The GGZ provider.
    GgzAanbieder,
    /// The employer.
    Werkgever,
    /// The state (taxes and premiums).
    Rijk,
    /// Another financier.
    Overig,
}

impl Partij {
    /// Every party, in the order of the outputs.
    pub const ALLE: [Partij; 7] = [
        Partij::Gemeente,
        Partij::Uwv,
        Partij::Zorgverzekeraar,
        Partij::GgzAanbieder,
        Partij::Werkgever,
        Partij::Rijk,
        Partij::Overig,
    ];

    /// Its name in outputs.
    pub fn naam(&self) -> &'static str {
        match self {
            Partij::Gemeente => "gemeente",
            Partij::Uwv => "UWV",
            Partij::Zorgverzekeraar => "zorgverzekeraar",
            Partij::GgzAanbieder => "GGZ-aanbieder",
            Partij::Werkgever => "werkgever",
            Partij::Rijk => "Rijk",
            Partij::Overig => "overig",
        }
    }

    /// The party a financier is.
    pub fn van_financier(f: Financier) -> Partij {
        match f {
            Financier::Gemeente => Partij::Gemeente,
            Financier::Uwv => Partij::Uwv,
            Financier::Zorgverzekeraar => Partij::Zorgverzekeraar,
            Financier::Ggz => Partij::GgzAanbieder,
            Financier::Anders => Partij::Overig,
        }
    }

    /// The party that pays a benefit, if any.
    pub fn van_uitkering(u: Uitkering) -> Option<Partij> {
        match u {
            Uitkering::Participatiewet => Some(Partij::Gemeente),
            Uitkering::Wia | Uitkering::Wajong | Uitkering::Ww | Uitkering::Zw => Some(Partij::Uwv),
            Uitkering::Geen | Uitkering::Anders => None,
        }
    }
}

/// Which end of every range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scenario {
    /// Highest costs, lowest returns.
    Laag,
    /// The middle values.
    Midden,
    /// Lowest costs, highest returns.
    Hoog,
}

impl Scenario {
    /// Every scenario.
    pub const ALLE: [Scenario; 3] = [Scenario::Laag, Scenario::Midden, Scenario::Hoog];

    fn kosten(&self, b: &Bereik) -> f64 {
        match self {
            Scenario::Laag => b.hoog,
            Scenario::Midden => b.midden,
            Scenario::Hoog => b.laag,
        }
    }

    fn baten(&self, b: &Bereik) -> f64 {
        match self {
            Scenario::Laag => b.laag,
            Scenario::Midden => b.midden,
            Scenario::Hoog => b.hoog,
        }
    }
}

/// One party's balance over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Balans {
    /// Per month from the year's first: costs paid.
    pub kosten: Vec<f64>,
    /// Per month: returns received.
    pub baten: Vec<f64>,
}

impl Balans {
    fn nieuw(maanden: usize) -> Self {
        Self {
            kosten: vec![0.0; maanden],
            baten: vec![0.0; maanden],
        }
    }

    /// Costs over the horizon.
    pub fn kosten_totaal(&self) -> f64 {
        self.kosten.iter().sum()
    }

    /// Returns over the horizon.
    pub fn baten_totaal(&self) -> f64 {
        self.baten.iter().sum()
    }

    /// Returns minus costs.
    pub fn netto(&self) -> f64 {
        self.baten_totaal() - self.kosten_totaal()
    }

    /// The first month (1 = the year's January) whose cumulative returns reach the cumulative
    /// costs, once there are costs; `None` when none within the horizon (or no costs).
    pub fn break_even_maand(&self) -> Option<u32> {
        let (mut k, mut b) = (0.0, 0.0);
        for (m, (kosten, baten)) in self.kosten.iter().zip(&self.baten).enumerate() {
            k += kosten;
            b += baten;
            if k > 0.0 && b >= k {
                return Some(m as u32 + 1);
            }
        }
        None
    }

    fn voeg_toe(&mut self, ander: &Balans) {
        for (a, b) in self.kosten.iter_mut().zip(&ander.kosten) {
            *a += b;
        }
        for (a, b) in self.baten.iter_mut().zip(&ander.baten) {
            *a += b;
        }
    }
}

/// A business case.
#[derive(Debug, Clone, PartialEq)]
pub struct Uitkomst {
    /// The year.
    pub jaar: i32,
    /// The scenario.
    pub scenario: Scenario,
    /// The horizon in years.
    pub horizon_jaren: u32,
    /// The assumptions' version.
    pub aannames_versie: String,
    /// Per party.
    pub per_partij: BTreeMap<Partij, Balans>,
}

impl Uitkomst {
    /// All parties together.
    pub fn totaal(&self) -> Balans {
        let mut totaal = Balans::nieuw(12 * self.horizon_jaren as usize);
        for b in self.per_partij.values() {
            totaal.voeg_toe(b);
        }
        totaal
    }
}

/// The business case of `tellingen` under `aannames` in `scenario` over `horizon_jaren`.
pub fn bereken(
    tellingen: &Tellingen,
    aannames: &Aannames,
    scenario: Scenario,
    horizon_jaren: u32,
) -> Uitkomst {
    bereken_geschaald(
        tellingen,
        aannames,
        scenario,
        horizon_jaren,
        &BTreeMap::new(),
    )
}

/// [`bereken`] with each method's months (of support and of work) times its factor in `schaal`
/// (1 where it names none): a what-if of more or fewer trajectories of a method, each like the
/// ones counted.
pub fn bereken_geschaald(
    tellingen: &Tellingen,
    aannames: &Aannames,
    scenario: Scenario,
    horizon_jaren: u32,
    schaal: &BTreeMap<Methode, f64>,
) -> Uitkomst {
    let factor = |m: &Methode| schaal.get(m).copied().unwrap_or(1.0);
    let maanden = 12 * horizon_jaren.max(1) as usize;
    let mut per_partij: BTreeMap<Partij, Balans> = Partij::ALLE
        .iter()
        .map(|p| (*p, Balans::nieuw(maanden)))
        .collect();

    for ((methode, financier), per_maand) in &tellingen.trajectmaanden {
        let prijs = aannames
            .kosten_per_trajectmaand
            .get(methode)
            .and_then(|p| p.get(financier))
            .map_or(0.0, |b| scenario.kosten(b));
        let b = per_partij
            .get_mut(&Partij::van_financier(*financier))
            .expect("every party is listed");
        for (m, n) in per_maand.iter().enumerate() {
            b.kosten[m] += n * prijs * factor(methode);
        }
    }

    let behoud = scenario.baten(&aannames.behoud_per_jaar);
    let zorg = scenario.baten(&aannames.zorgkosten_per_maand)
        * scenario.baten(&aannames.zorgkosten_effect_werk);
    let rijk_per_uur = scenario.baten(&aannames.belasting_premies_per_uur) * WEKEN_PER_MAAND;
    let werkgever_per_uur = scenario.baten(&aannames.werkgever_per_uur) * WEKEN_PER_MAAND;
    for (groep, werk) in &tellingen.werk {
        let uitkering = aannames
            .uitkering_per_maand
            .get(&groep.uitkering)
            .map_or(0.0, |b| scenario.baten(b));
        let afbouw = aannames
            .afbouw_per_uur
            .get(&groep.uitkering)
            .map_or(0.0, |b| scenario.baten(b));
        // Per month: months in work and hour-months, the year's observed, then projected.
        let f = factor(&groep.methode);
        let reeks = (0..maanden).map(|m| {
            if m < 12 {
                (werk.maanden[m] * f, werk.urenmaanden[m] * f)
            } else {
                let blijft = behoud.powf((m - 11) as f64 / 12.0) * f;
                (werk.aan_het_werk_eind * blijft, werk.uren_eind * blijft)
            }
        });
        for (m, (_, urenmaanden)) in reeks.enumerate() {
            if let Some(p) = Partij::van_uitkering(groep.uitkering) {
                per_partij.get_mut(&p).expect("listed").baten[m] +=
                    uitkering * afbouw * urenmaanden;
            }
            per_partij.get_mut(&Partij::Rijk).expect("listed").baten[m] +=
                rijk_per_uur * urenmaanden;
            per_partij
                .get_mut(&Partij::Werkgever)
                .expect("listed")
                .baten[m] += werkgever_per_uur * urenmaanden;
        }
    }
    for (methode, werk) in &tellingen.ggz {
        let f = factor(methode);
        for m in 0..maanden {
            let werkmaanden = if m < 12 {
                werk.maanden[m] * f
            } else {
                werk.aan_het_werk_eind * behoud.powf((m - 11) as f64 / 12.0) * f
            };
            per_partij
                .get_mut(&Partij::Zorgverzekeraar)
                .expect("listed")
                .baten[m] += zorg * werkmaanden;
        }
    }
    Uitkomst {
        jaar: tellingen.jaar,
        scenario,
        horizon_jaren: horizon_jaren.max(1),
        aannames_versie: aannames.versie.clone(),
        per_partij,
    }
}

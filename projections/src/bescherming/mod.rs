//! Disclosure control of the regional figures (product.md, "Figures for regions"): the table
//! of [`regiocijfers`](crate::cijfers::regiocijfers) as it may leave the system.
//!
//! Every measure of every cell (region or national, quarter or year, method or total) becomes a
//! cell of one [`tabel::Tabel`], with the relations a reader knows: national = sum of regions,
//! total = sum of methods, closed = sum of its reasons, and a year against its quarters (a sum
//! for flows counted once per trajectory, the last quarter for stocks, between the largest
//! quarter and the sum for counts of distinct trajectories that can recur). Then
//! [`tabel::onderdruk`] hides what must be hidden, with what an earlier publication of the same
//! periods hid forced hidden first. Medians are published only for cells whose count is
//! published and at least `T`. Rounding to multiples of 5, if asked, rounds each published count
//! from its true value (margins too), after suppression.

pub mod tabel;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use traject_domain::value::{AfsluitingsReden, Methode, Regio};

use crate::cijfers::{Cel, Cijfers, Periode};
use tabel::{Reden, Relatie, Soort, Tabel, onderdruk};

/// The rules of a publication.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regels {
    drempel: u64,
    /// Round every published count to a multiple of 5.
    pub afronden: bool,
    /// The smallest group broken down by outcome (closing reason).
    pub min_uitsplitsing: u64,
}

impl Regels {
    /// The rules with threshold `drempel` (T), which may not be below 5.
    pub fn new(drempel: u64) -> Result<Self, String> {
        if drempel < 5 {
            return Err("drempel: mag niet lager zijn dan 5".to_owned());
        }
        Ok(Self {
            drempel,
            afronden: false,
            min_uitsplitsing: 20,
        })
    }

    /// T.
    pub fn drempel(&self) -> u64 {
        self.drempel
    }
}

impl Default for Regels {
    /// T = 10, no rounding, breakdowns from 20.
    fn default() -> Self {
        Self::new(10).expect("10 is allowed")
    }
}

/// What a cell counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Maat {
    /// Referred.
    Aangemeld,
    /// Intake completed.
    Gestart,
    /// Open at the period's end.
    Lopend,
    /// First qualifying placement started.
    EerstePlaatsing,
    /// Duurzaam reached.
    DuurzaamBereikt,
    /// In paid work at the period's end.
    MetBetaaldWerk,
    /// At waakvlam at the period's end.
    InWaakvlam,
    /// Scaled up at least once.
    Opgeschaald,
    /// Closed.
    Afgesloten,
    /// Closed, for this reason.
    AfgeslotenWegens(AfsluitingsReden),
}

impl Maat {
    /// Every measure, in publication order.
    pub fn alle() -> Vec<Maat> {
        let mut alle = vec![
            Maat::Aangemeld,
            Maat::Gestart,
            Maat::Lopend,
            Maat::EerstePlaatsing,
            Maat::DuurzaamBereikt,
            Maat::MetBetaaldWerk,
            Maat::InWaakvlam,
            Maat::Opgeschaald,
            Maat::Afgesloten,
        ];
        alle.extend(
            AfsluitingsReden::ALL
                .iter()
                .map(|r| Maat::AfgeslotenWegens(*r)),
        );
        alle
    }

    /// The measure's name in files and the API.
    pub fn naam(&self) -> String {
        match self {
            Maat::Aangemeld => "aangemeld".to_owned(),
            Maat::Gestart => "gestart".to_owned(),
            Maat::Lopend => "lopend".to_owned(),
            Maat::EerstePlaatsing => "eerste_plaatsing".to_owned(),
            Maat::DuurzaamBereikt => "duurzaam_bereikt".to_owned(),
            Maat::MetBetaaldWerk => "met_betaald_werk".to_owned(),
            Maat::InWaakvlam => "in_waakvlam".to_owned(),
            Maat::Opgeschaald => "opgeschaald".to_owned(),
            Maat::Afgesloten => "afgesloten".to_owned(),
            Maat::AfgeslotenWegens(r) => format!("afgesloten_{}", r.as_str()),
        }
    }

    /// How a year relates to its quarters for this measure.
    fn jaar_soort(&self) -> Soort {
        match self {
            Maat::Aangemeld | Maat::Gestart | Maat::EerstePlaatsing | Maat::DuurzaamBereikt => {
                Soort::Som
            }
            Maat::Lopend | Maat::MetBetaaldWerk | Maat::InWaakvlam => Soort::Laatste,
            Maat::Opgeschaald | Maat::Afgesloten | Maat::AfgeslotenWegens(_) => Soort::Tussen,
        }
    }

    fn van(&self, c: &Cijfers) -> u64 {
        match self {
            Maat::Aangemeld => c.aangemeld,
            Maat::Gestart => c.gestart,
            Maat::Lopend => c.lopend,
            Maat::EerstePlaatsing => c.eerste_plaatsing,
            Maat::DuurzaamBereikt => c.duurzaam_bereikt,
            Maat::MetBetaaldWerk => c.met_betaald_werk,
            Maat::InWaakvlam => c.in_waakvlam,
            Maat::Opgeschaald => c.opgeschaald,
            Maat::Afgesloten => c.afgesloten.values().sum(),
            Maat::AfgeslotenWegens(r) => c.afgesloten.get(r).copied().unwrap_or(0),
        }
    }
}

/// One published cell: which cell, and which measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sleutel {
    /// Region, period, method.
    pub cel: Cel,
    /// The measure.
    pub maat: Maat,
}

/// A published value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waarde {
    /// The count (rounded if the rules say so).
    Getal(u64),
    /// Hidden, and why.
    Verborgen(Reden),
}

/// The protected table.
#[derive(Debug, Clone, PartialEq)]
pub struct Publicatie {
    /// Every cell of the grid, in order.
    pub cellen: BTreeMap<Sleutel, Waarde>,
    /// Median days from intake to first employer contact, only for publishable cells.
    pub medianen: BTreeMap<Cel, f64>,
}

impl Publicatie {
    /// The cells hidden, to be kept hidden when these periods are published again.
    pub fn verborgen(&self) -> BTreeSet<Sleutel> {
        self.cellen
            .iter()
            .filter(|(_, w)| matches!(w, Waarde::Verborgen(_)))
            .map(|(s, _)| *s)
            .collect()
    }
}

/// The table of `cijfers` as a [`Tabel`]: every region (and national), method (and total),
/// period present and measure, with the relations a reader knows. Returns the keys by index.
pub fn als_tabel(cijfers: &BTreeMap<Cel, Cijfers>) -> (Tabel, Vec<Sleutel>) {
    let periodes: BTreeSet<Periode> = cijfers.keys().map(|c| c.periode).collect();
    let regios: Vec<Option<Regio>> = Regio::ALL.iter().copied().map(Some).chain([None]).collect();
    let methodes: Vec<Option<Methode>> = Methode::ALL
        .iter()
        .copied()
        .map(Some)
        .chain([None])
        .collect();
    let maten = Maat::alle();
    let leeg = Cijfers::default();
    let mut sleutels = Vec::new();
    let mut waarden = Vec::new();
    let mut index: HashMap<Sleutel, usize> = HashMap::new();
    for periode in &periodes {
        for regio in &regios {
            for methode in &methodes {
                let cel = Cel {
                    regio: *regio,
                    periode: *periode,
                    methode: *methode,
                };
                let c = cijfers.get(&cel).unwrap_or(&leeg);
                for maat in &maten {
                    let sleutel = Sleutel { cel, maat: *maat };
                    index.insert(sleutel, sleutels.len());
                    sleutels.push(sleutel);
                    waarden.push(maat.van(c));
                }
            }
        }
    }
    let i = |regio, periode, methode, maat| {
        index[&Sleutel {
            cel: Cel {
                regio,
                periode,
                methode,
            },
            maat,
        }]
    };
    let mut relaties = Vec::new();
    let som = |delen, totaal| Relatie {
        soort: Soort::Som,
        delen,
        totaal,
    };
    for &periode in &periodes {
        for &maat in &maten {
            for &regio in &regios {
                let delen = Methode::ALL
                    .iter()
                    .map(|m| i(regio, periode, Some(*m), maat));
                relaties.push(som(delen.collect(), i(regio, periode, None, maat)));
            }
            for &methode in &methodes {
                let delen = Regio::ALL
                    .iter()
                    .map(|r| i(Some(*r), periode, methode, maat));
                relaties.push(som(delen.collect(), i(None, periode, methode, maat)));
            }
        }
        for &regio in &regios {
            for &methode in &methodes {
                let delen = AfsluitingsReden::ALL
                    .iter()
                    .map(|r| i(regio, periode, methode, Maat::AfgeslotenWegens(*r)));
                relaties.push(som(
                    delen.collect(),
                    i(regio, periode, methode, Maat::Afgesloten),
                ));
            }
        }
    }
    // A year against its quarters, where the table holds its quarters from the first on.
    let laatste_jaar = periodes.iter().rev().find_map(|p| match p {
        Periode::Jaar(j) => Some(*j),
        Periode::Kwartaal(_) => None,
    });
    for jaar in periodes.iter().filter_map(|p| match p {
        Periode::Jaar(j) => Some(*j),
        Periode::Kwartaal(_) => None,
    }) {
        let kwartalen: Vec<Periode> = periodes
            .iter()
            .filter(|p| matches!(p, Periode::Kwartaal(k) if k.jaar == jaar))
            .copied()
            .collect();
        let vanaf_eerste = kwartalen
            .iter()
            .enumerate()
            .all(|(n, p)| matches!(p, Periode::Kwartaal(k) if usize::from(k.nummer) == n + 1));
        let heel = kwartalen.len() == 4 || Some(jaar) == laatste_jaar;
        if kwartalen.is_empty() || !vanaf_eerste || !heel {
            continue;
        }
        for &regio in &regios {
            for &methode in &methodes {
                for &maat in &maten {
                    relaties.push(Relatie {
                        soort: maat.jaar_soort(),
                        delen: kwartalen
                            .iter()
                            .map(|p| i(regio, *p, methode, maat))
                            .collect(),
                        totaal: i(regio, Periode::Jaar(jaar), methode, maat),
                    });
                }
            }
        }
    }
    (Tabel { waarden, relaties }, sleutels)
}

/// Protects `cijfers` under `regels`, keeping hidden what `eerder` (an earlier publication of
/// these periods) hid.
pub fn bescherm(
    cijfers: &BTreeMap<Cel, Cijfers>,
    regels: &Regels,
    eerder: &BTreeSet<Sleutel>,
) -> Publicatie {
    let (tabel, sleutels) = als_tabel(cijfers);
    let mut vooraf: Vec<(usize, Reden)> = Vec::new();
    let mut kleine_groep = vec![false; sleutels.len()];
    for (n, s) in sleutels.iter().enumerate() {
        if eerder.contains(s) {
            vooraf.push((n, Reden::Eerder));
        } else if let Maat::AfgeslotenWegens(_) = s.maat {
            let totaal = Maat::Afgesloten.van(cijfers.get(&s.cel).unwrap_or(&Cijfers::default()));
            if totaal > 0 && totaal < regels.min_uitsplitsing {
                vooraf.push((n, Reden::KleineGroep));
                kleine_groep[n] = true;
            }
        }
    }
    // A breakdown hidden as a whole needs no complements among its own parts: each part lies
    // anywhere between 0 and the group's total.
    let mut onderdrukken = tabel.clone();
    onderdrukken
        .relaties
        .retain(|r| !r.delen.iter().all(|d| kleine_groep[*d]));
    let verborgen = onderdruk(&onderdrukken, regels.drempel, &vooraf);
    let afgerond = |n: u64| if regels.afronden { (n + 2) / 5 * 5 } else { n };
    let cellen: BTreeMap<Sleutel, Waarde> = sleutels
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let w = match verborgen[n] {
                Some(reden) => Waarde::Verborgen(reden),
                None => Waarde::Getal(afgerond(tabel.waarden[n])),
            };
            (*s, w)
        })
        .collect();
    let medianen = cijfers
        .iter()
        .filter(|(cel, c)| {
            let gestart = Sleutel {
                cel: **cel,
                maat: Maat::Gestart,
            };
            matches!(cellen.get(&gestart), Some(Waarde::Getal(_)))
                && c.dagen_tot_werkgeverscontact.len() as u64 >= regels.drempel
        })
        .filter_map(|(cel, c)| c.mediaan_dagen_tot_werkgeverscontact().map(|m| (*cel, m)))
        .collect();
    Publicatie { cellen, medianen }
}

//! Disclosure control of the regional figures (product.md, "Figures for regions"): the table
//! of [`regiocijfers`](traject_projections::cijfers::regiocijfers) as it may leave the system.
//!
//! Every measure of every cell (region or national, quarter or year, method or total) becomes a
//! cell of one [`tabel::Tabel`], with the relations a reader knows: national = sum of regions,
//! total = sum of methods, closed = sum of its reasons, and a year against its quarters (a sum
//! for flows counted once per trajectory, the last quarter for stocks, between the largest
//! quarter and the sum for counts of distinct trajectories that can recur). Then
//! [`tabel::onderdruk`] hides what must be hidden, with what an earlier publication of the same
//! periods hid forced hidden first, and [`tabel::borg`] certifies every hidden cell against all
//! relations combined (hiding more where needed; [`Publicatie::onzeker`] lists any it cannot). Medians are published only for cells whose count is
//! published and at least `T`. Rounding to multiples of 5, if asked, rounds each published count
//! from its true value (margins too), after suppression.

pub mod tabel;

use std::collections::{BTreeMap, BTreeSet};

use traject_domain::value::{AfsluitingsReden, Methode, Regio};

use tabel::{Reden, Relatie, Rooster, Soort, Tabel, borg, onderdruk};

use crate::audit;
use traject_projections::cijfers::{Cel, Cijfers, Periode};

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
    /// Closed, with this outcome.
    AfgeslotenAls(Uitkomst),
}

/// The outcomes a release breaks closings down by: the closing reasons, with the reasons that
/// are rare in a region's quarter taken together (see docs/decisions.md, "Releases of the
/// figures"). A breakdown into every reason left nearly every region with two or three counts
/// below T in its closings, each needing complements among the region's own totals, so that
/// every region's number of closings was hidden; and it published deaths per region and quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Uitkomst {
    /// Closed as duurzaam aan het werk.
    DuurzaamAanHetWerk,
    /// Closed as uitval (dropped out).
    Uitval,
    /// Every other reason: verhuisd, geen werkwens, overleden, anders.
    Overig,
}

impl Uitkomst {
    /// Every outcome, in publication order.
    pub const ALLE: [Uitkomst; 3] = [
        Uitkomst::DuurzaamAanHetWerk,
        Uitkomst::Uitval,
        Uitkomst::Overig,
    ];

    /// The outcome of a closing reason.
    pub fn van(reden: AfsluitingsReden) -> Uitkomst {
        match reden {
            AfsluitingsReden::DuurzaamAanHetWerk => Uitkomst::DuurzaamAanHetWerk,
            AfsluitingsReden::Uitval => Uitkomst::Uitval,
            AfsluitingsReden::Verhuisd
            | AfsluitingsReden::GeenWerkwens
            | AfsluitingsReden::Overleden
            | AfsluitingsReden::Anders => Uitkomst::Overig,
        }
    }

    /// Its name in measure names (`afgesloten_Uitval`): the reason's own for a single reason.
    pub fn naam(&self) -> &'static str {
        match self {
            Uitkomst::DuurzaamAanHetWerk => "DuurzaamAanHetWerk",
            Uitkomst::Uitval => "Uitval",
            Uitkomst::Overig => "Overig",
        }
    }
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
        alle.extend(Uitkomst::ALLE.iter().map(|u| Maat::AfgeslotenAls(*u)));
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
            Maat::AfgeslotenAls(u) => format!("afgesloten_{}", u.naam()),
        }
    }

    /// The measure named `naam`.
    pub fn parse(naam: &str) -> Option<Maat> {
        Maat::alle().into_iter().find(|m| m.naam() == naam)
    }

    /// How a year relates to its quarters for this measure.
    fn jaar_soort(&self) -> Soort {
        match self {
            Maat::Aangemeld | Maat::Gestart | Maat::EerstePlaatsing | Maat::DuurzaamBereikt => {
                Soort::Som
            }
            Maat::Lopend | Maat::MetBetaaldWerk | Maat::InWaakvlam => Soort::Laatste,
            Maat::Opgeschaald | Maat::Afgesloten | Maat::AfgeslotenAls(_) => Soort::Tussen,
        }
    }

    /// Whether late registrations only add to it (it counts what happens once in a
    /// trajectory), as opposed to a stock on the quarter's last day, which they move either way.
    pub fn groeit(&self) -> bool {
        self.jaar_soort() != Soort::Laatste
    }

    /// The measure's count in `c`.
    pub fn van(&self, c: &Cijfers) -> u64 {
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
            Maat::AfgeslotenAls(u) => c
                .afgesloten
                .iter()
                .filter(|(r, _)| Uitkomst::van(**r) == *u)
                .map(|(_, n)| n)
                .sum(),
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

impl Sleutel {
    /// The key as one line of text: `AM03/2024Q1/IPS/gestart`, with `NL` for national and
    /// `totaal` for all methods. What is stored of earlier publications.
    pub fn als_tekst(&self) -> String {
        format!(
            "{}/{}/{}/{}",
            self.cel.regio.map_or("NL", |r| r.code()),
            self.cel.periode,
            self.cel.methode.map_or("totaal", |m| m.as_str()),
            self.maat.naam()
        )
    }

    /// Parses what [`als_tekst`](Self::als_tekst) wrote.
    pub fn parse(tekst: &str) -> Result<Sleutel, String> {
        let fout = || format!("sleutel: '{tekst}' heeft niet de vorm regio/periode/methode/maat");
        let delen: Vec<&str> = tekst.split('/').collect();
        let [regio, periode, methode, maat] = delen[..] else {
            return Err(fout());
        };
        let regio = match regio {
            "NL" => None,
            code => Some(Regio::parse(code).map_err(|e| e.to_string())?),
        };
        let methode = match methode {
            "totaal" => None,
            naam => Some(Methode::parse(naam).map_err(|e| e.to_string())?),
        };
        Ok(Sleutel {
            cel: Cel {
                regio,
                periode: periode.parse()?,
                methode,
            },
            maat: Maat::parse(maat).ok_or_else(fout)?,
        })
    }
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
    /// Hidden cells for which no protecting movement was found (see [`tabel::borg`]); empty
    /// unless a relation between a year and its quarters pins them. Tests require it empty.
    pub onzeker: Vec<Sleutel>,
    /// Hidden cells the linear-programming audit ([`crate::audit`]) found narrower than T;
    /// empty for a table that may leave the system.
    pub afgekeurd: Vec<Sleutel>,
    /// How many hidden cells the audit proved at least T wide.
    pub geaudit: usize,
}

impl Publicatie {
    /// The cells hidden and why, to be kept hidden when these periods are published again.
    pub fn verborgen(&self) -> BTreeMap<Sleutel, Reden> {
        self.cellen
            .iter()
            .filter_map(|(s, w)| match w {
                Waarde::Verborgen(reden) => Some((*s, *reden)),
                Waarde::Getal(_) => None,
            })
            .collect()
    }
}

/// The table of `cijfers` as a [`Tabel`]: every region (and national), method (and total),
/// period present and measure, with the relations a reader knows. Returns the keys by index, in
/// the order of [`Sleutel`] (so a map of them is built without sorting), and the grids
/// [`tabel::borg`] moves cells in: region x method x period x measure, the periods being a
/// year's quarters and the year where they relate (one period otherwise, and always for
/// stocks), the measures the closings and their reasons (one measure otherwise).
pub fn als_tabel(cijfers: &BTreeMap<Cel, Cijfers>) -> (Tabel, Vec<Sleutel>, Vec<Rooster>) {
    let periodes: Vec<Periode> = cijfers
        .keys()
        .map(|c| c.periode)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // `None` (national, all methods) first, as `Option`'s order has it.
    let regios: Vec<Option<Regio>> = [None].into_iter().chain(Regio::ALL.map(Some)).collect();
    let methodes: Vec<Option<Methode>> = [None]
        .into_iter()
        .chain(Methode::ALL.iter().copied().map(Some))
        .collect();
    let maten = Maat::alle();
    let (nr, np, nm, nk) = (regios.len(), periodes.len(), methodes.len(), maten.len());
    let leeg = Cijfers::default();
    let mut sleutels = Vec::with_capacity(nr * np * nm * nk);
    let mut waarden = Vec::with_capacity(nr * np * nm * nk);
    for regio in &regios {
        for periode in &periodes {
            for methode in &methodes {
                let cel = Cel {
                    regio: *regio,
                    periode: *periode,
                    methode: *methode,
                };
                let c = cijfers.get(&cel).unwrap_or(&leeg);
                for maat in &maten {
                    sleutels.push(Sleutel { cel, maat: *maat });
                    waarden.push(maat.van(c));
                }
            }
        }
    }
    // A cell's index follows from the positions of its region, period, method and measure in
    // the lists above (position 0: national, all methods).
    let i = |r: usize, p: usize, m: usize, k: usize| ((r * np + p) * nm + m) * nk + k;
    let afgesloten = maten
        .iter()
        .position(|m| *m == Maat::Afgesloten)
        .expect("listed");
    let redenen: Vec<usize> = (0..nk)
        .filter(|k| matches!(maten[*k], Maat::AfgeslotenAls(_)))
        .collect();
    let mut relaties = Vec::new();
    let som = |delen, totaal| Relatie {
        soort: Soort::Som,
        delen,
        totaal,
    };
    for p in 0..np {
        for k in 0..nk {
            for r in 0..nr {
                let delen = (1..nm).map(|m| i(r, p, m, k)).collect();
                relaties.push(som(delen, i(r, p, 0, k)));
            }
            for m in 0..nm {
                let delen = (1..nr).map(|r| i(r, p, m, k)).collect();
                relaties.push(som(delen, i(0, p, m, k)));
            }
        }
        for r in 0..nr {
            for m in 0..nm {
                let delen = redenen.iter().map(|k| i(r, p, m, *k)).collect();
                relaties.push(som(delen, i(r, p, m, afgesloten)));
            }
        }
    }
    // A year against its quarters, where the table holds its quarters from the first on.
    let laatste_jaar = periodes.iter().rev().find_map(|p| match p {
        Periode::Jaar(j) => Some(*j),
        Periode::Kwartaal(_) => None,
    });
    // The periods of each year that relates to its quarters: its quarters, then the year.
    let mut jaarblokken: Vec<Vec<usize>> = Vec::new();
    for (jaar_nr, jaar) in periodes.iter().enumerate().filter_map(|(n, p)| match p {
        Periode::Jaar(j) => Some((n, *j)),
        Periode::Kwartaal(_) => None,
    }) {
        let kwartalen: Vec<(usize, u8)> = periodes
            .iter()
            .enumerate()
            .filter_map(|(n, p)| match p {
                Periode::Kwartaal(k) if k.jaar == jaar => Some((n, k.nummer)),
                _ => None,
            })
            .collect();
        let vanaf_eerste = kwartalen
            .iter()
            .enumerate()
            .all(|(n, (_, nummer))| usize::from(*nummer) == n + 1);
        let heel = kwartalen.len() == 4 || Some(jaar) == laatste_jaar;
        if kwartalen.is_empty() || !vanaf_eerste || !heel {
            continue;
        }
        for r in 0..nr {
            for m in 0..nm {
                for (k, maat) in maten.iter().enumerate() {
                    relaties.push(Relatie {
                        soort: maat.jaar_soort(),
                        delen: kwartalen.iter().map(|(p, _)| i(r, *p, m, k)).collect(),
                        totaal: i(r, jaar_nr, m, k),
                    });
                }
            }
        }
        let mut blok: Vec<usize> = kwartalen.iter().map(|(p, _)| *p).collect();
        blok.push(jaar_nr);
        jaarblokken.push(blok);
    }
    let rooster = |perioden: &[usize], maten_hier: &[usize]| {
        let mut cellen = Vec::with_capacity(nr * nm * perioden.len() * maten_hier.len());
        for r in 0..nr {
            for m in 0..nm {
                for p in perioden {
                    for k in maten_hier {
                        cellen.push(i(r, *p, m, *k));
                    }
                }
            }
        }
        Rooster {
            maten: vec![nr, nm, perioden.len(), maten_hier.len()],
            totalen: vec![
                Some(0),
                Some(0),
                (perioden.len() > 1).then(|| perioden.len() - 1),
                (maten_hier.len() > 1).then_some(0),
            ],
            cellen,
        }
    };
    // Closings and their reasons move together; a year moves with its quarters for flows and
    // for counts of distinct trajectories (when a year is the sum of its quarters, as it mostly
    // is, its quarters can only move against each other or with it); stocks per period, their
    // year with its last quarter.
    let groep: Vec<usize> = std::iter::once(afgesloten)
        .chain(redenen.iter().copied())
        .collect();
    let mut roosters = Vec::new();
    let mut per_maat: Vec<Vec<usize>> = vec![groep.clone()];
    per_maat.extend((0..nk).filter(|k| !groep.contains(k)).map(|k| vec![k]));
    for maten_hier in &per_maat {
        let mut los: Vec<bool> = vec![true; np];
        if maten[maten_hier[0]].jaar_soort() != Soort::Laatste {
            for blok in &jaarblokken {
                roosters.push(rooster(blok, maten_hier));
                for p in blok {
                    los[*p] = false;
                }
            }
        }
        for p in (0..np).filter(|p| los[*p]) {
            roosters.push(rooster(&[p], maten_hier));
        }
    }
    // Structural zeros: a region's method (or total) in a period where nothing at all happened:
    // every measure 0. Its cells are consecutive, one per measure.
    let vast: Vec<bool> = waarden
        .chunks(nk)
        .flat_map(|groep| {
            let leeg = groep.iter().all(|w| *w == 0);
            std::iter::repeat_n(leeg, groep.len())
        })
        .collect();
    (
        Tabel {
            waarden,
            relaties,
            vast,
        },
        sleutels,
        roosters,
    )
}

/// Protects `cijfers` under `regels`, keeping hidden what `eerder` (earlier publications of
/// these periods) hid.
///
/// A cell hidden before is hidden again. Its reason is what applies now if it is primary or
/// part of a small group; a complementary cell stays [`Reden::Secundair`]; a cell whose reason no
/// longer applies is [`Reden::Eerder`]. So the same data, published again, gives the same
/// reasons too.
///
/// This is the quick protection of provisional figures: the heuristics with their certificates
/// ([`tabel::borg`]), no linear programs. A release uses [`bescherm_voor_vrijgave`].
pub fn bescherm(
    cijfers: &BTreeMap<Cel, Cijfers>,
    regels: &Regels,
    eerder: &BTreeMap<Sleutel, Reden>,
) -> Publicatie {
    bescherm_met(cijfers, regels, eerder, None)
}

/// Protects `cijfers` as [`bescherm`] does, then publishes again the regions' and the nation's
/// totals the heuristics hid without need (each checked with linear programs) and audits the
/// whole table ([`crate::audit`]): [`Publicatie::afgekeurd`] lists any hidden cell narrower
/// than T. Takes seconds on the national data; for releases.
///
/// `eerdere`: the values the earlier releases of the quarter published (`None`: hidden), oldest
/// first, and whether each rounded. What they hid is hidden again, and so is every cell whose
/// value moved by 1 to T - 1 from what one of them published ([`eerder_verborgen`]); a cell one
/// of them published (unrounded) with the value it has now is published again. A correction
/// is then audited jointly with them ([`audit::gezamenlijk`]): where that audit finds a cell, the
/// cell (or, for a hidden cell, the largest value published in each relation it is in) is
/// hidden as well and the protection made again, at most [`JOINT_ROUNDS`] times.
pub fn bescherm_voor_vrijgave(
    cijfers: &BTreeMap<Cel, Cijfers>,
    regels: &Regels,
    eerdere: &[EerdereVrijgave<'_>],
) -> Publicatie {
    let eerder = eerder_verborgen(cijfers, eerdere, regels);
    bescherm_met(cijfers, regels, &eerder, Some(eerdere))
}

/// An earlier release of a quarter: the values it published (`None`: hidden), and whether it
/// rounded them.
pub type EerdereVrijgave<'a> = (&'a BTreeMap<Sleutel, Option<u64>>, bool);

/// How often a correction is protected again to satisfy the joint audit before it is refused.
pub const JOINT_ROUNDS: usize = 4;

fn bescherm_met(
    cijfers: &BTreeMap<Cel, Cijfers>,
    regels: &Regels,
    eerder: &BTreeMap<Sleutel, Reden>,
    vrijgave: Option<&[EerdereVrijgave<'_>]>,
) -> Publicatie {
    let (mut tabel, sleutels, roosters) = als_tabel(cijfers);
    // A cell an earlier release published with the value it has now is known: hiding it again
    // would protect nothing, so it is published and never taken as a complement.
    for (n, s) in sleutels.iter().enumerate() {
        let bekend = vrijgave
            .unwrap_or_default()
            .iter()
            .any(|(uitgave, afgerond)| {
                !afgerond && uitgave.get(s) == Some(&Some(tabel.waarden[n]))
            });
        if bekend && !eerder.contains_key(s) {
            tabel.vast[n] = true;
        }
    }
    let mut vooraf: Vec<(usize, Reden)> = Vec::new();
    let mut kleine_groep = vec![false; sleutels.len()];
    // Within a cell the measures follow Maat::alle(): the closing reasons come right after the
    // total closed.
    let afgesloten_nr = Maat::alle()
        .iter()
        .position(|m| *m == Maat::Afgesloten)
        .expect("listed");
    let per_cel = Maat::alle().len();
    for (n, s) in sleutels.iter().enumerate() {
        if let Maat::AfgeslotenAls(_) = s.maat {
            let totaal = tabel.waarden[n - n % per_cel + afgesloten_nr];
            if totaal > 0 && totaal < regels.min_uitsplitsing {
                vooraf.push((n, Reden::KleineGroep));
                kleine_groep[n] = true;
                continue;
            }
        }
        if let Some(reden) = eerder.get(s)
            && !(1..regels.drempel).contains(&tabel.waarden[n])
        {
            let reden = match reden {
                Reden::Secundair => Reden::Secundair,
                Reden::Primair | Reden::Eerder | Reden::KleineGroep => Reden::Eerder,
            };
            vooraf.push((n, reden));
        }
    }
    // A breakdown hidden as a whole needs no complements among its own parts: each part lies
    // anywhere between 0 and the group's total.
    let mut onderdrukken = tabel.clone();
    onderdrukken
        .relaties
        .retain(|r| !r.delen.iter().all(|d| kleine_groep[*d]));
    // The earlier releases as the joint audit reads them.
    let gepubliceerd: Vec<audit::Gepubliceerd> = vrijgave
        .unwrap_or_default()
        .iter()
        .map(|(uitgave, afgerond)| audit::Gepubliceerd {
            waarden: sleutels
                .iter()
                .map(|s| uitgave.get(s).copied().flatten())
                .collect(),
            afgerond: *afgerond,
        })
        .collect();
    let groeit: Vec<bool> = sleutels.iter().map(|s| s.maat.groeit()).collect();
    // Cells hidden to satisfy the joint audit, added round by round.
    let mut erbij: BTreeSet<usize> = BTreeSet::new();
    let mut ronde = 0;
    let (verborgen, onzeker, afgekeurd, geaudit) = loop {
        ronde += 1;
        let mut vooraf = vooraf.clone();
        vooraf.extend(erbij.iter().map(|c| (*c, Reden::Eerder)));
        let mut verborgen = onderdruk(&onderdrukken, regels.drempel, &vooraf);
        // The heuristic protects each relation on its own; relations combined can still pin a
        // cell. Every hidden cell gets a movement that keeps all relations (hiding more if
        // needed).
        let mut onzeker: Vec<Sleutel> = borg(&tabel, &roosters, regels.drempel, &mut verborgen)
            .into_iter()
            .map(|n| sleutels[n])
            .collect();
        if vrijgave.is_none() {
            break (verborgen, onzeker, Vec::new(), 0);
        }
        // The heuristics hide more than the relations require; the regions' and the nation's
        // totals they hid as complements are published again where linear programs show every
        // hidden cell still protected, and the whole table is audited. Should the audit find
        // a cell the local checks missed, the table as the heuristics left it is audited
        // instead.
        let controleer =
            |verborgen: &[Option<Reden>]| audit::audit(&tabel, verborgen, regels.drempel);
        let zonder_terugwinnen = verborgen.clone();
        terugwinnen(&tabel, &sleutels, regels.drempel, &mut verborgen);
        let (mut bevindingen, mut n) = controleer(&verborgen);
        if !bevindingen.is_empty() && verborgen != zonder_terugwinnen {
            verborgen = zonder_terugwinnen;
            (bevindingen, n) = controleer(&verborgen);
        }
        if !bevindingen.is_empty() {
            let afgekeurd = bevindingen.iter().map(|b| sleutels[b.cel]).collect();
            break (verborgen, onzeker, afgekeurd, n);
        }
        // The linear programs prove what the heuristics' movements could not (in a correction,
        // cells an earlier release published can no longer move).
        onzeker.clear();
        if gepubliceerd.is_empty() {
            break (verborgen, onzeker, Vec::new(), n);
        }
        let (bevindingen, n) = audit::gezamenlijk(
            &gepubliceerd,
            &tabel,
            &verborgen,
            regels.afronden,
            &groeit,
            regels.drempel,
        );
        let voor = erbij.len();
        for b in &bevindingen {
            if verborgen[b.cel].is_none() {
                erbij.insert(b.cel);
                continue;
            }
            for relatie in tabel
                .relaties
                .iter()
                .filter(|r| r.totaal == b.cel || r.delen.contains(&b.cel))
            {
                let grootste = relatie
                    .delen
                    .iter()
                    .chain([&relatie.totaal])
                    .filter(|d| verborgen[**d].is_none() && !tabel.is_vast(**d))
                    .max_by_key(|d| (tabel.waarden[**d], std::cmp::Reverse(**d)));
                if let Some(d) = grootste {
                    erbij.insert(*d);
                }
            }
        }
        if bevindingen.is_empty() || erbij.len() == voor || ronde > JOINT_ROUNDS {
            let afgekeurd = bevindingen.iter().map(|b| sleutels[b.cel]).collect();
            break (verborgen, onzeker, afgekeurd, n);
        }
    };
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
    Publicatie {
        cellen,
        medianen,
        onzeker,
        afgekeurd,
        geaudit,
    }
}

/// Publishes again the complements among the regions' and the nation's totals (over the
/// methods) that the relations do not need: largest first, the regions' before the nation's,
/// each kept published only when every hidden cell it shares a relation with keeps a range of
/// at least `t` given everything published so far.
fn terugwinnen(tabel: &Tabel, sleutels: &[Sleutel], t: u64, verborgen: &mut [Option<Reden>]) {
    let bereiken = audit::Bereiken::van(tabel);
    let mut kandidaten: Vec<usize> = (0..verborgen.len())
        .filter(|c| verborgen[*c] == Some(Reden::Secundair) && sleutels[*c].cel.methode.is_none())
        .collect();
    kandidaten.sort_by_key(|c| {
        (
            sleutels[*c].cel.regio.is_none(),
            std::cmp::Reverse(tabel.waarden[*c]),
            *c,
        )
    });
    for cel in kandidaten {
        verborgen[cel] = None;
        let buren = bereiken.buren(verborgen, cel);
        if !buren.iter().all(|d| bereiken.beschermd(verborgen, *d, t)) {
            verborgen[cel] = Some(Reden::Secundair);
        }
    }
}

/// What must be hidden again in a correction: every cell an earlier release of the quarter hid,
/// and every cell whose value now differs by 1 to T - 1 from a value a release published (two
/// releases subtracted would show a few events). `eerdere`: per earlier release, the values it
/// published (`None`: hidden) and whether it rounded them.
pub fn eerder_verborgen(
    cijfers: &BTreeMap<Cel, Cijfers>,
    eerdere: &[EerdereVrijgave<'_>],
    regels: &Regels,
) -> BTreeMap<Sleutel, Reden> {
    let leeg = Cijfers::default();
    let mut eerder = BTreeMap::new();
    for (cellen, afgerond) in eerdere {
        for (sleutel, gepubliceerd) in cellen.iter() {
            match gepubliceerd {
                None => {
                    eerder.insert(*sleutel, Reden::Eerder);
                }
                Some(oud) => {
                    let nu = sleutel.maat.van(cijfers.get(&sleutel.cel).unwrap_or(&leeg));
                    // A rounded release published a rounded value: compare what it published.
                    let nu = if *afgerond { (nu + 2) / 5 * 5 } else { nu };
                    if (1..regels.drempel).contains(&nu.abs_diff(*oud)) {
                        eerder.insert(*sleutel, Reden::Eerder);
                    }
                }
            }
        }
    }
    eerder
}

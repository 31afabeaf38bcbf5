//! Cell suppression on an abstract table: cells with counts, and the relations between them
//! that a reader knows (a total is the sum of its parts; a year's stock is its last quarter's; a
//! year's distinct count lies between its largest quarter and the sum of its quarters).
//!
//! Primary suppression hides every count `1 <= n < T`. Secondary suppression then hides more
//! cells until, in every relation, no hidden cell can be pinned down. The heuristic, per
//! relation, for every relation once and then again for each relation a newly hidden cell
//! belongs to, until none is left to check: while a relation holds exactly one hidden cell, or
//! the hidden cells other than its largest add up to less than `T` (so some hidden cell, a
//! secondary one too, could be bounded within fewer than `T`), hide the smallest non-zero
//! visible cell of that relation (ties by position, so the result is deterministic). Zeros are
//! taken only when nothing else is left.
//!
//! That protects each relation on its own; relations combined can still pin a hidden cell.
//! [`borg`] then certifies every hidden cell with a box of hidden cells that can move by at
//! least `T` while every relation holds (the hypercube method on [`Rooster`]s), hiding the
//! cheapest box where none exists. The linear-programming audit in the tests checks the result.

use std::collections::VecDeque;

use traject_projections::parallel::{cores, spread};

/// How the cells of a relation relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soort {
    /// `totaal = sum(delen)`.
    Som,
    /// `totaal = delen[last]` (a stock on the period's last day).
    Laatste,
    /// `max(delen) <= totaal <= sum(delen)` (distinct trajectories over sub-periods).
    Tussen,
}

/// A relation a reader knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relatie {
    /// The kind.
    pub soort: Soort,
    /// The parts (cell indexes).
    pub delen: Vec<usize>,
    /// The total (a cell index).
    pub totaal: usize,
}

impl Relatie {
    /// The cells that move together: all of them, but for a stock only the last part and the
    /// total, which are equal.
    fn cellen(&self) -> impl Iterator<Item = usize> + '_ {
        let delen = match self.soort {
            Soort::Laatste => &self.delen[self.delen.len().saturating_sub(1)..],
            Soort::Som | Soort::Tussen => &self.delen[..],
        };
        delen.iter().copied().chain(std::iter::once(self.totaal))
    }
}

/// Cells and relations.
#[derive(Debug, Clone, Default)]
pub struct Tabel {
    /// Each cell's true count.
    pub waarden: Vec<u64>,
    /// What a reader knows about how cells relate.
    pub relaties: Vec<Relatie>,
    /// Structural zeros: cells that are 0 because nothing at all happened in their group (a
    /// region and method without any trajectory in the period). They are published as 0 and
    /// never hidden to protect another cell: a reader who sees the group empty knows them, so
    /// hiding them would protect nothing. Empty: none.
    pub vast: Vec<bool>,
}

impl Tabel {
    /// Whether cell `c` is a structural zero.
    pub fn is_vast(&self, c: usize) -> bool {
        self.vast.get(c).copied().unwrap_or(false)
    }
}

/// Why a cell is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reden {
    /// `1 <= n < T`.
    Primair,
    /// Hidden so that a primary cell cannot be recomputed.
    Secundair,
    /// Hidden in an earlier publication of the same period.
    Eerder,
    /// A breakdown of a group too small to break down.
    KleineGroep,
}

impl Reden {
    /// Every reason.
    pub const ALLE: [Reden; 4] = [
        Reden::Primair,
        Reden::Secundair,
        Reden::Eerder,
        Reden::KleineGroep,
    ];

    /// Its name in files and the API.
    pub fn naam(&self) -> &'static str {
        match self {
            Reden::Primair => "primair",
            Reden::Secundair => "secundair",
            Reden::Eerder => "eerder",
            Reden::KleineGroep => "kleine_groep",
        }
    }
}

/// Hides cells of `tabel` under threshold `t`: those in `vooraf` (hidden before, for whatever
/// reason), the primary ones, and the secondary ones. Returns, per cell, why it is hidden.
pub fn onderdruk(tabel: &Tabel, t: u64, vooraf: &[(usize, Reden)]) -> Vec<Option<Reden>> {
    let mut verborgen: Vec<Option<Reden>> = vec![None; tabel.waarden.len()];
    for &(cel, reden) in vooraf {
        verborgen[cel] = Some(reden);
    }
    for (cel, &n) in tabel.waarden.iter().enumerate() {
        if (1..t).contains(&n) && verborgen[cel].is_none() {
            verborgen[cel] = Some(Reden::Primair);
        }
    }
    // Every relation is checked once; after that only the relations a newly hidden cell
    // belongs to, in the order they were touched (a FIFO, so the result is deterministic).
    let per_cel = RelatiesPerCel::van(tabel);
    let mut wachtrij: VecDeque<usize> = (0..tabel.relaties.len()).collect();
    let mut wacht = vec![true; tabel.relaties.len()];
    while let Some(r) = wachtrij.pop_front() {
        wacht[r] = false;
        while let Some(cel) = aanvulling(tabel, &tabel.relaties[r], &verborgen, t) {
            verborgen[cel] = Some(Reden::Secundair);
            for &ander in per_cel.van_cel(cel) {
                let ander = ander as usize;
                if ander != r && !wacht[ander] {
                    wacht[ander] = true;
                    wachtrij.push_back(ander);
                }
            }
        }
    }
    verborgen
}

/// For every cell, the relations it moves in (compressed: one offset per cell into one list).
struct RelatiesPerCel {
    begin: Vec<u32>,
    relaties: Vec<u32>,
}

impl RelatiesPerCel {
    fn van(tabel: &Tabel) -> Self {
        let mut begin = vec![0u32; tabel.waarden.len() + 1];
        for relatie in &tabel.relaties {
            for cel in relatie.cellen() {
                begin[cel + 1] += 1;
            }
        }
        for n in 1..begin.len() {
            begin[n] += begin[n - 1];
        }
        let mut vrij = begin.clone();
        let mut relaties = vec![0u32; begin[begin.len() - 1] as usize];
        for (r, relatie) in tabel.relaties.iter().enumerate() {
            for cel in relatie.cellen() {
                relaties[vrij[cel] as usize] = u32::try_from(r).expect("fewer than 2^32 relations");
                vrij[cel] += 1;
            }
        }
        Self { begin, relaties }
    }

    fn van_cel(&self, cel: usize) -> &[u32] {
        &self.relaties[self.begin[cel] as usize..self.begin[cel + 1] as usize]
    }
}

/// A grid view of part of a table: cells addressed by coordinates, with the dimensions along
/// which a total is the sum of the other coordinates. Every cell of the table lies in at most
/// one grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rooster {
    /// The size of each dimension.
    pub maten: Vec<usize>,
    /// Per dimension, the coordinate of its total, or `None` when nothing sums along it.
    pub totalen: Vec<Option<usize>>,
    /// The table's index of each grid point, row-major (the last dimension fastest).
    pub cellen: Vec<usize>,
}

/// A movement of hidden cells that keeps every relation: each cell changes by its sign times
/// the same amount.
type Patroon = Vec<(usize, i8)>;

/// Makes sure every hidden cell is protected by a movement of hidden cells that keeps every
/// relation of `tabel` and can go at least `t` in all (the cells of such a movement each lie
/// within a range of at least `t`, whatever else a reader combines). The movements are those of
/// the hypercube method on `roosters`: from the cell, one other coordinate along each summing
/// dimension, and the corners of the box they span, with a stock's twin (a year and its last
/// quarter) moving along. A cell without such a movement among hidden cells gets the one that
/// hides the least (by the sum of what it hides), and those cells are hidden as secondary.
/// Returns, in order, the hidden cells for which no movement exists at all (none in practice:
/// the box of totals always moves, unless a relation between a year and its quarters pins it),
/// and those outside every grid that no movement took along as a twin.
pub fn borg(
    tabel: &Tabel,
    roosters: &[Rooster],
    t: u64,
    verborgen: &mut [Option<Reden>],
) -> Vec<usize> {
    let n = tabel.waarden.len();
    let per_cel = RelatiesPerCel::van(tabel);
    let mut plek: Vec<Option<(u32, u32)>> = vec![None; n];
    for (r, rooster) in roosters.iter().enumerate() {
        for (punt, &cel) in rooster.cellen.iter().enumerate() {
            plek[cel] = Some((r as u32, punt as u32));
        }
    }
    let mut tweeling: Vec<Option<usize>> = vec![None; n];
    for relatie in tabel.relaties.iter().filter(|r| r.soort == Soort::Laatste) {
        if let Some(&laatste) = relatie.delen.last() {
            tweeling[laatste] = Some(relatie.totaal);
            tweeling[relatie.totaal] = Some(laatste);
        }
    }
    let zoekers: Vec<Zoeker> = roosters
        .iter()
        .map(|rooster| Zoeker::new(tabel, &per_cel, &tweeling, rooster, t))
        .collect();
    // A movement stays within its grid and the twins of its cells, so grids that share no
    // twin are independent: each group of grids joined by twins is searched on its own, its
    // cells in the table's order, the groups spread over the cores. The result is the same as
    // one search through all cells in order.
    let groep = groepen(roosters.len(), &plek, &tweeling);
    let aantal_groepen = groep.iter().max().map_or(0, |g| g + 1);
    let mut cellen: Vec<Vec<usize>> = vec![Vec::new(); aantal_groepen];
    for (cel, plaats) in plek.iter().enumerate() {
        if let Some((r, _)) = plaats {
            cellen[groep[*r as usize]].push(cel);
        }
    }
    let begin: &[Option<Reden>] = verborgen;
    let uitkomsten = spread(cellen, cores(aantal_groepen), |deel| {
        let mut verborgen = begin.to_vec();
        let mut beschermd = vec![false; n];
        let (mut nieuw, mut zonder, mut buiten) = (Vec::new(), Vec::new(), Vec::new());
        for cel in deel.into_iter().flat_map(|(_, cellen)| cellen) {
            if verborgen[cel].is_none() || beschermd[cel] {
                continue;
            }
            let Some((r, punt)) = plek[cel] else {
                continue;
            };
            let zoeker = &zoekers[r as usize];
            let patroon = zoeker
                .onder_verborgen(punt as usize, &verborgen)
                .or_else(|| zoeker.goedkoopste(punt as usize, &verborgen));
            match patroon {
                Some(patroon) => {
                    for (c, _) in patroon {
                        beschermd[c] = true;
                        if plek[c].is_none() {
                            buiten.push(c);
                        }
                        if verborgen[c].is_none() {
                            verborgen[c] = Some(Reden::Secundair);
                            nieuw.push(c);
                        }
                    }
                }
                None => zonder.push(cel),
            }
        }
        (nieuw, zonder, buiten)
    });
    let mut onbeschermd = Vec::new();
    let mut buiten_beschermd = vec![false; n];
    for (nieuw, zonder, buiten) in uitkomsten {
        for c in nieuw {
            verborgen[c] = Some(Reden::Secundair);
        }
        for c in buiten {
            buiten_beschermd[c] = true;
        }
        onbeschermd.extend(zonder);
    }
    // A hidden cell outside every grid is protected only as the twin in another's movement.
    onbeschermd.extend(
        (0..n).filter(|c| plek[*c].is_none() && verborgen[*c].is_some() && !buiten_beschermd[*c]),
    );
    onbeschermd.sort_unstable();
    onbeschermd
}

/// Per grid, the number of its group: grids joined by a twin (a stock's year in one grid, its
/// last quarter in another) share one, numbered in the order of their first grid.
fn groepen(roosters: usize, plek: &[Option<(u32, u32)>], tweeling: &[Option<usize>]) -> Vec<usize> {
    let mut ouder: Vec<usize> = (0..roosters).collect();
    fn wortel(ouder: &mut [usize], mut r: usize) -> usize {
        while ouder[r] != r {
            ouder[r] = ouder[ouder[r]];
            r = ouder[r];
        }
        r
    }
    for (cel, ander) in tweeling.iter().enumerate() {
        if let (Some(ander), Some((a, _))) = (ander, plek[cel])
            && let Some((b, _)) = plek[*ander]
        {
            let (a, b) = (
                wortel(&mut ouder, a as usize),
                wortel(&mut ouder, b as usize),
            );
            ouder[a.max(b)] = a.min(b);
        }
    }
    let mut nummer = vec![usize::MAX; roosters];
    let mut volgende = 0;
    (0..roosters)
        .map(|r| {
            let w = wortel(&mut ouder, r);
            if nummer[w] == usize::MAX {
                nummer[w] = volgende;
                volgende += 1;
            }
            nummer[w]
        })
        .collect()
}

struct Zoeker<'a> {
    tabel: &'a Tabel,
    per_cel: &'a RelatiesPerCel,
    /// A stock's year for its last quarter, and the other way round.
    tweeling: &'a [Option<usize>],
    rooster: &'a Rooster,
    t: u64,
    /// Per dimension, how far apart neighbouring grid points lie (the last dimension fastest).
    stap: Vec<usize>,
    /// Whether a cell of the grid has a twin (only stocks do).
    rooster_heeft_tweelingen: bool,
}

impl<'a> Zoeker<'a> {
    /// A search in `rooster`; `tweeling` as in [`borg`].
    fn new(
        tabel: &'a Tabel,
        per_cel: &'a RelatiesPerCel,
        tweeling: &'a [Option<usize>],
        rooster: &'a Rooster,
        t: u64,
    ) -> Self {
        assert!(
            rooster.totalen.iter().flatten().count() <= MAX_HOEKEN.trailing_zeros() as usize,
            "a grid sums along at most {} dimensions",
            MAX_HOEKEN.trailing_zeros()
        );
        let mut stap = vec![1usize; rooster.maten.len()];
        for d in (0..stap.len().saturating_sub(1)).rev() {
            stap[d] = stap[d + 1] * rooster.maten[d + 1];
        }
        let rooster_heeft_tweelingen = rooster.cellen.iter().any(|c| tweeling[*c].is_some());
        Self {
            tabel,
            per_cel,
            tweeling,
            rooster,
            t,
            stap,
            rooster_heeft_tweelingen,
        }
    }

    /// The coordinates of grid point `punt`.
    fn coordinaten(&self, mut punt: usize) -> Vec<usize> {
        let mut c = vec![0; self.rooster.maten.len()];
        for d in (0..c.len()).rev() {
            c[d] = punt % self.rooster.maten[d];
            punt /= self.rooster.maten[d];
        }
        c
    }

    /// The summing dimensions.
    fn sommen(&self) -> Vec<usize> {
        (0..self.rooster.maten.len())
            .filter(|d| self.rooster.totalen[*d].is_some())
            .collect()
    }

    /// The box from grid point `punt` along one step per summing dimension, with the signs of
    /// the hypercube method and the twins of stocks, written into `patroon` (cleared first, so
    /// one buffer serves a whole search). Whether it keeps every relation is
    /// [`ruimte`](Self::ruimte)'s to check.
    fn patroon(&self, punt: usize, gekozen: &[Stap], patroon: &mut Patroon) {
        patroon.clear();
        let mut hoeken = [(0usize, 0i8); MAX_HOEKEN];
        let hoeken = hoeken_van(punt, gekozen, &mut hoeken);
        patroon.extend(
            hoeken
                .iter()
                .map(|&(p, teken)| (self.rooster.cellen[p], teken)),
        );
        if !self.rooster_heeft_tweelingen {
            return;
        }
        // A stock's year moves with its last quarter.
        for n in 0..patroon.len() {
            let (cel, teken) = patroon[n];
            if let Some(ander) = self.tweeling[cel]
                && !patroon.iter().any(|(c, _)| *c == ander)
            {
                patroon.push((ander, teken));
            }
        }
    }

    /// Whether every cell of the box, twins included, is hidden: checked corner by corner as
    /// each is found, stopping at the first visible one, before any box is built.
    fn alle_verborgen(&self, punt: usize, gekozen: &[Stap], verborgen: &[Option<Reden>]) -> bool {
        let verborgen_op = |p: usize| {
            let cel = self.rooster.cellen[p];
            verborgen[cel].is_some() && self.tweeling[cel].is_none_or(|t| verborgen[t].is_some())
        };
        let mut punten = [0usize; MAX_HOEKEN];
        punten[0] = punt;
        if !verborgen_op(punt) {
            return false;
        }
        for h in 1..(1usize << gekozen.len()) {
            let stap = &gekozen[h.trailing_zeros() as usize];
            punten[h] = punten[h & (h - 1)].wrapping_add_signed(stap.afstand);
            if !verborgen_op(punten[h]) {
                return false;
            }
        }
        true
    }

    /// How far the cells of `patroon` can move down before one drops below zero, and up.
    fn tot_nul(&self, patroon: &Patroon) -> (i64, i64) {
        let (mut omlaag, mut omhoog) = (i64::MAX, i64::MAX);
        for &(cel, s) in patroon {
            let waarde = self.tabel.waarden[cel] as i64;
            if s > 0 {
                omlaag = omlaag.min(waarde);
            } else {
                omhoog = omhoog.min(waarde);
            }
        }
        (omlaag, omhoog)
    }

    /// How far the cells of `patroon` can move together: the sum of how far down and how far
    /// up, or `None` if a relation does not hold along it.
    fn ruimte(&self, patroon: &Patroon) -> Option<u64> {
        let teken = |cel: usize| {
            patroon
                .iter()
                .find(|(c, _)| *c == cel)
                .map_or(0, |(_, s)| i64::from(*s))
        };
        let waarde = |cel: usize| self.tabel.waarden[cel] as i64;
        let (mut omlaag, mut omhoog) = self.tot_nul(patroon);
        // A sum (or a stock and its year) holds if what its parts gain its total gains.
        let mut netto: Vec<(u32, i64)> = Vec::with_capacity(patroon.len() * 4);
        let mut tussen: Vec<u32> = Vec::new();
        for &(cel, s) in patroon {
            for &r in self.per_cel.van_cel(cel) {
                let relatie = &self.tabel.relaties[r as usize];
                match relatie.soort {
                    Soort::Som | Soort::Laatste => {
                        let s = i64::from(s);
                        netto.push((r, if relatie.totaal == cel { -s } else { s }));
                    }
                    Soort::Tussen => tussen.push(r),
                }
            }
        }
        netto.sort_unstable_by_key(|(r, _)| *r);
        for groep in netto.chunk_by(|a, b| a.0 == b.0) {
            if groep.iter().map(|(_, s)| s).sum::<i64>() != 0 {
                return None;
            }
        }
        tussen.sort_unstable();
        tussen.dedup();
        for r in tussen {
            let relatie = &self.tabel.relaties[r as usize];
            let st = teken(relatie.totaal);
            // a * x <= b for x the movement, the true values satisfying it.
            let mut grens = |a: i64, b: i64| {
                if a > 0 {
                    omhoog = omhoog.min(b / a);
                } else if a < 0 {
                    omlaag = omlaag.min(b / -a);
                }
            };
            let totaal = waarde(relatie.totaal);
            let (mut som, mut som_tekens) = (0, 0);
            for &d in &relatie.delen {
                grens(teken(d) - st, totaal - waarde(d));
                som += waarde(d);
                som_tekens += teken(d);
            }
            grens(st - som_tekens, som - totaal);
        }
        Some(omlaag.saturating_add(omhoog).max(0) as u64)
    }

    /// What hiding the cells of `patroon` costs: the sum of the visible ones, then how many.
    fn kosten(&self, patroon: &Patroon, verborgen: &[Option<Reden>]) -> (u64, usize) {
        patroon
            .iter()
            .filter(|(c, _)| verborgen[*c].is_none())
            .fold((0, 0), |(w, n), (c, _)| (w + self.tabel.waarden[*c], n + 1))
    }

    /// Whether the cells of `patroon` could go `t` before one drops below zero (a quick test
    /// before [`ruimte`](Self::ruimte)).
    fn kan(&self, patroon: &Patroon) -> bool {
        let (omlaag, omhoog) = self.tot_nul(patroon);
        omlaag.saturating_add(omhoog) >= self.t as i64
    }

    /// The step from grid point `punt` (at `van`) to coordinate `naar` along dimension `d`.
    fn stap_naar(&self, punt: usize, van: &[usize], d: usize, naar: usize) -> Stap {
        let totaal = self.rooster.totalen[d];
        let afstand = (naar as isize - van[d] as isize) * self.stap[d] as isize;
        let cel = self.rooster.cellen[punt.wrapping_add_signed(afstand)];
        Stap {
            naar,
            afstand,
            keer: totaal != Some(van[d]) && totaal != Some(naar),
            cel,
            waarde: self.tabel.waarden[cel],
        }
    }

    /// The steps along dimension `d` (from grid point `punt` at `van`) to every other
    /// coordinate whose cell passes `filter`.
    fn kandidaten(
        &self,
        punt: usize,
        van: &[usize],
        d: usize,
        filter: impl Fn(usize) -> bool,
    ) -> Vec<Stap> {
        (0..self.rooster.maten[d])
            .filter(|a| *a != van[d])
            .map(|a| self.stap_naar(punt, van, d, a))
            .filter(|stap| filter(stap.cel))
            .collect()
    }

    /// Whether the box of cell `punt` along `gekozen` could go `t` as far as the corners one
    /// step from the cell tell: a test that needs no other corner, and that every box passing
    /// [`kan`](Self::kan) passes (the cell and those corners are among its cells).
    fn kan_naast(&self, punt: usize, gekozen: &[Stap]) -> bool {
        let (mut omlaag, mut omhoog) = (self.tabel.waarden[self.rooster.cellen[punt]], u64::MAX);
        for stap in gekozen {
            if stap.keer {
                omhoog = omhoog.min(stap.waarde);
            } else {
                omlaag = omlaag.min(stap.waarde);
            }
        }
        omlaag.saturating_add(omhoog) >= self.t
    }

    /// A movement among cells already hidden that goes at least `t`.
    fn onder_verborgen(&self, punt: usize, verborgen: &[Option<Reden>]) -> Option<Patroon> {
        let van = self.coordinaten(punt);
        let sommen = self.sommen();
        // Along each summing dimension, the other coordinates whose cell is hidden, the
        // largest first (they leave the most room); none along one dimension, no box.
        let mut keuzes: Vec<Vec<Stap>> = Vec::with_capacity(sommen.len());
        for &d in &sommen {
            let mut k = self.kandidaten(punt, &van, d, |cel| verborgen[cel].is_some());
            if k.is_empty() {
                return None;
            }
            k.sort_by_key(|s| (std::cmp::Reverse(s.waarde), s.naar));
            k.truncate(PER_RICHTING);
            keuzes.push(k);
        }
        let mut gekozen = [Stap::default(); MAX_DIMENSIES];
        let gekozen = &mut gekozen[..sommen.len()];
        let mut patroon = Patroon::with_capacity(2 << sommen.len());
        let mut gevonden = false;
        doorloop(&keuzes, ZOEK_ONDER_VERBORGEN, |index| {
            for (n, i) in index.iter().enumerate() {
                gekozen[n] = keuzes[n][*i];
            }
            if !self.kan_naast(punt, gekozen) || !self.alle_verborgen(punt, gekozen, verborgen) {
                return false;
            }
            self.patroon(punt, gekozen, &mut patroon);
            gevonden = self.kan(&patroon) && self.ruimte(&patroon).is_some_and(|r| r >= self.t);
            gevonden
        });
        gevonden.then_some(patroon)
    }

    /// The movement that goes at least `t` and hides the least: by the sum of the values it
    /// hides, then by how many cells, then the first.
    fn goedkoopste(&self, punt: usize, verborgen: &[Option<Reden>]) -> Option<Patroon> {
        let van = self.coordinaten(punt);
        let sommen = self.sommen();
        // What hiding a cell costs: its value, and one cell.
        let kosten = |stap: &Stap| match verborgen[stap.cel] {
            Some(_) => (0, 0),
            None => (stap.waarde, 1),
        };
        // Along each summing dimension the coordinates that hide the least: hidden ones
        // first (the largest first), then the smallest visible ones; each with what its own
        // cell costs.
        let keuzes: Vec<Vec<(Stap, (u64, usize))>> = sommen
            .iter()
            .map(|&d| {
                // A structural zero is never hidden to protect another cell.
                let mut k = self.kandidaten(punt, &van, d, |cel| {
                    verborgen[cel].is_some() || !self.tabel.is_vast(cel)
                });
                k.sort_by_key(|s| match verborgen[s.cel] {
                    Some(_) => (0, u64::MAX - s.waarde, s.naar),
                    None => (1, s.waarde, s.naar),
                });
                let mut k: Vec<(Stap, (u64, usize))> = k
                    .into_iter()
                    .take(PER_RICHTING)
                    .map(|s| (s, kosten(&s)))
                    .collect();
                // The total always: the box of totals moves as far as its smallest cell.
                if let Some(totaal) = self.rooster.totalen[d]
                    && totaal != van[d]
                    && !k.iter().any(|(s, _)| s.naar == totaal)
                {
                    let stap = self.stap_naar(punt, &van, d, totaal);
                    k.push((stap, kosten(&stap)));
                }
                k
            })
            .collect();
        let mut gekozen = [Stap::default(); MAX_DIMENSIES];
        let gekozen = &mut gekozen[..sommen.len()];
        let mut beste: Option<((u64, usize), Patroon)> = None;
        let mut patroon = Patroon::with_capacity(2 << sommen.len());
        doorloop(&keuzes, usize::MAX, |index| {
            // The cells one step from this one are corners of the box: a box whose steps
            // alone cost as much as the best one cannot beat it.
            let mut stappen = (0, 0);
            for (n, i) in index.iter().enumerate() {
                let (stap, (w, c)) = keuzes[n][*i];
                gekozen[n] = stap;
                stappen = (stappen.0 + w, stappen.1 + c);
            }
            if beste.as_ref().is_some_and(|(b, _)| stappen >= *b) || !self.kan_naast(punt, gekozen)
            {
                return false;
            }
            self.patroon(punt, gekozen, &mut patroon);
            if patroon
                .iter()
                .any(|(c, _)| verborgen[*c].is_none() && self.tabel.is_vast(*c))
            {
                return false;
            }
            let kosten = self.kosten(&patroon, verborgen);
            if beste.as_ref().is_none_or(|(k, _)| kosten < *k)
                && self.kan(&patroon)
                && self.ruimte(&patroon).is_some_and(|r| r >= self.t)
            {
                beste = Some((kosten, patroon.clone()));
            }
            false
        });
        beste.map(|(_, p)| p)
    }
}

/// One step from a cell along a summing dimension, to another coordinate: the edge of every
/// box a search tries through it.
#[derive(Debug, Clone, Copy, Default)]
struct Stap {
    /// The coordinate stepped to.
    naar: usize,
    /// How far its grid point lies from the cell's.
    afstand: isize,
    /// Whether the sign changes on the way (neither end is the dimension's total).
    keer: bool,
    /// The cell stepped to, and its value.
    cel: usize,
    waarde: u64,
}

/// The corners of the box from grid point `punt` along one step per dimension (corner `h`
/// has bit `n` set when it took step `gekozen[n]`): their grid points and signs, each from
/// the one without its lowest bit.
fn hoeken_van<'b>(
    punt: usize,
    gekozen: &[Stap],
    hoeken: &'b mut [(usize, i8); MAX_HOEKEN],
) -> &'b [(usize, i8)] {
    let aantal = 1usize << gekozen.len();
    hoeken[0] = (punt, 1);
    for h in 1..aantal {
        let stap = &gekozen[h.trailing_zeros() as usize];
        let (p, teken) = hoeken[h & (h - 1)];
        hoeken[h] = (
            p.wrapping_add_signed(stap.afstand),
            if stap.keer { -teken } else { teken },
        );
    }
    &hoeken[..aantal]
}

/// The most summing dimensions of a grid.
const MAX_DIMENSIES: usize = MAX_HOEKEN.trailing_zeros() as usize;

/// The most corners of a box: a grid sums along at most four dimensions.
const MAX_HOEKEN: usize = 16;

/// The most coordinates tried along one dimension.
const PER_RICHTING: usize = 4;

/// The most boxes of hidden cells tried for one cell before looking for the cheapest.
const ZOEK_ONDER_VERBORGEN: usize = 64;

/// Calls `f` with every combination of one choice per list, as the index of each choice (the
/// last list fastest; at most `hoogstens` combinations), until it returns true.
fn doorloop<T>(keuzes: &[Vec<T>], hoogstens: usize, mut f: impl FnMut(&[usize]) -> bool) {
    if keuzes.iter().any(Vec::is_empty) {
        return;
    }
    let mut index = vec![0usize; keuzes.len()];
    for _ in 0..hoogstens {
        if f(&index) {
            return;
        }
        let mut d = keuzes.len();
        loop {
            if d == 0 {
                return;
            }
            d -= 1;
            index[d] += 1;
            if index[d] < keuzes[d].len() {
                break;
            }
            index[d] = 0;
        }
    }
}

/// The cell to hide next in `relatie`, if it needs one.
fn aanvulling(
    tabel: &Tabel,
    relatie: &Relatie,
    verborgen: &[Option<Reden>],
    t: u64,
) -> Option<usize> {
    let waarde = |c: usize| tabel.waarden[c];
    let (mut aantal, mut som, mut grootste) = (0usize, 0u64, 0u64);
    for c in relatie.cellen().filter(|c| verborgen[*c].is_some()) {
        aantal += 1;
        som += waarde(c);
        grootste = grootste.max(waarde(c));
    }
    if aantal == 0 {
        return None;
    }
    // Within the relation a hidden cell can move only as far as the other hidden cells can take
    // up: for every hidden cell, even the largest, the others must add up to at least T.
    if aantal >= 2 && som - grootste >= t {
        return None;
    }
    let zichtbaar = || {
        relatie
            .cellen()
            .filter(|c| verborgen[*c].is_none() && !tabel.is_vast(*c))
    };
    zichtbaar()
        .filter(|c| waarde(*c) > 0)
        .min_by_key(|c| (waarde(*c), *c))
        .or_else(|| zichtbaar().min_by_key(|c| (waarde(*c), *c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn som(delen: Vec<usize>, totaal: usize) -> Relatie {
        Relatie {
            soort: Soort::Som,
            delen,
            totaal,
        }
    }

    #[test]
    fn a_lone_hidden_cell_gets_a_partner_and_small_partners_get_more() {
        // 3 + 40 + 50 = 93: the 3 is primary; hiding only it would let 93 - 40 - 50 show it.
        let tabel = Tabel {
            vast: Vec::new(),
            waarden: vec![3, 40, 50, 93],
            relaties: vec![som(vec![0, 1, 2], 3)],
        };
        let v = onderdruk(&tabel, 10, &[]);
        // With only the 40 beside it, the 40 itself would lie within 37..43: the 50 goes too.
        assert_eq!(v[0], Some(Reden::Primair));
        assert_eq!(v[1], Some(Reden::Secundair));
        assert_eq!(v[2], Some(Reden::Secundair));
        // 3 + 4 + 50 = 57: two primaries that add up to less than T need a third.
        let tabel = Tabel {
            vast: Vec::new(),
            waarden: vec![3, 4, 50, 57],
            relaties: vec![som(vec![0, 1, 2], 3)],
        };
        let v = onderdruk(&tabel, 10, &[]);
        assert!(v[2].is_some(), "{v:?}");
    }

    #[test]
    fn zeros_and_large_counts_stay_visible_and_the_result_is_deterministic() {
        let tabel = Tabel {
            vast: Vec::new(),
            waarden: vec![0, 12, 30, 42],
            relaties: vec![som(vec![0, 1, 2], 3)],
        };
        assert_eq!(onderdruk(&tabel, 10, &[]), vec![None; 4]);
        let tabel = Tabel {
            vast: Vec::new(),
            waarden: vec![5, 12, 12, 29],
            relaties: vec![som(vec![0, 1, 2], 3)],
        };
        let een = onderdruk(&tabel, 10, &[]);
        assert_eq!(een, onderdruk(&tabel, 10, &[]));
        assert_eq!(
            een[1],
            Some(Reden::Secundair),
            "the first of equal candidates"
        );
    }

    #[test]
    fn what_was_hidden_before_stays_hidden_and_is_protected() {
        let tabel = Tabel {
            vast: Vec::new(),
            waarden: vec![30, 40, 50, 120],
            relaties: vec![som(vec![0, 1, 2], 3)],
        };
        let v = onderdruk(&tabel, 10, &[(2, Reden::Eerder)]);
        assert_eq!(v[2], Some(Reden::Eerder));
        assert_eq!(v[0], Some(Reden::Secundair));
    }
}

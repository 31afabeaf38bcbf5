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
//! visible cell of that relation
//! (ties by position, so the result is deterministic). Zeros are taken only when nothing else
//! is left. The linear-programming audit in the tests checks the result.

use std::collections::VecDeque;

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

    /// The reason named `naam`.
    pub fn parse(naam: &str) -> Option<Reden> {
        Reden::ALLE.into_iter().find(|r| r.naam() == naam)
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
    let zichtbaar = || relatie.cellen().filter(|c| verborgen[*c].is_none());
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
            waarden: vec![3, 4, 50, 57],
            relaties: vec![som(vec![0, 1, 2], 3)],
        };
        let v = onderdruk(&tabel, 10, &[]);
        assert!(v[2].is_some(), "{v:?}");
    }

    #[test]
    fn zeros_and_large_counts_stay_visible_and_the_result_is_deterministic() {
        let tabel = Tabel {
            waarden: vec![0, 12, 30, 42],
            relaties: vec![som(vec![0, 1, 2], 3)],
        };
        assert_eq!(onderdruk(&tabel, 10, &[]), vec![None; 4]);
        let tabel = Tabel {
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
            waarden: vec![30, 40, 50, 120],
            relaties: vec![som(vec![0, 1, 2], 3)],
        };
        let v = onderdruk(&tabel, 10, &[(2, Reden::Eerder)]);
        assert_eq!(v[2], Some(Reden::Eerder));
        assert_eq!(v[0], Some(Reden::Secundair));
    }
}

//! The audit of a release with linear programs: for every hidden cell, the smallest and largest
//! value it could have given everything the release publishes, the relations a reader knows
//! (regions -> national, methods -> total, reasons -> closings) and that counts are not
//! negative. A release is made only when every hidden cell's range holds its true value and is
//! at least T wide: then no hidden value can be narrowed to fewer than T possible values.
//!
//! Published values enter as exact values even when the release rounds them, which only gives
//! the reader more than they have: an audit that passes on exact values passes on rounded ones.
//! A hidden cell's range depends only on the hidden cells linked to it through relations (its
//! component); each component's linear programs are solved with `microlp`, a pure-Rust simplex.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, constraint,
    microlp, variable,
};

use crate::bescherming::tabel::{Reden, Relatie, Soort, Tabel};

/// A hidden cell whose range is narrower than T (or misses its true value). In a joint audit
/// ([`gezamenlijk`]) the cell of the quarter's table, in whichever release or difference.
#[derive(Debug, Clone, PartialEq)]
pub struct Bevinding {
    /// The cell's index in the table.
    pub cel: usize,
    /// The smallest value it could have.
    pub laagste: f64,
    /// The largest (`None`: unbounded).
    pub hoogste: Option<f64>,
}

/// Audits every hidden cell of `tabel` (hidden where `verborgen` says so) against `t`; returns
/// the cells that fail, and how many cells were audited.
pub fn audit(tabel: &Tabel, verborgen: &[Option<Reden>], t: u64) -> (Vec<Bevinding>, usize) {
    let waar = vec![true; tabel.waarden.len()];
    audit_met(tabel, verborgen, t, &waar, tabel.waarden.len())
}

/// Audits a new release of a quarter jointly with its earlier releases (`eerdere`: per release,
/// oldest first, the value each cell of the same table published, `None` when hidden).
///
/// The reader is assumed to know what makes two releases of one quarter differ: late
/// registrations, which add to the counts that happen once (`groeit`: flows such as
/// referrals, starts and closings) and move the stocks either way. So between successive
/// releases each such count is taken to grow (a difference of at least 0), except where the
/// reader sees it shrink. Audited: every hidden cell of every release, at least T wide given
/// all of them (so a correction does not narrow what an earlier one hid, nor the other way
/// round), and every difference both of two successive releases publish, 0 or at least T (so
/// subtracting them does not show a few events). The earlier releases' hidden values are not
/// known here and not needed: only the new release's hidden cells are checked against their
/// true values.
pub fn gezamenlijk(
    eerdere: &[Vec<Option<u64>>],
    nieuw: &Tabel,
    verborgen: &[Option<Reden>],
    groeit: &[bool],
    t: u64,
) -> (Vec<Bevinding>, usize) {
    let n = nieuw.waarden.len();
    let mut tabel = Tabel::default();
    let mut alle_verborgen: Vec<Option<Reden>> = Vec::new();
    let mut waar: Vec<bool> = Vec::new();
    // Each release's cells, in turn; the new one last.
    let mut uitgaven: Vec<Vec<Option<u64>>> = eerdere.to_vec();
    uitgaven.push(
        (0..n)
            .map(|c| verborgen[c].is_none().then_some(nieuw.waarden[c]))
            .collect(),
    );
    for (r, uitgave) in uitgaven.iter().enumerate() {
        let laatste = r + 1 == uitgaven.len();
        for c in 0..n {
            tabel.waarden.push(if laatste {
                nieuw.waarden[c]
            } else {
                uitgave[c].unwrap_or(0)
            });
            alle_verborgen.push(if laatste {
                verborgen[c]
            } else {
                uitgave[c].is_none().then_some(Reden::Eerder)
            });
            waar.push(laatste);
        }
        tabel
            .relaties
            .extend(nieuw.relaties.iter().map(|rel| Relatie {
                soort: rel.soort,
                delen: rel.delen.iter().map(|d| d + r * n).collect(),
                totaal: rel.totaal + r * n,
            }));
    }
    // A difference both releases publish is known exactly: it must be 0 or at least T.
    let mut zichtbaar_verschil = Vec::new();
    for r in 1..uitgaven.len() {
        for (c, &groeit) in groeit.iter().enumerate().take(n) {
            let (oud, nu) = ((r - 1) * n + c, r * n + c);
            let zichtbaar = |i: usize| alle_verborgen[i].is_none();
            if zichtbaar(oud) && zichtbaar(nu) {
                let (a, b) = (tabel.waarden[oud], tabel.waarden[nu]);
                if (1..t).contains(&a.abs_diff(b)) {
                    zichtbaar_verschil.push(Bevinding {
                        cel: c,
                        laagste: b as f64 - a as f64,
                        hoogste: Some(b as f64 - a as f64),
                    });
                }
                continue;
            }
            if !groeit {
                continue;
            }
            // Where the reader sees it shrink (or the new release's true value is below what an
            // earlier one published), growth is not what they assume.
            if zichtbaar(oud) && tabel.waarden[nu] < tabel.waarden[oud] {
                continue;
            }
            let verschil = tabel.waarden.len();
            tabel.waarden.push(0);
            alle_verborgen.push(Some(Reden::Secundair));
            waar.push(false);
            tabel.relaties.push(Relatie {
                soort: Soort::Som,
                delen: vec![oud, verschil],
                totaal: nu,
            });
        }
    }
    let (mut bevindingen, geaudit) =
        audit_met(&tabel, &alle_verborgen, t, &waar, uitgaven.len() * n);
    // Each finding names its cell of the quarter's table, in whichever release.
    for b in &mut bevindingen {
        b.cel %= n;
    }
    bevindingen.extend(zichtbaar_verschil);
    bevindingen.sort_by_key(|b| b.cel);
    (bevindingen, geaudit)
}

/// The audit, where `waar` says which cells' values in `tabel` are their true values (the
/// others are hidden cells whose value is not known: checked for width only) and the hidden
/// cells from `gecontroleerd` on are variables of the programs only, not audited themselves.
fn audit_met(
    tabel: &Tabel,
    verborgen: &[Option<Reden>],
    t: u64,
    waar: &[bool],
    gecontroleerd: usize,
) -> (Vec<Bevinding>, usize) {
    let per_cel = per_cel(tabel);
    let mut gedaan = vec![false; tabel.waarden.len()];
    let mut componenten = Vec::new();
    for start in 0..tabel.waarden.len() {
        if verborgen[start].is_none() || gedaan[start] {
            continue;
        }
        let component = component(&per_cel, verborgen, start);
        for c in &component {
            gedaan[*c] = true;
        }
        componenten.push(component);
    }
    // Components are independent: spread over the cores.
    let threads = traject_projections::parallel::kernen(componenten.len());
    let delen = traject_projections::parallel::verdeel(componenten, threads, |groep| {
        let mut bevindingen = Vec::new();
        let mut geaudit = 0;
        for (_, component) in groep {
            let relaties = relaties_van(&per_cel, &component);
            // Every solution found is a table a reader cannot rule out: a cell whose values
            // across them already differ by T or more needs no program of its own. The true
            // table is the first such solution.
            let bekend = component.iter().all(|c| waar[*c]);
            let (mut laag, mut hoog): (Vec<f64>, Vec<f64>) = if bekend {
                let w: Vec<f64> = component.iter().map(|c| tabel.waarden[*c] as f64).collect();
                (w.clone(), w)
            } else {
                (
                    vec![f64::INFINITY; component.len()],
                    vec![f64::NEG_INFINITY; component.len()],
                )
            };
            for (n, &cel) in component.iter().enumerate() {
                if cel >= gecontroleerd {
                    continue;
                }
                geaudit += 1;
                if hoog[n] - laag[n] >= t as f64 - 1e-6 {
                    continue;
                }
                let laagste = uiterste(tabel, &component, &relaties, cel, false);
                let hoogste = uiterste(tabel, &component, &relaties, cel, true);
                for oplossing in [&laagste, &hoogste].into_iter().flatten().flatten() {
                    neem_op(oplossing, &mut laag, &mut hoog);
                }
                // Both extremes of this cell are now among the solutions seen; a program the
                // solver failed on proves nothing.
                let opgelost = laagste.is_ok() && hoogste.is_ok();
                let begrensd = !matches!(hoogste, Ok(None));
                let echt = tabel.waarden[cel] as f64;
                let breed = !begrensd || hoog[n] - laag[n] >= t as f64 - 1e-6;
                let binnen =
                    !waar[cel] || (laag[n] - 1e-6 <= echt && (!begrensd || echt <= hoog[n] + 1e-6));
                if !opgelost || !breed || !binnen {
                    bevindingen.push(Bevinding {
                        cel,
                        laagste: laag[n],
                        hoogste: begrensd.then_some(hoog[n]),
                    });
                }
            }
        }
        (bevindingen, geaudit)
    });
    let mut bevindingen = Vec::new();
    let mut geaudit = 0;
    for (b, n) in delen {
        bevindingen.extend(b);
        geaudit += n;
    }
    bevindingen.sort_by_key(|b| b.cel);
    (bevindingen, geaudit)
}

/// The smallest and largest value hidden cell `cel` can have given what is published and the
/// relations (`None` for the largest: unbounded), each from a linear program of its own; an
/// error when a program has no solution or the solver fails.
pub fn bereik(
    tabel: &Tabel,
    verborgen: &[Option<Reden>],
    cel: usize,
) -> Result<(f64, Option<f64>), ResolutionError> {
    let per_cel = per_cel(tabel);
    let component = component(&per_cel, verborgen, cel);
    let relaties = relaties_van(&per_cel, &component);
    let n = component
        .iter()
        .position(|c| *c == cel)
        .expect("a cell is in its own component");
    let uiterst =
        |maximaal| uiterste(tabel, &component, &relaties, cel, maximaal).map(|o| o.map(|o| o[n]));
    Ok((uiterst(false)?.unwrap_or(0.0), uiterst(true)?))
}

/// Ranges of single hidden cells of one table, the relations per cell gathered once.
pub struct Bereiken<'t> {
    tabel: &'t Tabel,
    per_cel: BTreeMap<usize, Vec<&'t Relatie>>,
}

impl<'t> Bereiken<'t> {
    /// For `tabel`.
    pub fn van(tabel: &'t Tabel) -> Self {
        Self {
            tabel,
            per_cel: per_cel(tabel),
        }
    }

    /// Whether hidden cell `cel`, hidden where `verborgen` says so, keeps a range of at least
    /// `t` that holds its true value (two linear programs); a solver failure is a no.
    pub fn beschermd(&self, verborgen: &[Option<Reden>], cel: usize, t: u64) -> bool {
        let component = component(&self.per_cel, verborgen, cel);
        let relaties = relaties_van(&self.per_cel, &component);
        let Some(n) = component.iter().position(|c| *c == cel) else {
            return false;
        };
        let echt = self.tabel.waarden[cel] as f64;
        let laagste = uiterste(self.tabel, &component, &relaties, cel, false);
        let hoogste = uiterste(self.tabel, &component, &relaties, cel, true);
        match (laagste, hoogste) {
            (Ok(Some(l)), Ok(None)) => l[n] <= echt + 1e-6,
            (Ok(Some(l)), Ok(Some(h))) => {
                h[n] - l[n] >= t as f64 - 1e-6 && l[n] <= echt + 1e-6 && echt <= h[n] + 1e-6
            }
            _ => false,
        }
    }

    /// The hidden cells that share a relation with `cel`.
    pub fn buren(&self, verborgen: &[Option<Reden>], cel: usize) -> BTreeSet<usize> {
        self.per_cel
            .get(&cel)
            .into_iter()
            .flatten()
            .flat_map(|r| r.delen.iter().chain([&r.totaal]))
            .copied()
            .filter(|d| *d != cel && verborgen[*d].is_some())
            .collect()
    }
}

/// Per cell the relations it is in.
fn per_cel(tabel: &Tabel) -> BTreeMap<usize, Vec<&Relatie>> {
    let mut per_cel: BTreeMap<usize, Vec<&Relatie>> = BTreeMap::new();
    for r in &tabel.relaties {
        for c in r.delen.iter().chain([&r.totaal]) {
            per_cel.entry(*c).or_default().push(r);
        }
    }
    per_cel
}

/// The relations the cells of `component` are in, each once.
fn relaties_van<'t>(
    per_cel: &BTreeMap<usize, Vec<&'t Relatie>>,
    component: &[usize],
) -> Vec<&'t Relatie> {
    let mut gezien = BTreeSet::new();
    component
        .iter()
        .flat_map(|c| per_cel.get(c).into_iter().flatten())
        .filter(|r| gezien.insert(std::ptr::from_ref::<Relatie>(r)))
        .copied()
        .collect()
}

/// Widens each cell's `laag`..`hoog` to hold its value in `oplossing`.
fn neem_op(oplossing: &[f64], laag: &mut [f64], hoog: &mut [f64]) {
    for (n, w) in oplossing.iter().enumerate() {
        laag[n] = laag[n].min(*w);
        hoog[n] = hoog[n].max(*w);
    }
}

/// The hidden cells linked to `cel` through relations.
fn component(
    per_cel: &BTreeMap<usize, Vec<&Relatie>>,
    verborgen: &[Option<Reden>],
    cel: usize,
) -> Vec<usize> {
    let mut gezien = BTreeSet::from([cel]);
    let mut rij = VecDeque::from([cel]);
    while let Some(c) = rij.pop_front() {
        for r in per_cel.get(&c).into_iter().flatten() {
            for d in r.delen.iter().chain([&r.totaal]) {
                if verborgen[*d].is_some() && gezien.insert(*d) {
                    rij.push_back(*d);
                }
            }
        }
    }
    gezien.into_iter().collect()
}

/// A table that gives `cel` its smallest (or largest) value: the values of `onbekend`, in its
/// order; `Ok(None)` when unbounded. A program without a solution (which a consistent table
/// never gives) or that the solver fails on is an error: nothing is proved then.
fn uiterste(
    tabel: &Tabel,
    onbekend: &[usize],
    relaties: &[&Relatie],
    cel: usize,
    maximaal: bool,
) -> Result<Option<Vec<f64>>, ResolutionError> {
    let mut vars = ProblemVariables::new();
    let x: BTreeMap<usize, Variable> = onbekend
        .iter()
        .map(|c| (*c, vars.add(variable().min(0))))
        .collect();
    let e = |c: usize| -> Expression {
        match x.get(&c) {
            Some(v) => (*v).into(),
            None => Expression::from(tabel.waarden[c] as f64),
        }
    };
    let doel = x[&cel];
    let mut model = if maximaal {
        vars.maximise(doel).using(microlp)
    } else {
        vars.minimise(doel).using(microlp)
    };
    for r in relaties {
        let som: Expression = r.delen.iter().map(|d| e(*d)).sum();
        model = match r.soort {
            Soort::Som => model.with(constraint!(som == e(r.totaal))),
            Soort::Laatste => match r.delen.last() {
                Some(laatste) => model.with(constraint!(e(*laatste) == e(r.totaal))),
                None => model,
            },
            Soort::Tussen => {
                let mut m = model.with(constraint!(som >= e(r.totaal)));
                for d in &r.delen {
                    m = m.with(constraint!(e(r.totaal) >= e(*d)));
                }
                m
            }
        };
    }
    match model.solve() {
        Ok(oplossing) => Ok(Some(
            onbekend.iter().map(|c| oplossing.value(x[c])).collect(),
        )),
        Err(ResolutionError::Unbounded) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tabel(waarden: Vec<u64>) -> Tabel {
        // Cells 0 and 1 sum to cell 2.
        Tabel {
            waarden,
            relaties: vec![Relatie {
                soort: Soort::Som,
                delen: vec![0, 1],
                totaal: 2,
            }],
            vast: Vec::new(),
        }
    }

    #[test]
    fn a_lone_hidden_cell_is_found_and_a_protected_pair_passes() {
        let t = tabel(vec![3, 40, 43]);
        // Only the small cell hidden: the total minus the other gives it exactly.
        let (fout, geaudit) = audit(&t, &[Some(Reden::Primair), None, None], 10);
        assert_eq!(geaudit, 1);
        assert_eq!(fout.len(), 1);
        assert_eq!((fout[0].laagste, fout[0].hoogste), (3.0, Some(3.0)));
        // With its complement hidden too, each lies anywhere in 0..=43.
        let (fout, geaudit) = audit(
            &t,
            &[Some(Reden::Primair), Some(Reden::Secundair), None],
            10,
        );
        assert_eq!((fout, geaudit), (Vec::new(), 2));
        // A complement too small: 3 + 5 = 8, so each moves at most 8 < T.
        let t = tabel(vec![3, 5, 8]);
        let (fout, _) = audit(&t, &[Some(Reden::Primair), Some(Reden::Primair), None], 10);
        assert_eq!(fout.len(), 2);
    }
}

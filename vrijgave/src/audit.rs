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

/// A hidden cell whose range is narrower than T (or misses its true value).
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
            let mut laag: Vec<f64> = component.iter().map(|c| tabel.waarden[*c] as f64).collect();
            let mut hoog = laag.clone();
            for (n, &cel) in component.iter().enumerate() {
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
                let binnen = laag[n] - 1e-6 <= echt && echt <= hoog[n] + 1e-6;
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

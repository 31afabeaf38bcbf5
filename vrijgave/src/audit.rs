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

use microlp::ComparisonOp;

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
    let n = tabel.waarden.len();
    audit_met(&Programma {
        tabel,
        verborgen,
        waar: &vec![true; n],
        controleer: &vec![true; n],
        grenzen: &BTreeMap::new(),
        overslaan: &|_| false,
        t,
    })
}

/// What an earlier release of a quarter published: per cell of the quarter's table its value
/// (`None`: hidden), and whether the values were rounded (to 5: a published `v` is any of
/// `v - 2 ..= v + 2`).
#[derive(Debug, Clone, PartialEq)]
pub struct Gepubliceerd {
    /// Per cell, the published value.
    pub waarden: Vec<Option<u64>>,
    /// Whether they were rounded to 5.
    pub afgerond: bool,
}

/// How far a rounded value `v` may lie from the truth.
const AFRONDING: u64 = 2;

/// Audits a new release of a quarter jointly with its earlier releases (`eerdere`, oldest
/// first); the new release hides what `verborgen` says and publishes the other values of
/// `nieuw`, rounded when `afronden`.
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
/// true values. A rounded earlier release's published values enter as the ranges they stand
/// for; the new release's published values enter exactly (more than a reader has).
///
/// Hidden cells whose relations saw no change between the releases (the same cells hidden,
/// the same values published) are not programmed again: there the releases' tables allow the
/// same values, so every table the new release allows, taken for every release at once, fits
/// them all and the growth between them, and each such cell keeps the range the new release's
/// own audit ([`audit`]) proved. They count as audited.
pub fn gezamenlijk(
    eerdere: &[Gepubliceerd],
    nieuw: &Tabel,
    verborgen: &[Option<Reden>],
    afronden: bool,
    groeit: &[bool],
    t: u64,
) -> (Vec<Bevinding>, usize) {
    gezamenlijk_met(eerdere, nieuw, verborgen, afronden, groeit, t, true)
}

/// [`gezamenlijk`] with every component programmed, the unchanged ones too: for tests that
/// compare the two.
#[doc(hidden)]
pub fn gezamenlijk_volledig(
    eerdere: &[Gepubliceerd],
    nieuw: &Tabel,
    verborgen: &[Option<Reden>],
    afronden: bool,
    groeit: &[bool],
    t: u64,
) -> (Vec<Bevinding>, usize) {
    gezamenlijk_met(eerdere, nieuw, verborgen, afronden, groeit, t, false)
}

fn gezamenlijk_met(
    eerdere: &[Gepubliceerd],
    nieuw: &Tabel,
    verborgen: &[Option<Reden>],
    afronden: bool,
    groeit: &[bool],
    t: u64,
    overslaan: bool,
) -> (Vec<Bevinding>, usize) {
    let n = nieuw.waarden.len();
    let gepubliceerd_nu = |c: usize| {
        verborgen[c].is_none().then(|| {
            let w = nieuw.waarden[c];
            if afronden { (w + 2) / 5 * 5 } else { w }
        })
    };
    let mut tabel = Tabel::default();
    let mut alle_verborgen: Vec<Option<Reden>> = Vec::new();
    let mut waar: Vec<bool> = Vec::new();
    let mut controleer: Vec<bool> = Vec::new();
    let mut grenzen: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    // Per cell of the joint table, its cell of the quarter's table.
    let mut basis: Vec<usize> = Vec::new();
    let releases = eerdere.len() + 1;
    for r in 0..releases {
        let eerder = eerdere.get(r);
        for (c, &verborgen_nu) in verborgen.iter().enumerate().take(n) {
            let i = tabel.waarden.len();
            basis.push(c);
            match eerder {
                None => {
                    tabel.waarden.push(nieuw.waarden[c]);
                    alle_verborgen.push(verborgen_nu);
                    waar.push(true);
                    controleer.push(verborgen_nu.is_some());
                }
                Some(uitgave) => {
                    let w = uitgave.waarden[c];
                    tabel.waarden.push(w.unwrap_or(0));
                    waar.push(false);
                    controleer.push(w.is_none());
                    match w {
                        None => alle_verborgen.push(Some(Reden::Eerder)),
                        // A rounded value is an unknown within its range, not audited.
                        Some(v) if uitgave.afgerond => {
                            alle_verborgen.push(Some(Reden::Eerder));
                            grenzen.insert(
                                i,
                                (v.saturating_sub(AFRONDING) as f64, (v + AFRONDING) as f64),
                            );
                        }
                        Some(_) => alle_verborgen.push(None),
                    }
                }
            }
        }
        tabel
            .relaties
            .extend(nieuw.relaties.iter().map(|rel| Relatie {
                soort: rel.soort,
                delen: rel.delen.iter().map(|d| d + r * n).collect(),
                totaal: rel.totaal + r * n,
            }));
    }
    // What each release shows of a cell: the new one last.
    let getoond = |r: usize, c: usize| match eerdere.get(r) {
        Some(u) => u.waarden[c],
        None => gepubliceerd_nu(c),
    };
    // A cell every release shows alike (hidden in each, or the same published value, which
    // for the new release is its true value where no release rounds).
    let gelijk: Vec<bool> = (0..n)
        .map(|c| {
            (0..eerdere.len()).all(|r| {
                let oud = eerdere[r].waarden[c];
                match (oud, verborgen[c]) {
                    (None, Some(_)) => true,
                    (Some(v), None) => {
                        let echt = nieuw.waarden[c];
                        if eerdere[r].afgerond {
                            (echt + 2) / 5 * 5 == v
                        } else {
                            echt == v
                        }
                    }
                    _ => false,
                }
            })
        })
        .collect();
    // A difference both releases publish is known (exactly, or to the rounding): it must be 0
    // or at least T.
    let mut zichtbaar_verschil = Vec::new();
    for r in 1..releases {
        for (c, &groeit) in groeit.iter().enumerate().take(n) {
            let (oud, nu) = ((r - 1) * n + c, r * n + c);
            if let (Some(a), Some(b)) = (getoond(r - 1, c), getoond(r, c)) {
                // Against a rounded release, what it would have shown.
                let b = if eerdere[r - 1].afgerond {
                    (b + 2) / 5 * 5
                } else {
                    b
                };
                if (1..t).contains(&a.abs_diff(b)) {
                    zichtbaar_verschil.push(Bevinding {
                        cel: c,
                        laagste: b as f64 - a as f64,
                        hoogste: Some(b as f64 - a as f64),
                    });
                }
                if alle_verborgen[oud].is_none() && alle_verborgen[nu].is_none() {
                    continue;
                }
            }
            if !groeit {
                continue;
            }
            // Where the reader sees it shrink, growth is not what they assume.
            if let (Some(a), Some(b)) = (getoond(r - 1, c), getoond(r, c))
                && b < a
            {
                continue;
            }
            let verschil = tabel.waarden.len();
            tabel.waarden.push(0);
            alle_verborgen.push(Some(Reden::Secundair));
            waar.push(false);
            controleer.push(false);
            basis.push(c);
            tabel.relaties.push(Relatie {
                soort: Soort::Som,
                delen: vec![oud, verschil],
                totaal: nu,
            });
        }
    }
    let per_cel = per_cel(&tabel);
    let onveranderd = |component: &[usize]| {
        overslaan
            && component.iter().all(|&i| {
                per_cel
                    .get(&i)
                    .into_iter()
                    .flatten()
                    .flat_map(|rel| rel.delen.iter().chain([&rel.totaal]))
                    .all(|&d| gelijk[basis[d]])
            })
    };
    let (mut bevindingen, geaudit) = audit_met(&Programma {
        tabel: &tabel,
        verborgen: &alle_verborgen,
        waar: &waar,
        controleer: &controleer,
        grenzen: &grenzen,
        overslaan: &onveranderd,
        t,
    });
    // Each finding names its cell of the quarter's table, in whichever release.
    for b in &mut bevindingen {
        b.cel = basis[b.cel];
    }
    bevindingen.extend(zichtbaar_verschil);
    bevindingen.sort_by_key(|b| b.cel);
    bevindingen.dedup_by_key(|b| b.cel);
    (bevindingen, geaudit)
}

/// One audit's linear programs: the table, its hidden cells (the variables), which cells'
/// values are their true values (`waar`; the others are hidden cells whose value is not known,
/// checked for width only), which hidden cells are audited (`controleer`; the others are
/// variables only), bounds of variables other than `0..` (`grenzen`), and which components
/// need no programs (`overslaan`: their cells count as audited).
struct Programma<'a> {
    tabel: &'a Tabel,
    verborgen: &'a [Option<Reden>],
    waar: &'a [bool],
    controleer: &'a [bool],
    grenzen: &'a BTreeMap<usize, (f64, f64)>,
    overslaan: &'a (dyn Fn(&[usize]) -> bool + Sync),
    t: u64,
}

/// The audit of a [`Programma`].
fn audit_met(p: &Programma<'_>) -> (Vec<Bevinding>, usize) {
    let (tabel, verborgen, waar, t) = (p.tabel, p.verborgen, p.waar, p.t);
    let per_cel = per_cel(tabel);
    let mut gedaan = vec![false; tabel.waarden.len()];
    let mut componenten = Vec::new();
    let mut overgeslagen = 0;
    for start in 0..tabel.waarden.len() {
        if verborgen[start].is_none() || gedaan[start] {
            continue;
        }
        let component = component(&per_cel, verborgen, start);
        for c in &component {
            gedaan[*c] = true;
        }
        if (p.overslaan)(&component) {
            overgeslagen += component.iter().filter(|c| p.controleer[**c]).count();
            continue;
        }
        componenten.push(component);
    }
    // Components are independent: spread over the cores.
    let threads = traject_projections::parallel::cores(componenten.len());
    let delen = traject_projections::parallel::spread(componenten, threads, |groep| {
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
            // Where the values are not known (a joint audit), one program is solved once and
            // each cell is pushed T beyond what was seen from that solution, which takes a few
            // steps of the simplex instead of a program of its own. Only a cell that cannot be
            // pushed gets the two programs that give its exact range.
            let verruimer = if bekend {
                None
            } else {
                Verruimer::bouw(tabel, &component, &relaties, p.grenzen, waar)
            };
            if let Some(v) = &verruimer {
                for oplossing in &v.zaden {
                    neem_op(oplossing, &mut laag, &mut hoog);
                }
            }
            let breed_genoeg =
                |laag: &[f64], hoog: &[f64], n: usize| hoog[n] - laag[n] >= t as f64 - 1e-6;
            for (n, &cel) in component.iter().enumerate() {
                if !p.controleer[cel] {
                    continue;
                }
                geaudit += 1;
                if breed_genoeg(&laag, &hoog, n) {
                    continue;
                }
                if let Some(v) = &verruimer {
                    for (op, grens) in [
                        (ComparisonOp::Ge, laag[n] + t as f64),
                        (ComparisonOp::Le, hoog[n] - t as f64),
                    ] {
                        if let Some(oplossing) = v.tot(n, op, grens) {
                            neem_op(&oplossing, &mut laag, &mut hoog);
                            break;
                        }
                    }
                    if breed_genoeg(&laag, &hoog, n) {
                        continue;
                    }
                }
                let laagste = uiterste(tabel, &component, &relaties, p.grenzen, cel, false);
                let hoogste = uiterste(tabel, &component, &relaties, p.grenzen, cel, true);
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
    let mut geaudit = overgeslagen;
    for (b, n) in delen {
        bevindingen.extend(b);
        geaudit += n;
    }
    bevindingen.sort_by_key(|b| b.cel);
    (bevindingen, geaudit)
}

/// One component's program solved once, without an objective, to be pushed from: the solution
/// of its hidden cells (`onbekend` in order), with the true values fixed where they are known.
struct Verruimer {
    basis: microlp::Solution,
    x: Vec<microlp::Variable>,
    /// The solutions found while building: tables a reader cannot rule out.
    zaden: Vec<Vec<f64>>,
}

impl Verruimer {
    /// The program of `onbekend` under `relaties`; `None` when the solver fails, or when the
    /// cells whose true values are known (`waar`) cannot all have them (then the exact
    /// programs must say which cells).
    fn bouw(
        tabel: &Tabel,
        onbekend: &[usize],
        relaties: &[&Relatie],
        grenzen: &BTreeMap<usize, (f64, f64)>,
        waar: &[bool],
    ) -> Option<Self> {
        let mut probleem = microlp::Problem::new(microlp::OptimizationDirection::Minimize);
        let plek: BTreeMap<usize, usize> =
            onbekend.iter().enumerate().map(|(n, c)| (*c, n)).collect();
        let x: Vec<microlp::Variable> = onbekend
            .iter()
            .map(|c| probleem.add_var(0.0, grenzen.get(c).copied().unwrap_or((0.0, f64::INFINITY))))
            .collect();
        // `som - totaal op 0`, the known values moved to the right-hand side.
        let mut beperk = |plus: &[usize], min: &[usize], op: ComparisonOp| {
            let mut expr = microlp::LinearExpr::empty();
            let mut rechts = 0.0;
            for (cellen, teken) in [(plus, 1.0), (min, -1.0)] {
                for c in cellen {
                    match plek.get(c) {
                        Some(n) => expr.add(x[*n], teken),
                        None => rechts -= teken * tabel.waarden[*c] as f64,
                    }
                }
            }
            probleem.add_constraint(expr, op, rechts);
        };
        for r in relaties {
            match r.soort {
                Soort::Som => beperk(&r.delen, &[r.totaal], ComparisonOp::Eq),
                Soort::Laatste => {
                    if let Some(laatste) = r.delen.last() {
                        beperk(&[*laatste], &[r.totaal], ComparisonOp::Eq);
                    }
                }
                Soort::Tussen => {
                    beperk(&r.delen, &[r.totaal], ComparisonOp::Ge);
                    for d in &r.delen {
                        beperk(&[r.totaal], &[*d], ComparisonOp::Ge);
                    }
                }
            }
        }
        let basis = probleem.solve().ok()?.into_solution().ok()?;
        let waarden =
            |s: &microlp::Solution| -> Vec<f64> { x.iter().map(|v| s.var_value(*v)).collect() };
        let mut zaden = vec![waarden(&basis)];
        // The true values where known: they must fit, or the exact programs decide.
        let mut vast = basis.clone();
        for (n, c) in onbekend.iter().enumerate().filter(|(_, c)| waar[**c]) {
            vast = vast
                .add_constraint([(x[n], 1.0)], ComparisonOp::Eq, tabel.waarden[*c] as f64)
                .ok()?
                .into_solution()
                .ok()?;
        }
        zaden.push(waarden(&vast));
        Some(Self { basis, x, zaden })
    }

    /// A table in which hidden cell `n` (its place in the component) is `op grens`, or `None`
    /// when there is none.
    fn tot(&self, n: usize, op: ComparisonOp, grens: f64) -> Option<Vec<f64>> {
        let oplossing = self
            .basis
            .clone()
            .add_constraint([(self.x[n], 1.0)], op, grens)
            .ok()?
            .into_solution()
            .ok()?;
        Some(self.x.iter().map(|v| oplossing.var_value(*v)).collect())
    }
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
    let uiterst = |maximaal| {
        uiterste(
            tabel,
            &component,
            &relaties,
            &BTreeMap::new(),
            cel,
            maximaal,
        )
        .map(|o| o.map(|o| o[n]))
    };
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
        let geen = BTreeMap::new();
        let laagste = uiterste(self.tabel, &component, &relaties, &geen, cel, false);
        let hoogste = uiterste(self.tabel, &component, &relaties, &geen, cel, true);
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
    grenzen: &BTreeMap<usize, (f64, f64)>,
    cel: usize,
    maximaal: bool,
) -> Result<Option<Vec<f64>>, ResolutionError> {
    let mut vars = ProblemVariables::new();
    let x: BTreeMap<usize, Variable> = onbekend
        .iter()
        .map(|c| {
            let v = match grenzen.get(c) {
                Some((laag, hoog)) => variable().min(*laag).max(*hoog),
                None => variable().min(0),
            };
            (*c, vars.add(v))
        })
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

    #[test]
    fn growth_between_releases_narrows_what_each_release_alone_protects() {
        // x + y = A, y + z = B, x + w = C; cells x, y, z, w, A, B, C.
        let som = |delen: Vec<usize>, totaal| Relatie {
            soort: Soort::Som,
            delen,
            totaal,
        };
        let nieuw = Tabel {
            waarden: vec![6, 24, 16, 7, 30, 40, 13],
            relaties: vec![som(vec![0, 1], 4), som(vec![1, 2], 5), som(vec![0, 3], 6)],
            vast: Vec::new(),
        };
        let h = Some(Reden::Primair);
        let verborgen = [h, h, h, h, None, None, None];
        // On its own the correction protects every hidden cell (x in 0..=13, ...).
        assert_eq!(audit(&nieuw, &verborgen, 10).0, Vec::new());
        // The first release published A = 20 and B = 15 only: x lay in 5..=20 then. As x can
        // only have grown, and the correction bounds it by C = 13, x lay in 5..=13; so did C
        // (x + w), y (20 - x) in 7..=15, z (15 - y) and w (at most 13 - x) in 0..=8.
        let eerste = Gepubliceerd {
            waarden: vec![None, None, None, None, Some(20), Some(15), None],
            afgerond: false,
        };
        let groeit = vec![true; 7];
        for audit in [gezamenlijk, gezamenlijk_volledig] {
            let (fout, geaudit) = audit(
                std::slice::from_ref(&eerste),
                &nieuw,
                &verborgen,
                false,
                &groeit,
                10,
            );
            let cellen: Vec<usize> = fout.iter().map(|b| b.cel).collect();
            assert_eq!(cellen, vec![0, 1, 2, 3, 6], "{fout:?}");
            let bereik = |b: &Bevinding| (b.laagste.round(), b.hoogste.map(f64::round));
            let bereiken: Vec<_> = fout.iter().map(bereik).collect();
            let (x, y, nul_acht) = ((5.0, Some(13.0)), (7.0, Some(15.0)), (0.0, Some(8.0)));
            assert_eq!(bereiken, vec![x, y, nul_acht, nul_acht, x]);
            assert_eq!(geaudit, 4 + 5);
        }
        // Published as the first release was (A and B grow), nothing narrows.
        let ruim = Gepubliceerd {
            waarden: vec![None, None, None, None, Some(20), Some(15), None],
            afgerond: false,
        };
        let verborgen = [h, h, h, h, None, None, h];
        let (fout, _) = gezamenlijk(&[ruim], &nieuw, &verborgen, false, &groeit, 10);
        assert_eq!(fout, Vec::new());
    }
}

//! Disclosure control of the quality report: its counts for every region and the nation as one
//! [`Tabel`], protected with the same suppression ([`onderdruk`]) and certified by the same
//! linear-programming audit ([`audit::audit`]) as the quarterly releases.
//!
//! Cells are of three kinds ([`Soort`]):
//!
//! - **published** by the report (intakes, cohorts, contacts, placements, closings);
//! - **internal**: never published, but a reader can work them out where the published cells
//!   around them are shown: the intakes without an employer contact, a cohort's members who
//!   reached work between two horizons or not within the last one. A count `1 <= n < T` among
//!   them is hidden as any count is, so "all but 3 found work" is not published either;
//! - **elsewhere**: the four quarters' intakes and closings as their releases published them.
//!   The report's year is the sum of its quarters (intakes) or lies between the largest quarter
//!   and the sum (closings, which can recur), so the quarters a release hid stay hidden for the
//!   report too, and the quarters it published are taken as known and never hidden to protect
//!   another cell.
//!
//! Relations: the nation is the sum of the regions for every cell; the intakes by method and by
//! financier add up to the intakes; contacts within and after the norm to the contacts, and
//! contacts and intakes without one to the intakes; each cohort's members who reached work (or
//! duurzaam) within 6, 12 and 18 months and later or never add up to its size; placements by
//! contract and by hours to the placements; closings by outcome to the closings (broken down only
//! from [`Regels::min_uitsplitsing`], as in a release).
//!
//! The coaches are not a count of clients: their number, the share above the norm and their
//! median caseload are published together where a subject has at least [`MIN_COACHES`] coaches
//! with at least T open trajectories between them. The median is, for an odd number, the
//! caseload of one coach, not known which: it tells nothing about a client. (It was once shown
//! only from T, so a hidden median beside shown coaches said it was below T.)

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use traject_domain::value::{Financier, Methode, Regio};
use traject_projections::cijfers::Kwartaal;
use traject_projections::kwaliteit::{HORIZONNEN, KwaliteitCijfers, Rapportperiode, UREN_KLASSEN};

use crate::audit;
use crate::bescherming::tabel::{Reden, Relatie, Soort as Relatiesoort, Tabel, onderdruk};
use crate::bescherming::{Regels, Uitkomst};

/// The fewest coaches whose figures are published.
pub const MIN_COACHES: u64 = 3;

/// How often the protection is made again with one more cell hidden around each cell the audit
/// finds, before whole subjects are hidden instead.
const RONDES: usize = 12;

/// A subject of the report: a region, or `None` for the nation.
pub type Onderwerp = Option<Regio>;

/// What a cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soort {
    /// Published by the report.
    Openbaar,
    /// Never published; derivable from published cells.
    Intern,
    /// Published by a quarter's release.
    Elders,
}

/// The cells and relations of one subject, built in the same order for every subject.
#[derive(Debug, Default)]
struct Bouwer {
    cellen: Vec<(String, u64, Soort)>,
    relaties: Vec<(Relatiesoort, usize, Vec<usize>)>,
}

impl Bouwer {
    fn cel(&mut self, code: impl Into<String>, waarde: u64, soort: Soort) -> usize {
        self.cellen.push((code.into(), waarde, soort));
        self.cellen.len() - 1
    }

    fn openbaar(&mut self, code: impl Into<String>, waarde: u64) -> usize {
        self.cel(code, waarde, Soort::Openbaar)
    }

    fn intern(&mut self, code: impl Into<String>, waarde: u64) -> usize {
        self.cel(code, waarde, Soort::Intern)
    }

    fn som(&mut self, totaal: usize, delen: Vec<usize>) {
        self.relaties.push((Relatiesoort::Som, totaal, delen));
    }
}

/// How every cohort cell's code begins.
pub const COHORT_PREFIX: &str = "cohort_";

/// The code of a cohort's cell: `cohort_2024Q3_grootte`, `cohort_2024Q3_werk_6m`.
pub fn cohort_code(cohort: Kwartaal, wat: &str) -> String {
    format!("{COHORT_PREFIX}{cohort}_{wat}")
}

/// The counts a quarter's release published that the report relates to: per code of the report
/// (`gestart`, `gestart_IPS`, `afgesloten`, `afgesloten_Uitval`), the release's measure and
/// method, and how a year relates to its quarters for it.
pub fn gedeelde_maten() -> Vec<(
    String,
    crate::bescherming::Maat,
    Option<Methode>,
    Relatiesoort,
)> {
    use crate::bescherming::Maat;
    let mut maten = vec![("gestart".to_owned(), Maat::Gestart, None, Relatiesoort::Som)];
    for m in Methode::ALL {
        maten.push((
            format!("gestart_{}", m.as_str()),
            Maat::Gestart,
            Some(*m),
            Relatiesoort::Som,
        ));
    }
    maten.push((
        "afgesloten".to_owned(),
        Maat::Afgesloten,
        None,
        Relatiesoort::Tussen,
    ));
    for u in Uitkomst::ALLE {
        maten.push((
            format!("afgesloten_{}", u.naam()),
            Maat::AfgeslotenAls(u),
            None,
            Relatiesoort::Tussen,
        ));
    }
    maten
}

/// Per quarter of the report and code of [`gedeelde_maten`], one subject's count now.
pub type Kwartaalwaarden = BTreeMap<(Kwartaal, String), u64>;

/// The cells and relations of one subject's figures on `peildatum`, with the quarters' counts
/// `kwartalen` (every quarter of the period, every shared code).
fn bouw(
    c: &KwaliteitCijfers,
    periode: Rapportperiode,
    peildatum: NaiveDate,
    kwartalen: &Kwartaalwaarden,
) -> Bouwer {
    let mut b = Bouwer::default();
    let gestart = b.openbaar("gestart", c.gestart);
    let methoden = Methode::ALL
        .iter()
        .map(|m| b.openbaar(format!("gestart_{}", m.as_str()), c.per_methode[m]))
        .collect();
    b.som(gestart, methoden);
    let financiers = Financier::ALL
        .iter()
        .map(|f| b.openbaar(format!("financier_{}", f.as_str()), c.per_financier[f]))
        .collect();
    b.som(gestart, financiers);

    let met = b.openbaar("met_contact", c.met_contact);
    let zonder = b.intern("zonder_contact", c.gestart.saturating_sub(c.met_contact));
    b.som(gestart, vec![met, zonder]);
    let binnen = b.openbaar("contact_binnen_norm", c.contact_binnen_norm);
    let na = b.intern(
        "contact_na_norm",
        c.met_contact.saturating_sub(c.contact_binnen_norm),
    );
    b.som(met, vec![binnen, na]);

    for (kwartaal, cohort) in &c.cohorten {
        let grootte = b.openbaar(cohort_code(*kwartaal, "grootte"), cohort.grootte);
        for (uitkomst, reeks) in [("werk", cohort.werk), ("duurzaam", cohort.duurzaam)] {
            let mut vorige: Option<(usize, u64, u32)> = None;
            for (h, maanden) in HORIZONNEN.iter().enumerate() {
                if !Rapportperiode::rijp(*kwartaal, *maanden, peildatum) {
                    break;
                }
                let tot = b.openbaar(
                    cohort_code(*kwartaal, &format!("{uitkomst}_{maanden}m")),
                    reeks[h],
                );
                if let Some((eerder, waarde, vanaf)) = vorige {
                    let erbij = b.intern(
                        cohort_code(*kwartaal, &format!("{uitkomst}_{vanaf}_{maanden}m")),
                        reeks[h].saturating_sub(waarde),
                    );
                    b.som(tot, vec![eerder, erbij]);
                }
                vorige = Some((tot, reeks[h], *maanden));
            }
            if let Some((laatste, waarde, maanden)) = vorige {
                let rest = b.intern(
                    cohort_code(*kwartaal, &format!("{uitkomst}_niet_{maanden}m")),
                    cohort.grootte.saturating_sub(waarde),
                );
                b.som(grootte, vec![laatste, rest]);
            }
        }
    }

    let plaatsingen = b.openbaar("plaatsingen", c.plaatsingen);
    let contracten = c
        .per_contract
        .iter()
        .map(|(vorm, n)| b.openbaar(format!("contract_{vorm}"), *n))
        .collect();
    b.som(plaatsingen, contracten);
    let uren = UREN_KLASSEN
        .iter()
        .map(|(klasse, _)| b.openbaar(format!("uren_{klasse}"), c.per_urenklasse[klasse]))
        .collect();
    b.som(plaatsingen, uren);

    let afgesloten = b.openbaar("afgesloten", c.afgesloten);
    let uitkomsten = Uitkomst::ALLE
        .iter()
        .map(|u| {
            let n = c
                .per_reden
                .iter()
                .filter(|(r, _)| Uitkomst::van(**r) == *u)
                .map(|(_, n)| n)
                .sum();
            b.openbaar(format!("afgesloten_{}", u.naam()), n)
        })
        .collect();
    b.som(afgesloten, uitkomsten);

    // The year against its quarters as their releases published them.
    let mut k = periode.van();
    let mut per_code: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let gedeeld = gedeelde_maten();
    for _ in 0..4 {
        for (code, ..) in &gedeeld {
            let waarde = kwartalen.get(&(k, code.clone())).copied().unwrap_or(0);
            let cel = b.cel(format!("{k}_{code}"), waarde, Soort::Elders);
            per_code.entry(code.as_str()).or_default().push(cel);
        }
        k = k.volgende();
    }
    for (code, _, _, soort) in &gedeeld {
        let totaal = b
            .cellen
            .iter()
            .position(|(c, _, s)| c == code && *s == Soort::Openbaar)
            .expect("every shared code is published");
        b.relaties
            .push((*soort, totaal, per_code[code.as_str()].clone()));
    }
    // A cohort's size is its quarter's intakes, as that quarter's release published them (the
    // cohorts before the period with a cell of their own); the period's intakes are the sum of
    // its cohorts.
    let mut in_periode = Vec::new();
    for kwartaal in periode.cohorten() {
        let grootte = b
            .cellen
            .iter()
            .position(|(c, _, _)| *c == cohort_code(kwartaal, "grootte"))
            .expect("every cohort has a size");
        let code = format!("{kwartaal}_gestart");
        let elders = match b.cellen.iter().position(|(c, _, _)| *c == code) {
            Some(cel) => {
                in_periode.push(grootte);
                cel
            }
            None => {
                let waarde = kwartalen
                    .get(&(kwartaal, "gestart".to_owned()))
                    .copied()
                    .unwrap_or(0);
                b.cel(code, waarde, Soort::Elders)
            }
        };
        b.som(grootte, vec![elders]);
    }
    b.som(gestart, in_periode);
    b
}

/// The published cells' values of one subject's figures on `peildatum` (unprotected), with its
/// coaches: the values an organisation's own report shows.
pub fn openbare_waarden(
    c: &KwaliteitCijfers,
    periode: Rapportperiode,
    peildatum: NaiveDate,
) -> BTreeMap<String, u64> {
    let mut uit: BTreeMap<String, u64> = bouw(c, periode, peildatum, &Kwartaalwaarden::new())
        .cellen
        .into_iter()
        .filter(|(_, _, soort)| *soort == Soort::Openbaar)
        .map(|(code, waarde, _)| (code, waarde))
        .collect();
    uit.insert("coaches".to_owned(), c.caseloads.len() as u64);
    uit.insert("coaches_boven_norm".to_owned(), c.coaches_boven_norm());
    uit
}

/// One cell of the protected table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Kwaliteitsleutel {
    /// The subject.
    pub onderwerp: Onderwerp,
    /// The cell's code.
    pub code: String,
}

/// The protected report: the published cells (`None`: hidden) and medians.
#[derive(Debug, Clone, PartialEq)]
pub struct Beschermd {
    /// Every published cell of every subject: the value, or `None` when hidden.
    pub cellen: BTreeMap<Kwaliteitsleutel, Option<u64>>,
    /// The medians that may be published, by subject and code (`mediaan_dagen_tot_contact`,
    /// `mediaan_caseload`).
    pub medianen: BTreeMap<Kwaliteitsleutel, f64>,
    /// Hidden cells the audit found narrower than T (the report may not leave when not empty).
    pub afgekeurd: Vec<Kwaliteitsleutel>,
    /// How many hidden cells the audit proved at least T wide.
    pub geaudit: usize,
}

/// What a quarter's latest release published of the shared codes, per subject, quarter and code
/// (`None`: hidden); a quarter of the period missing here is refused by the caller.
pub type Kwartaalpublicatie = BTreeMap<(Onderwerp, Kwartaal, String), Option<u64>>;

/// Protects the report's figures of every region and the nation (`cijfers`, from
/// `kwaliteit::per_regio`) under `regels`.
///
/// - `kwartalen`: per subject the four quarters' counts now; `gepubliceerd`: what their
///   releases published. A quarter cell its release hid is hidden; one it published is known.
/// - `eerdere`: what earlier releases published of the same cells (this report's, and the
///   shared cohorts of the neighbouring years' reports): what they hid is hidden again, and so
///   is a cell whose value moved by 1 to T - 1 since one published it; a cell published with
///   the value it has now is known.
pub fn bescherm(
    cijfers: &BTreeMap<Onderwerp, KwaliteitCijfers>,
    periode: Rapportperiode,
    peildatum: NaiveDate,
    regels: &Regels,
    kwartalen: &BTreeMap<Onderwerp, Kwartaalwaarden>,
    gepubliceerd: &Kwartaalpublicatie,
    eerdere: &[&BTreeMap<Kwaliteitsleutel, Option<u64>>],
) -> Beschermd {
    let t = regels.drempel();
    let leeg = Kwartaalwaarden::new();
    // The nation first, then the regions in their order.
    let onderwerpen: Vec<Onderwerp> = std::iter::once(None)
        .chain(Regio::ALL.iter().map(|r| Some(*r)))
        .collect();
    let leeg_cijfers = KwaliteitCijfers::leeg(periode);
    let bouwers: Vec<Bouwer> = onderwerpen
        .iter()
        .map(|o| {
            bouw(
                cijfers.get(o).unwrap_or(&leeg_cijfers),
                periode,
                peildatum,
                kwartalen.get(o).unwrap_or(&leeg),
            )
        })
        .collect();
    let per = bouwers[0].cellen.len();
    let mut tabel = Tabel::default();
    let mut sleutels = Vec::with_capacity(per * onderwerpen.len());
    let mut soorten = Vec::with_capacity(per * onderwerpen.len());
    for (o, bouwer) in onderwerpen.iter().zip(&bouwers) {
        for (code, waarde, soort) in &bouwer.cellen {
            tabel.waarden.push(*waarde);
            sleutels.push(Kwaliteitsleutel {
                onderwerp: *o,
                code: code.clone(),
            });
            soorten.push(*soort);
        }
        let begin = sleutels.len() - per;
        for (soort, totaal, delen) in &bouwers[0].relaties {
            tabel.relaties.push(Relatie {
                soort: *soort,
                delen: delen.iter().map(|d| begin + d).collect(),
                totaal: begin + totaal,
            });
        }
    }
    for cel in 0..per {
        tabel.relaties.push(Relatie {
            soort: Relatiesoort::Som,
            delen: (1..onderwerpen.len()).map(|o| o * per + cel).collect(),
            totaal: cel,
        });
    }
    tabel.vast = vec![false; tabel.waarden.len()];
    // A subject with nothing at all in the period: its cells are structural zeros.
    for (o, blok) in tabel.waarden.chunks(per).enumerate() {
        if blok.iter().all(|w| *w == 0) {
            tabel.vast[o * per..(o + 1) * per].fill(true);
        }
    }

    let mut vooraf: Vec<(usize, Reden)> = Vec::new();
    for (n, s) in sleutels.iter().enumerate() {
        let waarde = tabel.waarden[n];
        match soorten[n] {
            Soort::Elders => {
                let (kwartaal, code) = s.code.split_once('_').expect("a quarter cell's code");
                let kwartaal: Kwartaal = kwartaal.parse().expect("a quarter cell's code");
                match gepubliceerd.get(&(s.onderwerp, kwartaal, code.to_owned())) {
                    Some(None) => vooraf.push((n, Reden::Eerder)),
                    // Known to a reader only while it still has the value its release published:
                    // after late registrations the reader knows the old value, not this one, so
                    // a sum it pins down (a cohort's size) must not be taken as known.
                    Some(Some(v)) if *v == waarde => tabel.vast[n] = true,
                    Some(Some(_)) => {}
                    // Not released: published nowhere.
                    None => {}
                }
            }
            Soort::Openbaar => {
                if let Some(u) = s.code.strip_prefix("afgesloten_")
                    && Uitkomst::ALLE.iter().any(|x| x.naam() == u)
                {
                    let afgesloten = cijfers.get(&s.onderwerp).map_or(0, |c| c.afgesloten);
                    if afgesloten > 0 && afgesloten < regels.min_uitsplitsing {
                        vooraf.push((n, Reden::KleineGroep));
                        continue;
                    }
                }
                for eerder in eerdere {
                    match eerder.get(s) {
                        Some(None) if !(1..t).contains(&waarde) => {
                            vooraf.push((n, Reden::Eerder));
                            break;
                        }
                        Some(Some(v)) if *v != waarde && v.abs_diff(waarde) < t => {
                            vooraf.push((n, Reden::Eerder));
                            break;
                        }
                        Some(Some(v)) if *v == waarde && !regels.afronden => {
                            tabel.vast[n] = true;
                        }
                        _ => {}
                    }
                }
            }
            Soort::Intern => {}
        }
    }
    // A sum of quarters' cells (the period's intakes and closings, a cohort's size) against what
    // their releases published: equal, the sum is known and published (hiding it would protect
    // nothing); apart by 1 to T - 1, the difference would show a few late registrations, so it
    // is hidden, as in a correction.
    let gepubliceerde_waarde = |c: usize| -> Option<u64> {
        let s = &sleutels[c];
        let (kwartaal, code) = s.code.split_once('_')?;
        let kwartaal: Kwartaal = kwartaal.parse().ok()?;
        gepubliceerd
            .get(&(s.onderwerp, kwartaal, code.to_owned()))
            .copied()
            .flatten()
    };
    for r in &tabel.relaties {
        if soorten[r.totaal] != Soort::Openbaar
            || r.delen.is_empty()
            || !r.delen.iter().all(|d| soorten[*d] == Soort::Elders)
        {
            continue;
        }
        let Some(som) = r
            .delen
            .iter()
            .map(|d| gepubliceerde_waarde(*d))
            .sum::<Option<u64>>()
        else {
            continue;
        };
        let waarde = tabel.waarden[r.totaal];
        if waarde == som && r.soort == Relatiesoort::Som && !regels.afronden {
            tabel.vast[r.totaal] = true;
        } else if waarde != som && waarde.abs_diff(som) < t {
            vooraf.push((r.totaal, Reden::Eerder));
        }
    }
    vooraf.retain(|(c, r)| !tabel.vast[*c] || *r == Reden::KleineGroep);
    // One reason per cell: the first given (a breakdown of a small group before the rest).
    vooraf.sort_by_key(|(c, _)| *c);
    vooraf.dedup_by_key(|(c, _)| *c);
    // A breakdown hidden as a whole needs no complements among its own parts.
    let kleine_groep: Vec<bool> = {
        let mut k = vec![false; tabel.waarden.len()];
        for (n, r) in &vooraf {
            k[*n] = *r == Reden::KleineGroep;
        }
        k
    };
    let mut onderdrukken = tabel.clone();
    onderdrukken
        .relaties
        .retain(|r| !r.delen.iter().all(|d| kleine_groep[*d]));

    // Hidden to satisfy the audit: first the nearest visible cell around a cell it finds, round
    // by round; where that runs out, every published and derived cell of the subjects it still
    // finds cells of (their other cells then protected by suppression as any hidden cell is).
    let mut erbij: Vec<usize> = Vec::new();
    let mut leeg: BTreeSet<Onderwerp> = BTreeSet::new();
    let mut uitkomst = (Vec::new(), Vec::new(), 0);
    for ronde in 0..3 * RONDES + onderwerpen.len() {
        let mut alles: Vec<(usize, Reden)> = vooraf
            .iter()
            .copied()
            .filter(|(c, _)| !tabel.is_vast(*c))
            .collect();
        alles.extend(erbij.iter().map(|c| (*c, Reden::Secundair)));
        alles.extend(
            (0..sleutels.len())
                .filter(|c| {
                    leeg.contains(&sleutels[*c].onderwerp)
                        && soorten[*c] != Soort::Elders
                        && !tabel.is_vast(*c)
                })
                .map(|c| (c, Reden::Secundair)),
        );
        let verborgen = onderdruk(&onderdrukken, t, &alles);
        let (bevindingen, geaudit) = audit::audit(&tabel, &verborgen, t);
        let klaar = bevindingen.is_empty();
        let mut verder = false;
        // A hidden cell the published cells pin down exactly, to 0 or a count from T, is known:
        // it is published, and never hidden again (hiding it protects nothing).
        for b in &bevindingen {
            let waarde = tabel.waarden[b.cel];
            if b.hoogste == Some(b.laagste)
                && !(1..t).contains(&waarde)
                && soorten[b.cel] != Soort::Elders
            {
                tabel.vast[b.cel] = true;
                onderdrukken.vast[b.cel] = true;
                erbij.retain(|c| *c != b.cel);
                verder = true;
            }
        }
        if !klaar && !verder && ronde < RONDES && leeg.is_empty() {
            for b in &bevindingen {
                if let Some(d) = aanvulling(&tabel, &verborgen, b.cel)
                    && !erbij.contains(&d)
                {
                    erbij.push(d);
                    verder = true;
                }
            }
        }
        if !klaar && !verder {
            let voor = leeg.len();
            leeg.extend(bevindingen.iter().map(|b| sleutels[b.cel].onderwerp));
            verder = leeg.len() > voor;
        }
        uitkomst = (verborgen, bevindingen, geaudit);
        if klaar || !verder {
            break;
        }
    }
    let (verborgen, bevindingen, geaudit) = uitkomst;
    let afgerond = |n: u64| if regels.afronden { (n + 2) / 5 * 5 } else { n };
    let cellen: BTreeMap<Kwaliteitsleutel, Option<u64>> = sleutels
        .iter()
        .enumerate()
        .filter(|(n, _)| soorten[*n] == Soort::Openbaar)
        .map(|(n, s)| {
            (
                s.clone(),
                verborgen[n].is_none().then(|| afgerond(tabel.waarden[n])),
            )
        })
        .collect();
    let mut cellen = cellen;
    let mut medianen = BTreeMap::new();
    for o in &onderwerpen {
        let Some(c) = cijfers.get(o) else {
            continue;
        };
        let sleutel = |code: &str| Kwaliteitsleutel {
            onderwerp: *o,
            code: code.to_owned(),
        };
        if matches!(cellen.get(&sleutel("met_contact")), Some(Some(_)))
            && c.met_contact >= t
            && let Some(m) = c.mediaan_dagen_tot_contact()
        {
            medianen.insert(sleutel("mediaan_dagen_tot_contact"), m);
        }
        let coaches = c.caseloads.len() as u64;
        let toonbaar = coaches >= MIN_COACHES && c.caseloads.iter().sum::<u64>() >= t;
        cellen.insert(sleutel("coaches"), toonbaar.then_some(coaches));
        cellen.insert(
            sleutel("coaches_boven_norm"),
            toonbaar.then(|| c.coaches_boven_norm()),
        );
        // With the coaches' other figures or not at all: hidden on its own, it would say why.
        if toonbaar && let Some(m) = c.mediaan_caseload() {
            medianen.insert(sleutel("mediaan_caseload"), m);
        }
    }
    Beschermd {
        cellen,
        medianen,
        afgekeurd: bevindingen
            .iter()
            .map(|b| sleutels[b.cel].clone())
            .collect(),
        geaudit,
    }
}

/// The cell to hide for a hidden cell `cel` the audit found narrower than T: the largest
/// visible cell (not a structural zero or a cell published elsewhere) among its relations; where
/// there is none, among the relations of the hidden cells next to it, and so on outwards.
fn aanvulling(tabel: &Tabel, verborgen: &[Option<Reden>], cel: usize) -> Option<usize> {
    let mut gezien = std::collections::BTreeSet::from([cel]);
    let mut rand = vec![cel];
    while !rand.is_empty() {
        let mut volgende = Vec::new();
        let mut beste: Option<usize> = None;
        for c in rand {
            for relatie in tabel
                .relaties
                .iter()
                .filter(|r| r.totaal == c || r.delen.contains(&c))
            {
                for &d in relatie.delen.iter().chain([&relatie.totaal]) {
                    if !gezien.insert(d) {
                        continue;
                    }
                    if verborgen[d].is_some() {
                        volgende.push(d);
                    } else if !tabel.is_vast(d)
                        && beste.is_none_or(|b| {
                            (tabel.waarden[d], std::cmp::Reverse(d))
                                > (tabel.waarden[b], std::cmp::Reverse(b))
                        })
                    {
                        beste = Some(d);
                    }
                }
            }
        }
        if beste.is_some() {
            return beste;
        }
        rand = volgende;
    }
    None
}

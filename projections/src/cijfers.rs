//! Regional figures: per region, calendar quarter (and year) and method, with totals over method
//! and over regions (national), counted in distinct trajectories. Unprotected: anonymisation is
//! applied where figures leave the system.
//!
//! Flows (aangemeld, gestart, eerste plaatsing, duurzaam bereikt, opgeschaald, afgesloten) count
//! a trajectory in the period its date falls in. Stocks (lopend, met betaald werk, in waakvlam)
//! are taken on the period's last day, or on the peildatum for the period still running. Nothing
//! after the peildatum counts, and periods after it are not computed: duurzaam depends on time
//! passing, so the same events give other figures on a later peildatum.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use traject_domain::value::{AfsluitingsReden, Methode, Regio};

use crate::ips::mediaan;
use crate::kenmerken::Kenmerken;
use crate::model::ReadModel;
use crate::parallel::{cores, spread};

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kwartaal {
    /// The year.
    pub jaar: i32,
    /// 1 to 4.
    pub nummer: u8,
}

impl Kwartaal {
    /// The quarter `dag` falls in.
    pub fn van(dag: NaiveDate) -> Self {
        Self {
            jaar: dag.year(),
            nummer: ((dag.month() - 1) / 3 + 1) as u8,
        }
    }

    /// Its first day.
    pub fn eerste_dag(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.jaar, u32::from(self.nummer) * 3 - 2, 1)
            .expect("valid quarter")
    }

    /// Its last day.
    pub fn laatste_dag(&self) -> NaiveDate {
        self.volgende().eerste_dag().pred_opt().expect("valid date")
    }

    /// The next quarter.
    pub fn volgende(&self) -> Self {
        if self.nummer == 4 {
            Self {
                jaar: self.jaar + 1,
                nummer: 1,
            }
        } else {
            Self {
                jaar: self.jaar,
                nummer: self.nummer + 1,
            }
        }
    }
}

impl fmt::Display for Kwartaal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.jaar, self.nummer)
    }
}

impl FromStr for Kwartaal {
    type Err = String;
    /// Parses `2024Q1` (or `2024q1`, with spaces around): four digits, the letter and one digit
    /// from 1 to 4; no sign, no leading zeros.
    fn from_str(text: &str) -> Result<Self, String> {
        let fout = || "moet de vorm JJJJQn hebben, bijvoorbeeld 2024Q1".to_owned();
        let (jaar, nummer) = text.trim().split_once(['Q', 'q']).ok_or_else(fout)?;
        if jaar.len() != 4
            || nummer.len() != 1
            || !jaar
                .bytes()
                .chain(nummer.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return Err(fout());
        }
        let jaar: i32 = jaar.parse().map_err(|_| fout())?;
        let nummer: u8 = nummer.parse().map_err(|_| fout())?;
        if !(1..=4).contains(&nummer) || !(2000..=2100).contains(&jaar) {
            return Err(fout());
        }
        Ok(Self { jaar, nummer })
    }
}

/// The period a cell covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Periode {
    /// A calendar quarter.
    Kwartaal(Kwartaal),
    /// A calendar year.
    Jaar(i32),
}

impl Periode {
    fn eerste_dag(&self) -> NaiveDate {
        match self {
            Periode::Kwartaal(k) => k.eerste_dag(),
            Periode::Jaar(j) => NaiveDate::from_ymd_opt(*j, 1, 1).expect("valid year"),
        }
    }

    fn laatste_dag(&self) -> NaiveDate {
        match self {
            Periode::Kwartaal(k) => k.laatste_dag(),
            Periode::Jaar(j) => NaiveDate::from_ymd_opt(*j, 12, 31).expect("valid year"),
        }
    }
}

impl fmt::Display for Periode {
    /// `2024Q1` for a quarter, `2024` for a year.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Periode::Kwartaal(k) => k.fmt(f),
            Periode::Jaar(j) => write!(f, "{j}"),
        }
    }
}

impl FromStr for Periode {
    type Err = String;
    /// Parses `2024Q1` or `2024`.
    fn from_str(text: &str) -> Result<Self, String> {
        if let Ok(jaar) = text.trim().parse::<i32>()
            && (2000..=2100).contains(&jaar)
        {
            return Ok(Periode::Jaar(jaar));
        }
        text.parse()
            .map(Periode::Kwartaal)
            .map_err(|_| "periode: moet een kwartaal (2024Q1) of een jaar (2024) zijn".to_owned())
    }
}

/// Which cell: a region (or `None`: national), a period and a method (or `None`: all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cel {
    /// The region, `None` for the national total.
    pub regio: Option<Regio>,
    /// The period.
    pub periode: Periode,
    /// The method, `None` for the total over methods.
    pub methode: Option<Methode>,
}

/// The counts of one cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cijfers {
    /// Referred in the period.
    pub aangemeld: u64,
    /// Intake completed in the period (the yearly target counts these).
    pub gestart: u64,
    /// Open on the period's last day.
    pub lopend: u64,
    /// First qualifying placement started in the period.
    pub eerste_plaatsing: u64,
    /// Duurzaam reached in the period.
    pub duurzaam_bereikt: u64,
    /// In paid work on the period's last day (and open).
    pub met_betaald_werk: u64,
    /// At waakvlam on the period's last day (and open).
    pub in_waakvlam: u64,
    /// Scaled up at least once in the period.
    pub opgeschaald: u64,
    /// Closed in the period, by the reason of its last closing in the period.
    pub afgesloten: BTreeMap<AfsluitingsReden, u64>,
    /// Days from intake to first employer contact, for intakes in the period with a contact by
    /// the peildatum, in ascending order.
    pub dagen_tot_werkgeverscontact: Vec<i64>,
}

impl Cijfers {
    /// The median of [`dagen_tot_werkgeverscontact`](Self::dagen_tot_werkgeverscontact).
    pub fn mediaan_dagen_tot_werkgeverscontact(&self) -> Option<f64> {
        mediaan(&self.dagen_tot_werkgeverscontact)
    }

    /// Adds the counts of the same cell from another part of the trajectories.
    fn voeg_toe(&mut self, ander: Cijfers) {
        // Taken apart whole, so that a new field cannot be forgotten here.
        let Cijfers {
            aangemeld,
            gestart,
            lopend,
            eerste_plaatsing,
            duurzaam_bereikt,
            met_betaald_werk,
            in_waakvlam,
            opgeschaald,
            afgesloten,
            dagen_tot_werkgeverscontact,
        } = ander;
        self.aangemeld += aangemeld;
        self.gestart += gestart;
        self.lopend += lopend;
        self.eerste_plaatsing += eerste_plaatsing;
        self.duurzaam_bereikt += duurzaam_bereikt;
        self.met_betaald_werk += met_betaald_werk;
        self.in_waakvlam += in_waakvlam;
        self.opgeschaald += opgeschaald;
        for (reden, n) in afgesloten {
            *self.afgesloten.entry(reden).or_default() += n;
        }
        self.dagen_tot_werkgeverscontact
            .extend(dagen_tot_werkgeverscontact);
    }

    fn add(&mut self, b: &Bijdrage) {
        self.aangemeld += u64::from(b.aangemeld);
        self.gestart += u64::from(b.gestart);
        self.lopend += u64::from(b.lopend);
        self.eerste_plaatsing += u64::from(b.eerste_plaatsing);
        self.duurzaam_bereikt += u64::from(b.duurzaam);
        self.met_betaald_werk += u64::from(b.betaald_werk);
        self.in_waakvlam += u64::from(b.waakvlam);
        self.opgeschaald += u64::from(b.opgeschaald);
        if let Some(reden) = b.afgesloten {
            *self.afgesloten.entry(reden).or_default() += 1;
        }
        if let Some(d) = b.dagen_tot_contact {
            self.dagen_tot_werkgeverscontact.push(d);
        }
    }
}

/// What one trajectory adds to one period.
#[derive(Debug, Default, PartialEq)]
struct Bijdrage {
    aangemeld: bool,
    gestart: bool,
    lopend: bool,
    eerste_plaatsing: bool,
    duurzaam: bool,
    betaald_werk: bool,
    waakvlam: bool,
    opgeschaald: bool,
    afgesloten: Option<AfsluitingsReden>,
    dagen_tot_contact: Option<i64>,
}

impl Bijdrage {
    fn is_empty(&self) -> bool {
        *self == Bijdrage::default()
    }
}

/// The figures of every region, method and period from quarter `van` up to and including `tot`
/// (and the years they touch), as known on `peildatum`. Periods after the peildatum's quarter are
/// left out.
pub fn regiocijfers(
    model: &ReadModel,
    peildatum: NaiveDate,
    van: Kwartaal,
    tot: Kwartaal,
) -> BTreeMap<Cel, Cijfers> {
    let tot = tot.min(Kwartaal::van(peildatum));
    let mut periodes = Vec::new();
    let mut k = van;
    while k <= tot {
        periodes.push(Periode::Kwartaal(k));
        if periodes.iter().all(|p| *p != Periode::Jaar(k.jaar)) {
            periodes.push(Periode::Jaar(k.jaar));
        }
        k = k.volgende();
    }
    // Each trajectory is counted once, in its own region and method; totals over methods and
    // regions are sums of those cells (every trajectory has exactly one of each).
    // Each period's first and last day, computed once rather than per trajectory.
    let grenzen: Vec<(NaiveDate, NaiveDate)> = periodes
        .iter()
        .map(|p| (p.eerste_dag(), p.laatste_dag()))
        .collect();
    let kenmerken: Vec<&Kenmerken> = model.kenmerken().collect();
    let delen = spread(kenmerken, cores(usize::MAX), |groep| {
        let mut basis = vec![Cijfers::default(); periodes.len() * BASISCELLEN];
        for deel in groep.chunks(VOORUIT) {
            // Each trajectory's facts lie in several allocations of their own. Reading those of
            // a few trajectories first, in a plain loop, lets the memory reads overlap instead
            // of each waiting its turn in the middle of the counting.
            for (_, k) in deel {
                std::hint::black_box((
                    k.open.last().map(|p| p.tot),
                    k.afsluitingen.last().map(|a| a.0),
                    k.plaatsingen.first().map(|p| p.betaald),
                    k.waakvlam.first().map(|p| p.van),
                    k.opschalingen.first().copied(),
                ));
            }
            for (_, k) in deel {
                tel(&mut basis, k, &grenzen, peildatum);
            }
        }
        basis
    });
    let mut basis = vec![Cijfers::default(); periodes.len() * BASISCELLEN];
    for deel in delen {
        for (cel, cijfers) in basis.iter_mut().zip(deel) {
            cel.voeg_toe(cijfers);
        }
    }
    let mut cellen: BTreeMap<Cel, Cijfers> = BTreeMap::new();
    for (p, periode) in periodes.iter().enumerate() {
        for (r, regio) in Regio::ALL.iter().enumerate() {
            for (m, methode) in Methode::ALL.iter().enumerate() {
                let c = &basis[basis_index(p, r, m, periodes.len())];
                if *c == Cijfers::default() {
                    continue;
                }
                for regio in [Some(*regio), None] {
                    for methode in [Some(*methode), None] {
                        let cel = Cel {
                            regio,
                            periode: *periode,
                            methode,
                        };
                        cellen.entry(cel).or_default().voeg_toe(c.clone());
                    }
                }
            }
        }
    }
    // The same data gives the same figures, whatever order the model holds trajectories in.
    for cijfers in cellen.values_mut() {
        cijfers.dagen_tot_werkgeverscontact.sort_unstable();
    }
    cellen
}

/// How many trajectories' facts are read ahead of counting them.
const VOORUIT: usize = 16;

/// Cells per period at the finest level: every region and method.
const BASISCELLEN: usize = Regio::ALL.len() * Methode::ALL.len();

/// A region's and method's periods lie side by side, so that one trajectory's contributions
/// land in one stretch of memory rather than one cache line per period.
fn basis_index(periode: usize, regio: usize, methode: usize, periodes: usize) -> usize {
    (regio * Methode::ALL.len() + methode) * periodes + periode
}

/// Adds what one trajectory contributes to every period it can touch (none before its
/// aanmelding, and none after it was closed for good: a closed trajectory records nothing until
/// it is reopened) to its own region's and method's cells of `basis`.
fn tel(
    basis: &mut [Cijfers],
    kenmerken: &Kenmerken,
    grenzen: &[(NaiveDate, NaiveDate)],
    peildatum: NaiveDate,
) {
    if kenmerken.aanmelding > peildatum {
        return;
    }
    let regio = Regio::ALL
        .iter()
        .position(|r| *r == kenmerken.regio)
        .expect("every region is in ALL");
    let methode = Methode::ALL
        .iter()
        .position(|m| *m == kenmerken.methode)
        .expect("every method is in ALL");
    let einde = kenmerken.open.last().and_then(|p| p.tot);
    for (p, &(eerste, laatste)) in grenzen.iter().enumerate() {
        if laatste < kenmerken.aanmelding || einde.is_some_and(|e| eerste > e) {
            continue;
        }
        let bijdrage = bijdrage(kenmerken, eerste, laatste, peildatum);
        if !bijdrage.is_empty() {
            basis[basis_index(p, regio, methode, grenzen.len())].add(&bijdrage);
        }
    }
}

/// What `k` adds to the period from `eerste` to `laatste`, as known on `peildatum`.
fn bijdrage(
    k: &Kenmerken,
    eerste: NaiveDate,
    laatste: NaiveDate,
    peildatum: NaiveDate,
) -> Bijdrage {
    let laatste = laatste.min(peildatum);
    if eerste > peildatum || k.aanmelding > laatste {
        return Bijdrage::default();
    }
    let binnen = |d: Option<NaiveDate>| d.is_some_and(|d| eerste <= d && d <= laatste);
    let afgesloten = k
        .afsluitingen
        .iter()
        .rev()
        .find(|(d, _)| eerste <= *d && *d <= laatste)
        .map(|(_, reden)| *reden);
    let dagen_tot_contact = match (k.intake, k.eerste_werkgeverscontact) {
        (Some(i), Some(c)) if binnen(Some(i)) && c <= peildatum => Some((c - i).num_days().max(0)),
        _ => None,
    };
    Bijdrage {
        aangemeld: binnen(Some(k.aanmelding)),
        gestart: binnen(k.intake),
        lopend: k.open_op(laatste),
        eerste_plaatsing: binnen(k.eerste_kwalificerende_plaatsing),
        duurzaam: binnen(k.duurzaam_op),
        betaald_werk: k.betaald_werk_op(laatste),
        waakvlam: k.waakvlam_op(laatste),
        opgeschaald: k.opschalingen.iter().any(|d| binnen(Some(*d))),
        afgesloten,
        dagen_tot_contact,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A quarter written as such: four digits, Q and one digit; nothing else is taken.
    #[test]
    fn a_quarter_is_four_digits_q_and_one() {
        let kw = |jaar, nummer| Kwartaal { jaar, nummer };
        assert_eq!("2024Q1".parse::<Kwartaal>(), Ok(kw(2024, 1)));
        assert_eq!(" 2024q4 ".parse::<Kwartaal>(), Ok(kw(2024, 4)));
        for fout in [
            "+2024Q1",
            "02024Q1",
            "2024Q01",
            "2024Q+1",
            "-2024Q1",
            "2024Q5",
            "2024Q0",
            "2024Q",
            "Q1",
            "24Q1",
            "1999Q4",
            "2101Q1",
            "2024 Q1",
            "٢٠٢٤Q1",
            "2024Q1x",
            "",
        ] {
            assert!(fout.parse::<Kwartaal>().is_err(), "{fout:?}");
        }
    }
}

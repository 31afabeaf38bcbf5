//! The quality report as its readers see it: one row per figure, each with the subject's own
//! value, the national value and the median of the regions, all read from one release (an
//! organisation's own values from its own figures). The screen, the CSV and XLSX files and the
//! printed report are all made from these rows, so they show the same numbers.
//!
//! A share is shown only when its numerator and denominator are both published; the median of
//! the regions is taken over the regions whose value is shown, so it tells nothing a reader
//! could not compute from the release.

use std::collections::BTreeMap;

use traject_domain::value::{Financier, Methode, Regio};
use traject_projections::cijfers::Kwartaal;
use traject_projections::kwaliteit::{
    CONTACT_NORM_DAGEN, HORIZONNEN, IPS_NORM, KwaliteitCijfers, Rapportperiode, UREN_KLASSEN,
};

use super::KwaliteitVrijgave;
use super::bescherming::{Kwaliteitsleutel, Onderwerp, cohort_code, openbare_waarden};
use crate::VrijgaveKop;
use crate::bescherming::Uitkomst;

/// What a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soort {
    /// A count.
    Aantal,
    /// A share of a count (0 to 1), with its numerator and denominator.
    Aandeel,
    /// A median (days, or trajectories per coach).
    Mediaan,
}

impl Soort {
    /// Its name in files and the API.
    pub fn naam(&self) -> &'static str {
        match self {
            Soort::Aantal => "aantal",
            Soort::Aandeel => "aandeel",
            Soort::Mediaan => "mediaan",
        }
    }
}

/// Whether a value is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Shown.
    Getoond,
    /// Hidden by disclosure control (one marker, never the reason).
    Verborgen,
    /// Not known yet: a cohort's horizon has not passed for all its members.
    NogNietBekend,
    /// Nothing to show: a share of zero, a median of nothing.
    Geen,
}

impl Status {
    /// Its name in files and the API.
    pub fn naam(&self) -> &'static str {
        match self {
            Status::Getoond => "getoond",
            Status::Verborgen => "verborgen",
            Status::NogNietBekend => "nog_niet_bekend",
            Status::Geen => "geen",
        }
    }
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cijfer {
    /// Whether it is shown.
    pub status: Status,
    /// The count, share or median, when shown.
    pub waarde: Option<f64>,
    /// A share's numerator, when shown.
    pub teller: Option<u64>,
    /// A share's denominator, when shown.
    pub noemer: Option<u64>,
}

impl Cijfer {
    fn zonder(status: Status) -> Self {
        Self {
            status,
            waarde: None,
            teller: None,
            noemer: None,
        }
    }
}

/// One figure of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Regel {
    /// The group it belongs to (`Instroom`, `Cohort 2024Q3`, ...).
    pub groep: String,
    /// A stable code (`gestart`, `cohort_2024Q3_werk_6m`).
    pub code: String,
    /// What it is, in Dutch.
    pub omschrijving: String,
    /// A count, share or median.
    pub soort: Soort,
    /// The norm or target it is measured against, if any.
    pub norm: Option<f64>,
    /// The subject's own value.
    pub eigen: Cijfer,
    /// The national value.
    pub landelijk: Cijfer,
    /// The median of the regions' shown values, and over how many regions.
    pub mediaan_regios: Option<f64>,
    /// How many regions' values the median is taken over.
    pub regios_met_waarde: u32,
}

/// Whose report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wie {
    /// The nation.
    Landelijk,
    /// A region.
    Regio(Regio),
    /// An organisation, named as its teamleider knows it.
    Organisatie(String),
}

/// A report.
#[derive(Debug, Clone, PartialEq)]
pub struct Rapport {
    /// The release it is read from.
    pub kop: VrijgaveKop,
    /// The four quarters.
    pub periode: Rapportperiode,
    /// Whose report.
    pub wie: Wie,
    /// Whether the subject's own values are an organisation's unprotected figures (shown to its
    /// own teamleider only).
    pub eigen_organisatie: bool,
    /// The rows.
    pub regels: Vec<Regel>,
}

enum Bron {
    Aantal(String),
    Aandeel(String, String),
    Mediaan(String),
}

struct Definitie {
    groep: String,
    omschrijving: String,
    bron: Bron,
    norm: Option<f64>,
}

fn definities(periode: Rapportperiode, jaardoel: Option<u64>) -> Vec<Definitie> {
    let mut d = Vec::new();
    let mut rij = |groep: &str, omschrijving: String, bron: Bron, norm: Option<f64>| {
        d.push(Definitie {
            groep: groep.to_owned(),
            omschrijving,
            bron,
            norm,
        })
    };
    let aandeel = |teller: String, noemer: &str| Bron::Aandeel(teller, noemer.to_owned());
    rij(
        "Instroom",
        "Gestart (intake afgerond)".to_owned(),
        Bron::Aantal("gestart".to_owned()),
        jaardoel.map(|d| d as f64),
    );
    for m in Methode::ALL {
        rij(
            "Instroom",
            format!("Methode {}", methode_naam(*m)),
            aandeel(format!("gestart_{}", m.as_str()), "gestart"),
            None,
        );
    }
    for f in Financier::ALL {
        rij(
            "Instroom",
            format!("Financier {}", f.as_str()),
            aandeel(format!("financier_{}", f.as_str()), "gestart"),
            None,
        );
    }
    for cohort in periode.cohorten() {
        let groep = format!("Cohort intake {cohort}");
        let grootte = cohort_code(cohort, "grootte");
        rij(
            &groep,
            "Intakes in het kwartaal".to_owned(),
            Bron::Aantal(grootte.clone()),
            None,
        );
        for (uitkomst, tekst) in [("werk", "Aan het werk"), ("duurzaam", "Duurzaam")] {
            for maanden in HORIZONNEN {
                rij(
                    &groep,
                    format!("{tekst} binnen {maanden} maanden na intake"),
                    aandeel(
                        cohort_code(cohort, &format!("{uitkomst}_{maanden}m")),
                        &grootte,
                    ),
                    None,
                );
            }
        }
    }
    rij(
        "Werkgeverscontact",
        "Mediaan dagen van intake tot eerste werkgeverscontact".to_owned(),
        Bron::Mediaan("mediaan_dagen_tot_contact".to_owned()),
        Some(CONTACT_NORM_DAGEN as f64),
    );
    rij(
        "Werkgeverscontact",
        format!("Eerste werkgeverscontact binnen {CONTACT_NORM_DAGEN} dagen na intake"),
        aandeel("contact_binnen_norm".to_owned(), "gestart"),
        None,
    );
    rij(
        "Caseload",
        "Coaches met lopende trajecten".to_owned(),
        Bron::Aantal("coaches".to_owned()),
        None,
    );
    rij(
        "Caseload",
        "Mediaan caseload per coach".to_owned(),
        Bron::Mediaan("mediaan_caseload".to_owned()),
        Some(IPS_NORM as f64),
    );
    rij(
        "Caseload",
        format!("Coaches boven de IPS-norm van {IPS_NORM}"),
        aandeel("coaches_boven_norm".to_owned(), "coaches"),
        None,
    );
    rij(
        "Plaatsingen",
        "Plaatsingen gestart".to_owned(),
        Bron::Aantal("plaatsingen".to_owned()),
        None,
    );
    for vorm in traject_domain::event::Contract::VORMEN {
        rij(
            "Plaatsingen",
            format!("Contract {vorm}"),
            aandeel(format!("contract_{vorm}"), "plaatsingen"),
            None,
        );
    }
    for (klasse, _) in UREN_KLASSEN {
        rij(
            "Plaatsingen",
            format!("Uren per week {}", klasse.replace('_', " ")),
            aandeel(format!("uren_{klasse}"), "plaatsingen"),
            None,
        );
    }
    rij(
        "Afsluitingen",
        "Afgesloten".to_owned(),
        Bron::Aantal("afgesloten".to_owned()),
        None,
    );
    for u in Uitkomst::ALLE {
        let tekst = match u {
            Uitkomst::DuurzaamAanHetWerk => "Reden duurzaam aan het werk",
            Uitkomst::Uitval => "Reden uitval",
            Uitkomst::Overig => "Overige redenen",
        };
        rij(
            "Afsluitingen",
            tekst.to_owned(),
            aandeel(format!("afgesloten_{}", u.naam()), "afgesloten"),
            None,
        );
    }
    d
}

/// A method as the outputs name it.
pub(crate) fn methode_naam(m: Methode) -> &'static str {
    match m {
        Methode::Ips => "IPS",
        Methode::Jobcoaching => "Jobcoaching",
        Methode::WerkAlsBesteZorg => "Werk als beste zorg",
    }
}

/// A subject's values: per code `None` when absent (not known yet), `Some(None)` when hidden.
trait Waarden {
    fn cel(&self, code: &str) -> Option<Option<u64>>;
    fn mediaan(&self, code: &str) -> Option<f64>;
}

struct Uitgebracht<'a> {
    vrijgave: &'a KwaliteitVrijgave,
    onderwerp: Onderwerp,
}

impl Waarden for Uitgebracht<'_> {
    fn cel(&self, code: &str) -> Option<Option<u64>> {
        self.vrijgave
            .cellen
            .get(&Kwaliteitsleutel {
                onderwerp: self.onderwerp,
                code: code.to_owned(),
            })
            .copied()
    }

    fn mediaan(&self, code: &str) -> Option<f64> {
        self.vrijgave
            .medianen
            .get(&Kwaliteitsleutel {
                onderwerp: self.onderwerp,
                code: code.to_owned(),
            })
            .copied()
    }
}

struct Eigen {
    waarden: BTreeMap<String, u64>,
    medianen: BTreeMap<&'static str, Option<f64>>,
}

impl Waarden for Eigen {
    fn cel(&self, code: &str) -> Option<Option<u64>> {
        self.waarden.get(code).map(|w| Some(*w))
    }

    fn mediaan(&self, code: &str) -> Option<f64> {
        self.medianen.get(code).copied().flatten()
    }
}

fn cijfer(w: &dyn Waarden, bron: &Bron) -> Cijfer {
    match bron {
        Bron::Aantal(code) => match w.cel(code) {
            None => Cijfer::zonder(Status::NogNietBekend),
            Some(None) => Cijfer::zonder(Status::Verborgen),
            Some(Some(n)) => Cijfer {
                status: Status::Getoond,
                waarde: Some(n as f64),
                teller: None,
                noemer: None,
            },
        },
        Bron::Aandeel(teller, noemer) => match (w.cel(teller), w.cel(noemer)) {
            (None, _) | (_, None) => Cijfer::zonder(Status::NogNietBekend),
            (Some(None), _) | (_, Some(None)) => Cijfer::zonder(Status::Verborgen),
            (Some(Some(_)), Some(Some(0))) => Cijfer::zonder(Status::Geen),
            (Some(Some(t)), Some(Some(n))) => Cijfer {
                status: Status::Getoond,
                waarde: Some(t as f64 / n as f64),
                teller: Some(t),
                noemer: Some(n),
            },
        },
        Bron::Mediaan(code) => match w.mediaan(code) {
            Some(m) => Cijfer {
                status: Status::Getoond,
                waarde: Some(m),
                teller: None,
                noemer: None,
            },
            // A median is published only over enough values: where it is not, the count
            // behind it is small or hidden.
            None => Cijfer::zonder(Status::Verborgen),
        },
    }
}

fn mediaan(mut waarden: Vec<f64>) -> Option<f64> {
    if waarden.is_empty() {
        return None;
    }
    waarden.sort_by(f64::total_cmp);
    let n = waarden.len();
    Some(if n % 2 == 1 {
        waarden[n / 2]
    } else {
        (waarden[n / 2 - 1] + waarden[n / 2]) / 2.0
    })
}

/// The fewest regions with a shown value over which the median of the regions is shown.
pub const MIN_REGIOS_MEDIAAN: u32 = 3;

/// The median of the regions' shown values of every row of `vrijgave`'s report, in row order,
/// with how many regions it is over: the same for every subject's report, so computed once
/// where many reports are made.
pub fn regiomedianen(vrijgave: &KwaliteitVrijgave) -> Vec<(Option<f64>, u32)> {
    let regios: Vec<Uitgebracht<'_>> = Regio::ALL
        .iter()
        .map(|r| Uitgebracht {
            vrijgave,
            onderwerp: Some(*r),
        })
        .collect();
    definities(vrijgave.periode(), None)
        .iter()
        .map(|d| {
            let waarden: Vec<f64> = regios
                .iter()
                .filter_map(|r| cijfer(r, &d.bron).waarde)
                .collect();
            // Over one or two regions the median is one region's value, or one a region
            // in it can solve for; it is shown from three.
            let over = u32::try_from(waarden.len()).unwrap_or(u32::MAX);
            let getoond = (over >= MIN_REGIOS_MEDIAAN)
                .then(|| mediaan(waarden))
                .flatten();
            (getoond, over)
        })
        .collect()
}

/// The report of `wie` from `vrijgave`. For an organisation, `eigen` holds its own figures
/// (counted on the release's peildatum); `jaardoel` is a region's yearly target of started
/// trajectories (the nation's is 35 times it; an organisation has none).
pub fn rapport(
    vrijgave: &KwaliteitVrijgave,
    wie: Wie,
    eigen: Option<&KwaliteitCijfers>,
    jaardoel: u64,
) -> Rapport {
    rapport_met(vrijgave, wie, eigen, jaardoel, &regiomedianen(vrijgave))
}

/// [`rapport`] with the medians of the regions computed before ([`regiomedianen`]).
pub fn rapport_met(
    vrijgave: &KwaliteitVrijgave,
    wie: Wie,
    eigen: Option<&KwaliteitCijfers>,
    jaardoel: u64,
    medianen: &[(Option<f64>, u32)],
) -> Rapport {
    let periode = vrijgave.periode();
    let doel = match &wie {
        Wie::Landelijk => Some(jaardoel * Regio::ALL.len() as u64),
        Wie::Regio(_) => Some(jaardoel),
        Wie::Organisatie(_) => None,
    };
    let eigen_waarden: Option<Eigen> = eigen.map(|c| Eigen {
        waarden: openbare_waarden(c, periode, vrijgave.kop.peildatum),
        medianen: BTreeMap::from([
            ("mediaan_dagen_tot_contact", c.mediaan_dagen_tot_contact()),
            ("mediaan_caseload", c.mediaan_caseload()),
        ]),
    });
    let landelijk = Uitgebracht {
        vrijgave,
        onderwerp: None,
    };
    let onderwerp = match &wie {
        Wie::Regio(r) => Some(*r),
        Wie::Landelijk | Wie::Organisatie(_) => None,
    };
    let uitgebracht = Uitgebracht {
        vrijgave,
        onderwerp,
    };
    let eigen_bron: &dyn Waarden = match &eigen_waarden {
        Some(e) => e,
        None => &uitgebracht,
    };
    let regels = definities(periode, doel)
        .into_iter()
        .zip(medianen)
        .map(|(d, (mediaan_regios, regios_met_waarde))| {
            let code = match &d.bron {
                Bron::Aantal(c) | Bron::Mediaan(c) | Bron::Aandeel(c, _) => c.clone(),
            };
            Regel {
                groep: d.groep,
                code,
                omschrijving: d.omschrijving,
                soort: match d.bron {
                    Bron::Aantal(_) => Soort::Aantal,
                    Bron::Aandeel(..) => Soort::Aandeel,
                    Bron::Mediaan(_) => Soort::Mediaan,
                },
                norm: d.norm,
                eigen: cijfer(eigen_bron, &d.bron),
                landelijk: cijfer(&landelijk, &d.bron),
                regios_met_waarde: *regios_met_waarde,
                mediaan_regios: *mediaan_regios,
            }
        })
        .collect();
    Rapport {
        kop: vrijgave.kop.clone(),
        periode,
        eigen_organisatie: eigen.is_some(),
        wie,
        regels,
    }
}

/// The quarter of a report over a calendar year: its fourth.
pub fn jaar(jaar: i32) -> Kwartaal {
    Kwartaal { jaar, nummer: 4 }
}

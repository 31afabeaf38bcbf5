//! `regioCijfers`: the anonymised figures for the regio and landelijk roles, the same protected
//! values as the exports ([`crate::cijfers`]), and progress towards the yearly target.
//!
//! Figures hold no person-level data, so reading them writes no access-log entry; a refusal is
//! FORBIDDEN with the rule.

use async_graphql::{Context, Enum, Object, SimpleObject};
use chrono::NaiveDate;
use traject_domain::value::Regio;
use traject_projections::bescherming::tabel::Reden;
use traject_projections::bescherming::{Maat, Waarde};
use traject_projections::cijfers::{Cel, Periode};

use super::datum::Datum;
use super::{ApiFout, gebruiker, omgeving};
use crate::cijfers::formaat::{Rij, Selectie, beschrijving, rijen};
use crate::toegang;

/// Why a value is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum VerborgenReden {
    /// A count below the threshold T.
    Primair,
    /// Hidden so that another hidden cell cannot be recomputed.
    Secundair,
    /// Hidden in an earlier publication of the period.
    Eerder,
    /// A group too small to break down by closing reason.
    KleineGroep,
}

impl From<Reden> for VerborgenReden {
    fn from(r: Reden) -> Self {
        match r {
            Reden::Primair => VerborgenReden::Primair,
            Reden::Secundair => VerborgenReden::Secundair,
            Reden::Eerder => VerborgenReden::Eerder,
            Reden::KleineGroep => VerborgenReden::KleineGroep,
        }
    }
}

/// One measure of a cell: its value, or why it is hidden (never a zero in its place).
#[derive(Debug, Clone, SimpleObject)]
pub struct CijferWaarde {
    /// The measure, as named in the exports (`gestart`, `afgesloten_Uitval`, ...).
    pub maat: String,
    /// The count, `null` when hidden.
    pub waarde: Option<i64>,
    /// Why it is hidden, `null` when published.
    pub verborgen: Option<VerborgenReden>,
}

/// One cell: a region (or `NL`), a period and a method (or `totaal`).
#[derive(Debug, Clone, SimpleObject)]
pub struct CijferCel {
    /// The region's code, or `NL` for national.
    pub regio: String,
    /// The region's name, or `Nederland`.
    pub regionaam: String,
    /// `2024Q1` or `2024`.
    pub periode: String,
    /// `IPS`, `Jobcoaching`, `WerkAlsBesteZorg` or `totaal`.
    pub methode: String,
    /// Every measure.
    pub maten: Vec<CijferWaarde>,
    /// Median days from intake to first employer contact; `null` when not publishable.
    pub mediaan_dagen_tot_werkgeverscontact: Option<f64>,
}

/// A region's (or the nation's) started trajectories in a year against the target.
#[derive(Debug, Clone, SimpleObject)]
pub struct Jaarvoortgang {
    /// The region's code, or `NL`.
    pub regio: String,
    /// The year.
    pub jaar: i32,
    /// Started trajectories (intake completed) in the year, as published; `null` when hidden.
    pub gestart: Option<i64>,
    /// Why `gestart` is hidden.
    pub verborgen: Option<VerborgenReden>,
    /// The target: the yearly target per region (times the regions for national).
    pub doel: i64,
    /// `gestart / doel`, `null` when hidden.
    pub aandeel: Option<f64>,
}

/// The protected figures of a scope and range.
#[derive(Debug, Clone, SimpleObject)]
pub struct RegioCijfers {
    /// A region's code, or `landelijk`.
    pub bereik: String,
    /// The first quarter.
    pub van: String,
    /// The last quarter.
    pub tot: String,
    /// The day the figures are as of.
    pub peildatum: Datum,
    /// The store position of the last trajectory event counted (0: an empty store).
    pub store_positie: i64,
    /// The duurzaam policy version.
    pub beleidsversie: String,
    /// The threshold T.
    pub drempel: i64,
    /// Whether published counts are rounded to multiples of 5.
    pub afronden: bool,
    /// The rules, in words.
    pub regels: String,
    /// The cells: regions in code order then national, quarters before their year, methods
    /// then the total.
    pub cellen: Vec<CijferCel>,
    /// Progress towards the yearly target, per region (and national) and year.
    pub voortgang: Vec<Jaarvoortgang>,
}

/// The figures query.
#[derive(Default)]
pub struct CijferQuery;

#[Object]
impl CijferQuery {
    /// The anonymised figures from quarter `van` to `tot` (`2024Q1`) and the years they touch:
    /// for a regio user their own region's, for a landelijk user `regio`'s or, without it, every
    /// region's and the national ones. As of `peildatum` (default today, not in the future).
    async fn regio_cijfers(
        &self,
        ctx: &Context<'_>,
        van: String,
        tot: String,
        regio: Option<String>,
        peildatum: Option<NaiveDate>,
    ) -> Result<RegioCijfers, ApiFout> {
        let g = gebruiker(ctx)?;
        let gevraagd = regio.map(|r| Regio::parse(&r)).transpose()?;
        let (bereik, _) = toegang::cijfers(g, gevraagd).map_err(|w| ApiFout::Verboden(w.regel))?;
        let selectie = Selectie::lees(bereik, &van, &tot)?;
        let omgeving = omgeving(ctx);
        let vandaag = (omgeving.vandaag)();
        let peildatum = peildatum.unwrap_or(vandaag);
        if peildatum > vandaag {
            return Err(ApiFout::invoer(
                "peildatum",
                "mag niet in de toekomst liggen",
            ));
        }
        let uitgave = omgeving
            .publicaties
            .publiceer(peildatum)
            .await
            .map_err(ApiFout::intern)?;
        let rijen = rijen(&uitgave, &selectie);
        let voortgang = voortgang(&rijen, uitgave.jaardoel);
        let regels = beschrijving(&uitgave, &selectie)
            .into_iter()
            .find(|(k, _)| *k == "regels")
            .map(|(_, v)| v)
            .unwrap_or_default();
        Ok(RegioCijfers {
            bereik: selectie.bereik_naam(),
            van: selectie.van.to_string(),
            tot: selectie.tot.to_string(),
            peildatum: Datum(peildatum),
            store_positie: uitgave.positie.map_or(0, |p| p.0 as i64),
            beleidsversie: uitgave.beleidsversie.clone(),
            drempel: uitgave.regels.drempel() as i64,
            afronden: uitgave.regels.afronden,
            regels,
            cellen: rijen.iter().map(cel).collect(),
            voortgang,
        })
    }
}

fn cel(rij: &Rij) -> CijferCel {
    CijferCel {
        regio: rij.regio().to_owned(),
        regionaam: rij.regionaam().to_owned(),
        periode: rij.cel.periode.to_string(),
        methode: rij.methode().to_owned(),
        maten: rij
            .waarden
            .iter()
            .map(|(maat, waarde)| {
                let (waarde, verborgen) = gesplitst(*waarde);
                CijferWaarde {
                    maat: maat.naam(),
                    waarde,
                    verborgen,
                }
            })
            .collect(),
        mediaan_dagen_tot_werkgeverscontact: rij.mediaan,
    }
}

fn gesplitst(waarde: Waarde) -> (Option<i64>, Option<VerborgenReden>) {
    match waarde {
        Waarde::Getal(n) => (Some(n as i64), None),
        Waarde::Verborgen(r) => (None, Some(r.into())),
    }
}

/// Progress per year from the total-over-methods year cells of `rijen`: the published number
/// started, so a hidden count stays hidden here too.
fn voortgang(rijen: &[Rij], jaardoel: u64) -> Vec<Jaarvoortgang> {
    rijen
        .iter()
        .filter_map(|rij| match rij.cel {
            Cel {
                periode: Periode::Jaar(jaar),
                methode: None,
                regio,
            } => {
                let doel = match regio {
                    Some(_) => jaardoel,
                    None => jaardoel * Regio::ALL.len() as u64,
                } as i64;
                let (gestart, verborgen) = gesplitst(rij.waarde(Maat::Gestart)?);
                Some(Jaarvoortgang {
                    regio: rij.regio().to_owned(),
                    jaar,
                    gestart,
                    verborgen,
                    doel,
                    aandeel: gestart.filter(|_| doel > 0).map(|g| g as f64 / doel as f64),
                })
            }
            _ => None,
        })
        .collect()
}

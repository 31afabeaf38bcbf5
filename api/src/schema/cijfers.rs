//! `regioCijfers` and `cijfersVrijgeven`: the released anonymised figures for the regio and
//! landelijk roles (the same values as the exports, [`crate::cijfers`]), provisional figures for
//! the landelijk role, progress towards the yearly target, and the release of a quarter.
//!
//! Figures hold no person-level data, so reading them writes no access-log entry, and reading
//! writes nothing at all; a refusal is FORBIDDEN with the rule.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use traject_domain::value::Regio;
use traject_projections::cijfers::{Kwartaal, Periode};
use traject_vrijgave::bescherming::{Maat, Waarde};

use super::datum::Datum;
use super::{ApiError, gebruiker, leesmodellen_bij, omgeving};
use crate::cijfers::format::{Rij, Selectie, beschrijving, rijen};
use crate::cijfers::{VrijgaveError, VrijgaveKop};
use crate::toegang;

/// One measure of a cell: its value, or that it is hidden (never a zero in its place, never
/// why).
#[derive(Debug, Clone, SimpleObject)]
pub struct CijferWaarde {
    /// The measure, as named in the exports (`gestart`, `afgesloten_Uitval`, ...).
    pub maat: String,
    /// The count, `null` when hidden.
    pub waarde: Option<i64>,
    /// Whether it is hidden.
    pub verborgen: bool,
}

/// One cell: a region (or `NL`), a period and a method (or `totaal`).
#[derive(Debug, Clone, SimpleObject)]
pub struct CijferCel {
    /// The region's code, or `NL` for national.
    pub regio: String,
    /// The region's name, or `Nederland`.
    pub regionaam: String,
    /// The quarter, `2024Q1`.
    pub periode: String,
    /// `IPS`, `Jobcoaching`, `WerkAlsBesteZorg` or `totaal`.
    pub methode: String,
    /// Every measure.
    pub maten: Vec<CijferWaarde>,
    /// Median days from intake to first employer contact; `null` when not publishable.
    pub mediaan_dagen_tot_werkgeverscontact: Option<f64>,
}

/// A region's (or the nation's) started trajectories in a year against the target: the sum of
/// the year's quarters shown.
#[derive(Debug, Clone, SimpleObject)]
pub struct Jaarvoortgang {
    /// The region's code, or `NL`.
    pub regio: String,
    /// The year.
    pub jaar: i32,
    /// How many of the year's quarters are in the sum (released, or provisional).
    pub kwartalen: i32,
    /// Started trajectories (intake completed) in those quarters, as published; `null` when a
    /// quarter's count is hidden.
    pub gestart: Option<i64>,
    /// Whether `gestart` is hidden.
    pub verborgen: bool,
    /// The target: the yearly target per region (times the regions for national).
    pub doel: i64,
    /// `gestart / doel`, `null` when hidden.
    pub aandeel: Option<f64>,
}

/// One release of a quarter's figures.
#[derive(Debug, Clone, SimpleObject)]
pub struct CijferVrijgave {
    /// The quarter, `2025Q3`.
    pub kwartaal: String,
    /// 1 for the first release, then each correction the next.
    pub nummer: i32,
    /// The day the figures are as of: the day of the release.
    pub peildatum: Datum,
    /// The store position of the last trajectory event counted (0: an empty store).
    pub store_positie: i64,
    /// The duurzaam policy version.
    pub beleidsversie: String,
    /// The threshold T applied.
    pub drempel: i64,
    /// Whether published counts were rounded to multiples of 5.
    pub afronden: bool,
}

impl From<&VrijgaveKop> for CijferVrijgave {
    fn from(v: &VrijgaveKop) -> Self {
        Self {
            kwartaal: v.kwartaal.to_string(),
            nummer: v.nummer as i32,
            peildatum: Datum(v.peildatum),
            store_positie: v.positie.map_or(0, |p| p.0 as i64),
            beleidsversie: v.beleidsversie.clone(),
            drempel: v.drempel as i64,
            afronden: v.afronden,
        }
    }
}

/// The figures of a scope and range.
#[derive(Debug, Clone, SimpleObject)]
pub struct RegioCijfers {
    /// A region's code, or `landelijk`.
    pub bereik: String,
    /// The first quarter.
    pub van: String,
    /// The last quarter.
    pub tot: String,
    /// The releases the figures come from, one per quarter shown.
    pub vrijgaven: Vec<CijferVrijgave>,
    /// The quarters asked that have no release (shown only when provisional figures were asked).
    pub niet_vrijgegeven: Vec<String>,
    /// Whether the figures of quarters not released are shown, provisional: not for
    /// distribution, and different tomorrow.
    pub voorlopig: bool,
    /// The threshold T.
    pub drempel: i64,
    /// Whether published counts are rounded to multiples of 5.
    pub afronden: bool,
    /// The rules, in words.
    pub regels: String,
    /// The cells: regions in code order then national, quarters in order, methods then the
    /// total.
    pub cellen: Vec<CijferCel>,
    /// Progress towards the yearly target, per region (and national) and year.
    pub voortgang: Vec<Jaarvoortgang>,
}

/// The figures query.
#[derive(Default)]
pub struct CijferQuery;

#[Object]
impl CijferQuery {
    /// The released anonymised figures from quarter `van` to `tot` (`2024Q1`): for a regio user
    /// their own region's, for a landelijk user `regio`'s or, without it, every region's and the
    /// national ones. Each quarter as its latest release has it, the same for every reader. With
    /// `voorlopig` (landelijk only) the quarters not released yet too, computed now with the same
    /// protection and marked provisional. Reading writes nothing.
    async fn regio_cijfers(
        &self,
        ctx: &Context<'_>,
        van: String,
        tot: String,
        regio: Option<String>,
        voorlopig: Option<bool>,
    ) -> Result<RegioCijfers, ApiError> {
        let voorlopig = voorlopig.unwrap_or(false);
        let g = gebruiker(ctx)?;
        let gevraagd = regio.map(|r| Regio::parse(&r)).transpose()?;
        let (bereik, _) = toegang::cijfers(g, gevraagd).map_err(|w| ApiError::Verboden(w.regel))?;
        if voorlopig {
            toegang::voorlopige_cijfers(g).map_err(|w| ApiError::Verboden(w.regel))?;
            // Provisional figures are counted from the read models now: complete or not at all.
            leesmodellen_bij(ctx).await?;
        }
        let selectie = Selectie::parse(bereik, &van, &tot)?;
        let omgeving = omgeving(ctx);
        let uitgave = omgeving
            .vrijgaven
            .uitgave(selectie.van, selectie.tot, voorlopig, (omgeving.vandaag)())
            .await
            .map_err(ApiError::intern)?;
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
            vrijgaven: uitgave.vrijgaven.iter().map(CijferVrijgave::from).collect(),
            niet_vrijgegeven: uitgave
                .niet_vrijgegeven
                .iter()
                .map(ToString::to_string)
                .collect(),
            voorlopig: uitgave.voorlopig.is_some(),
            drempel: uitgave.regels.drempel() as i64,
            afronden: uitgave.regels.afronden,
            regels,
            cellen: rijen.iter().map(cel).collect(),
            voortgang,
        })
    }
}

/// The release mutation.
#[derive(Default)]
pub struct CijferMutation;

/// How long a release's answer waits for the release (below the request time limit).
const WACHT_OP_VRIJGAVE: std::time::Duration = std::time::Duration::from_secs(5);

#[Object]
impl CijferMutation {
    /// Releases the figures of `kwartaal` (`2025Q3`), for every region and the nation, once the
    /// quarter has closed plus the lag for late registrations: the first release, or the next
    /// correction (protected jointly with the earlier ones; a few at most). Landelijk or
    /// beheerder only.
    async fn cijfers_vrijgeven(
        &self,
        ctx: &Context<'_>,
        kwartaal: String,
    ) -> Result<CijferVrijgave, ApiError> {
        let g = gebruiker(ctx)?;
        toegang::cijfers_vrijgeven(g).map_err(|w| ApiError::Verboden(w.regel))?;
        let kwartaal: Kwartaal = kwartaal.parse().map_err(|_| {
            ApiError::invoer("kwartaal", "moet een kwartaal zijn, bijvoorbeeld 2025Q3")
        })?;
        // A release is counted from the read models and stored for good: never from read models
        // that are behind the store or stopped.
        leesmodellen_bij(ctx).await?;
        let omgeving = omgeving(ctx);
        // A release (its audit with linear programs) can outlast the request's time limit: it
        // runs as a task of its own, so a request given up on never leaves half a release, and
        // the release is stored (and readable) when it is done. The answer waits a few seconds
        // for it, then says it is still being made.
        let vrijgaven = Arc::clone(&omgeving.vrijgaven);
        let (vandaag, door) = ((omgeving.vandaag)(), g.id.clone());
        // A release that fails after the answer was given is not lost silently: the log says
        // why (no personal data: a quarter and a reason).
        let taak = tokio::spawn(async move {
            let uitkomst = vrijgaven.vrijgeef(kwartaal, vandaag, &door).await;
            if let Err(e) = &uitkomst {
                tracing::warn!(%kwartaal, error = %e, "vrijgave not made");
            }
            uitkomst
        });
        let uitkomst = tokio::time::timeout(WACHT_OP_VRIJGAVE, taak)
            .await
            .map_err(|_| {
                ApiError::NietBeschikbaar(
                    "de vrijgave wordt nog gemaakt; zij staat bij de vrijgaven zodra zij klaar is",
                )
            })?;
        match uitkomst.map_err(ApiError::intern)? {
            Ok(kop) => Ok(CijferVrijgave::from(&kop)),
            Err(
                e @ (VrijgaveError::TeVroeg { .. }
                | VrijgaveError::TeveelCorrecties { .. }
                | VrijgaveError::AuditMislukt(_)
                | VrijgaveError::Onzeker(_)),
            ) => Err(ApiError::regel(
                "kwartaal",
                e.regel().unwrap_or(traject_dienst::fout::ONGELDIGE_WAARDE),
                e.to_string(),
            )),
            Err(VrijgaveError::Tegelijk { nummer, .. }) => Err(ApiError::Conflict {
                wat: "vrijgave",
                verwacht: Some(u64::from(nummer) - 1),
                huidig: Some(u64::from(nummer)),
            }),
            Err(e) => Err(ApiError::intern(e)),
        }
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

fn gesplitst(waarde: Waarde) -> (Option<i64>, bool) {
    match waarde {
        Waarde::Getal(n) => (Some(n as i64), false),
        Waarde::Verborgen(_) => (None, true),
    }
}

/// Progress per region (and national) and year: the sum of the total-over-methods `gestart` of
/// the year's quarters shown, hidden when one of them is.
fn voortgang(rijen: &[Rij], jaardoel: u64) -> Vec<Jaarvoortgang> {
    let mut per: std::collections::BTreeMap<(bool, &'static str, i32), (i32, Option<i64>)> =
        std::collections::BTreeMap::new();
    for rij in rijen {
        let (Periode::Kwartaal(k), None) = (rij.cel.periode, rij.cel.methode) else {
            continue;
        };
        let Some(waarde) = rij.waarde(Maat::Gestart) else {
            continue;
        };
        let sleutel = (rij.cel.regio.is_none(), rij.regio(), k.jaar);
        let (kwartalen, som) = per.entry(sleutel).or_insert((0, Some(0)));
        *kwartalen += 1;
        *som = match (gesplitst(waarde).0, *som) {
            (Some(n), Some(s)) => Some(s + n),
            _ => None,
        };
    }
    per.into_iter()
        .map(|((nationaal, regio, jaar), (kwartalen, gestart))| {
            let doel = if nationaal {
                jaardoel * Regio::ALL.len() as u64
            } else {
                jaardoel
            } as i64;
            Jaarvoortgang {
                regio: regio.to_owned(),
                jaar,
                kwartalen,
                gestart,
                verborgen: gestart.is_none(),
                doel,
                aandeel: gestart.filter(|_| doel > 0).map(|g| g as f64 / doel as f64),
            }
        })
        .collect()
}

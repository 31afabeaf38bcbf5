//! `businesscase` and `businesscaseVrijgeven`: the societal business case of a region (regio
//! user: their own; landelijk: any, or the nation) for a year, per party and scenario, with a
//! what-if that writes nothing; and the release of a year's counts behind it (landelijk or
//! beheerder). The same numbers as `GET /export/businesscase` ([`crate::businesscase`]).

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use traject_businesscase::Partij;
use traject_vrijgave::businesscase::BusinesscaseKop;

use super::datum::Datum;
use super::keuzelijsten::Methode;
use super::{ApiError, gebruiker, leesmodellen_bij, omgeving};
use crate::businesscase::{WatAls, beschrijving, businesscase_voor, onderwerp};
use crate::cijfers::VrijgaveError;
use crate::toegang;

/// The release of a year's counts.
#[derive(Debug, Clone, SimpleObject)]
pub struct BusinesscaseVrijgave {
    /// The year.
    pub jaar: i32,
    /// The release's number: 1 (a year is released once).
    pub nummer: i32,
    /// The day of the release.
    pub peildatum: Datum,
    /// The store position of the last event counted.
    pub store_positie: i64,
    /// The duurzaam policy version.
    pub beleidsversie: String,
    /// The threshold T.
    pub drempel: i64,
}

impl From<&BusinesscaseKop> for BusinesscaseVrijgave {
    fn from(k: &BusinesscaseKop) -> Self {
        Self {
            jaar: k.jaar,
            nummer: k.nummer as i32,
            peildatum: Datum(k.peildatum),
            store_positie: k.positie.map_or(0, |p| p.0 as i64),
            beleidsversie: k.beleidsversie.clone(),
            drempel: k.drempel as i64,
        }
    }
}

/// One party's balance, in euros.
#[derive(Debug, Clone, SimpleObject)]
pub struct PartijBalans {
    /// `gemeente`, `UWV`, `zorgverzekeraar`, `GGZ-aanbieder`, `werkgever`, `Rijk`, `overig` or
    /// `totaal`.
    pub partij: String,
    /// Costs paid.
    pub kosten: f64,
    /// Returns received.
    pub baten: f64,
    /// Returns minus costs.
    pub netto: f64,
    /// The first month (1: January of the year) whose cumulative returns reach the cumulative
    /// costs; `null` when none within the horizon.
    pub break_even_maand: Option<i32>,
}

impl PartijBalans {
    fn van(partij: &str, b: &traject_businesscase::Balans) -> Self {
        Self {
            partij: partij.to_owned(),
            kosten: b.kosten_totaal(),
            baten: b.baten_totaal(),
            netto: b.netto(),
            break_even_maand: b.break_even_maand().map(|m| m as i32),
        }
    }
}

/// The case in one scenario over one horizon.
#[derive(Debug, Clone, SimpleObject)]
pub struct BusinesscaseUitkomst {
    /// `laag` (highest costs, lowest returns), `midden` or `hoog`.
    pub scenario: String,
    /// The horizon in years.
    pub horizon_jaren: i32,
    /// Per party.
    pub partijen: Vec<PartijBalans>,
    /// All parties together.
    pub totaal: PartijBalans,
    /// Per month, the cumulative returns minus costs of all parties.
    pub cumulatief_netto: Vec<f64>,
}

/// Trajectories of a method: counted, and as computed with.
#[derive(Debug, Clone, SimpleObject)]
pub struct MethodeTrajecten {
    /// The method.
    pub methode: Methode,
    /// In the release's counts.
    pub geteld: i64,
    /// As computed with (a what-if's number).
    pub berekend: i64,
}

/// A business case.
#[derive(Debug, Clone, SimpleObject)]
pub struct Businesscase {
    /// Whose, in words.
    pub onderwerp: String,
    /// The region's code, or `NL`.
    pub regio: String,
    /// Whether the nation's counts stand in for a region whose own are withheld.
    pub landelijke_tellingen: bool,
    /// What in the counts is estimated, in words: a method whose split over financiers or
    /// benefits is the nation's over the region's own totals, for every region alike, because
    /// some region's own split would show a small count. Empty when nothing is.
    pub schattingen: Vec<String>,
    /// The release of the counts.
    pub vrijgave: BusinesscaseVrijgave,
    /// The assumptions' version.
    pub aannames_versie: String,
    /// The assumptions used, as JSON (what a region's file and a what-if change).
    pub aannames: String,
    /// Whether a what-if changed the numbers or assumptions.
    pub wat_als: bool,
    /// Trajectories per method.
    pub trajecten: Vec<MethodeTrajecten>,
    /// Per scenario and horizon.
    pub uitkomsten: Vec<BusinesscaseUitkomst>,
    /// The rules, in words.
    pub regels: String,
}

/// A method's number of trajectories in a what-if.
#[derive(Debug, Clone, InputObject)]
pub struct MethodeAantal {
    /// The method.
    pub methode: Methode,
    /// The number of trajectories.
    pub aantal: i64,
}

/// A what-if: nothing is written.
#[derive(Debug, Clone, InputObject, Default)]
pub struct WatAlsInvoer {
    /// Trajectories per method instead of those counted.
    pub trajecten: Option<Vec<MethodeAantal>>,
    /// Changed assumptions: JSON over the region's, as in an assumptions file.
    pub aannames: Option<String>,
}

/// The business-case query.
#[derive(Default)]
pub struct BusinesscaseQuery;

#[Object]
impl BusinesscaseQuery {
    /// The societal business case of `jaar` for a regio user's own region, or a landelijk user's
    /// `regio` (without it: the nation), every scenario and horizon of the assumptions; with
    /// `watAls`, computed with other numbers of trajectories or assumptions. Writes nothing.
    async fn businesscase(
        &self,
        ctx: &Context<'_>,
        jaar: i32,
        regio: Option<String>,
        wat_als: Option<WatAlsInvoer>,
    ) -> Result<Businesscase, ApiError> {
        let g = gebruiker(ctx)?;
        let o = omgeving(ctx);
        let invoer = wat_als.unwrap_or_default();
        if invoer.aannames.as_ref().is_some_and(|a| a.len() > 65_536) {
            return Err(ApiError::invoer(
                "watAls.aannames",
                "mag niet meer dan 64 KiB zijn",
            ));
        }
        let mut w = WatAls {
            aannames: invoer.aannames,
            ..WatAls::default()
        };
        for m in invoer.trajecten.unwrap_or_default() {
            let methode: traject_domain::value::Methode = m.methode.into();
            let veld = format!("watAls.trajecten.{}", methode.as_str());
            let aantal = u64::try_from(m.aantal)
                .map_err(|_| ApiError::invoer(&veld, "mag niet negatief zijn"))?;
            if w.trajecten.insert(methode, aantal).is_some() {
                return Err(ApiError::invoer(&veld, "mag maar één keer genoemd worden"));
            }
        }
        let b = businesscase_voor(
            &o.vrijgaven,
            o.aannames.as_deref(),
            g,
            jaar,
            regio.as_deref(),
            &w,
        )
        .await?;
        let regels = beschrijving(&b)
            .into_iter()
            .find(|(k, _)| *k == "regels")
            .map(|(_, v)| v)
            .unwrap_or_default();
        Ok(Businesscase {
            onderwerp: onderwerp(&b),
            regio: b.regio.map_or("NL", |r| r.code()).to_owned(),
            landelijke_tellingen: b.landelijke_tellingen,
            schattingen: b.schattingen.clone(),
            vrijgave: BusinesscaseVrijgave::from(&b.kop),
            aannames_versie: b.aannames.versie.clone(),
            aannames: serde_json::to_string(&b.aannames).map_err(ApiError::intern)?,
            wat_als: b.wat_als,
            trajecten: b
                .trajecten
                .iter()
                .map(|(m, (geteld, berekend))| MethodeTrajecten {
                    methode: (*m).into(),
                    geteld: *geteld as i64,
                    berekend: *berekend as i64,
                })
                .collect(),
            uitkomsten: b
                .uitkomsten
                .iter()
                .map(|u| {
                    let totaal = u.totaal();
                    let mut som = 0.0;
                    BusinesscaseUitkomst {
                        scenario: match u.scenario {
                            traject_businesscase::Scenario::Laag => "laag",
                            traject_businesscase::Scenario::Midden => "midden",
                            traject_businesscase::Scenario::Hoog => "hoog",
                        }
                        .to_owned(),
                        horizon_jaren: u.horizon_jaren as i32,
                        partijen: Partij::ALLE
                            .iter()
                            .map(|p| PartijBalans::van(p.naam(), &u.per_partij[p]))
                            .collect(),
                        cumulatief_netto: totaal
                            .baten
                            .iter()
                            .zip(&totaal.kosten)
                            .map(|(b, k)| {
                                som += b - k;
                                som
                            })
                            .collect(),
                        totaal: PartijBalans::van("totaal", &totaal),
                    }
                })
                .collect(),
            regels,
        })
    }

    /// The released years of the business case's counts, newest first: each year's release.
    async fn businesscase_vrijgaven(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<BusinesscaseVrijgave>, ApiError> {
        let g = gebruiker(ctx)?;
        toegang::cijfers(g, None).map_err(|w| ApiError::Verboden(w.regel))?;
        let o = omgeving(ctx);
        let dit_jaar = chrono::Datelike::year(&(o.vandaag)());
        let mut uit = Vec::new();
        // From the first year a trajectory may have.
        for jaar in (2000..=dit_jaar).rev() {
            if let Some(v) = o
                .vrijgaven
                .businesscase(jaar)
                .await
                .map_err(ApiError::intern)?
            {
                uit.push(BusinesscaseVrijgave::from(&v.kop));
            }
        }
        Ok(uit)
    }
}

/// The release of a year's counts.
#[derive(Default)]
pub struct BusinesscaseMutation;

#[Object]
impl BusinesscaseMutation {
    /// Releases the counts behind the business case of `jaar`, for every region and the
    /// nation, once the year has closed plus the lag, and only once (a correction would show
    /// the trajectories registered late). Landelijk or beheerder only.
    async fn businesscase_vrijgeven(
        &self,
        ctx: &Context<'_>,
        jaar: i32,
    ) -> Result<BusinesscaseVrijgave, ApiError> {
        let g = gebruiker(ctx)?;
        toegang::cijfers_vrijgeven(g).map_err(|w| ApiError::Verboden(w.regel))?;
        if !(2000..=2100).contains(&jaar) {
            return Err(ApiError::invoer(
                "jaar",
                "moet een jaar van 2000 tot 2100 zijn",
            ));
        }
        leesmodellen_bij(ctx).await?;
        let o = omgeving(ctx);
        let vrijgaven = Arc::clone(&o.vrijgaven);
        let (vandaag, door) = ((o.vandaag)(), g.id.clone());
        let uitkomst =
            tokio::spawn(
                async move { vrijgaven.vrijgeef_businesscase(jaar, vandaag, &door).await },
            )
            .await
            .map_err(ApiError::intern)?;
        match uitkomst {
            Ok(kop) => Ok(BusinesscaseVrijgave::from(&kop)),
            Err(
                e @ (VrijgaveError::BusinesscaseTeVroeg { .. }
                | VrijgaveError::BusinesscaseAlVrijgegeven { .. }),
            ) => Err(ApiError::regel(
                "jaar",
                e.regel().unwrap_or(traject_dienst::fout::ONGELDIGE_WAARDE),
                e.to_string(),
            )),
            Err(VrijgaveError::Tegelijk { .. }) => Err(ApiError::regel(
                "jaar",
                "businesscase_al_vrijgegeven",
                format!("de businesscase van {jaar} werd tegelijk door een ander vrijgegeven"),
            )),
            Err(e) => Err(ApiError::intern(e)),
        }
    }
}

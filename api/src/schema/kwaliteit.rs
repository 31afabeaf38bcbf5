//! `kwaliteitsrapport`, `kwaliteitsrapporten` and `kwaliteitsrapportVrijgeven`: the quality
//! report of an organisation (its teamleider), a region (its regio user) or any region and the
//! nation (landelijk), beside the national value and the median of the regions, read from its
//! release; the same rows as the export (`GET /export/kwaliteit`, [`crate::kwaliteit`]).
//!
//! The report holds no person-level data, so reading it writes no access-log entry, and
//! reading writes nothing at all.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use traject_projections::cijfers::Kwartaal;
use traject_vrijgave::kwaliteit::rapport::{Cijfer, Rapport};

use super::cijfers::CijferVrijgave;
use super::{ApiError, gebruiker, leesmodellen_bij, omgeving};
use crate::cijfers::VrijgaveError;
use crate::kwaliteit::{kwartaal_van, onderwerp, rapport_voor, regels_tekst};
use crate::toegang;

/// One value of a row.
#[derive(Debug, Clone, SimpleObject)]
pub struct KwaliteitWaarde {
    /// `getoond`, `verborgen` (disclosure control: one marker, never why), `nog_niet_bekend`
    /// (a cohort's horizon has not passed) or `geen` (nothing to show).
    pub status: String,
    /// The count, share (0 to 1) or median, when shown.
    pub waarde: Option<f64>,
    /// A share's numerator, when shown.
    pub teller: Option<i64>,
    /// A share's denominator, when shown.
    pub noemer: Option<i64>,
}

impl From<&Cijfer> for KwaliteitWaarde {
    fn from(c: &Cijfer) -> Self {
        Self {
            status: c.status.naam().to_owned(),
            waarde: c.waarde,
            teller: c.teller.map(|t| t as i64),
            noemer: c.noemer.map(|n| n as i64),
        }
    }
}

/// One figure of the report.
#[derive(Debug, Clone, SimpleObject)]
pub struct KwaliteitRij {
    /// Its group: `Instroom`, `Cohort intake 2024Q3`, `Werkgeverscontact`, `Caseload`,
    /// `Plaatsingen`, `Afsluitingen`.
    pub groep: String,
    /// A stable code, as in the export.
    pub code: String,
    /// What it is.
    pub omschrijving: String,
    /// `aantal`, `aandeel` or `mediaan`.
    pub soort: String,
    /// The norm or target it is measured against.
    pub norm: Option<f64>,
    /// The subject's own value.
    pub eigen: KwaliteitWaarde,
    /// The national value.
    pub landelijk: KwaliteitWaarde,
    /// The median of the regions' shown values.
    pub mediaan_regios: Option<f64>,
    /// Over how many regions that median is taken.
    pub regios_met_waarde: i32,
}

/// A quality report.
#[derive(Debug, Clone, SimpleObject)]
pub struct Kwaliteitsrapport {
    /// Whose: `AM03 Drenthe`, `Nederland`, `organisatie ...`.
    pub onderwerp: String,
    /// The first of the four quarters.
    pub van: String,
    /// The last.
    pub tot: String,
    /// The release it is read from.
    pub vrijgave: CijferVrijgave,
    /// Whether the own values are the organisation's unprotected figures (for its teamleider
    /// only, not for distribution outside the organisation).
    pub eigen_organisatie: bool,
    /// The rules, in words.
    pub regels: String,
    /// The figures.
    pub rijen: Vec<KwaliteitRij>,
}

fn als_antwoord(r: &Rapport, regels: &traject_vrijgave::bescherming::Regels) -> Kwaliteitsrapport {
    Kwaliteitsrapport {
        onderwerp: onderwerp(&r.wie),
        van: r.periode.van().to_string(),
        tot: r.periode.tot.to_string(),
        vrijgave: CijferVrijgave::from(&r.kop),
        eigen_organisatie: r.eigen_organisatie,
        regels: regels_tekst(regels, r.eigen_organisatie),
        rijen: r
            .regels
            .iter()
            .map(|g| KwaliteitRij {
                groep: g.groep.clone(),
                code: g.code.clone(),
                omschrijving: g.omschrijving.clone(),
                soort: g.soort.naam().to_owned(),
                norm: g.norm,
                eigen: (&g.eigen).into(),
                landelijk: (&g.landelijk).into(),
                mediaan_regios: g.mediaan_regios,
                regios_met_waarde: g.regios_met_waarde as i32,
            })
            .collect(),
    }
}

/// The quality-report queries.
#[derive(Default)]
pub struct KwaliteitQuery;

#[Object]
impl KwaliteitQuery {
    /// The quality report over the calendar year `kwartaal` (`2025`, or its fourth quarter
    /// `2025Q4`; another quarter is refused with the rule `kalenderjaar`), from its latest
    /// release: a teamleider's own organisation's, a regio user's own region's, a landelijk
    /// user's `regio`'s or, without it, the nation's. A teamleider who also has the regio or
    /// landelijk role asks for their organisation's with `eigenOrganisatie: true`.
    async fn kwaliteitsrapport(
        &self,
        ctx: &Context<'_>,
        kwartaal: String,
        regio: Option<String>,
        eigen_organisatie: Option<bool>,
    ) -> Result<Kwaliteitsrapport, ApiError> {
        let g = gebruiker(ctx)?;
        let o = omgeving(ctx);
        let r = rapport_voor(
            &o.vrijgaven,
            &o.projecties,
            o.start_head,
            g,
            &kwartaal,
            regio.as_deref(),
            eigen_organisatie.unwrap_or(false),
        )
        .await?;
        Ok(als_antwoord(&r, o.vrijgaven.regels()))
    }

    /// The last quarters of the released quality reports (a year's fourth), newest first (from
    /// ten years back).
    async fn kwaliteitsrapporten(&self, ctx: &Context<'_>) -> Result<Vec<String>, ApiError> {
        let g = gebruiker(ctx)?;
        toegang::kwaliteitsrapport(g, None, false).map_err(|w| ApiError::Verboden(w.regel))?;
        let o = omgeving(ctx);
        let vandaag = (o.vandaag)();
        let mut k = Kwartaal {
            jaar: chrono::Datelike::year(&vandaag) - 10,
            nummer: 4,
        };
        let mut uit = Vec::new();
        while k <= Kwartaal::van(vandaag) {
            if o.vrijgaven
                .kwaliteit(k)
                .await
                .map_err(ApiError::intern)?
                .is_some()
            {
                uit.push(k.to_string());
            }
            k = Kwartaal {
                jaar: k.jaar + 1,
                nummer: 4,
            };
        }
        uit.reverse();
        Ok(uit)
    }
}

/// The quality report's release.
#[derive(Default)]
pub struct KwaliteitMutation;

/// How long a release's answer waits for the release.
const WACHT_OP_VRIJGAVE: std::time::Duration = std::time::Duration::from_secs(5);

#[Object]
impl KwaliteitMutation {
    /// Releases the quality report over the calendar year `kwartaal` (`2025` or `2025Q4`), for
    /// every region and the nation, once its four quarters' figures are released: the first
    /// release, or the next correction. Landelijk or beheerder only.
    async fn kwaliteitsrapport_vrijgeven(
        &self,
        ctx: &Context<'_>,
        kwartaal: String,
    ) -> Result<CijferVrijgave, ApiError> {
        let g = gebruiker(ctx)?;
        toegang::cijfers_vrijgeven(g).map_err(|w| ApiError::Verboden(w.regel))?;
        let tot = kwartaal_van(&kwartaal)?;
        leesmodellen_bij(ctx).await?;
        let o = omgeving(ctx);
        let vrijgaven = Arc::clone(&o.vrijgaven);
        let (vandaag, door) = ((o.vandaag)(), g.id.clone());
        // As a quarter's release: a task of its own, so a request given up on never leaves half
        // a release.
        let taak = tokio::spawn(async move {
            let uitkomst = vrijgaven.vrijgeef_kwaliteit(tot, vandaag, &door).await;
            if let Err(e) = &uitkomst {
                tracing::warn!(until = %tot, error = %e, "kwaliteitsrapport not released");
            }
            uitkomst
        });
        let uitkomst = tokio::time::timeout(WACHT_OP_VRIJGAVE, taak)
            .await
            .map_err(|_| {
                ApiError::NietBeschikbaar(
                    "het kwaliteitsrapport wordt nog vrijgegeven; het staat bij de rapporten zodra het klaar is",
                )
            })?;
        match uitkomst.map_err(ApiError::intern)? {
            Ok(kop) => Ok(CijferVrijgave::from(&kop)),
            Err(
                e @ (VrijgaveError::KwartalenNietVrijgegeven(_)
                | VrijgaveError::GeenKalenderjaar(_)
                | VrijgaveError::TeveelCorrecties { .. }
                | VrijgaveError::AuditMislukt(_)),
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

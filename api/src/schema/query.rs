//! Queries: the caller, their caseload, one trajectory, IPS indicators, and the access log for
//! the beheerder. Every read of person-level data is logged before it is returned.

use async_graphql::{Context, ID, Object, SimpleObject};

use traject_domain::value::{ClientId, TrajectId};
use traject_projections::caseload::{
    Bereik, CaseloadError, CaseloadPagina, CaseloadVraag, Sortering, caseload,
};
use traject_projections::ips::ips;
use traject_projections::overzicht::overzicht;

use super::enums::RolUit;
use super::invoer::DatumInvoer;
use super::types::{Caseload, Fase, Ips, Methode, Traject};
use super::{
    ApiError, Inzage, Omgeving, Verzoek, gebruiker, leesmodellen_bij, leesmodellen_voor, log,
    logcode, omgeving, verzoek,
};
use crate::kluis::index::Zoekterm;
use crate::toegang::{self, CaseloadBereik, Handeling, Relatie};
use crate::toegangslog::{Actie, Resultaat};
use traject_dienst::{Gelogd, Verzoeker};

/// The caller as the server sees them.
#[derive(Debug, Clone, SimpleObject)]
pub struct Ik {
    /// User id.
    pub id: String,
    /// Display name.
    pub naam: String,
    /// traject's roles.
    pub rollen: Vec<RolUit>,
    /// Organisation.
    pub organisatie: Option<String>,
    /// Region (CBS code).
    pub regio: Option<String>,
}

/// The order of a caseload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum CaseloadSortering {
    /// Oldest aanmelding first.
    Aanmelding,
    /// Longest without an event first.
    LaatsteGebeurtenis,
    /// By phase.
    Fase,
}

/// The queries over the projections and the access log.
#[derive(Default)]
pub struct TrajectQuery;

#[Object]
impl TrajectQuery {
    /// The caller.
    async fn me(&self, ctx: &Context<'_>) -> Result<Ik, ApiError> {
        let g = gebruiker(ctx)?;
        Ok(Ik {
            id: g.id.clone(),
            naam: g.naam.clone(),
            rollen: g.rollen.iter().map(|r| (*r).into()).collect(),
            organisatie: g.organisatie.as_ref().map(|o| o.as_str().to_owned()),
            regio: g.regio.map(|r| r.code().to_owned()),
        })
    }

    /// The caller's caseload (a coach's own), or with `organisatie: true` their organisation's
    /// (teamleider). Page size 1 to 200. `fasen` keeps those phases (none: every open phase);
    /// closed trajectories come only when `Afgesloten` is among them. `zoek` keeps the clients
    /// whose name has a word starting with each of its words, ignoring case and diacritics (a
    /// `zoek` of only spaces is no search; one without a letter or digit finds no one). `na` is
    /// the `volgende` of a page of the same query: another scope, filter, search or sorting
    /// refuses it (`onbekende_cursor`); the page size and the date may change.
    // A page holds at most 200 rows: a larger or negative `aantal` is costed as 200 (or 1), so
    // that the resolver refuses it naming the field and rule, not the complexity limit.
    #[graphql(complexity = "aantal.clamp(1, 200) as usize * child_complexity")]
    #[allow(clippy::too_many_arguments)]
    async fn caseload(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] organisatie: bool,
        peildatum: Option<DatumInvoer>,
        #[graphql(default)] fasen: Vec<Fase>,
        methode: Option<Methode>,
        #[graphql(default)] alleen_aandacht: bool,
        #[graphql(default_with = "CaseloadSortering::Aanmelding")] sortering: CaseloadSortering,
        na: Option<String>,
        #[graphql(default = 50)] aantal: i32,
        zoek: Option<String>,
    ) -> Result<Caseload, ApiError> {
        let argumenten = CaseloadArgumenten {
            organisatie,
            peildatum,
            fasen,
            methode,
            alleen_aandacht,
            sortering,
            na,
            aantal,
            zoek,
        };
        // Only rows shown are person-level: a count alone names no client.
        let toont = ctx.look_ahead().field("items").exists();
        let o = omgeving(ctx);
        let p = caseload_pagina(o, verzoek(ctx)?, argumenten, toont).await?;
        Ok(Caseload::van(&p.pagina, p.positie, |c| o.kluis.naam(c)))
    }

    /// One trajectory with its status on `peildatum` (today by default) and its timeline.
    async fn traject(
        &self,
        ctx: &Context<'_>,
        id: ID,
        peildatum: Option<DatumInvoer>,
    ) -> Result<Traject, ApiError> {
        let g = gebruiker(ctx)?;
        let id = TrajectId::parse(&id).map_err(|e| ApiError::from(e.in_veld("id")))?;
        let peildatum = peildatum.map(|p| p.dag("peildatum")).transpose()?;
        leesmodellen_bij(ctx).await?;
        let omgeving = omgeving(ctx);
        let peildatum = peildatum.unwrap_or((omgeving.vandaag)());
        let gevonden = {
            let model = omgeving.projecties.read();
            model
                .traject(id)
                .and_then(|e| e.kenmerken.clone())
                .map(|k| {
                    let relatie = Relatie::van(g, &k);
                    let besluit = toegang::traject(g, Handeling::Lezen, relatie);
                    let inhoud = besluit
                        .is_ok()
                        .then(|| overzicht(&model, id, peildatum))
                        .flatten();
                    (k.client_id, besluit, inhoud)
                })
        };
        let Some((client, besluit, inhoud)) = gevonden else {
            return Err(ApiError::NietGevonden("traject"));
        };
        match (besluit, inhoud) {
            (Ok(t), Some(o)) => {
                log(
                    ctx,
                    Inzage {
                        code: logcode::TRAJECT_LEZEN,
                        actie: Actie::R,
                        resultaat: Resultaat::Gelukt,
                        rol: Some(t.rol),
                        regel: t.regel,
                        clients: vec![client],
                        traject: Some(id),
                    },
                )
                .await?;
                let tekst = omgeving
                    .kluis
                    .tekstsleutel(client.as_uuid())
                    .await
                    .map_err(ApiError::intern)?;
                Ok(Traject::van(o, client, &tekst))
            }
            (Ok(_), None) => Err(ApiError::NietGevonden("traject")),
            (Err(w), _) => {
                log(
                    ctx,
                    geweigerd(
                        logcode::TRAJECT_LEZEN,
                        Actie::R,
                        w.regel,
                        Some(id),
                        vec![client],
                    ),
                )
                .await?;
                Err(ApiError::Verboden(w.regel))
            }
        }
    }

    /// IPS indicators of the caller's caseload, or with `organisatie: true` of their
    /// organisation (teamleider). Aggregates only: nothing person-level is returned.
    async fn ips_indicatoren(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] organisatie: bool,
        peildatum: Option<DatumInvoer>,
    ) -> Result<Ips, ApiError> {
        let g = gebruiker(ctx)?;
        let bereik = match toegang::caseload(g, organisatie) {
            Ok(CaseloadBereik::Eigen(coach, org, _)) => Bereik::Coach(coach, org),
            Ok(CaseloadBereik::Organisatie(o, _)) => Bereik::Organisatie(o),
            Err(w) => return Err(ApiError::Verboden(w.regel)),
        };
        let peildatum = peildatum.map(|p| p.dag("peildatum")).transpose()?;
        leesmodellen_bij(ctx).await?;
        let omgeving = omgeving(ctx);
        let peildatum = peildatum.unwrap_or((omgeving.vandaag)());
        let model = omgeving.projecties.read();
        Ok(ips(&model, &bereik, peildatum).into())
    }
}

/// The arguments of `caseload`, as the schema declares them.
pub(crate) struct CaseloadArgumenten {
    pub organisatie: bool,
    pub peildatum: Option<DatumInvoer>,
    pub fasen: Vec<Fase>,
    pub methode: Option<Methode>,
    pub alleen_aandacht: bool,
    pub sortering: CaseloadSortering,
    pub na: Option<String>,
    pub aantal: i32,
    pub zoek: Option<String>,
}

/// A caseload page and the store position its read models had reached.
pub(crate) struct Pagina {
    pub pagina: CaseloadPagina,
    pub positie: Option<traject_store::Position>,
}

/// A caseload page for the caller of `verzoek`: authorised, made and logged (its rows as
/// person-level data when `toont` says the rows are asked for). The one implementation of the
/// `caseload` field, for the engine's resolver and the direct path of [`crate::direct`]; the
/// clients' names come from the vault as the rows are written.
pub(crate) async fn caseload_pagina(
    omgeving: &Omgeving,
    verzoek: &Verzoek,
    a: CaseloadArgumenten,
    toont: bool,
) -> Result<Pagina, ApiError> {
    let (pagina, gelogd) = caseload_pagina_gelogd(omgeving, verzoek, a, toont).await?;
    gelogd.afwachten().await?;
    Ok(pagina)
}

/// [`caseload_pagina`] with its access-log entry handed to the log but not yet durable: the
/// caller writes its answer in between and lets nothing of it leave before
/// [`Gelogd::afwachten`] returned.
pub(crate) async fn caseload_pagina_gelogd(
    omgeving: &Omgeving,
    verzoek: &Verzoek,
    a: CaseloadArgumenten,
    toont: bool,
) -> Result<(Pagina, Gelogd), ApiError> {
    let g = verzoek
        .gebruiker
        .as_ref()
        .map_err(|e| ApiError::NietIngelogd(e.to_string()))?;
    let wie = Verzoeker {
        gebruiker: g,
        correlatie: verzoek.correlatie,
    };
    let (bereik, toegestaan) = match toegang::caseload(g, a.organisatie) {
        Ok(CaseloadBereik::Eigen(coach, org, t)) => (Bereik::Coach(coach, org), t),
        Ok(CaseloadBereik::Organisatie(o, t)) => (Bereik::Organisatie(o), t),
        Err(w) => {
            let inzage = geweigerd(logcode::CASELOAD_ZOEKEN, Actie::R, w.regel, None, vec![]);
            omgeving.dienst.log(&wie, inzage).await?;
            return Err(ApiError::Verboden(w.regel));
        }
    };
    let aantal = usize::try_from(a.aantal)
        .map_err(|_| ApiError::invoer("aantal", "moet 1 tot en met 200 zijn"))?;
    let peildatum = a.peildatum.map(|p| p.dag("peildatum")).transpose()?;
    leesmodellen_voor(omgeving, verzoek.minimum).await?;
    let mut vraag = CaseloadVraag::new(bereik, peildatum.unwrap_or((omgeving.vandaag)()));
    vraag.fasen = a.fasen.into_iter().map(Into::into).collect();
    vraag.methode = a.methode.map(Into::into);
    vraag.alleen_aandacht = a.alleen_aandacht;
    vraag.sortering = match a.sortering {
        CaseloadSortering::Aanmelding => Sortering::Aanmelding,
        CaseloadSortering::LaatsteGebeurtenis => Sortering::LaatsteGebeurtenis,
        CaseloadSortering::Fase => Sortering::Fase,
    };
    vraag.na = a.na;
    vraag.aantal = aantal;
    omgeving
        .kluis
        .refresh_if_stale()
        .await
        .map_err(ApiError::intern)?;
    // Only spaces: no search. Text without a letter or digit (punctuation, an emoji, invisible
    // characters) is a search that no name matches, not the whole caseload.
    let zoekterm = a
        .zoek
        .as_deref()
        .filter(|z| !z.trim().is_empty())
        .map(Zoekterm::new);
    let (pagina, positie) = {
        let model = omgeving.projecties.read();
        match &zoekterm {
            Some(Some(term)) => {
                let bereik = vraag.bereik.trajecten(&model);
                vraag.clients = Some(
                    bereik
                        .iter()
                        .filter_map(|e| e.kenmerken.as_ref().map(|k| k.client_id))
                        .filter(|c| omgeving.kluis.past(c.as_uuid(), term))
                        .collect(),
                );
            }
            Some(None) => vraag.clients = Some(Default::default()),
            None => {}
        }
        caseload(&model, &vraag)
            .map_err(|e| {
                let (veld, regel) = match e {
                    CaseloadError::Aantal => ("aantal", "aantal_buiten_bereik"),
                    CaseloadError::Cursor => ("na", "onbekende_cursor"),
                };
                ApiError::regel(veld, regel, e.to_string())
            })
            .map(|p| (p, omgeving.projecties.bijgewerkt_tot()))?
    };
    // Only rows shown are person-level: a count alone names no client (a name search does,
    // whatever is asked of its result).
    let toont = toont || zoekterm.is_some();
    let clients = pagina
        .regels
        .iter()
        .filter(|_| toont)
        .map(|r| r.client_id)
        .collect::<Vec<ClientId>>();
    let inzage = Inzage {
        code: logcode::CASELOAD_ZOEKEN,
        actie: Actie::R,
        resultaat: Resultaat::Gelukt,
        rol: Some(toegestaan.rol),
        regel: toegestaan.regel,
        clients,
        traject: None,
    };
    let gelogd = omgeving.dienst.log_ingediend(&wie, inzage).await?;
    Ok((Pagina { pagina, positie }, gelogd))
}

pub(super) fn geweigerd(
    code: &'static str,
    actie: Actie,
    regel: &'static str,
    traject: Option<TrajectId>,
    clients: Vec<ClientId>,
) -> Inzage<'static> {
    Inzage {
        code,
        actie,
        resultaat: Resultaat::Geweigerd,
        rol: None,
        regel,
        clients,
        traject,
    }
}

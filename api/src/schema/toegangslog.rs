//! The access log for the beheerder: a page of entries with filters and a cursor, who accessed
//! one client's file, signals of unusual access, and the chain's check and checkpoints. Every
//! use is itself logged; a refusal too.

use async_graphql::{Context, ID, Object};
use chrono::Utc;
use traject_domain::value::ClientId;

use super::invoer::TijdstipInvoer;
use super::query::geweigerd;
use super::types::{Inzager, Ketencontrole, Toegangslogpagina, Toegangsregel, Toegangssignaal};
use super::{ApiError, Inzage, gebruiker, log, logcode, omgeving};
use crate::toegang::{self, Toegestaan};
use crate::toegangslog::{Actie, Anker, Drempels, LogError, Resultaat, Zoekopdracht};

fn logfout(e: LogError) -> ApiError {
    ApiError::from(traject_dienst::DienstError::van_log(e))
}

/// The access log's queries.
#[derive(Default)]
pub struct ToegangslogQuery;

#[Object]
impl ToegangslogQuery {
    /// A page of the access log, newest first (beheerder), filtered by client, user, role,
    /// action, result and period; `voor` is the previous page's `volgende`.
    #[graphql(complexity = "5 + child_complexity")]
    async fn toegangslog(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] filter: Toegangslogfilter,
        voor: Option<String>,
        #[graphql(default = 100)] aantal: i32,
    ) -> Result<Toegangslogpagina, ApiError> {
        let client = filter
            .client_id
            .map(|c| ClientId::parse(&c).map_err(|e| ApiError::from(e.in_veld("clientId"))))
            .transpose()?;
        let aantal = usize::try_from(aantal)
            .ok()
            .filter(|a| (1..=1000).contains(a))
            .ok_or_else(|| ApiError::invoer("aantal", "moet 1 tot en met 1000 zijn"))?;
        let voor = voor
            .map(|v| {
                v.parse::<u64>().ok().filter(|v| *v > 0).ok_or_else(|| {
                    ApiError::invoer("voor", "moet de 'volgende' van een eerdere pagina zijn")
                })
            })
            .transpose()?;
        let van = filter.van.map(|v| v.tijdstip("filter.van")).transpose()?;
        let tot = filter.tot.map(|t| t.tijdstip("filter.tot")).transpose()?;
        if let (Some(van), Some(tot)) = (van, tot)
            && van >= tot
        {
            return Err(ApiError::invoer("filter.tot", "moet na filter.van liggen"));
        }
        let clients: Vec<ClientId> = client.into_iter().collect();
        let t = beheerder(ctx, logcode::TOEGANGSLOG_LEZEN, Actie::R, &clients).await?;
        let pagina = omgeving(ctx)
            .log
            .search(Zoekopdracht {
                client,
                gebruiker: filter.gebruiker,
                rol: filter.rol,
                actie: filter.actie.map(Into::into),
                resultaat: filter.resultaat.map(Into::into),
                van,
                tot,
                voor,
                aantal,
            })
            .await
            .map_err(logfout)?;
        log(ctx, gelukt(logcode::TOEGANGSLOG_LEZEN, t, clients)).await?;
        Ok(Toegangslogpagina {
            regels: pagina.regels.into_iter().map(Toegangsregel::from).collect(),
            volgende: pagina.volgende.map(|v| v.to_string()),
        })
    }

    /// Who accessed one client's file, per user and role, most recent first (beheerder; for a
    /// client's request to see who looked at their data). Counts every entry ever written,
    /// archived ones included.
    async fn inzage_overzicht(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
    ) -> Result<Vec<Inzager>, ApiError> {
        let client = ClientId::parse(&client_id).map_err(|e| e.in_veld("clientId"))?;
        let t = beheerder(ctx, logcode::TOEGANGSLOG_OVERZICHT, Actie::R, &[client]).await?;
        let inzagers = omgeving(ctx).log.inzagers(client).await.map_err(logfout)?;
        log(ctx, gelukt(logcode::TOEGANGSLOG_OVERZICHT, t, vec![client])).await?;
        Ok(inzagers.into_iter().map(Inzager::from).collect())
    }

    /// Unusual access in a period (beheerder; default the last seven days, at most 31): users who
    /// read many different clients, many outside their own caseload, or were refused often or by
    /// the quota.
    async fn signalen(
        &self,
        ctx: &Context<'_>,
        van: Option<TijdstipInvoer>,
        tot: Option<TijdstipInvoer>,
    ) -> Result<Vec<Toegangssignaal>, ApiError> {
        let tot = match tot {
            Some(t) => t.tijdstip("tot")?,
            None => Utc::now(),
        };
        let van = match van {
            Some(v) => v.tijdstip("van")?,
            None => tot - chrono::TimeDelta::days(7),
        };
        if van >= tot {
            return Err(ApiError::invoer("tot", "moet na van liggen"));
        }
        if tot - van > chrono::TimeDelta::days(31) {
            return Err(ApiError::invoer(
                "van",
                "de periode is ten hoogste 31 dagen",
            ));
        }
        let t = beheerder(ctx, logcode::TOEGANGSLOG_SIGNALEN, Actie::R, &[]).await?;
        let signalen = omgeving(ctx)
            .log
            .signalen(van, tot, Drempels::default(), toegang::eigen_caseload)
            .await
            .map_err(logfout)?;
        log(ctx, gelukt(logcode::TOEGANGSLOG_SIGNALEN, t, vec![])).await?;
        Ok(signalen.into_iter().map(Toegangssignaal::from).collect())
    }
}

/// The access log's actions.
#[derive(Default)]
pub struct ToegangslogMutation;

#[Object]
impl ToegangslogMutation {
    /// Checks the access log's chain (beheerder): from the last checked entry on (`volledig`:
    /// from the first live entry, and the counts behind `inzageOverzicht` too), every stored
    /// checkpoint and the exported checkpoints handed back. A break is reported with the first
    /// bad entry's number and time, and stays reported until a full check finds the chain whole.
    /// Records how far the chain checked out, so the next check starts there. A long check goes
    /// on in the server: the answer then says `klaar: false` and how far it got; ask again.
    async fn toegangslog_controleren(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] volledig: bool,
        #[graphql(default)] checkpoints: Vec<String>,
    ) -> Result<Ketencontrole, ApiError> {
        let ankers = checkpoints
            .iter()
            .map(|c| {
                Anker::uit_tekst(c).ok_or_else(|| {
                    ApiError::invoer(
                        "checkpoints",
                        "elk checkpoint moet de tekst zijn die toegangslogCheckpoint gaf",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let t = beheerder(ctx, logcode::TOEGANGSLOG_CONTROLEREN, Actie::E, &[]).await?;
        let controle = omgeving(ctx)
            .log
            .verify(volledig, ankers)
            .await
            .map_err(logfout)?;
        log(ctx, uitgevoerd(logcode::TOEGANGSLOG_CONTROLEREN, t)).await?;
        Ok(controle.into())
    }

    /// Stores a checkpoint of the access log's head and returns it as text (beheerder), to keep
    /// outside the system and hand back to `toegangslogControleren` later: it shows whether the
    /// log still reaches that entry unchanged, so that newest entries cut away are found too.
    async fn toegangslog_checkpoint(&self, ctx: &Context<'_>) -> Result<Option<String>, ApiError> {
        let t = beheerder(ctx, logcode::TOEGANGSLOG_CHECKPOINT, Actie::E, &[]).await?;
        let anker = omgeving(ctx).log.checkpoint().await.map_err(logfout)?;
        log(ctx, uitgevoerd(logcode::TOEGANGSLOG_CHECKPOINT, t)).await?;
        Ok(anker.map(|a| a.als_tekst()))
    }
}

/// What a page of the access log is filtered by; every field optional.
#[derive(Debug, Clone, Default, async_graphql::InputObject)]
pub struct Toegangslogfilter {
    /// Only entries touching this client.
    pub client_id: Option<ID>,
    /// Only this user's.
    pub gebruiker: Option<String>,
    /// Only in this role.
    pub rol: Option<String>,
    /// Only this action.
    pub actie: Option<super::enums::ActieUit>,
    /// Only this result.
    pub resultaat: Option<super::enums::ResultaatUit>,
    /// From this moment on.
    pub van: Option<TijdstipInvoer>,
    /// Before this moment.
    pub tot: Option<TijdstipInvoer>,
}

/// Allows the beheerder, or logs the refusal and refuses.
async fn beheerder(
    ctx: &Context<'_>,
    code: &'static str,
    actie: Actie,
    clients: &[ClientId],
) -> Result<Toegestaan, ApiError> {
    match toegang::toegangslog(gebruiker(ctx)?) {
        Ok(t) => Ok(t),
        Err(w) => {
            log(ctx, geweigerd(code, actie, w.regel, None, clients.to_vec())).await?;
            Err(ApiError::Verboden(w.regel))
        }
    }
}

fn gelukt(code: &'static str, t: Toegestaan, clients: Vec<ClientId>) -> Inzage<'static> {
    Inzage {
        code,
        actie: Actie::R,
        resultaat: Resultaat::Gelukt,
        rol: Some(t.rol),
        regel: t.regel,
        clients,
        traject: None,
    }
}

/// The entry of a beheerder's action on the log itself (no clients).
fn uitgevoerd(code: &'static str, t: Toegestaan) -> Inzage<'static> {
    Inzage {
        actie: Actie::E,
        ..gelukt(code, t, vec![])
    }
}

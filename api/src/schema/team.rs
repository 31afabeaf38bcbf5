//! An organisation's team over GraphQL: the team with each coach's open caseload (`team`), and a
//! coach joining or leaving it (`coachToevoegen`, `coachVerwijderen`), for the organisation's
//! teamleider or the beheerder. Only a coach of the team can be assigned to a trajectory.

use async_graphql::{Context, ID, Object, SimpleObject};
use traject_domain::team::TeamCommand;
use traject_domain::value::{CoachId, OrganisatieId};

use super::{ApiError, omgeving, verzoeker};

/// A coach of the team.
#[derive(Debug, Clone, SimpleObject)]
pub struct Teamlid {
    /// The coach's user id.
    pub coach: ID,
    /// Their open trajectories in this organisation today.
    pub open_trajecten: u32,
}

fn uit(leden: Vec<traject_dienst::team::Teamlid>) -> Vec<Teamlid> {
    leden
        .into_iter()
        .map(|l| Teamlid {
            coach: ID(l.coach.to_string()),
            open_trajecten: l.open_trajecten.min(u32::MAX as usize) as u32,
        })
        .collect()
}

/// The organisation asked for: a teamleider's own by default.
fn organisatie(ctx: &Context<'_>, gevraagd: Option<String>) -> Result<OrganisatieId, ApiError> {
    match gevraagd {
        Some(o) => Ok(OrganisatieId::parse(&o)?),
        None => verzoeker(ctx)?
            .gebruiker
            .organisatie
            .clone()
            .ok_or_else(|| {
                ApiError::invoer(
                    "organisatie",
                    "is verplicht voor wie geen organisatie heeft",
                )
            }),
    }
}

#[derive(Default)]
pub struct TeamQuery;

#[Object]
impl TeamQuery {
    /// The coaches of an organisation's team (the caller's own organisation by default), each
    /// with their open caseload: for the organisation's teamleider, or the beheerder.
    async fn team(
        &self,
        ctx: &Context<'_>,
        organisatie: Option<String>,
    ) -> Result<Vec<Teamlid>, ApiError> {
        let org = self::organisatie(ctx, organisatie)?;
        let wie = verzoeker(ctx)?;
        Ok(uit(omgeving(ctx).dienst.team(&wie, &org).await?))
    }
}

#[derive(Default)]
pub struct TeamMutation;

#[Object]
impl TeamMutation {
    /// Adds a coach (their user id) to the organisation's team; answers the team.
    async fn coach_toevoegen(
        &self,
        ctx: &Context<'_>,
        coach: String,
        organisatie: Option<String>,
    ) -> Result<Vec<Teamlid>, ApiError> {
        wijzig(
            ctx,
            organisatie,
            TeamCommand::Toetreden(CoachId::parse(&coach)?),
        )
        .await
    }

    /// Removes a coach from the organisation's team; their trajectories keep them until a
    /// teamleider assigns another coach. Answers the team.
    async fn coach_verwijderen(
        &self,
        ctx: &Context<'_>,
        coach: String,
        organisatie: Option<String>,
    ) -> Result<Vec<Teamlid>, ApiError> {
        wijzig(
            ctx,
            organisatie,
            TeamCommand::Vertrekken(CoachId::parse(&coach)?),
        )
        .await
    }
}

/// Hands a change of the team to the application layer; answers the team.
async fn wijzig(
    ctx: &Context<'_>,
    organisatie: Option<String>,
    opdracht: TeamCommand,
) -> Result<Vec<Teamlid>, ApiError> {
    let org = self::organisatie(ctx, organisatie)?;
    let wie = verzoeker(ctx)?;
    let (team, positie) = omgeving(ctx)
        .dienst
        .team_wijzigen(&wie, &org, opdracht)
        .await?;
    super::meld_positie(ctx, positie);
    Ok(uit(team))
}

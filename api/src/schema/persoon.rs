//! Clients' personal data over GraphQL: reading and recording it (coaches and teamleiders who
//! may see the client), and erasing a client (beheerder). Every access is logged, allowed or
//! refused; errors name fields and rules, never the values.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use traject_domain::value::{
    Bsn, ClientId, Datum, Email, EventId, Geboortedatum, Naam, Persoonsgegevens, Telefoon,
    TrajectId, WisReden,
};
use traject_domain::{Command, CommandKind, decide, event::PersoonsgegevensGewist};
use traject_store::{ExpectedRevision, Position, StoreError, StreamName};

use super::datum::Datum as Uitvoerdatum;
use super::mutation::{laad, nieuwe_events};
use super::query::geweigerd;
use super::{ApiFout, Inzage, Omgeving, gebruiker, log, logcode, omgeving, verzoek};
use crate::auth::{Gebruiker, Rol};
use crate::kluis::KluisFout;
use crate::toegang::{self, Geweigerd, Handeling, Relatie, Toegestaan};
use crate::toegangslog::{Actie, Resultaat};

/// How often an erasure marker is retried when a trajectory changes under it.
const MARKEER_POGINGEN: usize = 5;

/// A client's personal data.
#[derive(Debug, Clone, SimpleObject)]
pub struct PersoonsgegevensUit {
    /// Full name.
    pub naam: String,
    /// Date of birth.
    pub geboortedatum: Uitvoerdatum,
    /// Phone number.
    pub telefoon: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// BSN, only where a legal basis exists.
    pub bsn: Option<String>,
}

/// A client's entry in the vault.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(name = "Persoon")]
pub struct PersoonUit {
    /// The pseudonymous client id.
    pub client_id: ID,
    /// The version to send with a change (`null`: nothing recorded yet).
    pub versie: Option<u64>,
    /// Whether the client's personal data was erased.
    pub gewist: bool,
    /// The data, if recorded and not erased.
    pub gegevens: Option<PersoonsgegevensUit>,
}

/// Personal data as entered. Dates and numbers arrive as text, so that every rule is checked
/// here and reported by field, without echoing the value.
#[derive(Debug, Clone, InputObject)]
pub struct PersoonsgegevensInvoer {
    /// Full name, 1 to 200 characters.
    pub naam: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub geboortedatum: String,
    /// Phone number (10 to 15 digits).
    pub telefoon: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// BSN (elfproef); only where a legal basis exists.
    pub bsn: Option<String>,
}

/// Why a client's data is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum WisRedenInvoer {
    /// The client asked for it (GDPR art. 17).
    VerzoekClient,
    /// The retention period ended.
    BewaartermijnVerstreken,
    /// The data was processed unlawfully.
    Onrechtmatig,
    /// Another reason.
    Anders,
}

impl From<WisRedenInvoer> for WisReden {
    fn from(r: WisRedenInvoer) -> Self {
        match r {
            WisRedenInvoer::VerzoekClient => WisReden::VerzoekClient,
            WisRedenInvoer::BewaartermijnVerstreken => WisReden::BewaartermijnVerstreken,
            WisRedenInvoer::Onrechtmatig => WisReden::Onrechtmatig,
            WisRedenInvoer::Anders => WisReden::Anders,
        }
    }
}

/// The outcome of an erasure.
#[derive(Debug, Clone, SimpleObject)]
pub struct ClientGewist {
    /// The pseudonymous client id, which stays.
    pub client_id: ID,
    /// Whether there was personal data to destroy.
    pub gegevens_vernietigd: bool,
    /// The trajectories that got an erasure marker now.
    pub trajecten_gemarkeerd: u32,
}

/// An optional text, `None` when absent or blank.
fn leeg(t: &Option<String>) -> Option<&str> {
    t.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl PersoonsgegevensInvoer {
    fn parse(&self, vandaag: NaiveDate) -> Result<Persoonsgegevens, ApiFout> {
        Ok(Persoonsgegevens {
            naam: Naam::parse(&self.naam)?,
            geboortedatum: Geboortedatum::parse(&self.geboortedatum, vandaag)?,
            telefoon: leeg(&self.telefoon).map(Telefoon::parse).transpose()?,
            email: leeg(&self.email).map(Email::parse).transpose()?,
            bsn: leeg(&self.bsn).map(Bsn::parse).transpose()?,
        })
    }
}

fn uit(client: ClientId, persoon: crate::kluis::Persoon) -> PersoonUit {
    PersoonUit {
        client_id: ID(client.to_string()),
        versie: persoon.versie,
        gewist: persoon.gewist,
        gegevens: persoon.gegevens.map(|g| PersoonsgegevensUit {
            naam: g.naam.as_str().to_owned(),
            geboortedatum: Uitvoerdatum(g.geboortedatum.date()),
            telefoon: g.telefoon.map(String::from),
            email: g.email.map(String::from),
            bsn: g.bsn.map(String::from),
        }),
    }
}

fn kluis_fout(e: KluisFout, client: ClientId) -> ApiFout {
    match e {
        KluisFout::Opslag(StoreError::KluisConflict {
            expected, actual, ..
        }) => ApiFout::Conflict {
            verwacht: expected,
            huidig: actual,
        },
        KluisFout::Opslag(StoreError::Gewist { .. }) => ApiFout::invoer(
            "clientId",
            "de persoonsgegevens van deze client zijn gewist en kunnen niet opnieuw worden vastgelegd",
        ),
        other => ApiFout::intern(format!("kluis, client {client}: {other}")),
    }
}

/// May `g` do `handeling` with `client`'s file? Allowed when one of the client's trajectories
/// allows it; the trajectories' ids come along for the log. `None`: no trajectory of this client.
fn toegang_tot_client(
    omgeving: &Omgeving,
    g: &Gebruiker,
    client: ClientId,
    handeling: Handeling,
) -> Option<Result<(Toegestaan, Vec<TrajectId>), Geweigerd>> {
    let model = omgeving.projecties.lees();
    let mut trajecten = Vec::new();
    let mut besluit = None;
    for k in model
        .van_client(&client)
        .filter_map(|e| e.kenmerken.as_ref())
    {
        trajecten.push(k.traject_id);
        let dit = toegang::traject(g, handeling, Relatie::van(g, k));
        besluit = match (besluit, dit) {
            (Some(Ok(t)), _) | (_, Ok(t)) => Some(Ok(t)),
            (_, Err(w)) => Some(Err(w)),
        };
    }
    besluit.map(|b| b.map(|t| (t, trajecten)))
}

fn parse_client(id: &ID) -> Result<ClientId, ApiFout> {
    ClientId::parse(id).map_err(|e| ApiFout::from(e.in_veld("clientId")))
}

/// Checks access to `client`'s file, logging a refusal; returns the rule and role that allowed.
async fn mag(
    ctx: &Context<'_>,
    client: ClientId,
    handeling: Handeling,
    code: &'static str,
    actie: Actie,
) -> Result<Toegestaan, ApiFout> {
    let g = gebruiker(ctx)?;
    match toegang_tot_client(omgeving(ctx), g, client, handeling) {
        None => Err(ApiFout::NietGevonden("client")),
        Some(Ok((t, _))) => Ok(t),
        Some(Err(w)) => {
            log(ctx, geweigerd(code, actie, w.regel, None, vec![client])).await?;
            Err(ApiFout::Verboden(w.regel))
        }
    }
}

fn inzage(
    code: &'static str,
    actie: Actie,
    resultaat: Resultaat,
    t: Toegestaan,
    client: ClientId,
) -> Inzage<'static> {
    Inzage {
        code,
        actie,
        resultaat,
        rol: Some(t.rol),
        regel: t.regel,
        clients: vec![client],
        traject: None,
    }
}

/// The personal-data queries.
#[derive(Default)]
pub struct PersoonQuery;

#[Object]
impl PersoonQuery {
    /// A client's personal data (coach of one of their trajectories, or teamleider of its
    /// organisation).
    async fn persoon(&self, ctx: &Context<'_>, client_id: ID) -> Result<PersoonUit, ApiFout> {
        let client = parse_client(&client_id)?;
        let code = logcode::PERSOON_LEZEN;
        let t = mag(ctx, client, Handeling::Lezen, code, Actie::R).await?;
        let gelezen = omgeving(ctx).kluis.lees(client.as_uuid()).await;
        let resultaat = if gelezen.is_ok() {
            Resultaat::Gelukt
        } else {
            Resultaat::Fout
        };
        log(ctx, inzage(code, Actie::R, resultaat, t, client)).await?;
        Ok(uit(client, gelezen.map_err(|e| kluis_fout(e, client))?))
    }
}

/// The personal-data mutations.
#[derive(Default)]
pub struct PersoonMutation;

#[Object]
impl PersoonMutation {
    /// Records or changes a client's personal data. `versie` is the version the user saw
    /// (`null` for the first time); a stale version is a CONFLICT.
    async fn persoonsgegevens_vastleggen(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        versie: Option<u64>,
        gegevens: PersoonsgegevensInvoer,
    ) -> Result<PersoonUit, ApiFout> {
        let client = parse_client(&client_id)?;
        let omgeving = omgeving(ctx);
        let code = logcode::PERSOON_VASTLEGGEN;
        let actie = if versie.is_some() { Actie::U } else { Actie::C };
        let t = mag(ctx, client, Handeling::Vastleggen, code, actie).await?;
        let uitkomst = match gegevens.parse((omgeving.vandaag)()) {
            Ok(g) => omgeving
                .kluis
                .leg_vast(client.as_uuid(), versie, &g)
                .await
                .map_err(|e| kluis_fout(e, client)),
            Err(e) => Err(e),
        };
        let resultaat = match &uitkomst {
            Ok(_) => Resultaat::Gelukt,
            Err(ApiFout::Intern { .. }) => Resultaat::Fout,
            Err(_) => Resultaat::Geweigerd,
        };
        log(ctx, inzage(code, actie, resultaat, t, client)).await?;
        uitkomst?;
        let persoon = omgeving
            .kluis
            .lees(client.as_uuid())
            .await
            .map_err(|e| kluis_fout(e, client))?;
        Ok(uit(client, persoon))
    }

    /// Erases a client's personal data for good (beheerder): destroys their data key and data,
    /// marks each of their trajectories, and removes them from the name index. The case history
    /// stays, anonymous; the access log keeps only the pseudonymous id. Erasing again is
    /// harmless and marks trajectories a failed attempt left unmarked.
    async fn client_wissen(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        reden: WisRedenInvoer,
    ) -> Result<ClientGewist, ApiFout> {
        let client = parse_client(&client_id)?;
        let g = gebruiker(ctx)?;
        let code = logcode::CLIENT_WISSEN;
        if !g.heeft(Rol::Beheerder) {
            let regel = "alleen-beheerder-wist";
            log(ctx, geweigerd(code, Actie::D, regel, None, vec![client])).await?;
            return Err(ApiFout::Verboden(regel));
        }
        let t = Toegestaan {
            regel: "beheerder-wist-op-verzoek",
            rol: Rol::Beheerder,
        };
        let omgeving = omgeving(ctx);
        let trajecten: Vec<TrajectId> = {
            let model = omgeving.projecties.lees();
            model
                .van_client(&client)
                .filter_map(|e| e.kenmerken.as_ref().map(|k| k.traject_id))
                .collect()
        };
        let uitkomst = async {
            let vernietigd = omgeving
                .kluis
                .wis(client.as_uuid())
                .await
                .map_err(|e| kluis_fout(e, client))?;
            let mut gemarkeerd = 0;
            let mut laatste = None;
            for traject in &trajecten {
                if let Some(positie) = markeer(ctx, *traject, reden.into()).await? {
                    gemarkeerd += 1;
                    laatste = Some(positie);
                }
            }
            Ok::<_, ApiFout>((vernietigd, gemarkeerd, laatste))
        }
        .await;
        let resultaat = match &uitkomst {
            Ok(_) => Resultaat::Gelukt,
            Err(_) => Resultaat::Fout,
        };
        log(ctx, inzage(code, Actie::D, resultaat, t, client)).await?;
        let (vernietigd, gemarkeerd, laatste) = uitkomst?;
        if let Some(positie) = laatste {
            omgeving
                .projecties
                .wacht_tot(positie, omgeving.wacht)
                .await
                .map_err(ApiFout::intern)?;
        }
        Ok(ClientGewist {
            client_id: ID(client.to_string()),
            gegevens_vernietigd: vernietigd,
            trajecten_gemarkeerd: gemarkeerd,
        })
    }
}

/// Appends the erasure marker to one trajectory unless it has one; `None` if it had.
async fn markeer(
    ctx: &Context<'_>,
    traject: TrajectId,
    reden: WisReden,
) -> Result<Option<Position>, ApiFout> {
    let omgeving = omgeving(ctx);
    let actor = gebruiker(ctx)?.id.clone();
    let correlatie = verzoek(ctx)?.correlatie;
    let stream = StreamName::new(traject.stream_name()).map_err(ApiFout::intern)?;
    let vandaag = (omgeving.vandaag)();
    for _ in 0..MARKEER_POGINGEN {
        let aggregaat = laad(omgeving, &stream).await?;
        if aggregaat.toestand().is_none_or(|t| t.gewist.is_some()) {
            return Ok(None);
        }
        let command = Command {
            event_id: EventId::new(uuid::Uuid::now_v7())?,
            revisie: aggregaat.revisie(),
            datum: Datum::new(vandaag)?,
            kind: CommandKind::PersoonsgegevensWissen(PersoonsgegevensGewist { reden }),
        };
        let events = decide(&aggregaat, command, vandaag).map_err(ApiFout::intern)?;
        let nieuw = nieuwe_events(&events, &actor, correlatie);
        let expected = ExpectedRevision::from_revision(aggregaat.revisie());
        match omgeving.store.append(&stream, expected, nieuw).await {
            Ok(r) => return Ok(Some(r.position)),
            // A coach recorded something meanwhile: the marker does not depend on what, so
            // decide again on the new revision.
            Err(StoreError::WrongExpectedVersion { .. }) => continue,
            Err(e) => return Err(ApiFout::intern(e)),
        }
    }
    Err(ApiFout::intern(format!(
        "wismarkering van traject {traject}: na {MARKEER_POGINGEN} pogingen steeds een conflict"
    )))
}

//! Clients' personal data over GraphQL: reading and recording it (coaches and teamleiders who
//! may see the client), and erasing a client (beheerder). The application layer authorises on
//! the store's facts and logs every access, allowed or refused; errors name fields and rules,
//! never the values.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use traject_dienst::DienstError;
use traject_domain::value::{
    Bsn, ClientId, Email, Geboortedatum, Naam, Persoonsgegevens, Telefoon,
};

use super::datum::Datum as Uitvoerdatum;
use super::invoer::RevisieInvoer;
use super::{ApiError, omgeving, verzoeker};

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

/// The outcome of an erasure.
#[derive(Debug, Clone, SimpleObject)]
pub struct ClientGewist {
    /// The pseudonymous client id, which stays.
    pub client_id: ID,
    /// Whether there was personal data to destroy.
    pub gegevens_vernietigd: bool,
    /// The trajectories that got an erasure marker now.
    pub trajecten_gemarkeerd: u32,
    /// Whether an earlier request had erased the client already: this one completed what was
    /// left, if anything. Either way the erasure is done when this answer comes.
    pub eerder_gewist: bool,
}

/// An optional text, `None` when absent or blank.
fn leeg(t: &Option<String>) -> Option<&str> {
    t.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl PersoonsgegevensInvoer {
    fn parse(&self, vandaag: NaiveDate) -> Result<Persoonsgegevens, DienstError> {
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

fn parse_client(id: &ID) -> Result<ClientId, ApiError> {
    ClientId::parse(id).map_err(|e| ApiError::from(e.in_veld("clientId")))
}

/// The personal-data queries.
#[derive(Default)]
pub struct PersoonQuery;

#[Object]
impl PersoonQuery {
    /// A client's personal data (coach of one of their trajectories, or teamleider of its
    /// organisation).
    async fn persoon(&self, ctx: &Context<'_>, client_id: ID) -> Result<PersoonUit, ApiError> {
        let client = parse_client(&client_id)?;
        let wie = verzoeker(ctx)?;
        let persoon = omgeving(ctx).dienst.persoon(&wie, client).await?;
        Ok(uit(client, persoon))
    }
}

/// The application layer's names of personal data's fields, as the mutation's input names them.
const GEGEVENS: &[(&str, &str)] = &[
    ("naam", "gegevens.naam"),
    ("geboortedatum", "gegevens.geboortedatum"),
    ("telefoon", "gegevens.telefoon"),
    ("email", "gegevens.email"),
    ("bsn", "gegevens.bsn"),
];

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
        versie: Option<RevisieInvoer>,
        gegevens: PersoonsgegevensInvoer,
    ) -> Result<PersoonUit, ApiError> {
        let client = parse_client(&client_id)?;
        let versie = versie.map(|v| v.revisie("versie")).transpose()?;
        let wie = verzoeker(ctx)?;
        let omgeving = omgeving(ctx);
        let gegevens = gegevens.parse((omgeving.vandaag)());
        let persoon = omgeving
            .dienst
            .persoonsgegevens_vastleggen(&wie, client, versie, gegevens)
            .await
            .map_err(|e| ApiError::from(e).met_invoernamen(GEGEVENS))?;
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
        reden: super::keuzelijsten::WisReden,
    ) -> Result<ClientGewist, ApiError> {
        let client = parse_client(&client_id)?;
        let wie = verzoeker(ctx)?;
        // Whether an id names a client is decided also on the read models (for clients referred
        // before client registrations existed): they must be complete, or the answer waits or is
        // UNAVAILABLE, never "client niet gevonden" for a client they have not read yet.
        super::leesmodellen_bij(ctx).await?;
        let gewist = omgeving(ctx)
            .dienst
            .client_wissen(&wie, client, reden.into())
            .await?;
        Ok(ClientGewist {
            client_id: ID(client.to_string()),
            gegevens_vernietigd: gewist.gegevens_vernietigd,
            trajecten_gemarkeerd: gewist.trajecten_gemarkeerd,
            eerder_gewist: gewist.eerder_gewist,
        })
    }
}

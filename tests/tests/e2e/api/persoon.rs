//! A client's personal data in the vault: reading, recording and erasing it.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{ErrorAnswer, Gebruiker};

/// A client's entry in the vault.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Persoon {
    pub versie: Option<u64>,
    pub gewist: bool,
    pub gegevens: Option<Persoonsgegevens>,
}

/// A client's personal data.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Persoonsgegevens {
    pub naam: String,
    pub geboortedatum: String,
    pub telefoon: Option<String>,
    pub email: Option<String>,
    pub bsn: Option<String>,
}

/// The outcome of an erasure.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientGewist {
    pub gegevens_vernietigd: bool,
    pub trajecten_gemarkeerd: u64,
    pub eerder_gewist: bool,
}

impl Gebruiker<'_> {
    /// A client's personal data.
    pub async fn persoon(&self, client_id: &str) -> Result<Persoon, ErrorAnswer> {
        let query = "query($c: ID!) {
          persoon(clientId: $c) { versie gewist gegevens { naam geboortedatum telefoon email bsn } }
        }";
        self.vraag("persoon", query, json!({"c": client_id})).await
    }

    /// Records `gegevens` (a `PersoonsgegevensInvoer` as JSON) as the client's personal data,
    /// on the version the caller saw (`None` for the first time).
    pub async fn persoonsgegevens_vastleggen(
        &self,
        client_id: &str,
        versie: Option<u64>,
        gegevens: &Value,
    ) -> Result<Persoon, ErrorAnswer> {
        let query = "mutation($c: ID!, $v: Int, $g: PersoonsgegevensInvoer!) {
          persoonsgegevensVastleggen(clientId: $c, versie: $v, gegevens: $g) {
            versie gewist gegevens { naam geboortedatum telefoon email bsn }
          }
        }";
        let variabelen = json!({"c": client_id, "v": versie, "g": gegevens});
        self.vraag("persoonsgegevensVastleggen", query, variabelen)
            .await
    }

    /// Erases the client's personal data, at their request.
    pub async fn client_wissen(&self, client_id: &str) -> Result<ClientGewist, ErrorAnswer> {
        let query = "mutation($c: ID!) {
          clientWissen(clientId: $c, reden: VerzoekClient) { gegevensVernietigd trajectenGemarkeerd eerderGewist }
        }";
        self.vraag("clientWissen", query, json!({"c": client_id}))
            .await
    }
}

//! The beheerder's view of the access log: its entries, the check of its chain, who read a
//! client's file and unusual access.

use serde::Deserialize;
use serde_json::json;

use super::{ErrorAnswer, Gebruiker};

/// One entry of the access log, as the beheerder reads it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Toegangsregel {
    pub nr: u64,
    pub gebeurteniscode: String,
    pub actie: String,
    pub resultaat: String,
    pub gebruiker: String,
    pub regel: String,
    pub traject: Option<String>,
}

/// The outcome of a check of the access log's chain.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Ketencontrole {
    pub intact: bool,
    pub tot: u64,
    pub breuk: Option<Ketenbreuk>,
}

/// Where the chain broke.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Ketenbreuk {
    pub nr: u64,
}

/// Who accessed a client's file, per user and role.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Inzager {
    pub gebruiker: String,
    pub rol: String,
    pub gelukt: u64,
    pub geweigerd: u64,
    pub codes: Vec<String>,
}

/// A user's unusual access.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Toegangssignaal {
    pub gebruiker: String,
    pub quotum: u64,
    pub redenen: Vec<String>,
}

impl Gebruiker<'_> {
    /// The newest page of the access log, of one client's entries if `client_id` says so.
    pub async fn toegangslog(
        &self,
        client_id: Option<&str>,
    ) -> Result<Vec<Toegangsregel>, ErrorAnswer> {
        #[derive(Deserialize)]
        struct Pagina {
            regels: Vec<Toegangsregel>,
        }
        let query = "query($c: ID) { toegangslog(filter: {clientId: $c}) {
          regels { nr gebeurteniscode actie resultaat gebruiker regel traject }
        } }";
        let pagina: Pagina = self
            .vraag("toegangslog", query, json!({"c": client_id}))
            .await?;
        Ok(pagina.regels)
    }

    /// Checks the access log's chain: from the last checked entry on, or with `volledig` from
    /// the first, and the exported `checkpoints`.
    pub async fn toegangslog_controleren(
        &self,
        volledig: bool,
        checkpoints: &[String],
    ) -> Result<Ketencontrole, ErrorAnswer> {
        let query = "mutation($v: Boolean!, $c: [String!]!) {
          toegangslogControleren(volledig: $v, checkpoints: $c) { intact tot breuk { nr } }
        }";
        self.vraag(
            "toegangslogControleren",
            query,
            json!({"v": volledig, "c": checkpoints}),
        )
        .await
    }

    /// Stores a checkpoint of the access log's head; the text to keep.
    pub async fn toegangslog_checkpoint(&self) -> Result<Option<String>, ErrorAnswer> {
        self.vraag(
            "toegangslogCheckpoint",
            "mutation { toegangslogCheckpoint }",
            json!({}),
        )
        .await
    }

    /// Who accessed the client's file.
    pub async fn inzage_overzicht(&self, client_id: &str) -> Result<Vec<Inzager>, ErrorAnswer> {
        let query = "query($c: ID!) { inzageOverzicht(clientId: $c) { gebruiker rol gelukt geweigerd codes } }";
        self.vraag("inzageOverzicht", query, json!({"c": client_id}))
            .await
    }

    /// The users with unusual access in the last seven days.
    pub async fn signalen(&self) -> Result<Vec<Toegangssignaal>, ErrorAnswer> {
        self.vraag(
            "signalen",
            "{ signalen { gebruiker quotum redenen } }",
            json!({}),
        )
        .await
    }
}

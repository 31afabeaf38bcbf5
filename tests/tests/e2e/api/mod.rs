//! Typed requests, so that a test reads like the scenario it checks: a user's handle on the
//! server ([`Server::coach`], [`Server::gebruiker`], ...) with a method per query and mutation the
//! scenarios use. Each answers a small struct of what the tests look at, or the refusal as a
//! [`ErrorAnswer`] (its code, field, rule and the whole answer). Tests of the wire format itself (the
//! exact JSON of an answer or an error, malformed requests) use [`Server::gql`]. One submodule
//! per part of the schema.

mod caseload;
mod cijfers;
mod opdracht;
mod persoon;
mod team;
mod toegangslog;
mod traject;

pub use caseload::*;
pub use cijfers::*;
pub use opdracht::*;
pub use team::*;
pub use traject::*;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::helpers::{Server, token};

/// A user on the server: every request carries their token.
pub struct Gebruiker<'a> {
    server: &'a Server,
    token: String,
}

impl Server {
    /// The user of `token`.
    pub fn gebruiker(&self, token: String) -> Gebruiker<'_> {
        Gebruiker {
            server: self,
            token,
        }
    }

    /// A coach of organisation `org`.
    pub fn coach(&self, sub: &str, org: &str) -> Gebruiker<'_> {
        self.gebruiker(token(sub, "coach", Some(org)))
    }

    /// A teamleider of organisation `org`.
    pub fn teamleider(&self, sub: &str, org: &str) -> Gebruiker<'_> {
        self.gebruiker(token(sub, "teamleider", Some(org)))
    }

    /// A regio user (of region AM13).
    pub fn regio(&self, sub: &str) -> Gebruiker<'_> {
        self.gebruiker(token(sub, "regio", None))
    }

    /// A landelijk user (the national programme).
    pub fn landelijk(&self, sub: &str) -> Gebruiker<'_> {
        self.gebruiker(token(sub, "landelijk", None))
    }

    pub fn beheerder(&self, sub: &str) -> Gebruiker<'_> {
        self.gebruiker(token(sub, "beheerder", None))
    }
}

/// A refusal or error: the first error of the answer.
#[derive(Debug, Clone)]
pub struct ErrorAnswer {
    /// `extensions.code`.
    pub code: String,
    /// `extensions.veld`: the input it names, as the request sent it.
    pub veld: Option<String>,
    /// `extensions.regel`: the rule's code.
    pub regel: Option<String>,
    /// `extensions.huidigeRevisie`, on a conflict the caller may be told about.
    pub huidige_revisie: Option<u64>,
    /// `message`.
    pub bericht: String,
    /// The whole answer, as the server sent it (boxed: a `Result` carries its error inline).
    pub antwoord: Box<Value>,
}

impl ErrorAnswer {
    /// Reads the first error of `antwoord`; panics unless it has a message and a code, and
    /// unless `veld`, `regel` and `huidigeRevisie` are each absent or of their type.
    pub fn van(antwoord: Value) -> Self {
        #[derive(Deserialize)]
        struct Eerste {
            message: String,
            extensions: Extensions,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Extensions {
            code: String,
            veld: Option<String>,
            regel: Option<String>,
            huidige_revisie: Option<u64>,
        }
        let eerste: Eerste = serde_json::from_value(antwoord["errors"][0].clone())
            .unwrap_or_else(|e| panic!("an error without message or code ({e}): {antwoord}"));
        ErrorAnswer {
            code: eerste.extensions.code,
            veld: eerste.extensions.veld,
            regel: eerste.extensions.regel,
            huidige_revisie: eerste.extensions.huidige_revisie,
            bericht: eerste.message,
            antwoord: Box::new(antwoord),
        }
    }

    /// Whether the answer holds no data at all (`data` null or absent).
    pub fn zonder_data(&self) -> bool {
        self.antwoord["data"].is_null()
    }
}

impl std::fmt::Display for ErrorAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.antwoord)
    }
}

/// The answer's `data.<veld>` as `T` when it has no errors, else the first error.
pub fn uitkomst<T: DeserializeOwned>(antwoord: Value, veld: &str) -> Result<T, ErrorAnswer> {
    if !antwoord["errors"].is_null() {
        return Err(ErrorAnswer::van(antwoord));
    }
    Ok(serde_json::from_value(antwoord["data"][veld].clone())
        .unwrap_or_else(|e| panic!("{veld} not as expected ({e}): {antwoord}")))
}

impl Gebruiker<'_> {
    /// The user's token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Posts `query` as this user; the raw answer.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.server.gql(Some(&self.token), query, variables).await
    }

    async fn vraag<T: DeserializeOwned>(
        &self,
        veld: &str,
        query: &str,
        variables: Value,
    ) -> Result<T, ErrorAnswer> {
        uitkomst(self.gql(query, variables).await, veld)
    }
}

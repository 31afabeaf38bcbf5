//! An organisation's team of coaches.

use serde::Deserialize;
use serde_json::json;

use super::{ErrorAnswer, Gebruiker};

/// A coach of a team.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Teamlid {
    pub coach: String,
    pub open_trajecten: u64,
}

impl Gebruiker<'_> {
    /// The team of the caller's organisation.
    pub async fn team(&self) -> Result<Vec<Teamlid>, ErrorAnswer> {
        self.vraag("team", "{ team { coach openTrajecten } }", json!({}))
            .await
    }

    /// Adds `coach` to the team of the caller's organisation, or of `organisatie`.
    pub async fn coach_toevoegen(
        &self,
        coach: &str,
        organisatie: Option<&str>,
    ) -> Result<Vec<Teamlid>, ErrorAnswer> {
        let query = "mutation($c: String!, $o: String) {
          coachToevoegen(coach: $c, organisatie: $o) { coach openTrajecten }
        }";
        self.vraag(
            "coachToevoegen",
            query,
            json!({"c": coach, "o": organisatie}),
        )
        .await
    }

    /// Removes `coach` from the team of the caller's organisation.
    pub async fn coach_verwijderen(&self, coach: &str) -> Result<Vec<Teamlid>, ErrorAnswer> {
        let query = "mutation($c: String!) { coachVerwijderen(coach: $c) { coach openTrajecten } }";
        self.vraag("coachVerwijderen", query, json!({"c": coach}))
            .await
    }
}

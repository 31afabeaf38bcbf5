//! A trajectory as its reader sees it, the answer to a change of it, and the requests that read
//! or refer one.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{ErrorAnswer, Gebruiker, Opdracht, Wijziging, mutatie};

/// The fields of a trajectory every typed request selects.
const TRAJECT: &str = "id clientId revisie coach
    status { beleid fase werkSinds dagenWerk duurzaamBereiktOp volgendeActie { actie op gepland } }
    lopendePlaatsingen { id urenPerWeek }
    tijdlijn { eventId revisie datum soort gegevens ingetrokken }";

/// A trajectory as its reader sees it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Traject {
    pub id: String,
    pub client_id: String,
    pub revisie: Option<u64>,
    pub coach: Option<String>,
    pub status: Option<Status>,
    pub lopende_plaatsingen: Vec<Plaatsing>,
    pub tijdlijn: Vec<TijdlijnRegel>,
}

impl Traject {
    /// Its status (a trajectory the caller reads has one).
    pub fn status(&self) -> &Status {
        self.status.as_ref().expect("a status")
    }

    /// The `soort` of every event on the timeline, in order.
    pub fn soorten(&self) -> Vec<&str> {
        self.tijdlijn.iter().map(|r| r.soort.as_str()).collect()
    }
}

/// A trajectory's status on a peildatum.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub beleid: String,
    pub fase: String,
    pub werk_sinds: Option<String>,
    pub dagen_werk: u64,
    pub duurzaam_bereikt_op: Option<String>,
    pub volgende_actie: Option<VolgendeActie>,
}

/// A next action as planned.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolgendeActie {
    pub actie: String,
    pub op: String,
    pub gepland: String,
}

/// A running placement.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plaatsing {
    pub id: String,
    pub uren_per_week: f64,
}

/// One event on a timeline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TijdlijnRegel {
    pub event_id: String,
    pub revisie: u64,
    pub datum: String,
    pub soort: String,
    /// The event's fields, as the JSON scalar they are.
    pub gegevens: Value,
    pub ingetrokken: bool,
}

/// The answer to a mutation of a trajectory.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vastgelegd {
    pub event_id: String,
    pub revisie: u64,
    pub positie: String,
    pub plaatsing_id: Option<String>,
    pub traject: Traject,
}

/// A referral (`aanmelden`): method IPS in region AM13, referred by GGZ, paid by the gemeente.
#[derive(Debug, Clone, Copy)]
pub struct Aanmelding<'a> {
    pub organisatie: &'a str,
    pub datum: &'a str,
    /// An existing client; `None` for a new one.
    pub client_id: Option<&'a str>,
    pub event_id: Option<&'a str>,
}

impl<'a> Aanmelding<'a> {
    /// A new client's referral to `organisatie` on `datum`.
    pub fn new(organisatie: &'a str, datum: &'a str) -> Self {
        Aanmelding {
            organisatie,
            datum,
            client_id: None,
            event_id: None,
        }
    }

    /// The same, of the existing client `client_id`.
    pub fn met_client_id(self, client_id: &'a str) -> Self {
        Aanmelding {
            client_id: Some(client_id),
            ..self
        }
    }

    /// The same, with an event id of the caller's (so that it can be retried).
    pub fn met_event_id(self, event_id: &'a str) -> Self {
        Aanmelding {
            event_id: Some(event_id),
            ..self
        }
    }
}

impl Gebruiker<'_> {
    /// Refers a new client to `organisatie` on `datum`.
    pub async fn aanmelden(
        &self,
        organisatie: &str,
        datum: &str,
    ) -> Result<Vastgelegd, ErrorAnswer> {
        self.aanmelden_met(Aanmelding::new(organisatie, datum))
            .await
    }

    /// Refers a trajectory as `aanmelding` says.
    pub async fn aanmelden_met(
        &self,
        aanmelding: Aanmelding<'_>,
    ) -> Result<Vastgelegd, ErrorAnswer> {
        let query = format!(
            r#"mutation($org: String!, $datum: NaiveDate!, $c: ID, $e: ID) {{
              aanmelden(invoer: {{datum: $datum, clientId: $c, methode: IPS, regio: "AM13",
                                 organisatie: $org, verwijzer: GGZ, financier: Gemeente, eventId: $e}}) {{
                eventId revisie positie plaatsingId traject {{ {TRAJECT} }}
              }}
            }}"#
        );
        let variabelen = json!({
            "org": aanmelding.organisatie,
            "datum": aanmelding.datum,
            "c": aanmelding.client_id,
            "e": aanmelding.event_id,
        });
        self.vraag("aanmelden", &query, variabelen).await
    }

    /// Sends `opdracht` as a change of the trajectory `wijziging` names.
    pub async fn wijzig(
        &self,
        wijziging: &Wijziging,
        opdracht: Opdracht,
    ) -> Result<Vastgelegd, ErrorAnswer> {
        let veld = opdracht.veld();
        let query = mutatie(
            veld,
            &opdracht.argumenten(),
            &format!("eventId positie plaatsingId traject {{ {TRAJECT} }}"),
        );
        let mut variabelen = json!({
            "id": wijziging.traject_id,
            "rev": wijziging.revisie,
            "eventId": wijziging.event_id,
        });
        if let Some(datum) = &wijziging.datum {
            variabelen["datum"] = json!(datum);
        }
        self.vraag(veld, &query, variabelen).await
    }

    /// The trajectory `id`, its status as of today.
    pub async fn traject(&self, id: &str) -> Result<Traject, ErrorAnswer> {
        self.traject_op(id, None).await
    }

    /// The trajectory `id`, its status on `peildatum` (today if `None`).
    pub async fn traject_op(
        &self,
        id: &str,
        peildatum: Option<&str>,
    ) -> Result<Traject, ErrorAnswer> {
        let query = format!(
            "query($id: ID!, $p: NaiveDate) {{ traject(id: $id, peildatum: $p) {{ {TRAJECT} }} }}"
        );
        self.vraag("traject", &query, json!({"id": id, "p": peildatum}))
            .await
    }

    /// The revision a change of trajectory `id` must be decided on.
    pub async fn revisie(&self, id: &str) -> u64 {
        let t = self.traject(id).await.unwrap();
        t.revisie.unwrap_or_else(|| panic!("a revision: {t:?}"))
    }
}

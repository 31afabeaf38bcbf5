//! Which organisation a client belongs to, and their trajectories. One stream per client,
//! `client-<uuid>`, written together with each referral.
//!
//! A client id is minted by the server on a first referral. The organisation of that referral
//! owns the client: only it can refer the client again under the same id. Another organisation
//! that takes a client over refers them as a new client (docs/decisions.md, "Clients belong to
//! organisations").

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::stored::{self, DecodeError, StoredEvent};
use crate::value::{ClientId, EventId, OrganisatieId, TrajectId};

/// The stream of `client`'s registrations.
pub fn stream_name(client: &ClientId) -> String {
    format!("client-{client}")
}

/// The stored type name of [`ClientAangemeld`].
pub const EVENT_TYPE: &str = "ClientAangemeld";

/// A trajectory of the client was referred by an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientAangemeld {
    /// The referring organisation.
    pub organisatie: OrganisatieId,
    /// The new trajectory.
    pub traject_id: TrajectId,
}

/// The stored type name of an erasure in the client's stream.
pub const GEWIST_EVENT_TYPE: &str = "ClientGewist";

/// What a client's stream holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// A trajectory was referred.
    Aangemeld(ClientAangemeld),
    /// The client's personal data was erased: no trajectory is referred under this id again.
    Gewist,
}

/// A client as their stream tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    organisatie: Option<OrganisatieId>,
    trajecten: Vec<TrajectId>,
    gewist: bool,
    revisie: Option<u64>,
}

impl Client {
    /// The organisation the client belongs to (`None`: never referred).
    pub fn organisatie(&self) -> Option<&OrganisatieId> {
        self.organisatie.as_ref()
    }

    /// The client's trajectories, in the order they were referred.
    pub fn trajecten(&self) -> &[TrajectId] {
        &self.trajecten
    }

    /// Whether the client's personal data was erased.
    pub fn is_gewist(&self) -> bool {
        self.gewist
    }

    /// The stream's last revision (`None`: no stream yet).
    pub fn revisie(&self) -> Option<u64> {
        self.revisie
    }

    /// Applies one stored event.
    pub fn apply(&mut self, event: &ClientEvent) {
        match event {
            ClientEvent::Aangemeld(a) => {
                if self.organisatie.is_none() {
                    self.organisatie = Some(a.organisatie.clone());
                }
                self.trajecten.push(a.traject_id);
            }
            ClientEvent::Gewist => self.gewist = true,
        }
        self.revisie = Some(self.revisie.map_or(0, |r| r + 1));
    }

    /// A new trajectory of the client, referred by `organisatie`: allowed for a new client and
    /// for the organisation the client belongs to, never for an erased client (a person who
    /// returns is referred as a new client).
    pub fn decide(
        &self,
        organisatie: &OrganisatieId,
        traject_id: TrajectId,
    ) -> Result<ClientAangemeld, DomainError> {
        match &self.organisatie {
            Some(eigen) if eigen != organisatie => Err(DomainError::ClientVanAndereOrganisatie),
            _ if self.gewist => Err(DomainError::ClientGewist),
            _ => Ok(ClientAangemeld {
                organisatie: organisatie.clone(),
                traject_id,
            }),
        }
    }
}

/// The stored form (version 1).
pub fn encode(id: EventId, event: &ClientAangemeld) -> StoredEvent {
    stored::encode_versie_1(id, EVENT_TYPE, event)
}

/// The stored form of a client's erasure in their stream (version 1).
pub fn encode_gewist(id: EventId) -> StoredEvent {
    stored::encode_versie_1(id, GEWIST_EVENT_TYPE, &serde_json::json!({}))
}

/// Reads an event of a client's stream.
pub fn decode(
    event_type: &str,
    schema_version: u32,
    data: &serde_json::Value,
) -> Result<ClientEvent, DecodeError> {
    if event_type == GEWIST_EVENT_TYPE {
        let _: serde_json::Map<String, serde_json::Value> =
            stored::decode_versie_1(event_type, &[GEWIST_EVENT_TYPE], schema_version, data, "{}")?;
        return Ok(ClientEvent::Gewist);
    }
    let velden = "organisatie of traject_id";
    stored::decode_versie_1(event_type, &[EVENT_TYPE], schema_version, data, velden)
        .map(ClientEvent::Aangemeld)
}

/// The stream of every erasure decided, one event each: what a server completes at start-up
/// when it stopped between recording an erasure and destroying the vault's record.
pub const WISSINGEN: &str = "wissingen";

/// The stored type name of [`WissingVastgelegd`].
pub const WISSING_EVENT_TYPE: &str = "WissingVastgelegd";

/// The erasure of a client's personal data was decided (the beheerder, for a reason in the
/// trajectories' markers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WissingVastgelegd {
    /// The client whose personal data is erased.
    pub client_id: ClientId,
}

/// The stored form of an erasure (version 1).
pub fn encode_wissing(id: EventId, event: &WissingVastgelegd) -> StoredEvent {
    stored::encode_versie_1(id, WISSING_EVENT_TYPE, event)
}

/// Reads a stored erasure.
pub fn decode_wissing(
    event_type: &str,
    schema_version: u32,
    data: &serde_json::Value,
) -> Result<WissingVastgelegd, DecodeError> {
    let soorten = [WISSING_EVENT_TYPE];
    stored::decode_versie_1(event_type, &soorten, schema_version, data, "client_id")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: &str) -> OrganisatieId {
        OrganisatieId::parse(id).unwrap()
    }

    fn traject() -> TrajectId {
        TrajectId::new(uuid::Uuid::now_v7()).unwrap()
    }

    #[test]
    fn only_the_first_organisation_refers_the_client_again() {
        let mut client = Client::default();
        let e = client.decide(&org("ggz-a"), traject()).unwrap();
        client.apply(&ClientEvent::Aangemeld(e));
        assert_eq!(client.organisatie(), Some(&org("ggz-a")));
        assert_eq!(
            client.decide(&org("ggz-b"), traject()),
            Err(DomainError::ClientVanAndereOrganisatie)
        );
        let e = client.decide(&org("ggz-a"), traject()).unwrap();
        client.apply(&ClientEvent::Aangemeld(e));
        assert_eq!(client.trajecten().len(), 2);
        assert_eq!(client.revisie(), Some(1));
        // Erased: never referred again under this id.
        client.apply(&ClientEvent::Gewist);
        assert_eq!(
            client.decide(&org("ggz-a"), traject()),
            Err(DomainError::ClientGewist)
        );
        let stored = encode_gewist(EventId::new(uuid::Uuid::now_v7()).unwrap());
        assert_eq!(
            decode(&stored.event_type, stored.schema_version, &stored.data).unwrap(),
            ClientEvent::Gewist
        );
    }

    #[test]
    fn an_erasure_reads_back() {
        let event = WissingVastgelegd {
            client_id: ClientId::new(uuid::Uuid::now_v7()).unwrap(),
        };
        let stored = encode_wissing(EventId::new(uuid::Uuid::now_v7()).unwrap(), &event);
        assert_eq!(
            decode_wissing(&stored.event_type, stored.schema_version, &stored.data).unwrap(),
            event
        );
    }

    #[test]
    fn the_stored_form_reads_back() {
        let event = ClientAangemeld {
            organisatie: org("ggz-a"),
            traject_id: traject(),
        };
        let stored = encode(EventId::new(uuid::Uuid::now_v7()).unwrap(), &event);
        assert_eq!(
            decode(&stored.event_type, stored.schema_version, &stored.data).unwrap(),
            ClientEvent::Aangemeld(event)
        );
    }
}

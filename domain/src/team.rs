//! An organisation's team: which coaches currently work for it. One stream per organisation,
//! `organisatie-<id>`; a teamleider or the beheerder records a coach joining or leaving.
//!
//! Only a current member can be named as a trajectory's coach (by a teamleider's assignment or
//! at intake): the team is a fact the server owns, where a coach id in a request is only a
//! string the caller chose.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::stored::{self, DecodeError, StoredEvent};
use crate::value::{CoachId, EventId, OrganisatieId};

/// The stream of `organisatie`'s team.
pub fn stream_name(organisatie: &OrganisatieId) -> String {
    format!("organisatie-{organisatie}")
}

/// What happened to a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TeamEvent {
    /// A coach joined the team.
    CoachToegetreden { coach: CoachId },
    /// A coach left the team; their trajectories keep them until reassigned.
    CoachVertrokken { coach: CoachId },
}

/// A change to a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamCommand {
    /// Add a coach.
    Toetreden(CoachId),
    /// Remove a coach.
    Vertrekken(CoachId),
}

/// A team as its stream tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Team {
    coaches: BTreeSet<CoachId>,
    revisie: Option<u64>,
}

impl Team {
    /// Whether `coach` is a current member.
    pub fn heeft(&self, coach: &CoachId) -> bool {
        self.coaches.contains(coach)
    }

    /// The current members, sorted.
    pub fn coaches(&self) -> impl Iterator<Item = &CoachId> {
        self.coaches.iter()
    }

    /// The stream's last revision (`None`: no stream yet).
    pub fn revisie(&self) -> Option<u64> {
        self.revisie
    }

    /// Applies one stored event.
    pub fn apply(&mut self, event: &TeamEvent) {
        match event {
            TeamEvent::CoachToegetreden { coach } => {
                self.coaches.insert(coach.clone());
            }
            TeamEvent::CoachVertrokken { coach } => {
                self.coaches.remove(coach);
            }
        }
        self.revisie = Some(self.revisie.map_or(0, |r| r + 1));
    }

    /// The event a command leads to, or the rule it breaks.
    pub fn decide(&self, command: TeamCommand) -> Result<TeamEvent, DomainError> {
        match command {
            TeamCommand::Toetreden(coach) if self.heeft(&coach) => Err(DomainError::CoachAlInTeam),
            TeamCommand::Toetreden(coach) => Ok(TeamEvent::CoachToegetreden { coach }),
            TeamCommand::Vertrekken(coach) if !self.heeft(&coach) => {
                Err(DomainError::CoachNietInTeam)
            }
            TeamCommand::Vertrekken(coach) => Ok(TeamEvent::CoachVertrokken { coach }),
        }
    }
}

/// The stored type names.
const SOORTEN: [&str; 2] = ["CoachToegetreden", "CoachVertrokken"];

/// The stored form (version 1 of both types).
pub fn encode(id: EventId, event: &TeamEvent) -> StoredEvent {
    let (soort, coach) = match event {
        TeamEvent::CoachToegetreden { coach } => (SOORTEN[0], coach),
        TeamEvent::CoachVertrokken { coach } => (SOORTEN[1], coach),
    };
    stored::encode_versie_1(
        id,
        soort,
        &Velden {
            coach: coach.clone(),
        },
    )
}

/// The data of both types.
#[derive(Serialize, Deserialize)]
struct Velden {
    coach: CoachId,
}

/// Reads a stored team event.
pub fn decode(
    event_type: &str,
    schema_version: u32,
    data: &serde_json::Value,
) -> Result<TeamEvent, DecodeError> {
    let Velden { coach } =
        stored::decode_versie_1(event_type, &SOORTEN, schema_version, data, "coach")?;
    Ok(if event_type == SOORTEN[0] {
        TeamEvent::CoachToegetreden { coach }
    } else {
        TeamEvent::CoachVertrokken { coach }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coach(id: &str) -> CoachId {
        CoachId::parse(id).unwrap()
    }

    #[test]
    fn a_coach_joins_once_and_leaves_once() {
        let mut team = Team::default();
        let e = team.decide(TeamCommand::Toetreden(coach("anna"))).unwrap();
        team.apply(&e);
        assert!(team.heeft(&coach("anna")));
        assert_eq!(
            team.decide(TeamCommand::Toetreden(coach("anna"))),
            Err(DomainError::CoachAlInTeam)
        );
        let e = team.decide(TeamCommand::Vertrekken(coach("anna"))).unwrap();
        team.apply(&e);
        assert!(!team.heeft(&coach("anna")));
        assert_eq!(
            team.decide(TeamCommand::Vertrekken(coach("anna"))),
            Err(DomainError::CoachNietInTeam)
        );
        assert_eq!(team.revisie(), Some(1));
    }

    #[test]
    fn the_stored_form_reads_back() {
        let id = EventId::new(uuid::Uuid::now_v7()).unwrap();
        for event in [
            TeamEvent::CoachToegetreden {
                coach: coach("anna"),
            },
            TeamEvent::CoachVertrokken {
                coach: coach("bert"),
            },
        ] {
            let stored = encode(id, &event);
            let back = decode(&stored.event_type, stored.schema_version, &stored.data).unwrap();
            assert_eq!(back, event);
        }
        assert!(matches!(
            decode("CoachToegetreden", 1, &serde_json::json!({})),
            Err(DecodeError::Malformed { .. })
        ));
    }
}

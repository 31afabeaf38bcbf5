//! Identifiers: UUIDs that are never nil.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::ValueError;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $veld:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "Uuid", into = "Uuid")]
        pub struct $name(Uuid);

        impl $name {
            /// The name of the field this identifier is reported under.
            pub const VELD: &'static str = $veld;

            /// Accepts any UUID but the nil UUID.
            pub fn new(uuid: Uuid) -> Result<Self, ValueError> {
                if uuid.is_nil() {
                    Err(ValueError::new(Self::VELD, "mag niet de nil-UUID zijn"))
                } else {
                    Ok(Self(uuid))
                }
            }

            /// Parses the hyphenated text form of a UUID.
            pub fn parse(text: &str) -> Result<Self, ValueError> {
                let uuid = Uuid::try_parse(text.trim())
                    .map_err(|_| ValueError::new(Self::VELD, "moet een UUID zijn"))?;
                Self::new(uuid)
            }

            /// The UUID itself.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl TryFrom<Uuid> for $name {
            type Error = ValueError;
            fn try_from(uuid: Uuid) -> Result<Self, ValueError> {
                Self::new(uuid)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(text: &str) -> Result<Self, ValueError> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A trajectory; its event stream is `traject-<uuid>`.
    TrajectId,
    "traject_id"
);
uuid_id!(
    /// The pseudonymous id of a client. It identifies nobody on its own: the person's data lives
    /// apart from the events.
    ClientId,
    "client_id"
);
uuid_id!(
    /// One placement (plaatsing) within a trajectory.
    PlaatsingId,
    "plaatsing_id"
);
uuid_id!(
    /// One recorded event; retractions refer to it.
    EventId,
    "event_id"
);

impl EventId {
    /// Whether this id's time is exactly midnight UTC. The import makes its ids so, from a
    /// referral's date and the file's contents (and [`EventId::afgeleid`] keeps the time), so
    /// that no id a writer makes at the time of writing is one of them: an id the caller chose
    /// is refused when it is.
    pub fn van_import(&self) -> bool {
        self.0.get_timestamp().is_some_and(|t| {
            let (secs, nanos) = t.to_unix();
            secs % 86_400 == 0 && nanos < 1_000_000
        })
    }

    /// The id of an event that a command writes beside its main event (a client's registration,
    /// a coach joining a team), derived from this one: the same for a retried command, a UUID v7
    /// with this id's time, and different for each `soort`.
    pub fn afgeleid(&self, soort: &str) -> EventId {
        let hash = Uuid::new_v5(&self.0, soort.as_bytes());
        let millis = self.0.get_timestamp().map_or(0, |t| {
            let (secs, nanos) = t.to_unix();
            secs * 1000 + u64::from(nanos) / 1_000_000
        });
        let random: [u8; 10] = hash.as_bytes()[..10].try_into().expect("10 bytes");
        EventId(uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid())
    }
}

impl TrajectId {
    /// The prefix of every trajectory stream name.
    pub const STREAM_PREFIX: &'static str = "traject-";

    /// The namespace of trajectory ids derived from their aanmelding's event id.
    const NS_AANMELDING: Uuid = Uuid::from_u128(0x7a1e_c7a0_0000_4000_8000_0000_0000_0001);

    /// The trajectory whose aanmelding has the event id `aanmelding`: a retried referral names
    /// the same trajectory.
    pub fn van_aanmelding(aanmelding: EventId) -> TrajectId {
        TrajectId(Uuid::new_v5(
            &Self::NS_AANMELDING,
            aanmelding.as_uuid().as_bytes(),
        ))
    }

    /// The name of this trajectory's event stream.
    pub fn stream_name(&self) -> String {
        format!("{}{}", Self::STREAM_PREFIX, self.0)
    }

    /// The trajectory whose stream is `stream`, if it is a trajectory stream.
    pub fn from_stream_name(stream: &str) -> Result<Self, ValueError> {
        stream
            .strip_prefix(Self::STREAM_PREFIX)
            .ok_or_else(|| ValueError::new("stream", "moet beginnen met traject-"))
            .and_then(Self::parse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ids_at_midnight_utc_are_the_imports() {
        let op = |ms: u64| {
            EventId::new(uuid::Builder::from_unix_timestamp_millis(ms, &[7; 10]).into_uuid())
                .unwrap()
        };
        let middernacht = 20_458 * 86_400_000;
        assert!(op(middernacht).van_import());
        assert!(op(middernacht).afgeleid("import rij 3").van_import());
        assert!(!op(middernacht + 1).van_import());
        assert!(!op(middernacht - 1).van_import());
        assert!(!op(middernacht + 1_000).van_import());
        assert!(!EventId::new(Uuid::now_v7()).unwrap().van_import());
    }
}

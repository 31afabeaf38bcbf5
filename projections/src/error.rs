//! The projections' errors.

use std::time::Duration;

use traject_store::{Position, RecordedEvent, StoreError};

/// Why a projection stopped or a wait failed.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// A stored event could not be read or does not fit its trajectory. The projection stops
    /// rather than skip it: a read model that silently differs from the store is worse.
    #[error("gebeurtenis op positie {position} in {stream}: {reden}")]
    Gebeurtenis {
        /// The event's position.
        position: u64,
        /// Its stream.
        stream: String,
        /// What was wrong (rules and fields, never values).
        reden: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The subscription ended.
    #[error("de abonnering op de event store is beëindigd")]
    Beeindigd,
    /// The projections did not reach a position in time.
    #[error(
        "de projecties bereikten positie {wacht_op:?} niet binnen {binnen:?} (staan op {staat_op:?})"
    )]
    Timeout {
        /// The position waited for.
        wacht_op: Position,
        /// How long was waited.
        binnen: Duration,
        /// Where the projections stood.
        staat_op: Option<Position>,
    },
}

impl ProjectionError {
    pub(crate) fn at(event: &RecordedEvent, reden: impl std::fmt::Display) -> Self {
        Self::Gebeurtenis {
            position: event.position.0,
            stream: event.stream.to_string(),
            reden: reden.to_string(),
        }
    }
}

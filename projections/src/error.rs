//! The projections' errors.

use std::time::Duration;

use traject_store::{Position, RecordedEvent, StoreError};

/// Why a projection stopped or a wait failed.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    /// A stored event could not be read or does not fit its trajectory. The projection stops
    /// rather than skip it: a read model that silently differs from the store is worse.
    #[error("event at position {position} in {stream}: {reden}")]
    Gebeurtenis {
        /// The event's position.
        position: u64,
        stream: String,
        /// What was wrong (rules and fields, never values).
        reden: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The subscription ended.
    #[error("the subscription to the event store ended")]
    Beeindigd,
    /// The projections did not reach a position in time.
    #[error(
        "the projections did not reach position {wacht_op:?} within {binnen:?} (they are at {staat_op:?})"
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

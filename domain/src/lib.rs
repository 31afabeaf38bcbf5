//! The rules of a traject: value objects, events, commands, the trajectory aggregate and its
//! status on a reference date.
//!
//! This crate is pure: no IO, no async, no clock. "Today" is passed in. Commands are decided
//! ([`decide`]) and events are applied ([`apply`]); both go through the same rule checks, so a
//! stream that was accepted once replays the same way. Beside the trajectory: [`client`], which
//! organisation a client belongs to, and [`team`], which coaches an organisation has.

pub mod client;
pub mod command;
pub mod error;
pub mod event;
pub mod kalender;
pub mod policy;
mod rules;
pub mod status;
pub mod stored;
pub mod team;
pub mod traject;
pub mod value;

pub use command::{Command, CommandKind};
pub use error::DomainError;
pub use event::{Event, EventData};
pub use kalender::vandaag_in_nederland;
pub use policy::{DuurzaamBeleid, Telwijze};
pub use status::{Fase, Status, afsluiting_klopt, status};
pub use traject::{Traject, VolgendeActie, apply, decide};

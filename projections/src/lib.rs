//! The read models of traject, fed only by the event store's catch-up subscription and
//! rebuildable from zero at any time.
//!
//! - [`kenmerken`]: the facts of one trajectory, computed from the domain once per change.
//! - [`model`]: every trajectory at a checkpoint, with indexes per coach and organisation.
//! - [`runner`]: follows the store; read-your-writes by waiting for a position.
//! - [`snapshot`]: the model saved with its checkpoint, so a restart replays only the tail.
//! - [`overzicht`], [`caseload`], [`cijfers`], [`ips`], [`kwaliteit`], [`businesscase`]: the
//!   queries.

pub mod businesscase;
pub mod caseload;
pub mod cijfers;
mod error;
pub mod ips;
pub mod kenmerken;
pub mod kwaliteit;
pub mod model;
pub mod overzicht;
pub mod parallel;
pub mod runner;
pub mod snapshot;

pub use error::ProjectionError;
pub use model::ReadModel;
pub use runner::{Projecties, Toestand};

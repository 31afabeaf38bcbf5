//! The societal business case (maatschappelijke business case) per region and year: what the
//! trajectories cost each party (gemeente, UWV, zorgverzekeraar, GGZ-aanbieder, werkgever, and
//! the state where the assumptions include taxes and premiums) and what each receives in return,
//! from the counts and durations the projections compute (`traject_projections::businesscase`)
//! and a region's assumptions. No person-level money: every amount is a count or a duration
//! times an assumption.
//!
//! - [`aannames`]: the assumptions, as a versioned JSON file over the defaults, each a range.
//! - [`berekening`]: costs and returns per party and month, net and the break-even month, in a
//!   low, middle and high scenario.
//!
//! The counts come from a release (`traject_vrijgave::businesscase`, which withholds a region
//! whose counts are small: it then shows the national counts with its own assumptions); the API,
//! the what-if and the files are in `traject-api` (`businesscase.rs`).

pub mod aannames;
pub mod berekening;

pub use aannames::{AannameFout, Aannames, Bereik};
pub use berekening::{Balans, Partij, Scenario, Uitkomst, bereken, bereken_geschaald};

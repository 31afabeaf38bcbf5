//! The projections' integration tests.

mod cases;
mod generator;
mod helpers;
mod oracle;
mod queries;
mod runner;
mod snapshot;
mod status_geheugen;

//! The projections' integration tests.

mod cases;
mod generator;
mod helpers;
mod kwaliteit;
mod oracle;
mod queries;
mod runner;
mod snapshot;
mod status_geheugen;

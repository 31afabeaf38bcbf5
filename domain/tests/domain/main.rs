//! The domain's integration tests: one binary, one module per subject.

mod actie;
mod duurzaam;
mod erasure;
mod harness;
mod invoerregels;
mod properties;
mod retraction;
mod rules;
mod stored;
mod uren;
mod values;

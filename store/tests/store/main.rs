//! The store's integration tests: the contract suite on every backend, and the crash test.

mod backends;
mod contract;
mod controle;
mod crash;
mod fixtures;
mod instances;
#[cfg(feature = "kurrentdb")]
mod kurrent;

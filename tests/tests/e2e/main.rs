//! End-to-end tests: the real server on a fresh store, over HTTP.

mod helpers;
mod scenarios;

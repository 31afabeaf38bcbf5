//! End-to-end tests: the real server on a fresh store, over HTTP.

#[macro_use]
mod helpers;
mod api;
mod businesscase;
mod cijfers;
mod contract;
mod direct;
mod import;
mod kluis;
mod kwaliteit;
mod logboek;
mod scenarios;
mod toegang;

//! The GraphQL API and server of traject: configuration, authentication, authorisation, the
//! access log, the schema, and the HTTP layer. `main.rs` is the `traject` binary over it.
//!
//! - [`config`]: one typed configuration from flags and environment.
//! - [`auth`]: bearer JWTs (RS256/ES256 from a provider; HS256 only in development).
//! - [`toegang`], [`toegangslog`], [`kluis`]: the role table, the NEN 7513 access log and the
//!   vault, which live in the application layer (`traject-dienst`) and are re-exported here.
//! - [`cijfers`]: anonymised figures as one protected table, exported as CSV, JSON and XLSX.
//! - [`schema`]: queries, mutations, subscriptions; the one error edge type.
//! - [`http`]: GraphQL over HTTP, hardened; [`app`]: the server itself; [`direct`]: the
//!   caseload page answered without the engine's value tree.
//! - [`businesscase`]: the societal business case per region and year, its what-if and files.
//! - [`kwaliteit`]: the quality report's files and export, and whose report a caller sees.
//! - [`import`]: the upload of an import file (preview and confirm) and its template.
//! - [`export`]: what every file export over HTTP does the same way.
//! - [`demo`]: the national demo data on an empty store, and demo logins.
//! - [`spoor`]: a correlation id and a tracing span per request.
//! - [`web`]: the built web client at `/`, and what it needs to sign in.
//! - [`vandaag_in_nederland`]: the date the users live by.

pub mod antwoorden;
pub mod app;
pub mod auth;
pub mod backup;
pub mod businesscase;
pub mod cijfers;
pub mod config;
pub mod connections;
pub mod demo;
pub mod direct;
pub mod export;
pub mod geheugen;
pub mod http;
pub mod import;
pub mod kosten;
pub mod kwaliteit;
pub mod limiet;
pub mod schema;
pub mod slot;
pub mod socket;
pub mod spoor;
pub mod web;

pub use traject_dienst::{kluis, rewrite, toegang, toegangslog};
pub use traject_domain::vandaag_in_nederland;

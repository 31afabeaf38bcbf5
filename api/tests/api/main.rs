//! The API's own tests: the committed schema, the role table and the error mapping.

mod auth;
mod backup;
mod binair;
mod crash;
mod export;
mod fouten;
mod herschrijven;
mod instanties;
mod kluis;
mod logboek;
mod randen;
mod schema;
mod slot;
mod snapshot;
mod start;
mod toegang;
mod tokens;
mod uitval;
mod verdeeld;

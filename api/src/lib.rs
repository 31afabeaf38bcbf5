//! The GraphQL API and server of traject: configuration, authentication, authorisation, the
//! access log, the schema, and the HTTP layer. `main.rs` is the `traject` binary over it.
//!
//! - [`config`]: one typed configuration from flags and environment.
//! - [`auth`]: bearer JWTs (RS256/ES256 from a provider; HS256 only in development).
//! - [`toegang`]: the role table, at object level, as pure decisions naming their rule.
//! - [`toegangslog`]: the NEN 7513 access log, a hash chain in the store's database.
//! - [`kluis`]: clients' personal data, sealed per client, with an in-memory name index.
//! - [`cijfers`]: anonymised figures as one protected table, exported as CSV, JSON and XLSX.
//! - [`schema`]: queries, mutations, subscriptions; the one error edge type.
//! - [`http`]: GraphQL over HTTP, hardened; [`app`]: the server itself.
//! - [`demo`]: the national demo data on an empty store, and demo logins.
//! - [`spoor`]: a correlation id and a tracing span per request.
//! - [`web`]: the built web client at `/`, and what it needs to sign in.
//! - [`vandaag_in_nederland`]: the date the users live by.

pub mod app;
pub mod auth;
pub mod cijfers;
pub mod config;
pub mod demo;
pub mod geheugen;
pub mod http;
pub mod kluis;
pub mod schema;
pub mod spoor;
pub mod toegang;
pub mod toegangslog;
pub mod web;

/// The date on the Dutch calendar (Europe/Amsterdam, summer time included) at instant `nu`:
/// what "today" means to a coach, and so for the rule that no event lies in the future.
pub fn vandaag_in_nederland(nu: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    nu.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::vandaag_in_nederland;

    #[test]
    fn today_is_the_dutch_date_in_winter_and_in_summer() {
        let dag = |j, m, d| NaiveDate::from_ymd_opt(j, m, d).unwrap();
        // Winter: UTC+1.
        let nu = Utc.with_ymd_and_hms(2026, 11, 30, 22, 59, 0).unwrap();
        assert_eq!(vandaag_in_nederland(nu), dag(2026, 11, 30));
        let nu = Utc.with_ymd_and_hms(2026, 11, 30, 23, 0, 0).unwrap();
        assert_eq!(vandaag_in_nederland(nu), dag(2026, 12, 1));
        // Summer: UTC+2.
        let nu = Utc.with_ymd_and_hms(2026, 7, 1, 21, 59, 0).unwrap();
        assert_eq!(vandaag_in_nederland(nu), dag(2026, 7, 1));
        let nu = Utc.with_ymd_and_hms(2026, 7, 1, 22, 0, 0).unwrap();
        assert_eq!(vandaag_in_nederland(nu), dag(2026, 7, 2));
    }
}

//! The GraphQL forms of the application layer's closed lists: roles and the access log's action
//! and result. The application layer knows no GraphQL; these mirror its enums one to one.

use async_graphql::Enum;

/// A role of product.md's role table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "traject_dienst::Rol", name = "Rol")]
pub enum RolUit {
    /// Records and queries the trajectories assigned to them.
    Coach,
    /// Sees and manages all trajectories of their organisation.
    Teamleider,
    /// Sees only anonymised figures of their region.
    Regio,
    /// Sees anonymised figures of all regions.
    Landelijk,
    /// Reads the access log and carries out erasure; sees no case content.
    Beheerder,
}

/// What was done (NEN 7513 action codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "traject_dienst::toegangslog::Actie", name = "Actie")]
pub enum ActieUit {
    /// Create.
    C,
    /// Read (including search and list).
    R,
    /// Update.
    U,
    /// Delete.
    D,
    /// Execute (for example an export); an erasure is logged as D, a deletion.
    E,
}

/// How an access ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "traject_dienst::toegangslog::Resultaat", name = "Resultaat")]
pub enum ResultaatUit {
    /// Done.
    Gelukt,
    /// Refused by the authorisation rules or the domain's rules.
    Geweigerd,
    /// Failed.
    Fout,
}

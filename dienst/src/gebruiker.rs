//! Who acts: the verified caller as the application layer sees them, and the roles of
//! product.md's role table. The API makes a [`Gebruiker`] from a verified token; the command
//! path authorises on it and on facts it loads from the store.

use traject_domain::value::{CoachId, OrganisatieId, Regio};

/// A role of product.md's role table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rol {
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

impl Rol {
    /// The role's name in tokens.
    pub fn as_str(self) -> &'static str {
        match self {
            Rol::Coach => "coach",
            Rol::Teamleider => "teamleider",
            Rol::Regio => "regio",
            Rol::Landelijk => "landelijk",
            Rol::Beheerder => "beheerder",
        }
    }

    /// Reads a role's name; unknown roles (a provider has many) are not traject's.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Rol::Coach,
            Rol::Teamleider,
            Rol::Regio,
            Rol::Landelijk,
            Rol::Beheerder,
        ]
        .into_iter()
        .find(|r| r.as_str().eq_ignore_ascii_case(text))
    }
}

/// The verified caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gebruiker {
    /// The user id (`sub`); for a coach also their coach id in the events.
    pub id: String,
    /// The display name.
    pub naam: String,
    /// traject's roles among the token's roles.
    pub rollen: Vec<Rol>,
    /// Their organisation, if the token names one.
    pub organisatie: Option<OrganisatieId>,
    /// Their region, if the token names one.
    pub regio: Option<Regio>,
}

impl Gebruiker {
    /// Whether the caller has `rol`.
    pub fn heeft(&self, rol: Rol) -> bool {
        self.rollen.contains(&rol)
    }

    /// The caller as a coach in the events, if their id is a valid coach id.
    pub fn coach_id(&self) -> Option<CoachId> {
        CoachId::parse(&self.id).ok()
    }
}

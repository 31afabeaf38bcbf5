//! One access to person-level data, as the log records it (NEN 7513): what, when, by whom, in
//! which role and under which rule, on which clients, and how it ended.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use traject_domain::value::{ClientId, TrajectId};

/// What was done (NEN 7513 action codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actie {
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

impl Actie {
    /// Every action, in the order of their codes.
    pub const ALLE: [Actie; 5] = [Actie::C, Actie::R, Actie::U, Actie::D, Actie::E];

    /// The action's code in the stored form.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The action with stored code `code`.
    pub fn van_code(code: u8) -> Option<Self> {
        Self::ALLE.get(usize::from(code)).copied()
    }
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resultaat {
    /// Done.
    Gelukt,
    /// Refused by the authorisation rules, the domain's rules or a quota.
    Geweigerd,
    /// Failed.
    Fout,
}

impl Resultaat {
    /// Every result, in the order of their codes.
    pub const ALLE: [Resultaat; 3] = [Resultaat::Gelukt, Resultaat::Geweigerd, Resultaat::Fout];

    /// The result's code in the stored form.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The result with stored code `code`.
    pub fn van_code(code: u8) -> Option<Self> {
        Self::ALLE.get(usize::from(code)).copied()
    }
}

/// One access. There is no "on whose behalf" (`namens`): in traject every user acts in their
/// own name and role (docs/decisions.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toegang {
    /// The event code: what kind of access (for example `traject.lezen`).
    pub gebeurteniscode: String,
    /// The action.
    pub actie: Actie,
    /// When (UTC).
    pub tijd: DateTime<Utc>,
    /// The result.
    pub resultaat: Resultaat,
    /// The user id (never a name).
    pub gebruiker: String,
    /// The role the access was made in.
    pub rol: String,
    /// The organisation the user acted for, as their token names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisatie: Option<String>,
    /// The pseudonymous clients whose data was touched.
    pub clients: Vec<ClientId>,
    /// The trajectory, if one.
    pub traject: Option<TrajectId>,
    /// The authorisation rule that applied.
    pub regel: String,
    /// The source system.
    pub bron: String,
    /// The request's correlation id.
    pub correlatie: uuid::Uuid,
}

impl Toegang {
    /// Whether this access read person-level data (what the quota counts).
    pub fn leest_personen(&self) -> bool {
        self.actie == Actie::R && !self.clients.is_empty() && self.resultaat == Resultaat::Gelukt
    }
}

/// An entry of the log: an access at its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logregel {
    /// Its number in the chain (1 for the first entry ever written; numbers stay when older
    /// entries are archived).
    pub nr: u64,
    /// The access.
    pub toegang: Toegang,
}

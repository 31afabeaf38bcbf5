//! The application layer's one error type. The API's edge type turns it into a GraphQL error
//! with `extensions.code`; the CLI prints it. Messages name fields and rules, never values.

use traject_domain::DomainError;
use traject_domain::value::ValueError;

/// Why a command or a read was refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DienstError {
    /// Bad input: the field, the broken rule and a message for people; nothing was written.
    #[error("{veld}: {bericht}")]
    Invoer {
        /// The field, as the domain names it (`datum`, `plaatsing_id`); the API names it as its
        /// input does.
        veld: String,
        /// The stable code of the rule (`datum_voor_begin`; `ongeldige_waarde` for a value
        /// that broke its own rule).
        regel: &'static str,
        /// The refusal in plain Dutch, without codes.
        bericht: String,
    },
    /// The command was decided on a revision (or version) that is no longer current.
    #[error("conflict in {wat}: besloten op {verwacht:?}, nu {huidig:?}")]
    Conflict {
        /// What changed meanwhile: `traject`, `persoonsgegevens` or `team`.
        wat: &'static str,
        /// What the caller decided on.
        verwacht: Option<u64>,
        /// What the stream holds now.
        huidig: Option<u64>,
    },
    /// The organisation's team changed between the check of a named coach and the write
    /// (a coach left or joined); nothing was written. The command path tries again by itself;
    /// what reaches a caller is bad input on the field `coach` ([`DienstError::team_gewijzigd`]).
    #[error("coach: het team is intussen gewijzigd; kies de coach opnieuw")]
    TeamGewijzigd,
    /// Not allowed, with the rule that refused; the refusal is in the access log.
    #[error("geen toegang ({0})")]
    Verboden(&'static str),
    /// No such object.
    #[error("{0} niet gevonden")]
    NietGevonden(&'static str),
    /// The user read more person-level data in the last minute than their quota allows; the
    /// refusal is in the access log.
    #[error("te veel inzagen: ten hoogste {per_minuut} per minuut (inzagequotum)")]
    TeVeel {
        /// The quota.
        per_minuut: usize,
    },
    /// The answer cannot be given completely now (for example: the access log has not taken in
    /// the entries of the latest writes yet); try again shortly.
    #[error("niet beschikbaar: {0}")]
    NietBeschikbaar(&'static str),
    /// Something failed inside; the detail is for the server's log, never for the caller.
    #[error("interne fout: {0}")]
    Intern(String),
}

impl DienstError {
    /// A value in `veld` that broke its own rule, said in `bericht` (rule `ongeldige_waarde`).
    pub fn invoer(veld: impl Into<String>, bericht: impl Into<String>) -> Self {
        Self::regel(veld, ONGELDIGE_WAARDE, bericht)
    }

    /// Bad input in `veld`, refused by the rule with the stable code `regel`, said in `bericht`.
    pub fn regel(veld: impl Into<String>, regel: &'static str, bericht: impl Into<String>) -> Self {
        DienstError::Invoer {
            veld: veld.into(),
            regel,
            bericht: bericht.into(),
        }
    }

    /// What a caller gets when the team kept changing under a named coach.
    pub fn team_gewijzigd() -> Self {
        Self::regel(
            "coach",
            "team_gewijzigd",
            "het team is intussen gewijzigd; kies de coach opnieuw",
        )
    }

    /// A failure of the access log: not yet caught up, or its database out of reach, is
    /// UNAVAILABLE; anything else internal.
    pub fn van_log(e: crate::toegangslog::LogError) -> Self {
        match e {
            crate::toegangslog::LogError::NietBij => {
                DienstError::NietBeschikbaar("de toegangslog verwerkt nog recente wijzigingen")
            }
            e @ (crate::toegangslog::LogError::Database(_)
            | crate::toegangslog::LogError::Store(_)) => {
                // Its database (or the store) cannot be reached: nothing is answered unlogged.
                tracing::warn!(error = %e, "toegangslog unreachable");
                DienstError::NietBeschikbaar("de toegangslog is niet bereikbaar")
            }
            e => DienstError::intern(e),
        }
    }

    /// A write is stored but the read models did not show it in time (they are behind, or
    /// stopped): UNAVAILABLE, so that the caller asks again (a retry with the same event id
    /// answers the stored result) rather than take it for a failed write.
    pub fn van_wachten(e: traject_projections::ProjectionError) -> Self {
        tracing::warn!(error = %e, "stored, but the read models do not show it yet");
        DienstError::NietBeschikbaar(
            "de wijziging is opgeslagen; de leesmodellen lopen achter, haal het zo opnieuw op",
        )
    }

    /// A failure of the store: a database that cannot be reached (or a closed store) is
    /// UNAVAILABLE, as the write can be sent again with the same event id once it is back (and
    /// answers the stored result if it was stored after all); anything else internal. The detail
    /// goes to the server's log.
    pub fn van_store(e: traject_store::StoreError) -> Self {
        use traject_store::StoreError;
        match e {
            StoreError::Database(_) | StoreError::Closed => {
                tracing::warn!(error = %e, "store unreachable");
                DienstError::NietBeschikbaar(
                    "de store is niet bereikbaar; een wijziging mag met dezelfde eventId opnieuw",
                )
            }
            e => DienstError::intern(e),
        }
    }

    /// An internal failure with its detail.
    pub fn intern(detail: impl std::fmt::Display) -> Self {
        DienstError::Intern(detail.to_string())
    }

    /// Whether the refusal is the caller's (bad input, conflict, not allowed) rather than a
    /// failure: the access log's result `Geweigerd` against `Fout`.
    pub fn is_weigering(&self) -> bool {
        !matches!(
            self,
            DienstError::Intern(_) | DienstError::NietBeschikbaar(_)
        )
    }
}

/// The code of every value that broke its own rule (a length, a range, a closed list).
pub const ONGELDIGE_WAARDE: &str = "ongeldige_waarde";

impl From<ValueError> for DienstError {
    fn from(e: ValueError) -> Self {
        // "uren_per_week" + "moet groter dan 0 zijn": "uren per week moet groter dan 0 zijn".
        let bericht = format!("{} {}", e.veld.replace(['_', '.'], " "), e.regel);
        DienstError::invoer(e.veld, bericht)
    }
}

impl From<DomainError> for DienstError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Conflict { expected, actual } => DienstError::Conflict {
                wat: "traject",
                verwacht: expected,
                huidig: actual,
            },
            DomainError::OngeldigeWaarde(e) => DienstError::from(e),
            other => DienstError::regel(
                other.veld().unwrap_or("traject"),
                other.regel(),
                other.to_string(),
            ),
        }
    }
}

//! The one edge type that turns every failure into a GraphQL error with `extensions.code`.
//! Internal details go to the server log under a correlation id, never to the client.

use async_graphql::ErrorExtensions;
use traject_domain::DomainError;
use traject_domain::value::ValueError;

/// A failure as the API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFout {
    /// Bad input: the field and the broken rule.
    Invoer {
        /// The field.
        veld: String,
        /// The rule.
        regel: String,
    },
    /// The revision the user decided on is no longer the trajectory's.
    Conflict {
        /// What changed meanwhile: `traject`, `persoonsgegevens` or `team`.
        wat: &'static str,
        /// The revision the user sent.
        verwacht: Option<u64>,
        /// The trajectory's revision now.
        huidig: Option<u64>,
    },
    /// No valid token.
    NietIngelogd(String),
    /// Not allowed, with the rule that refused.
    Verboden(&'static str),
    /// No such object.
    NietGevonden(&'static str),
    /// Too many reads of person-level data in the last minute (the quota per user).
    TeVeel {
        /// The quota.
        per_minuut: usize,
    },
    /// The answer cannot be given completely now; try again shortly.
    NietBeschikbaar(&'static str),
    /// Something failed inside; the details are in the log under `correlatie`.
    Intern {
        /// The id to find the details by.
        correlatie: uuid::Uuid,
    },
}

impl ApiFout {
    /// The `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiFout::Invoer { .. } => "BAD_USER_INPUT",
            ApiFout::Conflict { .. } => "CONFLICT",
            ApiFout::NietIngelogd(_) => "UNAUTHENTICATED",
            ApiFout::Verboden(_) => "FORBIDDEN",
            ApiFout::NietGevonden(_) => "NOT_FOUND",
            ApiFout::TeVeel { .. } => "TOO_MANY_REQUESTS",
            ApiFout::NietBeschikbaar(_) => "UNAVAILABLE",
            ApiFout::Intern { .. } => "INTERNAL",
        }
    }

    /// An internal failure: logs `detail` under the request's correlation id and returns only
    /// the id.
    pub fn intern(detail: impl std::fmt::Display) -> Self {
        let correlatie = crate::spoor::correlatie();
        tracing::error!(%correlatie, %detail, "interne fout");
        ApiFout::Intern { correlatie }
    }

    /// Bad input in `veld`, breaking `regel`.
    pub fn invoer(veld: impl Into<String>, regel: impl Into<String>) -> Self {
        ApiFout::Invoer {
            veld: veld.into(),
            regel: regel.into(),
        }
    }
}

impl From<ValueError> for ApiFout {
    fn from(e: ValueError) -> Self {
        ApiFout::invoer(e.veld, e.regel)
    }
}

impl From<DomainError> for ApiFout {
    fn from(e: DomainError) -> Self {
        ApiFout::from(traject_dienst::DienstFout::from(e))
    }
}

impl From<traject_dienst::DienstFout> for ApiFout {
    fn from(e: traject_dienst::DienstFout) -> Self {
        use traject_dienst::DienstFout as D;
        match e {
            D::Invoer { veld, regel } => ApiFout::Invoer { veld, regel },
            D::Conflict {
                wat,
                verwacht,
                huidig,
            } => ApiFout::Conflict {
                wat,
                verwacht,
                huidig,
            },
            D::TeamGewijzigd => ApiFout::invoer(
                "coach",
                "het team is intussen gewijzigd; kies de coach opnieuw (team_gewijzigd)",
            ),
            D::Verboden(regel) => ApiFout::Verboden(regel),
            D::NietGevonden(wat) => ApiFout::NietGevonden(wat),
            D::TeVeel { per_minuut } => ApiFout::TeVeel { per_minuut },
            D::NietBeschikbaar(reden) => ApiFout::NietBeschikbaar(reden),
            D::Intern(detail) => ApiFout::intern(detail),
        }
    }
}

impl From<ApiFout> for async_graphql::Error {
    fn from(fout: ApiFout) -> Self {
        let code = fout.code();
        let bericht = match &fout {
            ApiFout::Invoer { veld, regel } => format!("{veld}: {regel}"),
            ApiFout::Conflict { wat, huidig, .. } => {
                let onderwerp = match *wat {
                    "persoonsgegevens" => "de persoonsgegevens zijn",
                    "team" => "het team is",
                    _ => "het traject is",
                };
                let soort = if *wat == "persoonsgegevens" {
                    "versie"
                } else {
                    "revisie"
                };
                match huidig {
                    Some(r) => format!(
                        "{onderwerp} intussen gewijzigd ({soort} nu {r}): haal het opnieuw op"
                    ),
                    None => format!("{onderwerp} intussen gewijzigd: haal het opnieuw op"),
                }
            }
            ApiFout::NietIngelogd(reden) => reden.clone(),
            ApiFout::Verboden(regel) => format!("geen toegang ({regel})"),
            ApiFout::NietGevonden(wat) => format!("{wat} niet gevonden"),
            ApiFout::TeVeel { per_minuut } => format!(
                "te veel inzagen: ten hoogste {per_minuut} per minuut; probeer het over een minuut opnieuw (inzagequotum)"
            ),
            ApiFout::NietBeschikbaar(reden) => {
                format!("nu niet beschikbaar ({reden}); probeer het zo opnieuw")
            }
            ApiFout::Intern { correlatie } => {
                format!("interne fout; meld correlatie-id {correlatie}")
            }
        };
        async_graphql::Error::new(bericht).extend_with(|_, e| {
            e.set("code", code);
            match &fout {
                ApiFout::Invoer { veld, regel } => {
                    e.set("veld", veld.as_str());
                    e.set("regel", regel.as_str());
                }
                ApiFout::Conflict {
                    verwacht, huidig, ..
                } => {
                    e.set("verwachteRevisie", verwacht.map(|r| r as i64));
                    e.set("huidigeRevisie", huidig.map(|r| r as i64));
                }
                ApiFout::Verboden(regel) => e.set("regel", *regel),
                ApiFout::Intern { correlatie } => e.set("correlatie", correlatie.to_string()),
                ApiFout::TeVeel { per_minuut } => {
                    e.set("regel", crate::toegangslog::QUOTUM_REGEL);
                    e.set("perMinuut", *per_minuut as u64);
                }
                ApiFout::NietIngelogd(_)
                | ApiFout::NietGevonden(_)
                | ApiFout::NietBeschikbaar(_) => {}
            }
        })
    }
}

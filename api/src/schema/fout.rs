//! The one edge type that turns every failure into a GraphQL error with `extensions.code`.
//! Internal details go to the server log under a correlation id, never to the client.
//!
//! Every error is made from typed values, never by taking a message apart: `extensions.code`
//! is the kind (`BAD_USER_INPUT`, `CONFLICT`, `FORBIDDEN`, ...), which is what a client branches
//! on; `extensions.regel` the stable code of the rule that refused (`datum_voor_begin`,
//! `coach-eigen-client`); `extensions.veld` the input as the request named it
//! (`wijziging.datum`, `plaatsing.urenPerWeek`), absent when the refusal is about the
//! trajectory as a whole; the message says it in plain Dutch, without codes.

use async_graphql::ErrorExtensions;
use traject_domain::DomainError;
use traject_domain::value::ValueError;

/// A failure as the API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// Bad input: the field, the broken rule and the message.
    Invoer {
        /// The input as the request named it (`wijziging.datum`); `None` when the refusal is
        /// about the trajectory as a whole.
        veld: Option<String>,
        /// The stable code of the rule.
        regel: &'static str,
        /// The refusal in plain Dutch.
        bericht: String,
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
    /// Something failed inside; the details are in the log under `correlation`.
    Intern {
        /// The id to find the details by.
        correlatie: uuid::Uuid,
    },
}

impl ApiError {
    /// The `extensions.code`.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Invoer { .. } => "BAD_USER_INPUT",
            ApiError::Conflict { .. } => "CONFLICT",
            ApiError::NietIngelogd(_) => "UNAUTHENTICATED",
            ApiError::Verboden(_) => "FORBIDDEN",
            ApiError::NietGevonden(_) => "NOT_FOUND",
            ApiError::TeVeel { .. } => "TOO_MANY_REQUESTS",
            ApiError::NietBeschikbaar(_) => "UNAVAILABLE",
            ApiError::Intern { .. } => "INTERNAL",
        }
    }

    /// An internal failure: logs `detail` under the request's correlation id and returns only
    /// the id.
    pub fn intern(detail: impl std::fmt::Display) -> Self {
        let correlatie = crate::spoor::correlatie();
        tracing::error!(correlation = %correlatie, %detail, "internal error");
        ApiError::Intern { correlatie }
    }

    /// A value of the input `veld` (named as the request names it) that broke its own rule,
    /// said in words after the field's name (`"moet 1 tot en met 200 zijn"`); rule
    /// `ongeldige_waarde`.
    pub fn invoer(veld: impl Into<String>, regel: impl std::fmt::Display) -> Self {
        let veld = veld.into();
        let bericht = format!("{veld} {regel}");
        Self::regel(veld, traject_dienst::fout::ONGELDIGE_WAARDE, bericht)
    }

    /// Bad input in the input `veld` (named as the request names it), refused by the rule
    /// `regel`, said in `bericht`.
    pub fn regel(veld: impl Into<String>, regel: &'static str, bericht: impl Into<String>) -> Self {
        ApiError::Invoer {
            veld: Some(veld.into()),
            regel,
            bericht: bericht.into(),
        }
    }

    /// Names the field of bad input as the request named it: `namen` pairs the application
    /// layer's field names (`datum`, `plaatsing_id`) with the inputs of one field (`wijziging.datum`,
    /// `plaatsingId`). A name not in `namen` is written in the API's camelCase.
    #[must_use]
    pub fn met_invoernamen(self, namen: &[(&str, &str)]) -> Self {
        match self {
            ApiError::Invoer {
                veld: Some(veld),
                regel,
                bericht,
            } => ApiError::Invoer {
                veld: invoernaam(&veld, namen),
                regel,
                bericht,
            },
            other => other,
        }
    }
}

/// The input named `veld` by the application layer, as `namen` calls it; `None` for the
/// trajectory as a whole. Names not in `namen` stay as they are until the error is sent
/// ([`camel`]).
fn invoernaam(veld: &str, namen: &[(&str, &str)]) -> Option<String> {
    if let Some((_, naam)) = namen.iter().find(|(domein, _)| *domein == veld) {
        return Some((*naam).to_owned());
    }
    (veld != "traject").then(|| veld.to_owned())
}

/// A field name in the API's camelCase: `uren_per_week` as `urenPerWeek`.
fn camel(veld: &str) -> String {
    let mut uit = String::with_capacity(veld.len());
    let mut hoofdletter = false;
    for c in veld.chars() {
        if c == '_' {
            hoofdletter = true;
        } else if hoofdletter {
            uit.extend(c.to_uppercase());
            hoofdletter = false;
        } else {
            uit.push(c);
        }
    }
    uit
}

impl From<ValueError> for ApiError {
    fn from(e: ValueError) -> Self {
        ApiError::from(traject_dienst::DienstError::from(e))
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::from(traject_dienst::DienstError::from(e))
    }
}

impl From<traject_dienst::DienstError> for ApiError {
    fn from(e: traject_dienst::DienstError) -> Self {
        use traject_dienst::DienstError as D;
        match e {
            D::Invoer {
                veld,
                regel,
                bericht,
            } => ApiError::Invoer {
                veld: invoernaam(&veld, &[]),
                regel,
                bericht,
            },
            D::Conflict {
                wat,
                verwacht,
                huidig,
            } => ApiError::Conflict {
                wat,
                verwacht,
                huidig,
            },
            D::TeamGewijzigd => ApiError::from(D::team_gewijzigd()),
            D::Verboden(regel) => ApiError::Verboden(regel),
            D::NietGevonden(wat) => ApiError::NietGevonden(wat),
            D::TeVeel { per_minuut } => ApiError::TeVeel { per_minuut },
            D::NietBeschikbaar(reden) => ApiError::NietBeschikbaar(reden),
            D::Intern(detail) => ApiError::intern(detail),
        }
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(fout: ApiError) -> Self {
        let code = fout.code();
        let bericht = match &fout {
            ApiError::Invoer { bericht, .. } => bericht.clone(),
            ApiError::Conflict { wat, huidig, .. } => {
                let onderwerp = match *wat {
                    "persoonsgegevens" => "de persoonsgegevens zijn",
                    "team" => "het team is",
                    "vrijgave" => "de vrijgaven zijn",
                    _ => "het traject is",
                };
                let soort = match *wat {
                    "persoonsgegevens" => "versie",
                    "vrijgave" => "laatste vrijgave",
                    _ => "revisie",
                };
                match huidig {
                    Some(r) => format!(
                        "{onderwerp} intussen gewijzigd ({soort} nu {r}): haal het opnieuw op"
                    ),
                    None => format!("{onderwerp} intussen gewijzigd: haal het opnieuw op"),
                }
            }
            ApiError::NietIngelogd(reden) => reden.clone(),
            ApiError::Verboden(regel) => {
                format!("geen toegang: {}", traject_dienst::toegang::uitleg(regel))
            }
            ApiError::NietGevonden(wat) => format!("{wat} niet gevonden"),
            ApiError::TeVeel { per_minuut } => format!(
                "te veel inzagen: ten hoogste {per_minuut} per minuut; probeer het over een minuut opnieuw"
            ),
            ApiError::NietBeschikbaar(reden) => {
                format!("nu niet beschikbaar: {reden}; probeer het zo opnieuw")
            }
            ApiError::Intern { correlatie } => {
                format!("interne fout; meld correlatie-id {correlatie}")
            }
        };
        async_graphql::Error::new(bericht).extend_with(|_, e| {
            e.set("code", code);
            match &fout {
                ApiError::Invoer { veld, regel, .. } => {
                    if let Some(veld) = veld {
                        e.set("veld", camel(veld));
                    }
                    e.set("regel", *regel);
                }
                ApiError::Conflict {
                    wat,
                    verwacht,
                    huidig,
                } => {
                    // The rule, as for every refusal: what the sent revision no longer was.
                    e.set(
                        "regel",
                        match *wat {
                            "persoonsgegevens" => "versie_verouderd",
                            "team" => "teamrevisie_verouderd",
                            "vrijgave" => "vrijgave_intussen_gemaakt",
                            _ => "revisie_verouderd",
                        },
                    );
                    e.set("verwachteRevisie", verwacht.map(|r| r as i64));
                    e.set("huidigeRevisie", huidig.map(|r| r as i64));
                }
                ApiError::Verboden(regel) => e.set("regel", *regel),
                ApiError::Intern { correlatie } => e.set("correlatie", correlatie.to_string()),
                ApiError::TeVeel { per_minuut } => {
                    e.set("regel", crate::toegangslog::QUOTUM_REGEL);
                    e.set("perMinuut", *per_minuut as u64);
                }
                ApiError::NietIngelogd(_)
                | ApiError::NietGevonden(_)
                | ApiError::NietBeschikbaar(_) => {}
            }
        })
    }
}

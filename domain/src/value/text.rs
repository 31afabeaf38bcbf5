//! Short texts and identifiers: coach and organisation ids, employer names and job titles.
//!
//! These are the only texts events may carry. None of them is free text about a client.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::ValueError;

fn parse_identifier(veld: &'static str, text: &str) -> Result<String, ValueError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 64 {
        return Err(ValueError::new(veld, "moet 1 tot 64 tekens lang zijn"));
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':'))
    {
        return Err(ValueError::new(
            veld,
            "mag alleen letters, cijfers en . _ - : bevatten",
        ));
    }
    Ok(text.to_owned())
}

fn parse_label(veld: &'static str, text: &str) -> Result<String, ValueError> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 120 {
        return Err(ValueError::new(veld, "moet 1 tot 120 tekens lang zijn"));
    }
    if text.chars().any(|c| c.is_control() || onzichtbaar(c)) {
        return Err(ValueError::new(
            veld,
            "mag geen regeleinden, stuurtekens of onzichtbare tekens bevatten",
        ));
    }
    Ok(text.to_owned())
}

/// Invisible formatting characters (zero-width, direction overrides, the byte order mark): they
/// make two names that look alike differ, or show a name reversed. Employer names, job titles
/// and token claims with one are refused; stored values were checked against this set, so it
/// does not grow (names leave out the wider [`genegeerd`] set instead).
pub fn onzichtbaar(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Unicode's default-ignorable code points, and the format controls of scripts: zero-width
/// spaces and joiners, direction marks and overrides, the byte order mark, variation selectors,
/// tags, filler letters. A text shows the same without them.
pub fn genegeerd(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// The invisible characters a name is written without: every [`genegeerd`] one but the
/// zero-width non-joiner and joiner, which belong to the spelling of names in Persian, Kurdish
/// and the scripts of India.
pub fn uit_naam(c: char) -> bool {
    genegeerd(c) && !matches!(c, '\u{200C}' | '\u{200D}')
}

macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident, $veld:literal, $parser:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The field name in the event catalogue.
            pub const VELD: &'static str = $veld;

            /// Parses and normalises (trims) the text.
            pub fn parse(text: &str) -> Result<Self, ValueError> {
                $parser(Self::VELD, text).map(Self)
            }

            /// The text itself.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(text: String) -> Result<Self, ValueError> {
                Self::parse(&text)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl FromStr for $name {
            type Err = ValueError;
            fn from_str(text: &str) -> Result<Self, ValueError> {
                Self::parse(text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_value!(
    /// The user id of a coach, as the identity provider gives it (1 to 64 of `A-Z a-z 0-9 . _ - :`;
    /// no `@`, so that an e-mail address cannot serve as an id).
    CoachId,
    "coach",
    parse_identifier
);
text_value!(
    /// The id of an organisation (GGZ provider, gemeente, UWV office, re-integration company).
    OrganisatieId,
    "organisatie",
    parse_identifier
);
text_value!(
    /// The name of an employer organisation: 1 to 120 characters on one line.
    Werkgever,
    "werkgever",
    parse_label
);
text_value!(
    /// A job title: 1 to 120 characters on one line.
    Functie,
    "functie",
    parse_label
);

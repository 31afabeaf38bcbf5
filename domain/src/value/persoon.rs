//! A client's personal data: name, date of birth, contact details and an optional BSN.
//!
//! These values never appear in events. They live encrypted in the vault, and only the API
//! decrypts them for users who may see the client. Their `Debug` shows no content, so that a
//! stray `{:?}` cannot put them in a log; errors name the field and the rule, never the input.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ValueError, genegeerd, uit_naam};

/// Everything the vault keeps of one person.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Persoonsgegevens {
    /// The full name as the client uses it.
    pub naam: Naam,
    /// The date of birth.
    pub geboortedatum: Geboortedatum,
    /// A phone number, if known.
    #[serde(default)]
    pub telefoon: Option<Telefoon>,
    /// An e-mail address, if known.
    #[serde(default)]
    pub email: Option<Email>,
    /// The BSN, only where a legal basis exists.
    #[serde(default)]
    pub bsn: Option<Bsn>,
}

impl fmt::Debug for Persoonsgegevens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Persoonsgegevens { .. }")
    }
}

macro_rules! personal_value {
    ($(#[$doc:meta])* $name:ident, $veld:literal, $parser:ident) => {
        personal_value!($(#[$doc])* $name, $veld, $parser, $parser);
    };
    // `$lezer` reads a stored value: as `$parser`, or more leniently where the rule grew stricter
    // after values were stored.
    ($(#[$doc:meta])* $name:ident, $veld:literal, $parser:ident, $lezer:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The field's name.
            pub const VELD: &'static str = $veld;

            /// Parses and normalises the text.
            pub fn parse(text: &str) -> Result<Self, ValueError> {
                $parser(text).map(Self).map_err(|regel| ValueError::new(Self::VELD, regel))
            }

            /// The value itself.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(text: String) -> Result<Self, ValueError> {
                $lezer(&text)
                    .map(Self)
                    .map_err(|regel| ValueError::new(Self::VELD, regel))
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(***)"))
            }
        }
    };
}

personal_value!(
    /// A name: 1 to 200 characters on one line, spaces inside collapsed.
    Naam,
    "naam",
    parse_naam,
    lees_naam
);
personal_value!(
    /// A phone number: 10 to 15 digits, written with optional `+`, spaces, `-` and parentheses;
    /// kept as written, trimmed.
    Telefoon,
    "telefoon",
    parse_telefoon
);
personal_value!(
    /// An e-mail address: one `@`, something before it, a domain with a dot after it, no spaces,
    /// at most 254 characters; the domain in lower case.
    Email,
    "email",
    parse_email
);
personal_value!(
    /// A burgerservicenummer: 9 digits (8 with a leading zero added) passing the elfproef.
    Bsn,
    "bsn",
    parse_bsn
);

/// A name as written, with spaces collapsed and invisible formatting characters left out (a
/// soft hyphen or zero-width space pasted from a document would make the name unfindable, a
/// direction override would show it reversed; [`uit_naam`]).
fn parse_naam(text: &str) -> Result<String, &'static str> {
    let zichtbaar: String = text.chars().filter(|c| !uit_naam(*c)).collect();
    let naam = zichtbaar.split_whitespace().collect::<Vec<_>>().join(" ");
    // A name of nothing visible (only joiners kept above) is no name.
    if naam.chars().all(|c| genegeerd(c) || c == ' ') || naam.chars().count() > 200 {
        return Err("moet 1 tot 200 tekens lang zijn");
    }
    if naam.chars().any(char::is_control) {
        return Err("mag geen stuurtekens bevatten");
    }
    Ok(naam)
}

/// A stored name: as [`parse_naam`] reads it, or, for a name stored before invisible characters
/// were left out that holds nothing else, as it was stored then (a record that no longer reads
/// would stop the vault from opening).
fn lees_naam(text: &str) -> Result<String, &'static str> {
    parse_naam(text).or_else(|fout| {
        let naam = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let vroeger =
            !naam.is_empty() && naam.chars().count() <= 200 && !naam.chars().any(char::is_control);
        if vroeger { Ok(naam) } else { Err(fout) }
    })
}

fn parse_telefoon(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    if !text.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0)
    }) {
        return Err("mag alleen cijfers, spaties, - ( ) en een + vooraan bevatten");
    }
    let cijfers = text.chars().filter(char::is_ascii_digit).count();
    if !(10..=15).contains(&cijfers) {
        return Err("moet 10 tot 15 cijfers hebben");
    }
    Ok(text.to_owned())
}

fn parse_email(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    if text.len() > 254 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("moet een e-mailadres zonder spaties van hoogstens 254 tekens zijn");
    }
    let Some((lokaal, domein)) = text.split_once('@') else {
        return Err("moet precies een @ bevatten");
    };
    if lokaal.is_empty() || domein.contains('@') {
        return Err("moet precies een @ met iets ervoor bevatten");
    }
    let delen: Vec<&str> = domein.split('.').collect();
    if delen.len() < 2 || delen.iter().any(|d| d.is_empty()) {
        return Err("moet na de @ een domein met een punt hebben");
    }
    Ok(format!("{lokaal}@{}", domein.to_lowercase()))
}

fn parse_bsn(text: &str) -> Result<String, &'static str> {
    let text: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.'))
        .collect();
    if !text.chars().all(|c| c.is_ascii_digit()) || !(8..=9).contains(&text.len()) {
        return Err("moet uit 9 cijfers bestaan");
    }
    let bsn = format!("{text:0>9}");
    if !elfproef(&bsn) {
        return Err("voldoet niet aan de elfproef");
    }
    Ok(bsn)
}

/// The elfproef of the BSN: 9·d1 + 8·d2 + ... + 2·d8 − 1·d9 is a multiple of 11 (and not 0,
/// which only 000000000 gives).
pub fn elfproef(bsn: &str) -> bool {
    let cijfers: Vec<i64> = bsn.bytes().map(|b| i64::from(b - b'0')).collect();
    if cijfers.len() != 9 {
        return false;
    }
    let som: i64 = cijfers[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(c, w)| c * w)
        .sum::<i64>()
        - cijfers[8];
    som != 0 && som % 11 == 0
}

/// A date of birth: from 1900-01-01 up to the day it is recorded.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Geboortedatum(NaiveDate);

impl Geboortedatum {
    /// The field's name.
    pub const VELD: &'static str = "geboortedatum";

    /// Parses `YYYY-MM-DD`, which must lie between 1900-01-01 and `vandaag`.
    pub fn parse(text: &str, vandaag: NaiveDate) -> Result<Self, ValueError> {
        let datum = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| ValueError::new(Self::VELD, "moet een datum JJJJ-MM-DD zijn"))?;
        Self::new(datum, vandaag)
    }

    /// Checks a date that is already one.
    pub fn new(datum: NaiveDate, vandaag: NaiveDate) -> Result<Self, ValueError> {
        let vroegst = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date");
        if datum < vroegst || datum > vandaag {
            return Err(ValueError::new(
                Self::VELD,
                "moet tussen 1900-01-01 en vandaag liggen",
            ));
        }
        Ok(Self(datum))
    }

    pub fn date(&self) -> NaiveDate {
        self.0
    }
}

impl fmt::Debug for Geboortedatum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Geboortedatum(***)")
    }
}

//! The domain date of an event: the day it happened, within the bounds traject accepts.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ValueError;

/// A calendar day from 2000-01-01 up to and including 2100-12-31.
///
/// Whether a date lies in the future depends on "today", which the domain is given, never reads:
/// that rule is checked when a command is decided, not here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "String")]
pub struct Datum(NaiveDate);

impl Datum {
    /// The field name a date is reported under unless the caller says otherwise.
    pub const VELD: &'static str = "datum";

    /// The earliest date traject accepts.
    pub const MIN: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
    /// The latest date traject accepts.
    pub const MAX: NaiveDate = NaiveDate::from_ymd_opt(2100, 12, 31).expect("valid date");

    /// Accepts a date within [`Datum::MIN`]..=[`Datum::MAX`].
    pub fn new(date: NaiveDate) -> Result<Self, ValueError> {
        if (Self::MIN..=Self::MAX).contains(&date) {
            Ok(Self(date))
        } else {
            Err(ValueError::new(
                Self::VELD,
                "moet tussen 2000-01-01 en 2100-12-31 liggen",
            ))
        }
    }

    /// Parses an ISO 8601 calendar date (`YYYY-MM-DD`).
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let text = text.trim();
        // Every stored date has exactly this form; reading it by hand keeps replay fast.
        let date = match text.as_bytes() {
            &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2]
                if [y1, y2, y3, y4, m1, m2, d1, d2]
                    .iter()
                    .all(u8::is_ascii_digit) =>
            {
                let digits = |bytes: &[u8]| {
                    bytes
                        .iter()
                        .fold(0u32, |value, b| value * 10 + u32::from(b - b'0'))
                };
                NaiveDate::from_ymd_opt(
                    digits(&[y1, y2, y3, y4]) as i32,
                    digits(&[m1, m2]),
                    digits(&[d1, d2]),
                )
            }
            _ => NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
        }
        .ok_or_else(|| ValueError::new(Self::VELD, "moet een datum zijn als JJJJ-MM-DD"))?;
        Self::new(date)
    }

    /// The calendar day.
    pub fn date(&self) -> NaiveDate {
        self.0
    }
}

impl TryFrom<String> for Datum {
    type Error = ValueError;
    fn try_from(text: String) -> Result<Self, ValueError> {
        Self::parse(&text)
    }
}

impl From<Datum> for String {
    fn from(datum: Datum) -> String {
        datum.to_string()
    }
}

impl From<Datum> for NaiveDate {
    fn from(datum: Datum) -> NaiveDate {
        datum.0
    }
}

impl FromStr for Datum {
    type Err = ValueError;
    fn from_str(text: &str) -> Result<Self, ValueError> {
        Self::parse(text)
    }
}

impl fmt::Display for Datum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month(),
            self.0.day()
        )
    }
}

impl<'de> Deserialize<'de> for Datum {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Datum;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("een datum als JJJJ-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Datum, E> {
                Datum::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

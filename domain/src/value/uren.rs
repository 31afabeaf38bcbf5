//! Working hours per week of a placement.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ValueError;

/// Contractual hours per week: more than 0 and at most 60 (the legal weekly maximum), in whole
/// minutes. Kept as minutes so that comparisons such as "at least 12 hours" are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct UrenPerWeek {
    minuten: u16,
}

impl UrenPerWeek {
    /// The field name in the event catalogue.
    pub const VELD: &'static str = "uren_per_week";
    const MAX_MINUTEN: u16 = 60 * 60;

    /// Hours per week given as a number of hours, for example `11.5`.
    pub fn from_hours(hours: f64) -> Result<Self, ValueError> {
        if !hours.is_finite() || hours <= 0.0 {
            return Err(ValueError::new(Self::VELD, "moet groter dan 0 zijn"));
        }
        if hours > 60.0 {
            return Err(ValueError::new(Self::VELD, "mag niet meer dan 60 zijn"));
        }
        let minutes = hours * 60.0;
        if (minutes - minutes.round()).abs() > 1e-6 {
            return Err(ValueError::new(
                Self::VELD,
                "moet in hele minuten uit te drukken zijn",
            ));
        }
        Self::from_minutes(minutes.round() as u16)
    }

    /// Hours per week given in minutes.
    pub fn from_minutes(minuten: u16) -> Result<Self, ValueError> {
        match minuten {
            0 => Err(ValueError::new(Self::VELD, "moet groter dan 0 zijn")),
            m if m > Self::MAX_MINUTEN => {
                Err(ValueError::new(Self::VELD, "mag niet meer dan 60 zijn"))
            }
            m => Ok(Self { minuten: m }),
        }
    }

    /// The hours as a number, for display and JSON.
    pub fn hours(&self) -> f64 {
        f64::from(self.minuten) / 60.0
    }

    /// The hours in whole minutes.
    pub fn minutes(&self) -> u16 {
        self.minuten
    }
}

impl TryFrom<f64> for UrenPerWeek {
    type Error = ValueError;
    fn try_from(hours: f64) -> Result<Self, ValueError> {
        Self::from_hours(hours)
    }
}

impl From<UrenPerWeek> for f64 {
    fn from(uren: UrenPerWeek) -> f64 {
        uren.hours()
    }
}

impl fmt::Display for UrenPerWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.hours())
    }
}

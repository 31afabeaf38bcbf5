//! The duurzaam policy: the versioned thresholds that decide when a placement is sustainable.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::event::PlaatsingGestart;
use crate::value::{UrenPerWeek, ValueError};

/// When a placement qualifies and how long qualifying work must last. Every figure and export
/// states the [`versie`](DuurzaamBeleid::versie) it used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuurzaamBeleid {
    versie: String,
    min_uren_per_week: UrenPerWeek,
    maanden: u32,
    max_onderbreking_dagen: u32,
}

impl Default for DuurzaamBeleid {
    /// The default policy of product.md: paid, regular, at least 12 hours a week, 6 calendar
    /// months without interruption, job-to-job gaps of at most 28 days allowed.
    fn default() -> Self {
        Self {
            versie: "duurzaam-v1".to_owned(),
            min_uren_per_week: UrenPerWeek::from_minutes(12 * 60).expect("12 hours is valid"),
            maanden: 6,
            max_onderbreking_dagen: 28,
        }
    }
}

impl DuurzaamBeleid {
    /// A policy with other thresholds. It needs its own version name, 1 to 60 months and a gap
    /// of at most 365 days.
    pub fn new(
        versie: &str,
        min_uren_per_week: UrenPerWeek,
        maanden: u32,
        max_onderbreking_dagen: u32,
    ) -> Result<Self, ValueError> {
        let versie = versie.trim();
        if versie.is_empty() || versie.len() > 40 {
            return Err(ValueError::new("versie", "moet 1 tot 40 tekens lang zijn"));
        }
        if !(1..=60).contains(&maanden) {
            return Err(ValueError::new("maanden", "moet 1 tot en met 60 zijn"));
        }
        if max_onderbreking_dagen > 365 {
            return Err(ValueError::new(
                "max_onderbreking_dagen",
                "mag niet meer dan 365 zijn",
            ));
        }
        Ok(Self {
            versie: versie.to_owned(),
            min_uren_per_week,
            maanden,
            max_onderbreking_dagen,
        })
    }

    /// The policy's version name, stated with every figure computed under it.
    pub fn versie(&self) -> &str {
        &self.versie
    }

    /// The minimum contractual hours per week of a qualifying placement.
    pub fn min_uren_per_week(&self) -> UrenPerWeek {
        self.min_uren_per_week
    }

    /// How many calendar months of uninterrupted qualifying work make duurzaam.
    pub fn maanden(&self) -> u32 {
        self.maanden
    }

    /// The longest job-to-job gap, in days without qualifying work, that does not interrupt.
    pub fn max_onderbreking_dagen(&self) -> u32 {
        self.max_onderbreking_dagen
    }

    /// Whether a placement qualifies: paid, regular and at least the minimum hours.
    pub fn kwalificeert(&self, plaatsing: &PlaatsingGestart) -> bool {
        plaatsing.betaald && plaatsing.regulier && plaatsing.uren_per_week >= self.min_uren_per_week
    }

    /// The last day of the period of [`maanden`](Self::maanden) calendar months that begins on
    /// `start`: the day before the same day of the month that many months later, or, where that
    /// month has no such day, its last day (31 August + 6 months ends on the last day of
    /// February).
    pub fn einde_periode(&self, start: NaiveDate) -> NaiveDate {
        let later = start
            .checked_add_months(Months::new(self.maanden))
            .expect("dates are bounded well below chrono's limits");
        if later.day() == start.day() {
            later.pred_opt().expect("bounded date")
        } else {
            later
        }
    }
}

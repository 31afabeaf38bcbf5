//! The duurzaam policy: the versioned thresholds that decide when work is sustainable.
//!
//! Two versions are built in. `duurzaam-v1` counts a day as qualifying work when one paid,
//! regular placement of at least 12 hours a week runs on it; `duurzaam-v2` (the default) adds up
//! the hours of every paid, regular placement running that day, so two jobs of 8 hours count
//! as 16 (the 12-hour threshold is about the person's work, not one contract). Both follow
//! changes of hours (`UrenGewijzigd`) from their date on. v1 stays so that figures made under it
//! can be made again.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::traject::Plaatsing;
use crate::value::{UrenPerWeek, ValueError};

/// How the hours of placements that run on the same day are weighed against the minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Telwijze {
    /// One placement must reach the minimum on its own (policy v1).
    #[default]
    PerPlaatsing,
    /// The hours of all concurrent paid, regular placements are added up (policy v2).
    Opgeteld,
}

/// When a placement qualifies and how long qualifying work must last. Every figure and export
/// states the [`versie`](DuurzaamBeleid::versie) it used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuurzaamBeleid {
    versie: String,
    min_uren_per_week: UrenPerWeek,
    maanden: u32,
    max_onderbreking_dagen: u32,
    /// Snapshots written before v2 existed have no such field: they were made under v1.
    #[serde(default)]
    telwijze: Telwijze,
}

impl Default for DuurzaamBeleid {
    /// Policy v2: see [`DuurzaamBeleid::v2`].
    fn default() -> Self {
        Self::v2()
    }
}

impl DuurzaamBeleid {
    /// The version names of the built-in policies, the default first.
    pub const VERSIES: [&'static str; 2] = ["duurzaam-v2", "duurzaam-v1"];

    /// Policy v1 of product.md: a paid, regular placement of at least 12 hours a week, 6
    /// calendar months without interruption, job-to-job gaps of at most 28 days allowed.
    pub fn v1() -> Self {
        Self {
            versie: "duurzaam-v1".to_owned(),
            min_uren_per_week: UrenPerWeek::from_minutes(12 * 60).expect("12 hours is valid"),
            maanden: 6,
            max_onderbreking_dagen: 28,
            telwijze: Telwijze::PerPlaatsing,
        }
    }

    /// Policy v2: as v1, but the hours of concurrent paid, regular placements are added up.
    pub fn v2() -> Self {
        Self {
            versie: "duurzaam-v2".to_owned(),
            telwijze: Telwijze::Opgeteld,
            ..Self::v1()
        }
    }

    /// A built-in policy by its version name (`duurzaam-v1` or `duurzaam-v2`).
    pub fn versie_van(naam: &str) -> Result<Self, ValueError> {
        match naam.trim() {
            "duurzaam-v1" => Ok(Self::v1()),
            "duurzaam-v2" => Ok(Self::v2()),
            _ => Err(ValueError::new(
                "duurzaam_beleid",
                "moet duurzaam-v2 of duurzaam-v1 zijn",
            )),
        }
    }

    /// A policy with other thresholds. It needs its own version name, 1 to 60 months and a gap
    /// of at most 365 days.
    pub fn new(
        versie: &str,
        min_uren_per_week: UrenPerWeek,
        maanden: u32,
        max_onderbreking_dagen: u32,
        telwijze: Telwijze,
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
            telwijze,
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

    /// How concurrent placements are weighed.
    pub fn telwijze(&self) -> Telwijze {
        self.telwijze
    }

    /// Whether a placement counts towards qualifying work on some day: paid and regular, and
    /// under v1 at least the minimum hours on some day of it (up to and including `tot`).
    pub fn telt_mee(&self, plaatsing: &Plaatsing, tot: NaiveDate) -> bool {
        plaatsing.gestart.betaald
            && plaatsing.gestart.regulier
            && match self.telwijze {
                Telwijze::Opgeteld => true,
                Telwijze::PerPlaatsing => plaatsing
                    .urenperiodes(tot)
                    .iter()
                    .any(|&(_, _, uren)| uren >= self.min_uren_per_week),
            }
    }

    /// The stretches of qualifying work up to and including `tot`: `(first day, last day)`,
    /// sorted, possibly overlapping or adjacent (v1: one per placement period with enough hours;
    /// v2: the days on which the hours of the paid, regular placements add up to the minimum).
    pub fn kwalificerend_werk(
        &self,
        plaatsingen: &[Plaatsing],
        tot: NaiveDate,
    ) -> Vec<(NaiveDate, NaiveDate)> {
        let periodes = plaatsingen
            .iter()
            .filter(|p| p.gestart.betaald && p.gestart.regulier)
            .flat_map(|p| p.urenperiodes(tot));
        let mut werk = match self.telwijze {
            Telwijze::PerPlaatsing => periodes
                .filter(|&(_, _, uren)| uren >= self.min_uren_per_week)
                .map(|(van, tot, _)| (van, tot))
                .collect(),
            Telwijze::Opgeteld => {
                // A sweep over the days on which the sum changes.
                let mut grenzen: Vec<(NaiveDate, i32)> = Vec::new();
                for (van, tot, uren) in periodes {
                    let minuten = i32::from(uren.minutes());
                    grenzen.push((van, minuten));
                    grenzen.push((tot.succ_opt().expect("bounded date"), -minuten));
                }
                grenzen.sort();
                let drempel = i32::from(self.min_uren_per_week.minutes());
                let mut werk = Vec::new();
                let mut som = 0;
                let mut sinds: Option<NaiveDate> = None;
                let mut i = 0;
                while i < grenzen.len() {
                    let dag = grenzen[i].0;
                    while i < grenzen.len() && grenzen[i].0 == dag {
                        som += grenzen[i].1;
                        i += 1;
                    }
                    match (sinds, som >= drempel) {
                        (None, true) => sinds = Some(dag),
                        (Some(van), false) => {
                            werk.push((van, dag.pred_opt().expect("bounded date")));
                            sinds = None;
                        }
                        _ => {}
                    }
                }
                werk
            }
        };
        werk.sort();
        werk
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

//! A calendar date as an output field: the schema's `NaiveDate` scalar, written without chrono's
//! format-string machinery.
//!
//! The engine writes a `NaiveDate` through `format("%Y-%m-%d")`, which parses the format string
//! again for every value, and a caseload row has several dates. [`Datum`] writes the same text
//! directly; every output date of the schema uses it. The schema sees chrono's
//! own `NaiveDate` scalar; input stays `NaiveDate`.

use std::borrow::Cow;

use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerResult, Value};
use chrono::{Datelike, NaiveDate};

/// A date answered as the `NaiveDate` scalar (`2026-11-23`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Datum(pub NaiveDate);

impl From<NaiveDate> for Datum {
    fn from(d: NaiveDate) -> Self {
        Self(d)
    }
}

impl Datum {
    /// The date as ISO 8601 text, exactly as chrono's `%Y-%m-%d` writes it.
    pub fn tekst(&self) -> String {
        match self.schrijf(&mut [0; 10]) {
            Some(tekst) => tekst.to_owned(),
            // Outside four digits chrono adds a sign; leave those rare years to chrono.
            None => self.0.format("%Y-%m-%d").to_string(),
        }
    }

    /// [`Self::tekst`] written into `buf`, for a year of four digits (else `None`).
    pub fn schrijf<'b>(&self, buf: &'b mut [u8; 10]) -> Option<&'b str> {
        let jaar = self.0.year();
        if !(0..=9999).contains(&jaar) {
            return None;
        }
        let mut i = 0;
        for (getal, cijfers) in [(jaar as u32, 4), (self.0.month(), 2), (self.0.day(), 2)] {
            if i > 0 {
                buf[i] = b'-';
                i += 1;
            }
            for macht in (0..cijfers).rev() {
                buf[i] = b'0' + ((getal / 10u32.pow(macht)) % 10) as u8;
                i += 1;
            }
        }
        std::str::from_utf8(&buf[..]).ok()
    }
}

impl OutputType for Datum {
    fn type_name() -> Cow<'static, str> {
        <NaiveDate as OutputType>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <NaiveDate as OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        _ctx: &ContextSelectionSet<'_>,
        _field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        Ok(Value::String(self.tekst()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_what_chrono_writes() {
        let mut datums: Vec<NaiveDate> = Vec::new();
        // Every day of four years around now, and the edges of four digits and beyond.
        let mut d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        while d < NaiveDate::from_ymd_opt(2028, 1, 1).unwrap() {
            datums.push(d);
            d = d.succ_opt().unwrap();
        }
        for (j, m, dag) in [
            (0, 1, 1),
            (1, 2, 3),
            (999, 12, 31),
            (1000, 1, 1),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
            (-10000, 1, 1),
        ] {
            datums.push(NaiveDate::from_ymd_opt(j, m, dag).unwrap());
        }
        datums.extend([NaiveDate::MIN, NaiveDate::MAX]);
        for d in datums {
            assert_eq!(Datum(d).tekst(), d.format("%Y-%m-%d").to_string(), "{d:?}");
        }
    }
}

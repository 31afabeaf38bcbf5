//! Input values the resolver checks itself: a date, and a revision or version, as the request
//! sent them.
//!
//! The engine refuses a value of a scalar's wrong form (a date `2026-13-01`, a revision `-1`)
//! before any resolver runs, in its own English words and without the field or the rule. A
//! [`DatumInvoer`] or [`RevisieInvoer`] takes every value the engine's validation lets through
//! and keeps what it could read; the resolver refuses the rest like any other bad input:
//! `extensions.veld` the input as sent, `regel` `ongeldige_waarde`, the message in Dutch, and
//! nothing written. The schema's types stay chrono's `NaiveDate` and `Int`.

use std::borrow::Cow;

use async_graphql::registry::Registry;
use async_graphql::{InputType, InputValueResult, Value};
use chrono::NaiveDate;
use traject_domain::value::ValueError;

/// A date as the request sent it: the schema's `NaiveDate` (`2026-03-02`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatumInvoer(Option<NaiveDate>);

impl DatumInvoer {
    /// The date, or the refusal of the input `veld` (as the mutation's names call it) when the
    /// request's value is no date.
    pub fn datum(&self, veld: &'static str) -> Result<NaiveDate, ValueError> {
        self.0.ok_or_else(|| {
            ValueError::new(
                veld,
                "moet een bestaande datum zijn, geschreven als jaar-maand-dag (2026-03-02)",
            )
        })
    }
}

impl From<NaiveDate> for DatumInvoer {
    fn from(d: NaiveDate) -> Self {
        Self(Some(d))
    }
}

impl InputType for DatumInvoer {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        <NaiveDate as InputType>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <NaiveDate as InputType>::create_type_info(registry)
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        Ok(Self(match value {
            Some(Value::String(tekst)) => tekst.parse().ok(),
            _ => None,
        }))
    }

    fn to_value(&self) -> Value {
        self.0.map_or(Value::Null, |d| {
            Value::String(d.format("%Y-%m-%d").to_string())
        })
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }
}

/// A revision or version as the request sent it: the schema's `Int`, at least 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RevisieInvoer(Option<u64>);

impl RevisieInvoer {
    /// The revision, or the refusal of the input `veld` when the request's value is negative or
    /// no whole number.
    pub fn revisie(&self, veld: &'static str) -> Result<u64, ValueError> {
        self.0
            .ok_or_else(|| ValueError::new(veld, "moet een geheel getal van 0 of meer zijn"))
    }
}

impl From<u64> for RevisieInvoer {
    fn from(r: u64) -> Self {
        Self(Some(r))
    }
}

impl InputType for RevisieInvoer {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        <i64 as InputType>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <i64 as InputType>::create_type_info(registry)
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        Ok(Self(match value {
            Some(Value::Number(n)) => n.as_u64(),
            _ => None,
        }))
    }

    fn to_value(&self) -> Value {
        self.0.map_or(Value::Null, |r| Value::Number(r.into()))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_of_the_wrong_form_is_kept_for_the_resolver_to_refuse() {
        let datum = |v: Value| DatumInvoer::parse(Some(v)).expect("never refused here");
        assert_eq!(
            datum(Value::String("2026-03-02".into())).datum("datum"),
            Ok(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap())
        );
        for fout in [
            Value::String("2026-13-01".into()),
            Value::String("morgen".into()),
            Value::Number(20260302.into()),
            Value::Boolean(true),
        ] {
            let e = datum(fout.clone()).datum("datum").unwrap_err();
            assert_eq!(e.veld, "datum", "{fout}");
        }

        let revisie = |v: Value| RevisieInvoer::parse(Some(v)).expect("never refused here");
        assert_eq!(revisie(Value::Number(7.into())).revisie("revisie"), Ok(7));
        for fout in [
            Value::Number((-1).into()),
            Value::Number(async_graphql::Number::from_f64(1.5).unwrap()),
            Value::String("7".into()),
        ] {
            let e = revisie(fout.clone()).revisie("revisie").unwrap_err();
            assert_eq!(e.veld, "revisie", "{fout}");
        }
    }
}

//! Input values the resolver checks itself: a date, a moment, and a revision or version, as the
//! request sent them.
//!
//! The engine refuses a value of a scalar's wrong form (a date `2026-13-01`, a revision `-1`)
//! before any resolver runs, in its own English words and without the field or the rule. A
//! [`DatumInvoer`], [`TijdstipInvoer`] or [`RevisieInvoer`] takes every value the engine's
//! validation lets through and keeps what it could read; the resolver refuses the rest like any other bad input:
//! `extensions.veld` the input as sent, `regel` `ongeldige_waarde`, the message in Dutch, and
//! nothing written. The schema's types stay `NaiveDate`, `DateTime` and `Int`.

use std::borrow::Cow;

use async_graphql::registry::Registry;
use async_graphql::{InputType, InputValueResult, Value};
use chrono::{DateTime, NaiveDate, Utc};
use traject_domain::value::{Datum, ValueError};

/// A value of the schema type `T::Schema` as the request sent it: what could be read as a `T`,
/// or nothing, for the resolver to refuse naming its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gelezen<T>(Option<T>);

/// How a [`Gelezen`] value is read: the schema type it appears as, and what of a request's value
/// it takes.
pub trait Lezen: Sized + Send + Sync {
    /// The schema's type of the input.
    type Schema: InputType;
    /// The value, if the request's value is one.
    fn lees(waarde: Value) -> Option<Self>;
    /// The value as the schema writes it (for introspection).
    fn schrijf(&self) -> Value;
}

impl<T: Lezen> InputType for Gelezen<T> {
    type RawValueType = Self;

    fn type_name() -> Cow<'static, str> {
        T::Schema::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        T::Schema::create_type_info(registry)
    }

    fn parse(value: Option<Value>) -> InputValueResult<Self> {
        Ok(Self(value.and_then(T::lees)))
    }

    fn to_value(&self) -> Value {
        self.0.as_ref().map_or(Value::Null, T::schrijf)
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }
}

impl<T> From<T> for Gelezen<T> {
    fn from(waarde: T) -> Self {
        Self(Some(waarde))
    }
}

impl Lezen for NaiveDate {
    type Schema = NaiveDate;

    fn lees(waarde: Value) -> Option<Self> {
        <NaiveDate as InputType>::parse(Some(waarde)).ok()
    }

    fn schrijf(&self) -> Value {
        InputType::to_value(self)
    }
}

impl Lezen for DateTime<Utc> {
    type Schema = DateTime<Utc>;

    fn lees(waarde: Value) -> Option<Self> {
        <DateTime<Utc> as InputType>::parse(Some(waarde)).ok()
    }

    fn schrijf(&self) -> Value {
        InputType::to_value(self)
    }
}

/// A revision or version: the schema's `Int`. The engine registers `Int` itself (with `i32`'s
/// validation, which lets every signed 64-bit integer through), so a negative one reaches the
/// resolver; a fraction or a number beyond the signed 64-bit range is still refused by the
/// engine's validation, as not an `Int`.
impl Lezen for u64 {
    type Schema = i64;

    fn lees(waarde: Value) -> Option<Self> {
        match waarde {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    fn schrijf(&self) -> Value {
        Value::Number((*self).into())
    }
}

/// A date as the request sent it: the schema's `NaiveDate` (`2026-03-02`).
pub type DatumInvoer = Gelezen<NaiveDate>;

/// A moment as the request sent it: the schema's `DateTime` (RFC 3339).
pub type TijdstipInvoer = Gelezen<DateTime<Utc>>;

/// A revision or version as the request sent it: the schema's `Int`, at least 0.
pub type RevisieInvoer = Gelezen<u64>;

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

    /// The date, refused like [`DatumInvoer::datum`] and also outside the days the domain
    /// records ([`Datum::MIN`] to [`Datum::MAX`]): for a date that is not recorded but
    /// computed with, such as a `peildatum`.
    pub fn dag(&self, veld: &'static str) -> Result<NaiveDate, ValueError> {
        let datum = self.datum(veld)?;
        Datum::new(datum).map_err(|e| e.in_veld(veld))?;
        Ok(datum)
    }
}

impl TijdstipInvoer {
    /// The moment, or the refusal of the input `veld` when the request's value is none or lies
    /// outside the days the domain records ([`Datum::MIN`] to [`Datum::MAX`]; a period is
    /// computed from it).
    pub fn tijdstip(&self, veld: &'static str) -> Result<DateTime<Utc>, ValueError> {
        let tijdstip = self.0.ok_or_else(|| {
            ValueError::new(
                veld,
                "moet een bestaand tijdstip zijn, geschreven als 2026-03-02T09:30:00Z",
            )
        })?;
        Datum::new(tijdstip.date_naive()).map_err(|e| e.in_veld(veld))?;
        Ok(tijdstip)
    }
}

impl RevisieInvoer {
    /// The revision, or the refusal of the input `veld` when the request's value is negative or
    /// no whole number.
    pub fn revisie(&self, veld: &'static str) -> Result<u64, ValueError> {
        self.0
            .ok_or_else(|| ValueError::new(veld, "moet een geheel getal van 0 of meer zijn"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_of_the_wrong_form_is_kept_for_the_resolver_to_refuse() {
        let datum = |v: Value| DatumInvoer::parse(Some(v)).expect("never refused here");
        let ver = datum(Value::String("+262142-12-31".into()));
        assert!(ver.datum("peildatum").is_ok());
        assert_eq!(ver.dag("peildatum").unwrap_err().veld, "peildatum");
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

        let tijdstip = |v: Value| TijdstipInvoer::parse(Some(v)).expect("never refused here");
        assert!(
            tijdstip(Value::String("2026-03-02T09:30:00Z".into()))
                .tijdstip("van")
                .is_ok()
        );
        for fout in [
            "2026-13-06T00:00:00Z",
            "2026-01-01",
            "-262143-01-01T00:00:00Z",
        ] {
            let e = tijdstip(Value::String(fout.into()))
                .tijdstip("van")
                .unwrap_err();
            assert_eq!(e.veld, "van", "{fout}");
        }
    }
}

//! Upcasters: pure functions that turn the JSON of one schema version of an event type into the
//! next version's. Reading applies them in a chain until the current version is reached.

use serde_json::Value;

use super::{DecodeError, current_version};

/// One step of the chain: `event_type` at `from_version` to `from_version + 1`.
pub struct Upcaster {
    /// The event type it applies to.
    pub event_type: &'static str,
    /// The version it reads; it writes the next.
    pub from_version: u32,
    /// The conversion; it fails with a description of what was missing.
    pub upcast: fn(Value) -> Result<Value, String>,
}

/// Every upcaster traject knows.
pub const UPCASTERS: &[Upcaster] = &[
    Upcaster {
        event_type: "PlaatsingGestart",
        from_version: 1,
        upcast: plaatsing_gestart_v1_to_v2,
    },
    Upcaster {
        event_type: "PlaatsingGestart",
        from_version: 2,
        upcast: vrije_tekst_in_clear,
    },
    Upcaster {
        event_type: "WerkgeverContactGelegd",
        from_version: 1,
        upcast: vrije_tekst_in_clear,
    },
];

/// Brings `data` of `event_type` at `version` to the current version.
pub fn upcast(event_type: &str, version: u32, mut data: Value) -> Result<Value, DecodeError> {
    let current = current_version(event_type)
        .ok_or_else(|| DecodeError::UnknownType(event_type.to_owned()))?;
    if version > current {
        return Err(DecodeError::FutureVersion {
            event_type: event_type.to_owned(),
            version,
            current,
        });
    }
    for step in version..current {
        let upcaster = UPCASTERS
            .iter()
            .find(|u| u.event_type == event_type && u.from_version == step)
            .ok_or_else(|| DecodeError::NoUpcaster {
                event_type: event_type.to_owned(),
                version: step,
            })?;
        data = (upcaster.upcast)(data).map_err(|reden| DecodeError::Malformed {
            event_type: event_type.to_owned(),
            reden,
        })?;
    }
    Ok(data)
}

/// Version 1 of `PlaatsingGestart` named the weekly hours `uren` and gave the end of a
/// fixed-term contract as a field `einddatum` beside a plain contract name; version 2 calls the
/// hours `uren_per_week` and nests the end date in the contract (`{"vorm": "Tijdelijk",
/// "einddatum": ...}`).
fn plaatsing_gestart_v1_to_v2(data: Value) -> Result<Value, String> {
    let Value::Object(mut fields) = data else {
        return Err("is geen JSON-object".to_owned());
    };
    let uren = fields.remove("uren").ok_or("uren ontbreekt")?;
    fields.insert("uren_per_week".to_owned(), uren);
    let vorm = fields.remove("contract").ok_or("contract ontbreekt")?;
    let einddatum = fields.remove("einddatum");
    let mut contract = serde_json::Map::new();
    contract.insert("vorm".to_owned(), vorm);
    if let Some(einddatum) = einddatum.filter(|e| !e.is_null()) {
        contract.insert("einddatum".to_owned(), einddatum);
    }
    fields.insert("contract".to_owned(), Value::Object(contract));
    Ok(Value::Object(fields))
}
/// `WerkgeverContactGelegd` version 2 and `PlaatsingGestart` version 3 may hold `werkgever` and
/// `functie` sealed with the client's key (`{"verzegeld": ...}`, see
/// [`Afgeschermd`](crate::value::Afgeschermd)); the earlier versions hold them in clear, which
/// the new versions still read as clear text. The data itself needs no change: the version says
/// that a build which does not know sealed text must not read it.
fn vrije_tekst_in_clear(data: Value) -> Result<Value, String> {
    match data {
        Value::Object(_) => Ok(data),
        _ => Err("is geen JSON-object".to_owned()),
    }
}

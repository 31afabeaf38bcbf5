//! The stored form of events: a stable type name, a schema version and a JSON object owned by the
//! domain. This is a boundary: API types are never these types, and old versions are read through
//! the [`upcast`] chain, never by keeping old structs alive.

mod upcast;

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::value::MapDeserializer;
use serde::de::{DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::event::{Event, EventData};
use crate::value::{Datum, EventId, ValueError};

pub use upcast::{UPCASTERS, Upcaster, upcast};

/// An event as it is written to and read from a store.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// The event id (kept in the store's envelope, not in `data`).
    pub id: EventId,
    /// The stable type name, for example `PlaatsingGestart`.
    pub event_type: String,
    /// The schema version of `data`.
    pub schema_version: u32,
    /// The event's fields and its `datum`, as a JSON object.
    pub data: Value,
}

/// Why a stored event could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// No event of that type exists.
    #[error("onbekend gebeurtenistype {0}")]
    UnknownType(String),
    /// The stored version is newer than this build knows.
    #[error(
        "{event_type} versie {version} is nieuwer dan deze versie van traject kent ({current})"
    )]
    FutureVersion {
        /// The type name.
        event_type: String,
        /// The stored version.
        version: u32,
        /// The newest version this build knows.
        current: u32,
    },
    /// No upcaster leads from the stored version to the next.
    #[error("geen upcaster voor {event_type} versie {version}")]
    NoUpcaster {
        /// The type name.
        event_type: String,
        /// The version without an upcaster.
        version: u32,
    },
    /// The data does not have the form of its type and version.
    #[error("{event_type}: ongeldige gegevens: {reden}")]
    Malformed {
        /// The type name.
        event_type: String,
        /// What was wrong (field names and rules, never values).
        reden: String,
    },
}

/// Every event type with the schema version this build writes for it.
pub const VERSIONS: &[(&str, u32)] = &[
    ("TrajectAangemeld", 1),
    ("IntakeAfgerond", 1),
    ("CoachToegewezen", 1),
    ("WerkgeverContactGelegd", 2),
    ("PlaatsingGestart", 3),
    ("PlaatsingBeeindigd", 1),
    ("UrenGewijzigd", 1),
    ("WaakvlamIngezet", 1),
    ("Opgeschaald", 1),
    ("TrajectAfgesloten", 1),
    ("TrajectHeropend", 1),
    ("ActieGepland", 1),
    ("GebeurtenisIngetrokken", 1),
    ("PersoonsgegevensGewist", 1),
];

/// The stored form of an event beside the trajectory's catalogue (a client's registration, a
/// team's change, an erasure), whose types all have one schema version yet: version 1.
pub fn encode_versie_1(id: EventId, event_type: &str, data: &impl serde::Serialize) -> StoredEvent {
    StoredEvent {
        id,
        event_type: event_type.to_owned(),
        schema_version: 1,
        data: serde_json::to_value(data).expect("a stored event serialises"),
    }
}

/// Reads what [`encode_versie_1`] wrote: the type must be one of `soorten` and the version 1;
/// `velden` names the fields for the error when the data does not have the form of `T`.
pub fn decode_versie_1<T: serde::de::DeserializeOwned>(
    event_type: &str,
    soorten: &[&str],
    schema_version: u32,
    data: &Value,
    velden: &str,
) -> Result<T, DecodeError> {
    if !soorten.contains(&event_type) {
        return Err(DecodeError::UnknownType(event_type.to_owned()));
    }
    if schema_version != 1 {
        return Err(DecodeError::FutureVersion {
            event_type: event_type.to_owned(),
            version: schema_version,
            current: 1,
        });
    }
    T::deserialize(data).map_err(|_| DecodeError::Malformed {
        event_type: event_type.to_owned(),
        reden: format!("{velden} ontbreekt of is ongeldig"),
    })
}

/// The schema version this build writes for each event type.
pub fn current_version(event_type: &str) -> Option<u32> {
    VERSIONS
        .iter()
        .find(|(t, _)| *t == event_type)
        .map(|(_, v)| *v)
}

/// The stored form of an event, in the current schema version.
pub fn encode(event: &Event) -> StoredEvent {
    let event_type = event.data.event_type();
    let tagged = serde_json::to_value(&event.data).expect("events always serialise");
    let mut data = match tagged {
        Value::Object(mut outer) => match outer.remove("data") {
            Some(Value::Object(inner)) => inner,
            _ => Map::new(),
        },
        _ => unreachable!("an adjacently tagged enum serialises to an object"),
    };
    data.insert("datum".to_owned(), Value::String(event.datum.to_string()));
    StoredEvent {
        id: event.id,
        event_type: event_type.to_owned(),
        schema_version: current_version(event_type).expect("every event type has a version"),
        data: Value::Object(data),
    }
}

/// Reads a stored event of any known version: upcasts it to the current version, then parses
/// every field through its value object.
pub fn decode(stored: &StoredEvent) -> Result<Event, DecodeError> {
    decode_parts(
        stored.id,
        &stored.event_type,
        stored.schema_version,
        &stored.data,
    )
}

/// The current version of `event_type`, and the error for its data when that does not have the
/// type's form.
fn soort(event_type: &str) -> Result<(u32, impl Fn(String) -> DecodeError + '_), DecodeError> {
    let current = current_version(event_type)
        .ok_or_else(|| DecodeError::UnknownType(event_type.to_owned()))?;
    let malformed = move |reden| DecodeError::Malformed {
        event_type: event_type.to_owned(),
        reden,
    };
    Ok((current, malformed))
}

/// [`decode`] from the parts of a stored event, borrowing its data: the current version is read
/// in place, only an older version is copied to be upcast.
pub fn decode_parts(
    id: EventId,
    event_type: &str,
    schema_version: u32,
    data: &Value,
) -> Result<Event, DecodeError> {
    let (current, malformed) = soort(event_type)?;
    let upcasted;
    let data = if schema_version == current {
        data
    } else {
        upcasted = upcast(event_type, schema_version, data.clone())?;
        &upcasted
    };
    let Value::Object(fields) = data else {
        return Err(malformed("is geen JSON-object".to_owned()));
    };
    let datum = match fields.get("datum") {
        Some(Value::String(text)) => {
            Datum::parse(text).map_err(|e: ValueError| malformed(e.to_string()))?
        }
        _ => return Err(malformed("datum ontbreekt".to_owned())),
    };
    let zonder_datum = fields
        .iter()
        .filter(|(key, _)| key.as_str() != "datum")
        .map(|(key, value)| (key.as_str(), value));
    let data = payload(
        event_type,
        MapDeserializer::<_, serde_json::Error>::new(zonder_datum),
    )
    .map_err(|e| malformed(describe(&e)))?;
    Ok(Event { id, datum, data })
}

/// [`decode_parts`] from the event's JSON as text, as a store holds it. The current version is
/// read straight from the text into its typed payload, with no JSON tree in between; an older
/// version is parsed into a tree to be upcast first.
pub fn decode_json(
    id: EventId,
    event_type: &str,
    schema_version: u32,
    json: &str,
) -> Result<Event, DecodeError> {
    let (current, malformed) = soort(event_type)?;
    if schema_version != current {
        let data: Value = serde_json::from_str(json).map_err(|e| malformed(describe(&e)))?;
        return decode_parts(id, event_type, schema_version, &data);
    }
    let mut datum = None;
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let data = MetDatum {
        event_type,
        datum: &mut datum,
    }
    .deserialize(&mut deserializer)
    .and_then(|data| deserializer.end().map(|()| data))
    .map_err(|e| malformed(describe(&e)))?;
    let datum = match datum {
        Some(text) => Datum::parse(&text).map_err(|e: ValueError| malformed(e.to_string()))?,
        None => return Err(malformed("datum ontbreekt".to_owned())),
    };
    Ok(Event { id, datum, data })
}

/// Reads a stored event's JSON object from a `serde_json` deserializer: its `datum` into `datum`,
/// every other field into the payload of `event_type`.
struct MetDatum<'a, 'd> {
    event_type: &'a str,
    datum: &'a mut Option<Cow<'d, str>>,
}

impl<'de> DeserializeSeed<'de> for MetDatum<'_, 'de> {
    type Value = EventData;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<EventData, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for MetDatum<'_, 'de> {
    type Value = EventData;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("een JSON-object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<EventData, A::Error> {
        payload(
            self.event_type,
            ZonderDatum {
                map,
                datum: self.datum,
            },
        )
    }
}

/// The fields of a JSON object as they are read, `datum` taken out on the way.
struct ZonderDatum<'a, 'de, A> {
    map: A,
    datum: &'a mut Option<Cow<'de, str>>,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for ZonderDatum<'_, 'de, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for ZonderDatum<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.map.next_key_seed(Tekst)? else {
                return Ok(None);
            };
            if key == "datum" {
                *self.datum = Some(self.map.next_value_seed(Tekst)?);
                continue;
            }
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A JSON string, borrowed from the input where it has no escapes.
struct Tekst;

impl<'de> DeserializeSeed<'de> for Tekst {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Tekst {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("een tekst")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// The typed payload of `event_type` from `fields`, the event's fields without `datum`. Each type
/// is read straight into its own struct: no intermediate document, no buffering of a tagged enum.
fn payload<'de, D: Deserializer<'de>>(event_type: &str, fields: D) -> Result<EventData, D::Error> {
    Ok(match event_type {
        "TrajectAangemeld" => EventData::TrajectAangemeld(Deserialize::deserialize(fields)?),
        "IntakeAfgerond" => EventData::IntakeAfgerond(Deserialize::deserialize(fields)?),
        "CoachToegewezen" => EventData::CoachToegewezen(Deserialize::deserialize(fields)?),
        "WerkgeverContactGelegd" => {
            EventData::WerkgeverContactGelegd(Deserialize::deserialize(fields)?)
        }
        "PlaatsingGestart" => EventData::PlaatsingGestart(Deserialize::deserialize(fields)?),
        "PlaatsingBeeindigd" => EventData::PlaatsingBeeindigd(Deserialize::deserialize(fields)?),
        "UrenGewijzigd" => EventData::UrenGewijzigd(Deserialize::deserialize(fields)?),
        "WaakvlamIngezet" => EventData::WaakvlamIngezet(Deserialize::deserialize(fields)?),
        "Opgeschaald" => EventData::Opgeschaald(Deserialize::deserialize(fields)?),
        "TrajectAfgesloten" => EventData::TrajectAfgesloten(Deserialize::deserialize(fields)?),
        "TrajectHeropend" => EventData::TrajectHeropend(Deserialize::deserialize(fields)?),
        "ActieGepland" => EventData::ActieGepland(Deserialize::deserialize(fields)?),
        "GebeurtenisIngetrokken" => {
            EventData::GebeurtenisIngetrokken(Deserialize::deserialize(fields)?)
        }
        "PersoonsgegevensGewist" => {
            EventData::PersoonsgegevensGewist(Deserialize::deserialize(fields)?)
        }
        other => {
            return Err(serde::de::Error::custom(format_args!(
                "onbekend gebeurtenistype {other}"
            )));
        }
    })
}

/// A serde error without any value from the input, which may be personal. serde quotes the
/// rejected value (between `"`, or backticks for a variant, a key or a number) and follows it
/// with what it expected, from the schema. A quote inside the value is not always escaped, so
/// the value is cut out whole, from its opening quote to the last `, expected ` or `, there are
/// no ` (any copy of those inside the value comes before serde's own), or else to the position;
/// never by looking for its closing quote. A missing or repeated field names a field of the
/// schema, and stays.
fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if text.starts_with("missing field `") || text.starts_with("duplicate field `") {
        return text;
    }
    let Some(begin) = text.find(['"', '`']) else {
        return text;
    };
    let na = |marker: &str| text.rfind(marker).filter(|&i| i > begin);
    let rest = na(", expected ")
        .max(na(", there are no "))
        .or_else(|| na(" at line "))
        .map_or("", |i| &text[i..]);
    let quote = &text[begin..=begin];
    format!("{}{quote}…{quote}{rest}", &text[..begin])
}

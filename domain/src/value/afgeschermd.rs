//! Free text that can identify a person (an employer's name, a job title), as an event holds it:
//! in clear while a command is decided, sealed with the client's own key once stored.
//!
//! A coach types "Klusbedrijf Q. Xylofoonmeester" as the employer of a self-employed client: that
//! text names the client. So such a field is [`Afgeschermd`]: the application layer seals it with
//! the client's data key before the event is stored (crypto-shredding), and erasing the client
//! destroys that key, after which every stored copy of the text is unreadable for good, in the
//! store, its WAL, its backups and every copy of them. What figures need from the same event
//! (hours, contract, paid, regular) stays in clear. The domain never looks inside the text: no
//! rule depends on it.
//!
//! The stored form is a JSON string for clear text (what events of earlier versions hold) and
//! `{"verzegeld": "<base64>"}` for sealed text. What the sealed bytes are is the vault's business;
//! the domain only carries them.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// Sealed bytes of one field, opaque to the domain.
#[derive(Clone, PartialEq, Eq)]
pub struct Verzegeling(Vec<u8>);

impl Verzegeling {
    /// The sealed bytes, as the vault made them.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The sealed bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Verzegeling {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Verzegeling({} bytes)", self.0.len())
    }
}

/// A free-text field of an event that may identify the client: in clear or sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Afgeschermd<T> {
    /// The text in clear: as a command carries it, or as events of earlier versions stored it.
    Open(T),
    /// The text sealed with the client's data key.
    Sealed(Verzegeling),
}

impl<T> Afgeschermd<T> {
    /// The clear text, if it is not sealed.
    pub fn open(&self) -> Option<&T> {
        match self {
            Afgeschermd::Open(t) => Some(t),
            Afgeschermd::Sealed(_) => None,
        }
    }

    /// Whether the text is sealed.
    pub fn is_verzegeld(&self) -> bool {
        matches!(self, Afgeschermd::Sealed(_))
    }
}

impl<T> From<T> for Afgeschermd<T> {
    fn from(t: T) -> Self {
        Afgeschermd::Open(t)
    }
}

impl<T: Serialize> Serialize for Afgeschermd<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Afgeschermd::Open(t) => t.serialize(serializer),
            // A map, never a struct: compact formats (MessagePack in the read models' snapshot)
            // write a struct as a sequence, which the reader would not tell from a text.
            Afgeschermd::Sealed(v) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("verzegeld", &BASE64.encode(&v.0))?;
                map.end()
            }
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Afgeschermd<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IntoDeserializer, MapAccess, Visitor};

        /// Reads the clear string or the sealed object straight from the input, without
        /// buffering it first (as an untagged enum would).
        struct Lezer<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for Lezer<T> {
            type Value = Afgeschermd<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("tekst of {\"verzegeld\": base64}")
            }

            fn visit_str<E: Error>(self, tekst: &str) -> Result<Self::Value, E> {
                T::deserialize(tekst.into_deserializer()).map(Afgeschermd::Open)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut bytes = None;
                while let Some(sleutel) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if sleutel != "verzegeld" || bytes.is_some() {
                        return Err(A::Error::custom("alleen het veld verzegeld, eenmaal"));
                    }
                    let tekst: std::borrow::Cow<'de, str> = map.next_value()?;
                    bytes = Some(
                        BASE64
                            .decode(tekst.as_bytes())
                            .map_err(|_| A::Error::custom("verzegeld: geen geldige base64"))?,
                    );
                }
                bytes
                    .map(|b| Afgeschermd::Sealed(Verzegeling(b)))
                    .ok_or_else(|| A::Error::custom("verzegeld ontbreekt"))
            }
        }

        deserializer.deserialize_any(Lezer(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Werkgever;

    #[test]
    fn clear_and_sealed_text_round_trip_and_nothing_else_reads() {
        let open: Afgeschermd<Werkgever> = Werkgever::parse("Bakkerij").unwrap().into();
        let json = serde_json::to_value(&open).unwrap();
        assert_eq!(json, serde_json::json!("Bakkerij"));
        assert_eq!(
            serde_json::from_value::<Afgeschermd<Werkgever>>(json).unwrap(),
            open
        );

        let dicht = Afgeschermd::<Werkgever>::Sealed(Verzegeling::new(vec![0, 1, 254, 255]));
        let json = serde_json::to_value(&dicht).unwrap();
        assert_eq!(json, serde_json::json!({"verzegeld": "AAH+/w=="}));
        assert_eq!(
            serde_json::from_value::<Afgeschermd<Werkgever>>(json).unwrap(),
            dicht
        );

        for fout in [
            serde_json::json!(""),
            serde_json::json!(12),
            serde_json::json!({"verzegeld": "niet base64!"}),
            serde_json::json!({"verzegeld": "AA==", "ook": 1}),
        ] {
            assert!(serde_json::from_value::<Afgeschermd<Werkgever>>(fout).is_err());
        }
    }

    #[test]
    fn compact_formats_round_trip_too() {
        for waarde in [
            Afgeschermd::<Werkgever>::Sealed(Verzegeling::new(vec![7; 20])),
            Werkgever::parse("Bakkerij").unwrap().into(),
        ] {
            let compact = rmp_serde::to_vec(&waarde).unwrap();
            assert_eq!(
                rmp_serde::from_slice::<Afgeschermd<Werkgever>>(&compact).unwrap(),
                waarde
            );
        }
    }

    #[test]
    fn debug_never_shows_the_sealed_bytes() {
        let dicht = Verzegeling::new(vec![42; 8]);
        assert_eq!(format!("{dicht:?}"), "Verzegeling(8 bytes)");
    }
}

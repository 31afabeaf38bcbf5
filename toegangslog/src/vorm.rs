//! The stored forms of an entry, each versioned.
//!
//! - **Canonical form, version 2**: the bytes the chain's MAC covers and an archive file holds.
//!   Full texts and ids, clients sorted and without repeats, time in microseconds, so that it
//!   does not depend on how a database numbers its words; a row in a log database is the same
//!   entry with its texts replaced by numbers ([`crate::storage`]).
//! - **Inbox form**: the entry of a write, stored as an event of the stream `toegangslog` in the
//!   same transaction as the write (`ToegangGelogd`). Version 2 is the [`Toegang`] as JSON;
//!   version 1, written by earlier versions of traject for every entry, also carried a plain
//!   SHA-256 chain (`vorige_hash`, `hash`) and an always empty `namens`, which the upcast drops:
//!   the keyed chain of the log database replaces it.

use chrono::{DateTime, Utc};
use traject_domain::value::{ClientId, TrajectId};
use traject_store::{Metadata, NewEvent, RecordedEvent};

use crate::toegang::{Actie, Resultaat, Toegang};

/// The version of the canonical form.
pub const VERSIE: u8 = 2;
/// The event type of an inbox entry.
pub const INBOX_TYPE: &str = "ToegangGelogd";
/// The inbox form's current version.
pub const INBOX_VERSIE: u32 = 2;

/// Why stored bytes do not read as an entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("toegangslog: {0}")]
pub struct FormError(pub &'static str);

/// `t`'s time as stored: microseconds since the Unix epoch.
pub fn microseconden(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

/// The time of stored microseconds.
pub fn tijd_van(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The entry as the chain sees it: the time to the microsecond, the clients sorted and once.
pub fn genormaliseerd(mut t: Toegang) -> Toegang {
    t.tijd = tijd_van(microseconden(t.tijd));
    t.clients.sort_by_key(|c| *c.as_uuid().as_bytes());
    t.clients.dedup();
    t
}

fn tekst(uit: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let lengte = u16::try_from(bytes.len()).unwrap_or(u16::MAX);
    uit.extend_from_slice(&lengte.to_be_bytes());
    uit.extend_from_slice(&bytes[..usize::from(lengte)]);
}

/// The canonical bytes of `t` (which must be [`genormaliseerd`]).
pub fn canoniek(t: &Toegang) -> Vec<u8> {
    let mut uit = Vec::with_capacity(96 + 16 * t.clients.len());
    uit.push(VERSIE);
    uit.extend_from_slice(&microseconden(t.tijd).to_be_bytes());
    uit.push(t.actie.code());
    uit.push(t.resultaat.code());
    for s in [&t.gebeurteniscode, &t.gebruiker, &t.rol] {
        tekst(&mut uit, s);
    }
    match &t.organisatie {
        Some(o) => {
            uit.push(1);
            tekst(&mut uit, o);
        }
        None => uit.push(0),
    }
    tekst(&mut uit, &t.regel);
    tekst(&mut uit, &t.bron);
    uit.extend_from_slice(t.correlatie.as_bytes());
    match &t.traject {
        Some(tr) => {
            uit.push(1);
            uit.extend_from_slice(tr.as_uuid().as_bytes());
        }
        None => uit.push(0),
    }
    uit.extend_from_slice(&(t.clients.len() as u32).to_be_bytes());
    for c in &t.clients {
        uit.extend_from_slice(c.as_uuid().as_bytes());
    }
    uit
}

/// Reads bytes front to back.
struct Lezer<'a>(&'a [u8]);

impl<'a> Lezer<'a> {
    fn neem(&mut self, n: usize) -> Result<&'a [u8], FormError> {
        if self.0.len() < n {
            return Err(FormError("regel is afgebroken"));
        }
        let (kop, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(kop)
    }
    fn byte(&mut self) -> Result<u8, FormError> {
        Ok(self.neem(1)?[0])
    }
    fn tekst(&mut self) -> Result<String, FormError> {
        let lengte = u16::from_be_bytes(self.neem(2)?.try_into().expect("two bytes"));
        String::from_utf8(self.neem(usize::from(lengte))?.to_vec())
            .map_err(|_| FormError("tekst is geen UTF-8"))
    }
    fn uuid(&mut self) -> Result<uuid::Uuid, FormError> {
        Ok(uuid::Uuid::from_slice(self.neem(16)?).expect("sixteen bytes"))
    }
}

/// The entry in canonical bytes.
pub fn uit_canoniek(bytes: &[u8]) -> Result<Toegang, FormError> {
    let mut l = Lezer(bytes);
    if l.byte()? != VERSIE {
        return Err(FormError("onbekende versie"));
    }
    let tijd = tijd_van(i64::from_be_bytes(l.neem(8)?.try_into().expect("eight")));
    let actie = Actie::van_code(l.byte()?).ok_or(FormError("onbekende actie"))?;
    let resultaat = Resultaat::van_code(l.byte()?).ok_or(FormError("onbekend resultaat"))?;
    let gebeurteniscode = l.tekst()?;
    let gebruiker = l.tekst()?;
    let rol = l.tekst()?;
    let organisatie = match l.byte()? {
        0 => None,
        _ => Some(l.tekst()?),
    };
    let regel = l.tekst()?;
    let bron = l.tekst()?;
    let correlatie = l.uuid()?;
    let traject = match l.byte()? {
        0 => None,
        _ => Some(TrajectId::new(l.uuid()?).map_err(|_| FormError("ongeldig traject"))?),
    };
    let aantal = u32::from_be_bytes(l.neem(4)?.try_into().expect("four"));
    let clients = (0..aantal)
        .map(|_| ClientId::new(l.uuid()?).map_err(|_| FormError("ongeldige client")))
        .collect::<Result<Vec<_>, _>>()?;
    if !l.0.is_empty() {
        return Err(FormError("bytes na het einde van de regel"));
    }
    Ok(Toegang {
        gebeurteniscode,
        actie,
        tijd,
        resultaat,
        gebruiker,
        rol,
        organisatie,
        clients,
        traject,
        regel,
        bron,
        correlatie,
    })
}

/// The inbox event of a write's entry.
pub fn inbox_event(t: &Toegang) -> NewEvent {
    NewEvent {
        id: uuid::Uuid::now_v7(),
        event_type: INBOX_TYPE.to_owned(),
        schema_version: INBOX_VERSIE,
        data: serde_json::to_value(t).expect("an entry always serialises"),
        metadata: Metadata {
            actor: Some(t.gebruiker.clone()),
            correlation_id: Some(t.correlatie),
            causation_id: None,
        },
        recorded_at: None,
    }
}

/// The entry an inbox event holds, upcast from its version.
pub fn uit_inbox(e: &RecordedEvent) -> Result<Toegang, FormError> {
    if e.event_type != INBOX_TYPE {
        return Err(FormError("onbekend type in de inbox"));
    }
    match e.schema_version {
        // Version 1 carries the fields of version 2 and three more that the upcast drops.
        1 | 2 => serde_json::from_str(e.data.as_str())
            .map_err(|_| FormError("inbox-regel is onleesbaar")),
        _ => Err(FormError("onbekende versie in de inbox")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toegang() -> Toegang {
        Toegang {
            gebeurteniscode: "caseload.lezen".into(),
            actie: Actie::R,
            tijd: DateTime::from_timestamp(1_700_000_000, 123_456_789).unwrap(),
            resultaat: Resultaat::Gelukt,
            gebruiker: "coach-1".into(),
            rol: "coach".into(),
            organisatie: Some("org-a".into()),
            clients: vec![
                ClientId::new(uuid::Uuid::now_v7()).unwrap(),
                ClientId::new(uuid::Uuid::now_v7()).unwrap(),
            ],
            traject: Some(TrajectId::new(uuid::Uuid::now_v7()).unwrap()),
            regel: "eigen-caseload".into(),
            bron: "traject-api".into(),
            correlatie: uuid::Uuid::now_v7(),
        }
    }

    #[test]
    fn the_canonical_form_reads_back_as_the_normalised_entry() {
        let t = toegang();
        let mut dubbel = t.clone();
        dubbel.clients.push(t.clients[0]);
        let n = genormaliseerd(dubbel);
        assert_eq!(n.clients.len(), 2, "a client shown twice is named once");
        assert_eq!(n.tijd.timestamp_subsec_nanos(), 123_456_000);
        assert_eq!(uit_canoniek(&canoniek(&n)).unwrap(), n);
        let mut zonder = n.clone();
        zonder.organisatie = None;
        zonder.traject = None;
        zonder.clients.clear();
        assert_eq!(uit_canoniek(&canoniek(&zonder)).unwrap(), zonder);
        let bytes = canoniek(&n);
        assert!(uit_canoniek(&bytes[..bytes.len() - 1]).is_err());
    }

    /// An entry that an earlier version wrote to the stream, chain hashes and all, reads as the
    /// same access.
    #[test]
    fn a_version_1_entry_upcasts_to_the_access_it_logged() {
        let t = toegang();
        let mut v1 = serde_json::to_value(&t).unwrap();
        v1["namens"] = serde_json::Value::Null;
        v1["vorige_hash"] = "00".repeat(32).into();
        v1["hash"] = "ab".repeat(32).into();
        let e = RecordedEvent {
            id: uuid::Uuid::now_v7(),
            stream: traject_store::StreamName::new("toegangslog").unwrap(),
            revision: 0,
            position: traject_store::Position(1),
            event_type: INBOX_TYPE.into(),
            schema_version: 1,
            recorded_at: Utc::now(),
            data: v1.into(),
            metadata: Metadata::default(),
        };
        assert_eq!(uit_inbox(&e).unwrap(), t);
    }
}

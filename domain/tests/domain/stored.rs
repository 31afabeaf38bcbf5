//! The stored form: stable type names, schema versions, and the upcaster chain on a stored sample.

use serde_json::json;
use traject_domain::event::Event;
use traject_domain::event::{Contract, EventData, VrijeTekst};
use traject_domain::stored::{DecodeError, StoredEvent, decode_json, encode, upcast};
use traject_domain::value::{EventId, Verzegeling};

use crate::harness::*;

/// Decodes `stored` both ways a store hands it out, from its JSON tree and from its text, and
/// checks that they agree: the same event, or an error of the same kind.
fn decode(stored: &StoredEvent) -> Result<Event, DecodeError> {
    let boom = traject_domain::stored::decode(stored);
    let tekst = decode_json(
        stored.id,
        &stored.event_type,
        stored.schema_version,
        &stored.data.to_string(),
    );
    match (&boom, &tekst) {
        (Ok(a), Ok(b)) => assert_eq!(a, b),
        (Err(a), Err(b)) => assert_eq!(
            std::mem::discriminant(a),
            std::mem::discriminant(b),
            "{a} / {b}"
        ),
        _ => panic!("the tree gives {boom:?}, the text {tekst:?}"),
    }
    tekst
}

/// The error of decoding `stored` from its tree and from its text, as one text.
fn beide_fouten(stored: &StoredEvent) -> String {
    let boom = traject_domain::stored::decode(stored).unwrap_err();
    format!("{boom} / {}", decode(stored).unwrap_err())
}

fn sample(name: &str) -> StoredEvent {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    let v: serde_json::Value = serde_json::from_str(&text).expect("fixture is JSON");
    StoredEvent {
        id: EventId::parse(v["id"].as_str().unwrap()).unwrap(),
        event_type: v["event_type"].as_str().unwrap().to_owned(),
        schema_version: v["schema_version"].as_u64().unwrap() as u32,
        data: v["data"].clone(),
    }
}

#[test]
fn a_stored_version_1_placement_is_read_as_the_current_version() {
    let event = decode(&sample("plaatsing_gestart_v1.json")).expect("v1 upcasts");
    assert_eq!(event.datum, datum("2024-03-04"));
    let EventData::PlaatsingGestart(p) = &event.data else {
        panic!("wrong type: {:?}", event.data);
    };
    assert_eq!(p.uren_per_week.hours(), 20.5);
    assert_eq!(
        p.contract,
        Contract::Tijdelijk {
            einddatum: datum("2025-03-03")
        }
    );
    // Written again, it is the current version with the new field names; its free text is
    // still in clear (sealing is the application layer's, with the client's key).
    let again = encode(&event);
    assert_eq!(again.schema_version, 3);
    assert_eq!(again.data["werkgever"], event_werkgever(&event));
    assert_eq!(again.data["uren_per_week"], json!(20.5));
    assert_eq!(
        again.data["contract"],
        json!({"vorm": "Tijdelijk", "einddatum": "2025-03-03"})
    );
    assert!(again.data.get("uren").is_none());
}

fn event_werkgever(event: &traject_domain::Event) -> serde_json::Value {
    match event.data.vrije_tekst().first() {
        Some(("werkgever", VrijeTekst::Open(t))) => json!(t),
        other => panic!("expected clear text, got {other:?}"),
    }
}

/// Events stored before free text was sealed hold it in clear: they are read as clear text, and
/// a sealed field round-trips as the sealed bytes, never touched by the domain.
#[test]
fn free_text_is_read_in_clear_from_older_versions_and_sealed_from_the_current() {
    let oud = StoredEvent {
        id: new_event_id(),
        event_type: "WerkgeverContactGelegd".to_owned(),
        schema_version: 1,
        data: json!({"datum": "2024-01-02", "werkgever": "Bakkerij", "persoonlijk": true}),
    };
    let mut event = decode(&oud).unwrap();
    assert_eq!(
        event.data.vrije_tekst(),
        vec![("werkgever", VrijeTekst::Open("Bakkerij"))]
    );
    event.data.seal(|veld, tekst| {
        Verzegeling::new(
            format!("{veld}={tekst}")
                .into_bytes()
                .iter()
                .map(|b| b ^ 0x55)
                .collect(),
        )
    });
    let stored = encode(&event);
    assert_eq!(stored.schema_version, 2);
    assert!(stored.data["werkgever"]["verzegeld"].is_string());
    assert!(!stored.data.to_string().contains("Bakkerij"));
    let mut terug = decode(&stored).unwrap();
    assert_eq!(terug, event);
    assert!(terug.data.open(|veld, v| {
        let tekst: Vec<u8> = v.bytes().iter().map(|b| b ^ 0x55).collect();
        String::from_utf8(tekst)
            .ok()?
            .strip_prefix(&format!("{veld}="))
            .map(str::to_owned)
    }));
    assert_eq!(terug.data, decode(&oud).unwrap().data);
    // A key that no longer opens (the client was erased) leaves the field sealed.
    let mut dicht = decode(&stored).unwrap();
    assert!(!dicht.data.open(|_, _| None));
    assert!(matches!(
        dicht.data.vrije_tekst()[0],
        ("werkgever", VrijeTekst::Sealed(_))
    ));
}

#[test]
fn a_version_1_placement_without_end_date_upcasts_too() {
    let v1 = json!({"datum": "2024-03-04", "uren": 12, "contract": "Vast"});
    let v2 = upcast("PlaatsingGestart", 1, v1).unwrap();
    assert_eq!(
        v2,
        json!({"datum": "2024-03-04", "uren_per_week": 12, "contract": {"vorm": "Vast"}})
    );
}

#[test]
fn every_event_type_round_trips_through_its_stored_form() {
    let p = new_plaatsing_id();
    let g = met_intake();
    let (g, _) = g.and("2024-01-20", coach("coach-bram"));
    let (g, c) = g.and("2024-01-21", contact());
    let (g, _) = g.and("2024-02-01", plaatsing(p));
    let (g, _) = g.and("2024-03-01", waakvlam());
    let (g, _) = g.and("2024-03-02", opgeschaald());
    let (g, _) = g.and("2024-03-03", beeindigd(p));
    let (g, _) = g.and("2024-03-04", ingetrokken(c));
    let (g, _) = g.and("2024-03-05", afgesloten());
    let (g, _) = g.and("2024-03-06", heropend());
    let mut types = std::collections::BTreeSet::new();
    for event in g.traject.events() {
        let stored = encode(event);
        types.insert(stored.event_type.clone());
        assert_eq!(stored.data["datum"], json!(event.datum.to_string()));
        assert_eq!(&decode(&stored).unwrap(), event);
    }
    assert_eq!(types.len(), 11, "every type of the catalogue: {types:?}");
}

#[test]
fn unknown_types_future_versions_and_bad_data_are_errors() {
    let stored = |t: &str, v: u32, data: serde_json::Value| StoredEvent {
        id: new_event_id(),
        event_type: t.to_owned(),
        schema_version: v,
        data,
    };
    assert!(matches!(
        decode(&stored("KoffieGedronken", 1, json!({}))),
        Err(DecodeError::UnknownType(_))
    ));
    assert!(matches!(
        decode(&stored("Opgeschaald", 2, json!({}))),
        Err(DecodeError::FutureVersion {
            version: 2,
            current: 1,
            ..
        })
    ));
    assert!(matches!(
        decode(&stored("Opgeschaald", 0, json!({}))),
        Err(DecodeError::NoUpcaster { version: 0, .. })
    ));
    let no_datum = decode(&stored("Opgeschaald", 1, json!({"reden": "Werkproblemen"})));
    assert!(matches!(no_datum, Err(DecodeError::Malformed { .. })));
    let bad = beide_fouten(&stored(
        "Opgeschaald",
        1,
        json!({"datum": "2024-01-01", "reden": "Jan Jansen is ziek"}),
    ));
    assert!(
        !bad.to_string().contains("Jansen"),
        "errors never echo values: {bad}"
    );
    let extra = decode(&stored(
        "Opgeschaald",
        1,
        json!({"datum": "2024-01-01", "reden": "Werkproblemen", "notitie": "x"}),
    ));
    assert!(
        matches!(extra, Err(DecodeError::Malformed { .. })),
        "unknown fields are refused"
    );
}

#[test]
fn serde_errors_do_not_echo_stored_values() {
    let stored = |data: serde_json::Value| StoredEvent {
        id: new_event_id(),
        event_type: "PlaatsingGestart".to_owned(),
        schema_version: 2,
        data,
    };
    let base = json!({
        "datum": "2024-01-01",
        "plaatsing_id": "0190a5c2-7d1e-7b4a-9c3e-2f6d8b1a4e58",
        "werkgever": "Bakkerij",
        "functie": "Bakker",
        "uren_per_week": 24.0,
        "contract": {"vorm": "Vast"},
        "betaald": true,
        "regulier": true,
    });
    let mut unknown_variant = base.clone();
    unknown_variant["contract"] = json!({"vorm": "Jansen"});
    let mut wrong_type = base.clone();
    wrong_type["betaald"] = json!("Jansen");
    // Quotes inside the value: escaped in a string, not in a variant's name.
    let mut escaped = base.clone();
    escaped["betaald"] = json!("x\"Jansen\" y");
    let mut backticks = base.clone();
    backticks["contract"] = json!({"vorm": "a`Jansen`, expected b"});
    let mut number_text = base.clone();
    number_text["uren_per_week"] = json!("24` Jansen");
    for data in [unknown_variant, wrong_type, escaped, backticks, number_text] {
        let error = beide_fouten(&stored(data));
        assert!(
            !error.contains("Jansen"),
            "the error repeats a value: {error}"
        );
        assert!(
            error.contains("expected"),
            "what was expected stays: {error}"
        );
    }
    // The current version, read from text; an unknown key where a type has no fields.
    let current = |event_type: &str, data: serde_json::Value| StoredEvent {
        id: new_event_id(),
        event_type: event_type.to_owned(),
        schema_version: 1,
        data,
    };
    for stored in [
        current(
            "Opgeschaald",
            json!({"datum": "2024-01-01", "reden": "Jan `Jansen` \""}),
        ),
        current(
            "WaakvlamIngezet",
            json!({"datum": "2024-01-01", "x`Jansen`, expected ": 1}),
        ),
    ] {
        let error = beide_fouten(&stored);
        assert!(
            !error.contains("Jansen"),
            "the error repeats a value: {error}"
        );
    }
}

#[test]
fn a_repeated_field_in_the_text_is_malformed() {
    // No store writes one (a JSON tree keeps one value per key, PostgreSQL's jsonb too); the
    // text is refused rather than read by a rule of its own.
    let tekst = r#"{"datum": "2024-01-01", "reden": "Werkproblemen", "reden": "Werkproblemen"}"#;
    assert!(matches!(
        decode_json(new_event_id(), "Opgeschaald", 1, tekst),
        Err(DecodeError::Malformed { .. })
    ));
}

#[test]
fn the_text_is_read_in_any_field_order_with_escapes_and_whitespace() {
    let p = new_plaatsing_id();
    let g = met_intake();
    let (g, _) = g.and("2024-02-01", plaatsing(p));
    let event = g.traject.events().last().unwrap().clone();
    let stored = encode(&event);
    let serde_json::Value::Object(velden) = &stored.data else {
        panic!("an object")
    };
    // `datum` last, a key and a value written with escapes, whitespace between the tokens.
    let mut tekst = String::from("{ ");
    for (sleutel, waarde) in velden.iter().filter(|(k, _)| k.as_str() != "datum") {
        let sleutel = sleutel.replace('_', "\\u005f");
        tekst.push_str(&format!("\"{sleutel}\" :\n {waarde},"));
    }
    tekst.push_str(&format!(
        " \"d\\u0061tum\": \"{}\" }}",
        event.datum.to_string().replace('-', "\\u002d")
    ));
    assert_eq!(
        decode_json(event.id, &stored.event_type, stored.schema_version, &tekst),
        Ok(event)
    );
}

#[test]
fn text_that_is_not_one_json_object_is_malformed() {
    for tekst in [
        "[]",
        "\"2024-01-01\"",
        "{\"datum\": \"2024-01-01\", \"reden\": \"Werkproblemen\"} {}",
        "{\"datum\": \"2024-01-01\", \"reden\": \"Werkproblemen\"",
        "{\"datum\": 20240101, \"reden\": \"Werkproblemen\"}",
    ] {
        let uit = decode_json(new_event_id(), "Opgeschaald", 1, tekst);
        assert!(
            matches!(uit, Err(DecodeError::Malformed { .. })),
            "{tekst}: {uit:?}"
        );
    }
    let goed = "{\"datum\": \"2024-01-01\", \"reden\": \"Werkproblemen\"}";
    assert!(decode_json(new_event_id(), "Opgeschaald", 1, goed).is_ok());
}

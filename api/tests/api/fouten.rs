//! Every error reaches the client with its `extensions.code`; internal details never do.

use async_graphql::{ErrorExtensionValues, Value};
use traject_api::schema::ApiError;
use traject_domain::DomainError;
use traject_domain::value::ValueError;

fn ext(fout: ApiError) -> (String, ErrorExtensionValues) {
    let e: async_graphql::Error = fout.into();
    (e.message, e.extensions.expect("extensions"))
}

fn get<'a>(ext: &'a ErrorExtensionValues, key: &str) -> Option<&'a Value> {
    ext.get(key)
}

#[test]
fn each_failure_maps_to_its_code() {
    let (bericht, e) = ext(ValueError::new("uren_per_week", "mag niet meer dan 60 zijn").into());
    assert_eq!(get(&e, "code"), Some(&Value::from("BAD_USER_INPUT")));
    // Named as the API's inputs are (a mutation names its nested inputs in full), with the
    // stable code of the rule apart from the message.
    assert_eq!(get(&e, "veld"), Some(&Value::from("urenPerWeek")));
    assert_eq!(get(&e, "regel"), Some(&Value::from("ongeldige_waarde")));
    assert_eq!(bericht, "uren per week mag niet meer dan 60 zijn");

    let (_, e) = ext(DomainError::Conflict {
        expected: Some(1),
        actual: Some(3),
    }
    .into());
    assert_eq!(get(&e, "code"), Some(&Value::from("CONFLICT")));
    assert_eq!(get(&e, "huidigeRevisie"), Some(&Value::from(3)));

    let (bericht, e) = ext(DomainError::TrajectAfgesloten.into());
    assert_eq!(get(&e, "code"), Some(&Value::from("BAD_USER_INPUT")));
    assert_eq!(get(&e, "regel"), Some(&Value::from("traject_afgesloten")));
    assert_eq!(get(&e, "veld"), None, "about the trajectory as a whole");
    assert_eq!(
        bericht,
        "het traject is afgesloten: alleen heropenen is toegestaan"
    );

    // A rule of a field: the field once, the code apart.
    let datum = traject_domain::value::Datum::parse("2026-01-02").unwrap();
    let (bericht, e) = ext(ApiError::from(DomainError::DatumVoorBegin {
        datum,
        ondergrens: traject_domain::value::Datum::parse("2026-01-05").unwrap(),
    })
    .met_invoernamen(&[("datum", "wijziging.datum")]));
    assert_eq!(get(&e, "veld"), Some(&Value::from("wijziging.datum")));
    assert_eq!(get(&e, "regel"), Some(&Value::from("datum_voor_begin")));
    assert!(
        !bericht.contains("datum_voor_begin") && !bericht.starts_with("datum:"),
        "{bericht}"
    );

    let (_, e) = ext(ApiError::NietIngelogd("geen token".to_owned()));
    assert_eq!(get(&e, "code"), Some(&Value::from("UNAUTHENTICATED")));
    let (bericht, e) = ext(ApiError::Verboden("niet-eigen-client-of-organisatie"));
    assert_eq!(get(&e, "code"), Some(&Value::from("FORBIDDEN")));
    assert_eq!(
        get(&e, "regel"),
        Some(&Value::from("niet-eigen-client-of-organisatie"))
    );
    assert!(!bericht.contains("niet-eigen-client"), "{bericht}");
    let (_, e) = ext(ApiError::NietGevonden("traject"));
    assert_eq!(get(&e, "code"), Some(&Value::from("NOT_FOUND")));
}

#[test]
fn an_internal_error_shows_only_a_correlation_id() {
    let (bericht, e) = ext(ApiError::intern(
        "database: disk I/O error in /var/lib/geheim",
    ));
    assert_eq!(get(&e, "code"), Some(&Value::from("INTERNAL")));
    assert!(!bericht.contains("disk"), "{bericht}");
    assert!(!bericht.contains("geheim"), "{bericht}");
    let Some(Value::String(correlatie)) = get(&e, "correlatie") else {
        panic!("a correlation id");
    };
    assert!(bericht.contains(correlatie.as_str()));
}

//! Every error reaches the client with its `extensions.code`; internal details never do.

use async_graphql::{ErrorExtensionValues, Value};
use traject_api::schema::ApiFout;
use traject_domain::DomainError;
use traject_domain::value::ValueError;

fn ext(fout: ApiFout) -> (String, ErrorExtensionValues) {
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
    assert_eq!(get(&e, "veld"), Some(&Value::from("uren_per_week")));
    assert!(bericht.contains("mag niet meer dan 60 zijn"));

    let (_, e) = ext(DomainError::Conflict {
        expected: Some(1),
        actual: Some(3),
    }
    .into());
    assert_eq!(get(&e, "code"), Some(&Value::from("CONFLICT")));
    assert_eq!(get(&e, "huidigeRevisie"), Some(&Value::from(3)));

    let (_, e) = ext(DomainError::TrajectAfgesloten.into());
    assert_eq!(get(&e, "code"), Some(&Value::from("BAD_USER_INPUT")));

    let (_, e) = ext(ApiFout::NietIngelogd("geen token".to_owned()));
    assert_eq!(get(&e, "code"), Some(&Value::from("UNAUTHENTICATED")));
    let (_, e) = ext(ApiFout::Verboden("coach-eigen-client"));
    assert_eq!(get(&e, "code"), Some(&Value::from("FORBIDDEN")));
    let (_, e) = ext(ApiFout::NietGevonden("traject"));
    assert_eq!(get(&e, "code"), Some(&Value::from("NOT_FOUND")));
}

#[test]
fn an_internal_error_shows_only_a_correlation_id() {
    let (bericht, e) = ext(ApiFout::intern(
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

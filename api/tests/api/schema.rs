//! `schema.graphql` is the schema the server serves; a change to the schema shows in review.

#[test]
fn the_committed_schema_is_the_served_schema() {
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
            .expect("schema.graphql at the repository root");
    let served = traject_api::schema::sdl();
    assert!(
        committed == served,
        "schema.graphql is out of date: run `cargo run -p traject-api --bin traject -- schema > schema.graphql`"
    );
}

#[test]
fn the_schema_has_a_mutation_for_every_command_and_the_figures() {
    let sdl = traject_api::schema::sdl();
    for mutation in [
        "aanmelden(",
        "intakeAfronden(",
        "coachToewijzen(",
        "werkgeverscontact(",
        "plaatsingStarten(",
        "plaatsingBeeindigen(",
        "urenWijzigen(",
        "waakvlamInzetten(",
        "opschalen(",
        "afsluiten(",
        "heropenen(",
        "intrekken(",
    ] {
        assert!(sdl.contains(mutation), "{mutation}");
    }
    // The figures are one query, for the regio and landelijk roles.
    assert!(sdl.contains("regioCijfers("));
}

/// Every root field that reaches person-level data has an access-log code, and the table names
/// no field that does not exist or does not need one. Person-level: any mutation; a field with a
/// `clientId` argument; a field whose type reaches (through any depth of fields) a type with a
/// `clientId` or `clients` field.
#[test]
fn every_person_level_field_has_a_log_mapping() {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
    use std::collections::{BTreeMap, BTreeSet};

    let document = async_graphql::parser::parse_schema(traject_api::schema::sdl()).unwrap();
    // Each object type's fields: name, base type, argument names.
    let mut typen: BTreeMap<String, Vec<(String, String, Vec<String>)>> = BTreeMap::new();
    for definitie in &document.definitions {
        let TypeSystemDefinition::Type(t) = definitie else {
            continue;
        };
        if let TypeKind::Object(o) = &t.node.kind {
            let velden = o
                .fields
                .iter()
                .map(|f| {
                    let f = &f.node;
                    let mut ty = &f.ty.node.base;
                    let basis = loop {
                        match ty {
                            async_graphql::parser::types::BaseType::Named(n) => {
                                break n.to_string();
                            }
                            async_graphql::parser::types::BaseType::List(inner) => {
                                ty = &inner.base;
                            }
                        }
                    };
                    let args = f
                        .arguments
                        .iter()
                        .map(|a| a.node.name.node.to_string())
                        .collect();
                    (f.name.node.to_string(), basis, args)
                })
                .collect();
            typen.insert(t.node.name.node.to_string(), velden);
        }
    }
    // Person-level types, to a fixed point.
    let mut persoonlijk: BTreeSet<String> = typen
        .iter()
        .filter(|(_, velden)| {
            velden
                .iter()
                .any(|(n, _, _)| n == "clientId" || n == "clients")
        })
        .map(|(t, _)| t.clone())
        .collect();
    loop {
        let erbij: Vec<String> = typen
            .iter()
            .filter(|(t, velden)| {
                !persoonlijk.contains(*t) && velden.iter().any(|(_, b, _)| persoonlijk.contains(b))
            })
            .map(|(t, _)| t.clone())
            .collect();
        if erbij.is_empty() {
            break;
        }
        persoonlijk.extend(erbij);
    }
    assert!(persoonlijk.contains("Traject") && persoonlijk.contains("Caseload"));

    let mut nodig = BTreeSet::new();
    for root in ["Query", "Mutation", "Subscription"] {
        for (veld, basis, args) in &typen[root] {
            let veld_naam = format!("{root}.{veld}");
            if (root == "Mutation"
                && !traject_api::schema::logcode::ZONDER_PERSOONSGEGEVENS
                    .contains(&veld_naam.as_str()))
                || persoonlijk.contains(basis)
                || args.iter().any(|a| a == "clientId")
            {
                nodig.insert(format!("{root}.{veld}"));
            }
        }
    }
    let tabel: BTreeSet<String> = traject_api::schema::logcode::LOGCODES
        .iter()
        .map(|(veld, _)| (*veld).to_owned())
        .collect();
    let zonder: Vec<_> = nodig.difference(&tabel).collect();
    assert!(
        zonder.is_empty(),
        "person-level fields without a log code: {zonder:?}"
    );
    let overbodig: Vec<_> = tabel.difference(&nodig).collect();
    assert!(
        overbodig.is_empty(),
        "log codes for fields that are not person-level or do not exist: {overbodig:?}"
    );
    // Codes are distinct: the log tells what was done from the code alone.
    let codes: BTreeSet<_> = traject_api::schema::logcode::LOGCODES
        .iter()
        .map(|(_, c)| c)
        .collect();
    assert_eq!(codes.len(), traject_api::schema::logcode::LOGCODES.len());
}

/// The values of each enum type of the served schema.
fn enums() -> std::collections::BTreeMap<String, Vec<String>> {
    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
    let document = async_graphql::parser::parse_schema(traject_api::schema::sdl()).unwrap();
    document
        .definitions
        .iter()
        .filter_map(|d| match d {
            TypeSystemDefinition::Type(t) => match &t.node.kind {
                TypeKind::Enum(e) => Some((
                    t.node.name.node.to_string(),
                    e.values
                        .iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect(),
                )),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Every closed list of the domain is a GraphQL enum with exactly the domain's values, in its
/// order and spelling (the glossary's: `IPS`, `GGZ`, `UWV`).
#[test]
fn every_domain_choice_list_equals_its_graphql_enum() {
    use traject_domain::event::Contract;
    use traject_domain::value::*;
    fn namen<T: std::fmt::Display>(alle: &[T]) -> Vec<String> {
        alle.iter().map(ToString::to_string).collect()
    }
    let lijsten: Vec<(&str, Vec<String>)> = vec![
        ("Methode", namen(Methode::ALL)),
        ("Verwijzer", namen(Verwijzer::ALL)),
        ("Financier", namen(Financier::ALL)),
        ("Uitkering", namen(Uitkering::ALL)),
        ("BeeindigingsReden", namen(BeeindigingsReden::ALL)),
        ("OpschalingsReden", namen(OpschalingsReden::ALL)),
        ("AfsluitingsReden", namen(AfsluitingsReden::ALL)),
        ("HeropeningsReden", namen(HeropeningsReden::ALL)),
        ("WisReden", namen(WisReden::ALL)),
        ("IntrekkingsReden", namen(IntrekkingsReden::ALL)),
        ("Contract", namen(&Contract::VORMEN)),
    ];
    let enums = enums();
    for (naam, domein) in lijsten {
        assert_eq!(
            enums.get(naam),
            Some(&domein),
            "enum {naam} differs from the domain's list"
        );
    }
}

/// No closed list is taken as free text: every argument or input field named after one has its
/// enum type.
#[test]
fn no_closed_list_is_a_string() {
    use async_graphql::parser::types::{BaseType, TypeKind, TypeSystemDefinition};
    let document = async_graphql::parser::parse_schema(traject_api::schema::sdl()).unwrap();
    let naam_van = |ty: &async_graphql::parser::types::Type| match &ty.base {
        BaseType::Named(n) => n.to_string(),
        BaseType::List(_) => "[..]".to_owned(),
    };
    let mut gezien = 0;
    let mut controleer = |plek: &str, veld: &str, ty: String| {
        if [
            "methode",
            "verwijzer",
            "financier",
            "uitkering",
            "contract",
            "reden",
        ]
        .contains(&veld)
        {
            gezien += 1;
            assert!(
                ty != "String",
                "{plek}.{veld} is a String, not the list's enum"
            );
        }
    };
    for d in &document.definitions {
        let TypeSystemDefinition::Type(t) = d else {
            continue;
        };
        let plek = t.node.name.node.to_string();
        match &t.node.kind {
            TypeKind::InputObject(o) => {
                for f in &o.fields {
                    controleer(&plek, &f.node.name.node, naam_van(&f.node.ty.node));
                }
            }
            TypeKind::Object(o) if plek == "Mutation" => {
                for f in &o.fields {
                    for a in &f.node.arguments {
                        controleer(
                            &format!("{plek}.{}", f.node.name.node),
                            &a.node.name.node,
                            naam_van(&a.node.ty.node),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    assert!(gezien >= 10, "only {gezien} closed-list inputs found");
}

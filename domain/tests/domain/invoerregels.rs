//! The input rules of `tests/fixtures/invoerregels.json` hold for the domain's value types. The
//! web client checks the same file against its own checks, so a form says what the server would.

use chrono::NaiveDate;
use serde::Deserialize;
use traject_domain::value::{
    Bsn, CoachId, Datum, Email, Geboortedatum, Naam, Telefoon, UrenPerWeek, Werkgever,
};

#[derive(Deserialize)]
struct Regels {
    vandaag: NaiveDate,
    gevallen: Vec<Geval>,
}

#[derive(Deserialize)]
struct Geval {
    regel: String,
    invoer: String,
    fout: Option<String>,
}

fn controleer(regel: &str, invoer: &str, vandaag: NaiveDate) -> Option<String> {
    let uitkomst = match regel {
        "identificatie" => CoachId::parse(invoer).map(drop),
        "label" => Werkgever::parse(invoer).map(drop),
        "uren" => {
            let uren: f64 = invoer
                .trim()
                .parse()
                .expect("the fixture's hours are numbers");
            UrenPerWeek::from_hours(uren).map(drop)
        }
        "datum" => Datum::parse(invoer).map(drop),
        "naam" => Naam::parse(invoer).map(drop),
        "telefoon" => Telefoon::parse(invoer).map(drop),
        "email" => Email::parse(invoer).map(drop),
        "bsn" => Bsn::parse(invoer).map(drop),
        "geboortedatum" => Geboortedatum::parse(invoer, vandaag).map(drop),
        ander => panic!("the fixture names a rule the test does not know: {ander}"),
    };
    uitkomst.err().map(|fout| fout.regel.into_owned())
}

#[test]
fn the_shared_input_rules_hold_for_the_value_types() {
    let regels: Regels =
        serde_json::from_str(include_str!("../fixtures/invoerregels.json")).expect("valid JSON");
    assert!(regels.gevallen.len() > 40, "the fixture covers every rule");
    let afwijkend: Vec<String> = regels
        .gevallen
        .iter()
        .filter_map(|g| {
            let gekregen = controleer(&g.regel, &g.invoer, regels.vandaag);
            (gekregen != g.fout).then(|| {
                format!(
                    "{} {:?}: expected {:?}, got {:?}",
                    g.regel, g.invoer, g.fout, gekregen
                )
            })
        })
        .collect();
    assert!(afwijkend.is_empty(), "{}", afwijkend.join("\n"));
}

//! The vault end to end, on both stores: recording, conflicts, validation, search, and an
//! erasure after which nothing identifies the person in the database's bytes (SQLite: the file,
//! its free pages and the WAL; PostgreSQL: every table of the schema). And a whole scenario with
//! distinctive personal data, after which the events, the access log, the server's log output,
//! the error messages and the figures hold none of it.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};
use traject_api::kluis::opslag::{Kluis, PostgresKluis, SqliteKluis};

use crate::helpers::*;

const ORG: &str = "org-am13-1";
const NAAM: &str = "Xanthippe Quispel-Zwartendijk";
const GEBOREN: &str = "1983-07-19";
/// A valid BSN (it passes the elfproef).
const BSN: &str = "734089648";
const EMAIL: &str = "xanthippe.quispel@zwartendijk.example";
const TELEFOON: &str = "06-73408964";

const VASTLEGGEN: &str = r#"mutation($c: ID!, $v: Int, $g: PersoonsgegevensInvoer!) {
  persoonsgegevensVastleggen(clientId: $c, versie: $v, gegevens: $g) { versie gewist gegevens { naam bsn } }
}"#;
const PERSOON: &str = r#"query($c: ID!) {
  persoon(clientId: $c) { versie gewist gegevens { naam geboortedatum telefoon email bsn } }
}"#;
const ZOEK: &str = r#"query($z: String) {
  caseload(organisatie: true, zoek: $z) { totaal items { clientId naam } }
}"#;
const WIS: &str = r#"mutation($c: ID!) {
  clientWissen(clientId: $c, reden: VerzoekClient) { gegevensVernietigd trajectenGemarkeerd }
}"#;

fn gegevens() -> Value {
    json!({"naam": NAAM, "geboortedatum": GEBOREN, "telefoon": TELEFOON, "email": EMAIL, "bsn": BSN})
}

/// The strings that identify the person, as they could appear anywhere.
fn identificerend() -> Vec<&'static str> {
    vec![
        "Xanthippe",
        "Zwartendijk",
        "Quispel",
        GEBOREN,
        BSN,
        "73408964",
    ]
}

/// Refers a trajectory in `ORG` and returns (trajectory id, client id).
async fn aanmelding(server: &Server, token: &str) -> (String, String) {
    let r = server
        .gql(
            Some(token),
            AANMELDEN,
            json!({"org": ORG, "datum": "2026-03-02"}),
        )
        .await;
    let t = &r["data"]["aanmelden"]["traject"];
    (
        t["id"].as_str().unwrap().to_owned(),
        t["clientId"].as_str().unwrap().to_owned(),
    )
}

async fn vault_round_trip_conflict_search_and_erasure(server: Server) {
    let tl = token("tl-org1", "teamleider", Some(ORG));
    let beheerder = token("beheer", "beheerder", None);
    let (traject, client) = aanmelding(&server, &tl).await;
    let c = json!(client);

    let r = server.gql(Some(&tl), PERSOON, json!({"c": c})).await;
    assert_eq!(r["data"]["persoon"]["versie"], Value::Null, "{r}");
    let r = server
        .gql(Some(&tl), VASTLEGGEN, json!({"c": c, "g": gegevens()}))
        .await;
    assert_eq!(r["data"]["persoonsgegevensVastleggen"]["versie"], 0, "{r}");
    // A second "first time" and a stale version are conflicts naming the current version.
    for v in [Value::Null, json!(7)] {
        let r = server
            .gql(
                Some(&tl),
                VASTLEGGEN,
                json!({"c": c, "v": v, "g": gegevens()}),
            )
            .await;
        assert_eq!(code(&r), Some("CONFLICT"), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["huidigeRevisie"], 0, "{r}");
    }
    let mut ander = gegevens();
    ander["telefoon"] = json!("");
    let r = server
        .gql(Some(&tl), VASTLEGGEN, json!({"c": c, "v": 0, "g": ander}))
        .await;
    assert_eq!(r["data"]["persoonsgegevensVastleggen"]["versie"], 1, "{r}");

    // Bad input names the field and the rule, repeats nothing, and writes nothing.
    for (veld, waarde) in [
        ("bsn", "734089642"),
        ("geboortedatum", "2099-01-01"),
        ("email", "xanthippe@zwartendijk"),
        ("naam", ""),
    ] {
        let mut fout = gegevens();
        fout[veld] = json!(waarde);
        let r = server
            .gql(Some(&tl), VASTLEGGEN, json!({"c": c, "v": 1, "g": fout}))
            .await;
        assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
        assert_eq!(r["errors"][0]["extensions"]["veld"], veld, "{r}");
        let tekst = r["errors"].to_string();
        assert!(
            !tekst.contains("Zwartendijk") && !tekst.contains("73408964"),
            "{tekst}"
        );
    }
    let r = server.gql(Some(&tl), PERSOON, json!({"c": c})).await;
    let p = &r["data"]["persoon"];
    assert_eq!(
        (p["versie"].as_u64(), &p["gegevens"]["naam"]),
        (Some(1), &json!(NAAM))
    );
    assert_eq!(p["gegevens"]["telefoon"], Value::Null);
    assert_eq!(p["gegevens"]["bsn"], BSN);

    // Search by name, case- and diacritics-blind, by the starts of words.
    for (zoek, totaal) in [("zwarten", 1), ("QUISPEL xan", 1), ("zwartendijkx", 0)] {
        let r = server.gql(Some(&tl), ZOEK, json!({"z": zoek})).await;
        assert_eq!(r["data"]["caseload"]["totaal"], totaal, "{zoek}: {r}");
    }
    let r = server.gql(Some(&tl), ZOEK, json!({"z": "xanth"})).await;
    assert_eq!(r["data"]["caseload"]["items"][0]["naam"], NAAM, "{r}");

    // The sealed record as stored, to look for its bytes after the erasure.
    let record = kluis_van(&server)
        .await
        .lees(client.parse().unwrap())
        .await
        .unwrap()
        .unwrap()
        .inhoud
        .unwrap();

    // Erasure: beheerder only; afterwards nothing of the person is left.
    let r = server.gql(Some(&beheerder), WIS, json!({"c": c})).await;
    let w = &r["data"]["clientWissen"];
    assert_eq!(
        (
            w["gegevensVernietigd"].as_bool(),
            w["trajectenGemarkeerd"].as_u64()
        ),
        (Some(true), Some(1)),
        "{r}"
    );
    let r = server.gql(Some(&tl), PERSOON, json!({"c": c})).await;
    assert_eq!(r["data"]["persoon"]["gewist"], true, "{r}");
    assert_eq!(r["data"]["persoon"]["gegevens"], Value::Null);
    let r = server
        .gql(Some(&tl), ZOEK, json!({"z": "zwartendijk"}))
        .await;
    assert_eq!(r["data"]["caseload"]["totaal"], 0, "{r}");
    let r = server.gql(Some(&tl), ZOEK, Value::Null).await;
    assert_eq!(
        r["data"]["caseload"]["items"][0]["naam"],
        Value::Null,
        "{r}"
    );
    let r = server
        .gql(
            Some(&tl),
            VASTLEGGEN,
            json!({"c": c, "v": 2, "g": gegevens()}),
        )
        .await;
    assert_eq!(
        code(&r),
        Some("BAD_USER_INPUT"),
        "an erased client is never filled again: {r}"
    );
    let r = server.gql(Some(&beheerder), WIS, json!({"c": c})).await;
    let w = &r["data"]["clientWissen"];
    assert_eq!(
        (
            w["gegevensVernietigd"].as_bool(),
            w["trajectenGemarkeerd"].as_u64()
        ),
        (Some(false), Some(0)),
        "{r}"
    );
    // The case history stays, with its marker.
    let r = server.gql(Some(&tl), TRAJECT, json!({"id": traject})).await;
    let soorten = r["data"]["traject"]["tijdlijn"].to_string();
    assert!(soorten.contains("PersoonsgegevensGewist"), "{r}");

    let mut zoek: Vec<Vec<u8>> = identificerend()
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    zoek.push(record.sleutel.clone());
    zoek.extend(record.gegevens.clone());
    let gevonden = overal(&server, &zoek).await;
    assert!(gevonden.is_empty(), "found after the erasure: {gevonden:?}");
}

/// The vault's storage of the server's store (a connection of the test's own).
async fn kluis_van(server: &Server) -> Arc<dyn Kluis> {
    match &server.schema {
        None => {
            let pad = server.dir.path().join("events.sqlite");
            Arc::new(SqliteKluis::open(&pad).unwrap())
        }
        Some(schema) => Arc::new(
            PostgresKluis::verbind(&schema.url, &schema.name, 2)
                .await
                .unwrap(),
        ),
    }
}

/// Which of `naalden` occur in the store's bytes: for SQLite every file in the store's directory
/// but the master key (database, WAL, shared memory, snapshot), for PostgreSQL every row of every table of the schema (bytea as hex).
async fn overal(server: &Server, naalden: &[Vec<u8>]) -> Vec<String> {
    let hooi: Vec<u8> = match &server.schema {
        None => {
            let mut bytes = Vec::new();
            for bestand in std::fs::read_dir(server.dir.path()).unwrap() {
                let pad = bestand.unwrap().path();
                if pad.file_name().unwrap() != "kluis.sleutel" {
                    bytes.extend(std::fs::read(&pad).unwrap());
                }
            }
            bytes
        }
        Some(schema) => {
            let (client, verbinding) = tokio_postgres::connect(&schema.url, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(verbinding);
            let tabellen = client
                .query(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1",
                    &[&schema.name],
                )
                .await
                .unwrap();
            assert!(tabellen.len() >= 3, "events, kluis and migrations");
            let mut tekst = String::new();
            for t in tabellen {
                let naam: String = t.get(0);
                let sql = format!("SELECT t::text FROM \"{}\".\"{naam}\" t", schema.name);
                for rij in client.query(&sql, &[]).await.unwrap() {
                    tekst.push_str(&rij.get::<_, String>(0));
                }
            }
            tekst.into_bytes()
        }
    };
    naalden
        .iter()
        .filter(|naald| {
            let tekst = if server.schema.is_some() && std::str::from_utf8(naald).is_err() {
                hex(naald).into_bytes()
            } else {
                naald.to_vec()
            };
            hooi.windows(tekst.len()).any(|w| w == tekst.as_slice())
        })
        .map(|n| String::from_utf8(n.clone()).unwrap_or_else(|_| format!("{} bytes", n.len())))
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Everything the server logs in this test binary, from the first test that asks for it on.
fn serverlog() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    Arc::clone(LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let schrijver = Arc::clone(&buffer);
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || Schrijver(Arc::clone(&schrijver)))
            .try_init()
            .ok();
        buffer
    }))
}

struct Schrijver(Arc<Mutex<Vec<u8>>>);

impl Write for Schrijver {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn nothing_personal_in_events_logs_errors_or_figures(server: Server) {
    let log = serverlog();
    let anna = token("coach-anna", "coach", Some(ORG));
    let tl = token("tl-org1", "teamleider", Some(ORG));
    let (traject, client) = aanmelding(&server, &tl).await;
    let c = json!(client);
    let r = server
        .gql(Some(&tl), VASTLEGGEN, json!({"c": c, "g": gegevens()}))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let r = server
        .gql(
            Some(&tl),
            r#"mutation { coachToevoegen(coach: "coach-anna") { coach } }"#,
            json!({}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let mut antwoorden = Vec::new();
    // The work of a trajectory, and the reads a coach makes.
    let intake = mutatie(
        "intakeAfronden",
        r#", coach: "coach-anna", uitkering: WW, inGgzBehandeling: true"#,
        "",
    );
    let r = server
        .gql(
            Some(&tl),
            &intake,
            json!({"id": traject, "rev": 0, "datum": "2026-03-09"}),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    antwoorden.push(
        server
            .gql(
                Some(&anna),
                ZOEK.replace("organisatie: true, ", "").as_str(),
                json!({"z": "xanthippe"}),
            )
            .await,
    );
    antwoorden.push(server.gql(Some(&anna), PERSOON, json!({"c": c})).await);
    // Errors with personal data in the input: in a value, in a wrong type, in an unknown field,
    // in a malformed query.
    let mut fout = gegevens();
    fout["bsn"] = json!(format!("{BSN}0"));
    fout["email"] = json!(format!("{NAAM} <{EMAIL}>"));
    for (query, vars) in [
        (VASTLEGGEN, json!({"c": c, "v": 0, "g": fout})),
        (
            VASTLEGGEN,
            json!({"c": c, "v": 0, "g": {"naam": NAAM, "geboortedatum": 19830719}}),
        ),
        (
            VASTLEGGEN,
            json!({"c": c, "v": 0, "g": {"naam": NAAM, "geboortedatum": GEBOREN, "Xanthippe": BSN}}),
        ),
        (VASTLEGGEN, json!({"c": BSN, "v": 0, "g": gegevens()})),
        (ZOEK, json!({"z": [NAAM]})),
    ] {
        let r = server.gql(Some(&anna), query, vars).await;
        assert!(!r["errors"].is_null(), "{r}");
        antwoorden.push(r);
    }
    let r = server
        .gql(
            Some(&anna),
            &format!("{{ persoon(clientId: \"{NAAM}\") {{ versie }} }}"),
            json!({}),
        )
        .await;
    antwoorden.push(r);
    let r = server
        .gql(Some(&anna), &format!("{{ {NAAM} }}"), json!({}))
        .await;
    antwoorden.push(r);
    // Figures: the IPS indicators of the organisation.
    antwoorden.push(
        server
            .gql(
                Some(&tl),
                "{ ipsIndicatoren(organisatie: true) { actieveCaseload plaatsingen } }",
                json!({}),
            )
            .await,
    );

    let fouten: String = antwoorden
        .iter()
        .filter(|r| !r["errors"].is_null())
        .map(|r| r["errors"].to_string())
        .collect();
    assert!(fouten.contains("BAD_USER_INPUT"), "{fouten}");
    let mut gevonden = Vec::new();
    for s in identificerend() {
        if fouten.contains(s) {
            gevonden.push(format!("error message: {s}"));
        }
    }
    // Every event, trajectories' and the access log's, with its metadata.
    let events = server
        .store
        .read_all(None, &traject_store::StreamFilter::all(), 100_000)
        .await
        .unwrap();
    assert!(events.len() > 5);
    let opgeslagen: String = events
        .iter()
        .map(|e| format!("{} {} {:?}", e.data, e.event_type, e.metadata))
        .collect();
    let logtekst = String::from_utf8_lossy(&log.lock().unwrap()).into_owned();
    assert!(!logtekst.is_empty(), "the server's log output is captured");
    let figuren = antwoorden.last().unwrap().to_string();
    for s in identificerend() {
        for (waar, tekst) in [
            ("events", &opgeslagen),
            ("server log", &logtekst),
            ("figures", &figuren),
        ] {
            if tekst.contains(s) {
                gevonden.push(format!("{waar}: {s}"));
            }
        }
    }
    assert!(
        gevonden.is_empty(),
        "personal data where it does not belong: {gevonden:?}"
    );
}

/// An employer's name that names the client (a self-employed client's own firm), and a job title.
const KLUSBEDRIJF: &str = "Klusbedrijf Q. Xylofoonmeester";
const FUNCTIE: &str = "Xylofoonstemmer";

const TIJDLIJN: &str = r#"query($id: ID!) {
  traject(id: $id) { revisie tijdlijn { soort gegevens } }
}"#;

/// The free text of `tijdlijn` (a trajectory's timeline): every `werkgever` and `functie`.
fn vrije_tekst(tijdlijn: &Value) -> Vec<Value> {
    tijdlijn
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            ["werkgever", "functie"]
                .into_iter()
                .filter_map(|veld| r["gegevens"].get(veld).cloned())
        })
        .collect()
}

/// Employer and job title are sealed with the client's key: the coach reads them, a retry is
/// still recognised, no byte of the store holds them in clear, and after the erasure they read
/// as erased (null) and nothing more about the client is recorded.
async fn employer_text_is_sealed_and_unreadable_after_erasure(server: Server) {
    let coach = token("coach-anna", "coach", Some(ORG));
    let beheerder = token("beheerder-bo", "beheerder", None);
    let (id, c) = aanmelding(&server, &coach).await;
    let m =
        |veld: &str, extra: &str| mutatie(veld, extra, "traject { tijdlijn { soort gegevens } }");
    let stap = |rev: u64, datum: &str| json!({"id": id, "rev": rev, "datum": datum});
    let r = server
        .gql(
            Some(&coach),
            &m(
                "intakeAfronden",
                r#", uitkering: WW, inGgzBehandeling: true"#,
            ),
            stap(0, "2026-03-09"),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let contact = format!(r#", werkgever: "{KLUSBEDRIJF}", persoonlijk: true"#);
    let r = server
        .gql(
            Some(&coach),
            &m("werkgeverscontact", &contact),
            stap(1, "2026-03-16"),
        )
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let plaatsing = |functie: &str| {
        format!(
            r#", plaatsing: {{werkgever: "{KLUSBEDRIJF}", functie: "{functie}", urenPerWeek: 24, contract: Vast, betaald: true, regulier: true}}"#
        )
    };
    let mut vars = stap(2, "2026-04-01");
    vars["eventId"] = json!(uuid::Uuid::now_v7().to_string());
    let eerste = server
        .gql(
            Some(&coach),
            &m("plaatsingStarten", &plaatsing(FUNCTIE)),
            vars.clone(),
        )
        .await;
    assert!(eerste["errors"].is_null(), "{eerste}");
    // A retry (same event id, same content) is recognised although the stored text is sealed;
    // the same id with another job title is not.
    let tweede = server
        .gql(
            Some(&coach),
            &m("plaatsingStarten", &plaatsing(FUNCTIE)),
            vars.clone(),
        )
        .await;
    assert_eq!(tweede["data"], eerste["data"], "{tweede}");
    let ander = server
        .gql(
            Some(&coach),
            &m("plaatsingStarten", &plaatsing("Bakker")),
            vars,
        )
        .await;
    assert_eq!(code(&ander), Some("BAD_USER_INPUT"), "{ander}");
    assert_eq!(
        ander["errors"][0]["extensions"]["veld"], "wijziging.eventId",
        "{ander}"
    );
    // The coach reads them.
    let tekst = vrije_tekst(&eerste["data"]["plaatsingStarten"]["traject"]["tijdlijn"]);
    assert_eq!(
        tekst,
        vec![json!(KLUSBEDRIJF), json!(KLUSBEDRIJF), json!(FUNCTIE)],
        "{eerste}"
    );
    // Not one byte of the store holds them in clear.
    let naalden = [KLUSBEDRIJF.as_bytes().to_vec(), FUNCTIE.as_bytes().to_vec()];
    let gevonden = overal(&server, &naalden).await;
    assert!(gevonden.is_empty(), "in clear in the store: {gevonden:?}");
    // The client's key, which sealed them (the vault holds no personal data of theirs).
    let client = uuid::Uuid::parse_str(&c).unwrap();
    let record = kluis_van(&server)
        .await
        .lees(client)
        .await
        .unwrap()
        .unwrap();
    let sleutel = record.inhoud.expect("a key for the sealed text");
    assert_eq!(sleutel.gegevens, None);

    let r = server.gql(Some(&beheerder), WIS, json!({"c": c})).await;
    assert_eq!(r["data"]["clientWissen"]["gegevensVernietigd"], true, "{r}");
    let r = server.gql(Some(&coach), TIJDLIJN, json!({"id": id})).await;
    let tekst = vrije_tekst(&r["data"]["traject"]["tijdlijn"]);
    assert_eq!(
        tekst,
        vec![Value::Null; 3],
        "erased text reads as erased: {r}"
    );
    // Nothing more of the client's free text is recorded.
    let rev = r["data"]["traject"]["revisie"].as_u64().unwrap();
    let r = server
        .gql(
            Some(&coach),
            &m("werkgeverscontact", &contact),
            stap(rev, "2026-04-20"),
        )
        .await;
    assert_eq!(code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert_eq!(r["errors"][0]["extensions"]["veld"], "werkgever", "{r}");
    assert!(overal(&server, &naalden).await.is_empty());
    // And the key that sealed what was recorded is gone.
    let record = kluis_van(&server)
        .await
        .lees(uuid::Uuid::parse_str(&c).unwrap())
        .await;
    assert_eq!(record.unwrap().unwrap().inhoud, None);
}

op_elke_store!(
    vault_round_trip_conflict_search_and_erasure,
    nothing_personal_in_events_logs_errors_or_figures,
    employer_text_is_sealed_and_unreadable_after_erasure
);

/// An erasure over HTTP while another process holds a read transaction on the embedded store's
/// file (a backup tool, a database browser): it answers within the request's time, with its
/// entry and its marker, and the sealed record leaves the file and its WAL once the reader lets
/// go. Asked again, it says the client was erased already.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_under_a_reader_of_the_file_is_complete_and_leaves_no_record() {
    let server = crate::helpers::start().await;
    let tl = token("tl-org1", "teamleider", Some(ORG));
    let (traject, client) = aanmelding(&server, &tl).await;
    let r = server
        .gql(Some(&tl), VASTLEGGEN, json!({"c": client, "g": gegevens()}))
        .await;
    assert!(r["errors"].is_null(), "{r}");
    let pad = server.dir.path().join("events.sqlite");
    // The sealed record's wrapped key, as the vault stores it.
    let sleutel: Vec<u8> = rusqlite::Connection::open(&pad)
        .unwrap()
        .query_row(
            "SELECT sleutel FROM kluis WHERE client = ?1",
            [uuid::Uuid::parse_str(&client).unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    let lezer = traject_store::testing::Lezer::houd_vast(&pad);
    let beheerder = token("beheer", "beheerder", None);
    let r = server
        .gql(Some(&beheerder), WIS, json!({"c": client}))
        .await;
    assert_eq!(r["data"]["clientWissen"]["gegevensVernietigd"], true, "{r}");
    assert_eq!(r["data"]["clientWissen"]["trajectenGemarkeerd"], 1, "{r}");
    let log = server.logregels().await;
    let entry = log.last().unwrap();
    assert_eq!(entry.toegang.gebeurteniscode, "client.wissen");
    let lees = "query($id: ID!) { traject(id: $id) { tijdlijn { soort } } }";
    let t = server.gql(Some(&tl), lees, json!({"id": traject})).await;
    let soorten = t["data"]["traject"]["tijdlijn"].to_string();
    assert!(soorten.contains("PersoonsgegevensGewist"), "{t}");
    lezer.los();
    // A guard against a hang, not a timing assertion: the vault tries every 200 ms.
    let mut schoon = false;
    for _ in 0..300 {
        if !traject_store::testing::bestand_bevat(&pad, &sleutel) {
            schoon = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(schoon, "the wrapped key stays in the file or its WAL");
    let r = server
        .gql(
            Some(&beheerder),
            r#"mutation($c: ID!) { clientWissen(clientId: $c, reden: VerzoekClient) { gegevensVernietigd eerderGewist } }"#,
            json!({"c": client}),
        )
        .await;
    assert_eq!(r["data"]["clientWissen"]["eerderGewist"], true, "{r}");
    assert_eq!(
        r["data"]["clientWissen"]["gegevensVernietigd"], false,
        "{r}"
    );
}

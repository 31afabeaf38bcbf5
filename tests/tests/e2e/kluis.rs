//! The vault end to end, on both stores: recording, conflicts, validation, search, and an
//! erasure after which nothing identifies the person in the database's bytes (SQLite: the file,
//! its free pages and the WAL; PostgreSQL: every table of the schema). And a whole scenario with
//! distinctive personal data, after which the events, the access log, the server's log output,
//! the error messages and the figures hold none of it.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::{Value, json};
use traject_api::kluis::storage::{Kluis, PostgresKluis, SqliteKluis};

use crate::api::{CaseloadVraag, Gebruiker, Opdracht, PlaatsingInvoer, TijdlijnRegel, Wijziging};
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
async fn aanmelding(gebruiker: &Gebruiker<'_>) -> (String, String) {
    let t = gebruiker
        .aanmelden(ORG, "2026-03-02")
        .await
        .unwrap()
        .traject;
    (t.id, t.client_id)
}

async fn vault_round_trip_conflict_search_and_erasure(server: Server) {
    let tl = server.teamleider("tl-org1", ORG);
    let beheerder = server.beheerder("beheer");
    let (traject, client) = aanmelding(&tl).await;

    assert_eq!(tl.persoon(&client).await.unwrap().versie, None);
    let vastgelegd = tl
        .persoonsgegevens_vastleggen(&client, None, &gegevens())
        .await
        .unwrap();
    assert_eq!(vastgelegd.versie, Some(0));
    // A second "first time" and a stale version are conflicts naming the current version.
    for versie in [None, Some(7)] {
        let f = tl
            .persoonsgegevens_vastleggen(&client, versie, &gegevens())
            .await
            .unwrap_err();
        assert_eq!(f.code, "CONFLICT", "{f}");
        assert_eq!(f.regel.as_deref(), Some("versie_verouderd"), "{f}");
        assert_eq!(f.huidige_revisie, Some(0), "{f}");
    }
    let mut ander = gegevens();
    ander["telefoon"] = json!("");
    let vastgelegd = tl
        .persoonsgegevens_vastleggen(&client, Some(0), &ander)
        .await
        .unwrap();
    assert_eq!(vastgelegd.versie, Some(1));

    // Bad input names the field and the rule, repeats nothing, and writes nothing.
    for (veld, waarde) in [
        ("bsn", "734089642"),
        ("geboortedatum", "2099-01-01"),
        ("email", "xanthippe@zwartendijk"),
        ("naam", ""),
    ] {
        let mut fout = gegevens();
        fout[veld] = json!(waarde);
        let f = tl
            .persoonsgegevens_vastleggen(&client, Some(1), &fout)
            .await
            .unwrap_err();
        assert_eq!(f.code, "BAD_USER_INPUT", "{f}");
        let pad = format!("gegevens.{veld}");
        assert_eq!(f.veld.as_deref(), Some(pad.as_str()), "{f}");
        let tekst = f.antwoord["errors"].to_string();
        assert!(
            !tekst.contains("Zwartendijk") && !tekst.contains("73408964"),
            "{tekst}"
        );
    }
    let p = tl.persoon(&client).await.unwrap();
    let g = p.gegevens.as_ref().expect("personal data");
    assert_eq!((p.versie, g.naam.as_str()), (Some(1), NAAM));
    assert_eq!(g.telefoon, None);
    assert_eq!(g.bsn.as_deref(), Some(BSN));

    // Search by name, case- and diacritics-blind, by the starts of words.
    for (zoek, totaal) in [("zwarten", 1), ("QUISPEL xan", 1), ("zwartendijkx", 0)] {
        let gevonden = tl.caseload(CaseloadVraag::organisatie().zoek(zoek)).await;
        assert_eq!(gevonden.unwrap().totaal, totaal, "{zoek}");
    }
    // Only spaces is no search; text without a letter or digit finds no one (it used to find
    // everyone, as if nothing had been typed).
    let alle = tl
        .caseload(CaseloadVraag::organisatie())
        .await
        .unwrap()
        .totaal;
    assert!(alle >= 1, "{alle}");
    for (zoek, totaal) in [
        ("   ", alle),
        ("\u{1F642}", 0),
        ("\u{200B}\u{FEFF}", 0),
        ("!?", 0),
        (" - ", 0),
    ] {
        let gevonden = tl.caseload(CaseloadVraag::organisatie().zoek(zoek)).await;
        assert_eq!(gevonden.unwrap().totaal, totaal, "{zoek:?}");
    }
    let gevonden = tl
        .caseload(CaseloadVraag::organisatie().zoek("xanth"))
        .await
        .unwrap();
    assert_eq!(gevonden.items[0].naam.as_deref(), Some(NAAM));

    // The sealed record as stored, to look for its bytes after the erasure.
    let record = kluis_van(&server)
        .await
        .read(client.parse().unwrap())
        .await
        .unwrap()
        .unwrap()
        .inhoud
        .unwrap();

    // Erasure: beheerder only; afterwards nothing of the person is left.
    let w = beheerder.client_wissen(&client).await.unwrap();
    assert_eq!((w.gegevens_vernietigd, w.trajecten_gemarkeerd), (true, 1));
    let p = tl.persoon(&client).await.unwrap();
    assert!(p.gewist, "{p:?}");
    assert_eq!(p.gegevens, None);
    let gevonden = tl
        .caseload(CaseloadVraag::organisatie().zoek("zwartendijk"))
        .await;
    assert_eq!(gevonden.unwrap().totaal, 0);
    let alle = tl.caseload(CaseloadVraag::organisatie()).await.unwrap();
    assert_eq!(alle.items[0].naam, None, "{alle:?}");
    let f = tl
        .persoonsgegevens_vastleggen(&client, Some(2), &gegevens())
        .await
        .unwrap_err();
    assert_eq!(
        f.code, "BAD_USER_INPUT",
        "an erased client is never filled again: {f}"
    );
    let w = beheerder.client_wissen(&client).await.unwrap();
    assert_eq!((w.gegevens_vernietigd, w.trajecten_gemarkeerd), (false, 0));
    // The case history stays, with its marker.
    let t = tl.traject(&traject).await.unwrap();
    assert!(t.soorten().contains(&"PersoonsgegevensGewist"), "{t:?}");

    let mut zoek: Vec<Vec<u8>> = identificerend()
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    zoek.push(record.sleutel.clone());
    zoek.extend(record.gegevens.clone());
    let gevonden = overal(&server, &zoek).await;
    assert!(gevonden.is_empty(), "found after the erasure: {gevonden:?}");
}

/// An id that names no client (a beheerder's typo) is not "erased": the answer is NOT_FOUND, the
/// attempt is in the access log as refused, and nothing is written to the store.
async fn erasing_an_id_that_names_no_client_writes_nothing(server: Server) {
    let beheerder = server.beheerder("beheer");
    let tl = server.teamleider("tl-a", ORG);
    let (_, client) = aanmelding(&tl).await;
    let voor = server.store.head().await.unwrap();
    let onbekend = uuid::Uuid::now_v7().to_string();
    let f = beheerder.client_wissen(&onbekend).await.unwrap_err();
    assert_eq!(f.code, "NOT_FOUND", "{f}");
    assert_eq!(server.store.head().await.unwrap(), voor, "nothing written");
    let regel = server.logregels().await.pop().unwrap();
    assert_eq!(
        regel.toegang.resultaat,
        traject_api::toegangslog::Resultaat::Geweigerd
    );
    assert_eq!(regel.toegang.clients[0].to_string(), onbekend);
    // A referred client without personal data is a client: erased as ever.
    let w = beheerder.client_wissen(&client).await.unwrap();
    assert_eq!((w.gegevens_vernietigd, w.trajecten_gemarkeerd), (false, 1));
}

/// The vault's storage of the server's store (a connection of the test's own).
async fn kluis_van(server: &Server) -> Arc<dyn Kluis> {
    match &server.schema {
        None => {
            let pad = server.dir.path().join("events.sqlite");
            Arc::new(SqliteKluis::open(&pad).unwrap())
        }
        Some(schema) => Arc::new(
            PostgresKluis::connect(&schema.url, &schema.name, 2)
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
    let tl = server.teamleider("tl-org1", ORG);
    let (traject, client) = aanmelding(&tl).await;
    let c = json!(client);
    tl.persoonsgegevens_vastleggen(&client, None, &gegevens())
        .await
        .unwrap();
    tl.coach_toevoegen("coach-anna", None).await.unwrap();
    // The work of a trajectory, and the reads a coach makes.
    let intake = Opdracht::IntakeAfronden {
        uitkering: "WW",
        in_ggz_behandeling: true,
        coach: Some("coach-anna".to_owned()),
    };
    tl.wijzig(&Wijziging::op(&traject, 0, "2026-03-09"), intake)
        .await
        .unwrap();
    let mut antwoorden = Vec::new();
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
                Some(tl.token()),
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

/// The free text of `tijdlijn` (a trajectory's timeline): every `werkgever` and `functie`.
fn vrije_tekst(tijdlijn: &[TijdlijnRegel]) -> Vec<Value> {
    tijdlijn
        .iter()
        .flat_map(|r| {
            ["werkgever", "functie"]
                .into_iter()
                .filter_map(|veld| r.gegevens.get(veld).cloned())
        })
        .collect()
}

/// Employer and job title are sealed with the client's key: the coach reads them, a retry is
/// still recognised, no byte of the store holds them in clear, and after the erasure they read
/// as erased (null) and nothing more about the client is recorded.
async fn employer_text_is_sealed_and_unreadable_after_erasure(server: Server) {
    let coach = server.coach("coach-anna", ORG);
    let beheerder = server.beheerder("beheerder-bo");
    let (id, c) = aanmelding(&coach).await;
    let intake = Wijziging::op(&id, 0, "2026-03-09");
    coach
        .wijzig(&intake, Opdracht::intake("WW", true))
        .await
        .unwrap();
    let contact = Opdracht::werkgeverscontact(KLUSBEDRIJF, true);
    coach
        .wijzig(&Wijziging::op(&id, 1, "2026-03-16"), contact.clone())
        .await
        .unwrap();
    let plaatsing =
        |functie| Opdracht::PlaatsingStarten(PlaatsingInvoer::vast(KLUSBEDRIJF, functie, 24.0));
    let start = Wijziging::op(&id, 2, "2026-04-01").met_event_id(&uuid::Uuid::now_v7().to_string());
    let eerste = coach.wijzig(&start, plaatsing(FUNCTIE)).await.unwrap();
    // A retry (same event id, same content) is recognised although the stored text is sealed;
    // the same id with another job title is not.
    let tweede = coach.wijzig(&start, plaatsing(FUNCTIE)).await.unwrap();
    assert_eq!(tweede, eerste);
    let ander = coach.wijzig(&start, plaatsing("Bakker")).await.unwrap_err();
    assert_eq!(ander.code, "BAD_USER_INPUT", "{ander}");
    assert_eq!(ander.veld.as_deref(), Some("wijziging.eventId"), "{ander}");
    // The coach reads them.
    let tekst = vrije_tekst(&eerste.traject.tijdlijn);
    assert_eq!(
        tekst,
        vec![json!(KLUSBEDRIJF), json!(KLUSBEDRIJF), json!(FUNCTIE)],
        "{eerste:?}"
    );
    // Not one byte of the store holds them in clear.
    let naalden = [KLUSBEDRIJF.as_bytes().to_vec(), FUNCTIE.as_bytes().to_vec()];
    let gevonden = overal(&server, &naalden).await;
    assert!(gevonden.is_empty(), "in clear in the store: {gevonden:?}");
    // The client's key, which sealed them (the vault holds no personal data of theirs).
    let client = uuid::Uuid::parse_str(&c).unwrap();
    let record = kluis_van(&server)
        .await
        .read(client)
        .await
        .unwrap()
        .unwrap();
    let sleutel = record.inhoud.expect("a key for the sealed text");
    assert_eq!(sleutel.gegevens, None);

    let w = beheerder.client_wissen(&c).await.unwrap();
    assert!(w.gegevens_vernietigd, "{w:?}");
    let t = coach.traject(&id).await.unwrap();
    let tekst = vrije_tekst(&t.tijdlijn);
    assert_eq!(
        tekst,
        vec![Value::Null; 3],
        "erased text reads as erased: {t:?}"
    );
    // Nothing more of the client's free text is recorded.
    let rev = t.revisie.unwrap();
    let f = coach
        .wijzig(&Wijziging::op(&id, rev, "2026-04-20"), contact)
        .await
        .unwrap_err();
    assert_eq!(f.code, "BAD_USER_INPUT", "{f}");
    assert_eq!(f.veld.as_deref(), Some("werkgever"), "{f}");
    assert!(overal(&server, &naalden).await.is_empty());
    // And the key that sealed what was recorded is gone.
    let record = kluis_van(&server)
        .await
        .read(uuid::Uuid::parse_str(&c).unwrap())
        .await;
    assert_eq!(record.unwrap().unwrap().inhoud, None);
}

op_elke_store!(
    vault_round_trip_conflict_search_and_erasure,
    nothing_personal_in_events_logs_errors_or_figures,
    employer_text_is_sealed_and_unreadable_after_erasure,
    erasing_an_id_that_names_no_client_writes_nothing
);

/// An erasure over HTTP while another process holds a read transaction on the embedded store's
/// file (a backup tool, a database browser): it answers within the request's time, with its
/// entry and its marker, and the sealed record leaves the file and its WAL once the reader lets
/// go. Asked again, it says the client was erased already.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erasure_under_a_reader_of_the_file_is_complete_and_leaves_no_record() {
    let server = crate::helpers::start().await;
    let tl = server.teamleider("tl-org1", ORG);
    let (traject, client) = aanmelding(&tl).await;
    tl.persoonsgegevens_vastleggen(&client, None, &gegevens())
        .await
        .unwrap();
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
    let beheerder = server.beheerder("beheer");
    let w = beheerder.client_wissen(&client).await.unwrap();
    assert!(w.gegevens_vernietigd, "{w:?}");
    assert_eq!(w.trajecten_gemarkeerd, 1, "{w:?}");
    let log = server.logregels().await;
    let entry = log.last().unwrap();
    assert_eq!(entry.toegang.gebeurteniscode, "client.wissen");
    let t = tl.traject(&traject).await.unwrap();
    assert!(t.soorten().contains(&"PersoonsgegevensGewist"), "{t:?}");
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
    let w = beheerder.client_wissen(&client).await.unwrap();
    assert!(w.eerder_gewist, "{w:?}");
    assert!(!w.gegevens_vernietigd, "{w:?}");
}

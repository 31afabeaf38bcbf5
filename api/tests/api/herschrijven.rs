//! `traject kluis rewrite` from outside, on the embedded store and on PostgreSQL: a store that
//! holds employers' names and job titles in clear (as stores written before they were sealed
//! do) is copied into a new one. Refused while a server runs on the old store; afterwards the
//! new store holds none of the text in clear, a server on it shows the living client's text and
//! "erased" (null) for the erased client's, and every event keeps its id, order and recording
//! time, so the access log's chain still holds.

use std::process::Command;

use serde_json::{Value, json};

use crate::binair::{klaar, start, vrije_poort};
use traject_api::auth::{Claims, mint, nu};
use traject_store::{
    EventStore, ExpectedRevision, Metadata, NewEvent, PostgresConfig, PostgresStore, SqliteStore,
    StreamFilter, StreamName,
};

const SECRET: &str = "herschrijf-geheim";
const ORG: &str = "org-am13-1";
/// Clear text as an earlier version stored it: an employer that names the client.
const KLUSBEDRIJF: &str = "Klusbedrijf Q. Xylofoonmeester";
const TUINEN: &str = "Xylofoon Tuinen";
const HOVENIER: &str = "Xylofoonhovenier";
/// What this version sealed itself before the copy.
const BAKKERIJ: &str = "Bakkerij Zuurdesemzicht";

struct Server {
    proces: crate::binair::Proces,
    basis: String,
    http: reqwest::Client,
}

impl Server {
    async fn start(store: &str, sleutel: &std::path::Path) -> Self {
        let poort = vrije_poort();
        let server = Self {
            proces: start(store, sleutel, SECRET, poort),
            basis: format!("http://127.0.0.1:{poort}"),
            http: reqwest::Client::new(),
        };
        klaar(&server.http, &server.basis).await;
        server
    }

    async fn gql(&self, token: &str, query: &str, variables: Value) -> Value {
        let r: Value = self
            .http
            .post(format!("{}/graphql", self.basis))
            .bearer_auth(token)
            .json(&json!({"query": query, "variables": variables}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(r["errors"].is_null(), "{query}: {r}");
        r["data"].clone()
    }

    fn stop(mut self) {
        self.proces.kill().unwrap();
        self.proces.wait().unwrap();
    }
}

fn token(sub: &str, rol: &str) -> String {
    mint(
        SECRET,
        &Claims {
            sub: sub.to_owned(),
            name: None,
            roles: vec![rol.to_owned()],
            realm_access: None,
            organisatie: (rol != "beheerder").then(|| ORG.to_owned()),
            regio: Some("AM13".to_owned()),
            exp: nu() + 3600,
            iss: None,
            aud: None,
            nbf: None,
        },
    )
}

const AANMELDEN: &str = r#"mutation {
  aanmelden(invoer: {datum: "2025-02-03", methode: IPS, regio: "AM13", organisatie: "org-am13-1",
                     verwijzer: GGZ, financier: Gemeente}) { traject { id clientId } }
}"#;
const INTAKE: &str = r#"mutation($id: ID!) {
  intakeAfronden(wijziging: {trajectId: $id, revisie: 0, datum: "2025-02-10"},
                 uitkering: WW, inGgzBehandeling: false) { revisie }
}"#;
const CONTACT: &str = r#"mutation($id: ID!, $w: String!) {
  werkgeverscontact(wijziging: {trajectId: $id, revisie: 1, datum: "2025-02-17"},
                    werkgever: $w, persoonlijk: true) { revisie }
}"#;
const PERSOON: &str = r#"mutation($c: ID!) {
  persoonsgegevensVastleggen(clientId: $c, gegevens: {naam: "Quirijn Xylofoonmeester", geboortedatum: "1980-01-02"}) { versie }
}"#;
const WIS: &str = r#"mutation($c: ID!) {
  clientWissen(clientId: $c, reden: VerzoekClient) { gegevensVernietigd }
}"#;
const TIJDLIJN: &str = r#"query($id: ID!) { traject(id: $id) { tijdlijn { soort gegevens } } }"#;

/// Every `werkgever` and `functie` on a trajectory's timeline, in order.
async fn vrije_tekst(server: &Server, id: &str) -> Vec<Value> {
    let r = server
        .gql(&token("coach-anna", "coach"), TIJDLIJN, json!({"id": id}))
        .await;
    r["traject"]["tijdlijn"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|regel| {
            ["werkgever", "functie"]
                .into_iter()
                .filter_map(|veld| regel["gegevens"].get(veld).cloned())
        })
        .collect()
}

/// A clear-text event as an earlier version wrote it, appended to `traject`'s stream.
async fn oud_event(store: &dyn EventStore, traject: &str, revisie: u64, data: NewEvent) {
    let stream = StreamName::new(format!("traject-{traject}")).unwrap();
    store
        .append(&stream, ExpectedRevision::Exact(revisie), vec![data])
        .await
        .unwrap();
}

fn oude_vorm(event_type: &str, schema_version: u32, data: Value) -> NewEvent {
    NewEvent {
        id: uuid::Uuid::now_v7(),
        event_type: event_type.to_owned(),
        schema_version,
        data,
        metadata: Metadata {
            actor: Some("coach-anna".to_owned()),
            ..Metadata::default()
        },
        recorded_at: None,
    }
}

/// Where a test's stores live: the argument `--store` takes, and how to open its events.
trait Plek {
    fn arg(&self) -> String;
    async fn open(&self) -> Box<dyn EventStore>;
    /// Whether the store's bytes (files, or rows as text) contain `naald`.
    async fn bevat(&self, naald: &str) -> bool;
}

struct Map(std::path::PathBuf);

impl Plek for Map {
    fn arg(&self) -> String {
        self.0.display().to_string()
    }
    async fn open(&self) -> Box<dyn EventStore> {
        Box::new(
            SqliteStore::open(self.0.join("events.sqlite"))
                .await
                .unwrap(),
        )
    }
    async fn bevat(&self, naald: &str) -> bool {
        std::fs::read_dir(&self.0).unwrap().any(|f| {
            let pad = f.unwrap().path();
            pad.is_file() && traject_store::testing::bestand_bevat(&pad, naald.as_bytes())
        })
    }
}

/// A database of its own on the test server, dropped afterwards.
struct Database {
    basis: String,
    naam: String,
}

impl Database {
    async fn new(url: &str) -> Self {
        let naam = format!("herschrijf_{}", uuid::Uuid::now_v7().simple());
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE DATABASE {naam}"))
            .await
            .unwrap();
        let basis = url.rsplit_once('/').unwrap().0.to_owned();
        Self { basis, naam }
    }

    async fn client(&self) -> tokio_postgres::Client {
        let (client, conn) = tokio_postgres::connect(&self.arg(), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
    }
}

impl Plek for Database {
    fn arg(&self) -> String {
        format!("{}/{}", self.basis, self.naam)
    }
    async fn open(&self) -> Box<dyn EventStore> {
        Box::new(
            PostgresStore::connect(PostgresConfig::new(self.arg()))
                .await
                .unwrap(),
        )
    }
    async fn bevat(&self, naald: &str) -> bool {
        // Every row of every table of the store's schema, as text (bytea as hex).
        let client = self.client().await;
        let tabellen = client
            .query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'traject'",
                &[],
            )
            .await
            .unwrap();
        let hex: String = naald.bytes().map(|b| format!("{b:02x}")).collect();
        for t in tabellen {
            let tabel: String = t.get(0);
            let rijen = client
                .query(&format!("SELECT t::text FROM traject.\"{tabel}\" t"), &[])
                .await
                .unwrap();
            if rijen.iter().any(|r| {
                let tekst: String = r.get(0);
                tekst.contains(naald) || tekst.contains(&hex)
            }) {
                return true;
            }
        }
        false
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let (basis, naam) = (self.basis.clone(), self.naam.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                if let Ok((client, conn)) =
                    tokio_postgres::connect(&format!("{basis}/postgres"), tokio_postgres::NoTls)
                        .await
                {
                    tokio::spawn(conn);
                    let _ = client
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {naam} WITH (FORCE)"))
                        .await;
                }
            });
        })
        .join();
    }
}

fn herschrijf(
    van: &impl Plek,
    naar: &impl Plek,
    sleutel: &std::path::Path,
) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_traject"))
        .args([
            "kluis",
            "rewrite",
            "--from",
            &van.arg(),
            "--to",
            &naar.arg(),
        ])
        .arg("--kluis-key")
        .arg(sleutel)
        .env_remove("TRAJECT_STORE")
        .env_remove("TRAJECT_KLUIS_KEY")
        .output()
        .unwrap()
}

async fn a_store_with_clear_text_is_rewritten_into_one_without(oud: impl Plek, nieuw: impl Plek) {
    let dir = tempfile::tempdir().unwrap();
    let sleutel = dir.path().join("kluis.sleutel");
    let coach = token("coach-anna", "coach");
    let beheerder = token("beheerder-bo", "beheerder");

    // This version records two trajectories; A's client gets personal data and a sealed contact.
    let server = Server::start(&oud.arg(), &sleutel).await;
    let mut trajecten = Vec::new();
    for _ in 0..2 {
        let r = server.gql(&coach, AANMELDEN, json!({})).await;
        let t = &r["aanmelden"]["traject"];
        let id = t["id"].as_str().unwrap().to_owned();
        server.gql(&coach, INTAKE, json!({"id": id})).await;
        trajecten.push((id, t["clientId"].as_str().unwrap().to_owned()));
    }
    let [(a, client_a), (c, client_c)] = [trajecten[0].clone(), trajecten[1].clone()];
    server
        .gql(&coach, CONTACT, json!({"id": a, "w": BAKKERIJ}))
        .await;
    server.gql(&coach, PERSOON, json!({"c": client_a})).await;
    server.stop();

    // Clear text as an earlier version stored it: a contact on A, a placement on C.
    {
        let store = oud.open().await;
        oud_event(
            store.as_ref(),
            &a,
            2,
            oude_vorm(
                "WerkgeverContactGelegd",
                1,
                json!({"datum": "2025-03-03", "werkgever": KLUSBEDRIJF, "persoonlijk": false}),
            ),
        )
        .await;
        oud_event(
            store.as_ref(),
            &c,
            1,
            oude_vorm(
                "PlaatsingGestart",
                2,
                json!({"datum": "2025-03-10", "plaatsing_id": uuid::Uuid::now_v7(), "werkgever": TUINEN,
                       "functie": HOVENIER, "uren_per_week": 16.0, "contract": {"vorm": "Vast"},
                       "betaald": true, "regulier": true}),
            ),
        )
        .await;
    }
    // C's client is erased; the clear text of earlier versions is hidden from then on too.
    let server = Server::start(&oud.arg(), &sleutel).await;
    assert_eq!(
        vrije_tekst(&server, &a).await,
        vec![json!(BAKKERIJ), json!(KLUSBEDRIJF)]
    );
    server.gql(&beheerder, WIS, json!({"c": client_c})).await;
    assert_eq!(
        vrije_tekst(&server, &c).await,
        vec![Value::Null, Value::Null]
    );
    // Refused while a server holds the old store.
    let geweigerd = herschrijf(&oud, &nieuw, &sleutel);
    assert!(!geweigerd.status.success());
    let melding = String::from_utf8_lossy(&geweigerd.stderr);
    assert!(melding.contains("in gebruik"), "{melding}");
    let r = server
        .gql(
            &beheerder,
            "mutation { toegangslogControleren { tot } }",
            json!({}),
        )
        .await;
    // The check's own entry comes after the ones it counted.
    let oude_regels = r["toegangslogControleren"]["tot"].as_u64().unwrap() + 1;
    server.stop();
    assert!(
        nieuw.open().await.head().await.unwrap().is_none(),
        "a refused copy writes nothing"
    );
    // Refused too while a server holds the new store: it would miss what the copy writes.
    let server = Server::start(&nieuw.arg(), &sleutel).await;
    let geweigerd = herschrijf(&oud, &nieuw, &sleutel);
    assert!(!geweigerd.status.success());
    let melding = String::from_utf8_lossy(&geweigerd.stderr);
    assert!(melding.contains("in gebruik"), "{melding}");
    server.stop();
    assert!(nieuw.open().await.head().await.unwrap().is_none());

    let gedaan = herschrijf(&oud, &nieuw, &sleutel);
    let uitleg = String::from_utf8_lossy(&gedaan.stdout);
    assert!(
        gedaan.status.success(),
        "{uitleg}{}",
        String::from_utf8_lossy(&gedaan.stderr)
    );
    assert!(
        uitleg.contains("3 werkgevers en functies verzegeld, waarvan 2 van gewiste clients"),
        "{uitleg}"
    );
    // Into a store that is not empty: refused.
    let nog_eens = herschrijf(&oud, &nieuw, &sleutel);
    assert!(!nog_eens.status.success());
    assert!(String::from_utf8_lossy(&nog_eens.stderr).contains("leeg"));

    // The old store still holds the clear text (so the scan finds what it looks for); the new
    // one holds none of it, nor what this version sealed.
    assert!(oud.bevat(KLUSBEDRIJF).await && oud.bevat(HOVENIER).await);
    for naald in [KLUSBEDRIJF, TUINEN, HOVENIER, BAKKERIJ, "Xylofoon"] {
        assert!(
            !nieuw.bevat(naald).await,
            "{naald} in clear in the new store"
        );
    }
    // The same events in the same order, each with its recording time.
    let (van, naar) = (oud.open().await, nieuw.open().await);
    let alles = |s: Box<dyn EventStore>| async move {
        s.read_all(None, &StreamFilter::all(), usize::MAX)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.stream, e.revision, e.position, e.recorded_at))
            .collect::<Vec<_>>()
    };
    assert_eq!(alles(van).await, alles(naar).await);

    // A server on the new store: A's texts open, C's read as erased, A's person is there, the
    // access log's chain holds.
    let server = Server::start(&nieuw.arg(), &sleutel).await;
    assert_eq!(
        vrije_tekst(&server, &a).await,
        vec![json!(BAKKERIJ), json!(KLUSBEDRIJF)]
    );
    assert_eq!(
        vrije_tekst(&server, &c).await,
        vec![Value::Null, Value::Null]
    );
    let r = server
        .gql(
            &token("tl-tom", "teamleider"),
            r#"query($c: ID!) { persoon(clientId: $c) { gegevens { naam } } }"#,
            json!({"c": client_a}),
        )
        .await;
    assert_eq!(r["persoon"]["gegevens"]["naam"], "Quirijn Xylofoonmeester");
    let r = server
        .gql(
            &beheerder,
            "mutation { toegangslogControleren(volledig: true) { intact tot } }",
            json!({}),
        )
        .await;
    assert_eq!(r["toegangslogControleren"]["intact"], true, "{r}");
    // Every entry the old server logged is in the copy, under its number: the check counts them
    // all.
    assert!(
        r["toegangslogControleren"]["tot"].as_u64().unwrap() >= oude_regels,
        "{r}: {oude_regels}"
    );
    server.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_with_clear_text_is_rewritten_embedded() {
    let dir = tempfile::tempdir().unwrap();
    a_store_with_clear_text_is_rewritten_into_one_without(
        Map(dir.path().join("oud")),
        Map(dir.path().join("nieuw")),
    )
    .await;
}

/// A mistyped old store is refused, and not made as an empty one.
#[test]
fn a_mistyped_old_store_is_refused_and_not_made() {
    let dir = tempfile::tempdir().unwrap();
    let sleutel = dir.path().join("kluis.sleutel");
    std::fs::write(&sleutel, format!("{}\n", "ab".repeat(32))).unwrap();
    let (oud, nieuw) = (
        Map(dir.path().join("bestaat-niet")),
        Map(dir.path().join("nieuw")),
    );
    let uit = herschrijf(&oud, &nieuw, &sleutel);
    assert!(!uit.status.success());
    assert!(String::from_utf8_lossy(&uit.stderr).contains("bevat geen store"));
    assert!(!oud.0.exists(), "the mistyped path was made");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_with_clear_text_is_rewritten_postgres() {
    let Some(url) = traject_store::testing::postgres_url() else {
        return;
    };
    let (oud, nieuw) = (Database::new(&url).await, Database::new(&url).await);
    a_store_with_clear_text_is_rewritten_into_one_without(oud, nieuw).await;
}

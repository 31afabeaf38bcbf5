//! The command path under `kill -9`: the `traject` server is killed at a random moment while
//! sixteen writers refer trajectories and record their intakes, then started again on the same
//! store, several rounds, on the embedded store and on PostgreSQL. After every kill: each
//! acknowledged write is stored, and each stored event of a write has exactly one access-log
//! entry of its request (and its referral its client registration, its intake its coach on the
//! team), since they are committed in one transaction.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::binair::{klaar, start, start_met, vrije_poort};
use traject_api::auth::{Claims, mint, nu};
use traject_api::toegangslog::{INBOX, Resultaat, vorm};
use traject_store::{
    Direction, EventStore, PostgresConfig, PostgresStore, ReadFrom, SqliteStore, StreamFilter,
    StreamName,
};

pub(crate) const SECRET: &str = "crash-geheim";
const ROUNDS: usize = 5;
const WRITERS: usize = 16;
const ORG: &str = "org-crash";

pub(crate) fn token(coach: &str) -> String {
    mint(SECRET, &claims(coach))
}

/// The claims of [`token`]: a coach of the test's organisation.
pub(crate) fn claims(coach: &str) -> Claims {
    Claims {
        sub: coach.to_owned(),
        name: None,
        roles: vec!["coach".to_owned()],
        realm_access: None,
        organisatie: Some(ORG.to_owned()),
        regio: Some("AM13".to_owned()),
        exp: nu() + 3600,
        iss: None,
        aud: None,
        nbf: None,
    }
}

pub(crate) const AANMELDEN: &str = r#"mutation($e: ID!, $d: NaiveDate!) {
  aanmelden(invoer: {datum: $d, methode: IPS, regio: "AM13", organisatie: "org-crash",
                     verwijzer: GGZ, financier: Gemeente, eventId: $e}) {
    eventId traject { id }
  }
}"#;
const INTAKE: &str = r#"mutation($id: ID!, $e: ID!, $d: NaiveDate!) {
  intakeAfronden(wijziging: {trajectId: $id, revisie: 0, datum: $d, eventId: $e},
                 uitkering: WW, inGgzBehandeling: false) { eventId }
}"#;

/// Posts a mutation; the event id it acknowledged, if it did.
async fn schrijf(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
    vars: Value,
) -> Option<Value> {
    let r = client
        .post(url)
        .bearer_auth(token)
        .json(&json!({"query": query, "variables": vars}))
        .send()
        .await
        .ok()?;
    let body: Value = r.json().await.ok()?;
    body["errors"].is_null().then(|| body["data"].clone())
}

/// Writes until `stop`; every acknowledged event id goes into `bevestigd`.
pub(crate) async fn schrijver(
    n: usize,
    url: String,
    stop: Arc<AtomicBool>,
    bevestigd: Arc<Mutex<HashSet<String>>>,
) {
    let client = reqwest::Client::new();
    let token = token(&format!("coach-{n}"));
    let datum = "2026-01-05";
    while !stop.load(Ordering::Relaxed) {
        let e = uuid::Uuid::now_v7().to_string();
        let Some(data) = schrijf(
            &client,
            &url,
            &token,
            AANMELDEN,
            json!({"e": e, "d": datum}),
        )
        .await
        else {
            continue;
        };
        bevestigd.lock().unwrap().insert(e);
        let id = data["aanmelden"]["traject"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let e = uuid::Uuid::now_v7().to_string();
        let vars = json!({"id": id, "e": e, "d": "2026-01-06"});
        if schrijf(&client, &url, &token, INTAKE, vars).await.is_some() {
            bevestigd.lock().unwrap().insert(e);
        }
    }
}

/// What must hold of the store after a kill.
async fn controleer(store: &dyn EventStore, bevestigd: &HashSet<String>) -> usize {
    let alles = store
        .read_all(None, &StreamFilter::all(), usize::MAX)
        .await
        .unwrap();
    let opgeslagen: HashSet<String> = alles.iter().map(|e| e.id.to_string()).collect();
    let kwijt: Vec<_> = bevestigd.difference(&opgeslagen).collect();
    assert!(kwijt.is_empty(), "acknowledged but not stored: {kwijt:?}");
    // The entries of writes, stored with them in the store's inbox (what a crash must keep
    // together); the log's chain takes them in from there.
    let log: Vec<_> = read(store, INBOX)
        .await
        .iter()
        .map(|e| vorm::uit_inbox(e).unwrap())
        .collect();
    let mut per_correlatie: HashMap<uuid::Uuid, Vec<_>> = HashMap::new();
    for r in &log {
        per_correlatie.entry(r.correlatie).or_default().push(r);
    }
    // Every entry of an allowed write has its stored event: the entry is no promise of a write
    // that a crash then lost.
    let geschreven: HashSet<uuid::Uuid> = alles
        .iter()
        .filter(|e| e.stream.as_str().starts_with("traject-"))
        .filter_map(|e| e.metadata.correlation_id)
        .collect();
    for r in &log {
        let schrijft = matches!(
            r.gebeurteniscode.as_str(),
            "traject.aanmelden" | "intake.afronden"
        );
        if schrijft && r.resultaat == Resultaat::Gelukt {
            assert!(
                geschreven.contains(&r.correlatie),
                "an entry of an allowed write without its event: {r:?}"
            );
        }
    }
    let team = read(store, "organisatie-org-crash").await;
    let mut trajecten = 0;
    for e in alles
        .iter()
        .filter(|e| e.stream.as_str().starts_with("traject-"))
    {
        let correlatie = e.metadata.correlation_id.expect("a write has its request");
        let eigen = per_correlatie.get(&correlatie).map_or(&[][..], |v| v);
        let gelukt: Vec<_> = eigen
            .iter()
            .filter(|r| r.resultaat == Resultaat::Gelukt)
            .collect();
        assert_eq!(
            gelukt.len(),
            1,
            "event {} has {} entries",
            e.id,
            gelukt.len()
        );
        assert_eq!(
            gelukt[0].traject.map(|t| t.stream_name()),
            Some(e.stream.to_string())
        );
        let data = e.data.value().unwrap();
        match e.event_type.as_str() {
            "TrajectAangemeld" => {
                trajecten += 1;
                let client = data["client_id"].as_str().unwrap();
                let registraties = read(store, &format!("client-{client}")).await;
                assert_eq!(registraties.len(), 1, "the registration of {}", e.stream);
            }
            "IntakeAfgerond" => {
                let coach = &data["coach"];
                assert!(
                    team.iter()
                        .any(|t| &t.data.value().unwrap()["coach"] == coach),
                    "{coach} on the team"
                );
            }
            other => panic!("unexpected {other}"),
        }
    }
    trajecten
}

async fn read(store: &dyn EventStore, stream: &str) -> Vec<traject_store::RecordedEvent> {
    store
        .read_stream(
            &StreamName::new(stream).unwrap(),
            ReadFrom::Start,
            Direction::Forwards,
            10_000,
        )
        .await
        .unwrap()
}

/// Rounds of writing, killing and restarting on `store`; `open` opens the store in this process
/// to look at it while the server is down.
async fn rondes<F, Fut>(store: &str, open: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Arc<dyn EventStore>>,
{
    let sleutel = tempfile::tempdir().unwrap();
    let sleutel = sleutel.path().join("kluis.sleutel");
    let bevestigd = Arc::new(Mutex::new(HashSet::new()));
    let client = reqwest::Client::new();
    let mut trajecten = 0;
    for ronde in 0..ROUNDS {
        let poort = vrije_poort();
        let basis = format!("http://127.0.0.1:{poort}");
        let mut server = start(store, &sleutel, SECRET, poort);
        klaar(&client, &basis).await;
        let stop = Arc::new(AtomicBool::new(false));
        let taken: Vec<_> = (0..WRITERS)
            .map(|n| {
                tokio::spawn(schrijver(
                    n,
                    format!("{basis}/graphql"),
                    Arc::clone(&stop),
                    Arc::clone(&bevestigd),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(fastrand::u64(400..1500))).await;
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for t in taken {
            t.await.unwrap();
        }
        let store = open().await;
        let tot_nu = bevestigd.lock().unwrap().clone();
        let nu = controleer(store.as_ref(), &tot_nu).await;
        assert!(nu > trajecten, "round {ronde} wrote something");
        eprintln!("round {ronde}: {nu} trajectories stored");
        trajecten = nu;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_is_stored_with_exactly_one_entry_after_kill_9_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let pad = dir.path().to_owned();
    rondes(&pad.display().to_string(), || {
        let pad = pad.clone();
        async move {
            Arc::new(SqliteStore::open(pad.join("events.sqlite")).await.unwrap())
                as Arc<dyn EventStore>
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_is_stored_with_exactly_one_entry_after_kill_9_postgres() {
    let Some(url) = traject_store::testing::postgres_url() else {
        return;
    };
    let db = crate::binair::EigenDatabase::maak(&url, "crash").await;
    let db_url = db.url.clone();
    let open_url = db_url.clone();
    rondes(&db_url, || {
        let url = open_url.clone();
        async move {
            Arc::new(
                PostgresStore::connect(PostgresConfig::new(url))
                    .await
                    .unwrap(),
            ) as Arc<dyn EventStore>
        }
    })
    .await;
    db.weg().await;
}

/// What a reader reads again and again: its trajectory (through the engine), or its caseload
/// in the form the caseload's direct path answers (which writes its answer while the entry is
/// made durable). Reader `n` reads its trajectory if `n` is even.
#[derive(Clone, Copy)]
enum Lezing {
    Traject,
    Caseload,
}

impl Lezing {
    fn van(n: usize) -> Self {
        if n.is_multiple_of(2) {
            Self::Traject
        } else {
            Self::Caseload
        }
    }

    /// The query and its variables for the trajectory `id` the reader registered.
    fn vraag(self, id: &str) -> (&'static str, Value) {
        match self {
            Self::Traject => (
                "query($id: ID!) { traject(id: $id) { id } }",
                json!({"id": id}),
            ),
            Self::Caseload => (
                "{ caseload(aantal: 50) { totaal items { trajectId } } }",
                json!({}),
            ),
        }
    }

    /// Asserts that `data` is the answer asked for.
    fn controleer(self, data: &Value, id: &str) {
        match self {
            Self::Traject => assert_eq!(data["traject"]["id"], json!(id)),
            Self::Caseload => assert!(data["caseload"]["items"].is_array(), "{data}"),
        }
    }

    /// The code of the read's access-log entries.
    fn code(self) -> &'static str {
        match self {
            Self::Traject => "traject.lezen",
            Self::Caseload => "caseload.zoeken",
        }
    }
}

/// Reads until `stop` as coach `lezer-{n}` (one trajectory of their own, or their caseload, read
/// again and again: [`Lezing`]); counts the reads that were answered with their data in
/// `gelezen`.
async fn lezer(n: usize, url: String, stop: Arc<AtomicBool>, gelezen: Arc<Mutex<Vec<u64>>>) {
    let client = reqwest::Client::new();
    let token = token(&format!("lezer-{n}"));
    let id = loop {
        let e = uuid::Uuid::now_v7().to_string();
        let vars = json!({"e": e, "d": "2026-01-05"});
        if let Some(data) = schrijf(&client, &url, &token, AANMELDEN, vars).await {
            break data["aanmelden"]["traject"]["id"]
                .as_str()
                .unwrap()
                .to_owned();
        }
        if stop.load(Ordering::Relaxed) {
            return;
        }
    };
    let lezing = Lezing::van(n);
    let (lees, vars) = lezing.vraag(&id);
    while !stop.load(Ordering::Relaxed) {
        if let Some(data) = schrijf(&client, &url, &token, lees, vars.clone()).await {
            lezing.controleer(&data, &id);
            gelezen.lock().unwrap()[n] += 1;
        }
    }
}

/// Reads under `kill -9` on the embedded store, whose access log makes a read's entry durable in
/// its journal before the data leaves and chains it onto the log's tables afterwards: after the
/// restart every read a coach was answered has its entry, and no read more than the one each
/// coach had in flight (no entry lost, none chained twice). Half the coaches read their
/// trajectory, half their caseload by the direct path ([`Lezing`]). Asked over HTTP, as a
/// beheerder. A command on the log runs beside the server in every round, and in every other
/// round once more between the kill and the restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_answered_read_has_its_entry_after_kill_9() {
    const LEZERS: usize = 32;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data").display().to_string();
    let sleutel = dir.path().join("kluis.sleutel");
    let client = reqwest::Client::new();
    let gelezen = Arc::new(Mutex::new(vec![0u64; LEZERS]));
    for ronde in 0..5 {
        let poort = vrije_poort();
        let basis = format!("http://127.0.0.1:{poort}");
        let mut server = start_met(&store, &sleutel, SECRET, poort, &["--inzage-quota", "0"]);
        klaar(&client, &basis).await;
        let stop = Arc::new(AtomicBool::new(false));
        let taken: Vec<_> = (0..LEZERS)
            .map(|n| {
                tokio::spawn(lezer(
                    n,
                    format!("{basis}/graphql"),
                    Arc::clone(&stop),
                    Arc::clone(&gelezen),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(fastrand::u64(300..700))).await;
        // A command beside the running server (an archive with nothing to archive) leaves the
        // server's journal alone; one after the kill, with no server, chains what it holds.
        let archief = |naam: &str| {
            let uit = std::process::Command::new(env!("CARGO_BIN_EXE_traject"))
                .args([
                    "toegangslog",
                    "archive",
                    "--store",
                    &store,
                    "--toegangslog-key",
                ])
                .arg(sleutel.with_extension("toegangslog.sleutel"))
                .args(["--before", "2019-01-01", "--to"])
                .arg(dir.path().join(naam))
                .env("RUST_LOG", "error")
                .output()
                .unwrap();
            assert!(
                uit.status.success(),
                "{}",
                String::from_utf8_lossy(&uit.stderr)
            );
        };
        archief("naast.bin");
        tokio::time::sleep(Duration::from_millis(fastrand::u64(300..800))).await;
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for t in taken {
            t.await.unwrap();
        }
        if ronde % 2 == 1 {
            archief("alleen.bin");
        }

        let poort = vrije_poort();
        let basis = format!("http://127.0.0.1:{poort}");
        let mut server = start_met(&store, &sleutel, SECRET, poort, &["--inzage-quota", "0"]);
        klaar(&client, &basis).await;
        let beheerder = mint(
            SECRET,
            &Claims {
                roles: vec!["beheerder".to_owned()],
                ..claims("beheerder-1")
            },
        );
        let gelezen = gelezen.lock().unwrap().clone();
        let totaal: u64 = gelezen.iter().sum();
        assert!(totaal > 0, "round {ronde}: the coaches read something");
        for (n, &beantwoord) in gelezen.iter().enumerate() {
            let mut regels = 0u64;
            let mut voor = Value::Null;
            loop {
                let q = r#"query($g: String!, $voor: String) {
                  toegangslog(filter: {gebruiker: $g, actie: R}, voor: $voor, aantal: 1000) {
                    regels { gebeurteniscode } volgende } }"#;
                let data = schrijf(
                    &client,
                    &format!("{basis}/graphql"),
                    &beheerder,
                    q,
                    json!({"g": format!("lezer-{n}"), "voor": voor}),
                )
                .await
                .expect("the beheerder reads the log");
                let pagina = &data["toegangslog"];
                regels += pagina["regels"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|r| r["gebeurteniscode"] == Lezing::van(n).code())
                    .count() as u64;
                voor = pagina["volgende"].clone();
                if voor.is_null() {
                    break;
                }
            }
            // Each coach had at most one read in flight at the kill, which may or may not have
            // been logged: one more per round at most.
            let ronden = ronde as u64 + 1;
            assert!(
                (beantwoord..=beantwoord + ronden).contains(&regels),
                "round {ronde}: lezer-{n} was answered {beantwoord} reads, the log has {regels}"
            );
        }
        eprintln!("round {ronde}: {totaal} answered reads, each with its entry");
        server.kill().unwrap();
        server.wait().unwrap();
    }
}

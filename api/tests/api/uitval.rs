//! The PostgreSQL connection cut away from a running server, from outside: the server reaches
//! its database through a TCP proxy that the test cuts (every open connection closed, every new
//! one refused) and restores. During catch-up after a restart, and in steady state, a query
//! answers UNAVAILABLE (503) rather than a partial caseload, `/ready` says 503, a write is
//! answered UNAVAILABLE rather than INTERNAL, and once the database is back the server recovers
//! by itself: ready again, the caseload complete, the write sent again with its event id stored.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use traject_store::testing::Proxy;

use crate::binair::{klaar, start, start_met, vrije_poort};
use crate::crash::{AANMELDEN, SECRET, schrijver, token};

async fn gql(client: &reqwest::Client, basis: &str, token: &str, body: Value) -> (u16, Value) {
    let r = client
        .post(format!("{basis}/graphql"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

/// The caseload's total, or the status and error code when it is not answered in full.
async fn caseload(client: &reqwest::Client, basis: &str, token: &str) -> Result<u64, String> {
    let (status, body) = gql(
        client,
        basis,
        token,
        json!({"query": "{ caseload { totaal } }"}),
    )
    .await;
    match body["data"]["caseload"]["totaal"].as_u64() {
        Some(n) if status == 200 && body["errors"].is_null() => Ok(n),
        _ => {
            eprintln!("caseload: {status} {body}");
            Err(format!(
                "{status} {}",
                body["errors"][0]["extensions"]["code"]
                    .as_str()
                    .unwrap_or("?")
            ))
        }
    }
}

async fn ready_status(client: &reqwest::Client, basis: &str) -> u16 {
    client
        .get(format!("{basis}/ready"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// While the database is cut away: for `duur`, every caseload answers 503 UNAVAILABLE (never
/// a 200 with a part of it) and `/ready` 503.
async fn onbeschikbaar_zolang(client: &reqwest::Client, basis: &str, token: &str, duur: Duration) {
    let tot = tokio::time::Instant::now() + duur;
    let mut keer = 0;
    while tokio::time::Instant::now() < tot {
        let antwoord = caseload(client, basis, token).await;
        assert_eq!(
            antwoord,
            Err("503 UNAVAILABLE".to_owned()),
            "a caseload while the database is away"
        );
        assert_eq!(ready_status(client, basis).await, 503);
        keer += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(keer > 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cut_database_connection_makes_answers_unavailable_and_the_server_recovers() {
    let Some(url) = traject_store::testing::postgres_url() else {
        return;
    };
    let db = crate::binair::EigenDatabase::maak(&url, "uitval").await;
    let naam = db.naam.clone();
    let pg: tokio_postgres::Config = url.parse().unwrap();
    let host = match &pg.get_hosts()[0] {
        tokio_postgres::config::Host::Tcp(h) => h.clone(),
        #[allow(unreachable_patterns)]
        _ => panic!("the test's database is reached over TCP"),
    };
    let doel: SocketAddr = tokio::net::lookup_host((host.as_str(), pg.get_ports()[0]))
        .await
        .unwrap()
        .next()
        .unwrap();
    let gebruiker = pg.get_user().unwrap_or("postgres");
    let wachtwoord = pg
        .get_password()
        .map(|w| format!(":{}", String::from_utf8_lossy(w)))
        .unwrap_or_default();
    let direct = format!("postgres://{gebruiker}{wachtwoord}@{doel}/{naam}");
    let proxy = Proxy::start(doel.to_string()).await;
    let via_proxy = format!(
        "postgres://{gebruiker}{wachtwoord}@127.0.0.1:{}/{naam}",
        proxy.poort()
    );
    let dir = tempfile::tempdir().unwrap();
    let sleutel = dir.path().join("kluis.sleutel");
    let client = reqwest::Client::new();
    let anna = token("coach-0");

    // Demo data and a coach's own writes at the end of the store, straight to the database.
    let poort = vrije_poort();
    let basis = format!("http://127.0.0.1:{poort}");
    let mut server = start_met(
        &direct,
        &sleutel,
        SECRET,
        poort,
        &["--demo", "--demo-trajecten", "2000"],
    );
    klaar(&client, &basis).await;
    let stop = Arc::new(AtomicBool::new(false));
    let bevestigd = Arc::new(Mutex::new(HashSet::new()));
    let schrijft = tokio::spawn(schrijver(
        0,
        format!("{basis}/graphql"),
        Arc::clone(&stop),
        Arc::clone(&bevestigd),
    ));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    schrijft.await.unwrap();
    let totaal = caseload(&client, &basis, &anna).await.unwrap();
    assert!(totaal > 0, "coach-0 has a caseload");
    server.kill().unwrap();
    server.wait().unwrap();

    // 1. Cut while catching up: a restart on PostgreSQL replays the store; the proxy cuts once
    //    3 MB of it have reached the server.
    proxy.knip_na(3_000_000);
    let poort = vrije_poort();
    let basis = format!("http://127.0.0.1:{poort}");
    let mut server = start(&via_proxy, &sleutel, SECRET, poort);
    for _ in 0..600 {
        if proxy.geknipt() {
            break;
        }
        assert!(server.try_wait().unwrap().is_none(), "the server stopped");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(proxy.geknipt(), "the catch-up never read 3 MB");
    // The HTTP side is up while the read models are halfway.
    for _ in 0..200 {
        if client.get(format!("{basis}/health")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    onbeschikbaar_zolang(&client, &basis, &anna, Duration::from_secs(3)).await;
    proxy.herstel();
    klaar(&client, &basis).await;
    assert_eq!(caseload(&client, &basis, &anna).await, Ok(totaal));

    // 2. Cut in steady state: the read models say they may be behind, a write is UNAVAILABLE.
    proxy.knip();
    let mut onklaar = false;
    for _ in 0..200 {
        if ready_status(&client, &basis).await == 503 {
            onklaar = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        onklaar,
        "/ready still 200 ten seconds after the database went away"
    );
    onbeschikbaar_zolang(&client, &basis, &anna, Duration::from_secs(2)).await;
    let e = uuid::Uuid::now_v7().to_string();
    let schrijf = json!({"query": AANMELDEN, "variables": {"e": e, "d": "2026-01-07"}});
    let (status, body) = gql(&client, &basis, &anna, schrijf.clone()).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAVAILABLE",
        "{body}"
    );
    assert!(
        !body.to_string().contains("127.0.0.1"),
        "the database's address in an answer: {body}"
    );
    proxy.herstel();
    klaar(&client, &basis).await;
    let (status, body) = gql(&client, &basis, &anna, schrijf).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["aanmelden"]["eventId"], e.as_str());
    assert_eq!(caseload(&client, &basis, &anna).await, Ok(totaal));
    assert_eq!(ready_status(&client, &basis).await, 200);
    server.kill().unwrap();
    server.wait().unwrap();
    db.weg().await;
}

//! Three instances on one PostgreSQL behind HAProxy (the deployment of `deploy/`, as processes),
//! from outside: coaches write and read through the proxy, each read sending the position its
//! write answered; one instance is killed in the middle and started again. No read misses a write
//! it follows, no acknowledged write is lost, only requests in flight at the kill fail (and are
//! sent again with their event id), and the restarted instance catches up by itself.
//!
//! Needs `haproxy` (Debian's package) and PostgreSQL; skipped, and said so, without them, and a
//! failure with `TRAJECT_REQUIRE_HAPROXY=1` (as in CI).

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::binair::{EigenDatabase, Proces, klaar, start, vrije_poort};
use crate::crash::{AANMELDEN, SECRET, token};

const TRAJECT: &str = "query($id: ID!) { traject(id: $id) { id } }";
const COACHES: usize = 6;

fn haproxy() -> Option<String> {
    let pad = ["/usr/sbin/haproxy", "/usr/bin/haproxy"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    if pad.is_none() {
        assert!(
            std::env::var("TRAJECT_REQUIRE_HAPROXY").as_deref() != Ok("1"),
            "haproxy is missing (apt-get install haproxy)"
        );
        println!("skipped: haproxy is missing (apt-get install haproxy)");
    }
    pad.map(str::to_owned)
}

/// What the coaches saw.
#[derive(Default)]
struct Telling {
    schrijven: AtomicUsize,
    mislukt: AtomicUsize,
    gemist: AtomicUsize,
}

/// A coach: refers a trajectory through the proxy (sent again with the same event id until it is
/// acknowledged) and reads it back at once with the position, until `stop`.
async fn coach(
    proxy: String,
    nummer: usize,
    stop: Arc<AtomicBool>,
    telling: Arc<Telling>,
    bevestigd: Arc<Mutex<Vec<String>>>,
) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let tok = token(&format!("coach-{nummer}"));
    while !stop.load(Ordering::Relaxed) {
        let e = uuid::Uuid::now_v7().to_string();
        let (id, positie) = loop {
            let antwoord = client
                .post(format!("{proxy}/graphql"))
                .bearer_auth(&tok)
                .json(&json!({"query": AANMELDEN, "variables": {"e": e, "d": "2026-01-07"}}))
                .send()
                .await;
            if let Ok(r) = antwoord
                && r.status().is_success()
            {
                let positie = r.headers()["traject-positie"].to_str().unwrap().to_owned();
                let body: Value = r.json().await.unwrap();
                if body["errors"].is_null() {
                    break (
                        body["data"]["aanmelden"]["traject"]["id"]
                            .as_str()
                            .unwrap()
                            .to_owned(),
                        positie,
                    );
                }
            }
            telling.mislukt.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        telling.schrijven.fetch_add(1, Ordering::Relaxed);
        bevestigd.lock().await.push(id.clone());
        loop {
            let antwoord = client
                .post(format!("{proxy}/graphql"))
                .bearer_auth(&tok)
                .header("Traject-Positie", &positie)
                .json(&json!({"query": TRAJECT, "variables": {"id": id}}))
                .send()
                .await;
            match antwoord {
                Ok(r) if r.status().is_success() => {
                    let body: Value = r.json().await.unwrap();
                    if body["data"]["traject"]["id"] != id.as_str() {
                        telling.gemist.fetch_add(1, Ordering::Relaxed);
                    }
                    break;
                }
                _ => {
                    telling.mislukt.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_behind_a_proxy_read_their_writes_and_survive_a_kill() {
    let Some(url) = traject_store::testing::postgres_url() else {
        return;
    };
    let Some(haproxy) = haproxy() else {
        return;
    };
    let db = EigenDatabase::maak(&url, "verdeeld").await;
    let dir = tempfile::tempdir().unwrap();
    let sleutel = dir.path().join("kluis.sleutel");
    let client = reqwest::Client::new();

    let poorten: Vec<u16> = (0..3).map(|_| vrije_poort()).collect();
    let mut instanties: Vec<Proces> = Vec::new();
    for &p in &poorten {
        instanties.push(start(&db.url, &sleutel, SECRET, p));
        klaar(&client, &format!("http://127.0.0.1:{p}")).await;
    }
    let proxy_poort = vrije_poort();
    let servers: String = poorten
        .iter()
        .map(|p| format!("    server t{p} 127.0.0.1:{p} check\n"))
        .collect();
    let config = dir.path().join("haproxy.cfg");
    std::fs::write(
        &config,
        format!(
            "global\n    maxconn 512\ndefaults\n    mode http\n    timeout connect 1s\n    timeout client 30s\n    timeout server 30s\n    retries 2\n    option redispatch\n\
             frontend traject\n    bind 127.0.0.1:{proxy_poort}\n    default_backend instances\n\
             backend instances\n    balance roundrobin\n    option httpchk GET /ready\n    http-check expect status 200\n    default-server inter 200ms fall 2 rise 2\n{servers}"
        ),
    )
    .unwrap();
    let _proxy = Proces::van(
        Command::new(&haproxy)
            .args(["-db", "-f"])
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("haproxy starts"),
    );
    let proxy = format!("http://127.0.0.1:{proxy_poort}");
    klaar(&client, &proxy).await;

    let stop = Arc::new(AtomicBool::new(false));
    let telling = Arc::new(Telling::default());
    let bevestigd = Arc::new(Mutex::new(Vec::new()));
    let coaches: Vec<_> = (0..COACHES)
        .map(|n| {
            tokio::spawn(coach(
                proxy.clone(),
                n,
                Arc::clone(&stop),
                Arc::clone(&telling),
                Arc::clone(&bevestigd),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(3)).await;
    // One instance killed mid-load, and started again on its port.
    let voor = telling.schrijven.load(Ordering::Relaxed);
    instanties[1].kill().unwrap();
    instanties[1].wait().unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    instanties[1] = start(&db.url, &sleutel, SECRET, poorten[1]);
    let weer = format!("http://127.0.0.1:{}", poorten[1]);
    klaar(&client, &weer).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, Ordering::Relaxed);
    for c in coaches {
        c.await.unwrap();
    }

    let schrijven = telling.schrijven.load(Ordering::Relaxed);
    let mislukt = telling.mislukt.load(Ordering::Relaxed);
    println!("{schrijven} writes acknowledged, {mislukt} requests failed and were sent again");
    assert!(
        schrijven > voor + 20,
        "the coaches went on writing: {voor} then {schrijven}"
    );
    assert_eq!(
        telling.gemist.load(Ordering::Relaxed),
        0,
        "a read missed its write"
    );
    // Each coach has one request in flight at the kill; the proxy sends the rest elsewhere.
    assert!(
        mislukt <= COACHES,
        "{mislukt} requests failed, more than were in flight ({COACHES})"
    );
    // Every acknowledged write is there, also on the restarted instance, read directly.
    let alle = bevestigd.lock().await.clone();
    assert_eq!(alle.len(), schrijven);
    let tok = token("coach-0");
    for (i, id) in alle.iter().enumerate() {
        let basis = if i % 2 == 0 { &weer } else { &proxy };
        let r: Value = client
            .post(format!("{basis}/graphql"))
            .bearer_auth(&tok)
            .json(&json!({"query": "query($id: ID!) { traject(id: $id) { id } }", "variables": {"id": id}}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        // Another coach's trajectory is FORBIDDEN to coach-0, which says it exists; NOT_FOUND
        // would be a lost write.
        let code = r["errors"][0]["extensions"]["code"].as_str().unwrap_or("");
        assert!(
            r["data"]["traject"]["id"] == id.as_str() || code == "FORBIDDEN",
            "write {id} not found: {r}"
        );
    }
    drop(instanties);
    db.weg().await;
}

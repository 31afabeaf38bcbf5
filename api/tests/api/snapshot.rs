//! The read models' snapshot on PostgreSQL: kept at the configured path (`--snapshot`), saved at
//! a clean stop, and the next start resumes from it, replaying only the tail, with the caseload
//! complete.

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::binair::{klaar, vrije_poort};
use crate::crash::{SECRET, schrijver, token};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_on_postgres_resumes_from_its_snapshot_after_a_clean_stop() {
    let Some(url) = traject_store::testing::postgres_url() else {
        return;
    };
    let db = crate::binair::EigenDatabase::maak(&url, "snapshot").await;
    let db_url = db.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let sleutel = dir.path().join("kluis.sleutel");
    let snapshot = dir.path().join("projecties.snapshot");
    let log = dir.path().join("serve.log");
    let serve = |poort: u16| {
        crate::binair::Proces::van(
            Command::new(env!("CARGO_BIN_EXE_traject"))
                .args(["serve", "--store", &db_url, "--listen"])
                .arg(format!("127.0.0.1:{poort}"))
                .args(["--jwt-secret", SECRET, "--kluis-key"])
                .arg(&sleutel)
                // The writer below writes as fast as it can as one coach, and the caseload is
                // read as that coach: this test is not about the rate limits.
                .args(["--requests-per-address", "0", "--requests-per-user", "0"])
                .arg("--snapshot")
                .arg(&snapshot)
                .env_remove("TRAJECT_STORE")
                .env("RUST_LOG", "info")
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap())
                .spawn()
                .unwrap(),
        )
    };
    let client = reqwest::Client::new();
    let anna = token("coach-0");
    let caseload = |basis: String| {
        let client = client.clone();
        let anna = anna.clone();
        async move {
            let body: serde_json::Value = client
                .post(format!("{basis}/graphql"))
                .bearer_auth(&anna)
                .json(&serde_json::json!({"query": "{ caseload { totaal } }"}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            body["data"]["caseload"]["totaal"]
                .as_u64()
                .unwrap_or_else(|| panic!("no caseload: {body}"))
        }
    };

    let poort = vrije_poort();
    let basis = format!("http://127.0.0.1:{poort}");
    let mut server = serve(poort);
    klaar(&client, &basis).await;
    let stop = Arc::new(AtomicBool::new(false));
    let bevestigd = Arc::new(Mutex::new(HashSet::new()));
    let schrijft = tokio::spawn(schrijver(
        0,
        format!("{basis}/graphql"),
        Arc::clone(&stop),
        Arc::clone(&bevestigd),
    ));
    tokio::time::sleep(Duration::from_millis(700)).await;
    stop.store(true, Ordering::Relaxed);
    schrijft.await.unwrap();
    let totaal = caseload(basis.clone()).await;
    assert!(totaal > 0);
    assert!(server.stop_netjes().success());
    assert!(snapshot.is_file(), "no snapshot at the configured path");

    let poort = vrije_poort();
    let basis = format!("http://127.0.0.1:{poort}");
    let mut server = serve(poort);
    klaar(&client, &basis).await;
    assert_eq!(caseload(basis).await, totaal);
    server.kill().unwrap();
    server.wait().unwrap();
    let tekst = std::fs::read_to_string(&log).unwrap();
    assert!(
        tekst.contains("projections resumed from snapshot"),
        "the second start did not resume from the snapshot: {tekst}"
    );
    db.weg().await;
}

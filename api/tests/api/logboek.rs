//! The log an operator keeps, read from a started server's stderr: no line per request at the
//! default level, one summary line per interval (count, 4xx and 5xx, latency percentiles), and
//! with `--log-format json` every line one JSON object.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::binair::{klaar, vrije_poort};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_summed_up_each_interval_not_logged_one_by_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data");
    let log = dir.path().join("server.log");
    let poort = vrije_poort();
    let mut server = crate::binair::Proces::van(
        Command::new(env!("CARGO_BIN_EXE_traject"))
            .args(["serve", "--store", store.to_str().unwrap(), "--listen"])
            .arg(format!("127.0.0.1:{poort}"))
            .args(["--jwt-secret", "logboek-geheim", "--kluis-key"])
            .arg(dir.path().join("kluis.sleutel"))
            .args(["--log-format", "json", "--log-summary", "1"])
            .env_remove("TRAJECT_STORE")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let basis = format!("http://127.0.0.1:{poort}");
    let client = reqwest::Client::new();
    klaar(&client, &basis).await;
    for _ in 0..20 {
        let r = client.get(format!("{basis}/health")).send().await.unwrap();
        assert_eq!(r.status(), 200);
    }
    // A body that is no JSON: 400.
    let r = client
        .post(format!("{basis}/graphql"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    tokio::time::sleep(Duration::from_millis(2500)).await;
    server.kill().unwrap();
    server.wait().unwrap();

    let tekst = std::fs::read_to_string(&log).unwrap();
    let regels: Vec<serde_json::Value> = tekst
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(!regels.is_empty());
    let bericht = |r: &serde_json::Value| r["fields"]["message"].as_str().unwrap_or("").to_owned();
    assert!(
        !regels.iter().any(|r| bericht(r) == "request handled"),
        "a line per request at the default level: {tekst}"
    );
    let samenvattingen: Vec<&serde_json::Value> = regels
        .iter()
        .filter(|r| bericht(r) == "requests summarized")
        .collect();
    assert!(!samenvattingen.is_empty(), "no summary: {tekst}");
    let som = |veld: &str| -> u64 {
        samenvattingen
            .iter()
            .map(|r| r["fields"][veld].as_u64().unwrap())
            .sum()
    };
    // The readiness checks count too.
    assert!(som("requests") >= 21, "{tekst}");
    assert!(som("errors_4xx") >= 1, "{tekst}");
    assert_eq!(som("errors_5xx"), 0, "{tekst}");
    for s in &samenvattingen {
        assert_eq!(s["level"], "INFO");
        let (p50, max) = (
            s["fields"]["p50_ms"].as_f64().unwrap(),
            s["fields"]["max_ms"].as_f64().unwrap(),
        );
        assert!(p50 <= max, "{s}");
    }
}

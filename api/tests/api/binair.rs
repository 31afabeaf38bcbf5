//! The `traject` binary as a test runs it from outside: a free port, a server on a store, and
//! waiting until it is ready.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A port nothing listens on now.
pub fn vrije_poort() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `traject serve` on `store` with the master key `sleutel` and the token secret `geheim`, at
/// `poort`, its output discarded.
pub fn start(store: &str, sleutel: &std::path::Path, geheim: &str, poort: u16) -> Child {
    start_met(store, sleutel, geheim, poort, &[])
}

/// [`start`] with more flags.
pub fn start_met(
    store: &str,
    sleutel: &std::path::Path,
    geheim: &str,
    poort: u16,
    meer: &[&str],
) -> Child {
    Command::new(env!("CARGO_BIN_EXE_traject"))
        .args(["serve", "--store", store, "--listen"])
        .arg(format!("127.0.0.1:{poort}"))
        .args(["--jwt-secret", geheim, "--kluis-sleutel"])
        .arg(sleutel)
        .args(meer)
        .env_remove("TRAJECT_STORE")
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts")
}

/// Waits until the server answers `/ready` (the projections caught up with the store), at most
/// a minute: the real signal, asked for every 50 ms.
pub async fn klaar(client: &reqwest::Client, basis: &str) {
    for _ in 0..1200 {
        if let Ok(r) = client.get(format!("{basis}/ready")).send().await
            && r.status().is_success()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready within a minute");
}

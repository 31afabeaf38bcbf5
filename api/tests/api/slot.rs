//! One server per embedded data directory: a second `traject serve` on the same directory
//! refuses with a message naming the directory; after the first server is killed (`kill -9`),
//! the directory is free again. (Rewriting a store a server holds is refused by the vault's own
//! lock: `herschrijven.rs`.)

use std::process::{Command, Stdio};

use crate::binair::{klaar, start, vrije_poort};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_server_on_one_directory_refuses_and_the_lock_goes_with_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data");
    let store_tekst = store.to_str().unwrap();
    let sleutel = dir.path().join("kluis.sleutel");
    let client = reqwest::Client::new();
    let poort = vrije_poort();
    let mut eerste = start(store_tekst, &sleutel, "slot-geheim", poort);
    klaar(&client, &format!("http://127.0.0.1:{poort}")).await;

    let mut tweede = crate::binair::Proces::van(
        Command::new(env!("CARGO_BIN_EXE_traject"))
            .args(["serve", "--store", store_tekst, "--listen"])
            .arg(format!("127.0.0.1:{}", vrije_poort()))
            .args(["--jwt-secret", "slot-geheim", "--kluis-key"])
            .arg(&sleutel)
            .env_remove("TRAJECT_STORE")
            .env_remove("TRAJECT_KLUIS_KEY")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // A second server that starts after all would serve on: give it 30 seconds to refuse.
    for _ in 0..300 {
        if tweede.try_wait().unwrap().is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if tweede.try_wait().unwrap().is_none() {
        tweede.kill().unwrap();
        eerste.kill().unwrap();
        panic!("a second server started on the same directory");
    }
    let tweede = tweede.wait_with_output();
    let fout = String::from_utf8_lossy(&tweede.stderr);
    assert!(!tweede.status.success());
    assert!(
        fout.contains("in gebruik") && fout.contains(store_tekst),
        "{fout}"
    );

    eerste.kill().unwrap(); // SIGKILL
    eerste.wait().unwrap();
    let poort = vrije_poort();
    let mut derde = start(store_tekst, &sleutel, "slot-geheim", poort);
    klaar(&client, &format!("http://127.0.0.1:{poort}")).await;
    derde.kill().unwrap();
    derde.wait().unwrap();
}

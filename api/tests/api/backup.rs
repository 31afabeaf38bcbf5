//! Backup and restore from outside: `traject backup` while a server runs and four writers
//! refer trajectories, then `traject restore` into a new directory. The restored store
//! holds every write acknowledged before the backup began, its events are the original's in the
//! original's order (a consistent cut, nothing invented or reordered), it passes the server's
//! start-up check and serves; a restore over an existing store, or a backup of a directory
//! without a store, is refused naming the path. After a clean stop the events file alone holds
//! the store.

use std::collections::HashSet;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::binair::{klaar, start, vrije_poort};
use crate::crash::{SECRET, schrijver};
use traject_store::{EventStore, SqliteStore, StreamFilter};

fn traject(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_traject"))
        .args(args)
        .env_remove("TRAJECT_STORE")
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap()
}

async fn ids(dir: &std::path::Path) -> Vec<String> {
    let store = SqliteStore::open(dir.join("events.sqlite")).await.unwrap();
    store
        .read_all(None, &StreamFilter::all(), usize::MAX)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id.to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writing_restores_every_write_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data");
    let store_tekst = store.to_str().unwrap();
    let kopie = dir.path().join("backup");
    let hersteld = dir.path().join("hersteld");
    let sleutel = dir.path().join("kluis.sleutel");
    let poort = vrije_poort();
    let mut server = start(store_tekst, &sleutel, SECRET, poort);
    let client = reqwest::Client::new();
    klaar(&client, &format!("http://127.0.0.1:{poort}")).await;

    let url = format!("http://127.0.0.1:{poort}/graphql");
    let stop = Arc::new(AtomicBool::new(false));
    let bevestigd = Arc::new(Mutex::new(HashSet::new()));
    let schrijvers: Vec<_> = (0..4)
        .map(|n| {
            tokio::spawn(schrijver(
                n,
                url.clone(),
                Arc::clone(&stop),
                Arc::clone(&bevestigd),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let voor: HashSet<String> = bevestigd.lock().unwrap().clone();
    assert!(
        voor.len() >= 10,
        "only {} writes before the backup",
        voor.len()
    );
    let uit = tokio::task::spawn_blocking({
        let (store, kopie) = (store_tekst.to_owned(), kopie.clone());
        move || traject(&["backup", "--store", &store, "--to", kopie.to_str().unwrap()])
    })
    .await
    .unwrap();
    let tekst =
        String::from_utf8_lossy(&uit.stdout).into_owned() + &String::from_utf8_lossy(&uit.stderr);
    assert!(
        uit.status.success() && tekst.contains("backup gemaakt"),
        "{tekst}"
    );
    // The writers went on during the backup.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.store(true, Ordering::Relaxed);
    for s in schrijvers {
        s.await.unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let na = bevestigd.lock().unwrap().len();
    assert!(na > voor.len(), "no writes during and after the backup");

    let uit = traject(&[
        "restore",
        "--from",
        kopie.to_str().unwrap(),
        "--store",
        hersteld.to_str().unwrap(),
    ]);
    assert!(
        uit.status.success(),
        "{}",
        String::from_utf8_lossy(&uit.stderr)
    );

    let origineel = ids(&store).await;
    let terug = ids(&hersteld).await;
    assert!(
        !terug.is_empty() && terug.len() < origineel.len(),
        "{} of {}",
        terug.len(),
        origineel.len()
    );
    assert_eq!(
        terug[..],
        origineel[..terug.len()],
        "the restored events are not the original's first ones"
    );
    let terug: HashSet<String> = terug.into_iter().collect();
    let kwijt: Vec<&String> = voor.difference(&terug).collect();
    assert!(
        kwijt.is_empty(),
        "acknowledged before the backup, not restored: {kwijt:?}"
    );

    // The restored store passes the start-up check and serves.
    let poort = vrije_poort();
    let mut server = start(hersteld.to_str().unwrap(), &sleutel, SECRET, poort);
    klaar(&client, &format!("http://127.0.0.1:{poort}")).await;
    server.kill().unwrap();
    server.wait().unwrap();

    // Never over a store, never from a directory without one.
    let uit = traject(&[
        "restore",
        "--from",
        kopie.to_str().unwrap(),
        "--store",
        store_tekst,
    ]);
    let fout = String::from_utf8_lossy(&uit.stderr);
    assert!(
        !uit.status.success() && fout.contains("niet leeg") && fout.contains(store_tekst),
        "{fout}"
    );
    let leeg = dir.path().join("leeg");
    let uit = traject(&[
        "backup",
        "--store",
        leeg.to_str().unwrap(),
        "--to",
        dir.path().join("b2").to_str().unwrap(),
    ]);
    let fout = String::from_utf8_lossy(&uit.stderr);
    assert!(
        !uit.status.success()
            && fout.contains("geen store")
            && fout.contains(leeg.to_str().unwrap()),
        "{fout}"
    );
}

/// After a clean stop (SIGTERM) the database file alone holds the store: the WAL was copied into
/// it and emptied, so a copy of `events.sqlite` without its WAL misses no acknowledged write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_clean_stop_the_events_file_alone_holds_every_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data");
    let sleutel = dir.path().join("kluis.sleutel");
    let poort = vrije_poort();
    let mut server = start(store.to_str().unwrap(), &sleutel, SECRET, poort);
    let client = reqwest::Client::new();
    klaar(&client, &format!("http://127.0.0.1:{poort}")).await;
    let stop = Arc::new(AtomicBool::new(false));
    let bevestigd = Arc::new(Mutex::new(HashSet::new()));
    let schrijvers: Vec<_> = (0..2)
        .map(|n| {
            tokio::spawn(schrijver(
                n,
                format!("http://127.0.0.1:{poort}/graphql"),
                Arc::clone(&stop),
                Arc::clone(&bevestigd),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::Relaxed);
    for s in schrijvers {
        s.await.unwrap();
    }
    let geschreven = bevestigd.lock().unwrap().clone();
    assert!(!geschreven.is_empty(), "nothing written");
    let wal = store.join("events.sqlite-wal");
    assert!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > 0,
        "the writes are expected in the WAL while the server runs"
    );
    assert!(server.stop_netjes().success());
    assert_eq!(
        std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0),
        0,
        "the WAL still holds pages after a clean stop"
    );
    // Only the database file, copied as an operator might.
    let kopie = dir.path().join("kopie");
    std::fs::create_dir(&kopie).unwrap();
    std::fs::copy(store.join("events.sqlite"), kopie.join("events.sqlite")).unwrap();
    let terug: HashSet<String> = ids(&kopie).await.into_iter().collect();
    let kwijt: Vec<&String> = geschreven.difference(&terug).collect();
    assert!(kwijt.is_empty(), "not in the copied file: {kwijt:?}");
}

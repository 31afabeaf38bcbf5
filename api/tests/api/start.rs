//! A store that cannot be served from refuses the start with one line naming it: a file with
//! damaged pages, even with a snapshot present that the read models could start from; a data
//! directory on a read-only file system.

use std::io::{Seek, SeekFrom, Write};
use std::process::{Command, Stdio};

use crate::binair::{klaar, vrije_poort};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_with_damaged_pages_refuses_to_start_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data");
    let store_tekst = store.to_str().unwrap();
    let sleutel = dir.path().join("kluis.sleutel");
    let serve = |poort: u16| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_traject"));
        c.args(["serve", "--store", store_tekst, "--listen"])
            .arg(format!("127.0.0.1:{poort}"))
            .args(["--jwt-secret", "start-geheim", "--kluis-key"])
            .arg(&sleutel)
            .env_remove("TRAJECT_STORE")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null());
        c
    };
    // A store with data, stopped cleanly: the snapshot is saved and the file checkpointed.
    let poort = vrije_poort();
    let mut eerste = crate::binair::Proces::van(
        serve(poort)
            .args(["--demo", "--demo-trajecten", "80"])
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    klaar(
        &reqwest::Client::new(),
        &format!("http://127.0.0.1:{poort}"),
    )
    .await;
    eerste.stop_netjes();
    assert!(store.join("projecties.snapshot").is_file());

    // Every page in the main file (as a checkpoint leaves it), then pages in its middle
    // overwritten.
    let bestand = store.join("events.sqlite");
    rusqlite::Connection::open(&bestand)
        .unwrap()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let lengte = std::fs::metadata(&bestand).unwrap().len();
    assert!(lengte > 64 * 4096, "a store of {lengte} bytes");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&bestand)
        .unwrap();
    f.seek(SeekFrom::Start(lengte / 2 / 4096 * 4096)).unwrap();
    f.write_all(&[0xA5; 4 * 4096]).unwrap();
    f.sync_all().unwrap();
    drop(f);

    let mut tweede =
        crate::binair::Proces::van(serve(vrije_poort()).stderr(Stdio::piped()).spawn().unwrap());
    for _ in 0..600 {
        if tweede.try_wait().unwrap().is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if tweede.try_wait().unwrap().is_none() {
        tweede.kill().unwrap();
        panic!("a server started on a damaged store");
    }
    let uit = tweede.wait_with_output();
    let fout = String::from_utf8_lossy(&uit.stderr);
    assert!(!uit.status.success());
    assert!(
        fout.contains("beschadigd") && fout.contains(bestand.to_str().unwrap()),
        "{fout}"
    );
}

/// A data directory on a read-only file system (mounted so in a mount namespace of its own, as
/// root ignores file modes; made read-only with its mode otherwise) refuses the start with one
/// line naming the path, never a server that reports ready and fails every write.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_data_directory_refuses_to_start_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data");
    let store_tekst = store.to_str().unwrap().to_owned();
    let sleutel = dir.path().join("kluis.sleutel");
    let poort = vrije_poort();
    let mut eerste = crate::binair::start(&store_tekst, &sleutel, "start-geheim", poort);
    klaar(
        &reqwest::Client::new(),
        &format!("http://127.0.0.1:{poort}"),
    )
    .await;
    eerste.stop_netjes();

    let traject = env!("CARGO_BIN_EXE_traject");
    let serve = format!(
        "exec {traject} serve --store {store_tekst} --listen 127.0.0.1:{} --jwt-secret start-geheim --kluis-key {}",
        vrije_poort(),
        sleutel.display()
    );
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let mut opdracht = if root {
        let mut c = Command::new("unshare");
        c.args(["-m", "sh", "-c"]).arg(format!(
            "mount --bind {store_tekst} {store_tekst} && mount -o remount,bind,ro {store_tekst} && {serve}"
        ));
        c
    } else {
        let mut modus = std::fs::metadata(&store).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut modus, 0o500);
        std::fs::set_permissions(&store, modus).unwrap();
        let mut c = Command::new("sh");
        c.args(["-c", &serve]);
        c
    };
    let uit = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        tokio::task::spawn_blocking(move || {
            opdracht
                .env_remove("TRAJECT_STORE")
                .env("RUST_BACKTRACE", "0")
                .env("RUST_LOG", "error")
                .stdout(Stdio::null())
                .output()
                .unwrap()
        }),
    )
    .await
    .expect("a server on a read-only directory stopped within a minute")
    .unwrap();
    let fout = String::from_utf8_lossy(&uit.stderr);
    if root && (fout.contains("unshare:") || fout.contains("mount:")) {
        // No mount namespace here: nothing to test with as root.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: a read-only directory needs a mount namespace as root ({})",
            fout.trim()
        );
        return;
    }
    assert!(!uit.status.success(), "{fout}");
    assert!(fout.contains(&store_tekst), "{fout}");
    assert_eq!(fout.trim().lines().count(), 1, "one line: {fout}");
}

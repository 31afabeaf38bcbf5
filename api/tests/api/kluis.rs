//! The vault's master key: where it comes from in each mode, that a server refuses another key,
//! and that rotation rewraps every data key so that only the new key opens the vault.

use std::sync::Arc;

use chrono::NaiveDate;
use traject_api::config::Mode;
use traject_api::kluis::key::MasterKey;
use traject_api::kluis::storage::{Kluis, SqliteKluis};
use traject_api::kluis::{KluisError, Kluisdienst, rotate};
use traject_domain::value::{Geboortedatum, Naam, Persoonsgegevens};

fn persoon(naam: &str) -> Persoonsgegevens {
    let vandaag = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    Persoonsgegevens {
        naam: Naam::parse(naam).unwrap(),
        geboortedatum: Geboortedatum::parse("1990-01-01", vandaag).unwrap(),
        telefoon: None,
        email: None,
        bsn: None,
    }
}

#[test]
fn production_needs_an_existing_key_file_and_development_makes_one() {
    let ouder = tempfile::tempdir().unwrap();
    let store = ouder.path().join("traject-data");
    std::fs::create_dir(&store).unwrap();
    let dir = &store;
    let mut config = crate::auth::config();
    config.store = format!("{}/", dir.display());
    config.mode = Mode::Production;
    let fout = config.hoofdsleutel().unwrap_err().to_string();
    assert!(fout.contains("kluis-key"), "{fout}");
    config.kluis_key = Some(dir.join("ontbreekt.sleutel"));
    assert!(config.hoofdsleutel().is_err());
    assert!(
        !dir.join("ontbreekt.sleutel").exists(),
        "production never makes a key"
    );

    config.mode = Mode::Development;
    config.kluis_key = None;
    let gemaakt = config.hoofdsleutel().unwrap();
    // Beside the store's directory, never in it: a copy of the store is no copy of its key.
    let naast = ouder.path().join("traject-data.kluis.sleutel");
    assert!(naast.exists());
    assert!(!dir.join("kluis.sleutel").exists());
    assert_eq!(
        config.hoofdsleutel().unwrap().id(),
        gemaakt.id(),
        "made once, then read"
    );
    config.mode = Mode::Production;
    config.kluis_key = Some(naast.clone());
    assert_eq!(config.hoofdsleutel().unwrap().id(), gemaakt.id());
    // A key an earlier version made inside the directory is moved beside it.
    std::fs::rename(&naast, dir.join("kluis.sleutel")).unwrap();
    config.mode = Mode::Development;
    config.kluis_key = None;
    assert_eq!(config.hoofdsleutel().unwrap().id(), gemaakt.id());
    assert!(naast.exists() && !dir.join("kluis.sleutel").exists());
}

#[tokio::test]
async fn rotation_rewraps_every_key_and_the_old_key_no_longer_starts() {
    let dir = tempfile::tempdir().unwrap();
    let opslag: Arc<dyn Kluis> =
        Arc::new(SqliteKluis::open(&dir.path().join("events.sqlite")).unwrap());
    let oud_pad = dir.path().join("oud.sleutel");
    let nieuw_pad = dir.path().join("nieuw.sleutel");
    let oud = MasterKey::load_or_create(&oud_pad).unwrap();
    let kluis = Kluisdienst::start(Arc::clone(&opslag), MasterKey::load(&oud_pad).unwrap())
        .await
        .unwrap();
    let clients: Vec<uuid::Uuid> = (0..20).map(|_| uuid::Uuid::now_v7()).collect();
    kluis
        .fill(
            clients
                .iter()
                .map(|c| (*c, persoon(&format!("Persoon {c}"))))
                .collect(),
        )
        .await
        .unwrap();
    kluis.wis(clients[0]).await.unwrap();

    let nieuw = MasterKey::load_or_create(&nieuw_pad).unwrap();
    // Refused while a service holds the vault: it would go on sealing under the old key.
    match rotate(opslag.as_ref(), &oud, &nieuw).await {
        Err(KluisError::Storage(traject_api::kluis::storage::StorageError::InGebruik(_))) => {}
        other => panic!("a rotation while serving must be refused, got {other:?}"),
    }
    assert_eq!(
        opslag.sleutel_ids().await.unwrap(),
        vec![oud.id().to_owned()]
    );
    drop(kluis);
    assert_eq!(rotate(opslag.as_ref(), &oud, &nieuw).await.unwrap(), 19);
    assert_eq!(
        rotate(opslag.as_ref(), &oud, &nieuw).await.unwrap(),
        0,
        "running it again changes nothing"
    );
    assert_eq!(
        opslag.sleutel_ids().await.unwrap(),
        vec![nieuw.id().to_owned()]
    );

    match Kluisdienst::start(Arc::clone(&opslag), MasterKey::load(&oud_pad).unwrap()).await {
        Err(KluisError::AndereHoofdsleutel { .. }) => {}
        other => panic!("the old key must be refused, got {other:?}"),
    }
    let kluis = Kluisdienst::start(Arc::clone(&opslag), MasterKey::load(&nieuw_pad).unwrap())
        .await
        .unwrap();
    for c in &clients[1..] {
        let p = kluis.read(*c).await.unwrap();
        assert_eq!(p.gegevens.unwrap().naam.as_str(), format!("Persoon {c}"));
        assert_eq!(kluis.naam(*c), Some(format!("Persoon {c}")));
    }
    assert!(kluis.read(clients[0]).await.unwrap().gewist);
    drop(kluis);
    // A third key in the vault stops a rotation before anything is written.
    let derde = MasterKey::random();
    let vreemd = uuid::Uuid::now_v7();
    opslag
        .write(vreemd, None, derde.seal(vreemd, &persoon("Derde Sleutel")))
        .await
        .unwrap();
    assert!(
        rotate(opslag.as_ref(), &nieuw, &MasterKey::random())
            .await
            .is_err()
    );
    assert_eq!(opslag.sleutel_ids().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_rotation_command_is_refused_while_a_server_runs_and_then_destroys_the_old_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let oud = dir.path().join("oud.sleutel");
    let nieuw = dir.path().join("nieuw.sleutel");
    let traject = env!("CARGO_BIN_EXE_traject");
    let poort = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = crate::binair::Proces::van(
        std::process::Command::new(traject)
            .args(["serve", "--store"])
            .arg(&store)
            .arg("--listen")
            .arg(format!("127.0.0.1:{poort}"))
            .arg("--kluis-key")
            .arg(&oud)
            .env_remove("TRAJECT_STORE")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    // The server holds the vault once it answers.
    let client = reqwest::Client::new();
    let mut klaar = false;
    for _ in 0..600 {
        if client
            .get(format!("http://127.0.0.1:{poort}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            klaar = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(klaar, "the server answers");
    let rotate = || {
        std::process::Command::new(traject)
            .args(["kluis", "rotate", "--store"])
            .arg(&store)
            .arg("--kluis-key")
            .arg(&oud)
            .arg("--new-key")
            .arg(&nieuw)
            .env_remove("TRAJECT_STORE")
            .output()
            .unwrap()
    };
    let geweigerd = rotate();
    assert!(!geweigerd.status.success());
    let melding = String::from_utf8_lossy(&geweigerd.stderr);
    assert!(melding.contains("in gebruik"), "{melding}");
    assert!(oud.exists(), "the old key stays while nothing was rotated");
    assert!(!nieuw.exists(), "a refused rotation makes no key file");
    server.kill().unwrap();
    server.wait().unwrap();
    let gedaan = rotate();
    assert!(
        gedaan.status.success(),
        "{}",
        String::from_utf8_lossy(&gedaan.stderr)
    );
    let uitleg = String::from_utf8_lossy(&gedaan.stdout);
    assert!(uitleg.contains("overschreven en verwijderd"), "{uitleg}");
    assert!(!oud.exists(), "the old key file is destroyed");
    assert!(nieuw.exists());
}

#[tokio::test]
async fn the_demo_gives_every_client_a_person_once() {
    let dir = tempfile::tempdir().unwrap();
    let opslag: Arc<dyn Kluis> =
        Arc::new(SqliteKluis::open(&dir.path().join("events.sqlite")).unwrap());
    let kluis = Kluisdienst::start(Arc::clone(&opslag), MasterKey::random())
        .await
        .unwrap();
    let mut opties =
        traject_demo::DemoOpties::landelijk(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    opties.trajecten = 60;
    traject_api::demo::fill_kluis_if_empty(&kluis, &opties)
        .await
        .unwrap();
    let records = opslag.wijzigingen(0, 1000).await.unwrap();
    assert_eq!(records.len(), 60, "one person per demo client");
    let mut met_bsn = 0;
    for r in &records {
        let p = kluis.read(r.client).await.unwrap().gegevens.unwrap();
        assert_eq!(kluis.naam(r.client).as_deref(), Some(p.naam.as_str()));
        met_bsn += usize::from(p.bsn.is_some());
    }
    assert!(
        (5..=40).contains(&met_bsn),
        "about one in three has a BSN: {met_bsn}"
    );
    traject_api::demo::fill_kluis_if_empty(&kluis, &opties)
        .await
        .unwrap();
    assert_eq!(
        opslag.wijzigingen(0, 1000).await.unwrap().len(),
        60,
        "filled once"
    );
}

//! The vault's master key: where it comes from in each mode, that a server refuses another key,
//! and that rotation rewraps every data key so that only the new key opens the vault.

use std::sync::Arc;

use chrono::NaiveDate;
use traject_api::config::Modus;
use traject_api::kluis::sleutel::HoofdSleutel;
use traject_api::kluis::{KluisFout, Kluisdienst, roteer};
use traject_domain::value::{Geboortedatum, Naam, Persoonsgegevens};
use traject_store::SqliteStore;
use traject_store::kluis::Kluis;

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
    let dir = tempfile::tempdir().unwrap();
    let mut config = crate::auth::config();
    config.store = dir.path().display().to_string();
    config.modus = Modus::Productie;
    let fout = config.hoofdsleutel().unwrap_err().to_string();
    assert!(fout.contains("kluis-sleutel"), "{fout}");
    config.kluis_sleutel = Some(dir.path().join("ontbreekt.sleutel"));
    assert!(config.hoofdsleutel().is_err());
    assert!(
        !dir.path().join("ontbreekt.sleutel").exists(),
        "production never makes a key"
    );

    config.modus = Modus::Ontwikkeling;
    config.kluis_sleutel = None;
    let gemaakt = config.hoofdsleutel().unwrap();
    assert!(dir.path().join("kluis.sleutel").exists());
    assert_eq!(
        config.hoofdsleutel().unwrap().id(),
        gemaakt.id(),
        "made once, then read"
    );
    config.modus = Modus::Productie;
    config.kluis_sleutel = Some(dir.path().join("kluis.sleutel"));
    assert_eq!(config.hoofdsleutel().unwrap().id(), gemaakt.id());
}

#[tokio::test]
async fn rotation_rewraps_every_key_and_the_old_key_no_longer_starts() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("events.sqlite"))
        .await
        .unwrap();
    let opslag: Arc<dyn Kluis> = Arc::new(store.kluis().unwrap());
    let oud_pad = dir.path().join("oud.sleutel");
    let nieuw_pad = dir.path().join("nieuw.sleutel");
    let oud = HoofdSleutel::laad_of_maak(&oud_pad).unwrap();
    let kluis = Kluisdienst::start(Arc::clone(&opslag), HoofdSleutel::laad(&oud_pad).unwrap())
        .await
        .unwrap();
    let clients: Vec<uuid::Uuid> = (0..20).map(|_| uuid::Uuid::now_v7()).collect();
    kluis
        .vul(
            clients
                .iter()
                .map(|c| (*c, persoon(&format!("Persoon {c}"))))
                .collect(),
        )
        .await
        .unwrap();
    kluis.wis(clients[0]).await.unwrap();

    let nieuw = HoofdSleutel::laad_of_maak(&nieuw_pad).unwrap();
    assert_eq!(roteer(opslag.as_ref(), &oud, &nieuw).await.unwrap(), 19);
    assert_eq!(
        roteer(opslag.as_ref(), &oud, &nieuw).await.unwrap(),
        0,
        "running it again changes nothing"
    );
    assert_eq!(
        opslag.sleutel_ids().await.unwrap(),
        vec![nieuw.id().to_owned()]
    );

    match Kluisdienst::start(Arc::clone(&opslag), HoofdSleutel::laad(&oud_pad).unwrap()).await {
        Err(KluisFout::AndereHoofdsleutel { .. }) => {}
        other => panic!("the old key must be refused, got {other:?}"),
    }
    let kluis = Kluisdienst::start(Arc::clone(&opslag), HoofdSleutel::laad(&nieuw_pad).unwrap())
        .await
        .unwrap();
    for c in &clients[1..] {
        let p = kluis.lees(*c).await.unwrap();
        assert_eq!(p.gegevens.unwrap().naam.as_str(), format!("Persoon {c}"));
        assert_eq!(kluis.naam(*c), Some(format!("Persoon {c}")));
    }
    assert!(kluis.lees(clients[0]).await.unwrap().gewist);
    // A third key in the vault stops a rotation before anything is written.
    let derde = HoofdSleutel::nieuw();
    let vreemd = uuid::Uuid::now_v7();
    opslag
        .schrijf(
            vreemd,
            None,
            derde.verzegel(vreemd, &persoon("Derde Sleutel")),
        )
        .await
        .unwrap();
    assert!(
        roteer(opslag.as_ref(), &nieuw, &HoofdSleutel::nieuw())
            .await
            .is_err()
    );
    assert_eq!(opslag.sleutel_ids().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_demo_gives_every_client_a_person_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("events.sqlite"))
        .await
        .unwrap();
    let opslag: Arc<dyn Kluis> = Arc::new(store.kluis().unwrap());
    let kluis = Kluisdienst::start(Arc::clone(&opslag), HoofdSleutel::nieuw())
        .await
        .unwrap();
    let mut opties =
        traject_demo::DemoOpties::landelijk(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    opties.trajecten = 60;
    traject_api::demo::vul_kluis_als_leeg(&kluis, &opties)
        .await
        .unwrap();
    let records = opslag.wijzigingen(0, 1000).await.unwrap();
    assert_eq!(records.len(), 60, "one person per demo client");
    let mut met_bsn = 0;
    for r in &records {
        let p = kluis.lees(r.client).await.unwrap().gegevens.unwrap();
        assert_eq!(kluis.naam(r.client).as_deref(), Some(p.naam.as_str()));
        met_bsn += usize::from(p.bsn.is_some());
    }
    assert!(
        (5..=40).contains(&met_bsn),
        "about one in three has a BSN: {met_bsn}"
    );
    traject_api::demo::vul_kluis_als_leeg(&kluis, &opties)
        .await
        .unwrap();
    assert_eq!(
        opslag.wijzigingen(0, 1000).await.unwrap().len(),
        60,
        "filled once"
    );
}

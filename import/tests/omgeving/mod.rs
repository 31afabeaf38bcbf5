//! An application layer on a temporary directory, shared by the import's tests and its
//! benchmark: an SQLite event store, vault and access log in `dir`, today fixed by `vandaag`,
//! the read models following the store when `volgen` (an import does not wait for them).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use traject_dienst::Dienst;
use traject_dienst::kluis::Kluisdienst;
use traject_dienst::kluis::key::MasterKey;
use traject_dienst::kluis::storage::SqliteKluis;
use traject_dienst::toegangslog::{LogKey, ReadQuota, SqliteLog, Storage, Toegangslog};
use traject_domain::DuurzaamBeleid;
use traject_projections::Projecties;
use traject_store::{EventStore, SqliteStore};

pub async fn dienst_in(dir: &Path, vandaag: fn() -> NaiveDate, volgen: bool) -> Dienst {
    let store = SqliteStore::open(dir.join("events.sqlite"))
        .await
        .expect("the store opens");
    let kluis = Arc::new(
        Kluisdienst::start(
            Arc::new(SqliteKluis::open(&dir.join("events.sqlite")).expect("the vault opens")),
            MasterKey::random(),
        )
        .await
        .expect("the vault starts"),
    );
    let store: Arc<dyn EventStore> = Arc::new(store);
    let projecties = Projecties::new(DuurzaamBeleid::default());
    if volgen {
        tokio::spawn(Arc::clone(&projecties).follow(Arc::clone(&store)));
    }
    let log = Toegangslog::open(
        Storage::Sqlite(
            SqliteLog::open(&dir.join("toegangslog.sqlite")).expect("the access log opens"),
        ),
        LogKey::random(),
        Arc::clone(&store),
        ReadQuota::new(0),
    )
    .await
    .expect("the access log starts");
    Dienst {
        log,
        store,
        projecties,
        kluis,
        vandaag,
        wacht: Duration::from_secs(10),
        bron: "test",
        team_bij_eerste_intake: false,
    }
}

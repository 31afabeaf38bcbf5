//! The start-up check of the PostgreSQL store when the database is briefly away: the store
//! reaches PostgreSQL through a TCP proxy that the test cuts (every open connection closed,
//! every new one refused) and restores. The check asks again rather than failing, and passes
//! once the database answers; a server waits for that before it is ready.

use std::time::Duration;

use traject_store::testing::{Proxy, TestSchema};
use traject_store::{EventStore, PostgresStore};

use crate::fixtures::postgres_url;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_check_asks_again_while_the_database_cannot_be_reached() {
    let Some(url) = postgres_url() else { return };
    let pg: tokio_postgres::Config = url.parse().unwrap();
    let host = match pg.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => {
            panic!("TRAJECT_TEST_POSTGRES_URL names no TCP host: this test needs one for its proxy")
        }
    };
    let port = pg.get_ports().first().copied().unwrap_or(5432);
    let proxy = Proxy::start(format!("{host}:{port}")).await;
    // The same database, user and password, through the proxy (a key-value connection string,
    // its values quoted).
    let waarde = |w: &str| format!("'{}'", w.replace('\\', "\\\\").replace('\'', "\\'"));
    let mut via_proxy = format!("host=127.0.0.1 port={}", proxy.poort());
    if let Some(user) = pg.get_user() {
        via_proxy.push_str(&format!(" user={}", waarde(user)));
    }
    if let Some(dbname) = pg.get_dbname() {
        via_proxy.push_str(&format!(" dbname={}", waarde(dbname)));
    }
    if let Some(password) = pg.get_password() {
        via_proxy.push_str(&format!(
            " password={}",
            waarde(&String::from_utf8_lossy(password))
        ));
    }
    let schema = TestSchema::new(&url, "controle");
    let mut config = schema.config();
    config.url = via_proxy;
    let store = PostgresStore::connect(config).await.unwrap();
    store.check().await.expect("a reachable database passes");

    proxy.knip();
    let controle = tokio::spawn({
        let store = store.clone();
        async move { store.check().await }
    });
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(
        !controle.is_finished(),
        "the check gave a verdict while the database could not be reached: {:?}",
        controle.await
    );
    proxy.herstel();
    let uitkomst = tokio::time::timeout(Duration::from_secs(20), controle)
        .await
        .expect("the check passes once the database is back")
        .unwrap();
    assert!(uitkomst.is_ok(), "{uitkomst:?}");
}

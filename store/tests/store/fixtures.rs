//! Fresh stores for each test: a new SQLite file, or a new schema in the PostgreSQL database
//! named by `TRAJECT_TEST_POSTGRES_URL`.

use std::sync::Arc;

use traject_store::{
    EventStore, Metadata, NewEvent, PostgresConfig, PostgresStore, SqliteStore, StreamName,
};

/// A store and whatever must live as long as it does.
pub struct Fixture {
    pub store: Arc<dyn EventStore>,
    _cleanup: Cleanup,
}

enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Schema { url: String, schema: String },
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if let Cleanup::Schema { url, schema } = self {
            let (url, schema) = (url.clone(), schema.clone());
            // A runtime of its own: the test's runtime may be shutting down.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok((client, conn)) =
                        tokio_postgres::connect(&url, tokio_postgres::NoTls).await
                    {
                        tokio::spawn(conn);
                        let _ = client
                            .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

pub async fn sqlite() -> Option<Fixture> {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(dir.path().join("events.sqlite"))
        .await
        .unwrap();
    Some(Fixture {
        store: Arc::new(store),
        _cleanup: Cleanup::Dir(dir),
    })
}

/// The PostgreSQL URL for tests, or `None` after saying the test is skipped. With
/// `TRAJECT_REQUIRE_POSTGRES=1` (CI) a missing URL fails the test instead.
pub fn postgres_url() -> Option<String> {
    match std::env::var("TRAJECT_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("TRAJECT_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "TRAJECT_TEST_POSTGRES_URL is not set, and TRAJECT_REQUIRE_POSTGRES=1 forbids skipping"
            );
            // Straight to stderr: libtest hides what a passing test prints with eprintln!.
            use std::io::Write;
            let test = std::thread::current().name().unwrap_or("?").to_owned();
            let _ = writeln!(
                std::io::stderr(),
                "skipped: {test} needs PostgreSQL (set TRAJECT_TEST_POSTGRES_URL to run it)"
            );
            None
        }
    }
}

/// Removes a test's schema and everything in it.
pub async fn drop_schema(url: &str, schema: &str) {
    if let Ok((client, conn)) = tokio_postgres::connect(url, tokio_postgres::NoTls).await {
        tokio::spawn(conn);
        let _ = client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
            .await;
    }
}

pub fn fresh_schema() -> String {
    format!("t_{}", uuid::Uuid::now_v7().simple())
}

pub async fn postgres() -> Option<Fixture> {
    let url = postgres_url()?;
    let schema = fresh_schema();
    let mut config = PostgresConfig::new(url.clone());
    config.schema = schema.clone();
    let store = PostgresStore::connect(config)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at TRAJECT_TEST_POSTGRES_URL is unreachable: {e}"));
    Some(Fixture {
        store: Arc::new(store),
        _cleanup: Cleanup::Schema { url, schema },
    })
}

pub fn stream(name: &str) -> StreamName {
    StreamName::new(name).unwrap()
}

/// An event of type `Test` whose data says `n`.
pub fn event(n: u64) -> NewEvent {
    NewEvent {
        id: uuid::Uuid::now_v7(),
        event_type: "Test".to_owned(),
        schema_version: 1,
        data: serde_json::json!({ "n": n }),
        metadata: Metadata::default(),
    }
}

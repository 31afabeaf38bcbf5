//! Helpers for tests (feature `testing`): the PostgreSQL URL from `TRAJECT_TEST_POSTGRES_URL`,
//! with the project's skip rule, a fresh schema per test that is dropped when the test ends, and
//! a test event. Used by this crate's tests and the end-to-end tests.

use crate::{Metadata, NewEvent, PostgresConfig};

/// An event of type `Test` with the JSON `data`, a new id and no metadata.
pub fn test_event(data: serde_json::Value) -> NewEvent {
    NewEvent {
        id: uuid::Uuid::now_v7(),
        event_type: "Test".to_owned(),
        schema_version: 1,
        data,
        metadata: Metadata::default(),
        recorded_at: None,
    }
}

/// The PostgreSQL URL for tests, or `None` after saying on stderr that the running test is
/// skipped. With `TRAJECT_REQUIRE_POSTGRES=1` (CI) a missing URL fails the test instead.
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

/// A schema of its own for one test, dropped with everything in it when this value is dropped.
pub struct TestSchema {
    /// The database URL.
    pub url: String,
    /// The schema's name.
    pub name: String,
}

impl TestSchema {
    /// A new, unique schema name in the database at `url` (created by the store on connect).
    pub fn new(url: &str, prefix: &str) -> Self {
        Self {
            url: url.to_owned(),
            name: format!("{prefix}_{}", uuid::Uuid::now_v7().simple()),
        }
    }

    /// The store configuration for this schema.
    pub fn config(&self) -> PostgresConfig {
        let mut config = PostgresConfig::new(self.url.clone());
        config.schema = self.name.clone();
        config
    }

    /// Drops the schema now.
    pub async fn drop_now(url: &str, name: &str) {
        if let Ok((client, conn)) = tokio_postgres::connect(url, tokio_postgres::NoTls).await {
            tokio::spawn(conn);
            let _ = client
                .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{name}\" CASCADE"))
                .await;
        }
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        // A runtime of its own: the test's runtime may be shutting down.
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(Self::drop_now(&url, &name));
            }
        })
        .join();
    }
}

/// Another process's read transaction on an SQLite file (as a backup tool or a database browser
/// holds one), on a thread of its own, held until [`Lezer::los`].
pub struct Lezer {
    los: std::sync::mpsc::Sender<()>,
    draad: std::thread::JoinHandle<()>,
}

impl Lezer {
    /// Opens the file and holds a read transaction on it; returns once it holds.
    pub fn houd_vast(pad: &std::path::Path) -> Self {
        let (los, laat_los) = std::sync::mpsc::channel::<()>();
        let (vast, houdt_vast) = std::sync::mpsc::channel::<()>();
        let pad = pad.to_owned();
        let draad = std::thread::spawn(move || {
            let conn = rusqlite::Connection::open(&pad).expect("the file opens");
            conn.execute_batch("BEGIN").expect("a read transaction");
            let _: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .expect("a read");
            let _ = vast.send(());
            let _ = laat_los.recv();
            let _ = conn.execute_batch("COMMIT");
        });
        houdt_vast.recv().expect("the reader holds the file");
        Self { los, draad }
    }

    /// Ends the read transaction and closes the file.
    pub fn los(self) {
        let _ = self.los.send(());
        self.draad.join().expect("the reader ends");
    }
}

/// Whether the SQLite file at `pad` or its WAL holds `naald` anywhere in its bytes.
pub fn bestand_bevat(pad: &std::path::Path, naald: &[u8]) -> bool {
    let mut bytes = std::fs::read(pad).unwrap_or_default();
    let mut wal = pad.as_os_str().to_owned();
    wal.push("-wal");
    bytes.extend(std::fs::read(std::path::PathBuf::from(wal)).unwrap_or_default());
    bytes.windows(naald.len()).any(|w| w == naald)
}

//! Helpers for tests (feature `testing`): the PostgreSQL URL from `TRAJECT_TEST_POSTGRES_URL`,
//! with the project's skip rule, a fresh schema per test that is dropped when the test ends, a
//! test event, a TCP proxy to the database that a test can cut, and a store that lets a test act
//! at chosen moments of another store's calls ([`Onderschept`]). Used by this crate's tests
//! and the end-to-end tests.

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

/// A TCP proxy to a database that a test can cut (every open connection closed, every new one
/// refused) and restore, at once or after a number of bytes from the database: a database that
/// goes away under a store or a running server, seen from outside.
pub struct Proxy {
    poort: u16,
    staat: std::sync::Arc<ProxyStaat>,
}

struct ProxyStaat {
    open: std::sync::atomic::AtomicBool,
    /// Bytes passed from the database to its client.
    naar_client: std::sync::atomic::AtomicU64,
    /// At this count of bytes to the client the proxy cuts itself.
    knip_bij: std::sync::atomic::AtomicU64,
    verbindingen: std::sync::Mutex<Vec<tokio::task::AbortHandle>>,
}

impl ProxyStaat {
    fn knip(&self) {
        self.open.store(false, std::sync::atomic::Ordering::SeqCst);
        for v in self.verbindingen.lock().expect("proxy").drain(..) {
            v.abort();
        }
    }
}

impl Proxy {
    /// Listens on a free port of 127.0.0.1 and passes each connection on to `doel` (`host:port`;
    /// each of the host's addresses is tried, as a client would).
    pub async fn start(doel: String) -> Self {
        use std::sync::atomic::Ordering;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let poort = listener.local_addr().expect("a bound port").port();
        let staat = std::sync::Arc::new(ProxyStaat {
            open: std::sync::atomic::AtomicBool::new(true),
            naar_client: std::sync::atomic::AtomicU64::new(0),
            knip_bij: std::sync::atomic::AtomicU64::new(u64::MAX),
            verbindingen: std::sync::Mutex::new(Vec::new()),
        });
        let s = std::sync::Arc::clone(&staat);
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                if !s.open.load(Ordering::SeqCst) {
                    drop(client); // refused: closed at once
                    continue;
                }
                let s2 = std::sync::Arc::clone(&s);
                let doel = doel.clone();
                let taak = tokio::spawn(async move {
                    let Ok(db) = tokio::net::TcpStream::connect(doel.as_str()).await else {
                        return;
                    };
                    let (mut cr, mut cw) = client.into_split();
                    let (mut dr, mut dw) = db.into_split();
                    let heen = tokio::io::copy(&mut cr, &mut dw);
                    let terug = async {
                        let mut buf = vec![0u8; 16 * 1024];
                        loop {
                            let n = dr.read(&mut buf).await?;
                            if n == 0 {
                                return Ok::<_, std::io::Error>(());
                            }
                            cw.write_all(&buf[..n]).await?;
                            let tot =
                                s2.naar_client.fetch_add(n as u64, Ordering::SeqCst) + n as u64;
                            if tot >= s2.knip_bij.load(Ordering::SeqCst) {
                                s2.knip();
                            }
                        }
                    };
                    tokio::select! {
                        _ = heen => {}
                        _ = terug => {}
                    }
                });
                s.verbindingen
                    .lock()
                    .expect("proxy")
                    .push(taak.abort_handle());
            }
        });
        Self { poort, staat }
    }

    /// The port on 127.0.0.1 to connect to instead of the database.
    pub fn poort(&self) -> u16 {
        self.poort
    }

    /// Cuts now.
    pub fn knip(&self) {
        self.staat.knip();
    }

    /// Cuts once `bytes` more have gone from the database to its clients.
    pub fn knip_na(&self, bytes: u64) {
        use std::sync::atomic::Ordering;
        let nu = self.staat.naar_client.load(Ordering::SeqCst);
        self.staat.knip_bij.store(nu + bytes, Ordering::SeqCst);
    }

    /// Whether it is cut.
    pub fn geknipt(&self) -> bool {
        !self.staat.open.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Passes connections on again (and forgets a cut after bytes still to come).
    pub fn herstel(&self) {
        use std::sync::atomic::Ordering;
        self.staat.knip_bij.store(u64::MAX, Ordering::SeqCst);
        self.staat.open.store(true, Ordering::SeqCst);
    }
}

/// What a test does at chosen moments of an inner store's calls ([`Onderschept`]): a failure of
/// a subscription, another user's write between a check and the write it guards. Each method's
/// default does nothing.
#[async_trait::async_trait]
pub trait Onderschepper: Send + Sync + 'static {
    /// Runs before an atomic append of `parts` is handed to the inner store.
    async fn voor_append_atomic(&self, _parts: &[crate::StreamAppend]) {}

    /// The subscription handed out, given the inner store's `echt`.
    fn subscription(&self, echt: crate::Subscription) -> crate::Subscription {
        echt
    }
}

/// A store that hands every call to `binnen`, letting `onderschepper` act at its moments.
pub struct Onderschept<O> {
    /// The store that does the work.
    pub binnen: std::sync::Arc<dyn crate::EventStore>,
    /// What the test does meanwhile.
    pub onderschepper: O,
}

#[async_trait::async_trait]
impl<O: Onderschepper> crate::EventStore for Onderschept<O> {
    async fn append(
        &self,
        stream: &crate::StreamName,
        expected: crate::ExpectedRevision,
        events: Vec<NewEvent>,
    ) -> Result<crate::AppendResult, crate::StoreError> {
        self.binnen.append(stream, expected, events).await
    }

    async fn append_atomic(
        &self,
        parts: Vec<crate::StreamAppend>,
    ) -> Result<Vec<crate::AppendResult>, crate::StoreError> {
        self.onderschepper.voor_append_atomic(&parts).await;
        self.binnen.append_atomic(parts).await
    }

    async fn read_stream(
        &self,
        stream: &crate::StreamName,
        from: crate::ReadFrom,
        direction: crate::Direction,
        limit: usize,
    ) -> Result<Vec<crate::RecordedEvent>, crate::StoreError> {
        self.binnen
            .read_stream(stream, from, direction, limit)
            .await
    }

    async fn read_all(
        &self,
        after: Option<crate::Position>,
        filter: &crate::StreamFilter,
        limit: usize,
    ) -> Result<Vec<crate::RecordedEvent>, crate::StoreError> {
        self.binnen.read_all(after, filter, limit).await
    }

    async fn head(&self) -> Result<Option<crate::Position>, crate::StoreError> {
        self.binnen.head().await
    }

    async fn check(&self) -> Result<(), crate::StoreError> {
        self.binnen.check().await
    }

    async fn close(&self) -> Result<(), crate::StoreError> {
        self.binnen.close().await
    }

    fn subscribe_all(
        &self,
        after: Option<crate::Position>,
        filter: crate::StreamFilter,
    ) -> crate::Subscription {
        self.onderschepper
            .subscription(self.binnen.subscribe_all(after, filter))
    }
}

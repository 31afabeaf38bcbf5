//! Benchmarks of the event store, per backend: durable sequential append latency, on a new stream
//! and on one that already holds many events (as the access log does), throughput of
//! single-event commands from 1, 8 and 64 concurrent writers on distinct streams, and the
//! read_all rate. Also the disk's raw fsync rate, which bounds every durable store here.
//!
//! `cargo bench -p traject-store`; PostgreSQL is measured too when `TRAJECT_TEST_POSTGRES_URL`
//! is set. Results go to BENCHMARKS.md by hand, with the machine and the date.

#[allow(dead_code)] // the peer benchmarks' part of it
#[path = "peers/gedeeld.rs"]
mod gedeeld;

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use traject_store::{
    EventStore, ExpectedRevision, Metadata, NewEvent, PostgresConfig, PostgresStore, SqliteStore,
    StreamFilter, StreamName,
};

/// How long runs last and how many sequential appends are timed: in full under `cargo bench`,
/// briefly when `cargo test --all-targets` runs this binary as a smoke test.
#[derive(Clone, Copy)]
struct Size {
    run: Duration,
    sequential: usize,
    /// How many events the long stream holds before its appends are timed.
    long: usize,
}

const FULL: Size = Size {
    run: Duration::from_secs(4),
    sequential: 2000,
    long: 200_000,
};
const SMOKE: Size = Size {
    run: Duration::from_millis(100),
    sequential: 20,
    long: 2_000,
};

fn event(n: u64) -> NewEvent {
    NewEvent {
        id: uuid::Uuid::now_v7(),
        event_type: "PlaatsingGestart".to_owned(),
        schema_version: 2,
        data: gedeeld::data(n),
        metadata: Metadata {
            actor: Some("coach-anna".to_owned()),
            correlation_id: Some(uuid::Uuid::now_v7()),
            causation_id: None,
        },
        recorded_at: None,
    }
}

fn stream() -> StreamName {
    StreamName::new(format!("traject-{}", uuid::Uuid::now_v7())).unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn sequential(store: &Arc<dyn EventStore>, size: Size) -> (Duration, Duration) {
    timed_appends(store, &stream(), ExpectedRevision::NoStream, size).await
}

/// Sequential appends to a stream that already holds `size.long` events, as the access log
/// does after a while: deciding an append must not cost more as its stream grows.
async fn long_stream(store: &Arc<dyn EventStore>, size: Size) -> (Duration, Duration) {
    let s = stream();
    let mut expected = ExpectedRevision::NoStream;
    let mut n = 0;
    while n < size.long {
        let count = (size.long - n).min(1000);
        let events = (n..n + count).map(|i| event(i as u64)).collect();
        let result = store.append(&s, expected, events).await.unwrap();
        expected = ExpectedRevision::Exact(result.revision);
        n += count;
    }
    timed_appends(store, &s, expected, size).await
}

/// p50 and p99 of `size.sequential` single-event appends to `s`, one after another.
async fn timed_appends(
    store: &Arc<dyn EventStore>,
    s: &StreamName,
    mut expected: ExpectedRevision,
    size: Size,
) -> (Duration, Duration) {
    let mut latencies = Vec::with_capacity(size.sequential);
    for n in 0..size.sequential as u64 {
        let start = Instant::now();
        let result = store.append(s, expected, vec![event(n)]).await.unwrap();
        latencies.push(start.elapsed());
        expected = ExpectedRevision::Exact(result.revision);
    }
    latencies.sort();
    (percentile(&latencies, 0.50), percentile(&latencies, 0.99))
}

/// Single-event commands per second from `writers` concurrent writers, each on its own
/// stream, each append decided on the stream's exact revision.
async fn throughput(store: &Arc<dyn EventStore>, writers: usize, size: Size) -> f64 {
    let deadline = Instant::now() + size.run;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..writers {
        let store = Arc::clone(store);
        tasks.push(tokio::spawn(async move {
            let s = stream();
            let mut expected = ExpectedRevision::NoStream;
            let mut done = 0u64;
            while Instant::now() < deadline {
                let result = store.append(&s, expected, vec![event(done)]).await.unwrap();
                expected = ExpectedRevision::Exact(result.revision);
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    total as f64 / start.elapsed().as_secs_f64()
}

async fn read_all_rate(store: &Arc<dyn EventStore>) -> (usize, f64) {
    let start = Instant::now();
    let mut after = None;
    let mut count = 0;
    loop {
        let batch = store
            .read_all(after, &StreamFilter::all(), 4096)
            .await
            .unwrap();
        let Some(last) = batch.last() else { break };
        after = Some(last.position);
        count += batch.len();
    }
    (count, count as f64 / start.elapsed().as_secs_f64())
}

async fn measure(name: &str, store: Arc<dyn EventStore>, size: Size) {
    let (p50, p99) = sequential(&store, size).await;
    println!("{name}: sequential durable append latency p50 {p50:?}, p99 {p99:?}");
    let (p50, p99) = long_stream(&store, size).await;
    println!(
        "{name}: the same on a stream of {} events: p50 {p50:?}, p99 {p99:?}",
        size.long
    );
    for writers in [1, 8, 64] {
        let rate = throughput(&store, writers, size).await;
        println!("{name}: {writers:>2} writers: {rate:>8.0} single-event commands/s");
    }
    let (count, rate) = read_all_rate(&store).await;
    println!("{name}: read_all of {count} events: {rate:.0} events/s");
}

/// write + fsync of 4 KiB at a time, the way a WAL commit does.
fn fsync_rate(dir: &std::path::Path, size: Size) -> f64 {
    let mut file = std::fs::File::create(dir.join("fsync-probe")).unwrap();
    let block = [7u8; 4096];
    let start = Instant::now();
    let mut n = 0;
    while start.elapsed() < size.run {
        file.write_all(&block).unwrap();
        file.sync_data().unwrap();
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let size = if std::env::args().any(|a| a == "--bench") {
        FULL
    } else {
        println!("smoke run (use cargo bench for the measurement)");
        SMOKE
    };
    let dir = tempfile::tempdir().unwrap();
    println!(
        "disk: {:.0} fsyncs/s (4 KiB write + fdatasync)",
        fsync_rate(dir.path(), size)
    );

    let sqlite = SqliteStore::open(dir.path().join("bench.sqlite"))
        .await
        .unwrap();
    measure("sqlite", Arc::new(sqlite), size).await;

    if let Ok(url) = std::env::var("TRAJECT_TEST_POSTGRES_URL") {
        let schema = format!("bench_{}", uuid::Uuid::now_v7().simple());
        let mut config = PostgresConfig::new(url.clone());
        config.schema = schema.clone();
        let store = PostgresStore::connect(config).await.unwrap();
        measure("postgres", Arc::new(store), size).await;
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
            .await
            .unwrap();
    } else {
        println!("postgres: not measured (set TRAJECT_TEST_POSTGRES_URL)");
    }
}

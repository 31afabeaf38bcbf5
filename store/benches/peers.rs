//! The PostgreSQL store against a peer on the same database, side by side: Message DB's
//! `write_message` (the published SQL functions of the Eventide project, installed into a
//! scratch database by `scripts/bench-peers`, which also fetches them; nothing of it is in the
//! repository).
//!
//! Each writer is a coach recording on their own trajectory: one event at a time, with the
//! expected revision of their stream, the next one after the previous is acknowledged. Rounds are
//! interleaved (traject, peer, traject, peer, ...) at 1, 8 and 64 writers; per round it prints
//! appends per second, the median, p99 and maximum latency, and failures (an append that fails
//! or takes longer than the timeout counts as one); at the end the ratio traject / peer per
//! writer count as min / median / max over the rounds. With 64 writers the peer runs twice: all
//! streams in one category (`traject-...`, as traject keeps them, where Message DB serialises on
//! the category's lock) and a category per writer (where it keeps no order across them).
//!
//! With `--embedded` it measures the embedded store against a plain SQLite baseline instead, in
//! the same interleaved way: 1 writer against a row per transaction, 64 writers against 64 rows
//! per transaction (a hand-written log of events that batches as well as the store does);
//! `--writers 1` or `--writers 64` measures only that count.
//!
//! With `--traject-only` it measures one round of traject's side alone per writer count and
//! prints it as a line for a script: `scripts/bench-peers` runs it in turn with the second peer,
//! postgres-es (`store/peer-postgres-es`), which cannot be built into this benchmark. With
//! `--command` as well, each append is written as a coach's command writes it: atomically with
//! an event on the access log's inbox, a stream appended to at any revision.
//!
//! `scripts/bench-peers` runs it; alone: `cargo bench -p traject-store --bench peers --
//! --bench` with `TRAJECT_TEST_POSTGRES_URL` and `MESSAGE_DB_URL` set. Without them (as a smoke
//! test under `cargo test --all-targets`) it says what it skipped.

#[path = "peers/gedeeld.rs"]
mod gedeeld;

use std::sync::Arc;
use std::time::{Duration, Instant};

use gedeeld::{Round, TIMEOUT, arg, data};

use traject_store::{
    Direction, EventStore, ExpectedRevision, Metadata, NewEvent, PostgresConfig, PostgresStore,
    ReadFrom, StreamAppend, StreamName,
};

fn metadata() -> Metadata {
    Metadata {
        actor: Some("coach-anna".to_owned()),
        correlation_id: Some(uuid::Uuid::now_v7()),
        causation_id: None,
    }
}

/// `writers` coaches appending to traject's PostgreSQL store for `duration`.
async fn traject(store: &Arc<dyn EventStore>, writers: usize, duration: Duration) -> Round {
    traject_met(store, writers, duration, false).await
}

/// [`traject`]; with `opdracht`, each append goes with an event on one inbox stream at any
/// revision, in one atomic append, as a command's write goes with its access-log entry.
async fn traject_met(
    store: &Arc<dyn EventStore>,
    writers: usize,
    duration: Duration,
    opdracht: bool,
) -> Round {
    let start = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|_| {
            let store = Arc::clone(store);
            tokio::spawn(async move {
                let stream = StreamName::new(format!("traject-{}", uuid::Uuid::now_v7())).unwrap();
                let inbox_stream = StreamName::new("toegangslog-inbox").unwrap();
                let mut round = Round::default();
                let mut revision: Option<u64> = None;
                let mut n = 0;
                while start.elapsed() < duration {
                    n += 1;
                    let event = NewEvent {
                        id: uuid::Uuid::now_v7(),
                        event_type: "PlaatsingGestart".to_owned(),
                        schema_version: 3,
                        data: data(n),
                        metadata: metadata(),
                        recorded_at: None,
                    };
                    let expected =
                        revision.map_or(ExpectedRevision::NoStream, ExpectedRevision::Exact);
                    let begin = Instant::now();
                    let append = async {
                        if !opdracht {
                            return store.append(&stream, expected, vec![event]).await;
                        }
                        let inbox = NewEvent {
                            id: uuid::Uuid::now_v7(),
                            event_type: "ToegangGelogd".to_owned(),
                            schema_version: 1,
                            data: serde_json::json!({ "n": n }),
                            metadata: metadata(),
                            recorded_at: None,
                        };
                        let parts = vec![
                            StreamAppend {
                                stream: inbox_stream.clone(),
                                expected: ExpectedRevision::Any,
                                events: vec![inbox],
                            },
                            StreamAppend {
                                stream: stream.clone(),
                                expected,
                                events: vec![event],
                            },
                        ];
                        store.append_atomic(parts).await.map(|mut r| r.remove(1))
                    };
                    match tokio::time::timeout(TIMEOUT, append).await {
                        Ok(Ok(r)) => {
                            round.latencies.push(begin.elapsed());
                            round.appends += 1;
                            revision = Some(r.revision);
                        }
                        _ => {
                            round.failures += 1;
                            // It may have been written after all: go on from what the stream holds.
                            revision = store
                                .read_stream(&stream, ReadFrom::End, Direction::Backwards, 1)
                                .await
                                .ok()
                                .and_then(|e| e.first().map(|e| e.revision));
                        }
                    }
                }
                round
            })
        })
        .collect();
    let mut parts = Vec::new();
    for t in tasks {
        parts.push(t.await.unwrap());
    }
    Round::merge(parts, start.elapsed())
}

/// `writers` coaches appending with Message DB's `write_message` for `duration`, each on its own
/// connection; `categorie(i)` names writer `i`'s category.
async fn message_db(url: &str, writers: usize, duration: Duration, categorie: Categorie) -> Round {
    let mut clients = Vec::new();
    for _ in 0..writers {
        let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("Message DB's database");
        tokio::spawn(conn);
        client
            .batch_execute("SET search_path TO message_store, public")
            .await
            .unwrap();
        clients.push(client);
    }
    let start = Instant::now();
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, client)| {
            let stream = format!("{}-{}", categorie(i), uuid::Uuid::now_v7().simple());
            tokio::spawn(async move {
                let write = client
                    .prepare(
                        "SELECT message_store.write_message($1::varchar, $2::varchar, $3::varchar, $4::jsonb, $5::jsonb, $6::bigint)",
                    )
                    .await
                    .unwrap();
                let mut round = Round::default();
                let mut version: i64 = -1;
                let mut n = 0;
                while start.elapsed() < duration {
                    n += 1;
                    let id = uuid::Uuid::now_v7().to_string();
                    let meta = serde_json::to_value(metadata()).unwrap();
                    let inhoud = data(n);
                    let soort = "PlaatsingGestart";
                    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] =
                        [&id, &stream, &soort, &inhoud, &meta, &version];
                    let begin = Instant::now();
                    let call = client.query_one(&write, &params);
                    match tokio::time::timeout(TIMEOUT, call).await {
                        Ok(Ok(row)) => {
                            round.latencies.push(begin.elapsed());
                            round.appends += 1;
                            version = row.get(0);
                        }
                        _ => round.failures += 1,
                    }
                }
                round
            })
        })
        .collect();
    let mut parts = Vec::new();
    for t in tasks {
        parts.push(t.await.unwrap());
    }
    Round::merge(parts, start.elapsed())
}

/// Names writer `i`'s category of streams in Message DB.
type Categorie = fn(usize) -> String;

fn een_categorie(_: usize) -> String {
    "traject".to_owned()
}

fn eigen_categorie(i: usize) -> String {
    format!("schrijver{i}")
}

fn min_median_max(mut v: Vec<f64>) -> String {
    v.sort_by(f64::total_cmp);
    format!(
        "{:.2} / {:.2} / {:.2}",
        v[0],
        v[v.len() / 2],
        v[v.len() - 1]
    )
}

/// A plain SQLite baseline for `duration`: a table of events (stream, revision, type, data) in
/// WAL mode with `synchronous=FULL` as the embedded store has it, rows inserted `batch` to a
/// transaction by one thread, as fast as it goes. What a hand-written SQLite log of events
/// reaches on this disk: the floor the embedded store is measured against.
fn sqlite_baseline(dir: &std::path::Path, batch: usize, duration: Duration) -> Round {
    let path = dir.join(format!("baseline-{}.sqlite", uuid::Uuid::now_v7().simple()));
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.execute_batch(
        "CREATE TABLE events (position INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, \
         stream TEXT NOT NULL, revision INTEGER NOT NULL, event_type TEXT NOT NULL, \
         data TEXT NOT NULL, UNIQUE (stream, revision))",
    )
    .unwrap();
    let mut round = Round::default();
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < duration {
        let begin = Instant::now();
        let tx = conn.transaction().unwrap();
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO events (id, stream, revision, event_type, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .unwrap();
            for i in 0..batch {
                n += 1;
                insert
                    .execute(rusqlite::params![
                        uuid::Uuid::now_v7().as_bytes().to_vec(),
                        format!("traject-{}", i),
                        n as i64,
                        "PlaatsingGestart",
                        data(n).to_string(),
                    ])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
        let latency = begin.elapsed();
        round.appends += batch;
        round.latencies.extend(std::iter::repeat_n(latency, batch));
    }
    round.elapsed = start.elapsed();
    round.latencies.sort_unstable();
    round
}

/// The embedded store against the plain SQLite baseline, interleaved: 1 writer against one row
/// per transaction, 64 writers against 64 rows per transaction.
async fn embedded(rounds: usize, duration: Duration) {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn EventStore> = Arc::new(
        traject_store::SqliteStore::open(dir.path().join("events.sqlite"))
            .await
            .unwrap(),
    );
    let mut summary = Vec::new();
    let alleen: usize = arg("--writers", 0);
    for writers in [1usize, 64]
        .into_iter()
        .filter(|w| alleen == 0 || *w == alleen)
    {
        let mut ratios = Vec::new();
        let mut max_traject = Duration::ZERO;
        let mut fouten = 0;
        for round in 1..=rounds {
            let t = traject(&store, writers, duration).await;
            let pad = dir.path().to_owned();
            let b = tokio::task::spawn_blocking(move || sqlite_baseline(&pad, writers, duration))
                .await
                .unwrap();
            println!("{writers:>2} writers, embedded, round {round}");
            println!("   traject          {}", t.line());
            println!("   SQLite {writers:>2}/commit {}", b.line());
            ratios.push(t.per_second() / b.per_second());
            max_traject = max_traject.max(t.latencies.last().copied().unwrap_or_default());
            fouten += t.failures;
        }
        summary.push(format!(
            "| {writers} writers, embedded / plain SQLite with {writers} rows per transaction | traject / baseline | {rounds} | throughput {} | traject max {:.1} ms, failures {} |",
            min_median_max(ratios),
            max_traject.as_secs_f64() * 1e3,
            fouten,
        ));
    }
    println!();
    for line in summary {
        println!("{line}");
    }
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--embedded") {
        let rounds: usize = arg("--rounds", 3);
        let duration = Duration::from_secs(arg("--seconds", 10));
        embedded(rounds, duration).await;
        return;
    }
    let alleen_traject = std::env::args().any(|a| a == "--traject-only");
    let niet_gemeten = || {
        println!(
            "peers: not measured (scripts/bench-peers sets TRAJECT_TEST_POSTGRES_URL and MESSAGE_DB_URL)"
        )
    };
    let Ok(traject_url) = std::env::var("TRAJECT_TEST_POSTGRES_URL") else {
        return niet_gemeten();
    };
    let mdb_url = std::env::var("MESSAGE_DB_URL").ok();
    if mdb_url.is_none() && !alleen_traject {
        return niet_gemeten();
    }
    if !std::env::args().any(|a| a == "--bench") {
        println!("peers: smoke run skipped (use --bench)");
        return;
    }
    let rounds: usize = arg("--rounds", 3);
    let duration = Duration::from_secs(arg("--seconds", 10));
    let schema = format!("bench_peers_{}", uuid::Uuid::now_v7().simple());
    let mut config = PostgresConfig::new(traject_url.clone());
    config.schema = schema.clone();
    let store: Arc<dyn EventStore> = Arc::new(PostgresStore::connect(config).await.unwrap());
    let gekozen: String = arg("--writers", "1,8,64".to_owned());
    let gekozen: Vec<usize> = gekozen.split(',').filter_map(|n| n.parse().ok()).collect();
    let Some(mdb_url) = mdb_url.filter(|_| !alleen_traject) else {
        // One round of traject alone per writer count, for a peer measured by a program of its
        // own (scripts/bench-peers interleaves them): writers, appends per second, p50, p99 and
        // maximum latency in ms, failures.
        let opdracht = std::env::args().any(|a| a == "--command");
        for &writers in &gekozen {
            let t = traject_met(&store, writers, duration, opdracht).await;
            println!("{writers} {}", t.fields());
        }
        drop_schema(&traject_url, &schema).await;
        return;
    };

    let mut summary = Vec::new();
    let cases: [(usize, &str, Categorie); 4] = [
        (1, "one category", een_categorie),
        (8, "one category", een_categorie),
        (64, "one category", een_categorie),
        (64, "a category per writer", eigen_categorie),
    ];
    for (writers, soort, categorie) in cases.into_iter().filter(|c| gekozen.contains(&c.0)) {
        let mut ratios = Vec::new();
        let mut p50 = Vec::new();
        let mut max_traject = Duration::ZERO;
        let mut fouten = (0, 0);
        for round in 1..=rounds {
            let t = traject(&store, writers, duration).await;
            let m = message_db(&mdb_url, writers, duration, categorie).await;
            println!("{writers:>2} writers, peer {soort}, round {round}");
            println!("   traject     {}", t.line());
            println!("   Message DB  {}", m.line());
            ratios.push(t.per_second() / m.per_second());
            p50.push(m.percentile(0.5).as_secs_f64() / t.percentile(0.5).as_secs_f64());
            max_traject = max_traject.max(t.latencies.last().copied().unwrap_or_default());
            fouten.0 += t.failures;
            fouten.1 += m.failures;
        }
        summary.push(format!(
            "| {writers} writers, Message DB {soort} | traject / Message DB | {rounds} | throughput {} ; median latency (peer / traject, higher is better for traject) {} | traject max {:.1} ms, failures {} / {} |",
            min_median_max(ratios),
            min_median_max(p50),
            max_traject.as_secs_f64() * 1e3,
            fouten.0,
            fouten.1,
        ));
    }
    println!();
    for line in summary {
        println!("{line}");
    }
    drop_schema(&traject_url, &schema).await;
}

/// Drops the benchmark's scratch schema.
async fn drop_schema(url: &str, schema: &str) {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .await
        .unwrap();
}

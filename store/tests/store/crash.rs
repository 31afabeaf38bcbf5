//! The crash test: a child process appends as fast as it can and reports every acknowledged
//! event; it is killed with SIGKILL at a random moment; after reopening, every acknowledged
//! event is there, the store opens cleanly, and appending continues. Several rounds per run.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use traject_store::{EventStore, ExpectedRevision, StreamFilter};
use uuid::Uuid;

use crate::fixtures::{drop_schema, event, fresh_schema, postgres_url, stream};

const ROUNDS: usize = 5;

/// Runs the writer until it has reported a random number of acknowledgements, kills it, and
/// returns every id it reported, including those still in the pipe.
fn run_and_kill(args: &[&str]) -> HashSet<Uuid> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_traject-store-crash-writer"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the crash writer");
    let kill_after = fastrand::usize(20..3000);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut acknowledged = HashSet::new();
    while acknowledged.len() < kill_after {
        match lines.next() {
            Some(Ok(line)) => {
                acknowledged.insert(Uuid::parse_str(&line).expect("a whole line is an id"));
            }
            other => panic!("the crash writer stopped on its own: {other:?}"),
        }
    }
    child.kill().expect("SIGKILL"); // std's kill sends SIGKILL on Unix
    child.wait().unwrap();
    // Lines written before the kill were acknowledged too; a torn last line is not an id.
    for line in lines.map_while(Result::ok) {
        if let Ok(id) = Uuid::parse_str(&line) {
            acknowledged.insert(id);
        }
    }
    acknowledged
}

async fn check_after_crash(store: &dyn EventStore, acknowledged: &HashSet<Uuid>) {
    let stored: HashSet<Uuid> = store
        .read_all(None, &StreamFilter::all(), usize::MAX)
        .await
        .unwrap()
        .iter()
        .map(|e| e.id)
        .collect();
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged events lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
    // Appending continues, to a new stream and to one the writer was using.
    let fresh = stream(&format!("traject-after-{}", Uuid::now_v7().simple()));
    store
        .append(&fresh, ExpectedRevision::NoStream, vec![event(0)])
        .await
        .unwrap();
    let last = store
        .read_all(None, &StreamFilter::prefix("traject-crash-"), usize::MAX)
        .await
        .unwrap();
    let used = &last.last().unwrap().stream;
    store
        .append(used, ExpectedRevision::StreamExists, vec![event(1)])
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_every_acknowledged_event_through_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.sqlite");
    let mut all = HashSet::new();
    for _ in 0..ROUNDS {
        let acknowledged = run_and_kill(&["sqlite", file.to_str().unwrap()]);
        all.extend(acknowledged);
        let store = traject_store::SqliteStore::open(&file)
            .await
            .expect("opens cleanly");
        check_after_crash(&store, &all).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_every_acknowledged_event_through_sigkill() {
    let Some(url) = postgres_url() else { return };
    let schema = fresh_schema();
    let mut all = HashSet::new();
    for _ in 0..ROUNDS {
        all.extend(run_and_kill(&["postgres", &url, &schema]));
        let mut config = traject_store::PostgresConfig::new(url.clone());
        config.schema = schema.clone();
        let store = traject_store::PostgresStore::connect(config)
            .await
            .expect("connects");
        check_after_crash(&store, &all).await;
    }
    drop_schema(&url, &schema).await;
}

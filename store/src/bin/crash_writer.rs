//! A helper for the store's crash test: appends single events as fast as it can from 8
//! concurrent writers and prints the id of every acknowledged event, one per line, until it is
//! killed.
//!
//! Usage: `traject-store-crash-writer sqlite <file>` or
//! `traject-store-crash-writer postgres <url> <schema>`.

use std::io::Write;
use std::sync::Arc;

use traject_store::{
    EventStore, ExpectedRevision, Metadata, NewEvent, PostgresConfig, PostgresStore, SqliteStore,
    StreamName,
};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let store: Arc<dyn EventStore> = match args.get(1).map(String::as_str) {
        Some("sqlite") => Arc::new(SqliteStore::open(&args[2]).await.expect("open")),
        Some("postgres") => {
            let mut config = PostgresConfig::new(args[2].clone());
            config.schema = args[3].clone();
            Arc::new(PostgresStore::connect(config).await.expect("connect"))
        }
        _ => {
            eprintln!("usage: traject-store-crash-writer sqlite <file> | postgres <url> <schema>");
            std::process::exit(2);
        }
    };
    let stdout = Arc::new(std::sync::Mutex::new(std::io::stdout()));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (store, stdout) = (Arc::clone(&store), Arc::clone(&stdout));
        writers.push(tokio::spawn(async move {
            let stream = StreamName::new(format!(
                "traject-crash-{w}-{}",
                uuid::Uuid::now_v7().simple()
            ))
            .expect("valid name");
            let mut expected = ExpectedRevision::NoStream;
            for n in 0u64.. {
                let event = NewEvent {
                    id: uuid::Uuid::now_v7(),
                    event_type: "Test".to_owned(),
                    schema_version: 1,
                    data: serde_json::json!({ "n": n }),
                    metadata: Metadata::default(),
                    recorded_at: None,
                };
                let id = event.id;
                let result = store
                    .append(&stream, expected, vec![event])
                    .await
                    .expect("append");
                expected = ExpectedRevision::Exact(result.revision);
                let mut out = stdout.lock().expect("stdout");
                writeln!(out, "{id}")
                    .and_then(|()| out.flush())
                    .expect("stdout");
            }
        }));
    }
    for w in writers {
        w.await.expect("writer");
    }
}

//! PostgreSQL with several API instances on one store: the global order stays gap-free and no
//! reader sees a position before a lower one commits.

use std::collections::HashSet;
use std::time::Duration;

use traject_store::{EventStore, ExpectedRevision, PostgresConfig, PostgresStore, StreamFilter};

use crate::fixtures::{drop_schema, event, fresh_schema, postgres_url, stream};

async fn instance(url: &str, schema: &str) -> PostgresStore {
    let mut config = PostgresConfig::new(url);
    config.schema = schema.to_owned();
    PostgresStore::connect(config).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_share_one_gap_free_order() {
    let Some(url) = postgres_url() else { return };
    let schema = fresh_schema();
    let (a, b, reader) = (
        instance(&url, &schema).await,
        instance(&url, &schema).await,
        instance(&url, &schema).await,
    );
    // The reader subscribes before anything is written: what follows arrives by NOTIFY from the
    // other instances.
    let mut sub = reader.subscribe_all(None, StreamFilter::all());
    let mut writers = Vec::new();
    for (i, store) in [a, b].into_iter().enumerate() {
        for w in 0..4 {
            let store = store.clone();
            writers.push(tokio::spawn(async move {
                let mut ids = Vec::new();
                for n in 0..100 {
                    let e = event(n);
                    ids.push(e.id);
                    let s = stream(&format!("traject-i{i}-w{w}-{}", n % 5));
                    store
                        .append(&s, ExpectedRevision::Any, vec![e])
                        .await
                        .unwrap();
                }
                ids
            }));
        }
    }
    let mut written = HashSet::new();
    for w in writers {
        written.extend(w.await.unwrap());
    }
    let mut positions = Vec::new();
    let mut seen = HashSet::new();
    while seen.len() < written.len() {
        let e = tokio::time::timeout(Duration::from_secs(60), sub.next())
            .await
            .expect("events arrive by notification")
            .unwrap()
            .unwrap();
        assert!(seen.insert(e.id), "delivered twice");
        positions.push(e.position.0);
    }
    assert_eq!(seen, written);
    assert_eq!(
        positions,
        (1..=written.len() as u64).collect::<Vec<_>>(),
        "gap-free, in order"
    );
    drop_schema(&url, &schema).await;
}

//! Fresh stores for each test: a new SQLite file, or a new schema in the PostgreSQL database
//! named by `TRAJECT_TEST_POSTGRES_URL`.

use std::sync::Arc;

use traject_store::{EventStore, Metadata, NewEvent, PostgresStore, SqliteStore, StreamName};

use traject_store::testing::TestSchema;
pub use traject_store::testing::postgres_url;

/// A store and whatever must live as long as it does.
pub struct Fixture {
    pub store: Arc<dyn EventStore>,
    pub _cleanup: Cleanup,
}

pub enum Cleanup {
    Dir(#[allow(dead_code)] tempfile::TempDir),
    Schema(#[allow(dead_code)] TestSchema),
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

/// Removes a test's schema and everything in it.
pub async fn drop_schema(url: &str, schema: &str) {
    TestSchema::drop_now(url, schema).await;
}

pub fn fresh_schema() -> String {
    format!("t_{}", uuid::Uuid::now_v7().simple())
}

pub async fn postgres() -> Option<Fixture> {
    let schema = TestSchema::new(&postgres_url()?, "t");
    let store = PostgresStore::connect(schema.config())
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at TRAJECT_TEST_POSTGRES_URL is unreachable: {e}"));
    Some(Fixture {
        store: Arc::new(store),
        _cleanup: Cleanup::Schema(schema),
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
        recorded_at: None,
    }
}

#[cfg(feature = "kurrentdb")]
pub use crate::kurrent::kurrentdb;

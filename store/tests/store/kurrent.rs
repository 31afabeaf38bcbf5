//! The KurrentDB fixture: the store at `TRAJECT_TEST_KURRENTDB_URL`, seen through a namespace of
//! its own per test (every stream name gets a unique prefix, reads and subscriptions see only
//! that prefix), since a KurrentDB cluster cannot be made fresh for each test the way a SQLite
//! file or a PostgreSQL schema can.

use std::sync::Arc;

use async_trait::async_trait;
use futures::StreamExt;
use traject_store::{
    AppendResult, Direction, EventStore, ExpectedRevision, KurrentStore, NewEvent, Position,
    ReadFrom, RecordedEvent, StoreError, StreamAppend, StreamFilter, StreamName, Subscription,
};

use crate::fixtures::{Cleanup, Fixture};

/// The fixture, or `None` after saying the test is skipped.
pub async fn kurrentdb() -> Option<Fixture> {
    let Ok(url) = std::env::var("TRAJECT_TEST_KURRENTDB_URL") else {
        eprintln!("skipped: needs KurrentDB (set TRAJECT_TEST_KURRENTDB_URL to run it)");
        return None;
    };
    let store = KurrentStore::connect(&url)
        .unwrap_or_else(|e| panic!("KurrentDB at TRAJECT_TEST_KURRENTDB_URL: {e}"));
    let dir = tempfile::tempdir().unwrap();
    Some(Fixture {
        store: Arc::new(Namespace {
            inner: store,
            ns: format!("t{}-", uuid::Uuid::now_v7().simple()),
        }),
        _cleanup: Cleanup::Dir(dir),
    })
}

struct Namespace {
    inner: KurrentStore,
    ns: String,
}

impl Namespace {
    fn binnen(&self, stream: &StreamName) -> StreamName {
        StreamName::new(format!("{}{}", self.ns, stream.as_str())).unwrap()
    }

    fn filter(&self, filter: &StreamFilter) -> StreamFilter {
        StreamFilter::prefix(format!(
            "{}{}",
            self.ns,
            filter.stream_prefix().unwrap_or("")
        ))
    }

    fn buiten(ns: &str, mut e: RecordedEvent) -> RecordedEvent {
        e.stream = StreamName::new(e.stream.as_str().strip_prefix(ns).unwrap()).unwrap();
        e
    }

    fn fout(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::WrongExpectedVersion {
                stream,
                expected,
                actual,
            } => StoreError::WrongExpectedVersion {
                stream: stream.strip_prefix(&self.ns).unwrap_or(&stream).to_owned(),
                expected,
                actual,
            },
            StoreError::InPart { part, error } => StoreError::InPart {
                part,
                error: Box::new(self.fout(*error)),
            },
            other => other,
        }
    }
}

#[async_trait]
impl EventStore for Namespace {
    async fn append(
        &self,
        stream: &StreamName,
        expected: ExpectedRevision,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        self.inner
            .append(&self.binnen(stream), expected, events)
            .await
            .map_err(|e| self.fout(e))
    }

    async fn append_atomic(
        &self,
        parts: Vec<StreamAppend>,
    ) -> Result<Vec<AppendResult>, StoreError> {
        let parts = parts
            .into_iter()
            .map(|p| StreamAppend {
                stream: self.binnen(&p.stream),
                ..p
            })
            .collect();
        self.inner
            .append_atomic(parts)
            .await
            .map_err(|e| self.fout(e))
    }

    async fn read_stream(
        &self,
        stream: &StreamName,
        from: ReadFrom,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let events = self
            .inner
            .read_stream(&self.binnen(stream), from, direction, limit)
            .await?;
        Ok(events
            .into_iter()
            .map(|e| Self::buiten(&self.ns, e))
            .collect())
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        filter: &StreamFilter,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let events = self
            .inner
            .read_all(after, &self.filter(filter), limit)
            .await?;
        Ok(events
            .into_iter()
            .map(|e| Self::buiten(&self.ns, e))
            .collect())
    }

    async fn head(&self) -> Result<Option<Position>, StoreError> {
        let alles = self
            .inner
            .read_all(None, &self.filter(&StreamFilter::all()), usize::MAX / 2)
            .await?;
        Ok(alles.last().map(|e| e.position))
    }

    fn subscribe_all(&self, after: Option<Position>, filter: StreamFilter) -> Subscription {
        let ns = self.ns.clone();
        let inner = self.inner.subscribe_all(after, self.filter(&filter));
        let scanned = inner.scanned();
        let events = inner.map(move |e| e.map(|e| Namespace::buiten(&ns, e)));
        match scanned {
            Some(s) => Subscription::from_stream_with_scanned(events.boxed(), s),
            None => Subscription::from_stream(events.boxed()),
        }
    }
}

//! The catch-up subscription shared by the SQL backends: read after the checkpoint until nothing
//! is left, then wait for the writer's notification of a new head, never by sleeping.
//!
//! A filtered subscription moves its checkpoint past the events its filter leaves out: once a
//! read after the checkpoint finds nothing up to the head it saw, it continues from that head.
//! Otherwise every wake-up would scan all filtered-out events since the last matching one again
//! (with the access log in the same store, a cost that grows with every request). How far it
//! has looked is published as [`Subscription::scanned`].

use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use async_trait::async_trait;
use futures::Stream;
use futures::stream::BoxStream;
use tokio::sync::watch;

use crate::error::StoreError;
use crate::types::{Position, RecordedEvent, StreamFilter};

/// How many events a subscription reads at once.
const BATCH: usize = 1024;

/// A stream of recorded events in global order. It ends after the first error; the consumer
/// subscribes again from its checkpoint.
pub struct Subscription {
    inner: BoxStream<'static, Result<RecordedEvent, StoreError>>,
    scanned: Option<watch::Receiver<Option<Position>>>,
}

impl Subscription {
    /// Wraps any stream of events, for backends with a subscription of their own.
    pub fn from_stream(inner: BoxStream<'static, Result<RecordedEvent, StoreError>>) -> Self {
        Self {
            inner,
            scanned: None,
        }
    }

    /// Wraps a backend's own stream of events with its report of how far it has looked.
    pub fn from_stream_with_scanned(
        inner: BoxStream<'static, Result<RecordedEvent, StoreError>>,
        scanned: watch::Receiver<Option<Position>>,
    ) -> Self {
        Self {
            inner,
            scanned: Some(scanned),
        }
    }

    /// The position up to which the subscription has looked at every event, including those its
    /// filter left out: every matching event at or before it has been handed out. It moves when
    /// the subscription has caught up and waits for new events. `None` from backends that do not
    /// report it.
    pub fn scanned(&self) -> Option<watch::Receiver<Option<Position>>> {
        self.scanned.clone()
    }

    /// The next event; `None` once the subscription has ended.
    pub async fn next(&mut self) -> Option<Result<RecordedEvent, StoreError>> {
        futures::StreamExt::next(&mut self.inner).await
    }
}

impl Stream for Subscription {
    type Item = Result<RecordedEvent, StoreError>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// What a catch-up subscription needs from a backend.
#[async_trait]
pub(crate) trait Feed: Send + Sync + 'static {
    async fn read_after(
        &self,
        after: Option<Position>,
        filter: &StreamFilter,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// A receiver that changes whenever the head moves.
    fn head_changes(&self) -> watch::Receiver<u64>;
}

struct State<F> {
    feed: Arc<F>,
    changes: watch::Receiver<u64>,
    after: Option<Position>,
    filter: StreamFilter,
    buffer: VecDeque<RecordedEvent>,
    failed: bool,
    scanned: watch::Sender<Option<Position>>,
}

pub(crate) fn catch_up<F: Feed>(
    feed: Arc<F>,
    after: Option<Position>,
    filter: StreamFilter,
) -> Subscription {
    let changes = feed.head_changes();
    let (scanned, scanned_rx) = watch::channel(after);
    let state = State {
        feed,
        changes,
        after,
        filter,
        buffer: VecDeque::new(),
        failed: false,
        scanned,
    };
    let stream = futures::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(event) = st.buffer.pop_front() {
                st.after = Some(event.position);
                return Some((Ok(event), st));
            }
            if st.failed {
                return None;
            }
            // Mark the head as seen *before* reading: a commit during the read then still
            // wakes the wait below.
            let head_seen = *st.changes.borrow_and_update();
            match st.feed.read_after(st.after, &st.filter, BATCH).await {
                Err(e) => {
                    st.failed = true;
                    return Some((Err(e), st));
                }
                Ok(batch) if batch.is_empty() => {
                    // Nothing after the checkpoint up to the head seen before the read: every
                    // position up to it is committed (the backends publish a head only after
                    // every lower position committed), so the filtered-out rest is skipped.
                    if head_seen > 0 && st.after.is_none_or(|a| a.0 < head_seen) {
                        st.after = Some(Position(head_seen));
                    }
                    st.scanned.send_if_modified(|s| {
                        let moved = *s != st.after;
                        *s = st.after;
                        moved
                    });
                    if st.changes.changed().await.is_err() {
                        return None; // the store was closed
                    }
                }
                Ok(batch) => st.buffer.extend(batch),
            }
        }
    });
    Subscription {
        inner: Box::pin(stream),
        scanned: Some(scanned_rx),
    }
}
